"""The preview's next build, made ready while the author writes: ``make book``'s build in two halves.

    python -m nhsreport.pipeline.ready_build [--verbose]

First half, at once: import the build's libraries and start the HTML step
(:func:`nhsreport.pipeline.book.sphinx_run`), which imports Sphinx and the extensions and sets up
the application: it reads ``_config.yml``, ``_toc.yml``, ``metadata.yml``, ``references.bib``,
the project's own extensions and the environment the last build saved. Second half, when a line
arrives on stdin: exactly what ``make book`` runs (:func:`nhsreport.pipeline.book.main`), with
that HTML step. Closing stdin instead ends it unused.

The first half is most of what a prose edit waits for in a fresh ``make book`` (importing Sphinx,
myst-nb, pandas and jupytext), so :mod:`nhsreport.pipeline.preview` keeps one of these ready
between saves. Nothing it read in advance may be stale: once it holds the build lock it compares
every file the first half may have read with the same file when the first half began
(:func:`setup_inputs`), and if any differs it builds nothing and exits with
:data:`~nhsreport.pipeline.book.PREPARED_STALE`; the preview then builds with a fresh one. Only
the Markdown pages (``chapters/*.md``, ``index.md``, ``bibliography.md``) may change freely, the
prose edits this exists for: the first half reads none of them, only their names.
"""

import os
import sys
import sysconfig
from pathlib import Path

from .. import paths
from . import book

#: Folders whose every file the first half may read (code, data, static files, figures), or whose
#: listing it reads (chapters).
FOLDERS = ("src", "data", "_static", "figures", "chapters")
SKIPPED_FOLDERS = {"__pycache__", ".ipynb_checkpoints"}


def file_state(path):
    """A file as it is now. The change time moves with any write or rename, whatever a tool does
    to the modification time; the inode tells a file replaced by another."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def project_files(root):
    """Every file at the top of the project and in :data:`FOLDERS`, build output left out."""
    files = [entry for entry in root.iterdir() if entry.is_file()]
    for folder in FOLDERS:
        for directory, subfolders, names in os.walk(root / folder):
            subfolders[:] = [
                s for s in subfolders if s not in SKIPPED_FOLDERS and not s.endswith(".egg-info")
            ]
            files += [Path(directory) / name for name in names]
    return sorted(files)


def setup_inputs(root=None):
    """What the first half may have read, as it is now: each project file's state (a Markdown
    page by its name only), the environment Sphinx saved, and the installed packages' folder
    (installing or removing a package changes its listing)."""
    root = root or paths.PROJECT_ROOT
    state = {
        str(file): "a page" if file.suffix == ".md" else file_state(file) for file in project_files(root)
    }
    environment = book.STAGING / "_build" / ".doctrees" / "environment.pickle"
    for path in (environment, Path(sysconfig.get_path("purelib"))):
        state[str(path)] = file_state(path)
    return state


class Prepared:
    """The first half: the HTML step started, and the inputs it began with."""

    def __init__(self):
        self.inputs = setup_inputs()  # first: whatever the HTML step reads is at least this new
        self.sphinx = book.sphinx_run(book.STAGING)

    def check(self):
        """Raise :class:`~nhsreport.pipeline.book.PreparedStale` if an input changed since."""
        now = setup_inputs()
        changed = sorted(
            path for path in self.inputs.keys() | now.keys() if self.inputs.get(path) != now.get(path)
        )
        if changed:
            more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
            raise book.PreparedStale(f"changed since this build was prepared: {changed[0]}{more}")


#: The line printed once told to build: a process that ends without it failed while preparing.
TOLD = "ready build: building"


def main(arguments=None):
    prepared = Prepared()
    try:
        if sys.stdin.readline():  # told to build; nothing read means the preview let it go
            print(TOLD, flush=True)
            book.main(arguments, prepared)
    finally:
        prepared.sphinx.cancel()  # unused, or already finished (then this does nothing)


if __name__ == "__main__":
    main()
