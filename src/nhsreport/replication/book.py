"""``make replication DATA=respondents.csv [MIN_CELL=5]``: your managers beside the study.

Validates the respondent file (:func:`nhsreport.replication.respondents.read_respondents`),
aggregates it (:func:`nhsreport.replication.aggregate.aggregate`), protects the tables
(:func:`nhsreport.replication.disclosure.protect`) and builds a small Jupyter Book from them into
``_build/replication/html``, with the protected tables by organisation as CSV in
``_build/replication/tables``.

The respondent file is untrusted and confidential. It is read once, here; nothing of it but the
protected tables goes further: the book's notebooks read those tables from the book's own
``data/`` folder (:mod:`nhsreport.replication.book_pages`), never the file, so the book takes the
same time to build for 100 or 100,000 respondents. No value or id of a respondent is written to
the site, the CSVs or the log (messages name rows and rules, never cell values).

All or nothing, as ``make book``: the book is built in a staging folder and swapped in place of
``_build/replication`` only when it built without a warning. A file that breaks a rule exits with
status 2, one line per broken rule, and builds nothing; the previous replication stays.

    python -m nhsreport.replication.book --data respondents.csv [--min-cell 5]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from .. import paths
from ..data.errors import DataErrors
from ..pipeline.book import BuildFailed, sphinx_problems
from . import aggregate, disclosure, respondents, study
from .book_pages import ALL, CATEGORY, ROOT_VARIABLE

SOURCES = paths.PROJECT_ROOT / "replication"
STYLESHEET = paths.PROJECT_ROOT / "_static" / "nhsreport.css"
BUILD = paths.PROJECT_ROOT / "_build"
#: Organisations whose type the file leaves blank are shown together under this name.
TYPE_NOT_STATED = "type not stated"


# --- the tables -------------------------------------------------------------------------------


def type_of_each_organisation(frame):
    """{organisation: its type}: the first type its rows give (blank: TYPE_NOT_STATED), so that
    every organisation sits in exactly one type, as nested protection needs."""
    kinds = frame["organisation_type"].fillna("").astype(str).replace("", TYPE_NOT_STATED)
    return kinds.groupby(frame["organisation"], sort=True).first().to_dict()


def with_denominators(whole, protected, min_cell):
    """The whole sample's protected tables with ``n``, each row's total (organisation and group):
    the denominator of its shares. A group's total is its cell of ``sample``, so it is emptied
    where that cell is suppressed (disclosure control protected the two together); the whole
    sample's total is published."""
    sample = protected["sample"].set_index(["organisation", "cohort"])["suppressed"]
    out = {}
    for name, table in protected.items():
        if "count" not in table:
            out[name] = table  # tenure has its own n
            continue
        keys = [column for column in table if column not in {CATEGORY[name], "count", "suppressed"}]
        totals = whole[name].groupby(keys, observed=True)["count"].sum().rename("n").reset_index()
        if "cohort" in keys:
            hidden = sample.reindex(pd.MultiIndex.from_frame(totals[["organisation", "cohort"]].astype(str)))
            totals["n"] = totals["n"].where(~hidden.to_numpy(dtype=bool))
        totals["n"] = totals["n"].where(~((totals["n"] > 0) & (totals["n"] < min_cell)))
        totals["n"] = totals["n"].astype("Int64")
        out[name] = table.merge(totals, on=keys, how="left")
    return out


def protected_levels(frame, min_cell):
    """{level: {table: protected DataFrame}} for the whole sample, by organisation type and by
    organisation, protected together (coarsest first, by
    :func:`nhsreport.replication.disclosure.protect_levels`) so that no suppressed cell can be
    recovered by setting one level beside another; and the whole sample's tables before
    protection (for the denominators)."""
    kinds = type_of_each_organisation(frame)
    whole = aggregate.aggregate(frame.assign(organisation=ALL))
    levels = {
        "all": whole,
        "types": aggregate.aggregate(frame.assign(organisation=frame["organisation"].map(kinds))),
        "yours": aggregate.aggregate(frame),
    }
    parents = {
        "types": {kind: {"all": ALL} for kind in set(kinds.values())},
        "yours": {organisation: {"all": ALL, "types": kind} for organisation, kind in kinds.items()},
    }
    protected = disclosure.protect_levels(levels, parents, min_cell=min_cell)
    refuse_unaudited(protected)
    return protected, whole


class NotAudited(Exception):
    """Some suppressed cells could not be put through the interval attack: nothing is published."""


def refuse_unaudited(protected):
    """Publish only tables whose every suppressed cell the interval attack has checked."""
    unaudited = max(t.attrs.get("unaudited", 0) for tables in protected.values() for t in tables.values())
    if unaudited:
        raise NotAudited(
            f"{unaudited} suppressed cells are linked in groups larger than the interval attack can check "
            f"({disclosure.AUDITED_CELLS} cells), so the tables cannot be shown to be safe to share: "
            "raise MIN_CELL, or build the replication for fewer organisations at a time"
        )


def write_tables(tables, folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        disclosure.write_table(table, folder / f"{name}.csv")


def summary(frame, levels, min_cell):
    """What the index page says about the sample: sizes only."""
    return {
        "respondents": int(len(frame)),
        "organisations": int(frame["organisation"].nunique()),
        "organisation_types": int(levels["types"]["sample"]["organisation"].nunique()),
        "min_cell": int(min_cell),
        "largest_suppressed": int(min_cell) - 1,
    }


LEVEL_NAMES = {"yours": "by organisation", "types": "by organisation type", "all": "whole sample"}


def suppression_frame(levels):
    """What :func:`nhsreport.replication.disclosure.suppression_report` says for each level."""
    reports = [
        disclosure.suppression_report(levels[level]).assign(level=name) for level, name in LEVEL_NAMES.items()
    ]
    return pd.concat(reports, ignore_index=True)


# --- the book ----------------------------------------------------------------------------------


def stage_sources(frame, min_cell, staging):
    """The book's sources and the protected tables it reads, in ``staging/source``; return the
    by-organisation tables."""
    source = staging / "source"
    shutil.copytree(SOURCES, source)
    (source / "_static").mkdir(exist_ok=True)
    shutil.copy2(STYLESHEET, source / "_static" / STYLESHEET.name)
    levels, whole = protected_levels(frame, min_cell)
    data = source / "data"
    write_tables(levels["yours"], data / "yours")
    write_tables(levels["types"], data / "types")
    write_tables(with_denominators(whole, levels["all"], min_cell), data / "all")
    (data / "study").mkdir()
    for name, table in study.study_tables().items():
        table.to_csv(data / "study" / f"{name}.csv", index=False, lineterminator="\n")
    facts = summary(frame, levels, min_cell)
    (data / "summary.json").write_text(json.dumps(facts, indent=1), encoding="utf-8")
    (data / "methods.md").write_text(disclosure.methods(min_cell), encoding="utf-8")
    suppression_frame(levels).to_csv(data / "suppression.csv", index=False, lineterminator="\n")
    return levels["yours"]


def run_jupyter_book(source, output, verbose=False):
    """``jupyter-book build`` of the staged sources, every warning an error; return the HTML."""
    command = [
        sys.executable,
        "-c",
        "from jupyter_book.cli.main import main; main()",
        "build",
        str(source),
        "--path-output",
        str(output),
        "--warningiserror",
        "--keep-going",
    ]
    environment = {**os.environ, ROOT_VARIABLE: str(source)}
    result = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=source)
    if verbose:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise BuildFailed(sphinx_problems(result.stdout + result.stderr))
    return output / "_build" / "html"


def publish(incoming, site):
    """Swap the staged replication in place of the old one (the old one stays until then)."""
    outgoing = site.with_name(site.name + ".outgoing")
    shutil.rmtree(outgoing, ignore_errors=True)
    if site.exists():
        site.rename(outgoing)
    incoming.rename(site)
    shutil.rmtree(outgoing, ignore_errors=True)


def build(data, min_cell=respondents.DEFAULT_MIN_CELL, build_dir=None, verbose=False):
    """Validate, aggregate, protect, build; publish ``build_dir/replication`` on success only."""
    frame = respondents.read_respondents(data, min_cell=min_cell)
    site = Path(build_dir or BUILD) / "replication"
    staging = site.with_name("replication.staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        by_organisation = stage_sources(frame, min_cell, staging)
        del frame  # nothing below sees a respondent
        html = run_jupyter_book(staging / "source", staging / "output", verbose)
        incoming = staging / "replication"
        shutil.copytree(html, incoming / "html")
        write_tables(by_organisation, incoming / "tables")
        publish(incoming, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return site


def main(arguments=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("DATA"), help="the respondent file (CSV)")
    parser.add_argument(
        "--min-cell", type=int, default=os.environ.get("MIN_CELL") or str(respondents.DEFAULT_MIN_CELL)
    )
    parser.add_argument("--verbose", action="store_true", help="show Jupyter Book's output")
    options = parser.parse_args(arguments)
    unchanged = "Nothing was built: the previous replication in _build/replication is unchanged."
    if not options.data:
        parser.error("name the respondent file: make replication DATA=path/to/respondents.csv")
    if options.min_cell < 1:
        parser.error("MIN_CELL must be a whole number of at least 1")
    try:
        site = build(options.data, options.min_cell, verbose=options.verbose)
    except DataErrors as error:
        print(f"{error}\n{unchanged}", file=sys.stderr)
        raise SystemExit(2) from None
    except NotAudited as error:
        print(f"{error}.\n{unchanged}", file=sys.stderr)
        raise SystemExit(2) from None
    except BuildFailed as error:
        print(f"The replication book warned or failed:\n{error}\n{unchanged}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"built {site / 'html' / 'index.html'} and {site / 'tables'}/", flush=True)


if __name__ == "__main__":
    main()
