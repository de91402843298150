"""Display tables rebuilt from the validated data: rows and columns labelled as in the book,
totals and rates computed here (never read from the printed totals).

Escaping. Every cell is written into a MyST pipe table, where Markdown, MyST roles and raw HTML
would all be live. So text is escaped by default and markup is allowed only by construction:

* a plain value (``str``, number, anything but :class:`Markup`) is always escaped: ``<``, ``>``
  and ``&`` become HTML entities and every other character with a meaning in Markdown/MyST
  (backslash, backtick, ``*``, ``_``, braces, brackets, ``#``, ``|``, ``$``, ``:`` ...) is
  backslash-escaped, so ``<script>``, ``[x](javascript:...)`` or ``{raw:html}`...``` show as
  the characters they are;
* markup is a :class:`Markup` value made by code, never by data: :func:`cite` (a citation role
  for a validated BibTeX key), :func:`emphasis`, :func:`code` (an inline literal), and
  :func:`markup` / :func:`join` to concatenate them with plain text (which is escaped).
  An f-string or ``str.join`` over Markup gives its plain text (safe, but the markup is lost).

Every :class:`Markup` also carries a plain-text form, used for the CSV download (:func:`plain_frame`)
and by ``str()``: a citation becomes author-year text from ``references.bib`` ("Bresnen et al.
(2017)"; the BibTeX key if the key is not in the file), emphasis and code lose their markers.

Transition (documented, to be removed once the analyses build cells with :func:`cite`): inside a
plain string, a substring that is exactly a citation role with a valid key (``{cite:t}`key```,
the pattern :data:`LEGACY_CITATION`) is still rendered as that citation; everything around it is
escaped. Nothing else in a plain string is ever rendered as markup. Set
``LEGACY_CITATIONS = False`` to turn this off.
"""

import numbers
import re

import pandas as pd

from ..data.codes import cohort_codes, trust_codes, trust_labels
from .aggregation import counts
from .formatting import display_text

TOTAL = "Total"


def percent(part, whole, decimals=0):
    """Percentage rounded to ``decimals`` places (a whole number when decimals is 0)."""
    if not whole:
        return float("nan")
    value = round(100 * float(part) / float(whole), decimals)
    return int(value) if decimals == 0 else value


def crosstab(frame, rows, columns, value="count", row_order=None, column_order=None):
    """Wide table of ``value`` with a Total row and a Total column, computed from the cells."""
    row_order = row_order or trust_codes()
    column_order = column_order or cohort_codes()
    levels = {rows: list(row_order), columns: list(column_order)}
    long = counts(frame, levels, weight=value, name=value)
    wide = long.pivot(index=rows, columns=columns, values=value)
    wide = wide.reindex(index=levels[rows], columns=levels[columns]).astype(int)
    wide[TOTAL] = wide.sum(axis=1)
    wide.loc[TOTAL] = wide.sum(axis=0)
    return wide


def labelled(wide, column_names=None, total_row=True):
    """Readable labels in place of codes; the index becomes the first column."""
    out = wide.rename(index={**trust_labels(), TOTAL: TOTAL}, columns=column_names or {})
    out.index.name = "Trust"
    out.columns.name = None
    return out.reset_index()


# --- escaping ---------------------------------------------------------------------------------

# Characters with a meaning somewhere in Markdown, MyST or its extensions (roles, substitutions,
# dollar math, attributes, footnotes, tables, autolinks ...). Backslash escapes are valid for
# any ASCII punctuation in CommonMark, so escaping a few harmless ones as well costs nothing.
MARKDOWN_SPECIAL = set("\\`*_{}[]#|$~^:")
HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


# A browser may break a line after a hyphen or dash inside a word ("clinician-|managers",
# "18-|30"); a WORD JOINER (U+2060, invisible, not copied as a visible character) after it keeps
# the word whole in the page. Only plain table text gets it: never the CSV, never code.
HYPHEN_IN_WORD = re.compile(r"(?<=\w)([-‐–])(?=\w)")
WORD_JOINER = "\u2060"


# Two words joined by a slash ("management/leadership") may break after the slash, as in print: a
# ZERO WIDTH SPACE (U+200B) there lets a narrow column wrap without splitting either word.
SLASH_BETWEEN_WORDS = re.compile(r"(?<=[A-Za-z])/(?=[A-Za-z])")
BREAK_AFTER_SLASH = "/\u200b"


# A note mark ("2.2… †") stays on the line of what it marks: a no-break space before it.
SPACE_BEFORE_A_MARK = re.compile(r" (?=[†‡]+(?:[\s,;)]|\Z))")


def keep_words_whole(text):
    text = SPACE_BEFORE_A_MARK.sub("\u00a0", text)
    text = SLASH_BETWEEN_WORDS.sub(BREAK_AFTER_SLASH, text)
    return HYPHEN_IN_WORD.sub(lambda m: m.group(1) + WORD_JOINER, text)


def escape_markdown(value):
    """``value`` as inert MyST inline text: shows its characters and renders no markup. Ranges
    and negatives get their en dash and minus sign (:func:`~nhsreport.presentation.formatting.display_text`),
    hyphenated words invisible word joiners (:func:`keep_words_whole`)."""
    text = " ".join(str(value).splitlines()) if isinstance(value, str) else str(value)
    text = display_text(text)
    out = []
    for char in text:
        if char in HTML_ENTITIES:
            out.append(HTML_ENTITIES[char])
        elif char in MARKDOWN_SPECIAL:
            out.append("\\" + char)
        else:
            out.append(char)
    return keep_words_whole("".join(out))


# --- allowed markup ---------------------------------------------------------------------------

CITATION_ROLES = {
    "cite",
    "cite:t",
    "cite:p",
    "cite:ps",
    "cite:ts",
    "cite:ct",
    "cite:cp",
    "cite:year",
    "cite:author",
}
CITATION_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.+/-]*\Z")
LEGACY_CITATIONS = True
LEGACY_CITATION = re.compile(r"\{(cite(?::[a-z]+)?)\}`([A-Za-z0-9][A-Za-z0-9_:.+/-]*)`")


class Markup:
    """MyST made by code (never from data), with the plain text it stands for.

    Build it with :func:`cite`, :func:`emphasis`, :func:`code`, :func:`markup`; ``+`` with a
    plain string escapes the string. ``str()`` gives the plain text."""

    __slots__ = ("myst", "plain")

    def __init__(self, myst, plain):
        self.myst = myst
        self.plain = plain

    def __str__(self):
        return self.plain

    def __repr__(self):
        return f"Markup({self.myst!r})"

    def __eq__(self, other):
        return isinstance(other, Markup) and (self.myst, self.plain) == (other.myst, other.plain)

    def __hash__(self):
        return hash((self.myst, self.plain))

    def __add__(self, other):
        return markup(self, other)

    def __radd__(self, other):
        return markup(other, self)

    def join(self, parts):
        """Like ``str.join``, with this markup as the separator (see also :func:`join`)."""
        return join(self, parts)


def as_markup(value):
    """A cell value as :class:`Markup`: markup kept, anything else escaped."""
    if isinstance(value, Markup):
        return value
    text = value if isinstance(value, str) else str(value)
    if LEGACY_CITATIONS and isinstance(value, str) and "{cite" in value:
        return _legacy(value)
    return Markup(escape_markdown(text), " ".join(text.splitlines()))


def _legacy(text):
    """Plain string with citation roles (transition): the roles kept, everything else escaped."""
    parts, last = [], 0
    for match in LEGACY_CITATION.finditer(text):
        role, key = match.groups()
        if role not in CITATION_ROLES:
            continue
        parts += [text[last : match.start()], cite(key, role)]
        last = match.end()
    parts.append(text[last:])
    return markup(*parts)


def markup(*parts):
    """Concatenation: :class:`Markup` parts kept, other parts escaped."""
    items = [part if isinstance(part, Markup) else Markup(escape_markdown(part), str(part)) for part in parts]
    return Markup("".join(i.myst for i in items), "".join(i.plain for i in items))


def join(separator, parts):
    """``separator.join(parts)`` keeping markup: ``join("; ", [cite(a), "as printed", cite(b)])``.
    (``str.join`` or an f-string would turn :class:`Markup` into its plain text.)"""
    out = []
    for i, part in enumerate(parts):
        if i:
            out.append(separator)
        out.append(part)
    return markup(*out)


def cite(key, role="cite:t"):
    """A citation of a BibTeX key (an author-year link in the book, author-year text in the CSV)."""
    if role not in CITATION_ROLES:
        raise ValueError(f"not a citation role: {role!r}")
    if not CITATION_KEY.match(str(key)):
        raise ValueError(f"not a BibTeX key: {key!r}")
    return Markup(f"{{{role}}}`{key}`", citation_text(key, parenthetical=role in {"cite:p", "cite:ps"}))


def emphasis(text):
    """Emphasised (italic) text; the text itself is escaped."""
    text = str(text).strip()
    return Markup(f"*{escape_markdown(text)}*", text) if text else markup("")


def code(text):
    """An inline literal (monospace); its content is shown verbatim."""
    text = " ".join(str(text).splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    # Pipes must stay escaped inside a table row, entities are literal inside code spans.
    body = (pad + text + pad).replace("|", "\\|")
    return Markup(f"{fence}{body}{fence}", text)


# --- citations as plain text (CSV) -------------------------------------------------------------


def _bibliography():
    from .citation import bibliography

    try:
        return bibliography().entries
    except Exception:  # no file or no pybtex: fall back to the keys
        return {}


def citation_text(key, parenthetical=False):
    """ "Bresnen et al. (2017)" for a BibTeX key (the key itself when it is not in references.bib)."""
    entry = _bibliography().get(key)
    if entry is None:
        return key
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(p.last_names) or str(p) for p in people]
    if not names:
        who = entry.fields.get("organization") or entry.fields.get("institution") or key
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    who = re.sub(r"[{}]", "", str(who))
    year = entry.fields.get("year", "n.d.")
    return f"({who}, {year})" if parenthetical else f"{who} ({year})"


# --- tables -----------------------------------------------------------------------------------

NUMBER = re.compile(r"[-+−]?(\d[\d,]*(\.\d+)?|\.\d+)%?\Z")
# Numbers with separators and marks: ranges "0–1 †", pairs "3 / 2", "4 (1*)", "1 1 5".
NUMERIC_EXTRA = re.compile(r"(?=.*\d)[\d\s.,%/–+−()†‡*-]+\Z")
NOT_A_VALUE = {"", "—", "–", "-", "nan", "n/a", "NA"}


def is_number(value):
    if isinstance(value, bool) or isinstance(value, Markup):
        return False
    if isinstance(value, numbers.Number):
        return True
    text = str(value).strip()
    return bool(NUMBER.match(text) or NUMERIC_EXTRA.match(text))


def _missing(value):
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def numeric_columns(frame):
    """Columns whose every value is a number (blanks and dashes allowed), at least one present."""
    result = []
    for position in range(frame.shape[1]):
        values = list(frame.iloc[:, position])
        present = [
            v for v in values if not (isinstance(v, str) and v.strip() in NOT_A_VALUE) and not _missing(v)
        ]
        result.append(bool(present) and all(is_number(v) for v in present))
    return result


MAX_UNBROKEN_COLUMN = 20  # the site stylesheet has .nowrap-1 ... .nowrap-20


def unbroken_columns(frame):
    """Columns whose values are single tokens (ids such as "c2-006", ranges such as "1948–1982"
    or "18-30", numbers): the page keeps each on one line (class ``nowrap-N`` on the table), since a
    browser would otherwise break them after the hyphen or dash."""
    result = []
    for position in range(frame.shape[1]):
        values = [v for v in frame.iloc[:, position] if not _missing(v)]
        texts = [str(v).strip() for v in values]
        result.append(
            position < MAX_UNBROKEN_COLUMN
            and bool(texts)
            and all(t and not any(c.isspace() for c in t) for t in texts)
        )
    return result


def cell_text(value):
    """One pipe-table cell: markup rendered, everything else escaped (``|`` included), and
    hyphenated words kept on one line."""
    return as_markup(value).myst


# A number cell may wrap only after a list's comma or semicolon ("1.1 †, 1.2 †"): a number and
# its marks ("0–1 †", "4 (1*)") are bound by no-break spaces, so the column can narrow to fit the
# page without a reader meeting a mark alone on a line.
SPACE_INSIDE_AN_ITEM = re.compile(r"(?<![,;]) ")


def number_text(value):
    """One pipe-table cell of a number column: :func:`cell_text`, each item kept on one line."""
    return SPACE_INSIDE_AN_ITEM.sub("\u00a0", cell_text(value))


def plain_text(value):
    """One CSV cell: the plain text of markup (citations as author-year), legacy roles resolved."""
    if isinstance(value, Markup):
        return value.plain
    if LEGACY_CITATIONS and isinstance(value, str) and "{cite" in value:
        return _legacy(value).plain
    return value


FORMULA_START = ("=", "@", "+", "-", "\t", "\r")


def csv_safe(value):
    """A spreadsheet must not read a downloaded cell as a formula: prefix ``'`` to text starting
    with ``= @ + -`` (tab, CR) unless the text is a plain number such as "-5" or "+100"."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.match(value.strip()):
        return "'" + value
    return value


def plain_frame(frame):
    """The frame as it goes to the CSV download: plain text only."""
    out = frame.copy()
    out.columns = [csv_safe(plain_text(c)) for c in frame.columns]
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            out.isetitem(position, column.map(lambda v: csv_safe(plain_text(v))))
    return out


def markdown_table_block(frame, label, caption, note=None):
    """A MyST numbered table: ``{table}`` directive, pipe table, CSV download link.

    Cells are escaped (see the module docstring); number columns are right-aligned (``--:``),
    text columns left-aligned (``:--``). ``label``, ``caption`` and ``note`` are written by the
    chapter's author and are MyST, not data."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", label):
        raise ValueError(f"table label must be a plain identifier: {label!r}")
    numeric = numeric_columns(frame)
    header = "| " + " | ".join(cell_text(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("--:" if n else ":--" for n in numeric) + "|"
    body = [
        "| " + " | ".join(number_text(v) if n else cell_text(v) for v, n in zip(row, numeric)) + " |"
        for row in frame.itertuples(index=False)
    ]
    classes = " ".join(f"nowrap-{i + 1}" for i, whole in enumerate(unbroken_columns(frame)) if whole)
    options = [f":name: {label}"] + ([f":class: {classes}"] if classes else [])
    lines = [f"```{{table}} {caption}", *options, "", header, rule, *body, "```", ""]
    if note:
        lines += [note, ""]
    lines.append(f"Download: {{download}}`CSV <../figures/{label}.csv>`")
    return "\n".join(lines)
