"""Regenerated versus published: printed totals, cross-table rules and prose claims, checked by code.

Every function takes the validated :class:`~nhsreport.data.load.Dataset` (``chapter.data``) and returns
a pandas DataFrame in a stable order, so the appendix that shows them is byte-for-byte reproducible.

Verdicts on the claims of ``claims.csv`` (see :func:`judge` for the rules):

* ``agrees`` -- the value computed from the transcribed cells equals the printed number, or an
  inequality ('over 90 per cent', 'up to ...') holds;
* ``agrees after rounding`` -- the computed value rounds to the printed number at the printed
  precision (half-to-even; for percentages half-up is accepted too), or, for an approximate claim
  ('around', 'about'), lies within :data:`APPROXIMATE_TOLERANCE` of it;
* ``contradicts`` -- none of the above;
* ``contradicts on this report's proxy`` -- none of the above, for a claim the register marks as
  checked against this report's nearest count (``check_basis`` = ``proxy``), not the thing the
  prose counts: a hedged contradiction;
* ``cannot be checked`` -- the register gives no check expression (no printed table holds the
  value, or the figures that would hold it were never printed), or the claim is vague and carries
  no direction that could be tested.
"""

import math
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ..data.codes import cohort_codes, trust_codes
from ..data.expressions import evaluate as evaluate_expression
from ..data.study_rules import cross_table_rules
from ..data.totals import EXACT_TOLERANCE, agrees, table_order
from ..environment import installed_version, pinned_requirements, python_version
from ..hashing import sha256_of
from ..presentation import style
from ..presentation.formatting import format_number
from ..presentation.style import UNCERTAIN

AGREES, ROUNDED, CONTRADICTS, PROXY_CONTRADICTS, UNCHECKABLE = (
    "agrees",
    "agrees after rounding",
    "contradicts",
    "contradicts on this report's proxy",
    "cannot be checked",
)
VERDICTS = (AGREES, ROUNDED, CONTRADICTS, PROXY_CONTRADICTS, UNCHECKABLE)
#: The register's mark (column check_basis) for a claim checked against this report's nearest
#: count rather than the thing the prose counts: a difference is then hedged, never flat.
PROXY = "proxy"
QUALIFIERS = ("exact", "approximate", "lower_bound", "upper_bound", "vague")
QUALIFIER_LABELS = {
    "exact": "Exact",
    "approximate": "Approximate",
    "lower_bound": "Lower bound",
    "upper_bound": "Upper bound",
    "vague": "Vague",
}
#: An approximate claim ('around £270 million') agrees if the computed value is within this
#: fraction of the printed one (10 per cent, relative).
APPROXIMATE_TOLERANCE = 0.10
#: Vague quantifiers whose direction can be tested when a claim has a check expression giving a
#: share between 0 and 1: (word in the printed text, comparison, threshold). First match wins.
VAGUE_DIRECTIONS = (("minority", "<", 0.5), ("majority", ">", 0.5), ("most", ">", 0.5))
VERDICT_COLOURS = {
    AGREES: style.VERDICT_COLOURS[AGREES],
    ROUNDED: style.VERDICT_COLOURS[ROUNDED],
    CONTRADICTS: style.VERDICT_COLOURS[CONTRADICTS],
    PROXY_CONTRADICTS: style.VERDICT_COLOURS[PROXY_CONTRADICTS],
    UNCHECKABLE: UNCERTAIN,
}


# --- printed totals and cross-table rules --------------------------------------------------------


def totals_summary(checks):
    """Per printed table: totals checked, how many agree, how many the source itself gets wrong."""
    rows = []
    for locator in sorted(checks["locator"].unique(), key=table_order):
        subset = checks[checks["locator"] == locator]
        pages = sorted(set(int(p) for p in subset["page"].dropna()))
        rows.append(
            {
                "Table": locator,
                "Pages": ", ".join(str(p) for p in pages),
                "Totals checked": len(subset),
                "Agree": int(subset["agrees"].sum()),
                "Flagged source discrepancies": int(subset["source_discrepancy"].sum()),
            }
        )
    return pd.DataFrame(rows)


def totals_register(checks):
    """Every printed total beside its recomputed sum, with the expression that sums the cells: a
    download, not a page table, so no check expression reaches the page or its search index."""
    return pd.DataFrame(
        {
            "Table": checks["locator"],
            "Page": checks["page"].astype("Int64").astype(str),
            "Printed total": [format_number(v) for v in checks["printed_total"]],
            "Recomputed": [format_number(v) for v in checks["recomputed"]],
            "Agrees": ["yes" if a else "no" for a in checks["agrees"]],
            "Flagged in source": ["yes" if f else "no" for f in checks["source_discrepancy"]],
            "Expression": list(checks["expression"]),
        }
    )


def cross_table_checks(data):
    """Each rule tying two files together (nhsreport.data.study_rules.cross_table_rules), evaluated."""
    rows = []
    for description, left, right in cross_table_rules(trust_codes(data), cohort_codes(data)):
        lhs, rhs = data.evaluate(left), data.evaluate(right)
        rows.append(
            {
                "Rule": description,
                "Left": format_number(lhs),
                "Right": format_number(rhs),
                "Holds": "yes" if agrees(lhs, rhs) else "no",
            }
        )
    return pd.DataFrame(rows)


# --- claims -------------------------------------------------------------------------------------


def decimals_of(value):
    """Decimal places of a printed number (62 -> 0, 0.3333 -> 4, 2.7 -> 1)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -exponent)


def rounds_to(computed, printed, half_up=False):
    """Whether ``computed`` rounds to ``printed`` at the printed number of decimals."""
    step = Decimal(1).scaleb(-decimals_of(printed))
    target = Decimal(repr(float(printed))).quantize(step)
    value = Decimal(repr(float(computed)))
    modes = (ROUND_HALF_EVEN, ROUND_HALF_UP) if half_up else (ROUND_HALF_EVEN,)
    return any(value.quantize(step, rounding=mode) == target for mode in modes)


def vague_direction(printed_text):
    """(comparison, threshold) implied by a vague quantifier, or None if it implies none."""
    text = str(printed_text).lower()
    for word, comparison, threshold in VAGUE_DIRECTIONS:
        if re.search(rf"\b{word}\b", text):
            return comparison, threshold
    return None


def judge(qualifier, unit, printed_value, computed, printed_text=""):
    """Verdict and the rule that gave it, for one claim whose expression evaluated to ``computed``.

    ``printed_value`` may be None/NaN (a vague quantifier carries no number).
    """
    has_number = printed_value is not None and not pd.isna(printed_value)
    if qualifier == "vague":
        direction = vague_direction(printed_text)
        if has_number or direction is None or unit != "fraction":
            return UNCHECKABLE, "vague quantifier: no direction that code can test"
        comparison, threshold = direction
        holds = computed > threshold if comparison == ">" else computed < threshold
        rule = f"vague quantifier read as share {comparison} {threshold:g}"
        return (AGREES if holds else CONTRADICTS), rule
    if not has_number:
        return UNCHECKABLE, "no number printed"
    if qualifier == "lower_bound":
        return (
            AGREES if computed >= printed_value - EXACT_TOLERANCE else CONTRADICTS,
            "lower bound: agrees if computed ≥ printed",
        )
    if qualifier == "upper_bound":
        return (
            AGREES if computed <= printed_value + EXACT_TOLERANCE else CONTRADICTS,
            "upper bound: agrees if computed ≤ printed",
        )
    if agrees(computed, printed_value):
        return AGREES, "equal"
    if qualifier == "approximate":
        within = abs(computed - printed_value) <= APPROXIMATE_TOLERANCE * abs(printed_value)
        return (
            (ROUNDED if within else CONTRADICTS),
            f"approximate: agrees if within ±{100 * APPROXIMATE_TOLERANCE:g} % of printed",
        )
    half_up = unit == "percent"
    if rounds_to(computed, printed_value, half_up=half_up):
        places = decimals_of(printed_value)
        return ROUNDED, (
            f"rounds to the printed value at {places} decimal place(s)"
            + (" (half-up accepted for percentages)" if half_up else "")
        )
    return CONTRADICTS, "neither equal nor equal after rounding"


def unchecked_reason(claim):
    """Why a claim without a check expression cannot be checked."""
    note = str(claim["check_note"] or "").lower()
    if "never printed" in note:
        return "depends on figures the book never printed"
    if pd.isna(claim["printed_value"]):
        return "vague quantifier with no number"
    return "no transcribed table holds the value"


def computed_from(data, expression):
    """Where a computed value comes from: the printed locators and pages of the rows it used,
    e.g. ``["Table 3.2 (p. 35)", "Table 5.1 (pp. 84, 85)"]``."""
    used = evaluate_expression(expression, data.raw, data.typed).rows
    grouped = {}
    for resource, rows in used.items():
        frame = data[resource]
        for row in rows:
            record = frame.iloc[row - 1]
            page = record.get("page")
            pages = grouped.setdefault(str(record.get("locator", resource)), set())
            if page is not None and not pd.isna(page):
                pages.add(int(page))
    places = []
    for locator in sorted(grouped, key=table_order):
        pages = sorted(grouped[locator])
        if pages:
            prefix = "p. " if len(pages) == 1 else "pp. "
            places.append(f"{locator} ({prefix}{', '.join(map(str, pages))})")
        else:
            places.append(locator)
    return places


def hedged(verdict, rule, basis):
    """A contradiction found on this report's proxy is reported as such, never as a flat one."""
    if basis == PROXY and verdict == CONTRADICTS:
        return PROXY_CONTRADICTS, f"on this report's proxy: {rule}"
    return verdict, rule


def claim_verdicts(data):
    """One row per claim of claims.csv, in register order, with its verdict.

    Columns: claim_id, page, printed (the words as printed), printed_value, qualifier, unit,
    refers_to, computed (NaN when nothing could be computed), verdict, rule, computed_from,
    check_note, check_expression, check_basis.
    """
    claims = data["claims"]
    rows = []
    for claim in claims.to_dict("records"):
        expression = claim["check_expression"]
        computed, where = float("nan"), ""
        if isinstance(expression, str) and expression.strip():
            computed = data.evaluate(expression)
            where = "; ".join(computed_from(data, expression))
            verdict, rule = judge(
                claim["qualifier"], claim["unit"], claim["printed_value"], computed, claim["printed"]
            )
            verdict, rule = hedged(verdict, rule, claim.get("check_basis"))
        else:
            verdict, rule = UNCHECKABLE, unchecked_reason(claim)
        rows.append(
            {
                "claim_id": claim["claim_id"],
                "page": claim["page"],
                "printed": claim["printed"],
                "printed_value": claim["printed_value"],
                "qualifier": claim["qualifier"],
                "unit": claim["unit"],
                "refers_to": claim["refers_to"],
                "computed": computed,
                "verdict": verdict,
                "rule": rule,
                "computed_from": where,
                "check_note": claim["check_note"] if isinstance(claim["check_note"], str) else "",
                "check_expression": expression if isinstance(expression, str) else "",
                "check_basis": claim.get("check_basis") if isinstance(claim.get("check_basis"), str) else "",
            }
        )
    frame = pd.DataFrame(rows)
    frame["page"] = frame["page"].astype("Int64")
    return frame


def verdict_counts(verdicts):
    """Claims per verdict and qualifier, every verdict and qualifier present (zeros included)."""
    counts = pd.crosstab(verdicts["verdict"], verdicts["qualifier"])
    return counts.reindex(index=list(VERDICTS), columns=list(QUALIFIERS), fill_value=0).astype(int)


def verdict_summary(verdicts):
    """Display table: verdict x qualifier counts with totals."""
    counts = verdict_counts(verdicts)
    counts["Total"] = counts.sum(axis=1)
    counts.loc["Total"] = counts.sum(axis=0)
    out = counts.rename(columns=QUALIFIER_LABELS)
    out.index.name = "Verdict"
    out.columns.name = None
    return out.reset_index()


def unchecked_reasons(verdicts):
    """Claims that cannot be checked, by reason."""
    subset = verdicts[verdicts["verdict"] == UNCHECKABLE]
    counts = subset.groupby("rule", sort=True).size().sort_values(ascending=False, kind="stable")
    return pd.DataFrame({"Reason": counts.index, "Claims": [int(n) for n in counts]})


# --- contradictions -----------------------------------------------------------------------------

#: How a qualified number is shown: ≈ about, ≥ over / at least, ≤ up to / under.
QUALIFIER_WORDS = {"exact": "", "approximate": "≈ ", "lower_bound": "≥ ", "upper_bound": "≤ ", "vague": ""}


def printed_with_qualifier(claim):
    return QUALIFIER_WORDS.get(claim["qualifier"], "") + format_number(claim["printed_value"], claim["unit"])


def meaning(claim):
    """A neutral one-line sentence on what a contradiction means for a reader."""
    text_page = "unnumbered front matter" if pd.isna(claim["page"]) else f"p. {int(claim['page'])}"
    tables = " with ".join(claim["computed_from"].split("; "))
    if claim["verdict"] == PROXY_CONTRADICTS:
        return (
            f"No table of the book counts {claim['refers_to']}; the nearest count this report derives "
            f"from {tables} differs from the prose ({text_page}), so the disagreement holds on that "
            f"proxy only."
        )
    return (
        f"The prose ({text_page}) and the cells of {tables} give different values for "
        f"{claim['refers_to']}; the book does not reconcile them, so a reader citing the "
        f"figure should give both."
    )


CONTRADICTING = (CONTRADICTS, PROXY_CONTRADICTS)


def contradictions(verdicts):
    """Each contradicted claim, outright ones first, then those contradicted on this report's
    proxy: printed value and page beside the computed value and its source (no register ids)."""
    subset = verdicts[verdicts["verdict"].isin(CONTRADICTING)]
    order = subset["verdict"].map({v: i for i, v in enumerate(CONTRADICTING)})
    subset = subset.assign(_order=order).sort_values("_order", kind="stable")
    return pd.DataFrame(
        {
            "About": subset["refers_to"],
            "Prose says": [printed_with_qualifier(c) for c in subset.to_dict("records")],
            "Prose page": ["" if pd.isna(p) else f"p. {int(p)}" for p in subset["page"]],
            "Table cells give": [format_number(v, u) for v, u in zip(subset["computed"], subset["unit"])],
            "Table and page": subset["computed_from"],
            "What it means": [meaning(c) for c in subset.to_dict("records")],
        }
    ).reset_index(drop=True)


def topics(verdicts, verdict):
    """What the claims with one verdict are about, in words ('the share of ...' for percentages)."""
    subset = verdicts[verdicts["verdict"] == verdict]
    words = [
        ("the share of " if unit == "percent" else "the ") + str(about)
        for about, unit in zip(subset["refers_to"], subset["unit"])
    ]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def claims_register(verdicts):
    """Every claim of the register with its id, check and verdict: a download, linked from the
    appendix, for readers who want to trace a verdict to the data package."""
    return pd.DataFrame(
        {
            "Claim id": verdicts["claim_id"],
            "Page": ["" if pd.isna(p) else str(int(p)) for p in verdicts["page"]],
            "As printed": verdicts["printed"],
            "About": verdicts["refers_to"],
            "Qualifier": verdicts["qualifier"].map(QUALIFIER_LABELS),
            "Printed value": [
                format_number(v, u) for v, u in zip(verdicts["printed_value"], verdicts["unit"])
            ],
            "Check expression": verdicts["check_expression"],
            "Checked against": verdicts["check_basis"].map(
                lambda b: "this report's proxy" if b == PROXY else "the tables"
            ),
            "Computed": [
                "" if pd.isna(v) else (f"{v:.2f} %" if u == "percent" else format_number(v, u))
                for v, u in zip(verdicts["computed"], verdicts["unit"])
            ],
            "Verdict": verdicts["verdict"],
            "Rule or reason": verdicts["rule"],
        }
    ).reset_index(drop=True)


# --- figure -------------------------------------------------------------------------------------

WAFFLE_COLUMNS = 30


def verdict_values(verdicts):
    """The tidy table the verdicts figure is drawn from: claims of each qualifier and verdict,
    one row per pair (zeros included), in drawing order."""
    counts = verdict_counts(verdicts)
    return pd.DataFrame(
        [
            {"qualifier": QUALIFIER_LABELS[q], "verdict": v, "claims": int(counts.loc[v, q])}
            for q in QUALIFIERS
            for v in VERDICTS
        ]
    )


def plot_verdicts(values):
    """Waffle chart from :func:`verdict_values`: one square per claim, a block per qualifier,
    squares coloured by verdict.

    Squares rather than bars, so that a verdict given to one or two claims stays visible beside
    the hundreds that cannot be checked.
    """
    counts = values.pivot(index="verdict", columns="qualifier", values="claims")
    qualifiers = [q for q in dict.fromkeys(values["qualifier"]) if counts[q].sum() > 0]
    block_rows = [math.ceil(int(counts[q].sum()) / WAFFLE_COLUMNS) for q in qualifiers]
    height = sum(block_rows) + 1.0 * (len(qualifiers) - 1)
    fig, ax = plt.subplots(figsize=(7.2, 0.8 + 0.2 * height))
    top = 0.0
    for qualifier, n_rows in zip(qualifiers, block_rows):
        colours = [VERDICT_COLOURS[v] for v in VERDICTS for _ in range(int(counts.loc[v, qualifier]))]
        for index, colour in enumerate(colours):
            row, column = divmod(index, WAFFLE_COLUMNS)
            ax.add_patch(
                plt.Rectangle((column, -(top + row) - 0.85), 0.85, 0.85, facecolor=colour, edgecolor="none")
            )
        ax.text(
            -0.8,
            -top - 0.45,
            f"{qualifier} ({len(colours)})",
            ha="right",
            va="center",
            fontsize=9,
        )
        top += n_rows + 1.0
    totals = counts.sum(axis=1)
    verdicts = list(dict.fromkeys(values["verdict"]))
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=VERDICT_COLOURS[v]) for v in verdicts]
    ax.legend(
        handles,
        [f"{v.capitalize()} ({int(totals[v])})" for v in verdicts],
        ncol=2,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        frameon=False,
        fontsize=8,
    )
    ax.set_xlim(-0.2, WAFFLE_COLUMNS)
    ax.set_ylim(-height - 0.1, 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(
        "Claims in the book's prose, one square each, by qualifier and verdict",
        fontsize=10,
        loc="left",
        x=-0.3,
    )
    return fig


# --- the book against itself --------------------------------------------------------------------

#: Places where the book gives two values for one thing and no table can settle which is right:
#: (claim, the other claim, our note). Chosen by reading the check notes of claims.csv; the values
#: themselves are read from the data. A disagreement with a table is a verdict instead (above).
PROSE_TENSIONS = (("c1-052", "c1-063", "the two passages date the change of government a year apart"),)


def prose_tensions(data):
    """The book against itself: each pair of values from :data:`PROSE_TENSIONS` side by side."""
    claims = data["claims"].set_index("claim_id")
    rows = []
    for first, other, note in PROSE_TENSIONS:
        claim, second = claims.loc[first], claims.loc[other]
        rows.append(
            {
                "About": claim["refers_to"],
                "One passage": f"{format_number(claim['printed_value'], claim['unit'])} (p. {int(claim['page'])})",
                "Elsewhere": f"{format_number(second['printed_value'], second['unit'])} (p. {int(second['page'])})",
                "Note": note,
            }
        )
    return pd.DataFrame(rows)


# --- readings of ambiguous sources --------------------------------------------------------------


def readings_summary(table52=None, allocations=None, inconsistencies=None):
    """One row per ambiguous source: how many readings fit, and how much they pin down.

    Each argument is the result of the module that enumerates the readings, or None when that
    module is not available (the row then says so rather than guessing)."""
    rows = []
    if table52 is not None:
        cells = table52.cells
        rows.append(
            {
                "Source": "Table 5.2 (p. 86): non-clinical qualifications, blank cells lost",
                "Readings that fit what the book prints": f"{table52.count:,}",
                "What is determined": f"{int(cells['certain'].sum())} of {len(cells)} cells "
                f"fixed in every reading"
                + (
                    " (placement rule relaxed: the strict rule admits none)"
                    if table52.strict_count == 0
                    else ""
                ),
            }
        )
    if allocations is not None:
        bounds = allocations.cell_bounds
        fixed = (
            int((bounds["low"] == bounds["high"]).sum()) if {"low", "high"} <= set(bounds.columns) else None
        )
        rows.append(
            {
                "Source": "Figures 3.2 and 3.3 (p. 38): training levels, values never printed",
                "Readings that fit what the book prints": f"{allocations.count_pairs:,}",
                "What is determined": (
                    f"{fixed} of {len(bounds)} cells fixed in every allocation"
                    if fixed is not None
                    else f"bounds on {len(bounds)} cells"
                ),
            }
        )
    if inconsistencies is not None:
        kinds = inconsistencies.groupby("kind", sort=True).size()
        determined = "; ".join(f"{kind}: {n}" for kind, n in kinds.items())
        rows.append(
            {
                "Source": "Interviewee attributions (chapters 3 to 7): register of labels",
                "Readings that fit what the book prints": "not applicable",
                "What is determined": determined[:1].upper() + determined[1:],
            }
        )
    return pd.DataFrame(
        rows, columns=["Source", "Readings that fit what the book prints", "What is determined"]
    )


# --- how this book was made: data files, packages, outputs ------------------------------------


def data_files_register(data):
    """One row per data file: its name, rows and the sha256 recorded in datapackage.json, checked
    against the bytes (a download). Reads every resource through the validated dataset, so the
    notebook that shows it is re-executed whenever any data file changes."""
    rows = []
    for resource in sorted(data.package["resources"], key=lambda r: r["path"]):
        recorded = resource["hash"].split(":", 1)[1]
        actual = sha256_of(Path(data.data_dir) / resource["path"])
        rows.append(
            {
                "File": resource["path"],
                "What it holds": resource.get("title", ""),
                "Rows": len(data[resource["name"]]),
                "sha256 (recorded)": recorded,
                "Matches the file": "yes" if actual == recorded else "no",
            }
        )
    return pd.DataFrame(rows)


def data_files_table(register):
    """The data files as a reader sees them: what each holds, its rows, whether its checksum held."""
    return register[["What it holds", "Rows", "Matches the file"]].rename(
        columns={"What it holds": "Data", "Matches the file": "Checksum matches"}
    )


def packages_table(requirements=None):
    """Python and every package pinned in requirements.txt: pinned and installed versions."""
    rows = [
        {
            "Package": "Python",
            "Pinned": "3.11.*",
            "Installed": python_version(),
            "Matches": "yes" if python_version().startswith("3.11.") else "no",
        }
    ]
    for name, pinned in pinned_requirements(requirements):
        installed = installed_version(name)
        rows.append(
            {
                "Package": name,
                "Pinned": pinned,
                "Installed": installed or "not installed",
                "Matches": "yes" if installed == pinned else "no",
            }
        )
    return pd.DataFrame(rows)


def outputs_table(manifest, exclude_notebook=None):
    """Which notebook produced each figure and table of figures/manifest.json, in label order.

    ``exclude_notebook`` leaves out the outputs of the notebook showing the table: they are written
    while it runs, so listing them would make its output differ between a first and a second run.
    """
    rows = [
        {
            "Label": label,
            "Kind": entry.get("kind", ""),
            "Notebook": entry.get("notebook", ""),
            "Data files read": len(entry.get("data", {})),
        }
        for label, entry in sorted(manifest.items())
        if entry.get("notebook") != exclude_notebook
    ]
    return pd.DataFrame(rows, columns=["Label", "Kind", "Notebook", "Data files read"])
