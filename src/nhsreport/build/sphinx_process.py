"""``jupyter-book build`` in a process that imports Sphinx and the book's extensions first, then
waits to be told what to build (one line of JSON: the command's arguments, on stdin).

``make book`` starts it before the notebooks run, at a lower priority, so that the imports (about
1.3 s) are done on a core the notebooks leave idle (while the appendices run one after another)
and the HTML step starts at once. Closing stdin without a line ends it: the build failed before the HTML step.
Nothing is read from the project until the arguments arrive.
"""

import importlib
import json
import os
import sys
from pathlib import Path

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


def main():
    # Yield the cores to the notebooks: the imports only need the time they leave idle.
    os.nice(10)
    if sys.path and Path(sys.path[0] or ".").resolve() == Path.cwd():
        del sys.path[0]  # as the jupyter-book command has it: nothing imported from the cwd
    for name in PRELOADED:
        importlib.import_module(name)
    line = sys.stdin.readline()
    if not line.strip():
        return
    sys.argv = ["jupyter-book", *json.loads(line)]
    importlib.import_module("jupyter_book.cli.main").main()


if __name__ == "__main__":
    main()
