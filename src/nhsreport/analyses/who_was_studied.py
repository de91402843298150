"""Who was studied: the sample's tables (Tables 3.2-3.5 of the book, with derived columns) and
figures. Each function takes validated data frames and returns a frame or a matplotlib Figure;
numbering, captions and saving are the chapter's job.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..data.codes import cohort_codes, cohort_labels, trust_codes, trust_labels
from ..presentation.style import COHORT_COLOURS, MUTED, TRUST_COLOURS, by_name, text_colour_on
from ..presentation.tables import TOTAL, crosstab, labelled, percent


def sample_sizes(data):
    """Managers interviewed in each trust x cohort (Table 3.2, the sample): {(trust, cohort): n}
    in code order. ``data`` is the validated Dataset."""
    sizes = data["sample_participants"].set_index(["trust", "cohort"])["count"]
    return {(t, c): int(sizes[(t, c)]) for t in trust_codes() for c in cohort_codes()}


def label_segment(ax, x, y, width, text, colour="white"):
    if width > 0:
        ax.text(x + width / 2, y, text, ha="center", va="center", color=colour, fontsize=9)


DECLINED = "Declined or did not respond"


def sample_values(participants, declined):
    """The tidy table Figure 3.1 is drawn from: managers approached in each trust, one row per
    trust and status (interviewed, by management group; or declined or did not respond)."""
    cells = participants.set_index(["trust", "cohort"])["count"]
    declined_by_trust = declined.set_index("trust")["count"]
    rows = []
    for trust in trust_codes():
        rows += [
            {"trust": trust_labels()[trust], "status": cohort_labels()[c], "managers": int(cells[(trust, c)])}
            for c in cohort_codes()
        ]
        rows.append(
            {"trust": trust_labels()[trust], "status": DECLINED, "managers": int(declined_by_trust[trust])}
        )
    return pd.DataFrame(rows)


def sample_composition(values):
    """Horizontal stacked bars from :func:`sample_values`: interviewees by group, then those who
    declined (hatched)."""
    fig, ax = plt.subplots(figsize=(7, 3))
    colours = by_name(COHORT_COLOURS, cohort_labels())
    trusts = list(dict.fromkeys(values["trust"]))
    for row, trust in enumerate(trusts):
        left = 0
        for r in values[values["trust"] == trust].itertuples():
            declined = r.status == DECLINED
            look = (
                {"color": "white", "edgecolor": MUTED, "hatch": "///"}
                if declined
                else {"color": colours[r.status]}
            )
            ax.barh(row, r.managers, left=left, label=r.status if row == 0 else None, **look)
            text = "black" if declined else text_colour_on(colours[r.status])
            label_segment(ax, left, row, r.managers, str(r.managers), colour=text)
            left += r.managers
    ax.set_yticks(range(len(trusts)), trusts)
    ax.invert_yaxis()
    ax.set_xlabel("Managers approached")
    ax.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.28), frameon=False, fontsize=8)
    return fig


def age_values(age, bands):
    """The tidy table of the age profile: managers in each trust and age band (as printed)."""
    counts = age.set_index(["trust", "age_band"])["count"]
    return pd.DataFrame(
        [
            {"trust": trust_labels()[t], "age band": band, "managers": int(counts[(t, band)])}
            for t in trust_codes()
            for band in bands
        ]
    )


def age_profile(values):
    """Grouped bars from :func:`age_values`: managers in each age band, one bar per trust."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    colours = by_name(TRUST_COLOURS, trust_labels())
    trusts, bands = list(dict.fromkeys(values["trust"])), list(dict.fromkeys(values["age band"]))
    positions = np.arange(len(bands))
    width = 0.26
    for offset, trust in enumerate(trusts):
        heights = values[values["trust"] == trust].set_index("age band")["managers"].reindex(bands)
        bars = ax.bar(positions + (offset - 1) * width, heights, width, color=colours[trust], label=trust)
        ax.bar_label(bars, fontsize=8, padding=1)
    ax.set_xticks(positions, bands)
    ax.set_xlabel("Age band (years, as printed)")
    ax.set_ylabel("Managers")
    ax.legend(frameon=False, title="Trust")
    return fig


def tenure_values(tenure, measure_labels):
    """The tidy table of the tenure figure: average years printed for each trust and measure."""
    means = tenure.set_index(["trust", "measure"])["mean_years"]
    return pd.DataFrame(
        [
            {"trust": trust_labels()[t], "measure": name, "average years": float(means[(t, m)])}
            for t in trust_codes()
            for m, name in measure_labels.items()
        ]
    )


def tenure_dots(values):
    """Dot plot from :func:`tenure_values`: average years in post, organization, NHS and outside
    it, by trust."""
    fig, ax = plt.subplots(figsize=(7, 2.8))
    colours = by_name(TRUST_COLOURS, trust_labels())
    trusts, measures = list(dict.fromkeys(values["trust"])), list(dict.fromkeys(values["measure"]))
    for offset, trust in enumerate(trusts):
        years = values[values["trust"] == trust].set_index("measure")["average years"].reindex(measures)
        ys = np.arange(len(measures)) + (offset - 1) * 0.18
        ax.scatter(years, ys, color=colours[trust], s=36, label=trust, zorder=3)
    ax.set_yticks(range(len(measures)), measures)
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="#E5E5E5", zorder=0)
    ax.set_xlabel("Average years (as printed)")
    ax.legend(frameon=False, title="Trust", loc="lower right", fontsize=8)
    return fig


# --- tables ---


def sample_table(participants, declined):
    """Table 3.2 with the derived columns: approached and participation rate."""
    wide = crosstab(participants, "trust", "cohort")
    declined_by_trust = declined.set_index("trust")["count"]
    wide["Declined"] = list(declined_by_trust.reindex(trust_codes())) + [int(declined_by_trust.sum())]
    wide["Approached"] = wide[TOTAL] + wide["Declined"]
    wide["Participation %"] = [percent(n, a) for n, a in zip(wide[TOTAL], wide["Approached"])]
    return labelled(wide, column_names={**cohort_labels(), TOTAL: "Participants"})


def gender_table(gender):
    """Table 3.3 as 'men / women' counts per cohort, with totals."""
    men = crosstab(gender[gender["sex"] == "male"], "trust", "cohort")
    women = crosstab(gender[gender["sex"] == "female"], "trust", "cohort")
    combined = men.astype(str) + " / " + women.astype(str)
    combined["Women %"] = [percent(w, m + w) for m, w in zip(men[TOTAL], women[TOTAL])]
    return labelled(combined, column_names=cohort_labels())


def age_table(age, bands):
    wide = crosstab(age, "trust", "age_band", column_order=bands)
    return labelled(wide)


def tenure_table(tenure, measure_labels):
    wide = tenure.pivot(index="trust", columns="measure", values="mean_years")
    wide = wide.reindex(index=list(trust_codes()), columns=list(measure_labels)).rename(
        columns=measure_labels
    )
    return labelled(wide.map(lambda v: f"{v:.2f}"), total_row=False)


def ethnicity_grade_table(facts, sample_size):
    """The prose facts of pp. 35-36, with percentages and the derived grade 8a-8d remainder."""
    names = {
        "white_british": "White British",
        "asian_british": "Asian British (all men)",
        "grade_7": "Grade 7",
        "grade_9": "Grade 9",
        "consultants_scale": "Consultants' scale",
    }
    rows = []
    for topic, label in (("ethnicity", "Ethnicity"), ("grade", "Salary grade")):
        subset = facts[facts["topic"] == topic].groupby("category", sort=False)["count"].sum()
        for category, n in subset.items():
            rows.append((label, names[category], int(n), percent(n, sample_size), "printed"))
        if topic == "grade":
            remainder = sample_size - int(subset.sum())
            rows.append(
                (
                    label,
                    "Grades 8a–8d",
                    remainder,
                    percent(remainder, sample_size),
                    "derived: sample minus the printed exceptions",
                )
            )
    return pd.DataFrame(rows, columns=["Topic", "Group", "Managers", "%", "Status"])


# --- facts the prose states ---


def most_declined(declined):
    """The largest number who declined or did not respond, and every trust with that number (in
    code order): a tie is a tie, so the prose never names one trust where several share the top."""
    by_trust = declined.set_index("trust")["count"].reindex(trust_codes())
    top = int(by_trust.max())
    return top, [trust for trust, n in by_trust.items() if n == top]


def women_lead_without(gender, trust, cohort):
    """How much one trust x cohort cell contributes to women's lead over men, and the totals
    without that cell: {'lead', 'cell_lead', 'women_without', 'men_without'}."""
    by_sex = gender.groupby("sex")["count"].sum()
    cell = gender[(gender["trust"] == trust) & (gender["cohort"] == cohort)].set_index("sex")["count"]
    return {
        "lead": int(by_sex["female"] - by_sex["male"]),
        "cell_lead": int(cell["female"] - cell["male"]),
        "women_without": int(by_sex["female"] - cell["female"]),
        "men_without": int(by_sex["male"] - cell["male"]),
    }
