"""How a number is written in a table or a sentence: the one place that decides it."""

import re

import pandas as pd


def format_number(value, unit=None):
    """A number as a reader would write it: £270m, 76.0 %, 5,700.

    ``unit`` is a unit code of the data package (``claims.unit``, ``trust_comparison.unit``);
    without one, whole numbers get thousands separators and others four significant figures."""
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    if unit == "gbp_million":  # already in millions, as Table 3.7 prints it
        return f"£{value:,.0f}m"
    if unit == "money_gbp":
        return f"£{value / 1e6:,.0f}m" if abs(value) >= 1e6 else f"£{value:,.0f}"
    if unit == "percent":
        return display_text(f"{value:.1f} %" if value != round(value) else f"{value:.0f} %")
    if unit == "fraction":
        return display_text(f"{value:.4g}")
    if unit == "year":
        return f"{value:.0f}"
    return display_text(f"{value:,.0f}" if value == round(value) else f"{value:,.4g}")


# Typography of displayed text. Data keep their codes ("18-30", "-5"); only what a reader sees
# gets the en dash of a range and the minus sign of a negative number. A hyphen inside a code
# ("c2-006", "m-03", a date "2026-11-22") is left alone: it touches a letter or another hyphen.
RANGE_HYPHEN = re.compile(r"(?<![\w.-])(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?![\w-])")
NEGATIVE_HYPHEN = re.compile(r"(?<![\w.)-])-(?=\d)")
EN_DASH = "\u2013"
MINUS_SIGN = "\u2212"


def display_text(text):
    """``text`` as a reader should see it: "18-30" as "18–30", "-5" as "−5"."""
    text = RANGE_HYPHEN.sub(rf"\1{EN_DASH}\2", str(text))
    return NEGATIVE_HYPHEN.sub(MINUS_SIGN, text)
