"""One look for every figure: one palette per dimension, fonts and sizes.

Each palette gives one meaning to each of its colours, and no colour is in two palettes (a test
checks it), so a colour means the same thing in every figure: blue is always the Acute trust,
orange always the functional managers. Trusts and management groups take the eight colours of
Okabe and Ito (colour-blind safe); the clinical backgrounds, the verdicts on claims and the kinds
of event on the timeline take colours of Paul Tol's muted, vibrant and high-contrast schemes.
Greys (MUTED, UNCERTAIN, INK) carry no category.
"""

import matplotlib
from matplotlib.colors import to_rgb

TRUST_COLOURS = {"acute": "#0072B2", "care": "#009E73", "specialist": "#D55E00"}
COHORT_COLOURS = {"clinical": "#CC79A7", "functional": "#E69F00", "general": "#56B4E9"}
#: Clinical backgrounds of the managers (the careers chapter), by the name the figure shows.
BACKGROUND_COLOURS = {
    "Doctors": "#332288",
    "Nurses": "#CC6677",
    "Scientists": "#999933",
    "AHPs": "#882255",
    "Social workers": "#DDCC77",
}
#: A contradiction, wherever it is marked: a claim the data contradict, dates that conflict.
CONTRADICTION = "#EE3377"
MUTED = "#9A9A9A"
UNCERTAIN = "#BBBBBB"
#: Dark grey for marks that belong to no category (one series, text boxes).
INK = "#555555"
#: A contradiction found only on this report's proxy: a pale tint of the contradiction's magenta.
PROXY_CONTRADICTION = "#FFAABB"
VERDICT_COLOURS = {
    "agrees": "#117733",
    "agrees after rounding": "#DDAA33",
    "contradicts": CONTRADICTION,
    "contradicts on this report's proxy": PROXY_CONTRADICTION,
}
TIMELINE_COLOURS = {"era": "#88CCEE", "policy": "#44AA99", "programme": "#AA4499", "conflict": CONTRADICTION}
#: Every palette of a dimension, by the dimension's name.
PALETTES = {
    "trust": TRUST_COLOURS,
    "group": COHORT_COLOURS,
    "background": BACKGROUND_COLOURS,
    "verdict": VERDICT_COLOURS,
    "timeline": TIMELINE_COLOURS,
}

RC = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.dpi": 100,
    "savefig.bbox": "tight",
    "svg.hashsalt": "nhsreport",  # fixed ids in SVG output, so files are byte-identical
    "svg.fonttype": "path",
    "text.usetex": False,  # never hand data text to LaTeX
}


def apply():
    matplotlib.use("Agg")
    matplotlib.rcParams.update(RC)


def by_name(palette, names):
    """A palette keyed by the names a figure shows ({code: name}) instead of by code."""
    return {names[code]: colour for code, colour in palette.items()}


def relative_luminance(colour):
    """WCAG relative luminance of a colour (0 black, 1 white)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(one, other):
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(fill):
    """Black or white, whichever reads better on ``fill``: a label inside a bar stays legible on
    the light colours (orange, sky blue, sand) as well as the dark ones."""
    return "black" if contrast_ratio(fill, "black") >= contrast_ratio(fill, "white") else "white"
