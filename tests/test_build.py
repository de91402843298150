"""The build: exactly the chapters whose inputs changed are executed, a change reaches every output
that depends on it and no other, and a failed build leaves nothing half-built looking valid.

Every test works on its own private copy of the project (package source included), copied from
one copy built from scratch by `make book` (the ``built_project`` fixture, warnings as errors), so
each passes when run by itself and in any order; a test that runs only the executor copies it
without its site (``executed_project``). Tests of the HTML step, and of an edit whose promise
the small book's chapters can fail, use a small book (the real package, data, one real chapter
and the figures catalogue; see projectcopy) built once per session: the real book's pages are
checked by test_browser.
"""

import re
import shutil
from pathlib import Path

from projectcopy import (
    append_line,
    chapters_importing,
    chapters_reading,
    edit_data_cell,
    glued_text,
    manifest,
    published,
    run_book,
    run_executor,
    stamps,
    tracked_outputs,
)

from nhsreport import paths
from nhsreport.pipeline import execute

# --- a first build ---------------------------------------------------------------------------


def test_a_first_build_executes_every_chapter_and_publishes_the_site(built_project):
    assert sorted(stamps(built_project)) == sorted(p.stem for p in (built_project / "chapters").glob("*.md"))
    assert (built_project / "_build" / "html" / "chapters" / "who_was_studied.html").exists()


def test_regenerated_figures_and_tables_are_byte_identical_to_the_committed_ones(built_project):
    committed = {p.name: p.read_bytes() for p in paths.FIGURES_DIR.iterdir()}
    regenerated = {p.name: p.read_bytes() for p in (built_project / "figures").iterdir()}
    assert sorted(regenerated) == sorted(committed)
    # Each was written again (the copy's committed files are dated to the epoch); the list of
    # published labels is an input, not an output.
    left_as_copied = [p.name for p in (built_project / "figures").iterdir() if p.stat().st_mtime_ns == 0]
    assert left_as_copied == ["published_labels.json"]
    assert sorted(name for name in committed if committed[name] != regenerated[name]) == []


def test_generated_notebooks_equal_the_committed_ones(built_project):
    generated = sorted((built_project / "chapters").glob("*.ipynb"))
    assert [p.name for p in generated] == sorted(p.name for p in paths.CHAPTERS_DIR.glob("*.ipynb"))
    # Names only: a diff of two whole notebooks is too long to read (or for pytest to show).
    differing = [p.name for p in generated if p.read_bytes() != (paths.CHAPTERS_DIR / p.name).read_bytes()]
    assert differing == []


# --- what a change executes ------------------------------------------------------------------


def test_a_source_is_read_afresh_once_edited_and_each_caller_gets_its_own_notebook(tmp_path):
    source = tmp_path / "who_was_studied.md"
    shutil.copy(paths.CHAPTERS_DIR / "who_was_studied.md", source)
    first = execute.notebook_from_source(source)
    first.cells[0].source = "changed by one caller"
    assert execute.notebook_from_source(source).cells[0].source != "changed by one caller"
    append_line(source, "\nAn added sentence.")
    assert "An added sentence." in execute.notebook_from_source(source).cells[-1].source


def test_a_rebuild_with_nothing_changed_executes_nothing(executed_project):
    run = run_executor(executed_project)
    assert run.result.returncode == 0, run.result.stderr
    assert run.executed == []


def test_editing_prose_executes_nothing_and_reaches_the_generated_notebook(executed_project):
    append_line(executed_project / "chapters" / "who_was_studied.md", "\nAn added sentence.")
    run = run_executor(executed_project)
    assert run.result.returncode == 0, run.result.stderr
    assert run.executed == []
    assert "An added sentence." in (executed_project / "chapters" / "who_was_studied.ipynb").read_text()


def test_editing_build_machinery_executes_no_chapter(executed_project):
    machinery = sorted((executed_project / "src" / "nhsreport" / "pipeline").glob("*.py"))
    assert len(machinery) > 10, "the build machinery's modules were not found"
    for module in machinery:
        append_line(module, "# an edit to the build machinery")
    run = run_executor(executed_project)
    assert run.result.returncode == 0, run.result.stderr
    assert run.executed == []


def test_editing_an_analysis_module_executes_exactly_the_chapters_that_import_it(small_book):
    """On the small book: the figures catalogue's module, which its other chapters do not import,
    so running them too would fail the test."""
    importers = chapters_importing(small_book, "nhsreport.analyses.figures_and_tables")
    assert importers == ["figures_and_tables"]
    assert "who_was_studied" in stamps(small_book)
    append_line(small_book / "src" / "nhsreport" / "analyses" / "figures_and_tables.py", "# an edit")
    # ...and the pages that list figures read figures/manifest.json, whose code hashes change.
    expected = sorted(set(importers) | set(chapters_reading(small_book, "figures/manifest.json")))
    run = run_executor(small_book)
    assert run.result.returncode == 0, run.result.stderr
    assert sorted(run.executed) == expected


def test_changing_a_data_file_executes_exactly_its_readers_and_changes_only_outputs_that_list_it(
    executed_project,
):
    readers = chapters_reading(executed_project, "data/tenure.csv")
    assert "who_was_studied" in readers and "networks" not in readers
    before, entries = tracked_outputs(executed_project), manifest(executed_project)
    edit_data_cell(
        executed_project, "tenure.csv", {"trust": "care", "measure": "in_nhs"}, "mean_years", "23.34"
    )
    expected = sorted(set(readers) | set(chapters_reading(executed_project, "figures/manifest.json")))
    run = run_executor(executed_project)
    assert run.result.returncode == 0, run.result.stderr
    assert sorted(run.executed) == expected
    assert glued_text(executed_project / "chapters" / "who_was_studied.ipynb", "care_in_nhs") == "23.34"
    after = tracked_outputs(executed_project)
    assert after["figures/fig-tenure.svg"] != before["figures/fig-tenure.svg"]
    # The manifest is complete: an output that does not list tenure.csv is byte-for-byte the same.
    unlisted = [label for label, entry in entries.items() if "tenure.csv" not in entry["data"]]
    assert unlisted, "some outputs must not depend on tenure.csv"
    for label in unlisted:
        for name in entries[label]["files"]:
            assert after[f"figures/{name}"] == before[f"figures/{name}"], name


def test_bad_data_stops_the_build_before_any_chapter_runs(executed_project):
    edit_data_cell(executed_project, "age.csv", {"trust": "care", "age_band": "40-50"}, "count", "14")
    run = run_executor(executed_project)
    assert run.result.returncode == 2
    assert run.executed == []
    assert "data/age.csv" in run.result.stderr and "printed total" in run.result.stderr


# --- all or nothing --------------------------------------------------------------------------


def test_a_failing_chapter_leaves_every_tracked_output_as_it_was_and_records_nothing(executed_project):
    before, stamps_before = tracked_outputs(executed_project), stamps(executed_project)
    edit_data_cell(
        executed_project, "tenure.csv", {"trust": "care", "measure": "in_nhs"}, "mean_years", "23.34"
    )
    append_line(executed_project / "src" / "nhsreport" / "analyses" / "networks.py", "def broken(:")
    first = run_executor(executed_project)
    assert first.result.returncode == 1
    assert "who_was_studied" in first.executed  # it ran, but its run is not kept
    assert "networks.md failed" in first.result.stderr
    assert tracked_outputs(executed_project) == before
    # A notebook that started has no record left (it must run again); the others keep theirs.
    assert {"who_was_studied", "networks"} <= set(first.executed)
    assert stamps(executed_project) == {k: v for k, v in stamps_before.items() if k not in first.executed}
    second = run_executor(executed_project)
    assert second.result.returncode == 1 and "networks.md failed" in second.result.stderr
    assert "who_was_studied" in second.executed


def test_a_warning_in_the_html_step_keeps_the_previous_site_and_fails_again_next_time(small_book):
    site, before = published(small_book), tracked_outputs(small_book)
    assert site, "the small book was built"
    append_line(small_book / "chapters" / "who_was_studied.md", "\nA value {glue:text}`no_such_value`.")
    for _ in range(2):  # the next build fails the same way until the cause is fixed
        run = run_book(small_book)
        assert run.result.returncode == 1
        assert "no_such_value" in run.result.stderr
        assert "previous book in _build/html is unchanged" in run.result.stderr
        assert published(small_book) == site
        assert tracked_outputs(small_book) == before


# --- the published site ----------------------------------------------------------------------


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
    figure_src = re.search(r'id="fig-tenure">\s*(?:<a [^>]*>)?<img [^>]*src="\.\./([^"]+)"', page).group(1)
    thumb_src = re.search(r'src="\.\./(_images/fig-tenure\.thumb\.png)"', catalogue).group(1)
    links = re.findall(r'href="\.\./(_downloads/[^"]+/(?:fig|tbl)-tenure\.[a-z]+)"', page)
    return {
        "care_in_nhs": glued_after(page, "Care trust managers had been longest"),
        "specialist_outside_nhs": glued_after(page, "outside the NHS was greatest"),
        "table_row_care": re.search(r"<td[^>]*><p>Care</p></td>.*?</tr>", tenure_table, re.S).group(0),
        "figure_on_page": (html / figure_src).read_bytes(),
        "downloads": {Path(link).name: (html / link).read_bytes() for link in set(links)},
        "thumbnail": (html / thumb_src).read_bytes(),
    }


def test_the_rebuilt_site_shows_a_changed_value_everywhere_and_nothing_stale(small_book):
    project = small_book
    before = published_tenure_outputs(project)
    edit_data_cell(project, "tenure.csv", {"trust": "care", "measure": "in_nhs"}, "mean_years", "23.34")
    append_line(project / "_static" / "nhsreport.css", "/* an edited stylesheet */")
    run = run_book(project)
    assert run.result.returncode == 0, run.result.stderr[-4000:]
    after = published_tenure_outputs(project)
    assert "an edited stylesheet" in (project / "_build" / "html" / "_static" / "nhsreport.css").read_text()
    # The glued sentence and the table cell carry the new value; the other glued number does not move.
    assert (before["care_in_nhs"], after["care_in_nhs"]) == ("22.34", "23.34")
    assert "23.34" in after["table_row_care"] and "22.34" not in after["table_row_care"]
    assert after["specialist_outside_nhs"] == before["specialist_outside_nhs"]
    # The figure on the page, its downloads and its thumbnail are the regenerated files.
    figures = project / "figures"
    assert after["figure_on_page"] != before["figure_on_page"]
    assert after["figure_on_page"].rstrip() == (figures / "fig-tenure.svg").read_bytes().rstrip()
    for name in ("fig-tenure.svg", "fig-tenure.png", "fig-tenure.pdf", "tbl-tenure.csv"):
        assert after["downloads"][name] != before["downloads"][name], name
        assert after["downloads"][name] == (figures / name).read_bytes(), name
    assert after["thumbnail"] != before["thumbnail"]
    assert after["thumbnail"] == (figures / "fig-tenure.thumb.png").read_bytes()
