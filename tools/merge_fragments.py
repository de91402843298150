"""Transcription aid (not part of the build): fold transcribers' fragments into the data package.

Each transcriber wrote `data/fragments/NAME.json` (a resource descriptor), optionally
`NAME.totals.csv` (printed totals) and, for the claims register, `claims_partN.csv`. This script
merges them into `data/datapackage.json` and `data/printed_totals.csv`, keeping any
`source_discrepancy` flag and note already set by hand, then refreshes hashes and the codebook.
"""
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from nhsreport.datapackage import refresh, write_json  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"
FRAGMENTS = DATA / "fragments"
ORDER = ["sources", "trusts", "cohorts", "network_types", "network_dimensions",
         "network_dimension_poles", "sample_participants", "sample_declined", "gender", "age",
         "tenure", "sample_facts", "printed_totals"]
PACKAGE = {
    "name": "nhs-middle-managers-study",
    "title": "NHS middle managers: the published tables, figures and claims of a study, transcribed",
    "description": ("The quantitative and typological results of a study of 68 NHS middle managers "
                    "in three trusts, transcribed from the study's book and report with provenance "
                    "on every row. See TRANSCRIPTION.md for the rules and README.md for the codebook."),
    "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                  "path": "https://creativecommons.org/licenses/by/4.0/",
                  "scope": "the transcription's structure, codes and paraphrases; the facts belong to the cited sources"}],
}


def merged_totals():
    previous = {}
    if (DATA / "printed_totals.csv").exists():
        with open(DATA / "printed_totals.csv", newline="", encoding="utf-8") as handle:
            previous = {row["expression"]: row for row in csv.DictReader(handle)}
    rows = []
    for path in sorted(FRAGMENTS.glob("*totals*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                kept = previous.get(row["expression"], {})
                row["source_discrepancy"] = kept.get("source_discrepancy", "false")
                row["note"] = kept.get("note") or row.get("note", "")
                rows.append(row)
    return rows


def write_csv(path, rows, fields):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def merge_claim_parts():
    """claims_part1.csv, claims_part2.csv (one per transcriber) -> claims.csv with one schema."""
    parts = sorted(DATA.glob("claims_part*.csv"))
    if not parts:
        return
    rows, fields = [], None
    for path in parts:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            fields = fields or reader.fieldnames
            rows += list(reader)
    write_csv(DATA / "claims.csv", rows, fields)
    resource = json.loads((FRAGMENTS / "claims_part1.json").read_text(encoding="utf-8"))
    resource.update(name="claims", path="claims.csv",
                    title="Claims register: every quantitative claim in the book's prose")
    (FRAGMENTS / "claims.json").write_text(json.dumps(resource, indent=1), encoding="utf-8")
    for path in parts:
        path.unlink()
        (FRAGMENTS / f"{path.stem}.json").unlink()


def main():
    merge_claim_parts()
    write_csv(DATA / "printed_totals.csv", merged_totals(),
              ["expression", "printed_total", "source_discrepancy", "note", "source", "locator", "page"])
    resources = {}
    for path in sorted(FRAGMENTS.glob("*.json")):
        resource = json.loads(path.read_text(encoding="utf-8"))
        resources[resource["name"]] = resource
    ordered = [resources.pop(n) for n in ORDER if n in resources] + list(resources.values())
    for resource in ordered:
        for key in ("hash", "bytes"):
            resource.pop(key, None)
        resource.setdefault("format", "csv")
        resource.setdefault("encoding", "utf-8")
        resource.setdefault("profile", "tabular-data-resource")
    package = dict(PACKAGE, resources=ordered)
    write_json(DATA / "datapackage.json", package)
    refresh(DATA)


if __name__ == "__main__":
    main()
