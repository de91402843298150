"""``make pdf``: the whole book as one PDF, built offline.

Sphinx renders the book as a single HTML page (the same executed chapters, numbers and
citations as the site); Chromium, driven by Playwright, prints it with a title page, PDF
bookmarks from the headings, vector figures (the SVGs) and embedded fonts. The PDF lands in
``_build/pdf/`` and, when the site has been built, beside it in ``_build/html`` so the site's
link to it resolves.

    python -m nhsreport.pipeline.pdf
"""

import functools
import html
import http.server
import shutil
import threading
from contextlib import contextmanager

from .. import paths
from ..presentation.citation import load_metadata
from .book import run_sphinx

SOURCE = paths.PROJECT_ROOT / "_build" / "pdfsource"
OUTPUT = paths.PROJECT_ROOT / "_build" / "pdf"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Printed page layout: A4, page numbers in the footer.
PAGE = {
    "format": "A4",
    "outline": True,
    "tagged": True,
    "print_background": True,
    "display_header_footer": True,
    "header_template": "<span></span>",
    "footer_template": '<div style="font-size:8px;width:100%;text-align:center;">'
    '<span class="pageNumber"></span></div>',
    "margin": {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
}


def file_name(metadata=None):
    metadata = metadata or load_metadata()
    return f"nhsreport-{metadata['version']}.pdf"


def single_page():
    """Build the book as one HTML page, warnings as errors; return its folder."""
    result = run_sphinx(SOURCE, builder="singlehtml")
    if result.returncode != 0:
        raise SystemExit(f"the single-page build failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return SOURCE / "_build" / "singlehtml"


def title_page(metadata):
    """The title page, written from metadata.yml (the one place for the report's identity)."""
    url = metadata.get("url") or "not yet published (local build)"
    licences = metadata["licenses"]
    return (
        '<section class="pdf-title-page">'
        f'<p class="pdf-title">{html.escape(metadata["title"])}</p>'
        f'<p class="pdf-version">Version {html.escape(metadata["version"])}, '
        f"{html.escape(str(metadata['date-released']))}</p>"
        f"<p>{html.escape(', '.join(a['name'] for a in metadata['authors']))}</p>"
        f"<p>A reproducible re-presentation of the study by Bresnen, Hodgson, Bailey, Hyde and "
        f"Hassard (2017), <i>Managing Modern Healthcare</i>, Routledge.</p>"
        f"<p>Site: {html.escape(url)}</p>"
        f"<p>Code: {html.escape(licences['code'])}; data and text: "
        f"{html.escape(licences['data-and-text'])}.</p>"
        "</section>"
    )


@contextmanager
def served(folder):
    """Serve a folder on localhost: the page's own scripts and styles load as on the site."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *arguments):
        pass


def print_pdf(folder, destination, metadata):
    from playwright.sync_api import sync_playwright

    with served(folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(base + "index.html", wait_until="load")
        page.emulate_media(media="print")
        page.evaluate(
            "(title) => document.querySelector('main').insertAdjacentHTML('afterbegin', title)",
            title_page(metadata),
        )
        page.pdf(path=str(destination), **PAGE)
        browser.close()


def build():
    metadata = load_metadata()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    destination = OUTPUT / file_name(metadata)
    print_pdf(single_page(), destination, metadata)
    site = paths.PROJECT_ROOT / "_build" / "html"
    if site.exists():
        shutil.copy(destination, site / destination.name)
    return destination


if __name__ == "__main__":
    print(build().relative_to(paths.PROJECT_ROOT))
