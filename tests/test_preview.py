"""`make preview` (nhsreport.pipeline.preview), end to end in a private copy of the small book: it
serves the book on 127.0.0.1 only and nothing outside _build/html, rebuilds on a save and tells the
open page to reload, and after bad data keeps the last good book served with the build's message
in the terminal and on the page. Every wait is on an event (a page served, a line printed, a
reload signal, a process ending), each with a generous timeout."""

import asyncio
import contextlib
import html
import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from bs4 import BeautifulSoup
from projectcopy import environment, run_book, set_first_cell
from websockets.sync.client import connect

from nhsreport.pipeline.preview import RELOAD_PATH, Preview, SourceChanges
from nhsreport.pipeline.ready_build import setup_inputs

TIMEOUT = 300  # for any one wait: a build on a busy two-core machine can take a minute
PAGE = "chapters/who_was_studied.html"
BANNER = re.compile(r'<pre id="preview-failure"[^>]*>(.*?)</pre>', re.S)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def processes_in(root):
    """Every process working in the project copy: the build and all that it starts work there."""
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):  # gone meanwhile, or not ours to read
            if Path(process.cwd()).is_relative_to(root):
                found.append(process)
    return found


def waiting_for_requests(process):
    """Whether a process is blocked reading a pipe (Linux names the kernel function it sleeps in)."""
    with contextlib.suppress(OSError):
        return "pipe" in Path(f"/proc/{process.pid}/wchan").read_text()
    return False


def wait_for_ready_build(root):
    """Once a build has ended: wait until the next one is made ready, its HTML step set up (its
    Sphinx process, started once the build took stock of its inputs, waits on its stdin)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for process in processes_in(root):
            with contextlib.suppress(psutil.Error):
                if "nhsreport.pipeline.sphinx_process" in process.cmdline() and waiting_for_requests(process):
                    return
        time.sleep(0.2)  # between polls of the process table
    pytest.fail(f"no build made ready in {root} within {TIMEOUT} s")


def page_texts(site):
    """Each page of a built site by its path, as a reader reads it: its text, spaces collapsed."""
    return {
        page.relative_to(site).as_posix(): " ".join(
            BeautifulSoup(page.read_bytes(), "html.parser").get_text().split()
        )
        for page in sorted(site.rglob("*.html"))
    }


class Terminal:
    """The preview's output, read line by line as it comes."""

    def __init__(self, stream):
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self.read, args=(stream,), daemon=True).start()

    def read(self, stream):
        for line in stream:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, text):
        """The first line (from here on) that contains ``text``."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no line with {text!r} within {TIMEOUT} s; printed:\n{''.join(self.seen)}")
            assert line is not None, f"the preview ended before printing {text!r}:\n{''.join(self.seen)}"
            self.seen.append(line)
            if text in line:
                return line


class Running:
    def __init__(self, root, port):
        self.root, self.port = root, port
        self.url = f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nhsreport.pipeline.preview", "--port", str(port)],
            cwd=root,
            env=environment(root),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.terminal = Terminal(self.process.stdout)

    def get(self, path, host=None):
        """(status, text) of a GET sent exactly as written (no client-side clean-up of ``..``)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": host} if host else {})
            response = connection.getresponse()
            return response.status, response.read().decode(errors="replace")
        finally:
            connection.close()

    def page(self):
        with urllib.request.urlopen(self.url + PAGE, timeout=30) as response:
            return response.read().decode()

    def wait_until_served(self):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "".join(self.terminal.seen)
            try:
                return self.page()
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)  # between polls: the server is still starting
        pytest.fail(f"{self.url}{PAGE} not served within {TIMEOUT} s")

    def everything(self):
        """The preview and every process it started (the build and its children)."""
        process = psutil.Process(self.process.pid)
        return [process, *process.children(recursive=True)]

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def preview(small_book):
    running = Running(small_book, free_port())
    try:
        yield running
    finally:  # whatever the test did, nothing is left running
        for process in [
            *(running.everything() if running.process.poll() is None else []),
            *processes_in(small_book),
        ]:
            with contextlib.suppress(psutil.Error):
                process.kill()
        running.process.wait(timeout=60)


def test_the_preview_rebuilds_on_a_save_and_keeps_the_last_good_book_when_data_break(preview):
    root = preview.root
    preview.wait_until_served()
    preview.terminal.wait_for("preview: built in")  # the first build, of sources unchanged
    listening = [
        c.laddr for c in psutil.Process(preview.process.pid).net_connections("inet") if c.status == "LISTEN"
    ]
    assert listening and {address.ip for address in listening} == {"127.0.0.1"}

    # Nothing outside _build/html: not by "..", not through a link, not for another host name.
    assert preview.get("/chapters/../../data/trusts.csv")[0] == 404
    os.symlink(root / "data" / "trusts.csv", root / "_build" / "html" / "trusts.csv")
    assert preview.get("/trusts.csv")[0] == 404
    assert preview.get("/" + PAGE, host="preview.example.com")[0] == 400

    with connect(f"ws://127.0.0.1:{preview.port}{RELOAD_PATH}", open_timeout=30) as page_socket:
        sentence = "A sentence the author has just written."
        source = root / "chapters" / "who_was_studied.md"
        source.write_text(source.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
        assert page_socket.recv(timeout=TIMEOUT) == "reload"
        good = preview.page()
        assert sentence in good and not BANNER.search(good)

        good_data = (root / "data" / "gender.csv").read_bytes()
        set_first_cell("gender.csv", "count", "many")(root)  # one file saved, so one build refuses it
        assert page_socket.recv(timeout=TIMEOUT) == "reload"
        shown = preview.page()
        banner = BANNER.search(shown)
        assert banner, shown[-2000:]
        assert BANNER.sub("", shown) == good  # the last good book, still served
        named = [line for line in html.unescape(banner.group(1)).splitlines() if "data/gender.csv" in line]
        assert named, banner.group(1)
        preview.terminal.wait_for(named[0])  # the same line in the terminal

    # Mended: a build starts, and stopping the preview during it leaves no process behind.
    (root / "data" / "gender.csv").write_bytes(good_data)
    preview.terminal.wait_for("executed ")  # the build's own line, half-way through it
    preview.stop()
    assert processes_in(root) == []  # the build and all it started ended before the preview did


@pytest.mark.parametrize(
    "path, starts_a_build",
    [
        ("chapters/training.md", True),
        ("data/trusts.csv", True),
        ("src/nhsreport/analyses/training.py", True),
        ("chapters/training.ipynb", False),  # written by the build
        ("src/nhsreport/analyses/__pycache__/training.cpython-311.pyc", False),
        ("src/nhsreport.egg-info/PKG-INFO", False),
        ("chapters/.training.md.swp", False),  # editors' temporary files
        ("chapters/training.md~", False),
        ("chapters/4913", False),
        ("chapters/#training.md#", False),
        ("chapters/.#training.md", False),
        ("data/sedA1b2C3", False),
    ],
)
def test_the_watcher_ignores_what_the_build_and_editors_write(path, starts_a_build):
    assert SourceChanges()(None, f"/project/{path}") is starts_a_build


def test_a_build_that_cannot_even_start_is_reported_and_the_preview_goes_on():
    async def two_saves():
        preview = Preview(build_command=("/no/such/python", "-m", "nhsreport.pipeline.book"))
        page = asyncio.Queue()
        preview.pages.add(page)
        builds = asyncio.create_task(preview.rebuild_on_saves())
        failures = []
        for _ in range(2):
            preview.saved.set()
            assert await asyncio.wait_for(page.get(), 60) == "reload"
            failures.append(preview.failure)
        builds.cancel()
        return failures

    for failure in asyncio.run(two_saves()):
        assert "could not run the build" in failure and "FileNotFoundError" in failure


def test_the_banner_shows_the_build_message_as_text():
    preview = Preview()
    preview.failure = 'data/trusts.csv row 2, column name: "<script>alert(1)</script>" is not a trust'
    page = preview.annotate(b"<html><body><p>The book.</p></body></html>").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert page.index('id="preview-failure"') < page.index("</body>")


def add_sentence(root, sentence):
    source = root / "chapters" / "who_was_studied.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def retitle(root, title):
    """A new title and short title (the cite blocks show the one, every page's footer the other)."""
    metadata = root / "metadata.yml"
    text = metadata.read_text(encoding="utf-8")
    for key in ("title", "short-title"):
        text = re.sub(rf'^{key}: ".*"$', f'{key}: "{title}"', text, count=1, flags=re.M)
    metadata.write_text(text, encoding="utf-8")


def test_after_an_edit_the_preview_serves_the_site_make_book_builds(preview, built_small_book, tmp_path):
    """The preview builds with a build made ready before the save (its libraries imported, Sphinx
    set up): the pages it then serves are the pages a fresh `make book` writes from the same
    sources, after a prose edit, and after an edit of an input that Sphinx read while it was
    made ready (the title, in metadata.yml), which needs a fresh build."""
    root, reference = preview.root, tmp_path / "reference"
    shutil.copytree(built_small_book, reference, symlinks=True)
    preview.wait_until_served()
    preview.terminal.wait_for("preview: built in")  # the first build, of sources unchanged

    edits = [
        (lambda r: add_sentence(r, "A sentence the author has just written."), False),
        (lambda r: (add_sentence(r, "Another sentence."), retitle(r, "A retitled report")), True),
    ]
    for number, (edit, needs_a_fresh_build) in enumerate(edits, start=1):
        wait_for_ready_build(root)
        seen = len(preview.terminal.seen)
        edit(root)
        preview.terminal.wait_for("preview: built in")
        refused = any("the build made ready is out of date" in line for line in preview.terminal.seen[seen:])
        assert refused is needs_a_fresh_build, "".join(preview.terminal.seen[seen:])
        if number == len(edits):
            preview.stop()  # what it built is on disk: the build it would make ready next is not needed

        edit(reference)
        run = run_book(reference)
        assert run.result.returncode == 0, run.result.stderr[-3000:]
        served, built = page_texts(root / "_build" / "html"), page_texts(reference / "_build" / "html")
        assert served.keys() == built.keys()
        for page, text in built.items():
            assert served[page] == text, page
    assert "A retitled report" in served[PAGE] and "Another sentence." in served[PAGE]  # the cite blocks


@pytest.mark.parametrize(
    "change, noticed",
    [
        (lambda root: add_sentence(root, "New prose."), False),  # read only once told to build
        (lambda root: (root / "index.md").write_text("# A page\n\nNew prose.\n", encoding="utf-8"), False),
        (lambda root: retitle(root, "Another title"), True),
        (lambda root: (root / "references.bib").write_text("", encoding="utf-8"), True),
        (lambda root: (root / "_config.yml").touch(), True),
        (lambda root: (root / "src" / "nhsreport" / "pipeline" / "sphinx_site.py").touch(), True),
        (lambda root: (root / "data" / "gender.csv").write_bytes(b"changed\n"), True),
        (lambda root: (root / "_static" / "new.css").write_text("p {}", encoding="utf-8"), True),
        (lambda root: (root / "chapters" / "new_chapter.md").write_text("# New\n", encoding="utf-8"), True),
        (lambda root: (root / "chapters" / "who_was_studied.md").unlink(), True),
    ],
)
def test_a_build_made_ready_notices_any_change_to_what_it_read_in_advance(small_book, change, noticed):
    before = setup_inputs(small_book)
    change(small_book)
    assert (setup_inputs(small_book) != before) is noticed
