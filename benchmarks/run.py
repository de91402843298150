"""Benchmark the build on the real book (run by `make benchmark`, not by the test suite).

Every scenario runs in a private copy of the project, so the working tree is never touched:
  a  clean build (no execution records, no HTML)      b  rebuild with nothing changed
  c  rebuild after editing the prose of one chapter   d  rebuild after changing one data file
  e  the test suite (`pytest`)
and, for comparison, a stock `jupyter-book build` of the same book with `execute_notebooks: force`.
Prints wall time, notebooks executed, and each time as a ratio to the stock build.
"""

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def copy_project(target):
    """Every file git tracks, as it is in the working tree (so the copy is what a clone builds)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    return target


def environment(root):
    """Point every run at its copy, its package source included (edits to the tree can't leak in)."""
    return dict(
        os.environ,
        NHSREPORT_ROOT=str(root),
        NHSREPORT_DATA=str(root / "data"),
        NHSREPORT_FIGURES=str(root / "figures"),
        PYTHONPATH=str(root / "src"),
    )


def timed(command, root):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=root, env=environment(root), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(map(str, command))} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return time.perf_counter() - start, result.stdout


def our_build(root):
    """What `make book` runs: the incremental executor, then Sphinx."""
    seconds_exec, out = timed([BIN / "python", "-m", "nhsreport.build.execute"], root)
    seconds_book, _ = timed([BIN / "jupyter-book", "build", ".", "--warningiserror", "--keep-going"], root)
    return seconds_exec + seconds_book, sum(line.startswith("executing ") for line in out.splitlines())


def edit_prose(root):
    notebook = sorted((root / "chapters").glob("*.ipynb"))[0]
    book = json.loads(notebook.read_text())
    cell = next(c for c in book["cells"] if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + "\n\nA sentence added by the benchmark."
    notebook.write_text(json.dumps(book, indent=1))


def edit_data(root):
    """Change one value in tenure.csv, then do what `make datapackage` does after a data edit."""
    path = root / "data" / "tenure.csv"
    path.write_text(path.read_text().replace("22.34", "22.35"))
    timed([BIN / "python", "-m", "nhsreport.data.package"], root)


def stock_build(root):
    config = root / "_config.yml"
    config.write_text(config.read_text().replace('execute_notebooks: "off"', 'execute_notebooks: "force"'))
    shutil.rmtree(root / "_build", ignore_errors=True)
    seconds, _ = timed([BIN / "jupyter-book", "build", ".", "--keep-going"], root)
    return seconds, len(list((root / "chapters").glob("*.ipynb")))


def run_tests(root):
    seconds, _ = timed([BIN / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], root)
    return seconds, None


def print_row(name, seconds, count, stock_seconds):
    shown = "-" if count is None else str(count)
    print(f"{name:48} {seconds:8.1f} {shown:>14} {seconds / stock_seconds:9.2f}", flush=True)


def main():
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'scenario':48} {'seconds':>8} {'notebooks run':>14} {'vs stock':>9}", flush=True)
    with tempfile.TemporaryDirectory() as temp:
        stock, root, unedited = (copy_project(Path(temp) / name) for name in ("stock", "ours", "tests"))
        stock_seconds, stock_count = stock_build(stock)
        print_row("stock jupyter-book build (execute: force)", stock_seconds, stock_count, stock_seconds)
        print_row("a clean build", *our_build(root), stock_seconds)
        print_row("b rebuild, nothing changed", *our_build(root), stock_seconds)
        edit_prose(root)
        print_row("c rebuild, prose of one chapter edited", *our_build(root), stock_seconds)
        edit_data(root)
        print_row("d rebuild, one data file (tenure.csv) changed", *our_build(root), stock_seconds)
        # The suite runs on an unedited copy: that is what `make test` and CI see.
        print_row("e make test (pytest)", *run_tests(unedited), stock_seconds)


if __name__ == "__main__":
    main()
