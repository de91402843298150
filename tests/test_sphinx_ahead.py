"""The HTML step is set up before the notebooks finish, and that changes nothing in the site.

``make book`` starts Sphinx first (imports, set-up) and has it build once every notebook is final.
So: what the pages show of the build (the commit, whether the worktree was clean, the figures
manifest) is read as they are written, never when Sphinx starts; the site is byte for byte the
one the stock command writes; a step left unused is ended at once, and one whose input closes
before it is told to build writes nothing. Also what keeps the step short: each page's doctree
is unpickled once for numbering the figures and resolving references to them.
"""

import io
import json
import signal
import subprocess
import sys
from types import SimpleNamespace

import pytest
from projectcopy import environment

from nhsreport.pipeline import build_record, cite_blocks, private_api, sphinx_process


def fake_app(root):
    """Just enough of a Sphinx application for the extensions' handlers."""
    handlers = {}
    app = SimpleNamespace(
        srcdir=str(root),
        outdir=str(root / "_build" / "html"),
        builder=SimpleNamespace(format="html", name="html"),
        connect=lambda event, handler, *args: handlers.setdefault(event, []).append(handler),
        add_domain=lambda *args, **options: None,
        add_node=lambda *args, **options: None,
        add_directive=lambda *args, **options: None,
        setup_extension=lambda name: None,
    )
    return app, handlers


def git(root, *arguments):
    subprocess.run(["git", *arguments], cwd=root, check=True, capture_output=True)


def test_the_footer_tells_a_change_made_after_sphinx_started(tmp_path):
    """The notebooks may rewrite tracked files while Sphinx sets up: the footer must say so."""
    (tmp_path / "metadata.yml").write_bytes((build_record.paths.PROJECT_ROOT / "metadata.yml").read_bytes())
    (tmp_path / "tracked.txt").write_text("as committed\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "first")
    app, handlers = fake_app(tmp_path)
    build_record.setup(app)
    for handler in handlers.get("builder-inited", []):
        handler(app)
    (tmp_path / "tracked.txt").write_text("rewritten while the notebooks ran\n")
    context = {"theme_extra_footer": ""}
    handlers["html-page-context"][0](app, "index", "page.html", context, None)
    assert context["build_dirty"] is True
    assert "uncommitted changes" in context["theme_extra_footer"]


def test_cite_blocks_use_the_manifest_as_the_pages_are_written(tmp_path):
    """The chapters write figures/manifest.json after Sphinx has started."""
    (tmp_path / "figures").mkdir()
    app, handlers = fake_app(tmp_path)
    cite_blocks.setup(app)
    for handler in handlers.get("builder-inited", []):
        handler(app)
    entry = {"kind": "figure", "files": [], "data": {}, "notebook": "chapters/x.ipynb", "caption": "x"}
    (tmp_path / "figures" / "manifest.json").write_text(json.dumps({"fig-x": entry}))
    assert list(cite_blocks.figures_manifest(app)) == ["fig-x"]


def test_the_step_builds_only_once_told_and_ends_unused_when_its_input_closes():
    built = []
    build = sphinx_process.build_when_told(lambda app: built.append(app) or 0, iter([{"build": True}]))
    assert build("app") == 0 and built == ["app"]
    unused = sphinx_process.build_when_told(lambda app: built.append(app), iter([]))
    with pytest.raises(sphinx_process.Cancelled):
        unused("app")
    assert built == ["app"]


def test_requests_are_read_one_line_each_until_the_input_closes():
    lines = io.StringIO('["build", "."]\n\n{"build": true}\n')
    assert list(sphinx_process.requests(lines)) == [["build", "."], {"build": True}]


def test_figure_numbering_and_numbered_references_unpickle_each_page_once(monkeypatch):
    """Both only read the pages once every page is read; writing a page changes its doctree, so
    from then on each reader gets its own copy."""
    from sphinx.environment import BuildEnvironment

    unpickled = []
    monkeypatch.setattr(BuildEnvironment, "get_doctree", lambda env, name: unpickled.append(name) or object())
    env = BuildEnvironment.__new__(BuildEnvironment)
    env.domains = {"std": SimpleNamespace()}
    private_api.share_doctrees_while_numbering(None, env)
    numbering = {name: env.get_doctree(name) for name in ("a", "b", "a")}
    private_api.stop_sharing_doctrees(None, env)
    assert private_api.SharedDoctrees(env).get_doctree("a") is numbering["a"]
    assert unpickled == ["a", "b"]
    assert env.get_doctree("a") is not numbering["a"] and unpickled == ["a", "b", "a"]


SHARING_OFF = {"NHSREPORT_SHARED_DOCTREES": "0"}


def numbers_shown(html):
    """Every figure's and table's number as its caption shows it, and every numbered reference's
    text with its target: {("caption", page, id) or ("reference", page, link): text}."""
    from bs4 import BeautifulSoup

    shown = {}
    for path in sorted(html.rglob("*.html")):
        page = str(path.relative_to(html))
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for number in soup.select(".caption-number"):
            owner = number.find_parent(id=True)
            shown[("caption", page, owner["id"] if owner else "")] = number.get_text(" ", strip=True)
        for reference in soup.select("a.reference.internal span.std-numref"):
            link = reference.find_parent("a")["href"]
            shown[("reference", page, link)] = reference.get_text(" ", strip=True)
    return shown


def test_sharing_doctrees_changes_no_figure_or_table_number_on_a_real_build(small_book, tmp_path):
    """The small book (real chapters and catalogue) built with and without the sharing: every
    caption number and every numbered reference reads the same."""
    shown = {}
    for name in ("shared", "not shared"):
        run = subprocess.run(
            [sys.executable, "-c", SINGLE_BUILD, str(tmp_path / name)],
            env=environment(small_book) | (SHARING_OFF if name == "not shared" else {}),
            cwd=small_book,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        shown[name] = numbers_shown(tmp_path / name / "_build" / "html")
    kinds = [kind for kind, _, _ in shown["shared"]]
    assert kinds.count("caption") > 5 and kinds.count("reference") > 5, shown["shared"]
    assert shown["shared"] == shown["not shared"]


def test_an_html_step_left_unused_is_ended_at_once(tmp_path):
    """A build that fails before its HTML step (bad data, a failing chapter) does not wait for the
    HTML process to finish importing Sphinx (2-3 s of CPU): it is killed."""
    from nhsreport.pipeline.book import SphinxRun

    sphinx = SphinxRun(tmp_path)
    sphinx.cancel()
    assert sphinx.process.returncode == -signal.SIGKILL


def site_files(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


SINGLE_BUILD = "import pathlib, sys; from nhsreport.pipeline.book import run_sphinx; sys.exit(run_sphinx(pathlib.Path(sys.argv[1])).returncode)"


def test_the_site_is_byte_for_byte_the_one_the_stock_command_writes(small_book, tmp_path):
    """Sphinx set up ahead, then told to build: the same bytes as the stock ``jupyter-book build``
    of the same sources (the plain path's HTML step)."""
    builds = {}
    for name, switch in (("set up ahead", {}), ("stock", {"NHSREPORT_SPHINX_AHEAD": "0"})):
        run = subprocess.run(
            [sys.executable, "-c", SINGLE_BUILD, str(tmp_path / name)],
            env=environment(small_book) | switch,
            cwd=small_book,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        builds[name] = site_files(tmp_path / name / "_build" / "html")
    assert len(builds["stock"]) > 10
    assert sorted(builds["set up ahead"]) == sorted(builds["stock"])
    differ = [name for name in builds["stock"] if builds["set up ahead"][name] != builds["stock"][name]]
    assert differ == []
