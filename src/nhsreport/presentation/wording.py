"""How a count is said in running prose: the one place that decides it.

A person writes "no cell", not "0 cells"; "all 136", not "136 of 136"; "three trusts", not
"3 trusts" (counts below ten are words, the Associated Press rule that ``humanize.apnumber``
follows). Chapters glue these phrases; tables and figure labels keep digits
(:func:`nhsreport.presentation.formatting.format_number`).
"""

from humanize import apnumber


def number(n):
    """A count as running prose writes it: words below ten, digits (with separators) from ten."""
    n = int(n)
    return apnumber(n) if 0 <= n < 10 else f"{n:,}"


def count(n, noun, plural=None):
    """'no cell', 'one cell', 'three cells', '12 cells'."""
    n = int(n)
    if n == 0:
        return f"no {noun}"
    return f"{number(n)} {noun if n == 1 else plural or noun + 's'}"


def part(k, n):
    """k of n: 'all 136', 'none of the 12', 'both', 'nine of 12'."""
    k, n = int(k), int(n)
    if k == 0:
        return f"none of the {number(n)}"
    if k == n:
        return "both" if n == 2 else f"all {number(n)}"
    return f"{number(k)} of {number(n)}"


def listed(items):
    """'A', 'A and B', 'A, B and C' ('' for none)."""
    items = [str(item) for item in items]
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
