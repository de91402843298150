"""Rules every data file must meet before anything is tabulated or drawn.

Each rule failure becomes a :class:`~nhsreport.errors.DataError` naming the file, the row, the
column and the rule. Rules run in order of how locally they can point at a cell: the shape and
cells of each file, then keys, then printed totals and cross-table rules, and last the file hashes
recorded in ``datapackage.json`` (a hash can name the file but not the row).
"""

import hashlib
import math
import re

import pandas as pd

from .errors import DataError
from .expressions import ExpressionError, evaluate

BOOLEANS = {"true": True, "false": False}


def sha256_of(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_raw(path):
    """A CSV file as text exactly as written: no type guessing, empty cells stay empty."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)


# --- one file: header and cells -----------------------------------------------------------


def check_header(file, frame, fields):
    expected = [f["name"] for f in fields]
    errors = [
        DataError(file, "missing column", f"the schema requires column '{name}'", column=name)
        for name in expected
        if name not in frame.columns
    ]
    errors += [
        DataError(file, "unknown column", "the schema does not describe this column", column=name)
        for name in frame.columns
        if name not in expected
    ]
    return errors


def parse_cell(text, kind):
    """Typed value of a non-empty cell, or raise ValueError."""
    if kind == "integer":
        if not text.lstrip("-").isdigit():
            raise ValueError("not a whole number")
        return int(text)
    if kind == "number":
        value = float(text)
        if math.isnan(value) or math.isinf(value):
            raise ValueError("not a finite number")
        return value
    if kind == "boolean":
        if text not in BOOLEANS:
            raise ValueError("not true or false")
        return BOOLEANS[text]
    return text


def check_cell(file, row, field, text):
    """Errors of one cell against its field's type and constraints."""
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    if text == "":
        if constraints.get("required"):
            return [DataError(file, "required", "the cell is empty", row, name)]
        return []
    try:
        value = parse_cell(text, kind)
    except ValueError as error:
        return [DataError(file, f"type {kind}", f"{text!r} is {error}", row, name)]
    errors = []
    if "enum" in constraints and text not in [
        str(v).lower() if isinstance(v, bool) else str(v) for v in constraints["enum"]
    ]:
        errors.append(
            DataError(file, "allowed values", f"{text!r} is not one of {constraints['enum']}", row, name)
        )
    if "minimum" in constraints and value < constraints["minimum"]:
        errors.append(
            DataError(file, "minimum", f"{text} is below the minimum {constraints['minimum']}", row, name)
        )
    if "maximum" in constraints and value > constraints["maximum"]:
        errors.append(
            DataError(file, "maximum", f"{text} is above the maximum {constraints['maximum']}", row, name)
        )
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        errors.append(
            DataError(file, "pattern", f"{text!r} does not match {constraints['pattern']}", row, name)
        )
    return errors


def check_unique_fields(file, frame, fields):
    """Fields constrained to be unique hold no value twice."""
    errors = []
    for field in fields:
        name = field["name"]
        if field.get("constraints", {}).get("unique") and name in frame.columns:
            values = frame[name][frame[name] != ""]
            for index in values[values.duplicated(keep="first")].index:
                errors.append(
                    DataError(
                        file,
                        "unique",
                        f"{frame.loc[index, name]!r} appears in an earlier row",
                        int(index) + 1,
                        name,
                    )
                )
    return errors


def check_cells(file, frame, fields):
    errors = check_unique_fields(file, frame, fields)
    for index, record in enumerate(frame.to_dict("records"), start=1):
        for field in fields:
            if field["name"] in record:
                errors += check_cell(file, index, field, record[field["name"]])
    return errors


def typed_frame(frame, fields):
    """The raw frame with each column converted to its schema type (empty cells -> missing)."""
    typed = frame.copy()
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        if kind in ("integer", "number", "boolean") and name in typed:
            typed[name] = [None if t == "" else parse_cell(t, kind) for t in frame[name]]
            if kind == "integer":
                typed[name] = typed[name].astype("Int64")
            elif kind == "number":
                typed[name] = typed[name].astype("float64")
    return typed


# --- keys ---------------------------------------------------------------------------------


def as_list(fields):
    return [fields] if isinstance(fields, str) else list(fields)


def check_primary_key(file, frame, schema):
    key = as_list(schema.get("primaryKey", []))
    if not key or any(k not in frame.columns for k in key):
        return []
    duplicated = frame[frame.duplicated(subset=key, keep="first")]
    return [
        DataError(
            file,
            "primary key unique",
            f"key {dict(zip(key, frame.loc[i, key]))} already appears in an earlier row",
            int(i) + 1,
            ", ".join(key),
        )
        for i in duplicated.index
    ]


def check_foreign_keys(file, frame, schema, raw_tables, files):
    errors = []
    for foreign in schema.get("foreignKeys", []):
        local = as_list(foreign["fields"])
        target = foreign["reference"]["resource"]
        remote = as_list(foreign["reference"]["fields"])
        if target not in raw_tables or any(k not in frame.columns for k in local):
            continue
        known = set(map(tuple, raw_tables[target][remote].to_numpy().tolist()))
        for index, values in enumerate(frame[local].to_numpy().tolist(), start=1):
            if all(v == "" for v in values):
                continue  # an empty optional reference points nowhere
            if tuple(values) not in known:
                errors.append(
                    DataError(
                        file,
                        "foreign key",
                        f"{values if len(values) > 1 else values[0]!r} is not a "
                        f"{', '.join(remote)} of {files[target]}",
                        index,
                        ", ".join(local),
                    )
                )
    return errors


# --- totals, cross-table rules and hashes --------------------------------------------------


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
            errors.append(DataError("datapackage.json", "cross-table rule", f"{description}: {error}"))
            continue
        if not math.isclose(lhs.value, rhs.value, abs_tol=1e-9):
            file, rows = blame(lhs, files, "datapackage.json")
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


def check_hash(resource, data_dir):
    recorded = resource.get("hash", "")
    actual = "sha256:" + sha256_of(data_dir / resource["path"])
    if recorded != actual:
        return [
            DataError(
                resource["path"],
                "hash",
                "the file differs from the sha256 recorded in datapackage.json "
                "(after a deliberate edit, run `make datapackage`)",
            )
        ]
    return []
