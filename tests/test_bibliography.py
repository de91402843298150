"""Citations in the text read author-year, and an author list BibTeX ends with "and others" reads
"et al.", never as a person called "others"."""

from pybtex.database import parse_file

from nhsreport import paths
from nhsreport.build.bibliography_style import AuthorYearEtAlReferenceStyle


def in_text_authors(key):
    style = AuthorYearEtAlReferenceStyle()
    entry = parse_file(paths.PROJECT_ROOT / "references.bib").entries[key]
    node = style.person.author_or_editor_or_title(full=False)
    return node.format_data({"entry": entry, "style": style}).render_as("text")


def test_an_author_list_ending_in_others_is_cited_as_et_al():
    assert in_text_authors("bresnen2014being") == "Bresnen et al."


def test_two_authors_are_both_named():
    assert in_text_authors("powell2016doctors") == "Powell and Davies"


def test_the_book_uses_the_et_al_citation_style():
    config = (paths.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "bibtex_reference_style: author_year_etal" in config
