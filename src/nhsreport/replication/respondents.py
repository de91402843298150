"""The respondent file: its schema, its template and the gate every file passes.

The file (one row per manager) is described by a Frictionless Table Schema, ``SCHEMA``
(``replication/format/respondents.schema.json``); ``TEMPLATE`` is a CSV with its header and two
synthetic rows, and ``replication/format/CODEBOOK.md`` is generated from the schema
(:mod:`nhsreport.replication.codebook`).

:func:`read_respondents` is the gate: like :func:`nhsreport.data.load.validate` it raises
:class:`nhsreport.data.errors.DataErrors`, one line per broken rule naming the file, the rows,
the column and the rule, before anything is tabulated. The rules are the schema's (required,
allowed values, pattern, unique, type, minimum/maximum) plus what a schema cannot say: years in
post at most years in the organisation, no control characters, a bounded size, a regular file,
and at least ``min_cell`` respondents (fewer could identify people).

Unlike ``data/`` (a few hundred rows, where frictionless's row-by-row checks cost nothing), a
respondent file may hold 100,000 rows, so the schema's constraints are applied column by column
with pandas; the test suite checks that the schema is one frictionless accepts and that
frictionless refuses the same bad files. Messages never repeat a cell's value: the rows and the
rule are enough to find it, and no respondent-level value reaches a log.
"""

import csv
import io
import json
import os
import re
import stat

import pandas as pd

from ..data.errors import DataError, DataErrors
from ..paths import PROJECT_ROOT

SCHEMA = PROJECT_ROOT / "replication" / "format" / "respondents.schema.json"
TEMPLATE = PROJECT_ROOT / "replication" / "format" / "respondents-template.csv"

MAX_BYTES = 64 * 1024 * 1024  # 100,000 respondents take about 10 MB
ROWS_SHOWN = 5  # rows named per broken rule; the count of the others follows
DEFAULT_MIN_CELL = 5
# C0/C1 controls, DEL, and the characters that reverse or hide text (bidi overrides, isolates).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TEXT_CONTROL = re.compile(
    "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)"
)
NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)\Z")
REFUSED_COLUMN = (
    "the schema has no such column, and any other column is refused: no names and no free text "
    "leave the respondent's organisation (see replication/format/CODEBOOK.md)"
)


def schema():
    """The Table Schema as a dict."""
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def fields():
    return schema()["fields"]


def required_columns():
    return [f["name"] for f in fields() if f.get("constraints", {}).get("required")]


def code_columns():
    """{column: its codes in schema order} for every coded column."""
    return {f["name"]: f["constraints"]["enum"] for f in fields() if "enum" in f.get("constraints", {})}


def year_columns():
    return [f["name"] for f in fields() if f.get("type") == "number"]


def qualification_columns():
    return [f["name"] for f in fields() if f.get("type") == "boolean"]


class RespondentError(DataError):
    """A DataError about a respondent file: named by the path given, not under ``data/``."""

    def describe(self):
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}" if isinstance(self.row, int) else f"rows {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: rule '{self.rule}' broken: {self.detail}"


def shown_name(path):
    """The file's name for messages, with any control character made visible (names are untrusted)."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", str(path))


def row_list(rows):
    """'3, 7, 9 and 120 more' for 1-based data rows."""
    rows = [int(r) for r in rows]
    shown = ", ".join(map(str, rows[:ROWS_SHOWN]))
    return shown + (f" and {len(rows) - ROWS_SHOWN} more" if len(rows) > ROWS_SHOWN else "")


# --- the file itself ----------------------------------------------------------------------------


def read_bytes(path, file):
    """The file's bytes: a regular file (not a symlink, folder or device), at most MAX_BYTES."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        symlink = os.path.islink(path)
        detail = "a symbolic link is refused: give the file itself" if symlink else error.strerror
        raise DataErrors([RespondentError(file, "regular file", detail)]) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise DataErrors([RespondentError(file, "regular file", "not a regular file")])
    with os.fdopen(descriptor, "rb") as handle:
        content = handle.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        detail = f"the file is larger than {MAX_BYTES // 2**20} MiB"
        raise DataErrors([RespondentError(file, "bounded size", detail)])
    return content


def decoded(content, file):
    """The text (UTF-8; a leading byte-order mark, as spreadsheets write, is dropped)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n")  # the header is line 0
        where = f"row {line}" if line else "the header"
        detail = f"the file is not valid UTF-8 ({error.reason} in {where}); save it as UTF-8"
        raise DataErrors([RespondentError(file, "UTF-8 encoding", detail)]) from None


def records(text, file):
    """The header, and the data rows as a frame of text cells; every row exactly as long as the
    header. The csv module checks the structure row by row; pandas then reads the cells (its
    frame is several times faster to check and convert than one built from the csv rows)."""
    if not text.strip():
        detail = "the file is empty: it needs a header row and one row per respondent"
        raise DataErrors([RespondentError(file, "header row", detail)])
    try:
        rows = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(rows)
        shapes = [(len(row), any(cell.strip() for cell in row)) for row in rows]
    except csv.Error as error:
        raise DataErrors([RespondentError(file, "readable CSV", str(error))]) from None
    errors = []
    blank = [i for i, (_, filled) in enumerate(shapes, start=1) if not filled]
    if blank:
        errors.append(RespondentError(file, "blank row", "every cell of the row is empty", row_list(blank)))
    ragged = [i for i, (width, filled) in enumerate(shapes, start=1) if filled and width != len(header)]
    if ragged:
        detail = f"the row does not have the header's {len(header)} cells"
        errors.append(RespondentError(file, "cells per row", detail, row_list(ragged)))
    if errors:
        raise DataErrors(errors)
    cells = pd.read_csv(
        io.StringIO(text),
        header=None,
        skiprows=1,
        names=list(range(len(header))),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        index_col=False,
    )
    return header, cells


def header_errors(header, file):
    known = [f["name"] for f in fields()]
    errors = [
        RespondentError(file, "unknown column", REFUSED_COLUMN, column=shown_name(name))
        for name in header
        if name not in known
    ]
    errors += [
        RespondentError(file, "duplicate column", "the header names this column twice", column=name)
        for name in sorted({n for n in header if header.count(n) > 1 and n in known})
    ]
    errors += [
        RespondentError(file, "missing column", "the schema requires this column", column=name)
        for name in required_columns()
        if name not in header
    ]
    return errors


# --- the cells ------------------------------------------------------------------------------------


def cell_errors(raw, file, min_cell, controls=True):
    """Every broken rule in the cells, one error per (column, rule), naming the rows."""
    errors = []
    rows = pd.RangeIndex(1, len(raw) + 1)

    def refuse(mask, rule, detail, column):
        mask = pd.Series(mask, index=raw.index)
        if mask.any():
            errors.append(RespondentError(file, rule, detail, row_list(rows[mask.to_numpy()]), column))

    for field in fields():
        name, kind = field["name"], field.get("type", "string")
        constraints = field.get("constraints", {})
        cells = raw[name]
        empty = cells == ""
        if controls:  # looked for cell by cell only when the text holds one
            detail = "the cell holds a control character"
            refuse(cells.str.contains(CONTROL), "no control characters", detail, name)
        if constraints.get("required"):
            refuse(empty, "required", "the cell is empty", name)
        if "enum" in constraints:
            refuse(
                ~empty & ~cells.isin(constraints["enum"]),
                "allowed values",
                f"the cell is not one of {constraints['enum']}",
                name,
            )
        if "pattern" in constraints:
            detail = field["description"].split(":", 1)[-1].strip()
            refuse(~empty & ~cells.str.fullmatch(constraints["pattern"]), "pattern", detail, name)
        if "maxLength" in constraints:
            detail = f"the cell is longer than {constraints['maxLength']} characters"
            refuse(cells.str.len() > constraints["maxLength"], "maxLength", detail, name)
        if constraints.get("unique"):
            refuse(~empty & cells.duplicated(), "unique", "the same id appears in an earlier row", name)
        if kind == "number":
            number_errors(cells, empty, constraints, refuse, name)
        if kind == "boolean":
            allowed = field["trueValues"] + field["falseValues"]
            refuse(
                ~empty & ~cells.isin(allowed),
                "type boolean",
                f"the cell is not one of {allowed} (or blank)",
                name,
            )
    if not errors:
        post, organisation = (
            pd.to_numeric(raw[c].replace("", None)) for c in ("years_in_post", "years_in_organisation")
        )
        detail = "years_in_post is more than years_in_organisation (a post is held within the organisation)"
        refuse(
            (post > organisation).fillna(False), "years in post within organisation", detail, "years_in_post"
        )
    if len(raw) < min_cell and not errors:
        detail = (
            f"the file has {len(raw)} respondent(s), fewer than the threshold of {min_cell}: "
            "any table from it could identify people, so nothing is built"
            if len(raw)
            else "the file has a header but no respondents"
        )
        errors.append(RespondentError(file, "minimum respondents", detail))
    return errors


def has_control(text, rows):
    """Whether some cell may hold a control character: one search of the whole text for any
    but line ends, and a line end inside a cell (more lines than rows)."""
    return bool(TEXT_CONTROL.search(text)) or text.count("\n") > rows + 1


def number_errors(cells, empty, constraints, refuse, name):
    is_number = cells.str.match(NUMBER)
    refuse(~empty & ~is_number, "type number", "the cell is not a number of years (digits, one '.')", name)
    values = pd.to_numeric(cells.where(is_number & ~empty, None))
    low, high = constraints["minimum"], constraints["maximum"]
    refuse((values < low).fillna(False), "minimum", f"the number of years is below the minimum {low}", name)
    refuse((values > high).fillna(False), "maximum", f"the number of years is above the maximum {high}", name)


def typed(raw):
    """Codes as categoricals in schema order, years as floats (NaN = not known), booleans."""
    frame = pd.DataFrame(index=raw.index)
    for field in fields():
        name, cells = field["name"], raw[field["name"]]
        constraints = field.get("constraints", {})
        if "enum" in constraints:
            frame[name] = pd.Categorical(cells.replace("", None), categories=constraints["enum"])
        elif field.get("type") == "number":
            frame[name] = pd.to_numeric(cells.replace("", None)).astype("float64")
        elif field.get("type") == "boolean":
            frame[name] = cells.map({"true": True, "false": False, "": pd.NA}).astype("boolean")
        else:
            frame[name] = cells.astype(str)
    return frame


def read_respondents(path, min_cell=DEFAULT_MIN_CELL):
    """The respondent file at ``path``, validated, as a typed DataFrame.

    Raises :class:`nhsreport.data.errors.DataErrors`, one line per broken rule (file, rows,
    column, rule). Optional columns left out of the file are read as blank (not known)."""
    file = shown_name(path)
    text = decoded(read_bytes(path, file), file)
    header, raw = records(text, file)
    errors = header_errors(header, file)
    if errors:
        raise DataErrors(errors)
    raw.columns = header
    for field in fields():
        if field["name"] not in raw:
            raw[field["name"]] = ""
    errors = cell_errors(raw, file, min_cell, controls=has_control(text, len(raw)))
    if errors:
        raise DataErrors(errors)
    return typed(raw)
