"""What made each figure and table: ``figures/manifest.json``, with no clock time in it.

Chapters report each output they save (label, caption, files, data read so far) through
:mod:`nhsreport.data.reads`; after a notebook has run, the executor turns those reports into
manifest entries here. Each entry names the notebook, the data files read before the output was
made (with their sha256), the hash of the notebook's code cells and of the project modules it
imported, the versions of the main packages, and the sha256 of every file written.
"""

import hashlib
import json
import sys
import tempfile
from importlib import util
from pathlib import Path

from filelock import FileLock

from .. import atomic, environment, paths
from ..data.reads import MANIFEST, ManifestBroken, manifest_problem, read_manifest  # noqa: F401 (provenance names them)
from ..hashing import sha256_bytes, sha256_of

#: The packages whose versions each manifest entry names (all pins are in build-record.json).
#: What a chapter measured of an output and the manifest keeps (figures: legibility).
MEASURES = ("smallest_text_px", "legend_colours")
KEY_PACKAGES = ("matplotlib", "numpy", "pandas", "scipy", "myst-nb", "jupyter-book")


def module_file(name):
    """Source file of a project module, found without importing it (None if it is gone)."""
    module = sys.modules.get(name)
    if module is not None and getattr(module, "__file__", None):
        return Path(module.__file__)
    try:
        spec = util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin else None


def modules_hash(modules):
    """sha256 over the named modules' source files, in name order (a vanished module counts)."""
    digest = hashlib.sha256()
    for name in sorted(modules):
        path = module_file(name)
        content = path.read_bytes() if path and path.exists() else b"<missing>"
        digest.update(name.encode() + b"\0" + content + b"\0")
    return digest.hexdigest()


def code_cells_hash(notebook):
    """sha256 over a notebook's code cells only (a notebook node): prose edits do not change it."""
    code = "\0".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    return sha256_bytes(code.encode())


def key_package_versions():
    """Installed versions of the key packages that requirements.txt pins (None for any it does
    not). Only these are looked up: the manifest names no other, and reading every pinned
    package's metadata once per output would be work for nothing."""
    pinned = {name for name, _ in environment.pinned_requirements()}
    return {name: environment.installed_version(name) if name in pinned else None for name in KEY_PACKAGES}


def manifest_entry(output, data_hashes, code, packages, folder):
    """One manifest entry from a chapter's report of an output (``packages``: the key package
    versions, looked up once per notebook)."""
    return {
        "kind": output["kind"],
        "caption": output["caption"],
        "notebook": output["notebook"],
        "data": {file: data_hashes[file] for file in output["data"] if file in data_hashes},
        "sources": {name: sha256_of(paths.PROJECT_ROOT / name) for name in output.get("sources", [])},
        "code": code,
        "packages": packages,
        "files": {name: sha256_of(Path(folder) / name) for name in output["files"]},
        **{key: output[key] for key in MEASURES if key in output},
    }


def locked(folder):
    """An exclusive lock for ``folder``'s manifest (notebooks finishing side by side share it).
    The lock file lives in the temporary folder, not among the tracked figures."""
    name = sha256_bytes(str(Path(folder).resolve()).encode())[:16]
    return FileLock(Path(tempfile.gettempdir()) / f"nhsreport-manifest-{name}.lock")


def write_manifest(manifest, folder):
    """Write the manifest sorted, so its bytes are reproducible, in one step."""
    text = json.dumps(dict(sorted(manifest.items())), indent=1, sort_keys=True, ensure_ascii=False)
    atomic.write_text(Path(folder) / MANIFEST, text + "\n")


def record(entries, folder=None, notebook=None):
    """Add or replace entries (label -> entry) in the manifest. Given the ``notebook`` that made
    them (``chapters/<name>.ipynb``), its entries are replaced as a whole: an output it no longer
    makes leaves the manifest, and so do its files, unless another entry still lists them."""
    folder = Path(folder or paths.FIGURES_DIR)
    with locked(folder):
        manifest = read_manifest(folder, as_input=False)
        dropped = [label for label, entry in manifest.items() if notebook and entry["notebook"] == notebook]
        gone = {name for label in dropped for name in manifest.pop(label)["files"]}
        manifest.update(entries)
        kept = {name for entry in manifest.values() for name in entry["files"]}
        for name in sorted(gone - kept):
            (folder / name).unlink(missing_ok=True)
        write_manifest(manifest, folder)
