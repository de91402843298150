"""What a page of the replication book shows: your managers' shares beside the study's.

The replication book's notebooks call these functions and read nothing but the aggregated,
protected tables that :mod:`nhsreport.replication.book` wrote into the book's ``data/`` folder
(never the respondent file):

* ``data/yours/<table>.csv``: by organisation, protected (the same as ``_build/replication/tables``);
* ``data/types/<table>.csv``: by organisation type, protected;
* ``data/all/<table>.csv``: the whole sample, protected, with ``n``, the row's total (the
  denominator of a share; empty when it is below the threshold);
* ``data/study/<table>.csv``: the study's published values
  (:func:`nhsreport.replication.study.study_tables`).

Tables are numbered MyST tables from the report's safe writer
(:func:`nhsreport.presentation.tables.markdown_table_block`), figures take the report's style and
palettes (:mod:`nhsreport.presentation.style`) and are saved by
:func:`nhsreport.presentation.figure_files.figure_files`.
"""

import json
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display
from myst_nb import glue

from ..presentation import style
from ..presentation.chapter import draw_text_as_typed
from ..presentation.figure_files import SUFFIXES, GluedSvg, figure_files
from ..presentation.tables import markdown_table_block, plain_frame

#: The environment variable naming the book's source folder (its data/ and figures/).
ROOT_VARIABLE = "NHSREPORT_REPLICATION_ROOT"
CONFIDENCE = 0.95
#: How a suppressed value is shown (the ONS convention for "confidential").
SUPPRESSED = "[c]"
ALL = "All organisations"
#: What the study's tables call the whole study (:data:`nhsreport.replication.study.ALL`).
STUDY_ALL = "all"
#: Above this many organisations the pages show organisation types; the rest are downloads.
MANY_ORGANISATIONS = 10

#: The category each table counts (the rest of its columns say whose counts they are).
CATEGORY = {
    "sample": "cohort",
    "sex": "sex",
    "age": "age_band",
    "tenure": "measure",
    "training": "training_level",
    "clinical_backgrounds": "clinical_background",
}
COLUMN_NAMES = {
    "organisation": "Organisation",
    "cohort": "Group",
    "sex": "Sex",
    "age_band": "Age band",
    "training_level": "Training",
    "clinical_background": "Clinical background",
    "measure": "Time",
}
CODE_LABELS = {
    "clinical": "Clinical",
    "functional": "Functional",
    "general": "General",
    "female": "Female",
    "male": "Male",
    "other": "Other",
    "not_stated": "Not stated",
    "minimal": "Minimal",
    "some": "Some",
    "substantial": "Substantial",
    "doctor": "Doctor",
    "nurse": "Nurse",
    "scientist": "Scientist",
    "ahp": "Allied health professional",
    "social_worker": "Social worker",
    "none": "None",
    "acute": "Acute",
    "care": "Care",
    "specialist": "Specialist",
    "primary_care": "Primary care",
    "in_post": "In post",
    "in_organisation": "In the organisation",
    "in_nhs": "In the NHS",
    "outside_nhs": "Outside the NHS",
}


def label(code):
    return CODE_LABELS.get(code, code)


def root():
    return Path(os.environ.get(ROOT_VARIABLE, Path.cwd().parent))


def read(folder, table):
    """One aggregated table; text stays text (an organisation called "NA" is not missing)."""
    path = root() / "data" / folder / f"{table}.csv"
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"organisation": str})
    if "suppressed" in frame:
        frame["suppressed"] = frame["suppressed"].astype(str).str.lower().eq("true")
    return frame


def summary():
    """The book's facts about the sample, written by the builder (counts, never respondents)."""
    return json.loads((root() / "data" / "summary.json").read_text(encoding="utf-8"))


def wilson(count, n):
    """The 95% Wilson score interval of count/n (scipy), as (low, high) proportions."""
    # Imported here: scipy.stats is most of this module's import, and the pages without
    # intervals (the index, methods, tenure, suppressed cells) each start a kernel of their own.
    from scipy.stats import binomtest

    interval = binomtest(int(count), int(n)).proportion_ci(confidence_level=CONFIDENCE, method="wilson")
    return interval.low, interval.high


def percent_text(value):
    return "" if pd.isna(value) else f"{100 * value:.0f} %"


def interval_text(low, high):
    return "" if pd.isna(low) else f"{100 * low:.0f}–{100 * high:.0f} %"


# --- the study's shares ----------------------------------------------------------------------


def study_shares(table, category, by_cohort):
    """The study's share of each category (or its range where the book leaves counts open), for
    the whole study or, with ``by_cohort``, for each management group."""
    study = read("study", table)
    ranged = {"low", "high"} <= set(study.columns)
    if ranged:  # training: the book's bars by group (its Figure 3.3) bound each group's counts
        study = study[(study["organisation"] == STUDY_ALL) & (study["cohort"] != STUDY_ALL)].copy()
    study["group"] = study["cohort"] if by_cohort else ALL
    values = ["low", "high"] if ranged else ["count"]
    counts = study.groupby(["group", category], sort=False)[values].sum().reset_index()
    sample = read("study", "sample")
    sizes = sample.groupby("cohort")["count"].sum().to_dict() if by_cohort else {ALL: sample["count"].sum()}
    n = counts["group"].map(sizes)
    if ranged:
        counts["study_low"], counts["study_high"] = counts["low"] / n, counts["high"] / n
    else:
        counts["study_low"] = counts["study_high"] = counts["count"] / n
    return counts[["group", category, "study_low", "study_high"]]


# --- your shares -------------------------------------------------------------------------------


def your_shares(table, category, by_cohort):
    """Your whole sample's count and share of each category with its Wilson interval, for the
    whole sample or, with ``by_cohort``, for each group. A share is missing where its count or
    its denominator (the row's total, ``n``) is suppressed."""
    frame = read("all", table)
    frame["group"] = frame["cohort"] if by_cohort else ALL
    shown = ~frame["suppressed"] & frame["n"].notna() & (frame["n"] > 0)
    frame["share"] = (frame["count"] / frame["n"]).where(shown)
    intervals = [
        wilson(k, n) if ok else (float("nan"), float("nan"))
        for k, n, ok in zip(frame["count"], frame["n"], shown)
    ]
    frame["low"] = [low for low, _ in intervals]
    frame["high"] = [high for _, high in intervals]
    return frame[["group", category, "count", "n", "suppressed", "share", "low", "high"]]


def beside(table, category, by_cohort):
    """Your shares beside the study's, and whether the study's lies inside your interval."""
    both = your_shares(table, category, by_cohort).merge(
        study_shares(table, category, by_cohort), on=["group", category], how="left"
    )
    point = both["study_low"] == both["study_high"]
    inside_point = (both["study_low"] >= both["low"]) & (both["study_low"] <= both["high"])
    overlaps = (both["study_high"] >= both["low"]) & (both["study_low"] <= both["high"])
    verdict = pd.Series("", index=both.index)
    known = both["share"].notna() & both["study_low"].notna()
    verdict[known & point] = inside_point[known & point].map({True: "inside", False: "outside"})
    verdict[known & ~point] = overlaps[known & ~point].map({True: "overlaps", False: "no overlap"})
    both["study_in_interval"] = verdict
    return both


def shares_table(both, category, label_, caption):
    """The numbered table of :func:`beside` (its CSV keeps proportions, the page percentages)."""
    study_text = [
        percent_text(low) if low == high else interval_text(low, high)
        for low, high in zip(both["study_low"], both["study_high"])
    ]
    shown = pd.DataFrame(
        {
            "Group": both["group"].map(label),
            COLUMN_NAMES[category]: both[category].map(label),
            "Your count": [SUPPRESSED if s else int(c) for c, s in zip(both["count"], both["suppressed"])],
            "Your share": both["share"].map(percent_text),
            "95% interval": [interval_text(low, high) for low, high in zip(both["low"], both["high"])],
            "Study": study_text,
            "Study in your interval": both["study_in_interval"],
        }
    )
    if shown["Group"].eq(ALL).all():
        shown = shown.drop(columns="Group")
    csv = both.drop(columns="count").assign(count=both["count"].where(~both["suppressed"]))
    save_csv(csv, label_)
    save_csv(csv, label_.replace("tbl-", "fig-", 1))  # the values the figure draws
    note = (
        f"{SUPPRESSED}: suppressed (see *What was suppressed*). Shares are of the group's "
        "respondents; the interval is the 95% Wilson score interval. The study's value is its "
        "share, or its range where the book leaves the counts open."
    )
    display(Markdown(markdown_table_block(shown, label_, caption, note)))


def save_csv(frame, name):
    path = root() / "figures" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    plain_frame(frame).to_csv(path, index=False, lineterminator="\n")


# --- the figure ----------------------------------------------------------------------------------


def shares_figure(both, category, label_):
    """Dot and whisker: your share and its Wilson interval; the study's share as a diamond, or
    its range as a band. Ranges are drawn as ranges, never as bars from zero."""
    style.apply()
    rows = both.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(5.0, 1.0 + 0.3 * len(rows)))
    names = [
        label(value) if group == ALL else f"{label(group)} · {label(value)}"
        for group, value in zip(rows["group"], rows[category])
    ]
    for y, row in rows.iterrows():
        colour = style.COHORT_COLOURS.get(row["group"], style.COHORT_COLOURS.get(row[category], "#333333"))
        if row["study_low"] < row["study_high"]:
            ax.plot(
                [row["study_low"], row["study_high"]],
                [y, y],
                color=style.UNCERTAIN,
                linewidth=7,
                solid_capstyle="butt",
                zorder=1,
                label="Study (range)",
            )
        elif pd.notna(row["study_low"]):
            ax.plot(  # an open diamond, drawn over your dot: where they agree, both show
                row["study_low"],
                y,
                marker="D",
                markerfacecolor="none",
                markeredgecolor="black",
                markeredgewidth=1.3,
                markersize=7,
                linestyle="",
                zorder=4,
                label="Study",
            )
        if pd.notna(row["share"]):
            ax.errorbar(
                row["share"],
                y,
                xerr=[[row["share"] - row["low"]], [row["high"] - row["share"]]],
                fmt="o",
                color=colour,
                capsize=3,
                markersize=5,
                zorder=2,
                label="Yours (95% interval)",
            )
        else:
            ax.text(0.99, y, "suppressed", ha="right", va="center", fontsize=9, color=style.MUTED)
    ax.set_yticks(range(len(rows)), names)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda value, _: f"{100 * value:.0f} %")
    ax.set_xlabel("Share of the group")
    handles, names_ = ax.get_legend_handles_labels()
    unique = dict(zip(names_, handles))
    ax.legend(
        unique.values(),
        unique.keys(),
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=3,
        frameon=False,
        fontsize=9,
    )
    save_figure(fig, label_)


def save_figure(fig, label_):
    """Save under ``figures/`` in every format the report uses and glue it for the page."""
    draw_text_as_typed(fig)
    saved = figure_files(fig)
    folder = root() / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in SUFFIXES:
        (folder / f"{label_}.{suffix}").write_bytes(saved[suffix])
    glue(label_, GluedSvg(saved["svg"], fig), display=False)
    plt.close(fig)


def figure_downloads(label_):
    """The figure's source files, as the report offers them."""
    links = ", ".join(
        f"{{download}}`{name} <../figures/{label_}.{suffix}>`"
        for suffix, name in (("svg", "SVG"), ("png", "PNG"), ("pdf", "PDF"), ("csv", "values (CSV)"))
    )
    display(Markdown(f"Download: {links}"))


# --- the page ------------------------------------------------------------------------------------


def slug(table):
    """A table's name as a label (Sphinx would turn "_" into "-" in the page's ids anyway)."""
    return table.replace("_", "-")


def compare(table, category, by_cohort, caption):
    """A page's comparison: the numbered table, the figure and their downloads."""
    both = beside(table, category, by_cohort)
    shares_table(both, category, f"tbl-{slug(table)}-shares", caption)
    shares_figure(both, category, f"fig-{slug(table)}-shares")


def cell(value, suppressed, kind):
    """A count or mean as the by-organisation tables show it (text, so [c] can stand beside it)."""
    if suppressed:
        return SUPPRESSED
    return f"{value:.1f}" if kind == "mean_years" else str(int(value))


def by_organisation(table, caption):
    """The counts by organisation (or, with many organisations, by organisation type; the
    per-organisation table is then a download)."""
    facts = summary()
    many = facts["organisations"] > MANY_ORGANISATIONS
    frame = read("types" if many else "yours", table)
    if many:
        frame = frame.rename(columns={"organisation": "organisation_type"})
    value = "count" if "count" in frame else "mean_years"
    keys = [c for c in frame.columns if c not in {value, "suppressed", "n"}]
    categories = keys[-1]
    shown = frame.assign(**{value: [cell(v, s, value) for v, s in zip(frame[value], frame["suppressed"])]})
    wide = shown.pivot(index=keys[:-1], columns=categories, values=value)
    wide = wide[[c for c in frame[categories].drop_duplicates()]]
    wide.columns = [label(c) for c in wide.columns]
    wide = wide.reset_index()
    for key in keys[:-1]:
        wide[key] = wide[key].map(label)
    wide = wide.rename(columns={**COLUMN_NAMES, "organisation_type": "Organisation type"})
    name = f"tbl-{slug(table)}-{'types' if many else 'organisations'}"
    note = f"{SUPPRESSED}: suppressed (see *What was suppressed*)."
    if many:
        note += (
            f" With {facts['organisations']} organisations the table by organisation is a "
            f"download only: {{download}}`{table}.csv <../data/yours/{table}.csv>`."
        )
    save_csv(wide, name)
    display(Markdown(markdown_table_block(wide, name, caption, note)))


# --- time in post, organisation and the NHS ----------------------------------------------------


def tenure_beside():
    """Your whole sample's mean years of each kind beside the study's means by trust (the study
    prints means by trust only, not how many answered, so it has no mean for the whole study)."""
    yours = read("all", "tenure")
    study = read("study", "tenure")
    wide = study.pivot_table(index="measure", columns="organisation", values="mean_years", sort=False)
    return yours.merge(wide.reset_index(), on="measure", how="left"), list(wide.columns)


def compare_tenure(caption):
    both, trusts = tenure_beside()
    shown = pd.DataFrame(
        {
            "Time": both["measure"].map(label),
            "Your mean (years)": [
                SUPPRESSED if s else f"{v:.1f}" for v, s in zip(both["mean_years"], both["suppressed"])
            ],
            "Respondents with a value": [SUPPRESSED if pd.isna(n) else int(n) for n in both["n"]],
            **{f"Study: {label(t)}": both[t].map(lambda v: "" if pd.isna(v) else f"{v:.1f}") for t in trusts},
        }
    )
    save_csv(both, "tbl-tenure-shares")
    save_csv(both, "fig-tenure-shares")
    note = f"{SUPPRESSED}: suppressed (a mean over fewer respondents than the threshold)."
    display(Markdown(markdown_table_block(shown, "tbl-tenure-shares", caption, note)))
    tenure_figure(both, trusts)


def tenure_figure(both, trusts):
    """Your mean years (black dot) and the study's trusts' means (coloured marks), per measure."""
    style.apply()
    rows = both.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(5.0, 1.0 + 0.45 * len(rows)))
    markers = ("s", "^", "v", "P", "X")
    for y, row in rows.iterrows():
        for index, trust in enumerate(trusts):
            if pd.notna(row[trust]):
                colour = style.TRUST_COLOURS.get(str(trust).lower(), style.MUTED)
                ax.plot(
                    row[trust],
                    y,
                    marker=markers[index % len(markers)],
                    color=colour,
                    linestyle="",
                    markersize=6,
                    label=f"Study: {label(trust)}",
                )
        if not row["suppressed"] and pd.notna(row["mean_years"]):
            ax.plot(
                row["mean_years"], y, marker="o", color="black", linestyle="", markersize=6, label="Yours"
            )
        else:
            ax.text(0.2, y, "suppressed", va="center", fontsize=9, color=style.MUTED)
    ax.set_yticks(range(len(rows)), [label(m) for m in rows["measure"]])
    ax.set_xlim(left=0)
    ax.set_xlabel("Mean years")
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles))
    ax.legend(
        unique.values(),
        unique.keys(),
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=4,
        frameon=False,
        fontsize=9,
    )
    save_figure(fig, "fig-tenure-shares")


# --- how these were made ------------------------------------------------------------------------


def methods():
    """The disclosure rules applied, as :data:`nhsreport.replication.disclosure.METHODS` states
    them (text written by the project's code, not by data)."""
    display(Markdown((root() / "data" / "methods.md").read_text(encoding="utf-8")))


TABLE_TITLES = {
    "sample": "Sample",
    "sex": "Sex",
    "age": "Age",
    "tenure": "Time in post, organisation and NHS",
    "training": "Training",
    "clinical_backgrounds": "Clinical backgrounds",
}


def suppressed(caption):
    """What was suppressed and why, counts only: each rule's reason, then the cells each rule
    suppressed in each table, at each level (by organisation, by type, whole sample)."""
    report = pd.read_csv(root() / "data" / "suppression.csv", keep_default_na=False)
    reasons = report.drop_duplicates("rule")
    display(
        Markdown(
            "\n".join(
                f"- **{rule.capitalize()}:** {why}." for rule, why in zip(reasons["rule"], reasons["why"])
            )
        )
    )
    wide = report.pivot_table(
        index=["table", "level"], columns="rule", values="cells", sort=False
    ).reset_index()
    sizes = report.drop_duplicates(["table", "level"]).set_index(["table", "level"])["of"]
    shown = pd.DataFrame(
        {
            "Table": wide["table"].map(lambda name: TABLE_TITLES.get(name, name)),
            "Level": wide["level"],
            **{rule.capitalize(): wide[rule].astype(int) for rule in reasons["rule"]},
            "Cells in the table": [int(sizes[key]) for key in zip(wide["table"], wide["level"])],
        }
    )
    save_csv(shown, "tbl-suppressed")
    display(Markdown(markdown_table_block(shown, "tbl-suppressed", caption)))
