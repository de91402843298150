"""The one record of what a notebook depends on: the data it read and the package code it ran.

Every read of a data resource (through :class:`~nhsreport.data.load.Dataset`) and of the figures
manifest goes through :func:`record_read`; every figure or table a chapter saves goes through
:func:`record_output`, with the data read so far. When the build runs a notebook it names a log
file in ``NHSREPORT_ACCESS_LOG``; each event is appended there as one JSON line, together with
the project modules imported so far, so the build knows exactly which data files and which
modules each notebook (and each output) depends on.
"""

import json
import os
import sys

from .. import paths

MANIFEST = "manifest.json"
LOG_VARIABLE = "NHSREPORT_ACCESS_LOG"
#: Build machinery never changes what a notebook computes, so it is no notebook's input.
NOT_INPUTS = ("nhsreport.build",)

_read = set()


def imported_modules():
    """Names of the project's modules loaded in this process (build machinery left out)."""
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if name.startswith("nhsreport")
        and getattr(module, "__file__", None)
        and not name.startswith(NOT_INPUTS)
    )


def _log(event):
    log = os.environ.get(LOG_VARIABLE)
    if log:
        event["modules"] = imported_modules()
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event, sort_keys=True) + "\n")


def record_read(name):
    """Note that this process read a data resource (by name) or the figures manifest."""
    if name not in _read:
        _read.add(name)
        _log({"read": name})


def reads():
    """Everything read so far in this process."""
    return sorted(_read)


def record_output(entry):
    """Note a figure or table this process saved (label, kind, caption, files, data read)."""
    _log({"output": entry})


def read_manifest(folder=None):
    """``figures/manifest.json``: what made each figure and table (a recorded read)."""
    record_read(MANIFEST)
    path = (folder or paths.FIGURES_DIR) / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def read_log(path):
    """The events of one access log: (resources and manifest read, modules imported, outputs)."""
    read, modules, outputs = set(), set(), []
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    for line in text.splitlines():
        event = json.loads(line)
        modules.update(event.get("modules", []))
        if "read" in event:
            read.add(event["read"])
        if "output" in event:
            outputs.append(event["output"])
    return read, modules, outputs
