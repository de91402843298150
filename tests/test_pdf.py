"""The whole book as one PDF: a title page, contents with bookmarks, every numbered figure and
table, the bibliography, and embedded fonts. Built offline by Chromium (skipped without it,
except in CI)."""

import json
import os
import re
import shutil

import pypdfium2
import pytest
from pypdf import PdfReader

from nhsreport import paths
from nhsreport.pipeline import pdf
from nhsreport.presentation.citation import load_metadata


@pytest.fixture(scope="session")
def pdf_file():
    if not shutil.which(pdf.CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {pdf.CHROMIUM} (CI must build the PDF)")
        pytest.skip(f"Chromium is missing at {pdf.CHROMIUM}; install it to build the PDF")
    return pdf.build()


@pytest.fixture(scope="session")
def book_pdf(pdf_file):
    return PdfReader(pdf_file)


@pytest.fixture(scope="session")
def page_texts(pdf_file):
    """The text of each page, spaces collapsed (read by PDFium: pypdf takes 6-12 s for it)."""
    document = pypdfium2.PdfDocument(pdf_file)
    return [re.sub(r"\s+", " ", page.get_textpage().get_text_bounded()) for page in document]


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


def test_every_numbered_figure_and_table_of_the_site_is_in_the_pdf(book_text):
    site_numbers = set()
    for page in (paths.PROJECT_ROOT / "_build" / "pdfsource" / "_build" / "singlehtml").glob("*.html"):
        site_numbers |= set(re.findall(r'caption-number">((?:Fig\.|Figure|Table) [\d.]+)', page.read_text()))
    manifest = json.loads((paths.FIGURES_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert len(site_numbers) >= len(manifest) - 2  # every labelled output is numbered
    assert sorted(n for n in site_numbers if n.strip() not in book_text) == []


def test_the_pdf_has_citations_and_a_bibliography(book_text):
    assert "Bresnen" in book_text and "Routledge" in book_text


def test_every_font_in_the_pdf_is_embedded(book_pdf):
    assert unembedded_fonts(book_pdf) == set()
