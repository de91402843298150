"""Counts that are known only as a range, drawn as ranges: one panel per group, one row per
category, a floating band from the lowest to the highest possible count (never a bar rising from
zero, which would read as a count), a black line for the narrower range left once vague words are
read, and a solid dot where only one count is possible.

The figure is drawn from a tidy table, one row per plotted value, whose columns are named by the
caller: the group column, the category column, and ``low``, ``high``, ``low as read``,
``high as read``. That table is the figure's "values drawn" download, and
:func:`nhsreport.presentation.drawn.drawn_ranges` reads the drawn figure back to check the two agree.
"""

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .style import MUTED

#: Where a row's two ranges sit, above and below its tick (in rows): drawn.drawn_ranges tells
#: them apart by it.
EXACT_OFFSET = -0.14
READ_OFFSET = 0.16
#: The whisker of every count the exact statements allow; the legend's key is drawn with it too.
EXACT_RANGE = dict(linewidth=2.4, marker="o", markersize=7, markerfacecolor="white", markeredgewidth=1.8)


def draw_row(ax, y, row, colour):
    """A dot where one count is possible; else a whisker with hollow ends in the group's colour
    (every count the exact statements allow, ends included) and a black one under it (the range
    once vague words are read)."""
    low, high = int(row["low"]), int(row["high"])
    if low == high:
        ax.scatter(
            [low], [y], s=70, color=colour, edgecolors="black", linewidths=0.8, zorder=4, clip_on=False
        )
        ax.text(high + 0.8, y, f"{high}: the only possible count", va="center", fontsize=9)
        return
    ax.plot(
        [low, high],
        [y + EXACT_OFFSET] * 2,
        color=colour,
        clip_on=False,
        zorder=3,
        **EXACT_RANGE,
    )
    read = [int(row["low as read"]), int(row["high as read"])]
    ax.plot(
        read, [y + READ_OFFSET] * 2, color="black", linewidth=1.4, marker="|", markersize=8, clip_on=False
    )
    ax.text(high + 0.8, y + EXACT_OFFSET, f"{low} to {high}", va="center", fontsize=9)


def range_figure(values, group, category, colours, axis_label):
    """One panel per value of ``values[group]`` (in order of appearance), its rows the values of
    ``values[category]``; ``colours`` maps each group to its palette colour."""
    groups = list(dict.fromkeys(values[group]))
    top = int(values["high"].max())
    fig, axes = plt.subplots(
        len(groups), 1, figsize=(6.4, 1.05 * len(groups) + 1.3), sharex=True, squeeze=False
    )
    axes = axes[:, 0]
    for ax, name in zip(axes, groups, strict=True):
        rows = values[values[group] == name].reset_index(drop=True)
        for y, row in rows.iterrows():
            draw_row(ax, y, row, colours[name])
        ax.set_yticks(range(len(rows)), list(rows[category]), fontsize=9)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_title(name, loc="left", fontsize=10, fontweight="bold")
        ax.grid(axis="x", color="#E5E5E5", zorder=0)
        ax.tick_params(axis="y", length=0, pad=9)
        ax.set_xlim(0, top + 10)
    axes[-1].set_xlabel(axis_label, fontsize=9)
    axes[-1].tick_params(axis="x", labelsize=9)
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=8,
            color=MUTED,
            markeredgecolor="black",
            label="The only possible count",
        ),
        Line2D(
            [],
            [],
            color=MUTED,
            label="Every count from end to end is possible (exact statements)",
            **EXACT_RANGE,
        ),
        Line2D(
            [],
            [],
            color="black",
            linewidth=1.4,
            marker="|",
            markersize=8,
            label="The same once vague words are read as we read them",
        ),
        *[Patch(color=colours[name], label=name) for name in groups],
    ]
    fig.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.02, 0.0), ncol=2, frameon=False, fontsize=9
    )
    fig.tight_layout()
    return fig
