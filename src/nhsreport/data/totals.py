"""The totals the sources print, beside the sums recomputed from the transcribed cells."""


def printed_total_checks(data):
    """Every printed total beside the sum recomputed from its cells."""
    totals = data["printed_totals"]
    totals["recomputed"] = [data.evaluate(e) for e in totals["expression"]]
    totals["agrees"] = (totals["recomputed"] - totals["printed_total"]).abs() < 1e-9
    return totals
