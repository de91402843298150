"""What made each figure and table: ``figures/manifest.json``, with no clock time in it.

Each entry names the notebook, the data files it had read (with their sha256), the hash of the
code (the notebook's code cells and this package), the package versions, and the sha256 of every
file written, so a reader can tell exactly which data and code produced a published file.
"""
import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from . import paths

PACKAGES = ("matplotlib", "numpy", "pandas", "myst-nb", "jupyter-book")
MANIFEST = "manifest.json"


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def package_code_hash():
    """sha256 over this package's source files, in name order."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def notebook_code_hash(notebook_path):
    """sha256 over a notebook's code cells only: prose edits do not change it."""
    cells = json.loads(Path(notebook_path).read_text(encoding="utf-8"))["cells"]
    code = "\0".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return sha256_bytes(code.encode())


def package_versions():
    return {name: metadata.version(name) for name in PACKAGES}


def read_manifest(folder=None):
    from .data import record_access
    record_access(MANIFEST)  # the figures page depends on it: rerun it when it changes
    path = Path(folder or paths.FIGURES_DIR) / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@contextmanager
def locked(folder):
    """Hold an exclusive lock on ``folder``: notebooks executing side by side share the manifest."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)   # closing releases the lock


def record(label, entry, folder=None):
    """Add or replace one entry; the file is written sorted so its bytes are reproducible."""
    folder = Path(folder or paths.FIGURES_DIR)
    path = folder / MANIFEST
    with locked(folder):
        manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        manifest[label] = entry
        text = json.dumps(dict(sorted(manifest.items())), indent=1, sort_keys=True, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")
