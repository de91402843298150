"""The totals the sources print, beside the sums recomputed from the transcribed cells: the one
checker every chapter and the appendix use."""

import math
import re

#: Largest difference between a printed total and its recomputed sum that still counts as agreeing.
EXACT_TOLERANCE = 1e-9


def agrees(computed, printed):
    """True if a recomputed number equals a printed one (up to floating-point noise)."""
    return math.isclose(computed, printed, abs_tol=EXACT_TOLERANCE)


def table_order(locator):
    """Sort key for locators: 'Table 3.2' < 'Table 3.10' < 'Table 5.1' < 'text'."""
    numbers = [int(n) for n in re.findall(r"\d+", str(locator))]
    return (0 if numbers else 1, numbers, str(locator))


def printed_total_checks(data, locator=None):
    """Every printed total (or those of one ``locator``, e.g. 'Table 3.6') beside the sum
    recomputed from its cells, in table order.

    ``data`` is a Dataset or a Chapter: anything with ``data["printed_totals"]`` and
    ``data.evaluate(expression)``."""
    totals = data["printed_totals"]
    if locator is not None:
        totals = totals[totals["locator"] == locator].copy()
    totals["recomputed"] = [data.evaluate(e) for e in totals["expression"]]
    totals["agrees"] = [agrees(r, p) for r, p in zip(totals["recomputed"], totals["printed_total"])]
    totals["order"] = totals["locator"].map(table_order)
    totals = totals.sort_values("order", kind="stable").drop(columns="order")
    return totals.reset_index(drop=True)
