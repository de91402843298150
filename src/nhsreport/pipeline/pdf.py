"""The whole book as one PDF, part of the site that ``make book`` publishes; built offline.

Sphinx renders the book as a single HTML page (the same executed chapters, numbers and
citations as the site); Chromium, driven by Playwright, prints it with a title page, PDF
bookmarks from the headings, vector figures (the SVGs) and embedded fonts.

``make book`` calls :func:`place_in` on the staged site before publishing it, so the site is
never published without its PDF, nor with an older one. The PDF is kept in ``_build/pdf/`` with a
stamp beside it: the sha256 of every input it was built from (:func:`inputs_digest`) and of its
own bytes. A build whose inputs are unchanged copies the kept PDF and says so; any change to an
input builds it again. A PDF that cannot be built fails the build with one line
(:class:`PdfFailed`), and the last good site stays.

    python -m nhsreport.pipeline.pdf     # make pdf: the PDF alone, into _build/pdf/
"""

import functools
import hashlib
import html
import http.server
import json
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .. import atomic, paths
from ..hashing import sha256_of
from ..presentation.citation import load_metadata
from . import execute, fresh_site
from .book import sphinx_problems, sphinx_run
from .build_record import pdf_name

SOURCE = paths.PROJECT_ROOT / "_build" / "pdfsource"
OUTPUT = paths.PROJECT_ROOT / "_build" / "pdf"
#: What the single-page book is made from, besides the project's code and the root's pages
#: (``*.md``): the executed notebooks, figures, styles and data, the identity and bibliography
#: files, the book's configuration and the pinned package versions.
INPUT_FOLDERS = ("chapters", "figures", "_static", "data")
INPUT_FILES = (
    "_config.yml",
    "_toc.yml",
    "references.bib",
    "metadata.yml",
    "CITATION.cff",
    "requirements.txt",
    "requirements-nodeps.txt",
)
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


class PdfFailed(Exception):
    """The PDF could not be built (one line: why); the previous site is untouched."""


def file_name(metadata=None):
    return pdf_name(metadata or load_metadata())


# --- what the PDF is made from, and whether the kept one still matches it ---------------------


def input_files(root, package=None):
    """(name, path) of every file the PDF is made from, named relative to the project (the
    code, this package or the ``package`` folder given, relative to its parent), so that a copy
    of the project keeps its stamp valid."""
    root = Path(root)
    package = Path(package or Path(__file__).resolve().parents[1])
    named = [(name, root / name) for name in INPUT_FILES]
    named += [(page.name, page) for page in sorted(root.glob("*.md"))]
    for folder in INPUT_FOLDERS:
        files = sorted(p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        named += [(p.relative_to(root).as_posix(), p) for p in files]
    code = fresh_site.extension_sources(package)
    named += [(p.relative_to(package.parent).as_posix(), p) for p in code]
    return named


def inputs_digest(root=None, package=None):
    """sha256 over every input of the PDF, each named (a missing file counts as such)."""
    digest = hashlib.sha256()
    for name, path in input_files(root or paths.PROJECT_ROOT, package):
        digest.update(f"{name}\0{fresh_site.sha256_file(path)}\0".encode())
    return digest.hexdigest()


def stamp_path(pdf):
    return pdf.with_name(pdf.name + ".inputs.json")


def is_current(pdf, digest):
    """Whether the kept PDF was built from these inputs and is the file that build wrote."""
    try:
        stamp = json.loads(stamp_path(pdf).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stamp.get("inputs") == digest and pdf.is_file() and stamp.get("pdf") == sha256_of(pdf)


def single_page(deadline=None):
    """Build the book as one HTML page, warnings as errors; return its folder."""
    run = sphinx_run(SOURCE, builder="singlehtml")
    try:
        result = run.build(deadline)
    finally:
        run.cancel()  # ends the process if the build was interrupted
    if result.returncode != 0:
        raise PdfFailed(
            f"the single-page book failed: {sphinx_problems(result.stdout + result.stderr).splitlines()[0]}"
        )
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


def chromium():
    """Debian's Chromium where installed, else the one Playwright keeps (``python -m playwright
    install chromium``, e.g. on macOS and Windows): None asks Playwright for its own."""
    return CHROMIUM if Path(CHROMIUM).exists() else None


def print_pdf(folder, destination, metadata):
    from playwright.sync_api import Error, sync_playwright

    try:
        with served(folder) as base, sync_playwright() as playwright:
            print_page(playwright, base, destination, metadata)
    except Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise PdfFailed(
            f"Chromium could not print the book ({first}); install Debian's chromium "
            f"({CHROMIUM}) or run: python -m playwright install chromium"
        ) from None


def print_page(playwright, base, destination, metadata):
    browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
    try:
        page = browser.new_page()
        page.goto(base + "index.html", wait_until="load")
        page.emulate_media(media="print")
        page.evaluate(
            "(title) => document.querySelector('main').insertAdjacentHTML('afterbegin', title)",
            title_page(metadata),
        )
        page.pdf(path=str(destination), **PAGE)
    finally:
        browser.close()


def build(deadline=None):
    """Build the PDF into ``_build/pdf/`` now, whole or not at all; return its path."""
    metadata = load_metadata()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    destination = OUTPUT / file_name(metadata)
    partial = OUTPUT / f".{destination.name}.partial"
    print_pdf(single_page(deadline), partial, metadata)
    partial.replace(destination)
    return destination


def current(deadline=None):
    """The PDF of the project as it is now: the kept one if its inputs are unchanged (said in one
    line: ``pdf unchanged``), else built again (``pdf built in``) and stamped."""
    destination = OUTPUT / file_name()
    digest = inputs_digest()
    if is_current(destination, digest):
        execute.say(f"pdf unchanged: {execute.shown(destination)}")
        return destination
    stamp_path(destination).unlink(missing_ok=True)  # a build that fails leaves it stale
    started = time.perf_counter()
    build(deadline)
    stamp = {"inputs": digest, "pdf": sha256_of(destination)}
    atomic.write_text(stamp_path(destination), json.dumps(stamp, indent=1, sort_keys=True) + "\n")
    execute.say(f"pdf built in {time.perf_counter() - started:.1f} s: {execute.shown(destination)}")
    return destination


def place_in(site, deadline=None):
    """Put the current PDF into a built (not yet published) site, where its links point."""
    pdf = current(deadline)
    shutil.copyfile(pdf, Path(site) / pdf.name)


if __name__ == "__main__":
    try:
        print(execute.shown(current()))
    except PdfFailed as error:
        raise SystemExit(str(error)) from None
