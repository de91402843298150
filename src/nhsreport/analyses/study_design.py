"""Chapter "Study design": the three trusts, the managerial cohort framework and the data collected.

Tables and figures rebuilt from the validated data for book chapter 3 (Tables 3.1, 3.6 and 3.7,
Figure 3.1). Every function takes validated data frames (``chapter["resource"]``) and returns a
data frame, a number or a matplotlib Figure; saving and numbering are the chapter's job.

Nothing here merges conflicting figures: where the book's prose gives a money figure that differs
from Table 3.7, both are kept and shown side by side. Nothing here invents a position in the
cohort framework: a role is placed in a region only where the book's text ties it to a cohort.
"""

import re

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import FancyBboxPatch

from ..data.codes import cohort_codes, cohort_labels, trust_codes, trust_labels
from ..data.totals import printed_total_checks
from ..presentation.formatting import format_number
from ..presentation.style import COHORT_COLOURS, MUTED, TRUST_COLOURS, UNCERTAIN, by_name, text_colour_on

MEASURES = {
    "interviews_formal": "Formal recorded interviews",
    "interviews_informal": "Informal interviews",
    "observation_hours": "Observation hours",
    "observation_days": "Observation days",
}
TOTAL = "Total"


def groups():
    """Row order of Table 3.6: key informants, then the trusts."""
    return ("key_informants", *trust_codes())


def group_labels():
    """Row heads of Table 3.6: key informants, then the trusts."""
    return {"key_informants": "Key informants", **trust_labels()}


# --- the three trusts ----------------------------------------------------------------------------


def trust_characteristics_table(characteristics):
    """Table 3.1: one row per trust, one column per characteristic, in printed order."""
    order = list(pd.unique(characteristics["characteristic"]))
    wide = characteristics.pivot(index="trust", columns="characteristic", values="rating")
    wide = wide.reindex(index=list(trust_codes()), columns=order).rename(index=trust_labels())
    wide.index.name = "Trust"
    wide.columns.name = None
    return wide.reset_index()


def table_rows(comparison):
    """The cells printed in Table 3.7 (the prose money figures are left out)."""
    return comparison[comparison["locator"] == "Table 3.7"]


def prose_rows(comparison):
    """The money figures given in the prose descriptions of the trusts, not in Table 3.7."""
    return comparison[(comparison["locator"] == "text") & (comparison["unit"] == "gbp_million")]


def prose_staff(comparison):
    """trust -> the staff number a trust's prose description gives, for the trusts whose
    description gives one (in code order), beside the table's workforce: {trust: (prose, table)}."""
    rows = comparison[(comparison["locator"] == "text") & (comparison["aspect"] == "workforce_prose")]
    prose = dict(zip(rows["trust"], rows["number"].astype(float)))
    table = measure(comparison, "workforce")
    return {t: (prose[t], table[t]) for t in trust_codes() if t in prose}


def comparison_cell(row):
    return format_number(row["number"], row["unit"]) if pd.notna(row["number"]) else row["text"]


def trust_comparison_table(comparison):
    """Table 3.7: the printed row heads down the side, one column per trust.

    Numeric cells are formatted as printed; descriptive cells hold our paraphrase (or, where
    ``text_status`` says so, the short phrase as printed)."""
    rows = table_rows(comparison).copy()
    rows["cell"] = rows.apply(comparison_cell, axis=1)
    order = list(pd.unique(rows["aspect"]))
    labels = dict(zip(rows["aspect"], rows["aspect_label"]))
    wide = rows.pivot(index="aspect", columns="trust", values="cell").reindex(
        index=order, columns=list(trust_codes())
    )
    wide = wide.rename(index=labels, columns={t: f"{n} Trust" for t, n in trust_labels().items()})
    wide.index.name = "Aspect"
    wide.columns.name = None
    return wide.reset_index()


def text_cells_as_printed(comparison):
    """(trust label, row head) of the descriptive cells of Table 3.7 kept as printed."""
    rows = table_rows(comparison)
    kept = rows[rows["number"].isna() & (rows["text_status"] == "as printed")]
    return [(trust_labels()[t], a) for t, a in zip(kept["trust"], kept["aspect_label"])]


def measure(comparison, aspect):
    """trust -> number of one numeric row of Table 3.7 (e.g. workforce, turnover)."""
    rows = table_rows(comparison)
    rows = rows[rows["aspect"] == aspect]
    return {t: float(n) for t, n in zip(rows["trust"], rows["number"])}


def money_conflicts(comparison):
    """Each prose money figure beside the Table 3.7 turnover of the same trust, both kept.

    ``difference`` is prose minus table (GBP million); nothing is averaged or chosen."""
    turnover = measure(comparison, "turnover")
    out = []
    for _, row in prose_rows(comparison).sort_values(["trust", "aspect"]).iterrows():
        table_value = turnover[row["trust"]]
        out.append(
            {
                "trust": row["trust"],
                "table_turnover": table_value,
                "prose_term": row["aspect_label"],
                "prose_value": float(row["number"]),
                "prose_page": int(row["page"]),
                "difference": float(row["number"]) - table_value,
            }
        )
    return pd.DataFrame(
        out, columns=["trust", "table_turnover", "prose_term", "prose_value", "prose_page", "difference"]
    )


def money_conflicts_table(conflicts):
    """Display version of :func:`money_conflicts`."""
    return pd.DataFrame(
        {
            "Trust": [trust_labels()[t] for t in conflicts["trust"]],
            "Turnover, Table 3.7 (£m)": [f"{v:.0f}" for v in conflicts["table_turnover"]],
            "Figure in the prose": [
                f"{term}, around {v:.0f}"
                for term, v in zip(conflicts["prose_term"], conflicts["prose_value"])
            ],
            "Prose page": [f"p. {p}" for p in conflicts["prose_page"]],
            "Prose minus table (£m)": [f"{d:+.0f}" for d in conflicts["difference"]],
        }
    )


def turnover_per_staff(comparison):
    """trust -> Table 3.7 turnover per member of staff, in thousands of pounds (derived here)."""
    staff, money = measure(comparison, "workforce"), measure(comparison, "turnover")
    return {t: 1000 * money[t] / staff[t] for t in trust_codes()}


STAFF, TURNOVER = "staff (head count)", "turnover (£ million a year)"
TABLE_3_7, PROSE = "the book's Table 3.7", "the book's text (approximate)"


def trust_size_values(comparison):
    """The tidy table the trust-size figure is drawn from: workforce and turnover of each trust as
    Table 3.7 prints them, and the money figures of the prose descriptions (printed as approximate)
    as rows of their own, with the page and what the text calls them."""
    staff, turnover = measure(comparison, "workforce"), measure(comparison, "turnover")
    prose = {row["trust"]: row for _, row in prose_rows(comparison).iterrows()}

    def row(t, measure_name, value, printed_in=TABLE_3_7, called="", page=""):
        return {
            "trust": trust_labels()[t],
            "measure": measure_name,
            "value": value,
            "printed in": printed_in,
            "called in the text": called,
            "page": page,
        }

    rows = [row(t, STAFF, staff[t]) for t in trust_codes()]
    for t in trust_codes():
        rows.append(row(t, TURNOVER, turnover[t]))
        if t in prose:
            text = prose[t]
            rows.append(
                row(t, TURNOVER, float(text["number"]), PROSE, text["aspect_label"], f"p. {text['page']}")
            )
    return pd.DataFrame(rows)


def trust_size_figure(values):
    """Two panels from :func:`trust_size_values`: workforce and turnover by trust (Table 3.7),
    with the prose money figures drawn as separate hatched bars labelled as text figures, never
    merged with the table."""
    fig, (ax_staff, ax_money) = plt.subplots(1, 2, figsize=(7.4, 4.0), gridspec_kw={"width_ratios": [1, 1.6]})
    colours = by_name(TRUST_COLOURS, trust_labels())
    trusts = list(dict.fromkeys(values["trust"]))
    staff = values[values["measure"] == STAFF].set_index("trust")["value"]
    for x, trust in enumerate(trusts):
        bar = ax_staff.bar(x, staff[trust], 0.6, color=colours[trust])
        ax_staff.bar_label(bar, [f"{staff[trust]:,.0f}"], fontsize=8, padding=2)
    ax_staff.set_xticks(range(len(trusts)), trusts)
    ax_staff.set_ylabel("Staff (head count)")
    ax_staff.set_title("Workforce", loc="left")
    ax_staff.set_ylim(0, staff.max() * 1.15)

    money = values[values["measure"] == TURNOVER]
    width, gap = 0.42, 0.04
    for x, trust in enumerate(trusts):
        rows = money[money["trust"] == trust]
        table = rows[rows["printed in"] == TABLE_3_7]["value"].iloc[0]
        bar = ax_money.bar(x - (width + gap) / 2, table, width, color=colours[trust])
        # the printed value sits inside its bar, so it cannot collide with the prose label beside it
        ax_money.bar_label(bar, [f"£{table:.0f}m"], fontsize=8, padding=-12)
        for _, text in rows[rows["printed in"] == PROSE].iterrows():
            text_bar = ax_money.bar(
                x + (width + gap) / 2,
                text["value"],
                width,
                color="white",
                edgecolor=UNCERTAIN,
                hatch="///",
                linestyle="--",
            )
            label = f"text: ~£{text['value']:.0f}m\n{text['called in the text']}\n({text['page']})"
            ax_money.bar_label(text_bar, [label], fontsize=8, padding=2, color="#555555")
        if len(rows) == 1:
            ax_money.text(
                x + (width + gap) / 2,
                8,
                "no figure\nin text",
                ha="center",
                va="bottom",
                fontsize=8,
                color="#777777",
            )
    ax_money.set_xticks(range(len(trusts)), trusts)
    ax_money.set_ylabel("£ million a year")
    ax_money.set_title("Turnover, and money in the prose", loc="left")
    ax_money.set_ylim(0, money["value"].max() * 1.35)
    ax_money.set_xlim(-0.6, len(trusts) - 0.35)
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=MUTED),
        plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor=UNCERTAIN, hatch="///", linestyle="--"),
    ]
    ax_money.legend(
        handles,
        ["The book's Table 3.7", "Prose figure ('around')"],
        frameon=False,
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=2,
    )
    fig.tight_layout()
    return fig


# --- the managerial cohort framework ---------------------------------------------------------

# Schematic geometry of the redrawn Figure 3.1 (axis units 0-3 across, 0-1 up). The book's own
# geometry was lost; the regions are laid out along clinical orientation in the order their
# headings were extracted, overlapping to show the blurred boundaries the book describes.
REGIONS = {"functional": (0.05, 1.20), "general": (0.90, 2.10), "clinical": (1.80, 2.95)}
REGION_CORE = {"functional": 0.50, "general": 1.50, "clinical": 2.45}
REGION_TOP, REGION_BOTTOM = 0.90, 0.10


def placed_roles(roles):
    """Roles whose cohort the book's text determines, in extraction order."""
    out = roles[(roles["cohort"].fillna("") != "") & (roles["placement_basis"] == "text_elsewhere")]
    return out.sort_values("extraction_order")


def unplaced_roles(roles):
    """Roles whose cohort the book does not determine, in extraction order."""
    out = roles[~roles.index.isin(placed_roles(roles).index)]
    return out.sort_values("extraction_order")


NOT_DETERMINED = "not determined"


def cohort_framework_values(roles):
    """The tidy table the framework figure is drawn from: one row per role label of Figure 3.1
    (placed roles first, each group in extraction order), the region the book's text gives it or
    "not determined", and the page of the text that places it."""
    names = cohort_labels()
    ordered = pd.concat([placed_roles(roles), unplaced_roles(roles)])
    return pd.DataFrame(
        {
            "role (as printed)": list(ordered["role_label"]),
            "region": [names.get(c, NOT_DETERMINED) for c in ordered["cohort"].fillna("")],
            "page of the text that places it": pd.array(
                [int(p) if pd.notna(p) else None for p in ordered["basis_page"]], dtype="Int64"
            ),
        }
    )


def role_layout(values):
    """Schematic (x, y) of each placed role of :func:`cohort_framework_values`, by its row:
    centred in its region's core, stacked from the top in the table's order. Not a measured
    position."""
    codes = {name: code for code, name in cohort_labels().items()}
    positions = {}
    for cohort in cohort_codes():
        members = values.index[values["region"].map(codes) == cohort]
        for i, row in enumerate(members):
            positions[row] = (REGION_CORE[cohort], 0.72 - 0.12 * i)
    return positions


def cohort_roles_table(roles):
    """Every role label of Figure 3.1 with the region the book's text gives it, or none: the
    figure's table (:func:`cohort_framework_values`) with the basis in words."""
    values = cohort_framework_values(roles)
    return pd.DataFrame(
        {
            "Role label (as printed)": values["role (as printed)"],
            "Region": values["region"],
            "Basis": [
                f"text, p. {p}" if pd.notna(p) else "the book does not say"
                for p in values["page of the text that places it"]
            ],
        }
    )


def axis_row(axes, axis):
    return axes.set_index("axis").loc[axis]


def region_patch(left, right, **style):
    """The rounded box of one cohort's region of Figure 3.1, from ``left`` to ``right``."""
    return FancyBboxPatch(
        (left, REGION_BOTTOM),
        right - left,
        REGION_TOP - REGION_BOTTOM,
        boxstyle="round,pad=0,rounding_size=0.08",
        mutation_aspect=0.3,
        **style,
    )


def label_axis_ends(ax, axis_row, axis):
    """The words printed at the low and high ends of one axis of Figure 3.1 (if any), in italics."""
    for position, end in ((0.0, axis_row["low_end"]), (1.0, axis_row["high_end"])):
        if isinstance(end, str) and end:
            if axis == "x":
                xy, align = (position, -0.035), {"ha": "center", "va": "top"}
            else:
                xy, align = (-0.02, position), {"ha": "right", "va": "center"}
            ax.text(*xy, end, transform=ax.transAxes, fontsize=8, style="italic", **align)


def cohort_framework_figure(values, axes):
    """Figure 3.1 redrawn from :func:`cohort_framework_values`: clinical orientation across,
    managerial orientation up (the axes' words from ``axes``), the three cohort regions, the roles
    the text places in them, and the other roles in a box apart."""
    # The map on top and the unplaced roles in a box beneath it: narrow enough for the text column
    # at full size, so no label is shrunk on the page.
    fig = plt.figure(figsize=(7.4, 5.7))
    ax = fig.add_axes([0.08, 0.33, 0.9, 0.63])
    box = fig.add_axes([0.02, 0.0, 0.96, 0.2])
    names = cohort_labels()
    for cohort, (left, right) in REGIONS.items():
        colour = COHORT_COLOURS[cohort]
        ax.add_patch(region_patch(left, right, facecolor=colour, alpha=0.14, edgecolor="none"))
        ax.add_patch(region_patch(left, right, facecolor="none", edgecolor=colour, linewidth=1.2))
        ax.text(
            REGION_CORE[cohort],
            REGION_TOP - 0.06,
            names[cohort].upper(),
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold",
            color=colour,
        )
    codes = {name: code for code, name in names.items()}
    for index, (x, y) in role_layout(values).items():
        row = values.loc[index]
        ax.text(
            x,
            y,
            f"{row['role (as printed)']}\n(text, p. {int(row['page of the text that places it'])})",
            ha="center",
            va="center",
            fontsize=8.5,
            linespacing=1.1,
            bbox={
                "boxstyle": "round,pad=0.25",
                "facecolor": "white",
                "edgecolor": COHORT_COLOURS[codes[row["region"]]],
                "linewidth": 0.8,
            },
        )
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.plot(1, 0, ">k", transform=ax.transAxes, clip_on=False, markersize=6)
    ax.plot(0, 1, "^k", transform=ax.transAxes, clip_on=False, markersize=6)
    x_axis, y_axis = axis_row(axes, "x"), axis_row(axes, "y")
    ax.set_xlabel(x_axis["label"])
    ax.set_ylabel(y_axis["label"])
    label_axis_ends(ax, x_axis, "x")
    label_axis_ends(ax, y_axis, "y")
    ax.text(
        1.5,
        0.035,
        "Positions inside a region are schematic, not measured",
        ha="center",
        va="bottom",
        fontsize=8,
        color="#555555",
        style="italic",
    )

    box.set_axis_off()
    box.set_xlim(0, 1)
    box.set_ylim(0, 1)
    box.add_patch(
        FancyBboxPatch(
            (0.02, 0.02),
            0.96,
            0.96,
            boxstyle="round,pad=0,rounding_size=0.03",
            facecolor="#F4F4F4",
            edgecolor=UNCERTAIN,
            linestyle="--",
        )
    )
    box.text(
        0.03,
        0.88,
        "Unplaced: region not determined by the book",
        fontsize=9,
        fontweight="bold",
        va="top",
        color="#444444",
    )
    unplaced = list(values.loc[values["region"] == NOT_DETERMINED, "role (as printed)"])
    per_column = -(-len(unplaced) // 3)  # three columns, filled top to bottom
    for i, label in enumerate(unplaced):
        column, line = divmod(i, per_column)
        box.text(0.03 + 0.27 * column, 0.66 - 0.19 * line, label, fontsize=8.5, va="top", color="#444444")
    return fig


# --- data collected --------------------------------------------------------------------------


def data_collected_wide(collected):
    """Table 3.6 as numbers: one row per group (key informants, then trusts), one column per
    measure, with a computed Total row."""
    wide = collected.pivot(index="group", columns="measure", values="value")
    wide = wide.reindex(index=list(groups()), columns=list(MEASURES)).astype(int)
    wide.loc[TOTAL] = wide.sum(axis=0)
    return wide


def data_collected_table(collected):
    """Display version of Table 3.6, with totals computed here and all interviews derived."""
    wide = data_collected_wide(collected)
    out = pd.DataFrame({"Group": [group_labels().get(g, g) for g in wide.index]})
    out[MEASURES["interviews_formal"]] = list(wide["interviews_formal"])
    out[MEASURES["interviews_informal"]] = list(wide["interviews_informal"])
    out["All interviews (derived)"] = list(wide["interviews_formal"] + wide["interviews_informal"])
    out[MEASURES["observation_hours"]] = list(wide["observation_hours"])
    out[MEASURES["observation_days"]] = list(wide["observation_days"])
    return out


def table_total_checks(data, locator="Table 3.6"):
    """The totals one table prints, each beside the sum recomputed from its cells (by the
    project's one checker, :func:`nhsreport.data.totals.printed_total_checks`), with the measure
    each total is of. ``data`` is the validated Dataset."""
    rows = printed_total_checks(data, locator)
    rows["measure"] = [
        re.search(r"measure=(\w+)", e).group(1) if "measure=" in e else "" for e in rows["expression"]
    ]
    rows["recomputed"] = rows["recomputed"].astype(float)
    return rows[["measure", "expression", "printed_total", "recomputed", "agrees", "source_discrepancy"]]


def unprinted_totals(collected, checks):
    """Measures of Table 3.6 whose total is computed here but not printed in the book."""
    return [m for m in MEASURES if m not in set(checks["measure"])]


def formal_interviews_vs_sample(collected, participants):
    """Per trust: formal recorded interviews (Table 3.6) beside managers interviewed (Table 3.2)."""
    formal = collected[collected["measure"] == "interviews_formal"].set_index("group")["value"]
    sample = participants.groupby("trust")["count"].sum()
    out = pd.DataFrame(
        {
            "trust": list(trust_codes()),
            "formal_interviews": [int(formal[t]) for t in trust_codes()],
            "sample": [int(sample[t]) for t in trust_codes()],
        }
    )
    out["agrees"] = out["formal_interviews"] == out["sample"]
    return out


def data_collected_values(collected):
    """The tidy table the data-collected figure is drawn from: Table 3.6, one row per group
    (key informants, then the trusts) and measure (interviews, observation hours and days)."""
    wide = data_collected_wide(collected).loc[list(groups())]
    names = group_labels()
    return pd.DataFrame(
        [
            {"group": names[g], "measure": MEASURES[m], "value": int(wide.loc[g, m])}
            for g in groups()
            for m in MEASURES
        ]
    )


def data_collected_figure(values):
    """Two panels from :func:`data_collected_values`: interviews (formal solid, informal hatched)
    and observation hours, each observation bar labelled with the days it was spread over; a
    trust's bars take its colour, the key informants' grey."""
    wide = values.pivot(index="group", columns="measure", values="value")
    names = list(dict.fromkeys(values["group"]))
    wide = wide.loc[names]
    colours = by_name(TRUST_COLOURS, trust_labels())
    formal_, informal_, hours_, days_ = (MEASURES[m] for m in MEASURES)
    fig, (ax_int, ax_obs) = plt.subplots(1, 2, figsize=(7.0, 3.4), sharey=True)
    for row, group in enumerate(names):
        formal, informal = int(wide.loc[group, formal_]), int(wide.loc[group, informal_])
        colour = colours.get(group, MUTED)
        ax_int.barh(row, formal, color=colour)
        ax_int.text(
            formal / 2, row, str(formal), ha="center", va="center", color=text_colour_on(colour), fontsize=8
        )
        ax_int.barh(row, informal, left=formal, color="white", edgecolor=colour, hatch="///")
        if informal:
            ax_int.text(formal + informal + 0.5, row, f"+{informal} informal", va="center", fontsize=8)
        hours, days = int(wide.loc[group, hours_]), int(wide.loc[group, days_])
        ax_obs.barh(row, hours, color=colour)
        ax_obs.text(
            hours + 0.4, row, f"{hours} h over {days} day{'s' if days != 1 else ''}", va="center", fontsize=8
        )
    ax_int.set_yticks(range(len(names)), names)
    ax_int.invert_yaxis()
    ax_int.set_xlabel("Interviews")
    ax_int.set_title("Interviews", loc="left")
    ax_int.set_xlim(0, float((wide[formal_] + wide[informal_]).max()) * 1.55)
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=MUTED),
        plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor=MUTED, hatch="///"),
    ]
    ax_int.legend(handles, ["Formal recorded", "Informal"], frameon=False, fontsize=8, loc="upper right")
    ax_obs.set_xlabel("Hours of observation")
    ax_obs.set_title("Observation", loc="left")
    ax_obs.set_xlim(0, float(wide[hours_].max()) * 1.9)
    fig.tight_layout()
    return fig
