"""One fact, one telling: every count the report states about its own checks (contradictions,
claims checked, totals matched, exact statements, places where the book disagrees with itself,
levels stated and inferred) is computed once, by nhsreport.analyses.self_checks, and every page
that tells it shows that value.

And the appendix speaks to readers: no register id, check expression, data file name or module
path in its tables or in any page's searchable text; the registers with ids are downloads.
"""

import re
from pathlib import Path

import jupytext
import nbformat
from projectcopy import glued_values, shown_as_text

from nhsreport import paths
from nhsreport.analyses import appendix_reproducibility as appendix
from nhsreport.analyses import self_checks, training
from nhsreport.data.load import validate

COUNT_NAMES = [name for family in self_checks.FAMILY_NAMES for name in family]
#: {glue:text}`name`, {glue:text}`chapters/x.ipynb::name:s` ...
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`(?:([\w/.-]+\.ipynb)::)?([\w-]+)(?::[^`]*)?`")
#: A count typed into prose next to the words these counts are told with ('in 4 places', 'all 53
#: totals', '4 are exact'): a number that should have been glued.
TYPED_COUNT = re.compile(
    r"\b\d+\s+(?:totals?|claims?|places|statements|checks|are exact|contradict\w*|names? no level)\b"
    r"|\b(?:of the|all)\s+\d+\s+(?:totals|claims|checks|statements)\b"
)
#: What the check language of data/TRANSCRIPTION.md looks like: a call over a data resource.
CHECK_EXPRESSION = re.compile(r"\b(?:sum|value|rows|distinct)\(\s*[a-z_]+\.[a-z_]+")
#: A register's id (claims c1-052, motives m-03, training checks tc01); tables put a word joiner
#: (U+2060) after each hyphen, so it may stand between.
REGISTER_ID = re.compile(r"\bc[12]-\u2060?\d{3}\b|\bm-\u2060?\d{2}\b|\btc\d{2}\b")


def code_of(source):
    return "\n".join(cell.source for cell in source.cells if cell.cell_type == "code")


def prose_of(source):
    return "\n".join(cell.source for cell in source.cells if cell.cell_type == "markdown")


def chapter_sources():
    return {path.name: jupytext.read(path) for path in sorted(paths.CHAPTERS_DIR.glob("*.md"))}


def tellings(pages):
    """{count name: [(page, notebook or None)]} for every glue role of a count in the pages' text."""
    found = {}
    for page, text in pages.items():
        for notebook, name in GLUE_ROLE.findall(text):
            if name in COUNT_NAMES:
                found.setdefault(name, []).append((page, notebook or None))
    return found


def divergent_tellings(notebooks, counts):
    """{name: {notebook: value}} for every count some notebook glues with another value than
    the one computation gives, or under its name from more than one notebook."""
    bad = {}
    for name in COUNT_NAMES:
        values = {nb: values[name] for nb, values in notebooks.items() if name in values}
        if len(values) > 1 or any(value != self_checks.told(name, counts) for value in values.values()):
            bad[name] = values
    return bad


# --- one computation ----------------------------------------------------------------------------


def test_every_count_has_one_name_in_one_family():
    assert len(COUNT_NAMES) == len(set(COUNT_NAMES))
    assert len(self_checks.FAMILIES) == len(self_checks.FAMILY_NAMES)


def test_each_family_computes_exactly_the_names_it_lists(data):
    for compute, names in zip(self_checks.FAMILIES, self_checks.FAMILY_NAMES):
        assert set(compute(data)) == set(names)


def test_no_chapter_glues_a_count_by_hand():
    """A chapter tells a count only through self_checks.glue_counts, never chapter.glue."""
    by_hand = {
        name: page
        for page, source in chapter_sources().items()
        for name in re.findall(r"chapter\.glue\(\s*[\"']([\w-]+)[\"']", code_of(source))
        if name in COUNT_NAMES
    }
    assert by_hand == {}


def test_every_page_that_tells_a_count_shows_the_one_computed_value(data):
    notebooks = {
        path.name: {name: shown_as_text(text) for name, text in glued_values(path).items()}
        for path in sorted(paths.CHAPTERS_DIR.glob("*.ipynb"))
    }
    counts = self_checks.all_counts(data)
    assert divergent_tellings(notebooks, counts) == {}
    pages = {name: prose_of(source) for name, source in chapter_sources().items()}
    pages["index.md"] = (paths.PROJECT_ROOT / "index.md").read_text(encoding="utf-8")
    told = tellings(pages)
    # the home page, the chapters and the appendix all tell some of these counts
    assert {"index.md", "appendix_reproducibility.md", "training.md"} <= {
        p for uses in told.values() for p, _ in uses
    }
    for name, uses in told.items():
        (glued_by,) = [nb for nb, values in notebooks.items() if name in values]
        for page, notebook in uses:
            # a page shows the value of the one notebook that glues it, its own or named
            assert (notebook or page.replace(".md", ".ipynb")).endswith(glued_by), (name, page)


def test_the_check_finds_a_count_told_two_ways():
    counts = {name: 1 for name in COUNT_NAMES}
    same = {"a.ipynb": {"totals": "one"}}
    assert divergent_tellings(same, counts) == {}
    assert divergent_tellings({"a.ipynb": {"totals": "two"}}, counts) == {"totals": {"a.ipynb": "two"}}
    twice = {"a.ipynb": {"totals": "one"}, "b.ipynb": {"totals": "one"}}
    assert set(divergent_tellings(twice, counts)) == {"totals"}


def test_no_count_about_the_checks_is_typed_into_prose():
    pages = {name: prose_of(source) for name, source in chapter_sources().items()}
    pages["index.md"] = (paths.PROJECT_ROOT / "index.md").read_text(encoding="utf-8")
    typed = {page: TYPED_COUNT.findall(GLUE_ROLE.sub("", text)) for page, text in pages.items()}
    assert {page: found for page, found in typed.items() if found} == {}
    assert TYPED_COUNT.findall("In 4 places it dates") and TYPED_COUNT.findall("all 53 totals printed")


def test_the_counts_told_agree_with_each_other(data):
    counts = self_checks.all_counts(data)
    # 'all N totals ... agree' on the home page and in the appendix
    assert counts["totals_agree"] == counts["totals"] == counts["totals_in_tables"] + counts["totals_in_text"]
    verdicts = ("claims_agree", "claims_rounded", "claims_contradict", "claims_contradict_on_proxy")
    assert counts["claims_checkable"] == sum(counts[name] for name in verdicts)
    assert counts["claims"] == counts["claims_checkable"] + counts["claims_unchecked"]
    assert (
        counts["training_statements"]
        == counts["training_statements_exact"] + counts["training_statements_read"]
    )
    levels = ("rec_stated_points", "rec_inferred_points", "rec_mixed_points", "rec_none_points")
    assert sum(counts[name] for name in levels) == counts["rec_points"]


# --- the register decides, and every count follows --------------------------------------------


def claim_row(data_copy, claim_id):
    rows = data_copy.rows("claims.csv")
    return next(i for i, row in enumerate(rows, start=1) if row["claim_id"] == claim_id)


def test_changing_the_register_changes_every_count_that_depends_on_it(data, data_copy):
    before = self_checks.all_counts(data)
    # the 9 'clinical managers' of the prose checked against the doctors, no longer as a proxy
    data_copy.set_cell("claims.csv", claim_row(data_copy, "c2-023"), "check_basis", "")
    after = self_checks.all_counts(validate(data_copy.folder))
    assert after["claims_contradict"] == before["claims_contradict"] + 1
    assert after["claims_contradict_on_proxy"] == before["claims_contradict_on_proxy"] - 1
    assert after["claims"] == before["claims"]


def test_a_pair_of_passages_from_chapter_2_is_counted_by_the_context_chapter(data):
    rows = self_checks.chapter2_tension_rows(data)
    assert [(row[2][:4], row[3][:4]) for row in rows] == [("2009", "2010")]
    counted = self_checks.context_conflict_count(data)["context_conflicts"]
    without = self_checks.timeline.conflicts_table(
        data["timeline_events"], data["nhs_management_periods"], data["training_programmes"]
    )
    assert counted == len(without) + len(rows)


def test_training_statements_are_counted_as_table_4_1_lists_them(data):
    counts = self_checks.training_statement_counts(data["training_constraints"])
    table = training.statements_table(data["training_constraints"])
    assert counts["training_statements"] == len(table)
    assert counts["training_statements_exact"] == (table["Used as"] == "exact statement").sum()


# --- the appendix speaks to readers -------------------------------------------------------------


def unreadable(text):
    """Register ids, check expressions, data file names and module paths found in reader text."""
    return (
        REGISTER_ID.findall(text)
        + CHECK_EXPRESSION.findall(text)
        + re.findall(r"\b[a-z_]+\.csv\b", text)
        + re.findall(r"\bnhsreport\.[a-z_.]+", text)
    )


def test_the_reader_check_finds_ids_expressions_files_and_modules():
    assert unreadable("as claims c1-052 and m-03 say") == ["c1-052", "m-03"]
    assert unreadable("c1-\u2060224 in a table cell") == ["c1-\u2060224"]
    assert unreadable("sum(sample_participants.count; trust=acute)") == ["sum(sample_participants.count"]
    assert unreadable("from `claims.csv` via nhsreport.analyses.training") == [
        "claims.csv",
        "nhsreport.analyses.training",
    ]
    assert unreadable("76 per cent of 68 managers, pp. 84–85") == []


def appendix_tables(notebook):
    """The Markdown of every table a chapter notebook shows (its displayed outputs)."""
    return [
        output["data"]["text/markdown"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "text/markdown" in output.get("data", {})
    ]


def test_the_appendix_tables_hold_no_ids_expressions_files_or_modules():
    notebook = nbformat.read(paths.CHAPTERS_DIR / "appendix_reproducibility.ipynb", as_version=4)
    tables = appendix_tables(notebook)
    assert len(tables) >= 6
    for table in tables:
        # the download link of each table names its own CSV: that is a link, not a cell
        cells = re.sub(r"\{download\}`[^`]*`", "", table)
        assert unreadable(cells) == [], cells[:300]


def test_no_chapter_table_shows_a_register_id():
    found = {}
    for path in sorted(paths.CHAPTERS_DIR.glob("*.ipynb")):
        for table in appendix_tables(nbformat.read(path, as_version=4)):
            found.setdefault(path.name, []).extend(REGISTER_ID.findall(table))
    assert {name: ids for name, ids in found.items() if ids} == {}


def test_the_registers_with_ids_are_downloads_linked_from_the_appendix():
    page = (paths.CHAPTERS_DIR / "appendix_reproducibility.md").read_text(encoding="utf-8")
    links = re.findall(r"\{download\}`[^`<]*<\.\./figures/(reg-[a-z-]+\.csv)>`", page)
    assert {"reg-appendix-claims.csv", "reg-appendix-printed-totals.csv"} <= set(links)
    for name in links:
        header = (paths.FIGURES_DIR / name).read_text(encoding="utf-8").splitlines()[0]
        assert header
    claims = (paths.FIGURES_DIR / "reg-appendix-claims.csv").read_text(encoding="utf-8")
    assert "c2-020" in claims and appendix.PROXY_CONTRADICTS in claims


def searchable_text(site):
    """Every page's text as the search index holds it, and the text of every page."""
    yield "searchindex.js", (site / "searchindex.js").read_text(encoding="utf-8")
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
        yield str(page.relative_to(site)), re.sub(r"<[^>]+>", " ", html)


def test_no_page_or_search_snippet_shows_a_check_expression(built_project):
    site = Path(built_project) / "_build" / "html"
    found = {name: CHECK_EXPRESSION.findall(text) for name, text in searchable_text(site)}
    assert {name: hits for name, hits in found.items() if hits} == {}
