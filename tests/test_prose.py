"""The prose types no number: every number a reader sees in the text is glued from the notebook.

Allowed digits are source locators (p. 35, pp. 35-36, Table 3.2, Figure 3.1, chapter 5) and fixed
labels that contain digits (age bands such as 40-50, salary grades such as 8a). Everything else
must come from `{glue:text}` so that it changes when the data change. The rules live here once and
run over the chapters' text sources (``chapters/*.md``), where prose is written.
"""

import ast
import re

import jupytext
import pytest
from projectcopy import glued_values, shown_as_text

from nhsreport import paths
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
SOURCE_OWNER = re.compile(r"(?:book's|report's|book’s|report’s)(?:\s+(?:unprinted|own))?\s*$")
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


# --- sentences a person would write ------------------------------------------------------------
# Checked on the text a reader sees: each page's prose with every {glue:text} value put in, as the
# executed notebook holds it, plus the captions and notes the chapter's code displays. A zero is a
# statement ("no cell"), "n of n" is "all n", counts below ten are words, and no sentence opens
# with a numeral. Tables, figure labels, page and table numbers, years and decimals keep digits.

GLUE_TEXT = re.compile(r"\{glue:text\}`(?:([^`:]+\.ipynb)::)?([^`:]+)(?::([^`]*))?`")
OTHER_ROLES = re.compile(r"\{(?:cite:[pt]|numref|ref|doc|download|term|eq)\}`[^`]*`")
DIRECTIVE_LINES = re.compile(r"^\s*(?:```|:::|:[a-z_-]+:|\(.*\)=\s*$|\+\+\+|#\s*!).*$", re.M)
CODE = re.compile(r"```\{code-cell\}.*?```", re.S)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
TABLE_ROW = re.compile(r"^\s*\|.*$", re.M)
SOURCE_PLACES = re.compile(
    r"\b(?:pp?\.|[Pp]ages?|[Tt]ables?|[Ff]igures?|[Cc]hapters?|[Ss]ections?|[Rr]ecommendations?|"
    r"[Ss]ub-points?|[Rr]ows?|[Ee]ndnotes?|[Nn]otes?|[Ll]ines?|version|HS&DR|\d{4};)\s*\d+(?:\.\d+)*"
    r"(?:\s*(?:,|and|to|–|-)\s*\d+(?:\.\d+)*)*"
)
QUOTED = re.compile(r'"[^"\n]*"|“[^”]*”')
ALLOWED_NUMBERS = re.compile(
    r"\d[\d,]*\.\d+"  # decimals: 1.6, 61.8
    r"|\b(?:1[89]|20)\d\d(?:s|/\d+)?\b"  # years and spans: 2009, 1990s, 2012/13
    r"|\d+\s*[–-]\s*\d+|\d+\+|[+−]\d+|\b\d[a-d]\b"  # bands, ranges, grades, signed: 40–50, 60+, 8a, +1
    r"|\d+(?:\s*%|\s*per\s*cent|\s*percent|:\d+|\s*years?\b|\s*times\b|\s*to one\b|m\b|\s*million\b|\s*thousand\b)"
    r"|[£$]\s*\d[\d,]*"  # money
    r"|\b(?:source|sources)\s+0\d\d\b|\b00\d\b|\b\d{3,}(?=\))"
)


def shown(text, spec):
    """A glued value as {glue:text} renders it: strings without their quotes, numbers formatted."""
    if text[:1] in ("'", '"'):
        return shown_as_text(text)
    if spec and spec != "s":
        return format(ast.literal_eval(text), spec)
    return text


def page_text(page, notebooks):
    """A page's reader text: its Markdown with glue values put in, code cells and tables left out,
    then the captions and notes its code displays. ``notebooks`` maps a notebook's path relative
    to the project (``chapters/x.ipynb``) to its glued values."""
    own = notebooks.get(f"chapters/{page.stem}.ipynb", {})
    markdown = CODE.sub(" ", FRONT_MATTER.sub("", page.read_text(encoding="utf-8")))
    if page.with_suffix(".ipynb").exists():
        markdown += "\n\n" + "\n\n".join(rendered_markdown(page))

    def put_in(match):
        notebook, name, spec = match.groups()
        values = notebooks[notebook] if notebook else own
        return shown(values[name], spec)

    text = GLUE_TEXT.sub(put_in, markdown)
    text = OTHER_ROLES.sub("Ref", text)
    text = TABLE_ROW.sub(" ", DIRECTIVE_LINES.sub(" ", text))
    return re.sub(r"\*\*|\*|_(?=\w)|(?<=\w)_|`", "", text)


def sentences(text):
    """Sentences and list items, with source places (p. 35, Table 3.2) masked so that a full stop
    inside them does not end a sentence, and text in double quotes (printed as the source prints
    it) masked too."""
    text = QUOTED.sub("Quote", SOURCE_PLACES.sub("Place", text))
    for block in re.split(
        r"\n\s*\n|\n\s*[-*+]\s+|\n\s*\d+\.\s+(?=[A-Z])|^\s*[-*+]\s+|^#+\s.*$", text, flags=re.M
    ):
        block = " ".join(block.split())
        yield from (s for s in re.split(r"(?<=[.!?])\s+(?=\S)", block) if s)


def unnatural_numbers(text):
    """What a person would not have written, one line per finding."""
    found = []
    for sentence in sentences(text):
        if re.match(r"[(\[\"'‘“]?\d", sentence):
            found.append(f"opens with a numeral: {sentence[:70]}")
        for k, n in re.findall(r"\b(\d[\d,]*) of (?:the |its |their )?(\d[\d,]*)\b", sentence):
            if k == n:
                found.append(f"'{k} of {n}' (write 'all {n}'): {sentence[:70]}")
        counts = ALLOWED_NUMBERS.sub("Number", sentence)
        for match in re.finditer(r"(?<![\w.,/#])(\d)(?![\w.,/%:°])", counts):
            digit = match.group(1)
            what = "a bare 0 (say 'no ...')" if digit == "0" else f"the count {digit} in digits"
            found.append(f"{what}: {sentence[:70]}")
    return found


def reader_pages():
    return [*chapter_sources(), *sorted(paths.PROJECT_ROOT.glob("index.md"))]


@pytest.fixture(scope="module")
def all_glued_values():
    return {f"chapters/{p.name}": glued_values(p) for p in sorted(paths.CHAPTERS_DIR.glob("*.ipynb"))}


@pytest.mark.parametrize("page", reader_pages(), ids=lambda p: p.name)
def test_the_reader_meets_sentences_a_person_would_write(page, all_glued_values):
    assert unnatural_numbers(page_text(page, all_glued_values)) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The grid has 0 cells in which the type varies.",
        "Four checks were run (the count of uncertain bracketed cells is 0).",
        "Of these, 0 are flagged as errors of the source.",
        "In all, 136 of 136 match.",
        "There are 1 × labels in reverse order.",
        "68 managers took part.",
        "The book names 3 trusts.",
        "- 42 of the managers had a clinical background.",
    ],
)
def test_the_sentence_check_catches_machine_made_wording(sentence):
    assert unnatural_numbers(sentence) != []


@pytest.mark.parametrize(
    "sentence",
    [
        "No cell of the grid says so, and all 136 match (the book's Table 3.2, p. 35; pp. 180–183).",
        "Of the 92 managers approached in three trusts, 68 took part (74 per cent, 1.6 to one).",
        "The 40–50 band and the 60+ band; grades 8a to 8d; in 2009 and 2012/13; £270m; 4:1.",
        "Sub-point 6.2 of recommendation 6 is partly stated; nine of 12 were women.",
    ],
)
def test_the_sentence_check_lets_a_persons_sentence_pass(sentence):
    assert unnatural_numbers(sentence) == []


def test_the_wording_helper_says_counts_as_a_person_would():
    from nhsreport.presentation import wording

    assert [wording.number(n) for n in (0, 1, 9, 10, 5700)] == ["zero", "one", "nine", "10", "5,700"]
    assert [wording.count(n, "cell") for n in (0, 1, 3, 12)] == [
        "no cell",
        "one cell",
        "three cells",
        "12 cells",
    ]
    assert [wording.part(k, n) for k, n in ((0, 12), (2, 2), (136, 136), (9, 12))] == [
        "none of the 12",
        "both",
        "all 136",
        "nine of 12",
    ]
    assert [wording.listed(x) for x in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == [
        "",
        "A",
        "A and B",
        "A, B and C",
    ]
    assert (
        unnatural_numbers(f"In all, {wording.part(136, 136)} match; {wording.count(0, 'cell')} varies.") == []
    )
