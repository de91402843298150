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
import re
import shutil
import subprocess
import sys
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

from .. import paths
from ..data.errors import DataErrors
from . import execute

BUILD = paths.PROJECT_ROOT / "_build"
STAGING = BUILD / "staging"
SITE = BUILD / "html"
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class BuildFailed(Exception):
    """The HTML step failed or warned; the previous site is untouched."""


def run_sphinx(output, builder="html"):
    """Build the book from the project's sources into ``output`` (as ``output/_build/<builder>``)
    with every Sphinx warning an error; the one way this project runs Jupyter Book."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [
        str(jupyter_book),
        "build",
        str(paths.PROJECT_ROOT),
        "--path-output",
        str(output),
        "--warningiserror",
        "--keep-going",
        "--builder",
        builder,
    ]
    return subprocess.run(command, capture_output=True, text=True)


def build_html(verbose=False):
    """Build the site into the staging folder, warnings as errors; return the built folder."""
    result = run_sphinx(STAGING)
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


def build(verbose=False):
    """Execute and build as one transaction: if either step fails, the generated notebooks and
    ``figures/`` are put back, no run is recorded as done, and the old site stays."""
    with one_build_at_a_time(), execute.restored_on_failure():
        _, stamps = execute.execute_stale()
        started = time.perf_counter()
        publish(build_html(verbose))
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
