"""``make book``: validate the data, execute what is stale, build the HTML; all or nothing.

The HTML is built into a staging folder and swapped into ``_build/html`` only when Sphinx
succeeds with no warning, every page is within the weight budget (:data:`MAX_PAGE_BYTES`) and the
whole-book PDF is in it (:mod:`nhsreport.pipeline.pdf`: built again only when its inputs changed).
A failed build leaves the previous book in place, untouched, and forgets the staging build's
cached state, so the next ``make book`` re-reads every page and fails the same way until the
cause is fixed. Failures are reported in one line per problem; a traceback only with
``--verbose`` (``make book VERBOSE=1``).

One build of a project runs at a time: another waits for it, saying which process holds the
lock, and gives up after ``NHSREPORT_LOCK_TIMEOUT`` seconds. The whole build, Sphinx included,
stops at ``NHSREPORT_BUILD_TIMEOUT`` seconds (see :mod:`nhsreport.pipeline.execute`).

With ``--plain`` (``make book PLAIN=1``) every speed layer is off (:mod:`nhsreport.pipeline.layers`):
fresh kernels, one notebook at a time, one stock ``jupyter-book build`` once every notebook is
done, no shared doctrees, no cached results and no private API of jupyter_client or Sphinx. The
checks, the all-or-nothing restore, staging and publishing and the execution records are the same.

    python -m nhsreport.pipeline.book [--verbose] [--plain] [--keep-pdf]
"""

import argparse
import ctypes
import ctypes.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import traceback
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from filelock import FileLock, Timeout

from .. import cache, paths
from ..data.errors import DataErrors
from . import execute, input_rules, layers

BUILD = paths.PROJECT_ROOT / "_build"
STAGING = BUILD / "staging"
SITE = BUILD / "html"
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
#: The page-weight budget: a page and the files it loads (stylesheets, scripts, images) together.
MAX_PAGE_BYTES = 1024 * 1024
#: Seconds a build waits for another build of the same project (NHSREPORT_LOCK_TIMEOUT overrides).
LOCK_TIMEOUT_SECONDS = 1800


class BuildFailed(Exception):
    """The HTML step failed or warned; the previous site is untouched."""


class BuildLocked(Exception):
    """Another build of the project held the lock for longer than this one would wait."""


class PreparedStale(Exception):
    """A build prepared in advance (:mod:`nhsreport.pipeline.ready_build`) found that what it read
    while preparing has changed since; it did nothing."""


#: The exit status of a build that did nothing because it was prepared with inputs now changed.
PREPARED_STALE = 75


def finished(run, deadline):
    """Wait for a run's Sphinx process; past the ``deadline`` cancel the run and say which limit
    was reached. Returns the finished process."""
    try:
        stdout, stderr = run.process.communicate(timeout=deadline.remaining() if deadline else None)
    except subprocess.TimeoutExpired:
        run.cancel()
        raise execute.TimeLimitExceeded(deadline.seconds) from None
    return subprocess.CompletedProcess(run.arguments, run.process.returncode, stdout, stderr)


class SphinxRun:
    """One ``jupyter-book build`` of the project into ``output`` (as ``output/_build/<builder>``),
    every Sphinx warning an error, in a process started now (:mod:`.sphinx_process`): it imports
    Sphinx and the extensions and sets up the application while the caller does other work (the
    notebooks run), and builds when told (:meth:`build`), as the stock command would."""

    def __init__(self, output, builder="html"):
        self.doctrees = output / "_build" / ".doctrees"
        self.arguments = self.arguments_for(output, builder)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nhsreport.pipeline.sphinx_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.tell(self.arguments)

    @staticmethod
    def arguments_for(output, builder):
        """The ``jupyter-book`` command's arguments: the project, built into ``output``."""
        return [
            "build",
            str(paths.PROJECT_ROOT),
            "--path-output",
            str(output),
            "--warningiserror",
            "--keep-going",
            "--builder",
            builder,
        ]

    def tell(self, request):
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # the process has ended: build() reports why

    def build(self, deadline=None):
        """Read every page, write the site; return the finished process. Past the ``deadline``
        (an :class:`~nhsreport.pipeline.execute.Deadline`) the process is killed."""
        self.tell({"build": True})
        return finished(self, deadline)

    def cancel(self):
        """End the process unused, at once: it may still be importing Sphinx (CPU time that a
        build failing on bad data would otherwise wait for)."""
        if self.process.returncode is None:
            self.process.kill()
            self.process.communicate()


class StockSphinxRun:
    """The stock ``jupyter-book build`` command (same arguments as :class:`SphinxRun`), started
    when the build asks for the HTML, once every notebook is final: the plain path, with
    ``NHSREPORT_SPHINX_AHEAD=0``."""

    def __init__(self, output, builder="html"):
        self.arguments = [jupyter_book_command(), *SphinxRun.arguments_for(output, builder)]
        self.doctrees = output / "_build" / ".doctrees"
        self.process = None

    def build(self, deadline=None):
        self.process = subprocess.Popen(
            self.arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        return finished(self, deadline)

    def cancel(self):
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            self.process.communicate()


def jupyter_book_command():
    """The ``jupyter-book`` command installed beside this Python (``jupyter-book.exe`` on Windows)."""
    scripts = sysconfig.get_path("scripts")
    found = shutil.which("jupyter-book", path=scripts) or shutil.which("jupyter-book")
    if found is None:
        raise FileNotFoundError(f"no jupyter-book command in {scripts} or on the PATH")
    return found


def sphinx_run(output, builder="html"):
    """The HTML step: Sphinx set up ahead (:class:`SphinxRun`), or the stock command if that
    layer is off (:class:`StockSphinxRun`)."""
    if layers.on("NHSREPORT_SPHINX_AHEAD"):
        return SphinxRun(output, builder)
    return StockSphinxRun(output, builder)


def run_sphinx(output, builder="html"):
    """Build the book into ``output`` now; the one way this project runs Jupyter Book."""
    return sphinx_run(output, builder).build()


def build_html(sphinx, verbose=False, deadline=None):
    """Finish the site in the staging folder, warnings as errors; return the built folder."""
    result = sphinx.build(deadline)
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


def loaded_addresses(markup):
    """The addresses of the files an HTML page loads: stylesheets, scripts, images."""
    soup = BeautifulSoup(markup, "html.parser")
    addresses = []
    for tag in soup.find_all(["link", "script", "img"]):
        address = tag.get("href") if tag.name == "link" else tag.get("src")
        if address and (tag.name != "link" or "stylesheet" in (tag.get("rel") or [])):
            addresses.append(address)
    return addresses


def page_loads(markup):
    """:func:`loaded_addresses`, cached under the page's bytes and this code: parsing every page
    is most of the budget check's time, and a rebuild after a prose edit changes few pages."""
    digest = cache.key(markup, *cache.code_of(sys.modules[__name__], "beautifulsoup4"))
    return cache.stored("page-loads", digest, lambda: loaded_addresses(markup))


def page_weight(page, site):
    """Bytes of an HTML page and of the site's files it loads (stylesheets, scripts, images)."""
    markup = page.read_bytes()
    loaded = set()
    for address in page_loads(markup):
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # not a file of the site
        file = (page.parent / unquote(parts.path)).resolve()
        if file.is_relative_to(site.resolve()) and file.is_file():
            loaded.add(file)
    return len(markup) + sum(file.stat().st_size for file in loaded)


def overweight_pages(site):
    """One line for each page of a built site over the weight budget, heaviest first."""
    weights = sorted(((page_weight(page, site), page) for page in site.rglob("*.html")), reverse=True)
    return [
        f"{page.relative_to(site)} weighs {weight} bytes with the files it loads, "
        f"over the budget of {MAX_PAGE_BYTES} bytes (MAX_PAGE_BYTES in nhsreport.pipeline.book)"
        for weight, page in weights
        if weight > MAX_PAGE_BYTES
    ]


def within_budget(built):
    """The built site, if no page is over the weight budget."""
    heavy = overweight_pages(built)
    if heavy:
        raise BuildFailed("\n".join(heavy))
    return built


#: renameat2's flag that swaps two paths in one step (Linux 3.15 and later).
RENAME_EXCHANGE = 2


def exchange(first, second):
    """Swap two folders in one step, so that ``_build/html`` is never absent; False where the
    system cannot (not Linux, an old kernel or C library, a file system without it). A real
    folder, swapped, rather than a symlink moved over the old one: the site stays a plain folder
    for ``make serve``, the browser tests and the Pages upload, which would each otherwise meet
    a link."""
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd = -100  # AT_FDCWD: the paths are absolute anyway
    return renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), RENAME_EXCHANGE) == 0


def publish(built):
    """Put the staged site in place of the old one. The copy is made whole beside it, then the
    two are swapped in one step (where the system cannot, the old one is moved aside just before
    the new one is moved in)."""
    incoming, outgoing = BUILD / "html.incoming", BUILD / "html.outgoing"
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.rmtree(outgoing, ignore_errors=True)
    shutil.copytree(built, incoming)
    if SITE.exists() and exchange(incoming, SITE):
        shutil.rmtree(incoming, ignore_errors=True)  # now the old site
        return
    if SITE.exists():
        SITE.rename(outgoing)
    incoming.rename(SITE)
    shutil.rmtree(outgoing, ignore_errors=True)


def lock_timeout():
    value = os.environ.get("NHSREPORT_LOCK_TIMEOUT")
    return float(value) if value else LOCK_TIMEOUT_SECONDS


def lock_holder(holder):
    """Who holds the build lock, as its holder wrote it (a process id), or a word if unknown."""
    try:
        return f"process {int(holder.read_text(encoding='utf-8'))}"
    except (OSError, ValueError):
        return "an unknown process"


@contextmanager
def one_build_at_a_time():
    """Builds of the same project started together run one after the other, never interleaved.
    A build that has to wait says which process holds the lock, and gives up after
    ``NHSREPORT_LOCK_TIMEOUT`` seconds (a build stopped with SIGSTOP keeps its lock)."""
    BUILD.mkdir(parents=True, exist_ok=True)
    lock, holder = FileLock(BUILD / ".build.lock"), BUILD / ".build.lock.holder"
    try:
        lock.acquire(blocking=False)
    except Timeout:
        seconds = lock_timeout()
        who = lock_holder(holder)
        print(
            f"waiting for another build of this project ({who} holds {execute.shown(lock.lock_file)})",
            flush=True,
        )
        try:
            lock.acquire(timeout=seconds)
        except Timeout:
            raise BuildLocked(
                f"gave up after {seconds:g} s waiting for another build of this project ({who} holds "
                f"{execute.shown(lock.lock_file)}; NHSREPORT_LOCK_TIMEOUT sets the wait)"
            ) from None
    try:
        holder.write_text(str(os.getpid()), encoding="utf-8")
        yield
    finally:
        holder.unlink(missing_ok=True)
        lock.release()


@contextmanager
def html_step(started=None):
    """The HTML step's process, started before the notebooks run (or ``started`` earlier still);
    ended if it goes unused."""
    sphinx = started or sphinx_run(STAGING)
    try:
        yield sphinx
    finally:
        sphinx.cancel()


def place_pdf(built, deadline):
    """Put the whole-book PDF, built again only if its inputs changed, into the staged site."""
    from . import pdf  # imports this module: a top-level import here would be circular

    pdf.place_in(built, deadline)


def build(verbose=False, prepared=None, keep_pdf=False):
    """Execute and build as one transaction: if any step fails (the PDF included), the generated
    notebooks and ``figures/`` are put back, no run is recorded as done, and the old site stays.
    ``prepared``: the HTML step started in advance (a
    :class:`~nhsreport.pipeline.ready_build.Prepared`), checked once this build holds the lock.
    With ``keep_pdf`` the staged site keeps the PDF it has, however old (``make preview``)."""
    input_rules.check()  # references.bib, _config.yml, metadata.yml: refused before anything runs
    with one_build_at_a_time():
        if prepared is not None:
            prepared.check()
        started = prepared.sphinx if prepared is not None else None
        with execute.restored_on_failure(), html_step(started) as sphinx:
            deadline = execute.Deadline()
            _, stamps = execute.execute_stale(deadline=deadline)
            html_started = time.perf_counter()
            built = within_budget(build_html(sphinx, verbose, deadline))
            print(f"html built in {time.perf_counter() - html_started:.1f} s", flush=True)
            if not keep_pdf:
                place_pdf(built, deadline)
            publish(built)
            execute.record_done(stamps)
    print(f"built {SITE.relative_to(paths.PROJECT_ROOT)}/index.html", flush=True)


def main(arguments=None, prepared=None):
    """``make book``; with ``prepared``, the preview's build made ready in advance
    (:mod:`nhsreport.pipeline.ready_build`)."""
    # From the PDF's module, not this one: run as ``python -m``, this module is ``__main__``, and
    # a class of its own would not be the one the PDF's module (importing it by name) raises.
    from .pdf import PdfFailed

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show Sphinx output and tracebacks")
    parser.add_argument(
        "--plain", action="store_true", help="every speed layer off: the stock reference build"
    )
    parser.add_argument(
        "--keep-pdf",
        action="store_true",
        help="leave the site's whole-book PDF as it is, even if older than the pages (make preview)",
    )
    options = parser.parse_args(arguments)
    if options.plain:
        layers.switch_all_off()
    unchanged = "Nothing was published: the previous book in _build/html is unchanged."
    try:
        build(options.verbose, prepared, options.keep_pdf)
    except PreparedStale as error:
        print(error, file=sys.stderr)
        raise SystemExit(PREPARED_STALE) from None
    except (DataErrors, input_rules.InputErrors) as error:
        print(f"{error}\n{unchanged}", file=sys.stderr)
        raise SystemExit(2) from None
    except execute.ExecutionFailed as error:
        print(f"{error if options.verbose else execute.short(error)}\n{unchanged}", file=sys.stderr)
        raise SystemExit(1) from None
    except (execute.TimeLimitExceeded, BuildLocked) as error:
        print(f"{error}\n{unchanged}", file=sys.stderr)
        raise SystemExit(1) from None
    except execute.RestoreIncomplete as error:
        print(f"{execute.one_line(error.cause)}\n{error}\nNothing was published.", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print(f"interrupted: every running kernel was killed\n{unchanged}", file=sys.stderr)
        raise SystemExit(130) from None
    except BuildFailed as error:
        print(f"The HTML build warned or failed:\n{error}\n{unchanged}", file=sys.stderr)
        raise SystemExit(1) from None
    except PdfFailed as error:
        print(f"The whole-book PDF failed: {error}\n{unchanged}", file=sys.stderr)
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
