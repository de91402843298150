"""Rules every data file must meet before anything is tabulated or drawn.

Each rule failure becomes a :class:`~nhsreport.data.errors.DataError` naming the file, the row, the
column and the rule. Who checks what:

* **frictionless** (the pinned library that defines the Data Package standard) checks each
  resource against its schema: header, row length, types, every field constraint (``required``,
  ``unique``, ``enum``, ``minimum``/``maximum``, ``pattern``, ...), primary and foreign keys, the
  recorded ``bytes`` and ``sha256`` hash, and, through its ``table-dimensions`` check, the custom
  resource property ``minRows``. :func:`frictionless_errors` runs it and
  :func:`data_error` translates its reports into :class:`DataError` (data rows counted from 1
  below the header, as everywhere in this project).
* **by hand, before frictionless**: :func:`shape_errors` reads each file once, linearly, for what
  must be refused before frictionless sees it: a header that is not the schema's, a row whose
  width is not the header's (frictionless copies the whole row into the error of each surplus
  cell, so a 10,000-cell row cost it 10,000 x 10,000 copies), and control characters in any
  cell. A file refused here is not given to frictionless. (Which files may be read at all, and
  how much of them: :mod:`nhsreport.data.files`.)
* **by hand**, only what frictionless cannot express: :func:`check_package_rules` (every
  resource declares ``minRows``, every numeric field has plausibility bounds, every type is one
  the loader converts), integers that do not fit the 64-bit typed frames, printed totals,
  cross-table rules and conditional references (``load.py``). No constraint is silently
  ignored: frictionless refuses a package whose field uses a constraint it does not support for
  the field's type, and :func:`descriptor_errors` names that field.
"""

import csv
import io
import math
import re

import pandas as pd

from .errors import DataError
from .expressions import ExpressionError, evaluate

PACKAGE_FILE = "datapackage.json"

# The types the loader turns into typed pandas columns; anything else would be read as text.
TYPES = ("string", "integer", "number", "boolean")

INT64 = (-(2**63), 2**63 - 1)

RULE_OF_CONSTRAINT = {"enum": "allowed values"}  # other constraints keep their schema name

LABEL_ERRORS = {
    "blank-header",
    "blank-label",
    "duplicate-label",
    "extra-label",
    "incorrect-label",
    "missing-label",
}
ROW_LENGTH_ERRORS = {"extra-cell", "missing-cell"}
FILE_ERRORS = {"hash-count", "byte-count", "table-dimensions"}  # the cells themselves can be read


def read_raw(path):
    """A CSV file as text exactly as written: no type guessing, empty cells stay empty."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:
        return pd.DataFrame(dtype=str)


# --- the package itself --------------------------------------------------------------------


def check_package_rules(package):
    """Rules on datapackage.json that frictionless does not enforce."""
    errors = []

    def refuse(rule, detail, column=None):
        errors.append(DataError(PACKAGE_FILE, rule, detail, column=column))

    for index, resource in enumerate(package["resources"], start=1):
        name = resource.get("name", f"resource {index}")
        min_rows = resource.get("minRows")
        if not isinstance(min_rows, int) or isinstance(min_rows, bool) or min_rows < 1:
            refuse("minRows declared", f"resource {name!r} must declare minRows, a whole number >= 1")
        fields = resource["schema"].get("fields")
        for field in fields if isinstance(fields, list) else []:
            if not isinstance(field, dict) or not isinstance(field.get("constraints", {}), dict):
                continue  # frictionless refuses the descriptor and names the field
            where, kind = f"{name}.{field.get('name')}", field.get("type", "string")
            constraints = field.get("constraints", {})
            if kind not in TYPES:
                refuse("supported type", f"{where}: type {kind!r} is not one of {list(TYPES)}")
                continue
            if kind in ("integer", "number"):
                for bound in ("minimum", "maximum"):
                    value = constraints.get(bound)
                    if isinstance(value, bool) or not isinstance(value, (int, float)):
                        refuse("numeric bounds", f"{where}: a numeric field needs a plausible {bound}")
                    elif kind == "integer" and not INT64[0] <= value <= INT64[1]:
                        refuse("numeric bounds", f"{where}: the {bound} {value} does not fit in 64 bits")
    return errors


# --- one resource: its shape and characters, before frictionless ---------------------------

# Control characters (C0, DEL, C1) other than tab and newline: text is text. A CRLF line break
# inside a quoted cell counts as a newline.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

MAX_SHAPE_ERRORS = 100  # per file: a file broken throughout is named, not recited


def control_errors(file, cells, names, row):
    """One DataError per cell holding a control character (named by code point, never shown)."""
    errors = []
    for index, cell in enumerate(cells):
        found = CONTROL_CHARACTER.search(cell.replace("\r\n", "\n"))
        if found:
            column = names[index] if index < len(names) else f"cell {index + 1}"
            where = "" if row else "the header: "
            character = f"U+{ord(found.group()):04X} at character {found.start() + 1}"
            detail = f"{where}{character}; only tab and newline are allowed"
            errors.append(DataError(file, "no control characters", detail, row, column))
    return errors


def shape_errors(file, content, schema):
    """What must be refused before frictionless reads a file's bytes ``content``: control
    characters in any cell, a header other than the schema's, rows wider or narrower than it.

    Linear in the file's size; each row is measured before any of its cells is looked at."""
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        return []  # frictionless refuses the descriptor and names the field
    names = [f.get("name") for f in fields]
    # Invalid UTF-8 is frictionless's to name; here it only must not stop the count.
    text = content.decode("utf-8", errors="replace").removeprefix("\ufeff")
    records = csv.reader(io.StringIO(text, newline=""))
    errors, index = [], -1
    try:
        for index, cells in enumerate(records):
            if len(errors) >= MAX_SHAPE_ERRORS:
                errors.append(
                    DataError(file, "error limit", f"only the first {len(errors)} errors are listed")
                )
                break
            if index == 0:
                errors += control_errors(file, cells, names, None) or header_shape_errors(file, cells, schema)
                if errors:
                    break  # cells under a wrong header are misread: report the header alone
            elif cells and len(cells) != len(names):  # an empty list is a blank line: frictionless names it
                detail = f"the row has {len(cells)} cells but the header has {len(names)}"
                errors.append(DataError(file, "cells per row", detail, index))
            else:
                errors += control_errors(file, cells, names, index)
    except csv.Error as error:  # a cell larger than the csv module's limit, say
        errors.append(DataError(file, "readable CSV", str(error), (index + 1) or None))
    return errors


def header_shape_errors(file, labels, schema):
    if not labels:
        return [DataError(file, "header row", "the first line is empty: it must be the header")]
    if labels != [f.get("name") for f in schema["fields"]]:
        return header_errors(file, labels, schema)
    return []


# --- one resource: frictionless -------------------------------------------------------------


def data_row(error):
    """1-based data row of a frictionless row or cell error (frictionless counts the header)."""
    number = getattr(error, "row_number", None)
    return number - 1 if isinstance(number, int) else None


def earlier_row(note):
    """The data row a 'the same as in the row at position N' note points at."""
    match = re.search(r"position (\d+)", note or "")
    return f" (row {int(match.group(1)) - 1})" if match else ""


def constraint_detail(constraint, value, cell):
    if constraint == "required":
        return "the cell is empty"
    if constraint == "enum":
        return f"{cell!r} is not one of {value}"
    if constraint in ("minimum", "exclusiveMinimum"):
        return f"{cell} is below the {'exclusive ' * (constraint != 'minimum')}minimum {value}"
    if constraint in ("maximum", "exclusiveMaximum"):
        return f"{cell} is above the {'exclusive ' * (constraint != 'maximum')}maximum {value}"
    if constraint == "pattern":
        return f"{cell!r} does not match {value}"
    return f"{cell!r} breaks {constraint} {value}"


TYPE_DETAIL = {
    "integer": "is not a whole number",
    "number": "is not a number",
    "boolean": "is not true or false",
}


def data_error(error, resource, files):
    """The DataError for one frictionless error about ``resource`` (its descriptor).

    ``files`` maps resource names to file names, for the target of a foreign key.
    """
    file, schema = resource["path"], resource["schema"]
    fields = {f["name"]: f for f in schema["fields"]}
    kind, note = error.type, getattr(error, "note", "") or ""
    row, cell = data_row(error), getattr(error, "cell", None)
    column = getattr(error, "field_name", None) or None
    if kind == "type-error":
        field_type = fields[column].get("type", "string")
        detail = f"{cell!r} {TYPE_DETAIL.get(field_type, f'is not of type {field_type}')}"
        return DataError(file, f"type {field_type}", detail, row, column)
    if kind == "constraint-error":
        constraint = re.match(r'constraint "(\w+)"', note).group(1)
        value = fields[column].get("constraints", {}).get(constraint)
        rule = RULE_OF_CONSTRAINT.get(constraint, constraint)
        return DataError(file, rule, constraint_detail(constraint, value, cell), row, column)
    if kind == "unique-error":
        return DataError(
            file, "unique", f"{cell!r} appears in an earlier row{earlier_row(note)}", row, column
        )
    if kind == "primary-key":
        key = schema["primaryKey"]
        key = [key] if isinstance(key, str) else list(key)
        names = list(fields)
        values = {k: error.cells[names.index(k)] for k in key if names.index(k) < len(error.cells)}
        detail = f"key {values} already appears in an earlier row{earlier_row(note)}"
        if "all" in note and "None" in note:
            detail = f"the key cells {key} are all empty"
        return DataError(file, "primary key unique", detail, row, ", ".join(key))
    if kind == "foreign-key":
        values = list(error.field_cells)
        shown = values if len(values) > 1 else values[0]
        target = files.get(error.reference_name, error.reference_name)
        detail = f"{shown!r} is not a {', '.join(error.reference_field_names)} of {target}"
        return DataError(file, "foreign key", detail, row, ", ".join(error.field_names))
    if kind == "blank-row":
        return DataError(file, "blank row", "every cell of the row is empty", row)
    if kind in ROW_LENGTH_ERRORS:
        count, expected = len(error.cells), len(schema["fields"])
        detail = f"the row has {count} cells but the header has {expected}"
        return DataError(file, "cells per row", detail, row)
    if kind == "hash-count":
        return DataError(
            file,
            "hash",
            "the file differs from the sha256 recorded in datapackage.json "
            "(after a deliberate edit, run `make datapackage`)",
        )
    if kind == "byte-count":
        return DataError(file, "bytes", f"the size differs from datapackage.json: {note}")
    if kind == "table-dimensions":
        return DataError(
            file,
            "minimum rows",
            f"{note} (minRows in datapackage.json); a header alone is not data",
        )
    if kind == "source-error" and "empty" in note:
        return DataError(file, "header row", "the file is empty: it needs at least a header row")
    if kind == "encoding-error":
        return DataError(file, "UTF-8 encoding", f"the file is not valid UTF-8 ({note})")
    return DataError(file, kind, note or error.message, row, column)


def header_errors(file, labels, schema):
    """Header problems by name (frictionless compares labels by position)."""
    expected = [f["name"] for f in schema["fields"]]
    errors = [
        DataError(file, "missing column", f"the schema requires column '{name}'", column=name)
        for name in expected
        if name not in labels
    ]
    errors += [
        DataError(file, "unknown column", "the schema does not describe this column", column=name)
        for name in labels
        if name not in expected
    ]
    errors += [
        DataError(file, "duplicate column", "the header names this column twice", column=name)
        for name in sorted({n for n in labels if labels.count(n) > 1})
    ]
    if not errors:
        errors.append(DataError(file, "column order", f"the header must be {expected}; it is {list(labels)}"))
    return errors


def resource_errors(frictionless_resource, resource, files):
    """Every error frictionless finds in one resource, as DataErrors."""
    from frictionless import Checklist, FrictionlessException, checks

    file = resource["path"]
    checklist = Checklist(checks=[checks.table_dimensions(min_rows=resource.get("minRows"))])
    try:
        report = frictionless_resource.validate(checklist=checklist, limit_errors=10_000)
    except FrictionlessException as exception:  # pragma: no cover - frictionless reports, not raises
        return [DataError(file, "readable file", exception.error.note or str(exception))]
    found = [e for task in report.tasks for e in task.errors] + list(report.errors)
    labels = next((list(e.labels) for e in found if e.type in LABEL_ERRORS), None)
    if labels is not None:  # cells under a wrong header are misread: report the header alone
        return header_errors(file, labels, resource["schema"]) + [
            data_error(e, resource, files) for e in found if e.type in FILE_ERRORS
        ]
    ragged = {data_row(e) for e in found if e.type in ROW_LENGTH_ERRORS}
    found = [e for e in found if e.type in ROW_LENGTH_ERRORS or data_row(e) not in ragged]
    types = {e.type for e in found}
    if "hash-count" in types:
        found = [e for e in found if e.type != "byte-count"]  # one message for one edit
    if "source-error" in types:
        found = [e for e in found if e.type != "table-dimensions"]
    errors, seen = [], set()
    for error in found:
        mapped = data_error(error, resource, files)
        if mapped.describe() not in seen:
            seen.add(mapped.describe())
            errors.append(mapped)
    return errors


def reasons(exception):
    return "; ".join(r.message for r in exception.reasons) or exception.error.message


def descriptor_errors(package):
    """The fields frictionless refuses to read (unknown type, a constraint it does not support
    for the type, ...), each named: frictionless names the problem but not the field."""
    from frictionless import Field, FrictionlessException

    errors = []
    for resource in package["resources"]:
        fields = resource["schema"].get("fields")
        for field in fields if isinstance(fields, list) else []:
            try:
                Field.from_descriptor(field)
            except FrictionlessException as exception:
                name = field.get("name") if isinstance(field, dict) else field
                detail = f"{resource['name']}.{name}: {reasons(exception)}"
                errors.append(DataError(PACKAGE_FILE, "valid package", detail))
    return errors


def frictionless_errors(package, data_dir, names=None):
    """Validate the resources named (by default every one) with frictionless:
    {resource name: [DataError, ...]}, or {None: [...]} if the package itself is refused.

    Give it only resources the gate has passed (``nhsreport.data.load.refused_resources``): frictionless reads
    every file a resource or its foreign keys name, and follows symlinks."""
    # Imported here: a notebook whose data frictionless already passed (a cached verdict) never
    # needs it, and importing it is a noticeable part of a chapter's start.
    from frictionless import FrictionlessException, Package

    try:
        checked = Package(package, basepath=str(data_dir))
    except FrictionlessException as exception:
        return {
            None: descriptor_errors(package) or [DataError(PACKAGE_FILE, "valid package", reasons(exception))]
        }
    files = {r["name"]: r["path"] for r in package["resources"]}
    results = {}
    for resource, frictionless_resource in zip(package["resources"], checked.resources):
        if names is None or resource["name"] in names:
            results[resource["name"]] = resource_errors(frictionless_resource, resource, files)
    return results


def readable(errors):
    """True if a resource's errors leave its cells readable (only hash, size or row count)."""
    return all(e.rule in ("hash", "bytes", "minimum rows") for e in errors)


# --- typed frames -----------------------------------------------------------------------------


def typed_frame(file, frame, fields):
    """The raw frame with each column converted to its schema type (empty cells -> missing).

    Returns (frame, errors): frictionless has checked every cell, so the only error left is an
    integer that cannot be held in a 64-bit column.
    """
    typed, errors = frame.copy(), []
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        if name not in typed or kind not in ("integer", "number", "boolean"):
            continue
        if kind == "boolean":
            true = set(field.get("trueValues", ["true", "True", "TRUE", "1"]))
            typed[name] = [None if t == "" else t in true for t in frame[name]]
        elif kind == "number":
            typed[name] = pd.Series(
                [math.nan if t == "" else float(t) for t in frame[name]], index=frame.index, dtype="float64"
            )
        else:
            values = [None if t == "" else int(t) for t in frame[name]]
            for row, value in enumerate(values, start=1):
                if value is not None and not INT64[0] <= value <= INT64[1]:
                    errors.append(
                        DataError(file, "64-bit integer", f"{value} does not fit in 64 bits", row, name)
                    )
            if not errors:
                typed[name] = pd.array(values, dtype="Int64")
    return typed, errors


# --- totals, cross-table rules ------------------------------------------------------------


def blame(evaluation, files, fallback_file):
    """File and rows to name when a computed sum is wrong: the rows that were summed."""
    for resource, rows in evaluation.rows.items():
        if rows:
            return files[resource], ", ".join(map(str, rows)) if len(rows) > 1 else rows[0]
    return fallback_file, None


def measure_column(expression):
    """The field an expression sums, for the error message (``sum(gender.count; ...)`` -> count)."""
    head = str(expression).split(";")[0]
    return head.split(".")[-1].strip(" )") if "." in head else None


def check_printed_totals(totals, raw_tables, typed_tables, files):
    """Each printed total equals the sum recomputed from its cells, unless flagged as a source error."""
    errors = []
    for index, total in enumerate(totals.to_dict("records"), start=1):
        try:
            computed = evaluate(total["expression"], raw_tables, typed_tables)
        except ExpressionError as error:
            errors.append(DataError(files["printed_totals"], "expression", str(error), index, "expression"))
            continue
        printed = float(total["printed_total"])
        agrees = math.isclose(computed.value, printed, abs_tol=1e-9)
        flagged = total.get("source_discrepancy") is True
        if agrees and flagged:
            errors.append(
                DataError(
                    files["printed_totals"],
                    "flagged discrepancy",
                    f"{total['expression']} now agrees with the printed "
                    f"{total['printed_total']}; remove the discrepancy flag",
                    index,
                    "source_discrepancy",
                )
            )
        elif not agrees and not flagged:
            file, rows = blame(computed, files, files["printed_totals"])
            errors.append(
                DataError(
                    file,
                    "printed total",
                    f"cells sum to {computed.value:g} but {total['locator']} "
                    f"(p. {total['page']}) prints {printed:g} "
                    f"[{total['expression']}; printed_totals.csv row {index}]",
                    rows,
                    measure_column(total["expression"]),
                )
            )
    return errors


def check_cross_table_rules(rules, raw_tables, typed_tables, files):
    """Each rule (description, expression, must-equal expression) holds across files."""
    errors = []
    for description, left, right in rules:
        try:
            lhs = evaluate(left, raw_tables, typed_tables)
            rhs = evaluate(right, raw_tables, typed_tables)
        except ExpressionError as error:
            errors.append(DataError(PACKAGE_FILE, "cross-table rule", f"{description}: {error}"))
            continue
        if not math.isclose(lhs.value, rhs.value, abs_tol=1e-9):
            file, rows = blame(lhs, files, PACKAGE_FILE)
            errors.append(
                DataError(
                    file,
                    "cross-table rule",
                    f"{description}: {left} = {lhs.value:g} but {right} = {rhs.value:g}",
                    rows,
                    measure_column(left),
                )
            )
    return errors
