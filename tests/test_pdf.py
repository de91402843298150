"""The whole book as one PDF, part of the site `make book` builds: a title page, contents with
bookmarks, every numbered figure and table, the bibliography, and embedded fonts; linked from the
home page and every page's footer; built again only when one of its inputs changed."""

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin

import pypdfium2
import pytest
from bs4 import BeautifulSoup
from projectcopy import append_line, published, run_book
from pypdf import PdfReader

from nhsreport import paths
from nhsreport.pipeline import pdf
from nhsreport.presentation.citation import load_metadata

PDF_NAME = pdf.file_name()
KEPT = "pdf unchanged"
BUILT = "pdf built in"


@pytest.fixture(scope="session")
def pdf_file(built_project):
    """The PDF of the site that a from-scratch `make book` published."""
    return built_project / "_build" / "html" / PDF_NAME


@pytest.fixture(scope="session")
def book_pdf(pdf_file):
    return PdfReader(pdf_file)


def texts_of(pdf_file):
    """The text of each page, spaces collapsed (read by PDFium: pypdf takes 6-12 s for it)."""
    document = pypdfium2.PdfDocument(pdf_file)
    return [re.sub(r"\s+", " ", page.get_textpage().get_text_bounded()) for page in document]


@pytest.fixture(scope="session")
def page_texts(pdf_file):
    return texts_of(pdf_file)


@pytest.fixture(scope="session")
def book_text(page_texts):
    return " ".join(page_texts)


def outline_titles(outline):
    for item in outline:
        if isinstance(item, list):
            yield from outline_titles(item)
        else:
            yield re.sub(r"\s+", " ", item.title)


def unembedded_fonts(reader):
    missing = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            files = ("/FontFile", "/FontFile2", "/FontFile3")
            if descriptor is None or not any(k in descriptor.get_object() for k in files):
                missing.add(str(font.get("/BaseFont")))
    return missing


def test_the_pdf_opens_with_a_title_page_naming_the_report_and_its_version(page_texts):
    metadata = load_metadata()
    assert metadata["short-title"] in page_texts[0] and f"Version {metadata['version']}" in page_texts[0]
    assert len(page_texts) >= 40


def test_the_pdf_has_bookmarks_for_every_chapter(book_pdf):
    titles = " | ".join(outline_titles(book_pdf.outline))
    for chapter in ("Who was studied", "Networks", "Bibliography"):
        assert chapter.lower() in titles.lower(), titles[:500]


def test_every_numbered_figure_and_table_of_the_site_is_in_the_pdf(built_project, book_text):
    site_numbers = set()
    for page in (built_project / "_build" / "pdfsource" / "_build" / "singlehtml").glob("*.html"):
        site_numbers |= set(re.findall(r'caption-number">((?:Fig\.|Figure|Table) [\d.]+)', page.read_text()))
    manifest = json.loads((paths.FIGURES_DIR / "manifest.json").read_text(encoding="utf-8"))
    numbered = [label for label, entry in manifest.items() if entry["kind"] in ("figure", "table")]
    assert len(site_numbers) >= len(numbered) - 2  # every labelled output is numbered (not registers)
    assert sorted(n for n in site_numbers if n.strip() not in book_text) == []


def test_the_pdf_has_citations_and_a_bibliography(book_text):
    assert "Bresnen" in book_text and "Routledge" in book_text


def test_every_font_in_the_pdf_is_embedded(book_pdf):
    assert unembedded_fonts(book_pdf) == set()


# --- the PDF is part of the site -------------------------------------------------------------


def pdf_links(page, site):
    """(where in the page, the file each link to the PDF leads to) for one built page."""
    soup = BeautifulSoup(page.read_bytes(), "html.parser")
    found = []
    for link in soup.find_all("a", href=True):
        if unquote(link["href"]).split("/")[-1] != PDF_NAME:
            continue
        place = (
            "footer"
            if link.find_parent("footer") or link.find_parent(class_=re.compile("footer"))
            else "text"
        )
        target = Path(unquote(urljoin(page.relative_to(site).as_posix(), link["href"])))
        found.append((place, site / target))
    return found


def test_the_site_carries_the_pdf_it_was_built_with(built_project, pdf_file):
    kept = built_project / "_build" / "pdf" / PDF_NAME
    assert pdf_file.read_bytes()[:5] == b"%PDF-"
    assert pdf_file.read_bytes() == kept.read_bytes()
    assert pdf.is_current(kept, pdf.inputs_digest(built_project, built_project / "src" / "nhsreport"))


def test_the_home_page_and_every_footer_link_the_pdf_and_each_link_resolves(built_project, pdf_file):
    site = built_project / "_build" / "html"
    pages = sorted(site.glob("*.html")) + sorted(site.glob("chapters/*.html"))
    assert len(pages) > 10
    links = {page: pdf_links(page, site) for page in pages}
    assert "text" in [place for place, _ in links[site / "index.html"]], "the home page does not link the PDF"
    no_footer_link = [str(p.relative_to(site)) for p, found in links.items() if "footer" not in dict(found)]
    assert no_footer_link == []
    broken = [
        (str(p.relative_to(site)), str(t))
        for p, found in links.items()
        for _, t in found
        if t != pdf_file or not t.is_file()
    ]
    assert broken == []


@pytest.fixture
def small_book_with_pdf(built_small_book_with_pdf, tmp_path):
    """A private copy of the small book whose site carries its PDF: the build machinery's promises
    about the PDF (kept when nothing changed; a failed print publishes nothing) hold for any book,
    and printing the small one takes a fraction of the real book's time."""
    root = tmp_path / "small-book"
    shutil.copytree(built_small_book_with_pdf, root, symlinks=True)
    return root


def run_logged(root):
    """`make book` on a copy of the project: (its output, the PDF the site carries)."""
    run = run_book(root, pdf=True)
    assert run.result.returncode == 0, run.result.stdout[-3000:] + run.result.stderr[-3000:]
    return run.result.stdout, root / "_build" / "html" / PDF_NAME


def test_a_rebuild_with_nothing_changed_keeps_the_pdf(small_book_with_pdf):
    before = (small_book_with_pdf / "_build" / "html" / PDF_NAME).read_bytes()
    log, site_pdf = run_logged(small_book_with_pdf)
    assert KEPT in log and BUILT not in log, log
    assert site_pdf.read_bytes() == before


def test_editing_a_chapters_prose_builds_the_pdf_again_with_the_new_words(project):
    sentence = "Proofreaders checked this sentence on every page of the printed book."
    append_line(project / "chapters" / "who_was_studied.md", "\n" + sentence)
    log, site_pdf = run_logged(project)
    assert BUILT in log and KEPT not in log, log
    assert sentence in " ".join(texts_of(site_pdf))
    log, _ = run_logged(project)
    assert KEPT in log and BUILT not in log, log  # and then it is kept again


@pytest.mark.parametrize(
    "edit",
    [
        lambda root: append_line(root / "references.bib", "% a comment the bibliography ignores"),
        lambda root: append_line(root / "_static" / "nhsreport.css", "/* a comment */"),
        lambda root: append_line(root / "src" / "nhsreport" / "pipeline" / "pdf.py", "# a comment"),
        lambda root: (root / "figures" / "fig-sample-composition.svg").write_bytes(
            (root / "figures" / "fig-sample-composition.svg").read_bytes() + b"\n"
        ),
    ],
    ids=["bibliography", "styles", "pdf code", "figure"],
)
def test_every_kind_of_input_is_in_the_pdfs_stamp(built_project, tmp_path, edit):
    """Judged on the stamp alone (building four PDFs to show it would take minutes)."""
    root = tmp_path / "copy"
    shutil.copytree(built_project, root, ignore=shutil.ignore_patterns("_build"))
    package = root / "src" / "nhsreport"
    before = pdf.inputs_digest(root, package)
    edit(root)
    assert pdf.inputs_digest(root, package) != before


def published_with_pdf(root):
    """The bytes of every published page and of the site's PDF."""
    return published(root) | {PDF_NAME: (root / "_build" / "html" / PDF_NAME).read_bytes()}


def test_a_pdf_that_cannot_be_built_fails_the_build_in_one_line_and_the_last_good_site_stays(
    small_book_with_pdf,
):
    root = small_book_with_pdf
    before = published_with_pdf(root)
    code = root / "src" / "nhsreport" / "pipeline" / "pdf.py"
    code.write_text(code.read_text().replace('CHROMIUM = "/usr/bin/chromium"', 'CHROMIUM = "/bin/false"'))
    append_line(root / "chapters" / "who_was_studied.md", "\nA sentence the failed build must not publish.")
    run = run_book(root, pdf=True)
    assert run.result.returncode == 1
    problem, *rest = run.result.stderr.strip().splitlines()
    assert problem.startswith("The whole-book PDF failed: Chromium could not print the book"), (
        run.result.stderr
    )
    assert rest == ["Nothing was published: the previous book in _build/html is unchanged."]
    assert published_with_pdf(root) == before
