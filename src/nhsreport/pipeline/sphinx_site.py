"""Sphinx extension: small post-build fixes so the site is light, offline and accessible.

Each fix is a targeted edit of the built site, applied at ``build-finished`` so the sources stay
untouched, and each can run again on its own output (a rebuild may not recopy the theme's files).

Accessibility and correctness (every page, :data:`EDITS` and :func:`fix_page`):

* search buttons whose ARIA labels hide their visible text, dropdown toggles with a fixed label,
  and a bibliography list without list items are fixed; figures open full size when tapped;
* extensions that register their inline scripts once per read (sphinx-thebe,
  sphinx-togglebutton) would declare ``const THEBE_JS_URL`` twice on every page, an uncaught
  SyntaxError; :func:`drop_repeated_inline_scripts` keeps the first copy of each; Thebe itself
  (unused) is dropped;
* a table's caption is moved above its scrolling box (:func:`captions_above_scrolling_boxes`), and
  its Total row is marked for a rule above it (:func:`mark_total_rows`); a hyphenated author's
  name in a citation is kept on one line (:func:`names_kept_whole`).

Weight (the heaviest page loaded 1.5 MiB; the budget is 1 MiB, see tests/test_browser.py):

* the theme's 1.5 MB icon script is stubbed out: its icons also come from the icon font CSS;
* :func:`drop_search_scripts`: the theme loads Sphinx's search scripts and the search index
  (80 KiB) on every page for search-as-you-type, which the site does not enable; only the
  search page keeps them;
* :func:`drop_unused_design_assets`: sphinx-design's stylesheet (54 KiB) and tab script are
  linked only from pages that use a sphinx-design component;
* :func:`drop_unused_css_rules`: stylesheets lose the rules no page can match (most of Bootstrap
  and of the 1,900 icon names, 290 KiB; see :mod:`nhsreport.pipeline.unused_css`), each pruning
  cached under its inputs (:mod:`nhsreport.cache`);
* :func:`subset_icon_fonts`: the icon fonts keep only the glyphs the remaining rules can draw
  (153 KiB to a few KiB; see :mod:`nhsreport.pipeline.icon_font`).
"""

import re
import shutil
from pathlib import Path

from .. import cache
from ..presentation.tables import keep_words_whole
from . import icon_font, layers, private_api, unused_css

ICON_SCRIPT = Path("_static") / "scripts" / "fontawesome.js"
ICON_SCRIPT_STUB = "/* Dropped by nhsreport.sphinx_site: icons are drawn by the bundled icon font CSS. */\n"
EDITS = [
    # Thebe (live code) is unused: drop its script, stylesheet, settings and config block.
    (re.compile(r'<script async="async" src="[^"]*sphinx-thebe\.js[^"]*"></script>\s*'), ""),
    (re.compile(r'<link rel="stylesheet" type="text/css" href="[^"]*sphinx-thebe\.css[^"]*" />\s*'), ""),
    (re.compile(r"<script>const THEBE_JS_URL = [^<]*</script>\s*"), ""),
    (re.compile(r'<script type="text/x-thebe-config">.*?</script>\s*', re.S), ""),
    # Figures: a tap or click opens the full-size vector image (legible on a phone when zoomed).
    (
        re.compile(r'(<figure [^>]*id="fig-[^"]+"[^>]*>\s*)(<img [^>]*src="([^"]+\.svg)"[^>]*/?>)'),
        r'\1<a class="figure-full" href="\3" title="Open the full-size figure">\2</a>',
    ),
    # Search buttons: let the visible text ("Search Ctrl+K") be the accessible name.
    (
        re.compile(
            r'(<button class="btn search-button-field search-button__button[^"]*" title="Search")\s+aria-label="Search"'
        ),
        r"\1",
    ),
    # No stored colour mode yet: start from the reader's system setting, not an invalid "".
    (re.compile(r'localStorage\.getItem\("mode"\) \|\| ""'), 'localStorage.getItem("mode") || "auto"'),
    # Dropdown toggles: their visible text ("Show ...") names them; a fixed label hides it.
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # The bibliography is a plain sequence of citations, not an ARIA list without items.
    (re.compile(r'<div role="list" class="citation-list">'), '<div class="citation-list">'),
]


INLINE_SCRIPT = re.compile(r"[ \t]*<script>(?:(?!</script>).)*</script>\n?", re.S)


def drop_repeated_inline_scripts(text):
    """Keep the first copy of each identical inline ``<script>`` (sphinx-thebe and
    sphinx-togglebutton register theirs twice: ``const THEBE_JS_URL`` redeclared is an uncaught
    SyntaxError on every page)."""
    seen = set()

    def once(match):
        body = match.group(0).strip()
        if body in seen:
            return ""
        seen.add(body)
        return match.group(0)

    return INLINE_SCRIPT.sub(once, text)


SEARCH_PAGE = "search.html"
SEARCH_SCRIPTS = re.compile(
    r'[ \t]*<script src="[^"]*_static/searchtools\.js[^"]*"></script>\s*'
    r'<script src="[^"]*_static/language_data\.js[^"]*"></script>\s*'
    r'<script src="[^"]*searchindex\.js[^"]*"></script>\n?'
)
NO_SEARCH_AS_YOU_TYPE = "DOCUMENTATION_OPTIONS.search_as_you_type = false;"
DESIGN_STYLESHEET = re.compile(
    r'[ \t]*<link rel="stylesheet" type="text/css" href="[^"]*sphinx-design\.min\.css[^"]*" />\n?'
)
DESIGN_TABS_SCRIPT = re.compile(r'[ \t]*<script [^>]*src="[^"]*design-tabs\.js[^"]*"></script>\n?')


def drop_search_scripts(text, page_name):
    """Without search-as-you-type only the search page runs a search: other pages need neither
    the search scripts nor the index (the theme loads them everywhere for the inline search)."""
    if page_name == SEARCH_PAGE or NO_SEARCH_AS_YOU_TYPE not in text:
        return text
    return SEARCH_SCRIPTS.sub("", text)


def page_classes(text):
    return unused_css.classes_in_pages([text])


def drop_unused_design_assets(text):
    """sphinx-design styles only its own ``sd-*`` components and its script only drives tabs."""
    classes = page_classes(text)
    if not any(name.startswith("sd-tab") for name in classes):
        text = DESIGN_TABS_SCRIPT.sub("", text)
    if not any(name.startswith("sd-") for name in classes):
        text = DESIGN_STYLESHEET.sub("", text)
    return text


# The theme wraps each table in a scrolling box; a <caption> inside it scrolls with the table and,
# on a phone, is cut at the screen's edge. The caption becomes a paragraph just above the box, and
# the table keeps it as its accessible name (aria-labelledby).
CAPTIONED_TABLE = re.compile(
    r'(<div class="pst-scrollable-table-container">)(<table [^>]*?id="([^"]+)"[^>]*?)>\s*'
    r"<caption>(.*?)</caption>",
    re.S,
)


def captions_above_scrolling_boxes(text):
    return CAPTIONED_TABLE.sub(
        r'<p class="table-caption" id="\3-caption">\4</p>\1\2 aria-labelledby="\3-caption">', text
    )


# A row whose first cell is "Total" or "Total ..." (in any table of the report) gets a rule above it (the CSS).
TOTAL_ROW = re.compile(
    r'<tr class="(row-(?:odd|even))">(\s*<t[dh][^>]*>(?:<p>)?Total(?: [^<]*)?(?:</p>)?</t[dh]>)'
)


def mark_total_rows(text):
    return TOTAL_ROW.sub(r'<tr class="\1 total-row">\2', text)


# A citation wraps between its words, never at the hyphen of a name ("Klopper-Kes"): the author
# text written by sphinxcontrib-bibtex gets the word joiners table text gets from the table writer.
CITATION_AUTHORS = re.compile(r'(<span class="bibtex-citation"[^>]*>)([^<]+)')


def names_kept_whole(text):
    return CITATION_AUTHORS.sub(lambda m: m.group(1) + keep_words_whole(m.group(2)), text)


def fix_page(text, page_name=""):
    for pattern, replacement in EDITS:
        text = pattern.sub(replacement, text)
    text = captions_above_scrolling_boxes(text)
    text = mark_total_rows(text)
    text = names_kept_whole(text)
    text = drop_search_scripts(text, page_name)
    text = drop_unused_design_assets(text)
    return drop_repeated_inline_scripts(text)


def fix_pages(outdir):
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = fix_page(text, page.relative_to(outdir).as_posix())
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def theme_stylesheets(outdir, own_names):
    """The built site's stylesheets except the project's own (whose rules are all meant)."""
    return [css for css in sorted((outdir / "_static").rglob("*.css")) if css.name not in own_names]


def drop_unused_css_rules(outdir, own_names):
    """Prune the theme's and extensions' stylesheets to the rules a page or script can match."""
    stylesheets = theme_stylesheets(outdir, own_names)
    texts = {css: css.read_text(encoding="utf-8") for css in stylesheets}
    pages = [page.read_text(encoding="utf-8") for page in outdir.rglob("*.html")]
    scripts = [js.read_text(encoding="utf-8", errors="replace") for js in (outdir / "_static").rglob("*.js")]
    candidates = set().union(*map(unused_css.classes_named_in, texts.values()))
    used = unused_css.classes_in_pages(pages) | unused_css.classes_in_scripts(scripts, candidates)
    for css, text in texts.items():
        pruned = pruned_stylesheet(text, used)
        if pruned != text:
            css.write_text(pruned, encoding="utf-8")


def pruned_stylesheet(text, used):
    """``text`` without the rules no page can match, cached under the stylesheet, the classes used
    and the pruning code: a build that changed any page recopies the theme's stylesheets whole,
    and pruning them again would be repeated on every such build."""
    digest = cache.key(text, " ".join(sorted(used)), *cache.code_of(unused_css))
    return cache.stored("pruned-css", digest, lambda: unused_css.drop_unused_rules(text, used))


def subset_icon_fonts(outdir):
    """Keep only the icon glyphs the (pruned) stylesheets can draw; point them at the subsets."""
    stylesheets = sorted((outdir / "_static").rglob("*.css"))
    texts = {css: css.read_text(encoding="utf-8") for css in stylesheets}
    names = icon_font.subset_icon_fonts(outdir, icon_font.icon_codepoints(texts.values()))
    for css, text in texts.items():
        repointed = icon_font.point_at_woff(text, names)
        if repointed != text:
            css.write_text(repointed, encoding="utf-8")


def own_static_names(app):
    return {source.name for source in (Path(app.srcdir) / "_static").glob("*") if source.is_file()}


def fix_site(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    if (outdir / ICON_SCRIPT).exists():
        (outdir / ICON_SCRIPT).write_text(ICON_SCRIPT_STUB, encoding="utf-8")
    fix_pages(outdir)  # first: the pages' final markup decides which CSS rules are used
    drop_unused_css_rules(outdir, own_static_names(app))
    subset_icon_fonts(outdir)  # after pruning: only the icons still named are kept


def copy_own_static_files(app, exception):
    """Sphinx 7.4 does not overwrite a static file already in the output (and copies none when no
    page changed), so an edited stylesheet would never reach a rebuilt site: copy the project's
    own static files over at the end of every build."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static"
    target.mkdir(parents=True, exist_ok=True)
    for source in (Path(app.srcdir) / "_static").glob("*"):
        if source.is_file():
            shutil.copyfile(source, target / source.name)


def setup(app):
    if layers.on("NHSREPORT_SHARED_DOCTREES"):
        private_api.share_doctrees(app)
    app.connect("build-finished", copy_own_static_files)
    app.connect("build-finished", fix_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
