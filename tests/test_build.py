"""The build: stale notebooks (and only they) are executed, a data change reaches every output
that depends on it, and the book builds with Sphinx warnings as errors."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nhsreport import paths

PROJECT_FILES = (
    "_config.yml",
    "_toc.yml",
    "index.md",
    "bibliography.md",
    "references.bib",
    "CITATION.cff",
    "requirements.txt",
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A private copy of the book's sources, so tests can edit data and notebooks freely."""
    root = tmp_path_factory.mktemp("book")
    for folder in ("chapters", "data", "figures", "_static"):
        shutil.copytree(paths.PROJECT_ROOT / folder, root / folder)
    for name in PROJECT_FILES:
        shutil.copy(paths.PROJECT_ROOT / name, root / name)
    for generated in (root / "figures").iterdir():  # regenerate every figure from scratch
        if generated.name != "published_labels.json":
            generated.unlink()
    return root


def run_executor(root, *args):
    env = dict(
        os.environ,
        NHSREPORT_ROOT=str(root),
        NHSREPORT_DATA=str(root / "data"),
        NHSREPORT_FIGURES=str(root / "figures"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "nhsreport.build.execute", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=root,
    )
    executed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("executing ")]
    return result, executed


def notebooks_reading(root, data_file):
    stamps = (root / "_build" / ".execution").glob("*.json")
    return sorted(
        f"chapters/{s.stem}.ipynb"
        for s in stamps
        if data_file in json.loads(s.read_text())["fingerprint"]["data"]
    )


def glued_text(notebook, name):
    cells = json.loads(notebook.read_text())["cells"]
    for cell in cells:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                return output["data"]["application/papermill.record/text/plain"]
    raise KeyError(name)


def build_html(root):
    """What `make book` runs after the executor: an incremental Sphinx build, warnings as errors."""
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "jupyter-book"),
            "build",
            str(root),
            "--warningiserror",
            "--keep-going",
            "--builder",
            "html",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def glued_after(page, phrase):
    """The first glued (pasted) value on the page after ``phrase``."""
    return re.search(r'<span class="pasted-text">([^<]*)</span>', page[page.index(phrase) :]).group(1)


def published_tenure_outputs(root):
    """What a reader of the built site sees of Table 3.5's data: glued numbers, table row, figure,
    downloads and catalogue thumbnail, each read from the HTML and the files it points to."""
    html = root / "_build" / "html"
    page = (html / "chapters" / "who_was_studied.html").read_text(encoding="utf-8")
    catalogue = (html / "chapters" / "figures_and_tables.html").read_text(encoding="utf-8")
    tenure_table = page[page.index('id="tbl-tenure"') :]
    figure_src = re.search(r'id="fig-tenure">\s*<img [^>]*src="\.\./([^"]+)"', page).group(1)
    thumb_src = re.search(r'src="\.\./(_images/fig-tenure\.thumb\.png)"', catalogue).group(1)
    downloads = {
        Path(link).name: (html / link).read_bytes()
        for link in set(re.findall(r'href="\.\./(_downloads/[^"]+/(?:fig|tbl)-tenure\.[a-z]+)"', page))
    }
    return {
        "care_in_nhs": glued_after(page, "Care trust managers had been longest"),
        "specialist_outside_nhs": glued_after(page, "outside the NHS was greatest"),
        "table_row_care": re.search(r"<td><p>Care</p></td>.*?</tr>", tenure_table, re.S).group(0),
        "figure_on_page": (html / figure_src).read_bytes(),
        "downloads": downloads,
        "thumbnail": (html / thumb_src).read_bytes(),
    }


@pytest.fixture(scope="module")
def site_before_edit(project):
    """The built site of the executed copy, before any data change (a cache that could go stale)."""
    build_html(project)
    return published_tenure_outputs(project)


def edit_data_cell(root, file, match, column, value):
    import csv

    from nhsreport.data.package import read, with_current_hashes, write_json

    path = root / "data" / file
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if all(row[k] == v for k, v in match.items()):
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    write_json(root / "data" / "datapackage.json", with_current_hashes(read(root / "data"), root / "data"))


def test_a_first_build_executes_every_notebook(project):
    result, executed = run_executor(project)
    assert result.returncode == 0, result.stderr
    assert len(executed) == len(list((project / "chapters").glob("*.ipynb")))


def test_regenerated_figures_and_tables_are_byte_identical_to_the_committed_ones(project):
    committed = {p.name: p.read_bytes() for p in paths.FIGURES_DIR.iterdir()}
    regenerated = {p.name: p.read_bytes() for p in (project / "figures").iterdir()}
    assert sorted(regenerated) == sorted(committed)
    differing = sorted(name for name in committed if committed[name] != regenerated[name])
    assert differing == []


def test_regenerated_notebooks_equal_the_committed_ones(project):
    for notebook in (project / "chapters").glob("*.ipynb"):
        assert notebook.read_bytes() == (paths.CHAPTERS_DIR / notebook.name).read_bytes(), notebook.name


def test_a_rebuild_with_nothing_changed_executes_nothing(project):
    result, executed = run_executor(project)
    assert result.returncode == 0, result.stderr
    assert executed == []


def test_editing_prose_executes_nothing(project):
    notebook = project / "chapters" / "who_was_studied.ipynb"
    book = json.loads(notebook.read_text())
    markdown = next(c for c in book["cells"] if c["cell_type"] == "markdown")
    markdown["source"] = "".join(markdown["source"]) + "\n\nAn added sentence."
    notebook.write_text(json.dumps(book, indent=1))
    assert run_executor(project)[1] == []


def test_changing_a_data_file_executes_exactly_the_notebooks_that_read_it(project, site_before_edit):
    readers = notebooks_reading(project, "tenure.csv")
    assert readers, "some notebook must read tenure.csv"
    before_svg = (project / "figures" / "fig-tenure.svg").read_bytes()
    edit_data_cell(project, "tenure.csv", {"trust": "care", "measure": "in_nhs"}, "mean_years", "23.34")
    # ...and the pages that list figures read figures/manifest.json, which those readers rewrite.
    expected = sorted(set(readers) | set(notebooks_reading(project, "manifest.json")))
    result, executed = run_executor(project)
    assert result.returncode == 0, result.stderr
    assert sorted(executed) == expected
    # No stale output survives in the notebooks or figures/: the glued number and the figure changed.
    assert glued_text(project / "chapters" / "who_was_studied.ipynb", "care_in_nhs") == "23.34"
    assert (project / "figures" / "fig-tenure.svg").read_bytes() != before_svg


def test_the_rebuilt_site_shows_the_changed_value_everywhere_and_nothing_stale(project, site_before_edit):
    build_html(project)
    after = published_tenure_outputs(project)
    before = site_before_edit
    # The glued sentence and the table cell carry the new value; the other glued number does not move.
    assert (before["care_in_nhs"], after["care_in_nhs"]) == ("22.34", "23.34")
    assert "23.34" in after["table_row_care"] and "22.34" not in after["table_row_care"]
    assert after["specialist_outside_nhs"] == before["specialist_outside_nhs"]
    # The figure on the page, its downloads and its thumbnail are the regenerated files, not old copies.
    figures = project / "figures"
    assert after["figure_on_page"] != before["figure_on_page"]
    assert after["figure_on_page"].rstrip() == (figures / "fig-tenure.svg").read_bytes().rstrip()
    for name in ("fig-tenure.svg", "fig-tenure.png", "fig-tenure.pdf", "tbl-tenure.csv"):
        assert after["downloads"][name] != before["downloads"][name], name
        assert after["downloads"][name] == (figures / name).read_bytes(), name
    assert after["thumbnail"] != before["thumbnail"]
    assert after["thumbnail"] == (figures / "fig-tenure.thumb.png").read_bytes()


def test_bad_data_stops_the_build_before_any_notebook_runs(project):
    edit_data_cell(project, "age.csv", {"trust": "care", "age_band": "40-50"}, "count", "14")
    result, executed = run_executor(project)
    assert result.returncode != 0
    assert executed == []
    assert "data/age.csv" in result.stderr and "printed total" in result.stderr


def test_the_book_builds_with_warnings_as_errors(built_book):
    result, html = built_book
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert (html / "chapters" / "who_was_studied.html").exists()
