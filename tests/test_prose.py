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
