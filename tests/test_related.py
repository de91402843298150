"""What the chapter 'Related evidence' promises: every work the review cites under its themes is
cited in the chapter, the per-theme tables add up to the transcribed citations, and the works with
no reference-list entry are shown as printed and flagged."""

import re

import nbformat

from nhsreport import paths
from nhsreport.analyses import related_evidence as related
from nhsreport.data.load import validate

NOTEBOOK = paths.CHAPTERS_DIR / "related_evidence.ipynb"


def notebook_text():
    """Markdown sources and every text output of the saved notebook."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    parts = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for output in cell.get("outputs", []):
            for value in output.get("data", {}).values():
                parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def test_every_ref_key_is_cited_in_the_chapter(data):
    text = notebook_text()
    cited = set(re.findall(r"\{cite:[tp]\}`([^`]+)`", text))
    missing = [k for k in related.cited_keys(data["related_studies"]) if k not in cited]
    assert not missing, missing


def test_every_source_document_is_cited_in_the_chapter(data):
    text = notebook_text()
    for key in ("powell2016doctors", "nihr2014managementknowledge", "petchey_frontline"):
        assert f"`{key}`" in text


def test_every_cited_key_exists_in_the_bibliography():
    bib = (paths.PROJECT_ROOT / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M))
    cited = set(re.findall(r"\{cite:[tp]\}`([^`]+)`", notebook_text()))
    assert cited <= keys, cited - keys


def test_the_theme_table_has_one_row_per_theme_and_every_citation(data):
    studies, themes = data["related_studies"], data["related_themes"]
    table = related.studies_by_theme_table(studies, themes)
    assert list(table["Theme"]) == [1, 2, 3, 4, 5, 6]
    assert table["Works"].sum() == len(studies)
    per_theme = related.works_per_theme(studies, themes)
    assert ((per_theme["only_here"] + per_theme["shared"]) == per_theme["works"]).all()


def test_a_citation_without_a_reference_is_shown_as_printed_and_flagged(data):
    studies = data["related_studies"]
    table = related.studies_by_theme_table(studies, data["related_themes"])
    for row in related.missing_references(studies).itertuples(index=False):
        cell = table[table["Theme"] == int(row.theme_id.split("-")[1])].iloc[0, -1]
        assert f"{row.cited_work} (not in the review's reference list)" in str(cell)
        assert "*not in the review's reference list*" in cell.myst  # flagged in italics


def test_blanking_a_ref_key_removes_it_from_the_citations_and_flags_the_work(data, data_copy):
    rows = data_copy.rows("related_studies.csv")
    counts = data["related_studies"]["ref_key"].value_counts()
    number = next(i for i, r in enumerate(rows, 1) if r["ref_key"] and counts[r["ref_key"]] == 1)
    key, work, theme = (
        rows[number - 1]["ref_key"],
        rows[number - 1]["cited_work"],
        rows[number - 1]["theme_id"],
    )
    data_copy.set_cell("related_studies.csv", number, "ref_key", "")
    broken = validate(data_copy.folder)
    studies = broken["related_studies"]
    assert key not in related.cited_keys(studies)
    assert len(related.cited_keys(studies)) == len(related.cited_keys(data["related_studies"])) - 1
    assert work in set(related.missing_references(studies)["cited_work"])
    table = related.studies_by_theme_table(studies, broken["related_themes"])
    cell = table[table["Theme"] == int(theme.split("-")[1])].iloc[0, -1]
    assert f"{work} (not in the review's reference list)" in str(cell)
    assert "*not in the review's reference list*" in cell.myst


def test_the_comparison_takes_the_sample_size_from_table_3_2(data):
    participants = data["sample_participants"]
    table = related.comparison_table(data["related_themes"], int(participants["count"].sum()), 3)
    assert f"sample of {int(participants['count'].sum())} managers" in table.iloc[0]["How"]


def test_the_notebook_prose_types_no_numbers():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"\{(glue:text|glue:figure|cite:[tp]|download|numref)\}`[^`]*`", "", cell.source)
        text = re.sub(r"^```\{glue:figure\}.*$|^:name:.*$", "", text, flags=re.M)
        text = re.sub(r"\b(pp?\.|Table|Tables|Figure|chapters?|section)\s+[\d.–-]+( to \d+)?", "", text)
        assert not re.search(r"\d", text), re.findall(r".{30}\d.{10}", text)
