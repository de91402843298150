"""Sphinx extension: small post-build fixes so the site is light, offline and accessible.

The book theme ships a 1.5 MB icon script (its icons also come from the bundled icon font CSS),
a colour-mode button and search buttons whose ARIA labels hide their visible text, and a
bibliography list without list items. Each fix is a targeted edit of the built HTML, applied at
``build-finished`` so the sources stay untouched.
"""

import re
from pathlib import Path

ICON_SCRIPT = Path("_static") / "scripts" / "fontawesome.js"
ICON_SCRIPT_STUB = "/* Dropped by nhsreport.sphinx_site: icons are drawn by the bundled icon font CSS. */\n"
EDITS = [
    # Search buttons: let the visible text ("Search Ctrl+K") be the accessible name.
    (
        re.compile(
            r'(<button class="btn search-button-field search-button__button[^"]*" title="Search")\s+aria-label="Search"'
        ),
        r"\1",
    ),
    # Colour-mode switch: the site follows the reader's system setting; drop the unlabeled control.
    (
        re.compile(
            r'<button class="btn btn-sm nav-link pst-navbar-icon theme-switch-button.*?</button>', re.S
        ),
        "",
    ),
    # No stored colour mode yet: start from the reader's system setting, not an invalid "".
    (re.compile(r'localStorage\.getItem\("mode"\) \|\| ""'), 'localStorage.getItem("mode") || "auto"'),
    # Dropdown toggles: their visible text ("Show ...") names them; a fixed label hides it.
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # The bibliography is a plain sequence of citations, not an ARIA list without items.
    (re.compile(r'<div role="list" class="citation-list">'), '<div class="citation-list">'),
]


def fix_page(text):
    for pattern, replacement in EDITS:
        text = pattern.sub(replacement, text)
    return text


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


def setup(app):
    app.setup_extension("nhsreport.build.bibliography_style")
    app.connect("build-finished", fix_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
