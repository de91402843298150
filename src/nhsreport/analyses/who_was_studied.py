"""Who was studied: the sample's tables (Tables 3.2-3.5 of the book, with derived columns) and
figures. Each function takes validated data frames and returns a frame or a matplotlib Figure;
numbering, captions and saving are the chapter's job.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..data.codes import cohort_codes, cohort_labels, trust_codes, trust_labels
from ..presentation.style import COHORT_COLOURS, MUTED, TRUST_COLOURS
from ..presentation.tables import TOTAL, crosstab, labelled, percent


def sample_sizes(data):
    """Managers interviewed in each trust x cohort (Table 3.2, the sample): {(trust, cohort): n}
    in code order. ``data`` is the validated Dataset."""
    sizes = data["sample_participants"].set_index(["trust", "cohort"])["count"]
    return {(t, c): int(sizes[(t, c)]) for t in trust_codes() for c in cohort_codes()}


def label_segment(ax, x, y, width, text, colour="white"):
    if width > 0:
        ax.text(x + width / 2, y, text, ha="center", va="center", color=colour, fontsize=9)


def sample_composition(participants, declined):
    """Horizontal stacked bars: interviewed managers by cohort, then those who declined."""
    fig, ax = plt.subplots(figsize=(7, 3))
    cells = participants.set_index(["trust", "cohort"])["count"]
    declined_by_trust = declined.set_index("trust")["count"]
    names = trust_labels()
    for row, trust in enumerate(trust_codes()):
        left = 0
        for cohort in cohort_codes():
            width = int(cells[(trust, cohort)])
            ax.barh(
                row,
                width,
                left=left,
                color=COHORT_COLOURS[cohort],
                label=cohort_labels()[cohort] if row == 0 else None,
            )
            label_segment(ax, left, row, width, str(width))
            left += width
        width = int(declined_by_trust[trust])
        ax.barh(
            row,
            width,
            left=left,
            color="white",
            edgecolor=MUTED,
            hatch="///",
            label="Declined or did not respond" if row == 0 else None,
        )
        label_segment(ax, left, row, width, str(width), colour="black")
    ax.set_yticks(range(len(trust_codes())), [names[t] for t in trust_codes()])
    ax.invert_yaxis()
    ax.set_xlabel("Managers approached")
    ax.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.28), frameon=False, fontsize=8)
    return fig


def age_profile(age, bands):
    """Grouped bars: managers in each age band, one bar per trust."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    counts = age.set_index(["trust", "age_band"])["count"]
    positions = np.arange(len(bands))
    width = 0.26
    for offset, trust in enumerate(trust_codes()):
        heights = [int(counts[(trust, band)]) for band in bands]
        bars = ax.bar(
            positions + (offset - 1) * width,
            heights,
            width,
            color=TRUST_COLOURS[trust],
            label=trust_labels()[trust],
        )
        ax.bar_label(bars, fontsize=8, padding=1)
    ax.set_xticks(positions, bands)
    ax.set_xlabel("Age band (years, as printed)")
    ax.set_ylabel("Managers")
    ax.legend(frameon=False, title="Trust")
    return fig


def tenure_dots(tenure, measure_labels):
    """Dot plot: average years in post, organization, NHS and outside it, by trust."""
    fig, ax = plt.subplots(figsize=(7, 2.8))
    means = tenure.set_index(["trust", "measure"])["mean_years"]
    measures = list(measure_labels)
    for offset, trust in enumerate(trust_codes()):
        ys = np.arange(len(measures)) + (offset - 1) * 0.18
        ax.scatter(
            [means[(trust, m)] for m in measures],
            ys,
            color=TRUST_COLOURS[trust],
            s=36,
            label=trust_labels()[trust],
            zorder=3,
        )
    ax.set_yticks(range(len(measures)), [measure_labels[m] for m in measures])
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
