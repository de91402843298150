"""The one record of what a notebook depends on: every project file it read and every project
module it imported.

Every read of a project file that can change a notebook's outputs goes through
:func:`record_read`, named by its path in the project: a data file and its schema (through
:class:`~nhsreport.data.load.Dataset`), the figures manifest, ``metadata.yml``,
``references.bib``, ``_toc.yml``. Every project module a notebook imports is recorded as it is
imported, whenever that happens (:func:`record_imports`, started by the package itself when the
build names a log), not only once the notebook saves an output. Every figure or table a chapter
saves goes through :func:`record_output`. When the build runs a notebook it names a log file in
``NHSREPORT_ACCESS_LOG``; each event is appended there as one JSON line, and
:func:`read_log` gives the build the notebook's inputs and outputs.

The build may start an appendix while the chapters still run. It then names a lock file in
``NHSREPORT_MANIFEST_GATE`` and holds it until every notebook before the appendix has recorded
its outputs; :func:`read_manifest` waits for it, so an appendix never sees a manifest half made.
"""

import json
import os
import sys
from pathlib import Path

from filelock import FileLock

from .. import paths

MANIFEST = "manifest.json"
#: How a read of the figures manifest is recorded (a project path, like every other input).
MANIFEST_INPUT = f"figures/{MANIFEST}"
LOG_VARIABLE = "NHSREPORT_ACCESS_LOG"
GATE_VARIABLE = "NHSREPORT_MANIFEST_GATE"
#: Build machinery never changes what a notebook computes, so it is no notebook's input.
NOT_INPUTS = ("nhsreport.pipeline",)

_read = set()


def is_input_module(name):
    """Whether a module of this name is project code a notebook's outputs can depend on."""
    in_project = name == "nhsreport" or name.startswith("nhsreport.")
    return in_project and not (name in NOT_INPUTS or name.startswith(tuple(f"{n}." for n in NOT_INPUTS)))


def _log(event):
    log = os.environ.get(LOG_VARIABLE)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event, sort_keys=True) + "\n")


class _ImportRecorder:
    """A finder that finds nothing: it only logs each project module as it is first imported."""

    def find_spec(self, name, path=None, target=None):
        if is_input_module(name):
            _log({"imported": name})
        return None


def record_imports():
    """Log the project modules loaded so far and, from now on, each one as it is imported (once
    per process; a no-op when the build named no log)."""
    if not os.environ.get(LOG_VARIABLE) or any(isinstance(f, _ImportRecorder) for f in sys.meta_path):
        return
    for name in [n for n, module in list(sys.modules.items()) if getattr(module, "__file__", None)]:
        if is_input_module(name):
            _log({"imported": name})
    sys.meta_path.insert(0, _ImportRecorder())


def record_read(path):
    """Note that this process read a project file, by its path in the project
    (``data/tenure.csv``, ``metadata.yml``; a resource's schema is ``data/datapackage.json#name``)."""
    if path not in _read:
        _read.add(path)
        _log({"read": path})


def reads():
    """Every project file read so far in this process."""
    return sorted(_read)


def data_files_read():
    """The data files read so far, by their path in ``data/`` (as the manifest names them)."""
    return sorted(p.removeprefix("data/") for p in _read if p.startswith("data/") and "#" not in p)


def other_files_read():
    """The project's other source files read so far (``metadata.yml``, ``references.bib``, ...):
    everything but data and the figures folder, which the build itself writes."""
    return sorted(p for p in _read if not p.startswith(("data/", "figures/")))


def record_output(entry):
    """Note a figure or table this process saved (label, kind, caption, files, data read)."""
    _log({"output": entry})


class BuildStopped(RuntimeError):
    """The build gave up on this notebook while it waited for the manifest."""


def stopped_note(gate):
    """The file beside a gate in which the build says why it gave up (see BuildStopped)."""
    return Path(f"{gate}.stopped")


def wait_until_manifest_complete():
    """Block while the build still holds this notebook's gate (see the module docstring)."""
    gate = os.environ.get(GATE_VARIABLE)
    if gate:
        with FileLock(gate):  # a portable lock: fcntl exists on no Windows
            pass
        note = stopped_note(gate)
        if note.exists():
            raise BuildStopped(note.read_text(encoding="utf-8"))


class ManifestBroken(ValueError):
    """``figures/manifest.json`` is truncated or malformed; the message says how to rebuild it."""


#: What rebuilds a broken manifest (the executor also does it by itself, see nhsreport.pipeline.execute).
REBUILD_COMMAND = "make execute"


def manifest_problem(folder=None):
    """None if the manifest is absent or a JSON object; else one line naming the file and what is
    wrong with it."""
    path = Path(folder or paths.FIGURES_DIR) / MANIFEST
    if not path.exists():
        return None
    shown = path.relative_to(paths.PROJECT_ROOT) if path.is_relative_to(paths.PROJECT_ROOT) else path
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"{shown} is truncated or malformed ({error})"
    if not isinstance(manifest, dict):
        return f"{shown} is malformed (a JSON {type(manifest).__name__}, not an object)"
    return None


def read_manifest(folder=None, *, as_input=True):
    """``figures/manifest.json``: what made each figure and table (the project's one reader of it);
    {} if absent, :class:`ManifestBroken` if it cannot be read as one.

    A notebook reads it as an input: the read waits at the build's gate and is recorded. The
    build machinery, which is no notebook's input, passes ``as_input=False``."""
    if as_input:
        wait_until_manifest_complete()
        record_read(MANIFEST_INPUT)
    problem = manifest_problem(folder)
    if problem:
        raise ManifestBroken(f"{problem}; `{REBUILD_COMMAND}` rebuilds it")
    path = Path(folder or paths.FIGURES_DIR) / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def read_log(path):
    """The events of one access log: (project files read, project modules imported, outputs)."""
    read, modules, outputs = set(), set(), []
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    for line in text.splitlines():
        event = json.loads(line)
        if "imported" in event:
            modules.add(event["imported"])
        if "read" in event:
            read.add(event["read"])
        if "output" in event:
            outputs.append(event["output"])
    return read, modules, outputs
