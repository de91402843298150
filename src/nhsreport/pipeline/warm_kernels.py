"""Kernels that start warm: forked from a server that has already imported the heavy libraries.

A new kernel starts Python and ipykernel and imports pandas and matplotlib before a chapter's
own code runs, and a forked kernel skips most of that start (measured: benchmarks/RESULTS.md,
"Measurements once quoted in docstrings"). While the chapters
run, this module keeps one server process that has imported those libraries once; each notebook
still gets a kernel process of its own, forked from that server, so nothing a notebook does can
reach another one. The server imports third-party libraries only, never the project's package:
each kernel imports ``nhsreport`` itself, so the build still records which modules every
chapter used, and a library that chooses something at import time (matplotlib's backend) is
given exactly what a fresh kernel would give it.

    with warm_kernels() as server:
        NotebookClient(notebook, kernel_manager_class=server.manager_class(), ...).execute()

Run as a script (``python warm_kernels.py SOCKET``) this file is the server; it imports nothing
from the project. The server exits, killing any kernel still running, when its standard input
closes, that is, when the build that started it ends or dies.
"""

import json
import os
import select
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
import weakref
from contextlib import contextmanager
from pathlib import Path

# Imported once by the server. Not matplotlib.pyplot: the inline backend hooks itself into the
# kernel's shell when pyplot first loads it, and the server has no shell.
PRELOADED = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
)
LAUNCHER = "ipykernel_launcher"
#: Forking a process that has loaded system frameworks is not safe on macOS, and Windows cannot
#: fork: there every kernel starts fresh, as in the plain build.
FORKING_IS_SAFE = sys.platform == "linux"
CHILD_POLL_SECONDS = 0.02


def forking_wanted():
    """Whether kernels are forked: forking is safe on this system and the layer is on
    (:mod:`nhsreport.pipeline.layers`). The build's side only: the server imports nothing from
    the project."""
    from . import layers

    return FORKING_IS_SAFE and layers.on("NHSREPORT_WARM_KERNELS")


# --- the server (runs as a script, in its own process) ---------------------------------------


def serve(socket_path):
    """Import the libraries, say "ready", then fork a kernel for every request until stdin closes."""
    if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
        del sys.path[0]  # as ipykernel_launcher does: a kernel never imports from beside its launcher
    if not os.environ.get("MPLBACKEND"):  # what ipykernel does before a chapter can import matplotlib
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # Ctrl-C in a terminal reaches the whole process group: the build then stops the server
    # itself, through stdin, so that the server can first kill the kernels it forked. (A kernel
    # sets its own SIGINT handler while it runs a cell, so interrupts still reach chapters.)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in PRELOADED:
        __import__(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "request")
    selector.register(sys.stdin, selectors.EVENT_READ, "stdin")
    waiting = {}  # kernel pid -> the connection that asked for it
    while True:
        for key, _ in selector.select(CHILD_POLL_SECONDS):
            if key.data == "stdin" and not sys.stdin.buffer.read1(1):
                stop_all(waiting)
                return
            if key.data == "request":
                connection, _ = listener.accept()
                pid = fork_kernel(connection, [listener, selector, *waiting.values()])
                waiting[pid] = connection
        report_exits(waiting)


def fork_kernel(connection, servers_own):
    """Fork a kernel for one request; tell the requester its pid. Returns the pid.

    ``servers_own`` are the server's sockets (and other kernels' connections): the kernel closes
    its copies, so that only the server holds them."""
    with connection.makefile("r") as lines:
        request = json.loads(lines.readline())
    pid = os.fork()
    if pid == 0:  # the kernel
        try:
            for own in (*servers_own, connection):
                own.close()
            os.setsid()  # its own process group, so an interrupt reaches it and nothing else
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # as jupyter_client gives a kernel no stdin
            run_kernel(request)
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    connection.sendall(f"{pid}\n".encode())
    return pid


def run_kernel(request):
    """Become the kernel a fresh ``python -m ipykernel_launcher ARGS`` would have been."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # ipykernel read JPY_PARENT_PID when the server imported it; name the parent to watch
    # (the server) explicitly, so the kernel exits if the server dies.
    sys.argv = [LAUNCHER, f"--IPKernelApp.parent_handle={os.getppid()}", *request["arguments"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def report_exits(waiting):
    """Send each finished kernel's exit code (as subprocess reports it) to whoever started it."""
    while waiting:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        connection = waiting.pop(pid, None)
        if connection:
            try:
                connection.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
            except OSError:
                pass
            connection.close()


def stop_all(waiting):
    for pid in waiting:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    for pid in list(waiting):
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


# --- the build's side ------------------------------------------------------------------------


class ForkedKernel:
    """A kernel forked by the server, with the parts of ``subprocess.Popen`` jupyter_client uses."""

    stdin = stdout = stderr = None

    def __init__(self, socket_path, arguments, env, cwd):
        self._connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._connection.connect(socket_path)
        request = {"arguments": arguments, "env": dict(env), "cwd": str(cwd)}
        self._connection.sendall((json.dumps(request) + "\n").encode())
        self._replies = self._connection.makefile("r")
        self.pid = int(self._replies.readline())
        self.returncode = None

    def _read_exit(self, block):
        if not block and not select.select([self._connection], [], [], 0)[0]:
            return
        line = self._replies.readline()
        # No line means the server died with the kernel still running: report it killed.
        self.returncode = int(line) if line.strip() else -signal.SIGKILL
        self._replies.close()
        self._connection.close()

    def poll(self):
        if self.returncode is None:
            self._read_exit(block=False)
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            self._read_exit(block=True)
        return self.returncode

    def send_signal(self, signum):
        if self.returncode is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


def launcher_arguments(command):
    """The arguments after ``-m ipykernel_launcher`` in a kernel command; None for another kernel."""
    if len(command) >= 3 and command[1:3] == ["-m", LAUNCHER]:
        return command[3:]
    return None


class KernelsKilled(RuntimeError):
    """A kernel started after its server was told to kill every kernel (a stopping build)."""


def kill_kernel_of(manager):
    """Kill the kernel process a manager started, if any."""
    from . import private_api

    process = private_api.kernel_process(manager)
    if process is not None:
        process.kill()


class KernelServer:
    """The server process, started when the first kernel is asked for, so that a build that
    executes nothing (nothing changed, or the data failed validation) never pays for its imports;
    or earlier, with :meth:`start`, by a build that knows it will need one."""

    def __init__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="nhsreport-kernels-")
        self.folder = self._folder.name  # the server's socket and the kernels' sockets
        self.socket_path = str(Path(self.folder) / "server")
        self._process = None
        self._ready = False
        self._lock = threading.Lock()
        self._managers = weakref.WeakSet()  # every kernel manager made by manager_class()
        self.killing = False  # set by kill_kernels: from then on, a kernel is killed as it starts

    @property
    def pid(self):
        """The server's process id, or None if it has not been started."""
        return self._process.pid if self._process else None

    def start(self):
        """Start the server's imports now, without waiting for them."""
        with self._lock:
            if self._process is None and forking_wanted():
                self._process = subprocess.Popen(
                    [sys.executable, __file__, self.socket_path],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )

    def _wait_until_ready(self):
        self.start()
        with self._lock:
            if not self._ready:
                if self._process.stdout.readline().strip() != "ready":
                    raise RuntimeError(f"the kernel server did not start (exit code {self._process.wait()})")
                self._ready = True

    def fork(self, arguments, env, cwd):
        self._wait_until_ready()
        return ForkedKernel(self.socket_path, arguments, env, cwd)

    def stop(self):
        """Close the server's stdin: it kills any kernel still running and exits."""
        if self._process is not None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()  # stuck: its kernels watch it and exit with it
                self._process.wait()
            self._process.stdout.close()
        self._folder.cleanup()

    def kill_kernels(self):
        """Kill every kernel its managers started that is still running, at once: a build that
        failed or was interrupted waits for no notebook (each waiting client then sees its kernel
        dead and returns). A kernel still starting is killed as soon as it has started
        (:meth:`manager_class`), so none outlives this call by running its notebook."""
        self.killing = True  # first: a kernel that starts after this line sees it
        for manager in list(self._managers):
            kill_kernel_of(manager)

    def manager_class(self):
        """An asynchronous kernel manager whose python3 kernels are forked by this server, when
        the layer is on (:func:`forking_wanted`); otherwise jupyter_client's own, which starts a
        fresh kernel. Either way the server knows every manager made, so that
        :meth:`kill_kernels` reaches their kernels."""
        from jupyter_client.manager import AsyncKernelManager
        from traitlets import CaselessStrEnum, default

        server = self

        class KnownKernelManager(AsyncKernelManager):
            def __init__(self, **options):
                super().__init__(**options)
                server._managers.add(self)

            async def start_kernel(self, **options):
                await super().start_kernel(**options)
                if server.killing:  # the build began stopping while this kernel started
                    kill_kernel_of(self)
                    raise KernelsKilled("the build is stopping: its kernels are killed")

        if not forking_wanted():
            return KnownKernelManager

        def launch(kernel_cmd, env, cwd):
            arguments = launcher_arguments(kernel_cmd)
            if arguments is None:
                return None  # another kernel than python3: jupyter_client starts it
            return server.fork(arguments, env or os.environ, cwd or os.getcwd())

        from . import private_api

        class WarmKernelManager(private_api.launching_with(KnownKernelManager, launch)):
            # Unix sockets, not TCP: the kernel is reached from this machine only (and
            # ipykernel warns, on every chapter, about unencrypted TCP)
            transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc")

            @default("ip")
            def _socket_files(self):  # absolute: the kernel runs in another folder than the build
                return str(Path(server.folder) / f"kernel-{uuid.uuid4().hex[:12]}")

        return WarmKernelManager


@contextmanager
def warm_kernels():
    """Yield a server (started with its first kernel); stop it and its kernels afterwards."""
    server = KernelServer()
    try:
        yield server
    finally:
        server.stop()


if __name__ == "__main__":
    serve(sys.argv[1])
