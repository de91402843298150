"""The report's RO-Crate (nhsreport.pipeline.research_object): built from the committed
``figures/manifest.json``, ``data/`` and ``metadata.yml`` (no Sphinx run), it validates offline with
roc-validator against RO-Crate 1.3 and the Process Run Crate, reads back with ``rocrate``, and names
every data, figure and table file with its sha256 and one CreateAction per chapter run."""

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from rocrate.rocrate import ROCrate

from nhsreport import paths
from nhsreport.pipeline import cite_blocks, datazip, provenance
from nhsreport.pipeline import research_object as ro
from nhsreport.presentation.citation import load_metadata


@pytest.fixture(scope="module")
def site_crate(tmp_path_factory):
    """The crate as ``make book`` writes it into the site, with its files."""
    folder = tmp_path_factory.mktemp("site")
    ro.write(folder)
    return folder


@pytest.fixture(scope="module")
def http_cache(tmp_path_factory):
    return ro.seed_http_cache(tmp_path_factory.mktemp("cache") / "http")


def graph(folder):
    crate = json.loads((Path(folder) / ro.CRATE_FILE).read_text(encoding="utf-8"))
    return {entity["@id"]: entity for entity in crate["@graph"]}


def ids(value):
    return {item["@id"] for item in (value if isinstance(value, list) else [value])}


def hash_mismatches(folder):
    """Files the crate lists whose bytes in ``folder`` do not have the sha256 it records."""
    return [
        entity["@id"]
        for entity in graph(folder).values()
        if "sha256" in entity and provenance.sha256_of(Path(folder) / entity["@id"]) != entity["sha256"]
    ]


def manifest():
    return provenance.read_manifest(paths.FIGURES_DIR)


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", list(ro.PROFILES))
def test_the_crate_validates_offline_against_ro_crate_1_3_and_process_run_crate(
    site_crate, http_cache, profile
):
    assert ro.validate(site_crate, profile, http_cache) == []


def test_validation_parses_each_sparql_query_once_and_gives_rdflib_its_processor_back(site_crate, http_cache):
    """pyshacl asks the same SPARQL text again for every node it checks: the validator parses it
    once (the speed of the checks above), and leaves rdflib's own processor in place after."""
    from rdflib import plugin
    from rdflib.plugins.sparql.processor import SPARQLProcessor
    from rdflib.query import Processor

    ro.prepared_query.cache_clear()
    assert ro.validate(site_crate, "process-run-crate-0.5", http_cache) == []
    asked = ro.prepared_query.cache_info()
    assert asked.hits > asked.misses > 0, asked
    assert plugin.get("sparql", Processor) is SPARQLProcessor


def test_offline_validation_needs_the_seeded_context(site_crate, tmp_path):
    """Offline with an empty cache, the JSON-LD context cannot be had and validation fails: the
    seeded cache is what passes it, and the validator asks the network nothing."""
    issues = ro.validate(site_crate, "ro-crate-1.3", tmp_path / "empty-cache")
    assert any("Unable to retrieve the JSON-LD context" in message for _, _, message in issues), issues


# --- content ------------------------------------------------------------------------------------


def test_the_root_is_the_report_from_metadata_yml(site_crate):
    metadata = load_metadata()
    root = graph(site_crate)["./"]
    assert root["name"] == metadata["title"] and root["version"] == metadata["version"]
    assert root["datePublished"] == metadata["date-released"]
    licences = {graph(site_crate)[i]["name"] for i in ids(root["license"])}
    assert licences == set(metadata["licenses"].values())
    authors = [graph(site_crate)[i]["name"] for i in ids(root["author"])]
    assert authors == [author["name"] for author in metadata["authors"]]
    assert ro.PROCESS_RUN_CRATE in ids(root["conformsTo"])


def test_the_root_follows_an_edited_metadata_yml(tmp_path):
    shutil.copy(paths.PROJECT_ROOT / "metadata.yml", tmp_path / "metadata.yml")
    shutil.copytree(paths.PROJECT_ROOT / "chapters", tmp_path / "chapters")
    text = (tmp_path / "metadata.yml").read_text(encoding="utf-8")
    text = text.replace('version: "0.1.0"', 'version: "9.8.7"').replace(
        "The report's maintainers", "A. Tester"
    )
    (tmp_path / "metadata.yml").write_text(text, encoding="utf-8")
    crate = ro.crate(tmp_path, paths.DATA_DIR, paths.FIGURES_DIR)
    assert crate.root_dataset["version"] == "9.8.7"
    assert crate.root_dataset["author"]["name"] == "A. Tester"


def test_every_data_file_is_in_the_crate_with_its_sha256_licence_and_description(site_crate):
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    entities = graph(site_crate)
    for resource in package["resources"]:
        entity = entities[f"data/{resource['path']}"]
        assert entity["sha256"] == provenance.sha256_of(paths.DATA_DIR / resource["path"]), resource["path"]
        assert entity["description"] == resource["description"]
        assert ids(entity["license"]) == {licence["path"] for licence in package["licenses"]}


def test_every_figure_and_table_file_is_in_the_crate_with_its_sha256(site_crate):
    entities = graph(site_crate)
    files = {name for entry in manifest().values() for name in entry["files"]}
    assert files and files == {i.removeprefix("figures/") for i in entities if i.startswith("figures/")}
    for name in files:
        assert entities[f"figures/{name}"]["sha256"] == provenance.sha256_of(paths.FIGURES_DIR / name), name
    assert hash_mismatches(site_crate) == []


def test_a_changed_hash_is_caught(site_crate, tmp_path):
    broken = tmp_path / "crate"
    shutil.copytree(site_crate, broken)
    crate = json.loads((broken / ro.CRATE_FILE).read_text(encoding="utf-8"))
    entity = next(e for e in crate["@graph"] if e["@id"] == "figures/fig-tenure.svg")
    entity["sha256"] = "0" * 64
    (broken / ro.CRATE_FILE).write_text(json.dumps(crate), encoding="utf-8")
    assert hash_mismatches(broken) == ["figures/fig-tenure.svg"]


def test_a_figure_file_that_differs_from_the_manifest_stops_the_crate(tmp_path):
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES_DIR, figures)
    (figures / "fig-tenure.svg").write_text("<svg>changed</svg>", encoding="utf-8")
    with pytest.raises(ro.CrateError, match=r"^figures/fig-tenure\.svg: sha256 on disk differs"):
        ro.write(tmp_path / "out", figures_dir=figures)


def test_a_figure_file_the_manifest_lists_but_figures_lacks_stops_the_crate(tmp_path):
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES_DIR, figures)
    (figures / "fig-tenure.pdf").unlink()
    with pytest.raises(ro.CrateError, match=r"^figures/fig-tenure\.pdf: missing"):
        ro.crate(figures_dir=figures)


def test_a_chapter_notebook_the_manifest_names_but_chapters_lacks_stops_the_crate(tmp_path):
    shutil.copy(paths.PROJECT_ROOT / "metadata.yml", tmp_path / "metadata.yml")
    shutil.copytree(paths.CHAPTERS_DIR, tmp_path / "chapters")
    (tmp_path / "chapters" / "training.ipynb").unlink()
    with pytest.raises(ro.CrateError, match=r"^chapters/training\.ipynb: missing"):
        ro.crate(tmp_path, paths.DATA_DIR, paths.FIGURES_DIR)


def test_a_manifest_that_read_other_data_than_datapackage_records_stops_the_crate(tmp_path):
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES_DIR, figures)
    entries = provenance.read_manifest(figures)
    entries["fig-tenure"]["data"]["tenure.csv"] = "f" * 64
    provenance.write_manifest(entries, figures)
    with pytest.raises(
        ro.CrateError, match=r"fig-tenure \(chapters/who_was_studied\.ipynb\) was made from data/tenure\.csv"
    ):
        ro.crate(figures_dir=figures)


def test_outputs_of_one_notebook_recorded_by_different_runs_stop_the_crate(tmp_path):
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES_DIR, figures)
    entries = provenance.read_manifest(figures)
    entries["tbl-tenure"]["code"] = {**entries["tbl-tenure"]["code"], "notebook_sha256": "e" * 64}
    provenance.write_manifest(entries, figures)
    with pytest.raises(
        ro.CrateError,
        match=r"fig-age-profile and tbl-tenure of chapters/who_was_studied\.ipynb were made by different",
    ):
        ro.crate(figures_dir=figures)


def test_a_file_name_with_a_folder_in_the_manifest_stops_the_crate(tmp_path):
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES_DIR, figures)
    entries = provenance.read_manifest(figures)
    entries["fig-tenure"]["files"]["../../etc/passwd"] = "0" * 64
    provenance.write_manifest(entries, figures)
    with pytest.raises(ro.CrateError, match=r"fig-tenure: file name '\.\./\.\./etc/passwd' is not a plain"):
        ro.crate(figures_dir=figures)


def test_one_create_action_per_chapter_run_with_instrument_objects_results_and_versions(site_crate):
    entities = graph(site_crate)
    actions = {i: e for i, e in entities.items() if e.get("@type") == "CreateAction"}
    notebooks = {entry["notebook"] for entry in manifest().values()}
    assert len(actions) == len(notebooks) >= 10
    assert ids(entities["./"]["mentions"]) == set(actions)
    for notebook in notebooks:
        entries = [entry for entry in manifest().values() if entry["notebook"] == notebook]
        action = actions[f"#run-{Path(notebook).stem}"]
        instrument = entities[notebook]
        assert ids(action["instrument"]) == {notebook}
        assert "SoftwareSourceCode" in instrument["@type"]
        assert instrument["version"] == entries[0]["code"]["notebook_sha256"]
        hashes = {entities[i]["name"]: entities[i]["value"] for i in ids(instrument["identifier"])}
        assert hashes == entries[0]["code"]
        assert ids(action["object"]) == {f"data/{name}" for entry in entries for name in entry["data"]}
        assert ids(action["result"]) == {f"figures/{name}" for entry in entries for name in entry["files"]}
        versions = {
            entities[i]["name"]: entities[i]["version"] for i in ids(instrument["softwareRequirements"])
        }
        assert versions == {k: v for k, v in entries[0]["packages"].items() if v}


def test_the_crate_reads_back_with_rocrate(site_crate):
    crate = ROCrate(site_crate)
    assert crate.root_dataset["name"] == load_metadata()["title"]
    assert crate.version == "1.3"
    action = crate.dereference("#run-training")
    assert action.type == "CreateAction" and action["instrument"].id == "chapters/training.ipynb"
    assert {e.id for e in action["object"]} >= {"data/training_constraints.csv"}
    assert (
        crate.dereference("figures/fig-tenure.svg")["sha256"]
        == manifest()["fig-tenure"]["files"]["fig-tenure.svg"]
    )


def test_the_same_records_give_the_same_bytes(site_crate, tmp_path):
    again = ro.write(tmp_path / "again")
    assert again.read_bytes() == (site_crate / ro.CRATE_FILE).read_bytes()


# --- where it is written -------------------------------------------------------------------------


def test_the_data_zip_holds_a_crate_that_validates_with_its_files(tmp_path, http_cache):
    archive = datazip.write(tmp_path / "data.zip")
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path / "unzipped")
    (folder,) = (tmp_path / "unzipped").iterdir()
    entities = graph(folder)
    assert (
        "age.csv" in entities
        and "figures/fig-tenure.svg" in entities
        and "chapters/training.ipynb" in entities
    )
    assert hash_mismatches(folder) == []
    assert ro.validate(folder, "ro-crate-1.3", http_cache) == []


def test_the_data_zip_refuses_data_its_figures_were_not_made_from(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, copy)
    (copy / "trusts.csv").write_text("changed\n", encoding="utf-8")
    monkeypatch.setattr(paths, "DATA_DIR", copy)
    with pytest.raises(ro.CrateError, match=r"^trusts\.csv: sha256 on disk differs from the record"):
        datazip.write(tmp_path / "data.zip")


def test_a_rebuilt_site_keeps_no_file_of_the_last_crate_that_the_new_one_does_not_list(tmp_path):
    site = tmp_path / "html"
    (site / "figures").mkdir(parents=True)
    (site / "chapters").mkdir()
    (site / "figures" / "fig-dropped.svg").write_text("<svg/>", encoding="utf-8")
    (site / "chapters" / "dropped.ipynb").write_text("{}", encoding="utf-8")
    (site / "chapters" / "training.html").write_text("<p>a page</p>", encoding="utf-8")
    ro.with_crate(site)
    assert not (site / "figures" / "fig-dropped.svg").exists()
    assert not (site / "chapters" / "dropped.ipynb").exists()
    assert (site / "chapters" / "training.html").exists() and (site / "chapters" / "training.ipynb").exists()


def test_make_book_publishes_the_site_with_its_crate_and_files(built_small_book):
    """The small book (one chapter, the appendix stub, the catalogue), built as make book builds."""
    site = built_small_book / "_build" / "html"
    entities = graph(site)
    made = provenance.read_manifest(built_small_book / "figures")
    assert {i for i, e in entities.items() if e.get("@type") == "CreateAction"} == {
        f"#run-{Path(entry['notebook']).stem}" for entry in made.values()
    }
    assert {f"figures/{name}" for entry in made.values() for name in entry["files"]} <= set(entities)
    assert hash_mismatches(site) == []
    with zipfile.ZipFile(next(site.glob("nhsreport-data-*.zip"))) as archive:
        assert any(name.endswith("/" + ro.CRATE_FILE) for name in archive.namelist())


def test_each_cite_block_and_the_figures_page_link_the_crate():
    entry = manifest()["fig-tenure"]
    block = cite_blocks.source_data_html("fig-tenure", entry, lambda target, resource=1: "../" + target)
    assert f'href="../{ro.CRATE_FILE}"' in block
    page = (paths.CHAPTERS_DIR / "figures_and_tables.md").read_text(encoding="utf-8")
    assert f"../{ro.CRATE_FILE}" in page
