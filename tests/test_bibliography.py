"""Citations in the text read author-year, and an author list BibTeX ends with "and others" reads
"et al.", never as a person called "others"."""

from pybtex.database import parse_file

from nhsreport import paths
from nhsreport.pipeline import bibliography_style
from nhsreport.pipeline.bibliography_style import AuthorYearEtAlReferenceStyle


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


def test_the_backend_looked_up_for_every_citation_is_found_without_scanning_installed_packages(monkeypatch):
    import pybtex.plugin
    from pybtex.backends.plaintext import Backend

    bibliography_style.register()

    def no_scan(**_):
        raise AssertionError("scanned every distribution's entry points")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_scan)
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext") is Backend
