"""Loading the data package: every file is validated before any of it can be read.

>>> data = load_data()
>>> data["gender"]          # a typed pandas DataFrame

Nothing in ``data/`` reaches a table or a figure except through :func:`load_data`, which raises
:class:`~nhsreport.errors.DataErrors` listing every broken rule (file, row, column, rule).
"""

import json
from functools import cache
from pathlib import Path

from .. import paths
from .errors import DataError, DataErrors
from .expressions import evaluate
from .reads import record_read
from .validation import (
    check_cells,
    check_cross_table_rules,
    check_foreign_keys,
    check_hash,
    check_header,
    check_primary_key,
    check_printed_totals,
    read_raw,
    typed_frame,
)

TRUSTS = ("acute", "care", "specialist")
COHORTS = ("clinical", "functional", "general")


def cross_table_rules():
    """Rules that tie files together: (description, expression, expression it must equal)."""
    rules = []
    for trust in TRUSTS:
        for cohort in COHORTS:
            where = f"trust={trust} & cohort={cohort}"
            rules.append(
                (
                    f"Table 3.3 gender cells add up to the Table 3.2 sample ({trust}, {cohort})",
                    f"sum(gender.count; {where})",
                    f"value(sample_participants.count; {where})",
                )
            )
        rules.append(
            (
                f"Table 3.4 age bands add up to the Table 3.2 sample ({trust})",
                f"sum(age.count; trust={trust})",
                f"sum(sample_participants.count; trust={trust})",
            )
        )
    rules.append(
        (
            "the ethnicity facts cover the whole sample",
            "sum(sample_facts.count; topic=ethnicity)",
            "sum(sample_participants.count)",
        )
    )
    for trust in TRUSTS:
        rules.append(
            (
                f"Table 3.6 formal interviews equal the Table 3.2 sample ({trust})",
                f"value(data_collected.value; group={trust} & measure=interviews_formal)",
                f"sum(sample_participants.count; trust={trust})",
            )
        )
    return rules


# Codes that depend on another field's value, so a plain foreign key cannot express them:
# (resource, condition field, condition value, local fields, target resource, target fields).
CONDITIONAL_REFERENCES = [
    (
        "network_evidence",
        "target_kind",
        "dimension_pole",
        ("dimension", "target"),
        "network_dimension_poles",
        ("dimension", "pole"),
    ),
    ("network_evidence", "target_kind", "trust", ("target",), "trusts", ("code",)),
    ("network_evidence", "target_kind", "cohort", ("target",), "cohorts", ("code",)),
]


def check_conditional_references(raw_tables, files):
    errors = []
    for resource, field, value, local, target, remote in CONDITIONAL_REFERENCES:
        if resource not in raw_tables or target not in raw_tables:
            continue
        known = set(map(tuple, raw_tables[target][list(remote)].to_numpy().tolist()))
        frame = raw_tables[resource]
        for index, row in enumerate(frame.to_dict("records"), start=1):
            if row[field] == value and tuple(row[k] for k in local) not in known:
                errors.append(
                    DataError(
                        files[resource],
                        "conditional reference",
                        f"where {field} is {value!r}, {', '.join(local)} must be a "
                        f"{', '.join(remote)} of {files[target]}; "
                        f"{[row[k] for k in local]} is not",
                        index,
                        ", ".join(local),
                    )
                )
    return errors


class Dataset:
    """Validated data: ``data[name]`` is a typed copy of a resource's table."""

    def __init__(self, package, raw_tables, typed_tables, data_dir):
        self.package, self.raw, self.typed, self.data_dir = package, raw_tables, typed_tables, data_dir

    def __getitem__(self, name):
        record_read(name)
        return self.typed[name].copy()

    def evaluate(self, expression):
        """Value of an expression of the check language (see data/TRANSCRIPTION.md)."""
        for name in self.typed:
            if f"{name}." in expression or f"{name};" in expression:
                record_read(name)
        return evaluate(expression, self.raw, self.typed).value

    def resource(self, name):
        return next(r for r in self.package["resources"] if r["name"] == name)

    def field_description(self, name, field):
        fields = self.resource(name)["schema"]["fields"]
        return next(f.get("description", "") for f in fields if f["name"] == field)


def read_package(data_dir):
    path = data_dir / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DataErrors([DataError("datapackage.json", "readable package", str(error))]) from error


def validate(data_dir=None):
    """Validate every file of the package; return a :class:`Dataset` or raise :class:`DataErrors`."""
    data_dir = Path(data_dir or paths.DATA_DIR)
    package = read_package(data_dir)
    files = {r["name"]: r["path"] for r in package["resources"]}
    errors, raw, typed = [], {}, {}
    for resource in package["resources"]:
        file, schema = resource["path"], resource["schema"]
        if not (data_dir / file).exists():
            errors.append(DataError(file, "file exists", "listed in datapackage.json but missing"))
            continue
        frame = read_raw(data_dir / file)
        found = check_header(file, frame, schema["fields"]) + check_cells(file, frame, schema["fields"])
        found += check_primary_key(file, frame, schema)
        errors += found
        raw[resource["name"]] = frame
        if not found:
            typed[resource["name"]] = typed_frame(frame, schema["fields"])
    for resource in package["resources"]:
        if resource["name"] in raw:
            errors += check_foreign_keys(
                resource["path"], raw[resource["name"]], resource["schema"], raw, files
            )
    errors += check_conditional_references(raw, files)
    if errors:
        raise DataErrors(errors)  # sums over broken cells would only add noise
    errors += check_printed_totals(typed["printed_totals"], raw, typed, files)
    errors += check_cross_table_rules(cross_table_rules(), raw, typed, files)
    for resource in package["resources"]:
        errors += check_hash(resource, data_dir)
    if errors:
        raise DataErrors(errors)
    return Dataset(package, raw, typed, data_dir)


@cache
def _cached(data_dir):
    return validate(data_dir)


def load_data(data_dir=None):
    """The validated data package (validated once per process and folder)."""
    return _cached(str(Path(data_dir or paths.DATA_DIR).resolve()))
