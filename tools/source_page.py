"""Transcription aid (not part of the build): estimate the printed page of a line of the book.

The plain-text copy of the book (source 000) keeps only a few running heads with their printed page
numbers. A running head is the first line of its page, so a line between two heads is placed by
linear interpolation of lines per page. Pages found this way may be off by one; the data record
them as located this way (see data/TRANSCRIPTION.md).

Usage: python tools/source_page.py LINE [LINE ...]
"""
import re
import sys
from pathlib import Path

BOOK = Path(__file__).resolve().parents[2] / "shared" / "sources" / "000_0dc5d539ecee561d.txt"
TITLES = ("Managing Healthcare: Themes and Issues|Contextualizing Healthcare Management|"
          "Studying Management in Healthcare|Being a Manager|Becoming a Manager|"
          "Managers Knowing|Managers Networking|Managing Healthcare")
HEAD = re.compile(rf"^\s*(?:(?:{TITLES}) (\d{{1,3}})|(\d{{1,3}}) (?:{TITLES}))\s*$")


def running_heads(path=BOOK):
    """(line number, printed page) of every surviving running head, in order."""
    heads = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = HEAD.match(text)
        if match:
            heads.append((number, int(match.group(1) or match.group(2))))
    return heads


def page_of_line(line, heads):
    """Printed page of a 1-based line, interpolated between the nearest running heads."""
    later = [i for i, (head_line, _) in enumerate(heads) if head_line > line]
    right = min(max(later[0] if later else len(heads) - 1, 1), len(heads) - 1)
    (l0, p0), (l1, p1) = heads[right - 1], heads[right]
    # Integer arithmetic: a line exactly on a head gets that head's page.
    base_line, base_page = (l1, p1) if line >= l1 else (l0, p0)
    return base_page + ((line - base_line) * (p1 - p0)) // (l1 - l0)


if __name__ == "__main__":
    heads = running_heads()
    for arg in sys.argv[1:]:
        print(arg, page_of_line(int(arg), heads))
