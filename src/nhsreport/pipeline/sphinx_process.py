"""``jupyter-book build`` in a process started before the notebooks run, which reads each page
as soon as its notebook is final and writes the site when told that every notebook is.

``make book`` starts it first, at a lower priority, so that its work is done on a core the
notebooks leave idle (the last chapters and the appendices run one at a time): importing Sphinx
and the extensions, setting up the build, and reading (parsing) the pages whose notebooks are
done. When every notebook is final it reads the rest and writes the site, the HTML step proper.

It talks through stdin, one line of JSON each:

* first, the ``jupyter-book`` command's arguments;
* then any number of ``{"read": [pages to leave out]}``: read what is new or changed, except
  those pages (the notebooks still running or still to be re-paired);
* then ``{"build": true}``: finish the build (the pages already read count as read by it, so the
  site is the one a single build would write).

Closing stdin before ``build`` ends it unused: the build failed before the HTML step. (``make book``
kills it instead, rather than wait for it to finish importing.)
"""

import importlib
import json
import os
import sys
from pathlib import Path

from nhsreport.pipeline import private_api

#: Jupyter Book's command line, Sphinx and the extensions _config.yml loads (importing a module
#: runs no extension: Sphinx sets each one up when the build starts).
PRELOADED = (
    "jupyter_book.cli.main",
    "jupyter_book.sphinx",
    "sphinx.application",
    "myst_nb",
    "sphinx_book_theme",
    "pydata_sphinx_theme",
    "sphinxcontrib.bibtex",
    "sphinx_design",
    "sphinx_togglebutton",
    "sphinx_copybutton",
    "sphinx_comments",
    "sphinx_external_toc",
    "sphinx_multitoc_numbering",
    "sphinx_jupyterbook_latex",
    "sphinx_thebe",
)


class Cancelled(SystemExit):
    """stdin closed before ``build``: nothing is written."""


class Requests:
    """The lines of JSON on stdin, read straight from the file descriptor so that all the lines
    waiting can be taken at once (Python's buffered stdin would hide them from a poll)."""

    def __init__(self, descriptor=0):
        self.descriptor = descriptor
        self.unread = b""
        self.queued = []

    def arrived(self):
        """Wait for at least one request; False once stdin is closed and all are taken."""
        while not self.queued:
            chunk = os.read(self.descriptor, 1 << 16)
            if not chunk:
                return False
            *lines, self.unread = (self.unread + chunk).split(b"\n")
            self.queued += [json.loads(line) for line in lines if line.strip()]
        return True

    def next(self):
        """The next request, or None once stdin is closed."""
        return self.queued.pop(0) if self.arrived() else None

    def waiting(self):
        """Every request that has arrived (at least one), or None once stdin is closed."""
        if not self.arrived():
            return None
        taken, self.queued = self.queued, []
        return taken


def build_when_told(build, requests):
    """The Sphinx application's build, preceded by the early reads asked for. Of several read
    requests waiting at once only the last counts: it leaves out the fewest pages."""

    def build_after_reading(app, *arguments, **options):
        read_early = set()
        while (waiting := requests.waiting()) is not None:
            if any(request.get("build") for request in waiting):
                private_api.counting_early_reads(app.builder, read_early)
                return build(app, *arguments, **options)
            read_early |= private_api.read_pages(app, set(waiting[-1]["read"]))
        raise Cancelled(0)

    return build_after_reading


def run():
    # Yield the cores to the notebooks: this process needs only the time they leave idle.
    os.nice(10)
    if sys.path and Path(sys.path[0] or ".").resolve() == Path.cwd():
        del sys.path[0]  # as the jupyter-book command has it: nothing imported from the cwd
    for name in PRELOADED:
        importlib.import_module(name)
    requests = Requests()
    arguments = requests.next()
    if arguments is None:
        return
    sys.argv = ["jupyter-book", *arguments]
    private_api.replace_sphinx_build(lambda build: build_when_told(build, requests))
    importlib.import_module("jupyter_book.cli.main").main()


def main():
    run()


if __name__ == "__main__":
    main()
