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
import time
import traceback
from contextlib import contextmanager

from .. import paths
from ..data.errors import DataErrors
from . import execute

BUILD = paths.PROJECT_ROOT / "_build"
STAGING = BUILD / "staging"
SITE = BUILD / "html"
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class BuildFailed(Exception):
    """The HTML step failed or warned; the previous site is untouched."""


class SphinxRun:
    """One ``jupyter-book build`` of the project, in a process started now that imports Sphinx
    and the extensions while the caller does other work (:mod:`.sphinx_process`)."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nhsreport.build.sphinx_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def build(self, output, builder="html"):
        """Build the book into ``output`` (as ``output/_build/<builder>``) with every Sphinx
        warning an error; return the finished process."""
        arguments = [
            "build",
            str(paths.PROJECT_ROOT),
            "--path-output",
            str(output),
            "--warningiserror",
            "--keep-going",
            "--builder",
            builder,
        ]
        stdout, stderr = self.process.communicate(json.dumps(arguments) + "\n")
        return subprocess.CompletedProcess(arguments, self.process.returncode, stdout, stderr)

    def cancel(self):
        """End the process unused (closing its stdin tells it there is nothing to build)."""
        if self.process.returncode is None:
            self.process.communicate("")


def run_sphinx(output, builder="html"):
    """Build the book into ``output`` now; the one way this project runs Jupyter Book."""
    return SphinxRun().build(output, builder)


def build_html(sphinx, verbose=False):
    """Build the site into the staging folder, warnings as errors; return the built folder."""
    result = sphinx.build(STAGING)
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
    sphinx = SphinxRun()
    try:
        yield sphinx
    finally:
        sphinx.cancel()


def build(verbose=False):
    """Execute and build as one transaction: if either step fails, the generated notebooks and
    ``figures/`` are put back, no run is recorded as done, and the old site stays."""
    with one_build_at_a_time(), execute.restored_on_failure(), html_step() as sphinx:
        _, stamps = execute.execute_stale()
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
    except DataErrors as error:
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
