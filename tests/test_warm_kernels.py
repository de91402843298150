"""The build forks each notebook's kernel from a server that has already imported the heavy
libraries. Every notebook must still run as if in a kernel of its own, started fresh."""

import asyncio
import os
import signal
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

from nhsreport.pipeline import private_api
from nhsreport.pipeline import warm_kernels as warm_kernels_module
from nhsreport.pipeline.warm_kernels import PRELOADED, KernelServer, KernelsKilled, warm_kernels

REPORT = """
import os, sys, matplotlib
print(os.getpid(), 'nhsreport' in sys.modules, 'matplotlib.pyplot' in sys.modules,
      matplotlib.get_backend(), os.environ.get('CHAPTER'), os.getcwd())
"""


def notebook(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def run(cells, tmp_path, chapter, manager_class=None):
    """Execute a notebook as the build does; return it."""
    executed = notebook(*cells)
    options = {"kernel_manager_class": manager_class} if manager_class else {}
    NotebookClient(
        executed,
        kernel_name="python3",
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(tmp_path)}},
        **options,
    ).execute(env=dict(os.environ, CHAPTER=chapter))
    return executed


def printed(executed, index=0):
    return executed.cells[index].outputs[0]["text"].split()


@pytest.fixture(scope="module")
def running_server():
    """One server for the tests that only run notebooks in its kernels (each notebook still gets a
    kernel of its own): starting one imports the heavy libraries. Tests of how a server starts,
    stops or dies start their own."""
    with warm_kernels() as server:
        yield server


def test_a_warm_kernel_starts_as_a_fresh_one_does(tmp_path, running_server):
    fresh = printed(run([REPORT], tmp_path, "fresh"))
    warm = printed(run([REPORT], tmp_path, "warm", running_server.manager_class()))
    # Neither has loaded the project or pyplot yet; both pick the same matplotlib backend and
    # see their own environment and working folder.
    assert fresh[1:] == ["False", "False", fresh[3], "fresh", str(tmp_path)]
    assert warm[1:] == ["False", "False", fresh[3], "warm", str(tmp_path)]


def test_no_state_passes_from_one_notebook_to_the_next(tmp_path, running_server):
    manager_class = running_server.manager_class()
    first = run(["import sys; sys.modules['marker'] = 1; x = 1", REPORT], tmp_path, "1", manager_class)
    second = run(
        ["print('marker' in sys.modules if 'sys' in dir() else 'no sys')", REPORT],
        tmp_path,
        "2",
        manager_class,
    )
    assert printed(second) == ["no", "sys"]
    assert printed(first, 1)[0] != printed(second, 1)[0]  # two processes
    assert [c.execution_count for c in second.cells] == [1, 2]


def test_the_server_preloads_libraries_only_never_the_project():
    assert not any(name.split(".")[0] == "nhsreport" for name in PRELOADED)
    assert "matplotlib.pyplot" not in PRELOADED


def test_no_kernel_outlives_the_build(tmp_path):
    with warm_kernels() as server:
        manager_class = server.manager_class()
        pid = started_kernel_pid(manager_class)
        assert running(pid)  # left running by the notebook
    # Leaving the block stopped the server, which killed the kernel.
    assert not running(pid)


def test_a_kernel_exits_when_the_server_is_killed(tmp_path):
    server = KernelServer()
    try:
        pid = started_kernel_pid(server.manager_class())
        os.kill(server.pid, signal.SIGKILL)  # it gets no chance to kill its kernels
        try:
            psutil.Process(pid).wait(timeout=30)  # the event: the kernel exits (generous timeout)
        except psutil.NoSuchProcess:
            pass
        except psutil.TimeoutExpired:
            pass  # the assertion says so
        assert not running(pid)
    finally:
        server.stop()


def running(pid):
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def started_kernel_pid(manager_class):
    """Start a kernel that stays running; return its pid."""
    executed = notebook("import os; print(os.getpid())")
    client = NotebookClient(executed, kernel_name="python3", kernel_manager_class=manager_class)
    client.km = client.create_kernel_manager()
    client.start_new_kernel()
    client.start_new_kernel_client()
    client.execute_cell(executed.cells[0], 0)
    return int(printed(executed)[0])


def test_a_warm_kernel_can_be_interrupted(tmp_path, running_server):
    manager_class = running_server.manager_class()
    sleeping = tmp_path / "sleeping"
    executed = notebook(
        f"import pathlib, time\ntry:\n    pathlib.Path({str(sleeping)!r}).touch()\n    time.sleep(60)\n"
        "except KeyboardInterrupt:\n    print('interrupted')"
    )
    client = NotebookClient(executed, kernel_name="python3", kernel_manager_class=manager_class)
    client.km = client.create_kernel_manager()
    client.start_new_kernel()
    client.start_new_kernel_client()

    def interrupt_once_sleeping():
        deadline = time.monotonic() + 30  # a kernel that never gets there fails the test alone
        while not sleeping.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        # as nbclient does on a cell timeout: jupyter_client signals the kernel's process group
        asyncio.run(client.km.interrupt_kernel())

    threading.Thread(target=interrupt_once_sleeping, daemon=True).start()
    try:
        client.execute_cell(executed.cells[0], 0)
    finally:
        run_sync(client.km.shutdown_kernel)(now=True)  # the server outlives this test; its kernel does not
    assert printed(executed) == ["interrupted"]


def test_where_forking_is_unsafe_each_notebook_gets_a_fresh_kernel(tmp_path, monkeypatch):
    monkeypatch.setattr(warm_kernels_module, "FORKING_IS_SAFE", False)
    with warm_kernels() as server:
        server.start()
        manager_class = server.manager_class()
        # jupyter_client's own launch: a fresh process (the class only records its managers)
        assert manager_class._async_launch_kernel is AsyncKernelManager._async_launch_kernel
        executed = run([REPORT], tmp_path, "fresh", server.manager_class())
        assert server.pid is None  # no server was started
    assert printed(executed)[4:] == ["fresh", str(tmp_path)]  # the notebook ran


def test_kernels_are_reached_over_unix_sockets_in_a_private_folder(tmp_path, capfd):
    with warm_kernels() as server:
        manager_class = server.manager_class()
        manager = manager_class()
        assert manager.transport == "ipc" and Path(manager.ip).parent == Path(server.folder)
        run([REPORT], tmp_path, "ipc", manager_class)
        folder = Path(server.folder)
    assert "without encryption" not in capfd.readouterr().err  # ipykernel's warning about TCP
    assert not folder.exists() and not list(tmp_path.iterdir())  # no socket file left behind


@pytest.mark.parametrize("forking", [True, False], ids=["forked", "fresh"])
def test_the_server_kills_every_running_kernel_at_once(forking, monkeypatch):
    """What a failed or interrupted build calls: its kernels end while their cells still run."""
    monkeypatch.setattr(warm_kernels_module, "FORKING_IS_SAFE", forking)
    with warm_kernels() as server:
        pid = started_kernel_pid(server.manager_class())
        assert running(pid)
        server.kill_kernels()
        try:
            psutil.Process(pid).wait(timeout=30)  # the event: the kernel exits (generous timeout)
        except (psutil.NoSuchProcess, psutil.TimeoutExpired):
            pass  # gone already, or the assertion says it is not
        assert not running(pid)


def test_a_kernel_that_starts_once_its_kernels_are_being_killed_is_killed_at_once():
    """A failed or interrupted build kills its kernels while another chapter's kernel may still be
    starting: that one is killed as soon as it has started, and never runs its notebook."""
    with warm_kernels() as server:
        manager = server.manager_class()()
        server.kill_kernels()
        with pytest.raises(KernelsKilled):
            run_sync(manager.start_kernel)()
        pid = private_api.kernel_process(manager).pid
        try:
            psutil.Process(pid).wait(timeout=30)  # the event: the kernel exits (generous timeout)
        except (psutil.NoSuchProcess, psutil.TimeoutExpired):
            pass  # gone already, or the assertion says it is not
        assert not running(pid)
