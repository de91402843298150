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


def escape_mathtext(text):
    """A label from data for matplotlib: every ``$`` escaped, so it is drawn as typed and never
    parsed as mathtext ("$x$" stays "$x$"). Use it for tick labels, annotations, legends and
    titles built from data values; markers such as ``"$*$"`` are code and stay as they are.
    (``text.parse_math`` stays on globally because those mathtext markers need it.)"""
    text = str(text)
    return text.replace("$", r"\$")


def apply():
    matplotlib.use("Agg")
    matplotlib.rcParams.update(RC)
