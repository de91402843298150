"""The post-build fixes that keep every page of the site under 1 MiB (nhsreport.pipeline.sphinx_site),
specified on small inputs and on the theme's real stylesheet and icon font (no build, no browser).
tests/test_browser.py measures the built site itself."""

import io
import re
import shutil
from pathlib import Path

import pydata_sphinx_theme
import pytest
from fontTools.ttLib import TTFont

from nhsreport.pipeline import icon_font, sphinx_site, unused_css

THEME_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
THEME_CSS = THEME_STATIC / "styles" / "pydata-sphinx-theme.css"
SOLID_TTF = THEME_STATIC / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.ttf"

# Icons a chapter page shows: menu, search, download, colour mode, and a script's close button.
PAGE = """<html><body>
<button><span class="fa-solid fa-bars"></span></button>
<i class="fa-solid fa-magnifying-glass"></i> <i class="fa-solid fa-download"></i>
<i class="theme-switch fa-solid fa-sun fa-lg"></i> <i class="theme-switch fa-solid fa-moon fa-lg"></i>
<i class="theme-switch fa-solid fa-circle-half-stroke fa-lg"></i>
</body></html>"""
SCRIPT = 'e.classList.add("fa-solid","fa-xmark"); t.classList.add(`bs-${this.constructor.NAME}-auto`)'


def pruned(css, pages=(), scripts=()):
    used = unused_css.classes_in_pages(pages) | unused_css.classes_in_scripts(
        scripts, unused_css.classes_named_in(css)
    )
    return unused_css.drop_unused_rules(css, used)


# --- Unused CSS rules --------------------------------------------------------------------------


def test_a_rule_whose_class_no_page_or_script_uses_is_dropped():
    css = ".used{color:red}.unused{color:blue}p{margin:0}"
    assert pruned(css, ['<p class="used">']) == ".used{color:red}p{margin:0}"


def test_a_rule_is_kept_whole_when_any_selector_of_its_list_can_match():
    css = ".unused::-moz-focus-inner,.used:focus{outline:0}"
    assert pruned(css, ['<a class="used">']) == css


def test_classes_under_not_or_in_attribute_selectors_never_make_a_rule_unmatchable():
    css = 'p:not(.unused){margin:0}a[href$=".pdf"]{color:red}.x:is(.unused,.y) b{color:blue}'
    assert pruned(css, ['<p class="x">']) == css


def test_classes_a_script_names_or_builds_from_a_prefix_are_kept():
    css = ".show{display:block}.bs-tooltip-auto{margin:0}.bs-popover-auto{margin:1px}.gone{margin:2px}"
    result = pruned(css, scripts=['el.classList.add("show")', SCRIPT])
    assert result == ".show{display:block}.bs-tooltip-auto{margin:0}.bs-popover-auto{margin:1px}"


def test_inline_scripts_of_a_page_count_as_scripts():
    css = ".dynamic{color:red}"
    assert pruned(css, ['<script>document.body.classList.add("dynamic")</script>']) == css


def test_grouping_at_rules_are_pruned_inside_and_dropped_once_empty_other_at_rules_stay():
    css = (
        "@media (min-width:960px){.used{margin:0}.unused{margin:1px}}"
        "@media print{.unused{display:none}}"
        "@font-face{font-family:X;src:url(x.woff)}@keyframes spin{0%{transform:none}}"
    )
    assert pruned(css, ['<p class="used">']) == (
        "@media (min-width:960px){.used{margin:0}}"
        "@font-face{font-family:X;src:url(x.woff)}@keyframes spin{0%{transform:none}}"
    )


def test_braces_and_commas_inside_strings_and_comments_do_not_split_rules():
    css = '/* a { b } */.used:before{content:"}, {"}.unused:after{content:"{"}'
    assert pruned(css, ['<p class="used">']) == '/* a { b } */.used:before{content:"}, {"}'


def test_selectors_with_css_escapes_are_kept():
    css = r".w-\[50\%\]{width:50%}"
    assert pruned(css) == css


def test_the_theme_stylesheet_keeps_the_icons_a_page_shows_and_drops_the_rest():
    css = pruned(THEME_CSS.read_text(encoding="utf-8"), [PAGE], [SCRIPT])
    for name in ("fa-bars", "fa-magnifying-glass", "fa-download", "fa-sun", "fa-moon", "fa-xmark"):
        assert re.search(rf"\.{name}:before[^{{]*\{{content:", css), name
    assert ".fa-fill-drip:before" not in css
    assert ".fa-lg{" in css
    assert len(css) < THEME_CSS.stat().st_size / 2


# --- Icon font subset --------------------------------------------------------------------------


def test_icon_codepoints_are_the_one_character_strings_of_the_stylesheets():
    css = ':root{--icon:"\\f05a"}.fa-bars:before{content:"\\f0c9"}.fa-0:before{content:"\\30 "}.a{font-family:"Font Awesome 6 Free"}'
    assert icon_font.icon_codepoints([css]) == {0xF05A, 0xF0C9, 0x30}


def cmap(path):
    return TTFont(path).getBestCmap()


def test_the_subset_font_draws_exactly_the_kept_icons_with_their_original_glyphs(tmp_path):
    icons = {0xF0C9, 0xF002, 0xF019, 0xF185, 0xF186, 0xF042}  # bars, search, download, sun, moon, half
    target = tmp_path / "fa-solid-900.woff"
    icon_font.subset_font(SOLID_TTF, target, icons)
    original, subset = TTFont(SOLID_TTF), TTFont(target)
    assert subset.flavor == "woff"
    assert set(subset.getBestCmap()) == icons
    for codepoint in icons:
        old, new = original.getBestCmap()[codepoint], subset.getBestCmap()[codepoint]
        assert (
            subset["glyf"][new].getCoordinates(subset["glyf"])[0]
            == original["glyf"][old].getCoordinates(original["glyf"])[0]
        )
        assert subset["hmtx"][new] == original["hmtx"][old]
    assert target.stat().st_size < 10_000


def test_a_cached_subset_is_the_one_subsetting_writes_and_follows_the_code_points(tmp_path, monkeypatch):
    monkeypatch.setenv("NHSREPORT_CACHE", str(tmp_path / "cache"))
    icons = {0xF0C9, 0xF002, 0xF019}
    fresh = tmp_path / "fresh.woff"
    icon_font.subset_font(SOLID_TTF, fresh, icons)
    assert icon_font.woff_subset(SOLID_TTF, icons) == fresh.read_bytes()  # computed and stored
    assert len(list((tmp_path / "cache").glob("icon-font-*.json"))) == 1
    assert icon_font.woff_subset(SOLID_TTF, icons) == fresh.read_bytes()  # read back
    fewer = icons - {0xF002}
    assert set(TTFont(io.BytesIO(icon_font.woff_subset(SOLID_TTF, fewer))).getBestCmap()) == fewer


def test_stylesheets_load_the_woff_subset_instead_of_the_full_woff2():
    css = (
        '@font-face{src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff2) format("woff2"),'
        'url(../vendor/fontawesome/webfonts/fa-solid-900.ttf) format("truetype")}'
    )
    assert icon_font.point_at_woff(css, ["fa-solid-900"]) == (
        '@font-face{src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff) format("woff"),'
        'url(../vendor/fontawesome/webfonts/fa-solid-900.ttf) format("truetype")}'
    )


@pytest.fixture
def mini_site(tmp_path):
    """A built site with the theme's stylesheet, its solid icon font and one page."""
    styles = tmp_path / "_static" / "styles"
    fonts = tmp_path / icon_font.FONT_FOLDER
    styles.mkdir(parents=True)
    fonts.mkdir(parents=True)
    shutil.copy(THEME_CSS, styles)
    shutil.copy(SOLID_TTF, fonts)
    shutil.copy(SOLID_TTF.with_suffix(".woff2"), fonts)
    (tmp_path / "_static" / "scripts").mkdir()
    (tmp_path / "_static" / "scripts" / "theme.js").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    return tmp_path


def run_weight_fixes(site):
    sphinx_site.drop_unused_css_rules(site, own_names=set())
    sphinx_site.subset_icon_fonts(site)


def test_every_icon_a_page_uses_is_drawn_by_the_font_its_stylesheet_loads(mini_site):
    run_weight_fixes(mini_site)
    css = (mini_site / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    solid_face = re.search(r"@font-face\{[^}]*font-weight:900[^}]*\}", css).group(0)
    font_url = re.search(r"url\(([^)]+)\)", solid_face).group(1)
    assert font_url.endswith("fa-solid-900.woff")
    font = mini_site / "_static" / "styles" / font_url
    drawn = cmap(font)
    for name in re.findall(r"\bfa-[a-z-]+", PAGE + SCRIPT):
        rule = re.search(rf'\.{name}:before[^{{]*\{{content:"([^"]+)"', css)
        if rule:  # a style class (fa-solid, fa-lg) has no glyph
            assert ord(icon_font.unescape_css_string(rule.group(1))) in drawn, name
    assert font.stat().st_size < 10_000


def test_the_weight_fixes_give_the_same_site_when_run_again(mini_site):
    run_weight_fixes(mini_site)
    files = sorted(p for p in mini_site.rglob("*") if p.is_file())
    first = {p: p.read_bytes() for p in files}
    run_weight_fixes(mini_site)
    assert {p: p.read_bytes() for p in files} == first


# --- Per-page assets ---------------------------------------------------------------------------

SEARCH_SCRIPTS = """    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
"""
NO_AS_YOU_TYPE = "<script>DOCUMENTATION_OPTIONS.search_as_you_type = false;</script>\n"


def test_only_the_search_page_loads_the_search_index_when_search_as_you_type_is_off():
    chapter = NO_AS_YOU_TYPE + SEARCH_SCRIPTS
    assert "searchindex.js" not in sphinx_site.fix_page(chapter, "chapters/training.html")
    assert "searchtools.js" not in sphinx_site.fix_page(chapter, "chapters/training.html")
    assert sphinx_site.fix_page(chapter, "search.html") == chapter


def test_pages_keep_the_search_index_when_search_as_you_type_is_on():
    page = "<script>DOCUMENTATION_OPTIONS.search_as_you_type = true;</script>\n" + SEARCH_SCRIPTS
    assert sphinx_site.fix_page(page, "chapters/training.html") == page


DESIGN_ASSETS = """    <link rel="stylesheet" type="text/css" href="../_static/sphinx-design.min.css?v=6a604523" />
    <script data-sd-tabs-storage-prefix="sphinx-design-tab-id-" src="../_static/design-tabs.js?v=fcb327ea"></script>
"""


def test_sphinx_design_assets_are_loaded_only_where_its_components_are_used():
    plain = DESIGN_ASSETS + '<p class="reference">'
    assert "sphinx-design" not in sphinx_site.fix_page(plain)
    assert "design-tabs" not in sphinx_site.fix_page(plain)

    dropdown = DESIGN_ASSETS + '<details class="sd-sphinx-override sd-dropdown sd-card">'
    assert "sphinx-design.min.css" in sphinx_site.fix_page(dropdown)
    assert "design-tabs.js" not in sphinx_site.fix_page(dropdown)

    tabs = DESIGN_ASSETS + '<div class="sd-tab-set docutils">'
    assert sphinx_site.fix_page(tabs) == tabs
