"""Citations in the text read author-year, and an author list BibTeX ends with "and others" reads
"et al.", never as a person called "others". Two works of the same authors and year are cited
apart ("2013a", "2013b"), corporate authors sort by their name, and no report is called a
"Technical Report"."""

from functools import cache

from pybtex.backends.plaintext import Backend as PlaintextBackend
from pybtex.database import parse_file, parse_string
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

from nhsreport import paths
from nhsreport.pipeline import bibliography_style
from nhsreport.pipeline.bibliography_style import AuthorYearEtAlReferenceStyle, AuthorYearStyle


@cache
def bibliography_entries():
    return parse_file(paths.PROJECT_ROOT / "references.bib").entries


@cache
def reference_style():
    """The in-text citation style, made once as a build makes it once (pybtex finds the name style
    each of its parts uses by scanning every installed package's entry points)."""
    return AuthorYearEtAlReferenceStyle()


def in_text_authors(key, entries=None):
    style = reference_style()
    entry = (entries or bibliography_entries())[key]
    node = style.person.author_or_editor_or_title(full=False)
    return node.format_data({"entry": entry, "style": style}).render(PlaintextBackend())


def test_an_author_list_ending_in_others_is_cited_as_et_al():
    # synthetic entry (no work in references.bib lacks its authors any more)
    entries = parse_string("@book{x, author = {Bresnen and others}, title = {T}, year = {2014}}", "bibtex")
    assert in_text_authors("x", entries.entries) == "Bresnen et al."


@cache
def formatted_entries():
    """The bibliography list as the book formats it: {key: formatted entry}, in the list's order."""
    bibliography_style.register()
    return {entry.key: entry for entry in AuthorYearStyle().format_entries(bibliography_entries().values())}


@cache
def formatted_list():
    """(key, label, text) of every entry of the list, the text by pybtex's plain-text backend
    (render_as("text") would look it up by scanning every installed package, for each entry)."""
    backend = PlaintextBackend()
    return [(key, entry.label, entry.text.render(backend)) for key, entry in formatted_entries().items()]


def citation_in_text(key, role):
    """The in-text citation of ``key`` by a role ("t", "p", "year"), as plain text."""
    info = SphinxReferenceInfo(None, "index", "bibliography", key, None, "", "")
    style = reference_style()
    entry = bibliography_entries()[key]
    return str(format_references(style, role, [(entry, formatted_entries()[key], info)]))


def test_two_works_of_the_same_authors_and_year_are_cited_apart_in_the_text():
    assert citation_in_text("dickinson2013there", "t") == "Dickinson et al. [2013a]"
    assert citation_in_text("dickinson2013medical", "t") == "Dickinson et al. [2013b]"
    assert citation_in_text("dickinson2013medical", "p") == "[Dickinson et al., 2013b]"
    assert citation_in_text("dickinson2013there", "year") == "2013a"
    assert citation_in_text("powell2016doctors", "t") == "Powell and Davies [2016]"
    labels = {key: label for key, label, _ in formatted_list()}
    assert labels["dickinson2013there"] == "Dickinson et al. 2013a"


def test_the_list_sorts_corporate_authors_by_their_name():
    keys = [key for key, _, _ in formatted_list()]
    assert keys.index("britishmedicalassociation2005survey") < keys.index("brown2011quality")
    assert keys.index("braithwaite2004empirically") < keys.index("britishmedicalassociation2005survey")
    # "The King’s Fund" sorts under T, as its label reads
    assert (
        keys.index("taylor2008doctor")
        < keys.index("kingsfund2011future")
        < keys.index("thorne2002colonizing")
    )
    assert keys.index("kingsfund2014culture") < keys.index("witman2010doctor")


def test_no_report_is_called_a_technical_report_and_an_organisation_is_named_once():
    texts = {key: text for key, _, text in formatted_list()}
    assert [key for key, text in texts.items() if "Technical Report" in text] == []
    assert texts["kingsfund2011future"].startswith("The King’s Fund. The future of leadership")
    assert "Report, London, 2011." in texts["kingsfund2011future"]
    assert "Report, The King's Fund, London, 2012." in texts["bohmer2012instrumental"]
    assert (
        "Final report, NIHR Service Delivery and Organisation programme, 2013." in texts["dickinson2013there"]
    )


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


def test_the_study_is_listed_with_every_author_and_its_publisher():
    texts = {key: text for key, _, text in formatted_list()}
    assert texts["bresnen2014being"].startswith("M. Bresnen, D. Hodgson, S. Bailey, P. Hyde, and J. Hassard.")
    assert "Southampton (UK): NIHR Journals Library." in texts["bresnen2014being"]
    assert texts["bresnen2017managing"].startswith("Mike Bresnen, Damian Hodgson, Simon Bailey, Paula Hyde")
    assert "Routledge, 2017" in texts["bresnen2017managing"]
