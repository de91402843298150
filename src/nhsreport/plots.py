"""Drawing functions: each takes validated data frames and returns a matplotlib Figure.

Saving, numbering and captions are the chapter's job (:meth:`nhsreport.chapter.Chapter.figure`).
"""
import matplotlib.pyplot as plt
import numpy as np

from .data import COHORTS, TRUSTS
from .labels import cohort_labels, trust_labels
from .style import COHORT_COLOURS, MUTED, TRUST_COLOURS


def label_segment(ax, x, y, width, text, colour="white"):
    if width > 0:
        ax.text(x + width / 2, y, text, ha="center", va="center", color=colour, fontsize=9)


def sample_composition(participants, declined):
    """Horizontal stacked bars: interviewed managers by cohort, then those who declined."""
    fig, ax = plt.subplots(figsize=(7, 3))
    cells = participants.set_index(["trust", "cohort"])["count"]
    declined_by_trust = declined.set_index("trust")["count"]
    names = trust_labels()
    for row, trust in enumerate(TRUSTS):
        left = 0
        for cohort in COHORTS:
            width = int(cells[(trust, cohort)])
            ax.barh(row, width, left=left, color=COHORT_COLOURS[cohort],
                    label=cohort_labels()[cohort] if row == 0 else None)
            label_segment(ax, left, row, width, str(width))
            left += width
        width = int(declined_by_trust[trust])
        ax.barh(row, width, left=left, color="white", edgecolor=MUTED, hatch="///",
                label="Declined or did not respond" if row == 0 else None)
        label_segment(ax, left, row, width, str(width), colour="black")
    ax.set_yticks(range(len(TRUSTS)), [names[t] for t in TRUSTS])
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
    for offset, trust in enumerate(TRUSTS):
        heights = [int(counts[(trust, band)]) for band in bands]
        bars = ax.bar(positions + (offset - 1) * width, heights, width,
                      color=TRUST_COLOURS[trust], label=trust_labels()[trust])
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
    for offset, trust in enumerate(TRUSTS):
        ys = np.arange(len(measures)) + (offset - 1) * 0.18
        ax.scatter([means[(trust, m)] for m in measures], ys, color=TRUST_COLOURS[trust],
                   s=36, label=trust_labels()[trust], zorder=3)
    ax.set_yticks(range(len(measures)), [measure_labels[m] for m in measures])
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="#E5E5E5", zorder=0)
    ax.set_xlabel("Average years (as printed)")
    ax.legend(frameon=False, title="Trust", loc="lower right", fontsize=8)
    return fig
