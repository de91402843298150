"""Check the outputs against their records: the files in ``figures/`` against
``figures/manifest.json``, and the files an RO-Crate lists against its ``ro-crate-metadata.json``.

    python -m nhsreport.pipeline.verify_outputs [--site _build/html]

Every file the manifest names must exist with the sha256 it records, and ``figures/`` must hold
no other file (but the manifest itself and ``published_labels.json``). When the built site holds
a crate, every file it lists with a sha256 must exist beside the crate with that sha256. One line
per mismatch, then exit status 1. The weekly reproducibility workflow runs this after ``make book``.
"""

import argparse
import json
import sys
from pathlib import Path

from .. import paths
from ..hashing import sha256_of

CRATE = "ro-crate-metadata.json"
NOT_OUTPUTS = {"manifest.json", "published_labels.json"}  # figures/ files that record, not show


def manifest_mismatches(figures_dir=None):
    """One line for each output file missing, altered or not recorded in ``figures/manifest.json``."""
    figures_dir = Path(figures_dir or paths.FIGURES_DIR)
    manifest = json.loads((figures_dir / "manifest.json").read_text(encoding="utf-8"))
    problems, named = [], set()
    for label, entry in sorted(manifest.items()):
        for name, recorded in sorted(entry["files"].items()):
            named.add(name)
            problems += file_mismatch(
                figures_dir / name, f"figures/{name}", recorded, f"figures/manifest.json ({label})"
            )
    for path in sorted(figures_dir.iterdir()):
        if path.name not in named | NOT_OUTPUTS:
            problems.append(f"figures/{path.name}: not recorded in figures/manifest.json")
    return problems


def crate_mismatches(folder):
    """One line for each file the crate in ``folder`` lists with a sha256 that is missing or altered."""
    folder = Path(folder)
    graph = json.loads((folder / CRATE).read_text(encoding="utf-8"))["@graph"]
    problems = []
    for entity in graph:
        identifier, recorded = entity.get("@id", ""), entity.get("sha256")
        if recorded and is_local_file(identifier):
            problems += file_mismatch(folder / identifier, identifier, recorded, CRATE)
    return problems


def is_local_file(identifier):
    """A crate identifier naming a file inside the crate (not a URL, not a #fragment)."""
    return bool(identifier) and not identifier.startswith("#") and "://" not in identifier


def file_mismatch(path, shown, recorded, record):
    """A line naming the file (as ``shown``) if it is missing or its sha256 is not ``recorded``."""
    if not path.is_file():
        return [f"{shown}: missing, recorded in {record}"]
    actual = sha256_of(path)
    if actual != recorded:
        return [f"{shown}: sha256 {actual} differs from {recorded} in {record}"]
    return []


def mismatches(figures_dir=None, site=None):
    problems = manifest_mismatches(figures_dir)
    if site and (Path(site) / CRATE).exists():
        problems += crate_mismatches(site)
    return problems


def main(arguments=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="the built site, checked if it holds an RO-Crate")
    args = parser.parse_args(arguments)
    problems = mismatches(site=args.site)
    for problem in problems:
        print(problem)
    if not problems:
        print("every output matches its record")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
