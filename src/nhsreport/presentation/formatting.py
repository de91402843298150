"""How a number is written in a table or a sentence: the one place that decides it."""

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
        return f"{value:.1f} %" if value != round(value) else f"{value:.0f} %"
    if unit == "fraction":
        return f"{value:.4g}"
    if unit == "year":
        return f"{value:.0f}"
    return f"{value:,.0f}" if value == round(value) else f"{value:,.4g}"
