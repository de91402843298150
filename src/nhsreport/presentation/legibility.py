"""How large a figure's smallest text is on the page, in CSS pixels.

A figure is saved as SVG with ``bbox_inches="tight"``; the page shows it at the width the SVG
declares (1 pt = 4/3 CSS px) unless it is wider than the text column, when it is scaled down to
fit. So the smallest text on the page is its size in points, times 4/3, times that scale. The column is
measured on the built site at a 1280 px window (tests/test_browser.py checks the number).
"""

from matplotlib.text import Text

from .figure_files import drawn, svg_width_pt

PX_PER_PT = 96 / 72
#: Width a figure may take in the book's text column at a 1280 px window, in CSS px, as measured
#: in Chromium (sphinx-book-theme); tests/test_browser.py checks every figure as drawn on the page.
COLUMN_PX = 672
#: The smallest text a reader should have to read, in CSS px.
MINIMUM_PX = 9


def visible_texts(fig):
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def page_scale(svg, column_px=COLUMN_PX):
    """How much the page shrinks the figure's SVG to fit the column (1 when it fits)."""
    return min(1.0, column_px / (svg_width_pt(svg) * PX_PER_PT))


def smallest_text_px(fig, svg=None, column_px=COLUMN_PX):
    """The rendered size of the figure's smallest visible text at desktop width, in CSS px, as
    shown in ``svg`` (the figure's saved SVG; drawn here when not given)."""
    texts = visible_texts(fig)
    if not texts:
        return None
    smallest_pt = min(t.get_fontsize() for t in texts)
    return round(smallest_pt * PX_PER_PT * page_scale(svg or drawn(fig, "svg"), column_px), 2)
