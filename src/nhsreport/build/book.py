"""``make book``: validate the data, execute what is stale, build the HTML; all or nothing.

The HTML is built into a staging folder and swapped into ``_build/html`` only when Sphinx
succeeds with no warning. A failed build leaves the previous book in place, untouched, and
forgets the staging build's cached state, so the next ``make book`` re-reads every page and fails
the same way until the cause is fixed. Failures are reported in one line per problem; a traceback
only with ``--verbose`` (``make book VERBOSE=1``).

    python -m nhsreport.build.book [--verbose]
"""

import argparse
import fcntl
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import traceback
from contextlib import contextmanager

from .. import paths
from ..contents import chapter_sources
from ..data.errors import DataErrors
from . import execute, input_rules

BUILD = paths.PROJECT_ROOT / "_build"
STAGING = BUILD / "staging"
SITE = BUILD / "html"
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class BuildFailed(Exception):
    """The HTML step failed or warned; the previous site is untouched."""


class SphinxRun:
    """One ``jupyter-book build`` of the project into ``output`` (as ``output/_build/<builder>``),
    every Sphinx warning an error, in a process started now (:mod:`.sphinx_process`). It sets up
    while the caller does other work, and reads each chapter's page once told that its notebook
    is final (:meth:`notebooks_final`)."""

    def __init__(self, output, builder="html"):
        self.doctrees = output / "_build" / ".doctrees"
        self.notebooks = [execute.executed_path(source) for source in chapter_sources()]
        self.unfinished = {f"chapters/{notebook.stem}" for notebook in self.notebooks}
        self.read_early = False
        self.telling = threading.RLock()  # notebooks finish in several threads at once
        self.arguments = [
            "build",
            str(paths.PROJECT_ROOT),
            "--path-output",
            str(output),
            "--warningiserror",
            "--keep-going",
            "--builder",
            builder,
        ]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nhsreport.build.sphinx_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.tell(self.arguments)

    def tell(self, request):
        with self.telling:
            try:
                self.process.stdin.write(json.dumps(request) + "\n")
                self.process.stdin.flush()
            except BrokenPipeError:
                pass  # the process has ended: build() reports why

    def notebooks_final(self, sources, written):
        """These ``chapters/<name>.ipynb`` will not change again in this build; read the pages
        now if they were ``written`` in it (a page that did not change needs no reading). Not
        before every chapter's notebook exists: the contents page, read with them, lists them
        all. Nor once every notebook is final: the build itself, told next, reads what is left."""
        with self.telling:
            self.unfinished -= {f"chapters/{source.stem}" for source in sources}
            if not self.unfinished:
                return
            if sources and written and all(notebook.exists() for notebook in self.notebooks):
                self.read_early = True
                self.tell({"read": sorted(self.unfinished)})

    def build(self):
        """Read what is left, write the site; return the finished process."""
        self.tell({"build": True})
        stdout, stderr = self.process.communicate()
        return subprocess.CompletedProcess(self.arguments, self.process.returncode, stdout, stderr)

    def cancel(self):
        """End the process unused, at once: it may still be importing Sphinx (CPU time that a
        build failing on bad data would otherwise wait for). Pages it read early may come from
        notebooks that are now put back, and a page it was writing may be cut short: forget them."""
        if self.process.returncode is None:
            self.process.kill()
            self.process.communicate()
            if self.read_early:
                shutil.rmtree(self.doctrees, ignore_errors=True)


def run_sphinx(output, builder="html"):
    """Build the book into ``output`` now; the one way this project runs Jupyter Book."""
    return SphinxRun(output, builder).build()


def build_html(sphinx, verbose=False):
    """Finish the site in the staging folder, warnings as errors; return the built folder."""
    result = sphinx.build()
    if verbose:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
    if result.returncode != 0:
        # Forget what Sphinx cached, so the next build re-reads every page and warns again.
        shutil.rmtree(STAGING / "_build" / ".doctrees", ignore_errors=True)
        raise BuildFailed(sphinx_problems(result.stdout + result.stderr))
    return STAGING / "_build" / "html"


def sphinx_problems(log):
    """The warning and error lines of a Sphinx log, one per problem."""
    lines = [
        line.strip() for line in log.splitlines() if "WARNING" in line or "ERROR" in line or "Error" in line
    ]
    return "\n".join(dict.fromkeys(lines)) or log.strip().splitlines()[-1]


def publish(built):
    """Swap the staged site in place of the old one (the old one stays until the copy is whole)."""
    incoming, outgoing = BUILD / "html.incoming", BUILD / "html.outgoing"
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.rmtree(outgoing, ignore_errors=True)
    shutil.copytree(built, incoming)
    if SITE.exists():
        SITE.rename(outgoing)
    incoming.rename(SITE)
    shutil.rmtree(outgoing, ignore_errors=True)


@contextmanager
def one_build_at_a_time():
    """Builds of the same project started together run one after the other, never interleaved."""
    BUILD.mkdir(parents=True, exist_ok=True)
    with open(BUILD / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def html_step():
    """The HTML step's process, started before the notebooks run; ended if it goes unused."""
    sphinx = SphinxRun(STAGING)
    try:
        yield sphinx
    finally:
        sphinx.cancel()


def build(verbose=False):
    """Execute and build as one transaction: if either step fails, the generated notebooks and
    ``figures/`` are put back, no run is recorded as done, and the old site stays."""
    input_rules.check()  # references.bib, _config.yml, metadata.yml: refused before anything runs
    with one_build_at_a_time(), execute.restored_on_failure(), html_step() as sphinx:
        _, stamps = execute.execute_stale(on_final=sphinx.notebooks_final)
        started = time.perf_counter()
        publish(build_html(sphinx, verbose))
        print(f"html built in {time.perf_counter() - started:.1f} s", flush=True)
        execute.record_done(stamps)
    print(f"built {SITE.relative_to(paths.PROJECT_ROOT)}/index.html", flush=True)


def main(arguments=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show Sphinx output and tracebacks")
    options = parser.parse_args(arguments)
    unchanged = "Nothing was published: the previous book in _build/html is unchanged."
    try:
        build(options.verbose)
    except (DataErrors, input_rules.InputErrors) as error:
        print(f"{error}\n{unchanged}", file=sys.stderr)
        raise SystemExit(2) from None
    except execute.ExecutionFailed as error:
        print(f"{error if options.verbose else execute.short(error)}\n{unchanged}", file=sys.stderr)
        raise SystemExit(1) from None
    except BuildFailed as error:
        print(f"The HTML build warned or failed:\n{error}\n{unchanged}", file=sys.stderr)
        raise SystemExit(1) from None
    except Exception as error:  # a bug, not bad input: one line unless asked for more
        if options.verbose:
            traceback.print_exc()
        print(
            f"build failed: {type(error).__name__}: {error}\n{unchanged} "
            "(make book VERBOSE=1 shows the traceback)",
            file=sys.stderr,
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
