"""Execute the chapter notebooks that are out of date, in place, and nothing else.

A notebook is out of date when any of its inputs changed since it last ran: its code cells, this
package's code, or one of the data files it read (recorded while it ran, through the data
loader). Prose edits do not trigger execution: they change no output. The record of each run
lives in ``_build/.execution/<notebook>.json``. Data are validated before anything runs, so bad
input stops the build before a single figure is drawn.

Stale chapters run in parallel, one kernel per core. Then the notebooks of the "Appendices" part
of the table of contents run one after another, in book order: they describe what the notebooks
before them made (they read ``figures/manifest.json``). A chapter that reads the manifest stops
the build: it would race the chapters still writing it.

    python -m nhsreport.execute            # run what is stale, print what ran
    python -m nhsreport.execute --all      # run every notebook
    python -m nhsreport.execute --all chapters/networks.ipynb   # run just this one
"""
import argparse
import json
import os
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from . import paths, provenance
from .data import validate
from .errors import DataErrors
from .validation import sha256_of

STAMPS = paths.PROJECT_ROOT / "_build" / ".execution"
TIMEOUT_SECONDS = 600
LAST_PART = "Appendices"
PRINTING = threading.Lock()


def say(line):
    """Print one whole line: notebooks executing side by side must not interleave their lines."""
    with PRINTING:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def toc_parts():
    """(caption, [document, ...]) for each part of ``_toc.yml``, in book order."""
    toc = paths.PROJECT_ROOT / "_toc.yml"
    parts = yaml.safe_load(toc.read_text(encoding="utf-8")).get("parts", []) if toc.exists() else []
    return [(part.get("caption", ""), [c["file"] for c in part.get("chapters", [])]) for part in parts]


def toc_order():
    return [document for _, documents in toc_parts() for document in documents]


def notebooks():
    found = sorted(paths.CHAPTERS_DIR.glob("*.ipynb"))
    order = {name: i for i, name in enumerate(toc_order())}
    return sorted(found, key=lambda n: (order.get(f"chapters/{n.stem}", len(order)), n.stem))


def waves(chosen):
    """Groups of notebooks that may run at once, in run order: all the chapters together, then
    each appendix on its own (each reads what every notebook before it wrote)."""
    last = {document for caption, documents in toc_parts() if caption == LAST_PART for document in documents}
    appendices = [n for n in chosen if f"chapters/{n.stem}" in last]
    return [[n for n in chosen if n not in appendices]] + [[n] for n in appendices]


def input_path(name):
    """A recorded input: a data file name, or the figures manifest (read by the figures page)."""
    return paths.FIGURES_DIR / name if name == provenance.MANIFEST else paths.DATA_DIR / name


def fingerprint(notebook, data_files):
    """Everything a notebook's outputs depend on."""
    return {"notebook_code": provenance.notebook_code_hash(notebook),
            "package_code": provenance.package_code_hash(),
            "requirements": sha256_of(paths.PROJECT_ROOT / "requirements.txt"),
            "data": {name: sha256_of(input_path(name))
                     for name in sorted(data_files) if input_path(name).exists()}}


def outputs_hash(notebook):
    """sha256 of the saved outputs: a notebook whose outputs were cleared or edited is stale."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    outputs = [c.get("outputs", []) for c in cells if c["cell_type"] == "code"]
    return provenance.sha256_bytes(json.dumps(outputs, sort_keys=True).encode())


def stamp_path(notebook):
    return STAMPS / f"{notebook.stem}.json"


def is_stale(notebook):
    path = stamp_path(notebook)
    if not path.exists():
        return True
    stamp = json.loads(path.read_text(encoding="utf-8"))
    return (stamp["fingerprint"] != fingerprint(notebook, stamp["fingerprint"]["data"])
            or stamp.get("outputs") != outputs_hash(notebook))


def data_files_read(access_log, package):
    names = set(Path(access_log).read_text(encoding="utf-8").split())
    read = [r["path"] for r in package["resources"] if r["name"] in names]
    return sorted(read + [n for n in names if n == provenance.MANIFEST])


def execute(notebook, package):
    """Run one notebook in place; return the data files it read."""
    book = nbformat.read(notebook, as_version=4)
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as log:
        access_log = log.name
    # Each kernel gets its own access log through its environment: kernels run side by side.
    NotebookClient(book, timeout=TIMEOUT_SECONDS, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(notebook.parent)}}
                   ).execute(env=dict(os.environ, NHSREPORT_ACCESS_LOG=access_log))
    nbformat.write(book, notebook)
    read = data_files_read(access_log, package)
    os.unlink(access_log)
    return read


def execute_and_stamp(notebook, package, in_first_wave):
    """Run one notebook and record its inputs; return None, or the reason it failed."""
    say(f"executing {notebook.relative_to(paths.PROJECT_ROOT)}")
    stamp_path(notebook).unlink(missing_ok=True)   # a run that fails leaves the notebook stale
    try:
        read = execute(notebook, package)
    except CellExecutionError as error:
        return f"{notebook.name} failed:\n{error}"
    if in_first_wave and provenance.MANIFEST in read:
        return (f"{notebook.name} read figures/{provenance.MANIFEST} while the chapters were still "
                f"writing it: list it under the '{LAST_PART}' part of _toc.yml")
    stamp = {"fingerprint": fingerprint(notebook, read), "outputs": outputs_hash(notebook)}
    stamp_path(notebook).write_text(json.dumps(stamp, indent=1, sort_keys=True), encoding="utf-8")
    return None


def run_wave(wave, package, in_first_wave):
    """Execute a wave's notebooks, as many at once as there are cores; stop the build on failure."""
    if not wave:
        return
    with ThreadPoolExecutor(max_workers=min(len(wave), os.cpu_count() or 1)) as pool:
        failures = [f for f in pool.map(lambda n: execute_and_stamp(n, package, in_first_wave), wave) if f]
    for failure in failures:
        print(f"\n{failure}", file=sys.stderr)
    if failures:
        raise SystemExit(1)


def run(force=False, only=None):
    """Execute stale notebooks (of ``only``, if given); return the names of those executed."""
    try:
        package = validate().package
    except DataErrors as error:
        print(error, file=sys.stderr)
        raise SystemExit(2)
    STAMPS.mkdir(parents=True, exist_ok=True)
    chosen = [n for n in notebooks() if not only or n.stem in only]
    executed = []
    for number, wave in enumerate(waves(chosen)):
        # Decide staleness per wave: an earlier wave may have rewritten what this one reads.
        stale = [n for n in wave if force or is_stale(n)]
        run_wave(stale, package, in_first_wave=number == 0)
        executed += [n.stem for n in stale]
    print(f"executed {len(executed)} of {len(notebooks())} notebooks", flush=True)
    return executed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="execute even if nothing changed")
    parser.add_argument("notebooks", nargs="*", help="limit to these notebooks")
    arguments = parser.parse_args()
    run(force=arguments.all, only={Path(n).stem for n in arguments.notebooks})
