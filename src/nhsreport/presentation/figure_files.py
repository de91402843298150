"""A figure's files, drawn as few times as the formats allow, with reproducible bytes.

matplotlib draws the SVG (shown on the page and glued into the notebook), the 300 dpi PNG and the
PDF; the catalogue's thumbnail is the PNG scaled down rather than a fourth drawing. No file
carries a date or a software version, so the same figure gives the same bytes on every run.
"""

import io
import re

from PIL import Image

DRAWN = {
    "svg": {"format": "svg", "metadata": {"Date": None, "Creator": None}},
    "png": {"format": "png", "dpi": 300, "metadata": {"Software": None}},
    "pdf": {
        "format": "pdf",
        "metadata": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    },
}
THUMBNAIL_DPI = 40
#: Every file a figure is saved as, by file suffix.
SUFFIXES = (*DRAWN, "thumb.png")


def drawn(fig, suffix):
    buffer = io.BytesIO()
    fig.savefig(buffer, **DRAWN[suffix])
    return buffer.getvalue()


def thumbnail(png):
    """The 300 dpi PNG at THUMBNAIL_DPI: a smooth downscale, on white, in 256 colours (37 % of the
    bytes of full colour, measured; the figures catalogue shows every thumbnail on one page)."""
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    scale = THUMBNAIL_DPI / DRAWN["png"]["dpi"]
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    small = image.resize(size, Image.Resampling.LANCZOS)
    on_white = Image.alpha_composite(Image.new("RGBA", size, "white"), small).convert("RGB")
    buffer = io.BytesIO()
    on_white.quantize(256).save(buffer, format="PNG", optimize=True)  # no metadata: bytes repeat
    return buffer.getvalue()


def figure_files(fig):
    """{suffix: bytes} for every suffix in SUFFIXES."""
    files = {suffix: drawn(fig, suffix) for suffix in DRAWN}
    files["thumb.png"] = thumbnail(files["png"])
    return files


def svg_width_pt(svg):
    """The width an SVG saved by matplotlib declares, in points."""
    found = re.search(rb'<svg\b[^>]*?\swidth="([0-9.]+)pt"', svg)
    if not found:
        raise ValueError("the SVG declares no width in pt")
    return float(found.group(1))


class GluedSvg:
    """An already-drawn SVG, glued as the notebook would show the figure itself: its SVG and the
    figure's plain-text name (so the figure is not drawn a fourth time just to be glued)."""

    def __init__(self, svg, fig):
        self.svg, self.name = svg.decode("utf-8"), repr(fig)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/svg+xml": self.svg, "text/plain": self.name}
