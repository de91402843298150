"""A private copy of the whole project (package source included) that a test may run and break.

Used by the build and reliability tests: each test gets its own copy of one project executed
from scratch once per session, so tests stand alone and run in any order.
"""

import ast
import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nhsreport import paths

PROJECT_FILES = (
    "_config.yml",
    "_toc.yml",
    "index.md",
    "bibliography.md",
    "references.bib",
    "CITATION.cff",
    "requirements.txt",
    "metadata.yml",
    "LICENSE",
    "LICENSE-DATA",
)
PROJECT_FOLDERS = ("chapters", "data", "figures", "_static", "src")


@dataclass
class Run:
    result: subprocess.CompletedProcess
    executed: list


def copy_sources(root):
    """The book's sources without any generated figure (so every figure is regenerated)."""
    for folder in PROJECT_FOLDERS:
        shutil.copytree(
            paths.PROJECT_ROOT / folder,
            root / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
        )
    for name in PROJECT_FILES:
        shutil.copy(paths.PROJECT_ROOT / name, root / name)
    for generated in (root / "figures").iterdir():
        if generated.name != "published_labels.json":
            generated.unlink()
    return root


def copy_clone(root):
    """What a fresh clone holds: the sources and the committed figures, the figures dated to the
    epoch so that a test can tell each one the build wrote again from one it left as it was."""
    copy_sources(root)
    for committed in paths.FIGURES_DIR.iterdir():
        shutil.copy(committed, root / "figures" / committed.name)
        os.utime(root / "figures" / committed.name, ns=(0, 0))
    return root


# A small book for tests of the build machinery (staging, publishing, locking, interrupting):
# the real package, data and `who_was_studied` chapter, the real figures catalogue, and a stub
# for the appendix every chapter links to. It builds in a fraction of the real book's time.
SMALL_BOOK_CHAPTERS = ("who_was_studied", "appendix_reproducibility", "figures_and_tables")
SMALL_BOOK_TOC = """format: jb-book
root: index
parts:
  - caption: The study
    numbered: true
    chapters:
      - file: chapters/who_was_studied
  - caption: Appendices
    numbered: true
    chapters:
      - file: chapters/appendix_reproducibility
      - file: chapters/figures_and_tables
  - caption: Back matter
    chapters:
      - file: bibliography
"""
SMALL_BOOK_INDEX = "# A small book\n\nThe build machinery's test book.\n"
STUB_APPENDIX = "(chap-appendix-reproducibility)=\n# Reproducibility\n\nA stub of the appendix.\n"


def copy_small_book(root):
    """The small book's sources, nothing generated (so every figure is regenerated)."""
    copy_sources(root)
    for generated in (root / "chapters").iterdir():
        if generated.stem not in SMALL_BOOK_CHAPTERS:
            generated.unlink()
    (root / "chapters" / "appendix_reproducibility.ipynb").unlink()
    (root / "chapters" / "appendix_reproducibility.md").write_text(STUB_APPENDIX, encoding="utf-8")
    (root / "_toc.yml").write_text(SMALL_BOOK_TOC, encoding="utf-8")
    (root / "index.md").write_text(SMALL_BOOK_INDEX, encoding="utf-8")
    return root


#: What `make book`'s HTML and PDF steps keep in _build/: the published site, the incremental
#: build behind it and the PDF's. The executor reads none of them (only the sources, data,
#: figures and its own records in _build/.execution).
SITE_FOLDERS = ("html", "staging", "pdfsource", "pdf")


def copy_for_executor(built, root):
    """A copy of a built project without its site (see SITE_FOLDERS): what a test that runs only
    the executor needs, at a tenth of the bytes of the whole built project."""

    def site_folders(folder, names):
        return [name for name in names if Path(folder) == Path(built) / "_build" and name in SITE_FOLDERS]

    shutil.copytree(built, root, symlinks=True, ignore=site_folders)
    return root


def environment(root, **variables):
    """Run the copy's own package (so edits to it count) on the copy's data and figures, sharing
    the working tree's cache of costly results (keyed by their inputs, so never stale); with
    ``variables`` set too (a speed layer switched off, see nhsreport.pipeline.layers)."""
    from nhsreport import cache

    return dict(
        os.environ,
        NHSREPORT_CACHE=str(cache.cache_dir()),
        PYTHONPATH=str(root / "src"),
        NHSREPORT_ROOT=str(root),
        NHSREPORT_DATA=str(root / "data"),
        NHSREPORT_FIGURES=str(root / "figures"),
        **variables,
    )


def run_module(root, module, *args, **variables):
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=environment(root, **variables),
        capture_output=True,
        text=True,
        cwd=root,
    )
    executed = [
        Path(line.split()[1]).stem for line in result.stdout.splitlines() if line.startswith("executing ")
    ]
    return Run(result, executed)


def run_executor(root, *args):
    return run_module(root, "nhsreport.pipeline.execute", *args)


def run_book(root, pdf=False):
    """What `make book` runs: execute, build into staging, publish on success. The whole-book PDF
    only with ``pdf``: otherwise the site keeps the PDF it has (``--keep-pdf``, as `make preview`
    does), since building it again takes longer than the rest of a rebuild and only the tests of
    the PDF and the from-scratch build (``built_project``) need it."""
    return run_module(root, "nhsreport.pipeline.book", *([] if pdf else ["--keep-pdf"]))


def stamps(root):
    return {
        s.stem: json.loads(s.read_text())["fingerprint"]
        for s in (root / "_build" / ".execution").glob("*.json")
    }


def chapters_reading(root, path):
    """The chapters whose record says they read this project file (``data/tenure.csv``)."""
    return sorted(stem for stem, fingerprint in stamps(root).items() if path in fingerprint["files"])


def chapters_importing(root, module):
    return sorted(stem for stem, fingerprint in stamps(root).items() if module in fingerprint["modules"])


def tracked_outputs(root):
    """The bytes of every generated notebook and every file in figures/."""
    files = [*(root / "chapters").glob("*.ipynb"), *(root / "figures").iterdir()]
    return {str(f.relative_to(root)): f.read_bytes() for f in files}


def manifest(root):
    return json.loads((root / "figures" / "manifest.json").read_text(encoding="utf-8"))


def glued_values(notebook):
    """{name: text/plain} of every value a notebook (its path) glues, as myst-nb stores it (a
    string in its repr, ``'four'``; see :func:`shown_as_text`)."""
    values = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                values[name] = "".join(text)
    return values


def shown_as_text(stored):
    """A glued string as the page shows it: without the quotes of its stored repr."""
    return ast.literal_eval(stored) if stored[:1] in ("'", '"') else stored


def glued_text(notebook, name):
    return glued_values(notebook)[name]


def edit_data_cell(root, file, match, column, value):
    """Change a cell and re-record the package's hashes, as `make datapackage` would."""
    path = root / "data" / file
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if all(row[k] == v for k, v in match.items()):
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = subprocess.run(
        [sys.executable, "-m", "nhsreport.data.package"],
        env=environment(root),
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert result.returncode == 0, result.stderr


def append_line(path, line):
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def published(root):
    html = root / "_build" / "html"
    return {str(p.relative_to(html)): p.read_bytes() for p in html.rglob("*.html")}


def rehash(root):
    """Record every data file's current sha256 in datapackage.json, as a careless contributor who
    ran `make datapackage` would, without reading the files (they may be unreadable)."""
    import hashlib

    package_path = root / "data" / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    for resource in package.get("resources", []):
        path = root / "data" / resource["path"]
        resource["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        resource["bytes"] = path.stat().st_size
    package_path.write_text(json.dumps(package, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def record_dialog(dialogs, page, dialog):
    dialogs.append(f"{page.url}: {dialog.message}")
    dialog.dismiss()


def dialogs_on_pages(site):
    """Open every page of a built site in Chromium; return the dialogs (alerts) that fired."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    dialogs = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context()  # one for all pages: they load side by side, in one renderer
            pages = []
            for html in sorted(site.rglob("*.html")):
                page = context.new_page()
                page.on("dialog", functools.partial(record_dialog, dialogs, page))
                page.goto(base + str(html.relative_to(site)), wait_until="commit")
                pages.append(page)
            for page in pages:
                page.wait_for_load_state("load")
            browser.close()
    finally:
        server.shutdown()
    return dialogs


def set_first_cell(file, column, value):
    """A function that sets (or appends to) the first data row's cell of ``file`` in a project."""

    def corrupt(root, append=None):
        path = root / "data" / file
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        rows[0][column] = rows[0][column] + append if append else value
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    return corrupt


# --- chapters that fail or sleep on purpose (build machinery tests) ------------------------------

CHAPTER_HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A chapter
"""


def code_cell(code):
    return f"\n```{{code-cell}} ipython3\n{code}\n```\n"


def append_cell(root, chapter, code):
    path = root / "chapters" / f"{chapter}.md"
    path.write_text(path.read_text(encoding="utf-8") + code_cell(code), encoding="utf-8")


def prepend_cell(root, chapter, code):
    """A code cell before the chapter's first one (after its front matter and title)."""
    path = root / "chapters" / f"{chapter}.md"
    text = path.read_text(encoding="utf-8")
    first = text.index("```{code-cell}")
    path.write_text(text[:first] + code_cell(code).lstrip("\n") + "\n" + text[first:], encoding="utf-8")


def sleeping_cell(marker):
    """A cell that writes its kernel's process id to ``marker`` (whole: written aside, then
    renamed) once it is about to sleep, then sleeps far longer than any test waits."""
    return (
        "import os, pathlib, time\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        "marker.with_suffix('.part').write_text(str(os.getpid()))\n"
        "marker.with_suffix('.part').rename(marker)\n"
        "time.sleep(600)"
    )


def wait_for_file(path, process, timeout=300):
    """Wait until ``path`` exists (a cell wrote it); fail if ``process`` ends first, or at the timeout."""
    import time

    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, f"the build ended first:\n{process.communicate()[1][-3000:]}"
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def descendants(pid):
    """The processes a process started, and theirs (psutil.Process objects)."""
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def none_left(processes, timeout=60):
    """Whether every one of ``processes`` (psutil) has ended, waiting up to ``timeout`` seconds."""
    import psutil

    return psutil.wait_procs(processes, timeout=timeout)[1] == []


def ended(pid, timeout=60):
    import psutil

    try:
        return none_left([psutil.Process(pid)], timeout)
    except psutil.NoSuchProcess:
        return True
