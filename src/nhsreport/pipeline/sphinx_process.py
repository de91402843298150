"""``jupyter-book build`` in a process started before the notebooks run, which imports Sphinx and
the extensions and sets up the application, then waits until told to build.

``make book`` starts it first, at a lower priority, so that this work is done on a core the
notebooks leave idle; the preview keeps one ready between saves
(:mod:`nhsreport.pipeline.ready_build`), which is most of what a prose edit would otherwise wait
for. Once told, it builds exactly as the stock command does: it reads every page and writes the
site (pages are never read before every notebook is final).

It talks through stdin, one line of JSON each: first the ``jupyter-book`` command's arguments,
then ``{"build": true}``. Closing stdin before ``build`` ends it unused: the build failed before
the HTML step. (``make book`` kills it instead, rather than wait for it to finish importing.)
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


def requests(stream=sys.stdin):
    """The lines of JSON on ``stream``, one request each, until it is closed."""
    for line in stream:
        if line.strip():
            yield json.loads(line)


def build_when_told(build, waiting):
    """The Sphinx application's build, once the ``waiting`` requests say ``build``."""

    def build_after_setup(app, *arguments, **options):
        if not any(request.get("build") for request in waiting):
            raise Cancelled(0)
        return build(app, *arguments, **options)

    return build_after_setup


def run():
    # Yield the cores to the notebooks: this process needs only the time they leave idle.
    os.nice(10)
    if sys.path and Path(sys.path[0] or ".").resolve() == Path.cwd():
        del sys.path[0]  # as the jupyter-book command has it: nothing imported from the cwd
    for name in PRELOADED:
        importlib.import_module(name)
    waiting = requests()
    arguments = next(waiting, None)
    if arguments is None:
        return
    sys.argv = ["jupyter-book", *arguments]
    private_api.replace_sphinx_build(lambda build: build_when_told(build, waiting))
    importlib.import_module("jupyter_book.cli.main").main()


def main():
    run()


if __name__ == "__main__":
    main()
