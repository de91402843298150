"""The build: stale notebooks (and only they) are executed, a data change reaches every output
that depends on it, and the book builds with Sphinx warnings as errors."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nhsreport import paths

PROJECT_FILES = ("_config.yml", "_toc.yml", "index.md", "bibliography.md", "references.bib",
                 "CITATION.cff", "requirements.txt")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A private copy of the book's sources, so tests can edit data and notebooks freely."""
    root = tmp_path_factory.mktemp("book")
    for folder in ("chapters", "data", "figures", "_static"):
        shutil.copytree(paths.PROJECT_ROOT / folder, root / folder)
    for name in PROJECT_FILES:
        shutil.copy(paths.PROJECT_ROOT / name, root / name)
    for generated in (root / "figures").iterdir():   # regenerate every figure from scratch
        if generated.name != "published_labels.json":
            generated.unlink()
    return root


def run_executor(root, *args):
    env = dict(os.environ, NHSREPORT_ROOT=str(root), NHSREPORT_DATA=str(root / "data"),
               NHSREPORT_FIGURES=str(root / "figures"))
    result = subprocess.run([sys.executable, "-m", "nhsreport.execute", *args], env=env,
                            capture_output=True, text=True, cwd=root)
    executed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("executing ")]
    return result, executed


def notebooks_reading(root, data_file):
    stamps = (root / "_build" / ".execution").glob("*.json")
    return sorted(f"chapters/{s.stem}.ipynb" for s in stamps
                  if data_file in json.loads(s.read_text())["fingerprint"]["data"])


def glued_text(notebook, name):
    cells = json.loads(notebook.read_text())["cells"]
    for cell in cells:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                return output["data"]["application/papermill.record/text/plain"]
    raise KeyError(name)


def edit_data_cell(root, file, match, column, value):
    import csv
    from nhsreport.datapackage import read, with_current_hashes, write_json
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


def test_changing_a_data_file_executes_exactly_the_notebooks_that_read_it(project):
    readers = notebooks_reading(project, "tenure.csv")
    assert readers, "some notebook must read tenure.csv"
    before_svg = (project / "figures" / "fig-tenure.svg").read_bytes()
    edit_data_cell(project, "tenure.csv", {"trust": "care", "measure": "in_nhs"}, "mean_years", "23.34")
    # ...and the pages that list figures read figures/manifest.json, which those readers rewrite.
    expected = sorted(set(readers) | set(notebooks_reading(project, "manifest.json")))
    result, executed = run_executor(project)
    assert result.returncode == 0, result.stderr
    assert sorted(executed) == expected
    # No stale output survives: the glued number and the figure both changed.
    assert glued_text(project / "chapters" / "who_was_studied.ipynb", "care_in_nhs") == "23.34"
    assert (project / "figures" / "fig-tenure.svg").read_bytes() != before_svg


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
