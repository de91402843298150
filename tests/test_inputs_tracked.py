"""Every input of an output is tracked: a change to any of them re-makes exactly what depends on
it, and nothing stale is published.

The executor's record of a chapter (``_build/.execution/<chapter>.json``) names every project
module the chapter imported, whenever it imported it, and every project file it read: data files
by their path, each resource's schema, ``metadata.yml``, ``references.bib``, ``CITATION.cff``,
``_toc.yml`` and the figures manifest. The site's pages are read again when their source or an
input shared by every page changes in content (not in modification time), and files no build
writes any more leave the site.
"""

import json
import os
import re
import subprocess
import sys
from types import SimpleNamespace

from projectcopy import (
    append_line,
    chapters_reading,
    environment,
    glued_text,
    manifest,
    run_book,
    run_executor,
    stamps,
)

from nhsreport.pipeline import fresh_site

# --- the executor's record -------------------------------------------------------------------

GLUE_ONLY_CELL = """
```{code-cell} ipython3
:tags: [remove-cell]

from nhsreport import glued_only

glue("a_number_from_a_late_import", glued_only.VALUE, display=False)
```
"""


def test_a_module_imported_after_the_last_output_only_to_glue_a_number_is_an_input(small_book):
    """The figures catalogue's last cell imports a module after the chapter's last read of the
    manifest. On the small book, whose other chapter must then not run again."""
    module = small_book / "src" / "nhsreport" / "glued_only.py"
    module.write_text("VALUE = 41\n", encoding="utf-8")
    append_line(small_book / "chapters" / "figures_and_tables.md", GLUE_ONLY_CELL)
    first = run_executor(small_book)
    assert first.result.returncode == 0, first.result.stderr
    assert "nhsreport.glued_only" in stamps(small_book)["figures_and_tables"]["modules"]

    module.write_text("VALUE = 42\n", encoding="utf-8")
    second = run_executor(small_book)
    assert second.result.returncode == 0, second.result.stderr
    assert "who_was_studied" in stamps(small_book)  # a chapter that must not run again
    assert sorted(second.executed) == ["figures_and_tables"]
    notebook = small_book / "chapters" / "figures_and_tables.ipynb"
    assert glued_text(notebook, "a_number_from_a_late_import") == "42"


def test_a_year_changed_in_references_bib_reaches_the_csv_downloads_of_the_chapters_that_cite_it(
    executed_project,
):
    readers = chapters_reading(executed_project, "references.bib")
    assert "related_evidence" in readers
    bib = executed_project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    entry = re.search(r"@article\{hoque2004freedom,.*?\n\}", text, re.S).group(0)
    bib.write_text(text.replace(entry, entry.replace("year = {2004}", "year = {2005}")), encoding="utf-8")
    run = run_executor(executed_project)
    assert run.result.returncode == 0, run.result.stderr
    assert sorted(set(readers) - set(run.executed)) == []
    works = (executed_project / "figures" / "tbl-related-recurring-works.csv").read_text(encoding="utf-8")
    assert "Hoque et al. (2005)" in works and "Hoque et al. (2004)" not in works
    assert manifest(executed_project)["tbl-related-recurring-works"]["sources"]["references.bib"]


def test_a_renamed_data_file_re_executes_its_readers_and_the_manifest_names_the_new_file(small_book):
    readers = chapters_reading(small_book, "data/tenure.csv")
    assert readers
    assert "tenure.csv" in {file for entry in manifest(small_book).values() for file in entry["data"]}
    data = small_book / "data"
    (data / "tenure.csv").rename(data / "tenure_renamed.csv")
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["path"] == "tenure.csv":
            resource["path"] = "tenure_renamed.csv"
    (data / "datapackage.json").write_text(json.dumps(package, indent=1) + "\n", encoding="utf-8")
    regenerated = subprocess.run(
        [sys.executable, "-m", "nhsreport.data.package"],
        env=environment(small_book),
        capture_output=True,
        text=True,
    )
    assert regenerated.returncode == 0, regenerated.stderr
    run = run_executor(small_book)
    assert run.result.returncode == 0, run.result.stderr
    assert set(readers) <= set(run.executed)
    named = {file for entry in manifest(small_book).values() for file in entry["data"]}
    assert "tenure_renamed.csv" in named and "tenure.csv" not in named


def test_a_new_version_in_metadata_reaches_the_figures_catalogue_without_re_executing_it(small_book):
    """The catalogue's citations are the one generator's, written as the site is built, so a new
    version re-executes no chapter and still shows on every page that cites the report."""
    assert "figures_and_tables" not in chapters_reading(small_book, "CITATION.cff")
    bump_version(small_book, "0.2.0")
    run = run_book(small_book)
    assert run.result.returncode == 0, run.result.stdout[-3000:] + run.result.stderr[-3000:]
    assert "figures_and_tables" not in run.executed
    site = small_book / "_build" / "html"
    for page in ("chapters/figures_and_tables.html", "index.html", "chapters/who_was_studied.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "version 0.2.0" in text and "version 0.1.0" not in text, page


def test_a_schema_change_re_executes_the_readers_of_that_resource_only(executed_project):
    readers = chapters_reading(executed_project, "data/datapackage.json#tenure")
    assert readers and "networks" not in readers
    package_path = executed_project / "data" / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    tenure = next(r for r in package["resources"] if r["name"] == "tenure")
    tenure["description"] = tenure.get("description", "") + " (edited)"
    package_path.write_text(json.dumps(package, indent=1) + "\n", encoding="utf-8")
    run = run_executor(executed_project)
    assert run.result.returncode == 0, run.result.stderr
    assert set(readers) <= set(run.executed) and "networks" not in run.executed


def bump_version(root, version):
    metadata = root / "metadata.yml"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(re.sub(r"(?m)^version: .*$", f'version: "{version}"', text), encoding="utf-8")
    written = subprocess.run(
        [sys.executable, "-m", "nhsreport.pipeline.release_files", "write"],
        env=environment(root),
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert written.returncode == 0, written.stderr


# --- the site ---------------------------------------------------------------------------------


def test_a_page_edited_and_given_an_old_modification_time_is_published_anew(small_book):
    settled = run_book(small_book)  # a copy in a new folder is read afresh once: settle that first
    assert settled.result.returncode == 0, settled.result.stderr[-3000:]
    index = small_book / "index.md"
    append_line(index, "\nA sentence added under an old date.\n")
    os.utime(index, (946684800, 946684800))  # 2000-01-01: older than the last read
    run = run_book(small_book)
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    assert (
        "A sentence added under an old date." in (small_book / "_build" / "html" / "index.html").read_text()
    )


def test_a_title_edited_twice_in_references_bib_reaches_every_citation_tooltip(small_book):
    page = small_book / "_build" / "html" / "chapters" / "who_was_studied.html"
    bib = small_book / "references.bib"
    original = "Managing Modern Healthcare: Knowledge, Networks and Practice"
    for title in ("A first new title", "A second new title"):
        text = bib.read_text(encoding="utf-8")
        bib.write_text(text.replace(original, title), encoding="utf-8")
        original = title
        run = run_book(small_book)
        assert run.result.returncode == 0, run.result.stderr[-3000:]
        assert title in page.read_text(encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    assert "A first new title" not in html and "Knowledge, Networks and Practice" not in html


def test_a_new_version_leaves_no_download_of_the_old_one_on_the_site(small_book):
    bump_version(small_book, "0.2.0")
    run = run_book(small_book)
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    site = small_book / "_build" / "html"
    assert sorted(p.name for p in site.glob("nhsreport-data-*.zip")) == ["nhsreport-data-0.2.0.zip"]
    pages = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "nhsreport-data-0.1.0.zip" not in pages


def test_files_no_build_writes_any_more_are_found_stale(tmp_path):
    """Pages of removed chapters, older downloads, unused download folders and images, and the
    source data of outputs gone from the manifest; everything current is kept."""
    site = tmp_path / "html"
    keep = [
        "index.html",
        "search.html",
        "chapters/kept.html",
        "_sources/chapters/kept.ipynb",
        "nhsreport-data-0.2.0.zip",
        "_downloads/abc/table.csv",
        "_downloads/source-data/fig-kept.svg",
        "_images/kept.svg",
        "_static/anything.html",
        "build-record.json",
    ]
    stale = [
        "chapters/removed.html",
        "_sources/chapters/removed.ipynb",
        "nhsreport-data-0.1.0.zip",
        "nhsreport-0.1.0.pdf",
        "_downloads/source-data/fig-renamed.svg",
        "_images/unused.png",
    ]
    for name in keep + stale + ["_downloads/old/table.csv"]:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x")
    env = SimpleNamespace(
        found_docs={"index", "chapters/kept"},
        dlfiles={"figures/table.csv": ({"chapters/kept"}, "abc/table.csv")},
        images={"figures/kept.svg": ({"chapters/kept"}, "kept.svg")},
    )
    found = fresh_site.stale_files(site, env, {"nhsreport-data-0.2.0.zip"}, {"fig-kept.svg"})
    assert sorted(p.relative_to(site).as_posix() for p in found) == sorted(stale + ["_downloads/old"])


def test_an_output_a_chapter_no_longer_makes_leaves_the_manifest_and_figures(small_book):
    source = small_book / "chapters" / "who_was_studied.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace('"fig-tenure",', '"fig-tenure-renamed",'), encoding="utf-8")
    run = run_executor(small_book)
    assert run.result.returncode == 0, run.result.stderr
    entries = manifest(small_book)
    assert "fig-tenure-renamed" in entries and "fig-tenure" not in entries
    left = sorted(p.name for p in (small_book / "figures").glob("fig-tenure.*"))
    assert left == [], left
