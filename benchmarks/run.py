"""Benchmark the build on the real book (run by `make benchmark`, not by the test suite).

Every scenario runs in a private copy of the project (every file git tracks), so the working tree
is never touched:
  a  clean build (no execution records, no HTML, no cache)    b  rebuild with nothing changed
  c  rebuild after editing the prose of one chapter            d  rebuild after changing one data
     file (tenure.csv, read by one chapter; the two appendices list every output, so they rerun)
  e  `make test` (pytest on every core) on an unedited copy: wall time and CPU time (user +
     system, summed over every process it ran)
  f  `make preview`: seconds from saving a prose edit to the served page showing it
  g  (`python benchmarks/run.py layers` alone) a clean build with each speed layer switched off
     on its own, beside one with every layer on: what each layer buys
and, for comparison, a stock `jupyter-book build` of the same book with `execute_notebooks: force`.
Then f, the replication kit's scaling: a SYNTHETIC respondent file (tests/replication_witness.py)
of 1,000, 10,000 and 100,000 rows across 500 organisations, validated and aggregated
(`python benchmarks/run.py replication` runs f alone).

The stock build and scenarios a-d and f run BENCHMARK_ROUNDS times (default 3), each round in fresh
copies, because single builds vary by a few seconds; `make test` runs once. Prints the table
(median wall time with its range, notebooks executed, ratio to the stock build of the same
round), the targets with whether the medians meet them, and the profile of the last round:
seconds per notebook in the stock and the clean build, the HTML step of each of our builds, and
the slowest tests.
"""

import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def makefile_test_command():
    """The pytest arguments of the Makefile's `test` recipe (read, so the two cannot drift)."""
    recipe = re.search(r"^test:.*\n\t\$\(PY\) (-m pytest[^\n]*)", (ROOT / "Makefile").read_text(), re.M)
    return recipe.group(1).split()


TEST_COMMAND = [*makefile_test_command(), "-q", "-p", "no:cacheprovider"]
STOCK_NOTEBOOK = re.compile(r"([\w./-]+)\.ipynb: Executed notebook in ([\d.]+) seconds")
OUR_NOTEBOOK = re.compile(r"^finished chapters/([\w-]+)\.md in ([\d.]+) s", re.M)
HTML_STEP = re.compile(r"^html built in ([\d.]+) s", re.M)
SLOW_TEST = re.compile(r"^\s*[\d.]+s (?:call|setup|teardown)\s+\S+", re.M)
TARGETS = [  # (what, measured as, at most)
    ("clean build vs stock build", ("a", "stock"), 0.5),
    ("one-data-file rebuild vs clean build", ("d", "a"), 0.15),
]
TEST_SECONDS_TARGET = 150
PREVIEW_SECONDS_TARGET = 8
#: Single builds vary by a few seconds on a shared machine: each build scenario runs this often.
ROUNDS = int(os.environ.get("BENCHMARK_ROUNDS", "3"))


def copy_project(target):
    """Every file git tracks, as it is in the working tree (so the copy is what a clone builds)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    return target


def environment(root):
    """Point every run at its copy, its package source and cache included (nothing leaks in)."""
    return dict(
        os.environ,
        NHSREPORT_ROOT=str(root),
        NHSREPORT_DATA=str(root / "data"),
        NHSREPORT_FIGURES=str(root / "figures"),
        NHSREPORT_CACHE=str(root / "_build" / "cache"),
        PYTHONPATH=str(root / "src"),
    )


def timed(arguments, root, switches=None):
    start = time.perf_counter()
    env = dict(environment(root), **(switches or {}))
    result = subprocess.run(arguments, cwd=root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(map(str, arguments))} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return time.perf_counter() - start, result.stdout + result.stderr


def our_build(root, switches=None):
    """What `make book` runs: execute what is stale, build the HTML, publish it (``switches``: extra
    environment, e.g. a speed layer switched off)."""
    seconds, log = timed([BIN / "python", "-m", "nhsreport.pipeline.book"], root, switches)
    notebooks = {name: float(s) for name, s in OUR_NOTEBOOK.findall(log)}
    return seconds, notebooks, float(HTML_STEP.search(log).group(1))


def edit_prose(root):
    source = sorted((root / "chapters").glob("*.md"))[0]
    source.write_text(source.read_text(encoding="utf-8") + "\nA sentence added by the benchmark.\n")


def edit_data(root):
    """Change one value in tenure.csv, then do what `make datapackage` does after a data edit."""
    path = root / "data" / "tenure.csv"
    path.write_text(path.read_text().replace("22.34", "22.35"))
    timed([BIN / "python", "-m", "nhsreport.data.package"], root)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def build_made_ready(root, timeout=300):
    """Wait until the preview's next build is ready (Linux only): its HTML step's process has set
    up Sphinx and waits on its stdin, as it does between an author's saves."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in psutil.process_iter():
            try:
                ready = (
                    Path(process.cwd()).is_relative_to(root)
                    and "nhsreport.pipeline.sphinx_process" in process.cmdline()
                    and "pipe" in Path(f"/proc/{process.pid}/wchan").read_text()
                )
            except (psutil.Error, OSError):
                continue  # gone meanwhile, or not ours to read
            if ready:
                return
        time.sleep(0.2)  # between polls of the process table
    raise SystemExit(f"make preview made no build ready within {timeout} s")


def preview_prose_edit(root):
    """`make preview` in a built copy: once its first build is done and the next is made ready
    (as between an author's saves), a sentence is added to a chapter; seconds until the page it
    serves shows it (what the author waits for)."""
    port = free_port()
    preview = subprocess.Popen(
        [BIN / "python", "-m", "nhsreport.pipeline.preview", "--port", str(port)],
        cwd=root,
        env=environment(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = ""
    try:
        for line in preview.stdout:
            if line.startswith(("preview: built in", "preview: the build failed")):
                break
        if not line.startswith("preview: built in"):
            raise SystemExit(f"make preview's first build failed: {line}")
        threading.Thread(target=preview.stdout.read, daemon=True).start()  # keep its output flowing
        build_made_ready(root)
        source = sorted((root / "chapters").glob("*.md"))[0]
        url = f"http://127.0.0.1:{port}/chapters/{source.stem}.html"
        sentence = f"A sentence the benchmark added at {time.time_ns()}."
        started = time.perf_counter()
        source.write_text(source.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
        while sentence not in served(url):
            if time.perf_counter() - started > 300:
                raise SystemExit("make preview did not show a prose edit within 300 s")
            time.sleep(0.05)  # between polls of the page, as a browser's reload would come
        return time.perf_counter() - started
    finally:
        preview.send_signal(signal.SIGINT)
        preview.wait(timeout=120)


def stock_build(root):
    config = root / "_config.yml"
    config.write_text(config.read_text().replace('execute_notebooks: "off"', 'execute_notebooks: "force"'))
    shutil.rmtree(root / "_build", ignore_errors=True)
    seconds, log = timed([BIN / "jupyter-book", "build", ".", "--keep-going"], root)
    return seconds, {Path(name).name: float(s) for name, s in STOCK_NOTEBOOK.findall(log)}


def children_cpu_seconds():
    """User + system CPU time of the child processes that have ended, theirs included (a process
    counts once its parent has waited for it: pytest's workers, their kernels and builds)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_tests(root):
    """`make test` as the Makefile runs it: wall time, CPU time and the slowest tests."""
    cpu = children_cpu_seconds()
    seconds, log = timed([BIN / "python", *TEST_COMMAND, "--durations=12"], root)
    return seconds, children_cpu_seconds() - cpu, [line.strip() for line in SLOW_TEST.findall(log)]


def notebook_profile(title, notebooks):
    lines = [title]
    for name, seconds in sorted(notebooks.items(), key=lambda item: -item[1]):
        lines.append(f"  {seconds:6.1f} s  {name}")
    lines.append(f"  {sum(notebooks.values()):6.1f} s  in all (ours run side by side, one per core)")
    return lines


SCENARIOS = [  # (key, name, edit made before the build)
    ("a", "a clean build", None),
    ("b", "b rebuild, nothing changed", None),
    ("c", "c rebuild, prose of one chapter edited", edit_prose),
    ("d", "d rebuild, one data file (tenure.csv) changed", edit_data),
]


def one_round(folder):
    """The stock build and scenarios a-d, each round in fresh copies; returns seconds, notebooks
    run and the profile of each."""
    stock, root = (copy_project(folder / name) for name in ("stock", "ours"))
    seconds, counts = {}, {}
    seconds["stock"], stock_notebooks = stock_build(stock)
    counts["stock"] = len(stock_notebooks)
    profile = notebook_profile("stock build, seconds per notebook (myst-nb's log):", stock_notebooks)
    for key, name, edit in SCENARIOS:
        if edit:
            edit(root)
        seconds[key], notebooks, html = our_build(root)
        counts[key] = len(notebooks)
        if key in ("a", "d"):
            profile += notebook_profile(f"{name}, seconds per notebook:", notebooks)
        profile.append(f"{name}: HTML step (Sphinx, then publish) {html:.1f} s")
    seconds["f"] = preview_prose_edit(root)
    return seconds, counts, profile


def value_range(values):
    return f"{min(values):.1f}-{max(values):.1f}"


REPLICATION_ROWS = (1_000, 10_000, 100_000)
REPLICATION_ORGANISATIONS = 500
REPLICATION_TARGET = (100_000, 10.0)  # rows, at most seconds to validate and aggregate


def replication_scaling(folder):
    """f: seconds to validate (read_respondents) and aggregate (aggregate) SYNTHETIC files."""
    sys.path.insert(0, str(ROOT / "tests"))
    from replication_witness import random_respondents

    from nhsreport.replication.aggregate import aggregate
    from nhsreport.replication.respondents import read_respondents

    lines = [f"\nf replication: validate + aggregate, {REPLICATION_ORGANISATIONS} organisations (synthetic)"]
    lines.append(f"  {'rows':>8} {'validate s':>11} {'aggregate s':>12} {'total s':>8} {'us/row':>7}")
    for rows in REPLICATION_ROWS:
        path = Path(folder) / f"synthetic-respondents-{rows}.csv"
        random_respondents(rows, REPLICATION_ORGANISATIONS).to_csv(path, index=False)
        start = time.perf_counter()
        frame = read_respondents(path)
        read = time.perf_counter()
        aggregate(frame)
        done = time.perf_counter()
        total = done - start
        lines.append(
            f"  {rows:8,} {read - start:11.2f} {done - read:12.2f} {total:8.2f} {1e6 * total / rows:7.1f}"
        )
        if rows == REPLICATION_TARGET[0]:
            verdict = "met" if total <= REPLICATION_TARGET[1] else "MISSED"
            lines.append(f"  target: {rows:,} rows in at most {REPLICATION_TARGET[1]:.0f} s: {verdict}")
    return lines


def layer_costs(folder):
    """g: a clean build of the real book with every layer on, then with each layer off on its own
    (fresh copies; wall and CPU seconds, every process the build ran included)."""
    from nhsreport.pipeline.layers import LAYERS, OFF

    costs = {}
    for name, switches in [("all layers on", {}), *((v, {v: OFF}) for v in LAYERS)]:
        cpu = children_cpu_seconds()
        seconds, _, _ = our_build(copy_project(folder / name.replace(" ", "-")), switches)
        costs[name] = (seconds, children_cpu_seconds() - cpu)
        print(f"  {name:28} wall {seconds:6.1f} s  cpu {costs[name][1]:6.1f} s", flush=True)
    return costs


def layers_main():
    """`python benchmarks/run.py layers`: what each speed layer buys alone (g), ROUNDS rounds."""
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    rounds = []
    with tempfile.TemporaryDirectory() as temp:
        for number in range(ROUNDS):
            print(f"round {number + 1}:", flush=True)
            rounds.append(layer_costs(Path(temp) / f"round{number}"))
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    print(f"\n{'layer switched off':28} {'wall s':>8} {'cpu s':>8} {'wall vs on':>11} {'cpu vs on':>10}")
    for name in rounds[0]:
        wall = [r[name][0] for r in rounds]
        cpu = [r[name][1] for r in rounds]
        wall_ratio = [r[name][0] / r["all layers on"][0] for r in rounds]
        cpu_ratio = [r[name][1] / r["all layers on"][1] for r in rounds]
        print(
            f"{name:28} {statistics.median(wall):8.1f} {statistics.median(cpu):8.1f} "
            f"{statistics.median(wall_ratio):11.2f} {statistics.median(cpu_ratio):10.2f}"
        )


def main():
    if sys.argv[1:] == ["layers"]:
        layers_main()
        return
    if sys.argv[1:] == ["replication"]:
        with tempfile.TemporaryDirectory() as temp:
            print("\n".join(replication_scaling(temp)))
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"builds: the median of {ROUNDS} rounds, each in fresh copies")
    rounds, profile = [], []
    with tempfile.TemporaryDirectory() as temp:
        for number in range(ROUNDS):
            seconds, counts, profile = one_round(Path(temp) / f"round{number}")  # counts: same each round
            rounds.append(seconds)
            print(
                f"round {number + 1}: " + ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()), flush=True
            )
        tests_seconds, tests_cpu, slowest = run_tests(copy_project(Path(temp) / "tests"))
        replication = replication_scaling(temp)
    ratio = {key: [r[key] / r["stock"] for r in rounds] for key in rounds[0]}
    print(f"\n{'scenario':50} {'seconds':>8} {'notebooks run':>14} {'vs stock':>9}  range (s)")
    names = [("stock", "stock jupyter-book build (execute: force)")] + [(k, n) for k, n, _ in SCENARIOS]
    for key, name in names:
        times = [r[key] for r in rounds]
        print(
            f"{name:50} {statistics.median(times):8.1f} {counts[key]:>14} "
            f"{statistics.median(ratio[key]):9.2f}  {value_range(times)}"
        )
    print(f"{'e make test (pytest -n auto), once':50} {tests_seconds:8.1f}")
    print(f"{'  its CPU time (user + system, every process)':50} {tests_cpu:8.1f}")
    preview_times = [r["f"] for r in rounds]
    preview_seconds = statistics.median(preview_times)
    print(
        f"{'f make preview, prose edit to the served page':50} {preview_seconds:8.1f} {'':25}  {value_range(preview_times)}"
    )
    print("\ntargets (ratios within each round, then their median):")
    for what, (measured, against), most in TARGETS:
        value = statistics.median(r[measured] / r[against] for r in rounds)
        print(f"  {what:42} {value:6.2f}  (at most {most})  {'met' if value <= most else 'MISSED'}")
    verdict = "met" if tests_seconds <= TEST_SECONDS_TARGET else "MISSED"
    print(f"  {'make test, seconds':42} {tests_seconds:6.0f}  (at most {TEST_SECONDS_TARGET})  {verdict}")
    verdict = "met" if preview_seconds <= PREVIEW_SECONDS_TARGET else "MISSED"
    print(
        f"  {'make preview, prose edit to page, seconds':42} {preview_seconds:6.1f}  (at most {PREVIEW_SECONDS_TARGET})  {verdict}"
    )
    print("\nprofile (last round):")
    print("\n".join(profile + ["make test, slowest tests:", *(f"  {line}" for line in slowest)]))
    print("\n".join(replication))


if __name__ == "__main__":
    main()
