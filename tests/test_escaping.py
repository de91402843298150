"""Text from data is inert on every path out: a table cell in the page, the CSV download and a
matplotlib label. Only markup built by code (cite, emphasis, code) renders as markup."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
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
    assert row == "| clinician-\u2060managers, 18–\u206030 and 1948–\u20601982 |"  # a range shows its en dash
    assert plain_frame(frame)["x"][0] == "clinician-managers, 18-30 and 1948–1982"


def test_a_citation_key_with_a_hyphen_is_left_intact():
    row = markdown_table_block(pd.DataFrame({"x": ["{cite:t}`a-b`; x-y"]}), "tbl-x", "X").splitlines()[-4]
    assert row == "| {cite:t}`a-b`; x-\u2060y |"


# --- inputs other than data: references.bib, _config.yml, metadata.yml, file names ---------------

HOSTILE_NAME = "x`{download}`/metadata.yml`<img src=x onerror=alert(41)>.csv"
HOSTILE_TITLE = (
    "T <script>alert(21)</script> {download}`/metadata.yml` [x](javascript:alert(3))\n```\n{raw:html}`<b>`"
)


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://example.org/a?b=1&c=it's", "https://example.org/a?b=1&c=it's"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("doi:10.3310/hsdr02140", "https://doi.org/10.3310/hsdr02140"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        (" https://example.org", None),
        ("\x01javascript:alert(1)", None),
        ('https://example.org/"><script>alert(1)</script>', None),
        ("https://example.org/`{download}`", None),
        ("//example.org", None),
        ("doi:", None),
    ],
)
def test_only_http_https_and_doi_urls_become_links(url, target):
    from nhsreport.pipeline.input_rules import link_target

    assert link_target(url) == target


def test_a_bibliography_url_that_is_not_a_web_or_doi_link_is_never_a_link():
    from pybtex.database import parse_string

    from nhsreport.pipeline.bibliography_style import AuthorYearStyle, register

    register()
    bib = parse_string(
        "@misc{a, author={A, B}, title={T}, year={2020}, url={javascript:alert(1)}}\n"
        "@misc{b, author={B, C}, title={T}, year={2020}, url={doi:10.1/x}}\n"
        "@misc{c, author={C, D}, title={T}, year={2020}, url={https://example.org/x}}\n",
        "bibtex",
    )
    rendered = {
        e.key: e.text.render_as("html") for e in AuthorYearStyle().format_entries(bib.entries.values())
    }
    assert "URL: javascript:alert(1)." in rendered["a"] and "<a" not in rendered["a"]
    assert '<a href="https://doi.org/10.1/x">doi:10.1/x</a>' in rendered["b"]
    assert '<a href="https://example.org/x">https://example.org/x</a>' in rendered["c"]


def hostile_inputs(root):
    """A project root whose references.bib, _config.yml and metadata.yml each break a rule."""
    from nhsreport import paths

    root.mkdir(exist_ok=True)
    bib = (paths.PROJECT_ROOT / "references.bib").read_text(encoding="utf-8")
    bib = bib.replace(
        "  isbn      = {978-1-138-99878-0}", "  isbn = {978-1-138-99878-0},\n  url = {javascript:alert(1)}"
    )
    (root / "references.bib").write_text(bib, encoding="utf-8")
    config = yaml.safe_load((paths.PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = "<script>alert(31)</script>" + config["title"]
    config["author"] = '"><img src=x onerror=alert(32)>' + config["author"]
    (root / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    metadata = (paths.PROJECT_ROOT / "metadata.yml").read_text(encoding="utf-8")
    (root / "metadata.yml").write_text(
        metadata.replace('url: ""', 'url: "javascript:alert(33)"'), encoding="utf-8"
    )
    return root


HOSTILE_INPUT_PROBLEMS = [
    "references.bib, entry 'bresnen2017managing', field 'url': rule 'http, https or doi URL, with no "
    "space, quote, angle bracket, brace, backslash or backtick' broken (scheme 'javascript')",
    "_config.yml, key 'title': rule 'plain text' broken: the theme writes it into every page as HTML, "
    'so it may not hold <, >, "',
    "_config.yml, key 'author': rule 'plain text' broken: the theme writes it into every page as HTML, "
    'so it may not hold <, >, "',
    "metadata.yml: url must be empty or an absolute http(s) URL, not 'javascript:alert(33)'",
]


def test_each_input_rule_names_the_file_the_entry_or_key_the_field_and_the_rule(tmp_path):
    from nhsreport.pipeline.input_rules import problems

    assert problems(hostile_inputs(tmp_path)) == HOSTILE_INPUT_PROBLEMS


def test_the_project_inputs_break_no_rule():
    from nhsreport.pipeline.input_rules import problems

    assert problems() == []


def test_any_sphinx_build_of_the_book_refuses_a_broken_input_rule(tmp_path, capsys):
    """Not only `make book`: the book's extension refuses the inputs as Sphinx starts."""
    from sphinx.cmd.build import build_main

    source = hostile_inputs(tmp_path / "src")
    (source / "conf.py").write_text("extensions = ['nhsreport.pipeline.build_record']\n", encoding="utf-8")
    (source / "index.rst").write_text("Title\n=====\n", encoding="utf-8")
    status = build_main(["-q", "-b", "html", str(source), str(tmp_path / "html")])
    assert status != 0
    assert not (tmp_path / "html" / "index.html").exists()
    error = capsys.readouterr().err
    assert [problem for problem in HOSTILE_INPUT_PROBLEMS if problem not in error] == []


def catalogue_page(name):
    from nhsreport.analyses.figures_and_tables import entry_markdown

    entry = {
        "kind": "figure",
        "caption": "A caption written by the chapter.",
        "notebook": "chapters/who_was_studied.ipynb",
        "data": {name: "ab" * 32},
        "packages": {"pandas": "3.1.1"},
        "code": {"notebook_sha256": "c" * 64, "modules_sha256": "d" * 64},
    }
    return entry_markdown("fig-x", "figure", "who_was_studied", entry)


def test_the_catalogue_shows_file_names_as_text_and_publishes_nothing():
    soup = BeautifulSoup(render_myst(catalogue_page(HOSTILE_NAME)), "html.parser")
    roles = [role.get_text() for role in soup.select("code.myst.role")]
    assert roles == [
        "{numref}[fig-x]",
        "{download}[SVG <../figures/fig-x.svg>]",
        "{download}[PNG <../figures/fig-x.png>]",
        "{download}[PDF <../figures/fig-x.pdf>]",
    ]
    assert soup.find(["script", "img", "b"]) is None
    assert [a["href"] for a in soup.find_all("a")] == ["#fig-x-catalogue"]  # the label's target
    assert HOSTILE_NAME in [literal.get_text() for literal in soup.find_all("code")]
    # the citation is the generator's (the report's title reaches the page only through it)
    fences = soup.select("pre code")
    assert [fence["class"] for fence in fences] == [["language-{image}"], ["language-{item-citation}"]]


def test_the_report_title_in_a_citation_block_is_text():
    from nhsreport.pipeline import cite_blocks
    from nhsreport.presentation import citation

    metadata = {**citation.load_metadata(), "title": HOSTILE_TITLE}
    item = citation.Item("fig-x", "figure", "Figure 1.1", HOSTILE_TITLE, "chapters/x")
    soup = BeautifulSoup(cite_blocks.catalogue_citation_html(item, metadata), "html.parser")
    assert soup.find(["script", "b", "a"]) is None
    assert "<script>" in soup.get_text()


def test_the_values_drawn_csv_keeps_a_formula_as_text_as_the_table_csvs_do():
    """Synthetic table (test only): labels from data that a spreadsheet would read as formulas."""
    from nhsreport.presentation.drawn import downloadable_table

    table = pd.DataFrame(
        {"trust": ["=HYPERLINK(1)", "Care"], "series": ["+cmd", "@SUM(1)"], "change": ["-5", 7]}
    )
    saved = downloadable_table(table)
    assert list(saved["trust"]) == ["'=HYPERLINK(1)", "Care"] and list(saved["series"]) == [
        "'+cmd",
        "'@SUM(1)",
    ]
    assert list(saved["change"]) == ["-5", 7]  # a plain number stays a number
    assert list(table["trust"]) == ["=HYPERLINK(1)", "Care"]  # what is drawn keeps the text as typed


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ('url: "https://example.org/\\"><script>alert(1)</script>"', "url must be empty or an absolute"),
        ('url: "https://example.org/`{download}`/x"', "url must be empty or an absolute"),
        ('repository: "javascript:alert(1)"', "repository must be empty or an absolute"),
        ("version: 0.1.0/../../x", "is not MAJOR.MINOR.PATCH"),
        ("authors: [{name: ''}]", "every author needs a name"),
        ("authors: x", "every author needs a name"),
    ],
)
def test_metadata_that_would_reach_a_page_as_markup_or_a_path_is_refused(tmp_path, text, refusal):
    from nhsreport import paths
    from nhsreport.presentation.citation import MetadataError, load_metadata

    metadata = yaml.safe_load((paths.PROJECT_ROOT / "metadata.yml").read_text(encoding="utf-8"))
    metadata.update(yaml.safe_load(text))
    (tmp_path / "metadata.yml").write_text(yaml.safe_dump(metadata), encoding="utf-8")
    with pytest.raises(MetadataError, match=refusal):
        load_metadata(tmp_path)


def test_metadata_that_is_not_a_mapping_is_refused_by_name(tmp_path):
    from nhsreport.pipeline.input_rules import metadata_problems

    (tmp_path / "metadata.yml").write_text("- a list\n", encoding="utf-8")
    assert metadata_problems(tmp_path) == ["metadata.yml is not a mapping of keys to values"]
