"""Results too costly to compute twice, kept on disk under a hash of everything they depend on.

A cached value is found only by the sha256 of its inputs: the bytes it was computed from, the
source of the code that computed it and the versions of the libraries that code used. Change any
of them and the key changes, so a stale value can never be served; it is simply never asked for
again. Entries are JSON files in ``_build/cache`` (``make clean`` removes them; ``NHSREPORT_CACHE``
names another folder, as the tests' private project copies do to share one), written whole
(write, then rename), so notebooks running side by side can share them, and a value that two of
them ask for at once is computed by one while the other waits (a ``filelock`` lock, which works
wherever Python runs).

``NHSREPORT_RESULT_CACHE=0`` (and the plain build, :mod:`nhsreport.pipeline.layers`) switches the
cache off: nothing is looked up or stored, every value is computed afresh.
"""

import hashlib
import json
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

from filelock import FileLock

from . import paths
from .pipeline import layers


def cache_dir():
    return Path(os.environ.get("NHSREPORT_CACHE", paths.PROJECT_ROOT / "_build" / "cache"))


def key(*parts):
    """sha256 of the parts (bytes or text), each length-prefixed so no two lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def array_parts(*arrays):
    """The parts that identify numpy arrays in a key: bytes, shape and dtype of each."""
    return [part for a in arrays for part in (a.tobytes(), a.shape, a.dtype.str)]


def code_of(*modules):
    """The source of modules and the versions of libraries: part of a key (``module`` objects
    give their file's bytes; strings name installed distributions, such as ``numpy``)."""
    return [
        Path(m.__file__).read_bytes() if hasattr(m, "__file__") else f"{m}=={version(m)}" for m in modules
    ]


def entry_path(kind, digest):
    return cache_dir() / f"{kind}-{digest}.json"


def enabled():
    return layers.on("NHSREPORT_RESULT_CACHE")


def lookup(kind, digest):
    """The value cached as ``kind`` under ``digest``, or None (an unreadable entry is absent, and
    so is every entry while the cache is switched off)."""
    if not enabled():
        return None
    try:
        return json.loads(entry_path(kind, digest).read_text(encoding="utf-8"))["value"]
    except (OSError, ValueError, KeyError):
        return None


def store(kind, digest, value):
    """Cache a JSON-serialisable value, written whole (nothing, while the cache is switched off)."""
    if not enabled():
        return
    path = entry_path(kind, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as handle:
        json.dump({"kind": kind, "value": value}, handle)
    os.replace(handle.name, path)


def stored(kind, digest, compute):
    """The value cached as ``kind`` under ``digest``, computed and stored first if absent.

    Processes that ask for the same absent value at once compute it once: the first holds a
    lock on the entry while it computes, and the others wait for it, then read what it stored."""
    if not enabled():
        return compute()
    value = lookup(kind, digest)
    if value is not None:
        return value
    path = entry_path(kind, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path.with_suffix(".lock")):
        value = lookup(kind, digest)  # stored while this process waited
        if value is None:
            value = compute()
            store(kind, digest, value)
    return value
