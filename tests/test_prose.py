"""The prose types no number: every number a reader sees in the text is glued from the notebook.

Allowed digits are source locators (p. 35, pp. 35-36, Table 3.2, Figure 3.1, chapter 5) and fixed
labels that contain digits (age bands such as 40-50, salary grades such as 8a). Everything else
must come from `{glue:text}` so that it changes when the data change. The rules live here once and
run over the chapters' text sources (``chapters/*.md``), where prose is written.
"""

import re

import jupytext
import pytest

from nhsreport.contents import chapter_sources

MARKUP = [
    re.compile(r"\{[a-z:]+\}`[^`]*`"),  # roles: {glue:text}`x`, {cite:t}`k`, {numref}`l`
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"^\s*(```|:::).*$", re.M),  # directive fences
    re.compile(r"^\s*:[a-z_-]+:.*$", re.M),  # directive options (:name:, :alt:, ...)
    re.compile(r"^\(.*\)=\s*$", re.M),  # labels
    re.compile(r"\]\([^)]*\)"),  # link targets
]
LOCATORS = re.compile(
    r"\b(?:pp?\.\s*\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+)*"
    r"|(?:[Tt]ables?|[Ff]igures?|[Cc]hapters?|[Ss]ections?|[Rr]ecommendations?|[Ee]ndnotes?|[Nn]otes?)\s+\d+(?:\.\d+)?"
    r"(?:(?:\s*(?:,|and|to|–|-)\s*)\d+(?:\.\d+)?)*"
    r"|\d+[–-]\d+\b|\d+\+|\b[0-9][a-d]\b(?:\s*[–-]\s*[0-9][a-d]\b)?"
    r"|\b(?:source|sources)\s+0\d\d\b|\b00\d\b)"
)
DIGITS = re.compile(r"\d")


def prose_cells():
    for source in chapter_sources():
        for index, cell in enumerate(jupytext.read(source).cells):
            if cell.cell_type == "markdown":
                yield source.name, index, cell.source


def typed_numbers(text):
    for pattern in MARKUP:
        text = pattern.sub(" ", text)
    text = LOCATORS.sub(" ", text)
    return [line.strip() for line in text.splitlines() if DIGITS.search(line)]


@pytest.mark.parametrize(
    "chapter,index,text",
    list(prose_cells()),
    ids=lambda v: v if isinstance(v, str) and v.endswith(".md") else None,
)
def test_no_number_is_typed_into_the_prose(chapter, index, text):
    assert typed_numbers(text) == [], f"{chapter} cell {index}: glue these numbers"


def test_the_check_catches_a_typed_number():
    assert typed_numbers("In all, 68 managers took part (Table 3.2, p. 35).") != []
    assert typed_numbers("In all, {glue:text}`n` managers took part (Table 3.2, p. 35).") == []


# --- two numberings kept apart --------------------------------------------------------------
# The source's tables and figures are always named as the source's ("the book's Table 3.2, p. 35",
# "the NIHR report's Figure 2"); the report's own are always cross-references ({numref}), never
# typed. A bare "Table 3.2" could mean either, so it is refused.

SOURCE_NUMBER = re.compile(r"\b(?:Tables?|Figures?)\s+\d+(?:\.\d+)?")
SOURCE_OWNER = re.compile(r"(?:book's|report's|book’s|report’s)(?:\s+unprinted)?\s*$")
WINDOW = 40


def bare_source_references(text):
    """Typed table or figure numbers not marked as the book's or the NIHR report's."""
    for pattern in MARKUP[:2]:
        text = pattern.sub(" ", text)
    bare = []
    for match in SOURCE_NUMBER.finditer(text):
        before = text[max(0, match.start() - WINDOW) : match.start()]
        # "the book's Tables 3.2 and 3.3": a list continues the owner named before it.
        before = re.sub(r"(?:Tables?|Figures?)?\s*\d+(?:\.\d+)?\s*(?:,|and|to|–|-)\s*$", "", before)
        if not SOURCE_OWNER.search(before.rstrip(" (")):
            bare.append(text[max(0, match.start() - 20) : match.end()].replace("\n", " "))
    return bare


def rendered_markdown(source):
    """Markdown the chapter's code displays (table captions and notes), from the executed notebook."""
    import json

    notebook = json.loads(source.with_suffix(".ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text:
                yield "".join(text)


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda s: s.name)
def test_every_source_table_or_figure_is_named_as_the_sources(source):
    texts = [cell.source for cell in jupytext.read(source).cells if cell.cell_type == "markdown"]
    texts += list(rendered_markdown(source))
    assert [b for text in texts for b in bare_source_references(text)] == []


def test_the_numbering_check_catches_a_bare_source_table():
    assert bare_source_references("Source: Table 3.2 (p. 35).") != []
    assert bare_source_references("As {numref}`tbl-sample` shows (the book's Table 3.2, p. 35).") == []
    assert bare_source_references("the book's Tables 3.2 and 3.3") == []
