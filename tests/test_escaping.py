"""Text from data is inert on every path out: a table cell in the page, the CSV download and a
matplotlib label. Only markup built by code (cite, emphasis, code) renders as markup."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from nhsreport.presentation import tables
from nhsreport.presentation.chapter import draw_text_as_typed
from nhsreport.presentation.tables import (
    cite,
    code,
    emphasis,
    markdown_table_block,
    markup,
    numeric_columns,
    plain_frame,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[x](javascript:alert(3))",
    "{raw:html}`<img src=x onerror=alert(4)>`",
    "```<script>alert(5)</script>```",
    "`code` and *emphasis* and __strong__",
    "a | b || c",
    "$x$ and $$y$$",
    "# not a heading",
    ":name: not-an-option",
    "{{ substitution }} {#id .class}",
    "[^note] <https://example.org> &amp; &lt;b&gt;",
    "\\*backslash\\* ~~struck~~ :::",
    "line one\nline two",
]
SINGLE_LINE = [" ".join(p.splitlines()) for p in PAYLOADS]
MYST_EXTENSIONS = ["dollarmath", "colon_fence", "substitution", "linkify", "tasklist", "attrs_inline"]


def payload_frame():
    return pd.DataFrame({"Payload": PAYLOADS, "Count": range(len(PAYLOADS))})


def render_myst(text):
    """MyST Markdown to HTML with the parser the book uses (markdown-it with MyST's plugins)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions=set(MYST_EXTENSIONS) - {"linkify"})
    return create_md_parser(config, RendererHTML).render(text)


def table_cells(html):
    soup = BeautifulSoup(html, "html.parser")
    return soup, [row.find_all("td") for row in soup.select("tbody tr")]


def test_every_payload_renders_as_its_own_text_and_nothing_else():
    block = markdown_table_block(payload_frame(), "tbl-payloads", "Payloads")
    body = block.split("\n", 3)[3].rsplit("```", 1)[0]  # the pipe table inside the directive
    soup, rows = table_cells(render_myst(body))
    assert len(rows) == len(PAYLOADS)
    for expected, cells in zip(SINGLE_LINE, rows):
        assert len(cells) == 2, f"{expected!r} broke the row into {len(cells)} cells"
        assert cells[0].get_text().replace("\u2060", "") == expected
        assert cells[0].find(True) is None, f"{expected!r} rendered as markup: {cells[0]}"
    assert soup.find(["script", "img", "a", "code", "em", "strong", "span", "math"]) is None


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_leaves_no_live_syntax_in_the_table_source(payload):
    row = markdown_table_block(pd.DataFrame({"x": [payload]}), "tbl-x", "X").splitlines()[5]
    for live in ("<", ">", "`", "{", "[", "$", "*", "\n"):
        assert live not in row.replace("\\" + live, ""), f"{live!r} left live in {row!r}"
    assert row.count("|") - row.count("\\|") == 2


def test_a_citation_made_by_code_renders_as_a_role_and_its_csv_text_is_author_year():
    cell = markup("see ", cite("bresnen2017managing"), "; ", emphasis("not listed"), " ", code("a|b"))
    frame = pd.DataFrame({"Work": [cell]})
    row = markdown_table_block(frame, "tbl-x", "X").splitlines()[5]
    assert "{cite:t}`bresnen2017managing`" in row and "*not listed*" in row and "`a\\|b`" in row
    assert plain_frame(frame)["Work"][0] == "see Bresnen et al. (2017); not listed a|b"
    with pytest.raises(ValueError):
        cite("key`}<script>")
    with pytest.raises(ValueError):
        cite("bresnen2017managing", role="raw:html")


def test_old_citation_strings_still_render_during_the_transition_and_nothing_else_does():
    legacy = "{cite:t}`hoque2004freedom`; *x* {raw:html}`<b>` {cite:t}`bad key`"
    row = markdown_table_block(pd.DataFrame({"x": [legacy]}), "tbl-x", "X").splitlines()[5]
    assert row.startswith("| {cite:t}`hoque2004freedom`; \\*x\\* \\{raw\\:html\\}\\`&lt;b&gt;\\`")
    assert "\\{cite\\:t\\}\\`bad key\\`" in row
    assert plain_frame(pd.DataFrame({"x": [legacy]}))["x"][0].startswith("Hoque et al. (2004); *x*")


def test_the_csv_holds_plain_text_and_no_formula():
    frame = pd.DataFrame({"a": ["=HYPERLINK(1)", "@SUM(1)", "-5", "+100", "<b>", "-x"]})
    assert list(plain_frame(frame)["a"]) == ["'=HYPERLINK(1)", "'@SUM(1)", "-5", "+100", "<b>", "'-x"]


def test_number_columns_are_right_aligned_and_text_columns_left_aligned():
    frame = pd.DataFrame(
        {"Trust": ["Acute", "Total"], "n": [3, 4], "Range": ["0–1 †", "3 / 2"], "Id": ["c-1", "—"]}
    )
    assert numeric_columns(frame) == [False, True, True, False]
    lines = markdown_table_block(frame, "tbl-x", "X").splitlines()
    assert lines[1:3] == [":name: tbl-x", ":class: nowrap-1 nowrap-2 nowrap-4"]  # one-token columns
    assert lines[5] == "|:--|--:|--:|:--|"


def test_a_dollar_from_data_is_drawn_as_typed_not_as_mathtext():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    label = ax.set_title("cost $5 to $10 $x$")
    assert label._preprocess_math(label.get_text())[1] is not False  # parsed as mathtext by default
    draw_text_as_typed(fig)
    assert label._preprocess_math(label.get_text()) == ("cost $5 to $10 $x$", False)
    plt.close(fig)


# --- rendered: a throwaway Sphinx site in Chromium ---------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def build_payload_site(tmp_path):
    from sphinx.cmd.build import build_main

    source, out = tmp_path / "src", tmp_path / "html"
    (source / "figures").mkdir(parents=True)
    (source / "figures" / "tbl-payloads.csv").write_text("x\n", encoding="utf-8")
    (source / "conf.py").write_text(
        f"extensions = ['myst_parser']\nmyst_enable_extensions = {MYST_EXTENSIONS!r}\n"
        "html_theme = 'basic'\nnumfig = True\n",
        encoding="utf-8",
    )
    block = markdown_table_block(payload_frame(), "tbl-payloads", "Payloads").replace("../figures", "figures")
    (source / "index.md").write_text(f"# Payloads\n\n{block}\n", encoding="utf-8")
    status = build_main(["-q", "-b", "html", str(source), str(out)])
    assert status == 0
    return out / "index.html"


def test_payloads_stay_text_in_a_real_browser(tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Chromium at {CHROMIUM}: CI must run the rendered escaping test")
        pytest.skip(f"no Chromium at {CHROMIUM}; install it to run the rendered escaping test")
    page_file = build_payload_site(tmp_path)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        dialogs, errors = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_timeout(300)
        found = page.evaluate(
            """() => ({
                scripts: [...document.querySelectorAll('tbody script, tbody img, tbody a, tbody iframe, tbody math')].length,
                handlers: [...document.querySelectorAll('[onerror], [onload], [onclick]')].length,
                cells: [...document.querySelectorAll('table tbody tr')].map(r => r.cells[0].textContent.trim()),
            })"""
        )
        browser.close()
    assert dialogs == [], f"a payload ran script: {dialogs}"
    assert errors == []
    assert found["scripts"] == 0 and found["handlers"] == 0
    assert [c.replace("\u2060", "") for c in found["cells"]] == [p.strip() for p in SINGLE_LINE]


def test_join_keeps_markup_and_escapes_the_rest():
    cell = tables.join("; ", [cite("hoque2004freedom"), "Smith <b>", emphasis("x")])
    assert cell.myst == "{cite:t}`hoque2004freedom`; Smith &lt;b&gt;; *x*"
    assert f"{cell}" == "Hoque et al. (2004); Smith <b>; x"


def test_hyphenated_words_stay_whole_in_the_page_but_not_in_the_csv():
    frame = pd.DataFrame({"x": ["clinician-managers, 18-30 and 1948–1982"]})
    row = markdown_table_block(frame, "tbl-x", "X").splitlines()[-4]
    assert row == "| clinician-\u2060managers, 18-\u206030 and 1948–\u20601982 |"
    assert plain_frame(frame)["x"][0] == "clinician-managers, 18-30 and 1948–1982"


def test_a_citation_key_with_a_hyphen_is_left_intact():
    row = markdown_table_block(pd.DataFrame({"x": ["{cite:t}`a-b`; x-y"]}), "tbl-x", "X").splitlines()[-4]
    assert row == "| {cite:t}`a-b`; x-\u2060y |"
