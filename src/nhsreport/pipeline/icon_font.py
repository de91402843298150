"""Cut the bundled Font Awesome fonts down to the icons the site's stylesheets can draw.

A page showing a handful of icons (menu, search, download, colour mode) loaded the whole solid
font, 153 KiB. An icon is a one-character ``content`` (or a custom property holding one, such as
the theme's admonition icons) in a stylesheet, so once unused rules are gone
(:mod:`nhsreport.pipeline.unused_css`), every one-character string left in the stylesheets is a
glyph the site may draw; anything else in the fonts is dead weight.

fontTools writes WOFF2 only with the brotli package, which the project does not install; the
subset is therefore written as WOFF (zlib) beside the untouched ``.ttf``, and the stylesheets
point at it instead of the original ``.woff2``. The ``.ttf`` stays whole: it is the source of
every subset (so a rebuild can keep more glyphs) and the fallback of browsers without WOFF.
"""

import base64
import re
import sys
import tempfile
from pathlib import Path

from fontTools import subset

from .. import cache

FONT_FOLDER = Path("_static") / "vendor" / "fontawesome" / "webfonts"
STRING = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'""", re.S)
CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n]?|(.))", re.S)


def unescape_css_string(value):
    return CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), value)


def icon_codepoints(stylesheets):
    """Code points of every one-character string in the stylesheets (icons are single glyphs;
    keeping a stray ``"-"`` or ``","`` costs a few bytes, missing an icon shows a blank)."""
    codepoints = set()
    for css in stylesheets:
        for double, single in STRING.findall(css):
            text = unescape_css_string(double or single)
            if len(text) == 1:
                codepoints.add(ord(text))
    return codepoints


def subset_font(source, target, codepoints):
    """Write to ``target`` (WOFF) the glyphs of ``source`` for ``codepoints``."""
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def point_at_woff(css, font_names):
    """``css`` with each ``url(.../NAME.woff2) format("woff2")`` of the fonts turned into the
    WOFF subset's ``url(.../NAME.woff) format("woff")``."""
    for name in font_names:
        css = re.sub(
            rf"""url\((["']?)([^)"']*/)?{re.escape(name)}\.woff2\1\)\s*format\((["'])woff2\3\)""",
            rf'url(\1\2{name}.woff\1) format("woff")',
            css,
        )
    return css


def woff_subset(source, codepoints):
    """The bytes :func:`subset_font` writes for ``source`` and ``codepoints``, kept in the result
    cache under the font's bytes, the code points, this code and fontTools' version: every build
    that writes a page copies the theme's fonts anew, and subsetting them is the same work each time."""

    def subset_now():
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "subset.woff"
            subset_font(source, target, codepoints)
            return base64.b64encode(target.read_bytes()).decode("ascii")

    points = " ".join(map(str, sorted(codepoints)))
    digest = cache.key(source.read_bytes(), points, *cache.code_of(sys.modules[__name__], "fonttools"))
    return base64.b64decode(cache.stored("icon-font", digest, subset_now))


def subset_icon_fonts(outdir, codepoints):
    """Subset every Font Awesome ``.ttf`` of the built site; return the names subset."""
    names = []
    for source in sorted((Path(outdir) / FONT_FOLDER).glob("*.ttf")):
        source.with_suffix(".woff").write_bytes(woff_subset(source, codepoints))
        names.append(source.stem)
    return names
