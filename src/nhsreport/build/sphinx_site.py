"""Sphinx extension: small post-build fixes so the site is light, offline and accessible.

The book theme ships a 1.5 MB icon script (its icons also come from the bundled icon font CSS),
search buttons whose ARIA labels hide their visible text, and a bibliography list without
list items. Extensions that register their inline scripts once per read (sphinx-thebe,
sphinx-togglebutton) would declare ``const THEBE_JS_URL`` twice on every page, an uncaught
SyntaxError; :func:`drop_repeated_inline_scripts` keeps the first copy of each. Each fix is a targeted edit of the built HTML, applied at
``build-finished`` so the sources stay untouched.
"""

import re
import shutil
from pathlib import Path

from sphinx.domains.std import StandardDomain

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


def fix_page(text):
    for pattern, replacement in EDITS:
        text = pattern.sub(replacement, text)
    return drop_repeated_inline_scripts(text)


def fix_site(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    if (outdir / ICON_SCRIPT).exists():
        (outdir / ICON_SCRIPT).write_text(ICON_SCRIPT_STUB, encoding="utf-8")
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = fix_page(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


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


class SharedDoctrees:
    """The build environment, except that each document's doctree is unpickled once and shared.

    Sphinx resolves every ``{numref}`` by unpickling the whole target document only to read the
    target node (about 0.1 s for a chapter with figures; 200 references cost 20 s a build).
    Numbering only reads that node, and doctrees do not change once reading is over."""

    def __init__(self, env, doctrees):
        self._env, self._doctrees = env, doctrees

    def __getattr__(self, name):
        return getattr(self._env, name)

    def get_doctree(self, docname):
        if docname not in self._doctrees:
            self._doctrees[docname] = self._env.get_doctree(docname)
        return self._doctrees[docname]


class StandardDomainSharingDoctrees(StandardDomain):
    """The standard domain, resolving numbered references against shared read-only doctrees."""

    def _resolve_numref_xref(self, env, *arguments):
        shared = self.__dict__.setdefault("_shared_doctrees", {})  # one domain object per build
        return super()._resolve_numref_xref(SharedDoctrees(env, shared), *arguments)


def setup(app):
    app.add_domain(StandardDomainSharingDoctrees, override=True)
    app.connect("build-finished", copy_own_static_files)
    app.setup_extension("nhsreport.build.bibliography_style")
    app.connect("build-finished", fix_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
