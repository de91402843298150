"""Keeping ``data/datapackage.json`` and its codebook ``data/README.md`` true to the files.

``python -m nhsreport.data.package`` records each file's size and sha256 in the package and writes
the codebook from the package, so the two descriptions of the data cannot drift apart. Run it (or
``make datapackage``) after a deliberate change to a data file; validation refuses a file whose
hash no longer matches.

Every file is read through the gate of :mod:`nhsreport.data.files` and must have the shape its
schema gives (:func:`~nhsreport.data.validation.shape_errors`); if any does not, nothing is written
and each problem is named on one line.
"""

import io
import json
import os
import stat
import sys
import tempfile
from pathlib import Path

from .. import paths
from ..hashing import sha256_bytes
from .errors import DataError, DataErrors
from .files import MAX_FILE_BYTES, read_checked, unlisted_errors
from .load import read_package
from .validation import read_raw, shape_errors

PROVENANCE = ("source", "locator", "page")


def read(data_dir):
    return read_package(Path(data_dir))


def write_text(path, text):
    """Write whole or not at all: a temporary file beside it, then a rename."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as handle:
        handle.write(text)
    os.chmod(handle.name, mode)  # a temporary file is private; the data are not
    os.replace(handle.name, path)


def write_json(path, document):
    write_text(path, json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def with_current_hashes(package, data_dir):
    errors = []
    for resource in package["resources"]:
        try:
            content = read_checked(data_dir, resource["path"])
        except DataError as error:
            errors.append(error)
            continue
        resource["bytes"] = len(content)
        resource["hash"] = "sha256:" + sha256_bytes(content)
    if errors:
        raise DataErrors(errors)
    return package


def raw_frames(package, data_dir):
    """{resource name: its file as read by :func:`~nhsreport.data.validation.read_raw`}, each
    file read once through the gate; DataErrors naming every file that cannot be read."""
    errors, frames = unlisted_errors(package, data_dir), {}
    for resource in package["resources"]:
        file = resource["path"]
        try:
            content = read_checked(data_dir, file)
        except DataError as error:
            errors.append(error)
            continue
        shape = shape_errors(file, content, resource["schema"])
        errors += shape
        try:
            frames[resource["name"]] = None if shape else read_raw(io.BytesIO(content))
        except (ValueError, UnicodeDecodeError) as error:  # pandas's parse errors are ValueErrors
            errors.append(DataError(file, "readable CSV", str(error).splitlines()[0]))
    if errors:
        raise DataErrors(errors)
    return frames


def constraint_text(field):
    constraints = field.get("constraints", {})
    parts = []
    if constraints.get("required"):
        parts.append("required")
    if constraints.get("unique"):
        parts.append("unique")
    if "trueValues" in field:
        parts.append(
            "written " + " or ".join(f"`{v}`" for v in field["trueValues"] + field.get("falseValues", []))
        )
    if "enum" in constraints:
        parts.append("one of " + ", ".join(f"`{v}`" for v in constraints["enum"]))
    for bound in ("minimum", "maximum", "pattern"):
        if bound in constraints:
            parts.append(f"{bound} `{constraints[bound]}`")
    return "; ".join(parts)


def escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def resource_section(resource, frame):
    schema = resource["schema"]
    lines = [
        f"## `{resource['path']}` — {resource.get('title', resource['name'])}",
        "",
        escape(resource.get("description", "")),
        "",
        f"- rows: {len(frame)} (at least {resource.get('minRows', 1)}, `minRows`); "
        f"sha256: `{resource['hash'].split(':', 1)[1]}`",
        f"- primary key: {', '.join(f'`{k}`' for k in schema.get('primaryKey', [])) or 'none'}",
    ]
    for foreign in schema.get("foreignKeys", []):
        reference = foreign["reference"]
        lines.append(
            f"- foreign key: `{foreign['fields']}` -> `{reference['resource']}.{reference['fields']}`"
        )
    if "text_status" in frame.columns:
        paraphrased = int((frame["text_status"] == "paraphrase").sum())
        lines.append(
            f"- text cells: {paraphrased} of {len(frame)} rows hold a paraphrase in our "
            "own words (`text_status` = `paraphrase`), not the source's sentences"
        )
    lines += ["", "| field | type | constraints | description |", "|---|---|---|---|"]
    for field in schema["fields"]:
        if field["name"] in PROVENANCE:
            continue
        lines.append(
            f"| `{field['name']}` | {field.get('type', 'string')} | "
            f"{escape(constraint_text(field))} | {escape(field.get('description', ''))} |"
        )
    return "\n".join(lines)


def provenance_sentence(package):
    """Which files carry the provenance fields, computed from the package (code lists do not)."""
    without = [
        r["path"]
        for r in package["resources"]
        if not set(PROVENANCE) <= {f["name"] for f in r["schema"]["fields"]}
    ]
    sentence = (
        "Every file{except_} has the provenance fields `source` (id in `sources.csv`), "
        "`locator` (table, figure or `text`) and `page` (printed page)."
    )
    listed = ", ".join(f"`{name}`" for name in without)
    return sentence.format(except_=f" except {listed} (lists of codes and sources)" if without else "")


def codebook(package, data_dir):
    """The human-readable codebook, generated from the package alone (and each file's row count)."""
    frames = raw_frames(package, data_dir)
    header = [
        f"# Codebook: {package['title']}",
        "",
        "Generated by `python -m nhsreport.data.package` from `datapackage.json`; do not edit "
        "by hand. How the values were transcribed: [TRANSCRIPTION.md](TRANSCRIPTION.md).",
        "",
        escape(package.get("description", "")),
        "",
        provenance_sentence(package),
        "",
        "**Rules.** Loading the data (`nhsreport.data.load.validate`, run on every load) refuses them "
        "unless `data/` holds only the files the package lists, each a regular file inside `data/` "
        "(a symlink leading out of it is refused) of at most "
        f"{MAX_FILE_BYTES // 2**20} MiB, with the schema's header, rows of the header's width and no "
        "control characters but tab and newline; and unless every file meets its schema, checked by "
        "frictionless: the header, the type and "
        "constraints of every cell (required, unique, allowed values, minimum/maximum, pattern), "
        "primary and foreign keys, and the recorded size and sha256. Every number has "
        "plausibility bounds (the field's description says why), and every file declares "
        "`minRows`, the number of rows it must at least hold (a file cut short, or holding only "
        "its header, fails). Printed totals (`printed_totals.csv`), cross-table rules and "
        "conditional references are checked by the project's own code; see "
        "[TRANSCRIPTION.md](TRANSCRIPTION.md).",
        "",
        "| file | title | rows |",
        "|---|---|---|",
    ]
    for resource in package["resources"]:
        rows = len(frames[resource["name"]])
        header.append(
            f"| [`{resource['path']}`](#{resource['name']}) | {escape(resource.get('title', ''))} | {rows} |"
        )
    sections = [resource_section(r, frames[r["name"]]) for r in package["resources"]]
    return "\n".join(header) + "\n\n" + "\n\n".join(sections) + "\n"


def refresh(data_dir=None):
    """Record each file's size and hash, regenerate the codebook; write nothing unless every
    file could be read and described."""
    data_dir = Path(data_dir or paths.DATA_DIR)
    package = with_current_hashes(read(data_dir), data_dir)
    text = codebook(package, data_dir)
    write_json(data_dir / "datapackage.json", package)
    write_text(data_dir / "README.md", text)
    return package


def main(arguments):
    try:
        refresh(arguments[0] if arguments else None)
    except DataErrors as error:
        print(f"{error}\ndata/datapackage.json and data/README.md are unchanged.", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main(sys.argv[1:])
