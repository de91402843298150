"""Loading the data package: every file is validated before any of it can be read.

>>> data = load_data()
>>> data["gender"]          # a typed pandas DataFrame

Nothing in ``data/`` reaches a table or a figure except through :func:`load_data`, which raises
:class:`~nhsreport.data.errors.DataErrors` listing every broken rule (file, row, column, rule).
"""

import functools
import json
from pathlib import Path

from .. import cache, paths
from . import errors as errors_module
from . import study_rules, validation
from .errors import DataError, DataErrors
from .expressions import evaluate
from .files import read_checked, unlisted_errors
from .reads import record_read
from .validation import (
    PACKAGE_FILE,
    check_cross_table_rules,
    check_package_rules,
    check_printed_totals,
    frictionless_errors,
    read_raw,
    readable,
    shape_errors,
    typed_frame,
)


def check_conditional_references(references, raw_tables, files):
    """Each conditional reference (see :data:`nhsreport.data.study_rules.CONDITIONAL_REFERENCES`)
    holds in every row it applies to."""
    errors = []
    for resource, field, value, local, target, remote in references:
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
        if name not in self.typed:  # a chapter asks for a resource the package no longer lists
            raise DataError(PACKAGE_FILE, "listed resource", f"the package lists no resource {name!r}")
        self.record_read(name)
        return self.typed[name].copy()

    def record_read(self, name):
        """Note that a resource was read: its file and its schema are inputs of what follows."""
        record_read(f"data/{self.resource(name)['path']}")
        record_read(f"data/datapackage.json#{name}")

    def evaluate(self, expression):
        """Value of an expression of the check language (see data/TRANSCRIPTION.md)."""
        for name in self.typed:
            if f"{name}." in expression or f"{name};" in expression:
                self.record_read(name)
        return evaluate(expression, self.raw, self.typed).value

    def resource(self, name):
        return next(r for r in self.package["resources"] if r["name"] == name)


# Resources validation itself reads (printed totals; the codes of the cross-table rules).
REQUIRED_RESOURCES = ("printed_totals", "trusts", "cohorts")


def read_package(data_dir):
    """datapackage.json as a dict, or DataErrors naming it (unreadable, not JSON, no resources)."""

    def refuse(rule, detail):
        return DataErrors([DataError(PACKAGE_FILE, rule, detail)])

    try:
        package = json.loads(read_checked(data_dir, PACKAGE_FILE).decode("utf-8"))
    except DataError as error:
        raise DataErrors([error]) from None
    except UnicodeDecodeError as error:
        raise refuse("readable package", f"the file is not valid UTF-8 ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise refuse("readable package", f"not valid JSON: {error}") from None
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list) or not resources:
        raise refuse("readable package", "the package must list its files under 'resources'")
    for index, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict) or not all(
            isinstance(resource.get(k), t) for k, t in (("name", str), ("path", str), ("schema", dict))
        ):
            raise refuse("readable package", f"resource {index} needs a name, a path and a schema")
    return package


def frictionless_verdict(package, data_dir):
    """What frictionless finds in each resource: {name: [DataError, ...]}.

    It is the slowest step of validation, so each resource's clean verdict is cached under the
    hash of everything frictionless reads to judge it: the package's own metadata, the resource's
    descriptor and bytes, those of every resource its foreign keys point to, the code that judged
    it and frictionless's version. An edit is judged afresh in the file it touches and in the
    files that refer to it; the others keep their verdicts.
    """
    digests = {r["name"]: verdict_key(package, r, data_dir) for r in package["resources"]}
    unjudged = [name for name, digest in digests.items() if not cache.lookup("frictionless-clean", digest)]
    found = frictionless_errors(package, data_dir, unjudged) if unjudged else {}
    if None in found:  # the package descriptor itself was refused
        return found
    for name in unjudged:
        if not found[name]:
            cache.store("frictionless-clean", digests[name], True)
    return {name: found.get(name, []) for name in digests}


def verdict_key(package, resource, data_dir):
    """The cache key of one resource's verdict (see :func:`frictionless_verdict`)."""
    by_name = {r["name"]: r for r in package["resources"]}
    targets = sorted({k["reference"]["resource"] or resource["name"] for k in foreign_keys(resource)})
    judged = [resource] + [by_name.get(name, {"missing": name}) for name in targets]
    metadata = {k: v for k, v in package.items() if k != "resources"}
    return cache.key(
        json.dumps(metadata, sort_keys=True),
        *(part for r in judged for part in (json.dumps(r, sort_keys=True), file_bytes(data_dir, r))),
        *cache.code_of(validation, errors_module, "frictionless"),
    )


def foreign_keys(resource):
    keys = resource["schema"].get("foreignKeys", [])
    keys = keys if isinstance(keys, list) else []  # a malformed list is frictionless's to report
    return [k for k in keys if isinstance(k, dict) and isinstance(k.get("reference"), dict)]


def file_bytes(data_dir, resource):
    """The resource's bytes, or a marker that no such file can be read (never equal to bytes).

    Read through the gate (:func:`~nhsreport.data.files.read_checked`): a path that leaves data/,
    a device or an oversized file gives the marker without being read."""
    try:
        return b"file:" + read_checked(data_dir, resource["path"])
    except (DataError, KeyError):  # KeyError: a foreign key's target the package does not list
        return "no readable file"


def refused_resources(package, data_dir):
    """{name: [DataError, ...]} for each resource that must not reach frictionless: its path
    leaves data/ or names no regular file of bounded size, or its shape or characters are wrong
    (see :func:`~nhsreport.data.validation.shape_errors`)."""
    refused = {}
    for resource in package["resources"]:
        try:
            content = read_checked(data_dir, resource["path"])
        except DataError as error:
            refused[resource["name"]] = [error]
            continue
        refused[resource["name"]] = shape_errors(resource["path"], content, resource["schema"])
    return {name: errors for name, errors in refused.items() if errors}


def without(package, refused):
    """The package as frictionless judges it: the refused resources, and keys to them, left out
    (their refusal is the error reported)."""

    def kept(key):
        reference = key.get("reference") if isinstance(key, dict) else None
        return not (isinstance(reference, dict) and reference.get("resource") in refused)

    resources = []
    for resource in package["resources"]:
        if resource["name"] in refused:
            continue
        keys = resource["schema"].get("foreignKeys")
        if isinstance(keys, list) and not all(map(kept, keys)):
            schema = {**resource["schema"], "foreignKeys": [k for k in keys if kept(k)]}
            resource = {**resource, "schema": schema}
        resources.append(resource)
    return {**package, "resources": resources}


def validate(data_dir=None, rules=study_rules):
    """Validate every file of the package; return a :class:`Dataset` or raise :class:`DataErrors`.

    ``rules`` holds the study's own rules, which no schema can express: its
    ``CONDITIONAL_REFERENCES`` and ``cross_table_rules(trusts, cohorts)``
    (:mod:`nhsreport.data.study_rules`); this loader knows nothing of the study.

    First the files themselves: data/ holds only what the package lists, each listed path stays
    inside data/ and names a regular file of bounded size (:mod:`.files`), with the schema's
    header, rows of its width and no control characters; nothing else is read. Then frictionless
    checks each resource against its schema (see :mod:`.validation`); the rules it cannot express
    run by hand after it: conditional references, printed totals, cross-table rules.
    """
    data_dir = Path(data_dir or paths.DATA_DIR)
    package = read_package(data_dir)
    files = {r["name"]: r["path"] for r in package["resources"]}
    errors = check_package_rules(package)
    errors += [
        DataError(PACKAGE_FILE, "required resource", f"the package must list the resource {name!r}")
        for name in REQUIRED_RESOURCES
        if name not in files
    ]
    errors += unlisted_errors(package, data_dir)
    refused = refused_resources(package, data_dir)
    found = frictionless_verdict(without(package, refused), data_dir)
    if None in found:  # frictionless refused the package descriptor itself
        raise DataErrors(errors + [e for name in refused for e in refused[name]] + found[None])
    found |= refused
    raw, typed = {}, {}
    for resource in package["resources"]:
        name, file = resource["name"], resource["path"]
        errors += found[name]
        if name in refused or not readable(found[name]):
            continue
        try:
            raw[name] = read_raw(data_dir / file)
        except (ValueError, UnicodeDecodeError) as error:  # pandas disagrees with frictionless
            errors.append(DataError(file, "readable CSV", str(error).splitlines()[0]))
            continue
        typed[name], wide = typed_frame(file, raw[name], resource["schema"]["fields"])
        errors += wide
    errors += check_conditional_references(rules.CONDITIONAL_REFERENCES, raw, files)
    if errors or not set(REQUIRED_RESOURCES) <= set(raw):
        raise DataErrors(errors)  # sums over broken cells would only add noise
    errors += check_printed_totals(typed["printed_totals"], raw, typed, files)
    codes = [tuple(raw[name]["code"]) for name in ("trusts", "cohorts")]
    errors += check_cross_table_rules(rules.cross_table_rules(*codes), raw, typed, files)
    if errors:
        raise DataErrors(errors)
    return Dataset(package, raw, typed, data_dir)


@functools.cache
def _cached(data_dir):
    return validate(data_dir)


def load_data(data_dir=None):
    """The validated data package (validated once per process and folder)."""
    return _cached(str(Path(data_dir or paths.DATA_DIR).resolve()))
