"""One look for every figure: colour-blind-safe palette (Okabe-Ito), fonts and sizes."""

import matplotlib

COHORT_COLOURS = {"clinical": "#0072B2", "functional": "#E69F00", "general": "#009E73"}
TRUST_COLOURS = {"acute": "#CC79A7", "care": "#56B4E9", "specialist": "#D55E00"}
MUTED = "#9A9A9A"
UNCERTAIN = "#BBBBBB"

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
