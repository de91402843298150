"""The speed layers change nothing the book shows (nhsreport.pipeline.layers).

On the real book: the default `make book` of a private copy (the ``built_project`` session
fixture, shared with the other whole-book tests) and the plain build (`make book PLAIN=1`, every
layer off) of another copy give the same notebooks and figures (bytes), the same manifest and
the same text on every page (the build's commit aside). On the small book: each layer switched
off on its own gives the same notebooks, figures and page text as the default small book. None
of these builds prints the whole-book PDF, which nothing compared here reads (tests/test_pdf.py
checks the PDF).
"""

import json
import re

import pytest
from bs4 import BeautifulSoup
from projectcopy import copy_small_book, copy_sources, run_module, tracked_outputs

from nhsreport.pipeline import layers

BUILD_COMMIT = re.compile(r"Built from commit \S+( with uncommitted changes)?")
LAST_UPDATED = re.compile(r"Last updated on [^.]*\.")
SPACES = re.compile(r"\s+")


def page_text(html):
    """What a reader reads on a page: its text, whitespace collapsed, the build's commit (and a
    last-updated date, if the theme shows one) replaced by a placeholder."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    text = SPACES.sub(" ", soup.get_text(" ")).strip()
    text = BUILD_COMMIT.sub("Built from commit COMMIT", text)
    return LAST_UPDATED.sub("Last updated on DATE.", text)


def pages_text(root):
    site = root / "_build" / "html"
    return {
        str(page.relative_to(site)): page_text(page.read_bytes()) for page in sorted(site.rglob("*.html"))
    }


def build_record(root):
    """The site's build record without what names the build itself (its commit)."""
    record = json.loads((root / "_build" / "html" / "build-record.json").read_text(encoding="utf-8"))
    return {key: value for key, value in record.items() if key not in ("commit", "dirty")}


def built_with(root, *arguments, **variables):
    """Run `make book` (with ``arguments``, and ``variables`` in its environment) in a copy,
    without printing the whole-book PDF, which nothing compared here reads."""
    result = run_module(root, "nhsreport.pipeline.book", "--keep-pdf", *arguments, **variables).result
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


def differing(first, second):
    """The keys whose values differ between two {name: content} maps (or that one lacks)."""
    return sorted(name for name in set(first) | set(second) if first.get(name) != second.get(name))


def assert_same_book(default, other):
    assert tracked_outputs(other), "the build made no notebook or figure"
    assert not differing(tracked_outputs(default), tracked_outputs(other)), "notebooks or figures differ"
    assert pages_text(default), "the build published no page"
    assert not differing(pages_text(default), pages_text(other)), "page text differs"
    assert build_record(default) == build_record(other)


def test_the_text_of_a_page_ignores_markup_and_the_build_commit_only():
    first = "<p>Built from commit <code>abc</code> · <b>42</b> staff</p><script>x = 1</script>"
    second = "<div>Built from commit <code>unknown</code> with uncommitted changes\n· 42   staff</div>"
    assert page_text(first) == page_text(second) == "Built from commit COMMIT · 42 staff"
    assert page_text("<p>43 staff</p>") != page_text("<p>42 staff</p>")


def test_the_plain_build_gives_the_book_the_default_build_gives(built_project, tmp_path):
    """Two whole builds of the real book: the default one is the suite's shared ``built_project``."""
    plain = built_with(copy_sources(tmp_path / "plain"), "--plain")
    assert_same_book(built_project, plain)


@pytest.mark.parametrize("layer", sorted(layers.LAYERS))
def test_each_layer_switched_off_alone_changes_nothing_the_small_book_shows(
    layer, built_small_book, tmp_path
):
    """The default small book is the suite's shared ``built_small_book``."""
    switched_off = built_with(copy_small_book(tmp_path / "book"), **{layer: layers.OFF})
    assert_same_book(built_small_book, switched_off)


def test_the_plain_switch_turns_every_layer_off_and_only_0_turns_one_off(monkeypatch):
    for variable in layers.LAYERS:
        monkeypatch.delenv(variable, raising=False)
    assert all(layers.on(variable) for variable in layers.LAYERS)
    monkeypatch.setenv("NHSREPORT_PARALLEL", "false")  # not the switch: the layer stays on
    assert layers.on("NHSREPORT_PARALLEL")
    environ = {}
    layers.switch_all_off(environ)
    assert environ == dict.fromkeys(layers.LAYERS, "0")
    with pytest.raises(KeyError, match="not a speed layer"):
        layers.on("NHSREPORT_WARM_KERNEL")


def test_warm_kernels_switched_off_leave_kernels_to_jupyter_client(monkeypatch):
    from jupyter_client.manager import AsyncKernelManager

    from nhsreport.pipeline.warm_kernels import warm_kernels

    monkeypatch.setenv("NHSREPORT_WARM_KERNELS", layers.OFF)
    with warm_kernels() as server:
        server.start()
        assert server.pid is None, "the kernel server started though the layer is off"
        assert server.manager_class()._async_launch_kernel is AsyncKernelManager._async_launch_kernel
