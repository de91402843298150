"""Execute the chapters whose inputs changed, all or nothing.

Each chapter has one text source, ``chapters/<name>.md`` (MyST Markdown with jupytext front
matter). Its executed twin ``chapters/<name>.ipynb`` is generated from it: the book renders the
saved outputs and nbval checks them. A chapter is re-executed when one of its inputs changed
since it last ran: its code cells, the source of a project module it imported, a data file it
read, or the pinned requirements (all recorded while it ran, by :mod:`nhsreport.data.reads`).
A prose edit only re-pairs the text with the saved outputs; nothing runs. Build machinery
(``nhsreport.build``) is no notebook's input.

Stale chapters run in parallel, one kernel per core; each kernel is a process of its own, forked
from a server that has already imported the heavy libraries (:mod:`.warm_kernels`). The
notebooks of the "Appendices" part of the table of contents describe what the notebooks before
them made, which they reach through ``figures/manifest.json``: each is a wave of its own, in book
order. An appendix whose own inputs changed is queued behind the chapters, so it starts on a core
the last chapters leave idle, and its first read of the manifest waits until every notebook
before it has recorded its outputs (:class:`ManifestGates`). One that is stale only because the
manifest changed starts as soon as a finished wave has changed it, and waits at its gate the
same way (the figures catalogue starts while the reproducibility appendix is still running).

All or nothing: the tracked outputs (``chapters/*.ipynb`` and ``figures/``) are saved before the
first notebook runs and put back if any notebook fails, and no run is recorded as done until
every notebook has succeeded, so a failed run leaves nothing half-built looking valid and the
next run fails the same way.

    python -m nhsreport.build.execute            # run what is stale, print what ran
    python -m nhsreport.build.execute --all      # run every notebook
    python -m nhsreport.build.execute --all chapters/networks.md   # run just this one
"""

import argparse
import copy
import fcntl
import functools
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
from jupytext.combine import combine_inputs_with_outputs
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from .. import paths
from ..contents import chapter_sources as sources
from ..contents import toc_parts
from ..data import reads
from ..data.errors import DataErrors
from ..data.load import validate
from . import provenance
from .warm_kernels import warm_kernels

STAMPS = paths.PROJECT_ROOT / "_build" / ".execution"
TIMEOUT_SECONDS = 600
LAST_PART = "Appendices"
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


def short(error):
    """One line per failed notebook: which chapter, and the error it raised."""
    return "\n".join(f"chapters/{name} failed: {reason}" for name, reason, _ in error.failures)


def say(line):
    """Print one whole line: notebooks executing side by side must not interleave their lines."""
    with PRINTING:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


# --- the chapters and their order ------------------------------------------------------------


def executed_path(source):
    return source.with_suffix(".ipynb")


def waves(chosen):
    """Groups of chapters that may run at once, in run order: all the chapters together, then
    each appendix on its own (each reads what every notebook before it wrote)."""
    last = {d for caption, documents in toc_parts() if caption == LAST_PART for d in documents}
    appendices = [n for n in chosen if f"chapters/{n.stem}" in last]
    return [[n for n in chosen if n not in appendices]] + [[n] for n in appendices]


# --- pairing: the .md is the source, the .ipynb is generated ---------------------------------


def with_stable_identity(notebook):
    """The project's notebook metadata and cell ids numbered in order (jupytext's are random)."""
    notebook.metadata = nbformat.from_dict(NOTEBOOK_METADATA)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:02d}"
    return notebook


def notebook_from_source(source):
    """The notebook a text source describes, with no outputs and stable cell ids (a copy: the
    caller may change it)."""
    return copy.deepcopy(parsed_source(source.suffix, source.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=64)
def parsed_source(suffix, text):
    """jupytext's reading of a source text, as ``jupytext.read`` of a file with that suffix
    would give it. Kept by text: a build asks for each chapter two or three times (staleness,
    pairing, execution), and jupytext parses each time from scratch."""
    return with_stable_identity(jupytext.reads(text, {"extension": suffix}))


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
    nbformat.write(combined, executed_path(source))


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
        NotebookClient(
            notebook,
            timeout=TIMEOUT_SECONDS,
            kernel_name="python3",
            record_timing=False,
            kernel_manager_class=kernel_manager_class,
            shutdown_kernel="immediate",  # its outputs are saved: nothing is left to wait for
            resources={"metadata": {"path": str(source.parent)}},
        ).execute(env=dict(os.environ, **variables))
        nbformat.write(notebook, executed_path(source))
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
    if in_first_wave and reads.MANIFEST_INPUT in read:
        reason = (
            f"it read figures/{reads.MANIFEST} while the chapters were still writing it: "
            f"list it under the '{LAST_PART}' part of _toc.yml"
        )
        return None, (source.name, reason, reason)
    provenance.record(manifest_entries(source, read, modules, outputs, package))
    return {"fingerprint": fingerprint(source, read, modules, package)}, None


def run_final(source, package, in_first_wave, kernel_manager_class, on_final, gate=None):
    """:func:`run_one`, then ``on_final([source], written=True)`` if it succeeded."""
    stamp, failure = run_one(source, package, in_first_wave, kernel_manager_class, gate)
    if stamp:
        on_final([source], written=True)
    return stamp, failure


def wave_stamps(wave, running):
    """Wait for a wave's notebooks (futures of :func:`run_final`); return their stamps."""
    results = {source: running[source].result() for source in wave}
    failures = [failure for _, failure in results.values() if failure]
    if failures:
        raise ExecutionFailed(failures)
    return {source: stamp for source, (stamp, _) in results.items()}


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
    start at once: its first read of the manifest waits (:func:`..data.reads.read_manifest`)."""

    def __init__(self, count):
        self.folder = Path(tempfile.mkdtemp(prefix="nhsreport-gates-"))
        self.held = {}
        for number in range(1, count):
            handle = open(self.path(number), "wb")
            fcntl.flock(handle, fcntl.LOCK_EX)
            self.held[number] = handle

    def path(self, number):
        return self.folder / f"wave-{number}.lock"

    def open(self, number):
        """Let the notebooks of wave ``number`` read the manifest."""
        handle = self.held.pop(number, None)
        if handle:
            handle.close()

    def open_all(self):
        for number in list(self.held):
            self.open(number)

    def abandon(self):
        """Open every gate with a note that the build stopped: a notebook waiting there stops
        too, instead of running on over a manifest half made."""
        for handle in self.held.values():
            handle.write(b"the build stopped before the notebooks this one describes had finished")
            handle.flush()
        self.open_all()

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.open_all()
        shutil.rmtree(self.folder, ignore_errors=True)


# --- all or nothing --------------------------------------------------------------------------


def tracked_outputs():
    """What a run may rewrite: the generated notebooks and the figures folder."""
    return [*paths.CHAPTERS_DIR.glob("*.ipynb"), paths.FIGURES_DIR]


@contextmanager
def restored_on_failure():
    """Put the generated notebooks and ``figures/`` back as they were if the block fails."""
    backup = Path(tempfile.mkdtemp(prefix="nhsreport-outputs-"))
    notebooks = list(paths.CHAPTERS_DIR.glob("*.ipynb"))
    for notebook in notebooks:
        shutil.copy2(notebook, backup / notebook.name)
    if paths.FIGURES_DIR.exists():
        shutil.copytree(paths.FIGURES_DIR, backup / "figures")
    try:
        yield
    except BaseException:
        for notebook in paths.CHAPTERS_DIR.glob("*.ipynb"):
            if not (backup / notebook.name).exists():
                notebook.unlink()
        for notebook in notebooks:
            shutil.copy2(backup / notebook.name, notebook)
        if (backup / "figures").exists():
            shutil.rmtree(paths.FIGURES_DIR, ignore_errors=True)
            shutil.copytree(backup / "figures", paths.FIGURES_DIR)
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)


def write_stamp(source, stamp):
    stamp["outputs"] = outputs_hash(source)
    path = stamp_path(source)
    path.write_text(json.dumps(stamp, indent=1, sort_keys=True), encoding="utf-8")


def execute_stale(force=False, only=None, on_final=lambda sources, written: None):
    """Execute stale chapters (of ``only``, if given) and re-pair edited prose; return the names
    executed and their stamps, not yet recorded. Call it inside :func:`restored_on_failure`.
    ``on_final(sources, written)`` is called with chapters as soon as their notebooks will not
    change again in this run, and says whether this run wrote them (``make book`` reads their
    pages then).

    Raises :class:`~nhsreport.data.errors.DataErrors` for bad data (before anything runs) and
    :class:`ExecutionFailed` when a notebook fails.
    """
    chosen = [s for s in sources() if not only or s.stem in only]
    planned = waves(chosen)
    with (
        warm_kernels() as server,
        ManifestGates(len(planned)) as gates,
        ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool,  # one kernel per core
    ):
        if force or not all(stamp_path(s).exists() for s in chosen):
            server.start()  # a kernel will surely be needed: its imports overlap validation
        kernel_manager_class = server.manager_class()
        package = validate().package
        STAMPS.mkdir(parents=True, exist_ok=True)
        on_final([s for s in sources() if s not in chosen], written=False)
        executed, stamps, running = [], {}, {}

        def start(source, number):
            gate = gates.path(number) if number else None
            running[source] = pool.submit(
                run_final, source, package, number == 0, kernel_manager_class, on_final, gate
            )

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
                on_final(unchanged, written=bool(repaired))
                for source, later in appendices_to_start(
                    planned, number, running, lambda s: force or is_stale(s, package)
                ):
                    start(source, later)
                stamps.update(wave_stamps(stale, running))
                executed += [s.stem for s in stale]
                gates.open(number + 1)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
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
    except ExecutionFailed as error:
        print(
            f"{error}\n\nNothing was recorded as done; chapters/ and figures/ are as they were.",
            file=sys.stderr,
        )
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
