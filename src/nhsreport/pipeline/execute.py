"""Execute the chapters whose inputs changed, all or nothing.

Each chapter has one text source, ``chapters/<name>.md`` (MyST Markdown with jupytext front
matter). Its executed twin ``chapters/<name>.ipynb`` is generated from it: the book renders the
saved outputs and nbval checks them. A chapter is re-executed when one of its inputs changed
since it last ran: its code cells, the source of a project module it imported, a data file it
read, or the pinned requirements (all recorded while it ran, by :mod:`nhsreport.data.reads`).
A prose edit only re-pairs the text with the saved outputs; nothing runs. Build machinery
(``nhsreport.pipeline``) is no notebook's input.

Stale chapters run in parallel, one kernel per core; each kernel is a process of its own, forked
from a server that has already imported the heavy libraries (:mod:`.warm_kernels`). The
chapters whose front matter says ``nhsreport: {reads_manifest: true}`` (the appendices) describe
what the notebooks before them made, which they reach through ``figures/manifest.json``: each is
a wave of its own, in book order. An appendix whose own inputs changed is queued behind the chapters, so it starts on a core
the last chapters leave idle, and its first read of the manifest waits until every notebook
before it has recorded its outputs (:class:`ManifestGates`). One that is stale only because the
manifest changed starts as soon as a finished wave has changed it, and waits at its gate the
same way (the figures catalogue starts while the reproducibility appendix is still running).

All or nothing: the tracked outputs (``chapters/*.ipynb`` and every file in ``figures/``) are
copied aside before the first notebook runs and, if any notebook fails, put back one file at a
time (each replaced in one step, then checked against the copy's sha256); no run is recorded as
done until every notebook has succeeded, so a failed run leaves nothing half-built looking valid
and the next run fails the same way. A file that cannot be put back is named, left as it is, and
the copies are kept (:class:`RestoreIncomplete`).

Stopping stops: when a notebook fails, the build is interrupted or runs past its time limit
(``NHSREPORT_BUILD_TIMEOUT``), every kernel still running is killed at once, and one still
starting is killed as soon as it has started (:meth:`.warm_kernels.KernelServer.kill_kernels`).
A cell whose output grows past ``NHSREPORT_MAX_CELL_OUTPUT`` bytes fails its chapter.

    python -m nhsreport.pipeline.execute            # run what is stale, print what ran
    python -m nhsreport.pipeline.execute --all      # run every notebook
    python -m nhsreport.pipeline.execute --all chapters/networks.md   # run just this one
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import jupytext
import nbformat
from filelock import FileLock
from jupytext.combine import combine_inputs_with_outputs
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from .. import atomic, paths
from ..contents import chapter_sources as sources
from ..data import reads
from ..data.errors import DataErrors
from ..data.load import validate
from . import layers, provenance
from .warm_kernels import warm_kernels

STAMPS = paths.PROJECT_ROOT / "_build" / ".execution"
#: The limits, each overridable by its environment variable: seconds one cell may run; seconds a
#: whole build may run (then every kernel is killed); bytes of output one cell may produce.
LIMITS = {
    "NHSREPORT_CELL_TIMEOUT": 600,
    "NHSREPORT_BUILD_TIMEOUT": 1800,
    "NHSREPORT_MAX_CELL_OUTPUT": 2 * 1024 * 1024,
}
#: The front-matter key by which a chapter says it describes what the notebooks before it made
#: (it reads figures/manifest.json), so it runs after them: ``nhsreport: {reads_manifest: true}``.
MANIFEST_READER_KEY = "reads_manifest"
PRINTING = threading.Lock()
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
    "jupytext": {"formats": "ipynb,md:myst"},
}


class ExecutionFailed(Exception):
    """One or more notebooks failed; tracked outputs have been restored.

    ``failures`` holds (chapter file, one-line reason, full report) for each failed notebook.
    """

    def __init__(self, failures):
        self.failures = failures
        super().__init__("\n\n".join(full for _, _, full in failures))


class TimeLimitExceeded(Exception):
    """The build ran past its whole-build time limit; its kernels were killed."""

    def __init__(self, seconds):
        super().__init__(
            f"the build ran past its time limit of {seconds:g} s (NHSREPORT_BUILD_TIMEOUT); "
            "every running kernel was killed"
        )


class OutputTooLarge(Exception):
    """A cell's output grew past the cap (a chapter failure, named by :func:`run_one`)."""


class RestoreIncomplete(Exception):
    """After a failure, some tracked outputs could not be put back. They are named and left as
    the failed run made them; the copies of every tracked output are kept in ``backup``."""

    def __init__(self, cause, problems, backup):
        self.cause, self.problems, self.backup = cause, problems, backup
        lines = [
            f"could not put back {shown(path)} ({why}): it is left as the failed run made it"
            for path, why in problems
        ]
        lines.append(f"the copies of chapters/*.ipynb and figures/ from before the run are kept in {backup}")
        super().__init__("\n".join(lines))


def limit(name):
    """The limit ``name`` (see LIMITS), from the environment if set there."""
    value = os.environ.get(name)
    return float(value) if value else LIMITS[name]


def short(error):
    """One line per failed notebook: which chapter, and the error it raised."""
    return "\n".join(f"chapters/{name} failed: {reason}" for name, reason, _ in error.failures)


def shown(path):
    """A path as the user knows it: relative to the project where it is inside it."""
    path = Path(path)
    return str(path.relative_to(paths.PROJECT_ROOT)) if path.is_relative_to(paths.PROJECT_ROOT) else str(path)


def say(line):
    """Print one whole line: notebooks executing side by side must not interleave their lines."""
    with PRINTING:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


# --- the chapters and their order ------------------------------------------------------------


def executed_path(source):
    return source.with_suffix(".ipynb")


def reads_manifest(source):
    """Whether a chapter's front matter says it reads figures/manifest.json (the appendices that
    describe what the notebooks before them made)."""
    front_matter = jupytext.reads(source.read_text(encoding="utf-8"), {"extension": source.suffix}).metadata
    return bool((front_matter.get("nhsreport") or {}).get(MANIFEST_READER_KEY))


def waves(chosen):
    """Groups of chapters that may run at once, in run order: all the chapters together, then
    each chapter that reads the manifest on its own, in book order (each reads what every
    notebook before it wrote)."""
    appendices = [n for n in chosen if reads_manifest(n)]
    return [[n for n in chosen if n not in appendices]] + [[n] for n in appendices]


# --- pairing: the .md is the source, the .ipynb is generated ---------------------------------


def with_stable_identity(notebook):
    """The project's notebook metadata and cell ids numbered in order (jupytext's are random)."""
    notebook.metadata = nbformat.from_dict(NOTEBOOK_METADATA)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:02d}"
    return notebook


def notebook_from_source(source):
    """The notebook a text source describes, with no outputs and stable cell ids."""
    return with_stable_identity(
        jupytext.reads(source.read_text(encoding="utf-8"), {"extension": source.suffix})
    )


def cell_inputs(notebook):
    """What a reader wrote: each cell's kind, text and tags (outputs and ids left out)."""
    return [(c.cell_type, c.source, c.get("metadata", {}).get("tags", [])) for c in notebook.cells]


def in_sync(source):
    """Whether the generated notebook holds exactly the cells of its text source."""
    path = executed_path(source)
    if not path.exists():
        return False
    return cell_inputs(nbformat.read(path, as_version=4)) == cell_inputs(notebook_from_source(source))


def repair(source):
    """Bring new prose into the generated notebook, keeping its saved outputs and the metadata
    of the run that made them (an execution would write the same)."""
    saved = nbformat.read(executed_path(source), as_version=4)
    combined = with_stable_identity(combine_inputs_with_outputs(notebook_from_source(source), saved))
    combined.metadata = saved.metadata
    write_notebook(combined, executed_path(source))


def write_notebook(notebook, path):
    """Write a notebook as ``nbformat.write`` would, in one step (:mod:`nhsreport.atomic`)."""
    text = nbformat.writes(notebook)
    atomic.write_text(path, text if text.endswith("\n") else text + "\n")


# --- what a notebook depends on --------------------------------------------------------------


def input_file(path):
    """The file behind a recorded read (a path in the project; ``#`` names a part of a file)."""
    file = path.split("#", 1)[0]
    for prefix, folder in (("data/", paths.DATA_DIR), ("figures/", paths.FIGURES_DIR)):
        if file.startswith(prefix):
            return folder / file.removeprefix(prefix)
    return paths.PROJECT_ROOT / file


def resource_schema_hash(name, package):
    """sha256 of one resource's description in ``datapackage.json``, its file's hash left out
    (the file is an input of its own): its schema decides the types a chapter reads."""
    resource = next((r for r in package["resources"] if r["name"] == name), None)
    if resource is None:
        return None
    described = {key: value for key, value in resource.items() if key not in ("hash", "bytes")}
    return provenance.sha256_bytes(json.dumps(described, sort_keys=True).encode())


def input_hash(path, package):
    """sha256 of a recorded input as it is now (None if it is gone)."""
    if path.startswith("data/datapackage.json#"):
        return resource_schema_hash(path.split("#", 1)[1], package)
    if path.endswith(".md#code"):  # a chapter's code cells, not its prose
        file = input_file(path)
        return provenance.code_cells_hash(notebook_from_source(file)) if file.is_file() else None
    file = input_file(path)
    return provenance.sha256_of(file) if file.is_file() else None


def fingerprint(source, read, modules, package):
    """Everything a notebook's outputs depend on: its code, each project module it imported and
    each project file it read (data files by path, so a renamed file counts as changed), and the
    pinned requirements."""
    return {
        "notebook_code": provenance.code_cells_hash(notebook_from_source(source)),
        "modules": {name: provenance.modules_hash([name]) for name in sorted(modules)},
        "requirements": provenance.sha256_of(paths.PROJECT_ROOT / "requirements.txt"),
        "files": {path: input_hash(path, package) for path in sorted(read)},
    }


def changed_inputs(recorded, current):
    """What differs between two fingerprints, named for a reader ("data/tenure.csv", a module)."""
    changed = [key for key in ("notebook_code", "requirements") if recorded.get(key) != current.get(key)]
    for group in ("modules", "files"):
        before, now = recorded.get(group, {}), current.get(group, {})
        changed += [name for name in sorted(set(before) | set(now)) if before.get(name) != now.get(name)]
    return changed


def outputs_hash(source):
    """sha256 of the saved outputs: a notebook whose outputs were cleared or edited is stale."""
    path = executed_path(source)
    if not path.exists():
        return None
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    outputs = [c.get("outputs", []) for c in cells if c["cell_type"] == "code"]
    return provenance.sha256_bytes(json.dumps(outputs, sort_keys=True).encode())


def stamp_path(source):
    return STAMPS / f"{source.stem}.json"


def stale_because(source, package):
    """Why a chapter must run again (a short phrase), or None if it is up to date."""
    path = stamp_path(source)
    if not path.exists() or not executed_path(source).exists():
        return "never run"
    stamp = json.loads(path.read_text(encoding="utf-8"))
    recorded = stamp.get("fingerprint", {})
    if not isinstance(recorded.get("files"), dict) or not isinstance(recorded.get("modules"), dict):
        return "recorded by an older build"
    current = fingerprint(source, recorded["files"], recorded["modules"], package)
    changed = changed_inputs(recorded, current)
    if changed:
        return "changed: " + ", ".join(changed)
    if stamp.get("outputs") != outputs_hash(source):
        return "its saved outputs were edited"
    return None


def is_stale(source, package):
    return stale_because(source, package) is not None


# --- running one notebook --------------------------------------------------------------------


class CappedClient(NotebookClient):
    """A notebook client that fails a cell whose output grows past ``max_cell_output`` bytes
    (a cell printing 100 MB would otherwise make a 100 MB notebook and page)."""

    def __init__(self, notebook, max_cell_output, **options):
        super().__init__(notebook, **options)
        self.max_cell_output = max_cell_output
        self.output_bytes = {}

    def output(self, outs, msg, display_id, cell_index):
        size = self.output_bytes.get(cell_index, 0) + len(json.dumps(msg["content"]))
        self.output_bytes[cell_index] = size
        if size > self.max_cell_output:
            raise OutputTooLarge(
                f"cell {cell_index + 1} produced more than {int(self.max_cell_output)} bytes of output "
                "(NHSREPORT_MAX_CELL_OUTPUT)"
            )
        return super().output(outs, msg, display_id, cell_index)


def execute(source, kernel_manager_class, gate=None):
    """Run a chapter from its text source; write its executed notebook. Return what it read,
    the modules it imported and the outputs it reported. ``gate`` is the lock file its reads of
    the manifest wait for."""
    notebook = notebook_from_source(source)
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as log:
        access_log = log.name
    try:
        # Each kernel gets its own access log through its environment: kernels run side by side.
        variables = {reads.LOG_VARIABLE: access_log}
        if gate:
            variables[reads.GATE_VARIABLE] = str(gate)
        CappedClient(
            notebook,
            max_cell_output=limit("NHSREPORT_MAX_CELL_OUTPUT"),
            timeout=limit("NHSREPORT_CELL_TIMEOUT"),
            kernel_name="python3",
            record_timing=False,
            kernel_manager_class=kernel_manager_class,
            shutdown_kernel="immediate",  # its outputs are saved: nothing is left to wait for
            resources={"metadata": {"path": str(source.parent)}},
        ).execute(env=dict(os.environ, **variables))
        write_notebook(notebook, executed_path(source))
        return reads.read_log(access_log)
    finally:
        os.unlink(access_log)


def manifest_entries(source, read, modules, outputs, package):
    """Manifest entries for the outputs a notebook reported."""
    hashes = {r["path"]: r["hash"].split(":", 1)[1] for r in package["resources"]}
    code = {
        "notebook_sha256": provenance.code_cells_hash(notebook_from_source(source)),
        "modules_sha256": provenance.modules_hash(modules),
    }
    packages = provenance.key_package_versions()
    return {
        output["label"]: provenance.manifest_entry(output, hashes, code, packages, paths.FIGURES_DIR)
        for output in outputs
    }


def run_one(source, package, in_first_wave, kernel_manager_class, gate=None):
    """Run one notebook; return (stamp, None) or (None, the reason it failed)."""
    stamp_path(source).unlink(missing_ok=True)  # a run that fails leaves it stale
    say(f"executing {source.relative_to(paths.PROJECT_ROOT)}")
    started = time.perf_counter()
    try:
        read, modules, outputs = execute(source, kernel_manager_class, gate)
        say(f"finished {source.relative_to(paths.PROJECT_ROOT)} in {time.perf_counter() - started:.1f} s")
    except CellExecutionError as error:
        reason = f"{error.ename}: {error.evalue}".strip()
        return None, (source.name, reason, f"{source.name} failed:\n{error}")
    except Exception as error:  # a dead kernel, a cell timeout, an output too large: name the chapter
        reason = f"{type(error).__name__}: {error}".strip()
        return None, (source.name, reason, f"{source.name} failed: {reason}")
    if in_first_wave and reads.MANIFEST_INPUT in read:
        reason = (
            f"it read figures/{reads.MANIFEST} while the chapters were still writing it: "
            f"give its front matter `nhsreport: {{{MANIFEST_READER_KEY}: true}}`"
        )
        return None, (source.name, reason, reason)
    notebook = f"chapters/{executed_path(source).name}"
    provenance.record(manifest_entries(source, read, modules, outputs, package), notebook=notebook)
    return {"fingerprint": fingerprint(source, read, modules, package)}, None


def wave_stamps(wave, running, deadline):
    """Wait for a wave's notebooks (futures of :func:`run_one`); return their stamps. Raise
    :class:`ExecutionFailed` as soon as one fails, without waiting for the others (the caller
    kills them), and :class:`TimeLimitExceeded` at the ``deadline`` (a :class:`Deadline`)."""
    waiting = {running[source]: source for source in wave}
    stamps = {}
    while waiting:
        done, _ = concurrent.futures.wait(
            waiting, timeout=deadline.remaining(), return_when=concurrent.futures.FIRST_COMPLETED
        )
        if not done:
            raise TimeLimitExceeded(deadline.seconds)
        results = {waiting.pop(future): future.result() for future in done}
        failures = [failure for _, failure in results.values() if failure]
        if failures:
            raise ExecutionFailed(failures)
        stamps.update({source: stamp for source, (stamp, _) in results.items()})
    return stamps


class Deadline:
    """The whole build's time limit (``NHSREPORT_BUILD_TIMEOUT``), counted from its creation."""

    def __init__(self, seconds=None):
        self.seconds = limit("NHSREPORT_BUILD_TIMEOUT") if seconds is None else seconds
        self.ends = time.monotonic() + self.seconds

    def remaining(self):
        return max(0.0, self.ends - time.monotonic())


def appendices_to_start(planned, number, started, stale):
    """(notebook, its wave) of the later waves' notebooks to start with wave ``number``: those
    not ``started`` yet that are already known to be ``stale`` (their own inputs changed, or the
    waves that have finished changed the manifest). They queue behind the wave, to use a core its
    last notebooks leave idle, and each waits at its gate to read the manifest."""
    return [
        (source, later)
        for later, wave in enumerate(planned[number + 1 :], start=number + 1)
        for source in wave
        if source not in started and stale(source)
    ]


class ManifestGates:
    """One lock file per wave, held by the build until every notebook of the waves before it
    has finished and recorded its outputs in the manifest. A notebook given its wave's gate may
    start at once: its first read of the manifest waits (:func:`nhsreport.data.reads.read_manifest`).
    The locks are ``filelock`` locks, which work wherever Python runs."""

    def __init__(self, count):
        self.folder = Path(tempfile.mkdtemp(prefix="nhsreport-gates-"))
        self.held = {}
        for number in range(1, count):
            gate = FileLock(self.path(number))
            gate.acquire()
            self.held[number] = gate

    def path(self, number):
        return self.folder / f"wave-{number}.lock"

    def open(self, number):
        """Let the notebooks of wave ``number`` read the manifest."""
        gate = self.held.pop(number, None)
        if gate:
            gate.release()

    def open_all(self):
        for number in list(self.held):
            self.open(number)

    def abandon(self):
        """Open every gate with a note that the build stopped: a notebook waiting there stops
        too, instead of running on over a manifest half made."""
        for number in self.held:
            reads.stopped_note(self.path(number)).write_text(
                "the build stopped before the notebooks this one describes had finished", encoding="utf-8"
            )
        self.open_all()

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.open_all()
        shutil.rmtree(self.folder, ignore_errors=True)


# --- all or nothing --------------------------------------------------------------------------


def tracked_files():
    """What a run may rewrite: the generated notebooks and every file in the figures folder."""
    figures = [p for p in paths.FIGURES_DIR.rglob("*") if p.is_file()] if paths.FIGURES_DIR.exists() else []
    return sorted([*paths.CHAPTERS_DIR.glob("*.ipynb"), *figures])


def saved_copies(backup):
    """Copy every tracked file into ``backup``; return {file: (its copy, its sha256)}."""
    saved = {}
    for number, path in enumerate(tracked_files()):
        content = path.read_bytes()
        kept = backup / str(number)
        kept.write_bytes(content)
        saved[path] = (kept, provenance.sha256_bytes(content))
    return saved


def put_back(path, kept):
    """Replace ``path`` by the copy ``kept``, in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(path, kept.read_bytes())


def restore(saved):
    """Put every tracked file back as ``saved``, one file at a time, never removing a folder;
    return (file, why) for each that could not be, checked by sha256 afterwards."""
    problems = {}
    for path in tracked_files():
        if path not in saved:  # made by the failed run
            try:
                path.unlink()
            except OSError as error:
                problems[path] = f"{type(error).__name__}: {error.strerror or error}"
    for path, (kept, digest) in saved.items():
        if path.exists() and provenance.sha256_of(path) == digest:
            continue
        try:
            put_back(path, kept)
        except OSError as error:
            problems[path] = f"{type(error).__name__}: {error.strerror or error}"
    for path, (_, digest) in saved.items():
        if path not in problems and not (path.exists() and provenance.sha256_of(path) == digest):
            problems[path] = "its content differs from the saved copy after putting it back"
    return sorted(problems.items())


@contextmanager
def restored_on_failure():
    """Put the generated notebooks and the files of ``figures/`` back as they were if the block
    fails (see the module docstring); raise :class:`RestoreIncomplete` if some could not be."""
    backup = Path(tempfile.mkdtemp(prefix="nhsreport-outputs-"))
    try:
        saved = saved_copies(backup)
    except BaseException:
        shutil.rmtree(backup, ignore_errors=True)
        raise
    try:
        yield
    except BaseException as failure:
        problems = restore(saved)
        if problems:
            raise RestoreIncomplete(failure, problems, backup) from failure
        shutil.rmtree(backup, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def write_stamp(source, stamp):
    stamp["outputs"] = outputs_hash(source)
    atomic.write_text(stamp_path(source), json.dumps(stamp, indent=1, sort_keys=True))


def rebuild_if_manifest_broken():
    """A truncated or malformed ``figures/manifest.json`` (a kill or a full disk mid-write) is
    named, and every chapter is made stale so that this run writes it afresh. Its stamps are
    removed first: if this run fails and the broken file is put back, it is never taken as valid.
    Returns whether it was broken."""
    problem = provenance.manifest_problem()
    if problem is None:
        return False
    say(f"{problem}: every chapter is executed again to rebuild it")
    for stamp in STAMPS.glob("*.json"):
        stamp.unlink()
    (paths.FIGURES_DIR / reads.MANIFEST).unlink()
    return True


def kernels_at_once():
    """One kernel per core; one at a time, in book order, with NHSREPORT_PARALLEL=0
    (:mod:`nhsreport.pipeline.layers`)."""
    return (os.cpu_count() or 1) if layers.on("NHSREPORT_PARALLEL") else 1


def execute_stale(force=False, only=None, deadline=None):
    """Execute stale chapters (of ``only``, if given) and re-pair edited prose; return the names
    executed and their stamps, not yet recorded. Call it inside :func:`restored_on_failure`.

    Raises :class:`~nhsreport.data.errors.DataErrors` for bad data (before anything runs),
    :class:`ExecutionFailed` when a notebook fails and :class:`TimeLimitExceeded` past the
    ``deadline`` (a :class:`Deadline`; by default the build's limit from now). On any of these,
    or an interrupt, the kernels still running are killed at once.
    """
    deadline = deadline or Deadline()
    if rebuild_if_manifest_broken():
        force, only = True, None
    chosen = [s for s in sources() if not only or s.stem in only]
    planned = waves(chosen)
    with (
        warm_kernels() as server,
        ManifestGates(len(planned)) as gates,
        ThreadPoolExecutor(max_workers=kernels_at_once()) as pool,
    ):
        if force or not all(stamp_path(s).exists() for s in chosen):
            server.start()  # a kernel will surely be needed: its imports overlap validation
        kernel_manager_class = server.manager_class()
        package = validate().package
        STAMPS.mkdir(parents=True, exist_ok=True)
        executed, stamps, running = [], {}, {}

        def start(source, number):
            gate = gates.path(number) if number else None
            running[source] = pool.submit(run_one, source, package, number == 0, kernel_manager_class, gate)

        try:
            for number, wave in enumerate(planned):
                # Decide staleness per wave: an earlier wave may have rewritten what this one reads.
                stale = [s for s in wave if s in running or force or is_stale(s, package)]
                for source in stale:
                    if source not in running:
                        start(source, number)
                unchanged = [s for s in wave if s not in stale]
                repaired = [s for s in unchanged if not in_sync(s)]
                for source in repaired:
                    repair(source)
                for source, later in appendices_to_start(
                    planned, number, running, lambda s: force or is_stale(s, package)
                ):
                    start(source, later)
                stamps.update(wave_stamps(stale, running, deadline))
                executed += [s.stem for s in stale]
                gates.open(number + 1)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            # The pool's `with` waits for its threads: each ends once its kernel is dead.
            server.kill_kernels()
            gates.abandon()  # an appendix waiting at its gate stops instead of waiting forever
            raise
    print(f"executed {len(executed)} of {len(sources())} notebooks", flush=True)
    return executed, stamps


def record_done(stamps):
    """Record runs as done: only once everything they were part of has succeeded."""
    for source, stamp in stamps.items():
        write_stamp(source, stamp)


def run(force=False, only=None):
    """Execute stale chapters, all or nothing; return the names of those executed."""
    with restored_on_failure():
        executed, stamps = execute_stale(force, only)
    record_done(stamps)
    return executed


def main(arguments=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="execute even if nothing changed")
    parser.add_argument("notebooks", nargs="*", help="limit to these chapters")
    options = parser.parse_args(arguments)
    try:
        run(force=options.all, only={Path(n).stem for n in options.notebooks})
    except DataErrors as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None
    except (ExecutionFailed, TimeLimitExceeded) as error:
        print(
            f"{error}\n\nNothing was recorded as done; chapters/ and figures/ are as they were.",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    except RestoreIncomplete as error:
        print(f"{one_line(error.cause)}\n{error}\nNothing was recorded as done.", file=sys.stderr)
        raise SystemExit(1) from None


def one_line(error):
    """What failed, in as few lines as the failure allows (one per failed chapter)."""
    if isinstance(error, ExecutionFailed):
        return short(error)
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    return f"{type(error).__name__}: {error}"


if __name__ == "__main__":
    main()
