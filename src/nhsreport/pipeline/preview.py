"""``make preview``: serve the book at http://127.0.0.1:8000 and rebuild it on every save.

    python -m nhsreport.pipeline.preview [--port 8000]

A save under ``chapters/``, ``data/``, ``src/`` or ``_static/``, or of ``references.bib``,
``metadata.yml`` or the book's other sources at the top (``index.md``, ``bibliography.md``,
``_toc.yml``, ``_config.yml``), runs what ``make book`` runs (:func:`nhsreport.pipeline.book.main`, in
a process of its own): validate the data, execute the stale chapters, build the HTML in staging
and publish it into ``_build/html`` only on success. Then every open page reloads itself. That
process is started as soon as the previous build ends, and made ready while the author writes
(:mod:`nhsreport.pipeline.ready_build`: its libraries imported, Sphinx set up); a save only tells
it to build. If anything it read in advance has changed by then (only the Markdown pages are
free to change), it builds nothing and a fresh one builds instead. When a
build fails, its own message goes to the terminal and onto every page, as a banner over the last
good book, which stays served until a build succeeds. Saves made during a build are gathered into
the next one. What the build itself writes (the executed ``chapters/*.ipynb``, ``__pycache__``,
``_build/``, ``figures/``) and editors' temporary files start nothing, so a build never starts
another.

Why these pieces: sphinx-autobuild, the ecosystem's live preview, runs ``sphinx-build`` itself,
which would skip the data checks and the executor. Its parts could drive our build instead, but
its watcher runs each build in a fresh process pool and drops the result (the server could not
tell a failed build from a good one, so no banner), and stops watching for good if a build raises.
livereload runs the build on the server's own event loop, so nothing is served while a book builds.
So the preview uses what sphinx-autobuild is made of: watchfiles (a maintained watcher, inotify
through Rust's ``notify``), Starlette's ``StaticFiles`` (serves only files whose real path is in
``_build/html``: ``..`` and symbolic links out of it are refused), uvicorn (the server, bound to
127.0.0.1 and nothing else) and its websockets support (the reload signal). The build runs in a
child process the server waits on without blocking, so the last good book is served throughout.
"""

import argparse
import asyncio
import contextlib
import html
import os
import signal
import sys
import time

import uvicorn
import watchfiles
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import HTMLResponse
from starlette.routing import Mount, WebSocketRoute
from starlette.staticfiles import StaticFiles

from .. import paths
from .book import PREPARED_STALE, SITE
from .ready_build import TOLD

HOST = "127.0.0.1"  # the preview is for the author's own browser: never another machine's
WATCHED_FOLDERS = ("chapters", "data", "src", "_static")
WATCHED_FILES = ("references.bib", "metadata.yml", "index.md", "bibliography.md", "_toc.yml", "_config.yml")
# The whole-book PDF is left as the last full build made it: rebuilding it would hold every save
# back by the time the PDF takes.
BUILD_COMMAND = (sys.executable, "-m", "nhsreport.pipeline.ready_build", "--keep-pdf")
RELOAD_PATH = "/_preview/reload"
RELOAD_SCRIPT = (
    "<script>new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + "
    f"'{RELOAD_PATH}').onmessage = () => location.reload();</script>"
)
BANNER_STYLE = (
    "position:fixed;top:0;left:0;right:0;z-index:100000;margin:0;padding:.6em 1em;max-height:45vh;"
    "overflow:auto;white-space:pre-wrap;background:#8b0000;color:#fff;font:14px/1.4 monospace"
)
NO_BOOK_YET = (
    "<!DOCTYPE html><html><head><title>Preview</title></head><body><p>No book yet: {}</p></body></html>"
)
#: Request headers that would let the server answer "304 Not Modified": a reload after a failed
#: build must fetch the page again to show the banner, though the file has not changed.
CONDITIONAL = {b"if-none-match", b"if-modified-since"}
BANNER_LINES = 40  # the end of a long report is where its cause is


def say(line):
    print(f"preview: {line}", flush=True)


class SourceChanges(watchfiles.DefaultFilter):
    """The saves that change the book: not what the build writes in the watched folders (the
    executed notebooks in ``chapters/``, ``__pycache__``), nor editors' temporary files (those
    watchfiles already knows: ``*.swp``, ``*~``, ``.#*``; and ``#*#``, vim's ``4913``, ``*.tmp``,
    LibreOffice's and Kate's locks, GNOME's ``.goutputstream-*``, ``sed -i``'s ``sedXXXXXX``)."""

    ignore_dirs = (*watchfiles.DefaultFilter.ignore_dirs, "_build", "figures", ".ipynb_checkpoints")
    ignore_entity_patterns = (
        *watchfiles.DefaultFilter.ignore_entity_patterns,
        r"\.ipynb$",
        r"^#.*#$",
        r"^4913$",
        r"\.tmp$",
        r"^\.~lock\.",
        r"\.kate-swp$",
        r"^\.goutputstream-",
        r"^sed[0-9A-Za-z]{6}$",
    )

    def __call__(self, change, path):
        return ".egg-info" not in path and super().__call__(change, path)


def top_level_source(change, path):
    return os.path.basename(path) in WATCHED_FILES


def banner(failure):
    return (
        f'<pre id="preview-failure" role="alert" style="{BANNER_STYLE}">'
        "The last build failed; this is the last good book.\n"
        f"{html.escape(failure)}</pre>"
    ).encode()


class Preview:
    """The watcher, the builds and the open pages of one preview."""

    def __init__(self, build_command=BUILD_COMMAND):
        self.build_command = build_command
        self.failure = ""  # the last build's report if it failed; empty after a good build
        self.saved = asyncio.Event()
        self.stopping = asyncio.Event()
        self.pages = set()  # one queue of reload signals per open page
        self.processes = set()  # the build under way and the one made ready for the next save
        self.ready = None

    # --- watching and building ----------------------------------------------------------------

    async def watch(self, *targets, **options):
        """Mark the sources saved on every change; survive anything the watcher raises."""
        while not self.stopping.is_set():
            try:
                async for changes in watchfiles.awatch(*targets, stop_event=self.stopping, **options):
                    names = sorted({os.path.relpath(path, paths.PROJECT_ROOT) for _, path in changes})
                    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
                    say(f"saved {', '.join(names[:5])}{more}")
                    self.saved.set()
            except Exception as error:  # e.g. a watched folder removed: report, then watch again
                say(f"the watcher stopped ({type(error).__name__}: {error}); watching again")
                await asyncio.sleep(1)  # not a busy loop while the cause lasts

    async def rebuild_on_saves(self):
        """One build at a time, each taking in every save made before it started; between
        builds, the next one is made ready."""
        while True:
            await self.saved.wait()
            self.saved.clear()
            try:
                built = await self.build()
            except Exception as error:  # the preview outlives any build, even one it cannot start
                self.failure = f"The preview could not run the build: {type(error).__name__}: {error}"
                say(self.failure)
                built = True
            if built:
                self.reload_pages()
            with contextlib.suppress(Exception):  # a build that cannot start says so when it runs
                self.ready = await self.start_build_process()

    async def start_build_process(self):
        process = await asyncio.create_subprocess_exec(
            *self.build_command,
            cwd=paths.PROJECT_ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,  # its own process group, so stopping the preview stops all of it
            limit=2**20,
        )
        self.processes.add(process)
        return process

    async def build(self):
        """Build with the build made ready since the last one, or, if it cannot (an input it
        prepared with changed since, or it failed while preparing), with one started now. False
        if nothing was built: the sources changed again while that one prepared (the next build
        takes them in)."""
        started = time.perf_counter()
        say("building")
        ready, self.ready = self.ready, None
        if ready is not None:
            status, errors, told = await self.told_to_build(ready)
            if told and status != PREPARED_STALE:
                self.report(status, errors, started)
                return True
            say("the build made ready is out of date; building with a fresh one")
        status, errors, _ = await self.told_to_build(await self.start_build_process())
        if status == PREPARED_STALE:
            say("the sources changed while the build prepared; building again")
            self.saved.set()
            return False
        self.report(status, errors, started)
        return True

    async def told_to_build(self, process):
        """Tell a build process to build and wait for it: its exit status, its error lines, and
        whether it was told (one that ended while preparing never was)."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # it has already ended
            process.stdin.write(b"\n")
            await process.stdin.drain()
            process.stdin.close()
        lines, errors = await asyncio.gather(
            relay(process.stdout, sys.stdout), relay(process.stderr, sys.stderr)
        )
        status = await process.wait()
        self.processes.discard(process)
        return status, errors, TOLD in (line.strip() for line in lines)

    def report(self, status, errors, started):
        seconds = time.perf_counter() - started
        if status == 0:
            self.failure = ""
            say(f"built in {seconds:.1f} s; open pages reload")
        else:
            report = "".join(errors[-BANNER_LINES:]).strip()
            self.failure = report or f"The build ended with status {status} and said nothing."
            say(f"the build failed after {seconds:.1f} s; still serving the last good book")

    async def stop_builds(self):
        """Interrupt a build under way as Ctrl-C would (it then puts back what it had changed and
        stops what it started), and let the one made ready go; wait for each a generous time,
        then kill whatever of it is left."""
        await asyncio.gather(*(stop(process) for process in list(self.processes)))

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        tasks = [
            asyncio.create_task(self.rebuild_on_saves()),
            asyncio.create_task(
                self.watch(*(paths.PROJECT_ROOT / f for f in WATCHED_FOLDERS), watch_filter=SourceChanges())
            ),
            # The folder, not the files: an editor that saves by renaming a new file over the old
            # one would leave a watch on the file itself watching nothing.
            asyncio.create_task(
                self.watch(paths.PROJECT_ROOT, recursive=False, watch_filter=top_level_source)
            ),
        ]
        self.saved.set()  # a first build: the sources may have changed since the last one
        try:
            yield
        finally:
            self.stopping.set()
            tasks[0].cancel()
            await self.stop_builds()
            await asyncio.gather(*tasks, return_exceptions=True)

    # --- the open pages -----------------------------------------------------------------------

    def reload_pages(self):
        for queue in self.pages:
            queue.put_nowait("reload")

    async def reload_socket(self, websocket):
        """A page's line to the server: told "reload" after every build, good or failed."""
        await websocket.accept()
        queue = asyncio.Queue()
        self.pages.add(queue)
        sender = asyncio.create_task(send_reloads(websocket, queue))
        try:
            async for _ in websocket.iter_text():  # until the page is closed
                pass
        finally:
            self.pages.discard(queue)
            sender.cancel()

    def annotate(self, page):
        """The page with the reload script and, after a failed build, the banner."""
        extra = RELOAD_SCRIPT.encode() + (banner(self.failure) if self.failure else b"")
        end = page.lower().rfind(b"</body>")
        return page[:end] + extra + page[end:] if end >= 0 else page + extra


async def stop(process):
    """Ctrl-C to a build process and all it started; killed if still there after a generous wait."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(process.wait(), 60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    await process.wait()


async def relay(stream, terminal):
    """Copy the build's output to the terminal as it comes; return its lines."""
    lines = []
    async for raw in stream:
        line = raw.decode(errors="replace")
        terminal.write(line)
        terminal.flush()
        lines.append(line)
    return lines


async def send_reloads(websocket, queue):
    with contextlib.suppress(Exception):  # the page has gone: its socket is closed
        while True:
            await websocket.send_text(await queue.get())


class Annotated:
    """ASGI middleware over the site: HTML pages get :meth:`Preview.annotate`, nothing is cached,
    and every request is answered in full (never "304 Not Modified")."""

    def __init__(self, app, preview):
        self.app = app
        self.preview = preview

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(name, value) for name, value in scope["headers"] if name not in CONDITIONAL]
        scope = dict(scope, headers=headers)
        start, body = None, []

        async def send_annotated(message):
            nonlocal start
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers["cache-control"] = "no-store"
                if (
                    response_headers.get("content-type", "").startswith("text/html")
                    and scope["method"] == "GET"
                ):
                    start = message  # sent with the page, once its new length is known
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = self.preview.annotate(b"".join(body))
                MutableHeaders(scope=start)["content-length"] = str(len(page))
                await send(start)
                message = {"type": "http.response.body", "body": page}
            await send(message)

        await self.app(scope, receive, send_annotated)


def site_or_notice(site):
    """The built site; while there is none (before the first build, or for the instant of a
    publish swapping folders), a page saying so, which reloads when a build ends."""

    async def serve(scope, receive, send):
        if scope["type"] == "http" and not SITE.is_dir():
            notice = NO_BOOK_YET.format(f"{SITE} does not exist yet; it appears after a good build.")
            await HTMLResponse(notice, status_code=503)(scope, receive, send)
            return
        await site(scope, receive, send)

    return serve


def application(preview):
    # StaticFiles resolves each path's real location and serves it only inside SITE; not checking
    # the folder at start lets the preview start before the first build has made it.
    site = StaticFiles(directory=SITE, html=True, check_dir=False, follow_symlink=False)
    return Starlette(
        routes=[
            WebSocketRoute(RELOAD_PATH, preview.reload_socket),
            Mount("/", app=Annotated(site_or_notice(site), preview)),
        ],
        # Only requests addressed to this machine by name: a web page elsewhere cannot read the
        # preview through a name of its own that resolves to 127.0.0.1 (DNS rebinding).
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=[HOST, "localhost"])],
        lifespan=preview.lifespan,
    )


def main(arguments=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (default 8000)")
    options = parser.parse_args(arguments)
    say(f"serving {SITE} at http://{HOST}:{options.port}/ and rebuilding on every save (Ctrl-C stops)")
    try:
        uvicorn.run(
            application(Preview()),
            host=HOST,
            port=options.port,
            ws="websockets-sansio",
            log_level="warning",
            timeout_graceful_shutdown=5,
        )
    except KeyboardInterrupt:
        pass  # Ctrl-C: uvicorn has already shut down, and the lifespan stopped any build
    say("stopped")


if __name__ == "__main__":
    main()
