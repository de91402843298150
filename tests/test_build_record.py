"""How the book was made: deterministic tables for the appendix, and the build-time record.

The build record holds the git commit and whether the worktree was dirty, never a clock time, and
it is written only by the Sphinx extension (never into a notebook output).
"""

import json
import shutil
from types import SimpleNamespace

import pytest

from nhsreport import environment, paths
from nhsreport.analyses import appendix_reproducibility as appendix
from nhsreport.data.load import load_data
from nhsreport.pipeline import build_record

TIME_WORDS = ("time", "date", "timestamp", "built_at", "clock")


def test_every_pinned_package_is_listed_with_python_first():
    pins = environment.pinned_requirements()
    table = appendix.packages_table()
    assert table.iloc[0]["Package"] == "Python"
    assert list(table["Package"][1:]) == [name for name, _ in pins]
    assert len(pins) > 100


def test_every_data_file_is_listed_and_matches_its_recorded_checksum():
    data = load_data()
    table = appendix.data_files_register(data)
    assert sorted(table["File"]) == sorted(r["path"] for r in data.package["resources"])
    assert (table["Matches the file"] == "yes").all()


def test_an_edited_data_file_no_longer_matches_its_recorded_checksum(data_copy):
    data_copy.set_cell("age.csv", 1, "count", "9", rehash=False)
    hashes = build_record.data_file_hashes(data_copy.folder)
    assert hashes["age.csv"]["recorded"] != hashes["age.csv"]["actual"]
    assert hashes["gender.csv"]["recorded"] == hashes["gender.csv"]["actual"]


def test_the_outputs_table_leaves_out_the_notebook_that_draws_it():
    manifest = {
        "fig-a": {"kind": "figure", "notebook": "chapters/a.ipynb", "data": {"x.csv": "0"}},
        "tbl-b": {"kind": "table", "notebook": "chapters/appendix.ipynb", "data": {}},
    }
    table = appendix.outputs_table(manifest, exclude_notebook="chapters/appendix.ipynb")
    assert list(table["Label"]) == ["fig-a"]
    assert table.iloc[0]["Data files read"] == 1


def test_outside_a_repository_the_commit_is_unknown(tmp_path):
    assert build_record.git_state(tmp_path) == ("unknown", None)


@pytest.fixture
def book(tmp_path):
    """A minimal book folder: data, figures and requirements.txt, and an output folder."""
    root = tmp_path / "book"
    shutil.copytree(paths.DATA_DIR, root / "data")
    shutil.copytree(paths.FIGURES_DIR, root / "figures")
    shutil.copy(paths.PROJECT_ROOT / "requirements.txt", root / "requirements.txt")
    (root / "_build" / "html").mkdir(parents=True)
    return root


def fake_app(root):
    handlers = {}
    app = SimpleNamespace(
        srcdir=str(root),
        outdir=str(root / "_build" / "html"),
        builder=SimpleNamespace(format="html"),
        connect=lambda event, handler: handlers.setdefault(event, handler),
    )
    return app, handlers


def test_the_extension_writes_a_build_record_without_clock_time(book):
    app, handlers = fake_app(book)
    build_record.setup(app)
    assert {"builder-inited", "html-page-context", "build-finished"} <= set(handlers)
    handlers["builder-inited"](app)
    handlers["build-finished"](app, None)
    record = json.loads((book / "_build" / "html" / "build-record.json").read_text())
    assert record["commit"] == "unknown" and record["worktree_dirty"] is None
    assert set(record) == {"commit", "worktree_dirty", "data", "packages", "manifest"}
    assert record["data"]["age.csv"]["actual"] == record["data"]["age.csv"]["recorded"]
    assert record["packages"]["python"]
    assert not any(word in key.lower() for key in record for word in TIME_WORDS)
    first = (book / "_build" / "html" / "build-record.json").read_bytes()
    handlers["build-finished"](app, None)
    assert (book / "_build" / "html" / "build-record.json").read_bytes() == first


def test_a_failed_build_writes_no_record(book):
    app, handlers = fake_app(book)
    build_record.setup(app)
    handlers["build-finished"](app, RuntimeError("build failed"))
    assert not (book / "_build" / "html" / "build-record.json").exists()


def test_every_page_gets_the_commit_in_its_context_and_footer(book):
    app, handlers = fake_app(book)
    build_record.setup(app)
    app.nhsreport_build = ("0123456789abcdef0123", True)
    context = {"pathto": lambda name, resource: "../" + name, "theme_extra_footer": ""}
    handlers["html-page-context"](app, "chapters/x", "page.html", context, None)
    assert context["build_commit"] == "0123456789abcdef0123" and context["build_dirty"] is True
    assert "0123456789ab" in context["theme_extra_footer"]
    assert "uncommitted changes" in context["theme_extra_footer"]
    assert 'href="../build-record.json"' in context["theme_extra_footer"]
