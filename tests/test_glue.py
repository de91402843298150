"""No dead glue: every value a chapter glues (``chapter.glue(name, value)``) is shown on some
page, as {glue:text}`name`, {glue:}`name`, a {glue:figure} directive or the like, possibly from
another page (`notebook.ipynb::name`). A glued value no page uses is a number computed, stored
in the notebook and never read.

The names are read from the executed notebooks (glue names can be built in loops), the uses from
every page's source (chapters/*.md and the book's other Markdown pages).
"""

import re

import nbformat

from nhsreport import paths
from nhsreport.contents import chapter_sources

#: {glue}`name`, {glue:text}`name:.0f`, {glue:md}`chapters/x.ipynb::name` ...
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
#: ```{glue:figure} name  or  :::{glue} name
GLUE_DIRECTIVE = re.compile(r"^[`:]{3,}\{glue(?::\w+)?\}\s+(\S+)", re.MULTILINE)


def glued_names(notebook):
    """The names a notebook glues (myst-nb keeps each under the output's ``scrapbook`` key)."""
    return {
        output.metadata["scrapbook"]["name"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "scrapbook" in output.get("metadata", {})
    }


def glue_uses(text):
    """The glued names a page's source shows, without the notebook prefix or the format."""
    found = GLUE_ROLE.findall(text) + GLUE_DIRECTIVE.findall(text)
    return {use.split("::")[-1].split(":")[0] for use in found}


def unused_glue(notebooks, pages):
    """{name: notebook} for every glued name no page uses."""
    used = set().union(*(glue_uses(text) for text in pages))
    return {name: source for source, notebook in notebooks.items() for name in glued_names(notebook) - used}


def book_pages():
    sources = list(chapter_sources()) + sorted(paths.PROJECT_ROOT.glob("*.md"))
    return [path.read_text(encoding="utf-8") for path in sources]


def chapter_notebooks():
    return {
        path.name: nbformat.read(path, as_version=4) for path in sorted(paths.CHAPTERS_DIR.glob("*.ipynb"))
    }


def test_every_glued_value_is_shown_on_some_page():
    notebooks = chapter_notebooks()
    assert sum(len(glued_names(notebook)) for notebook in notebooks.values()) > 100
    assert unused_glue(notebooks, book_pages()) == {}


def test_the_check_catches_a_glued_value_no_page_shows():
    notebooks = chapter_notebooks()
    pages = book_pages()
    without = [text.replace("{glue:text}`participation_pct:.0f`", "most") for text in pages]
    assert unused_glue(notebooks, without) == {"participation_pct": "who_was_studied.ipynb"}
    assert glue_uses("{glue:text}`chapters/x.ipynb::n:.1f` and\n```{glue:figure} fig-a\n") == {"n", "fig-a"}
