"""What a drawn figure shows, read back from its artists, and a figure's values as downloaded.

A figure's "values drawn" CSV is the tidy table the figure was drawn from
(:func:`downloadable_table`); the tests check that it is exactly what the figure shows by reading
the drawn figure back: every bar or box (position and size), every point and line vertex, and
every text, in each panel, with positions on a category axis given as the category's tick label
(:func:`drawn_values`), and the marks of a range figure (:func:`drawn_ranges`).

The download neutralises spreadsheet formulas exactly as the table CSVs do
(:func:`nhsreport.presentation.tables.csv_safe`): a label from data such as
``=HYPERLINK(...)`` is drawn as typed and saved as ``'=HYPERLINK(...)``.
"""

import math

import pandas as pd
from matplotlib.collections import Collection, PathCollection
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .tables import csv_safe

COLUMNS = ["panel", "element", "series", "x", "y", "width", "height", "text"]
VALUE_NAMES = ("low", "high", "low as read", "high as read")
DECIMALS = 6


def number(value):
    value = float(value)
    return None if math.isnan(value) else round(value, DECIMALS)


def tick_labels(axis_ticks):
    """position -> label for an axis whose ticks carry category names (not numbers)."""
    labels = {}
    for position, label in axis_ticks:
        text = label.get_text().strip()
        if text and not text.replace(".", "").replace("−", "").replace("-", "").replace(",", "").isdigit():
            labels[round(float(position), 6)] = text.replace("\n", " ")
    return labels


def category(labels, position):
    """The category a position falls on, or the number when the axis is not categorical."""
    return labels.get(round(float(position), 6), number(position))


def legend_label(artist):
    """An artist's legend label ('' for matplotlib's hidden labels such as '_nolegend_')."""
    label = artist.get_label() or ""
    return "" if label.startswith("_") else label


def panel_name(ax, index):
    return ax.get_title() or ax.get_title(loc="left") or f"panel {index + 1}"


def panel_rows(ax, index):
    """Rows for one panel: bars and boxes, points, line vertices and texts."""
    xs = tick_labels(zip(ax.get_xticks(), ax.get_xticklabels(), strict=False))
    ys = tick_labels(zip(ax.get_yticks(), ax.get_yticklabels(), strict=False))
    panel, rows = panel_name(ax, index), []
    # A bar's series is the label of its bar container, or else of a labelled bar of its colour.
    series = {id(bar): legend_label(container) for container in ax.containers for bar in container}
    by_colour = {}
    for patch in ax.patches:
        if series.get(id(patch)):
            by_colour.setdefault(patch.get_facecolor(), series[id(patch)])
    for patch in ax.patches:
        series.setdefault(id(patch), "")
        series[id(patch)] = series[id(patch)] or by_colour.get(patch.get_facecolor(), "")
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_visible():
            x, y, w, h = patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()
            rows.append(
                [
                    panel,
                    "bar",
                    series.get(id(patch)) or legend_label(patch),
                    category(xs, x + w / 2) if xs else number(x),
                    category(ys, y + h / 2) if ys else number(y),
                    number(w),
                    number(h),
                    "",
                ]
            )
    for collection in ax.collections:
        if isinstance(collection, PathCollection) and collection.get_visible():
            for x, y in collection.get_offsets():
                rows.append(
                    [
                        panel,
                        "point",
                        legend_label(collection),
                        category(xs, x),
                        category(ys, y),
                        None,
                        None,
                        "",
                    ]
                )
    for line in ax.lines:
        if line.get_visible():
            label = legend_label(line)
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=False):
                rows.append([panel, "line", label, category(xs, x), category(ys, y), None, None, ""])
    for text in ax.texts:
        if text.get_visible() and text.get_text().strip():
            x, y = text.get_position()
            rows.append(
                [panel, "text", "", number(x), number(y), None, None, text.get_text().replace("\n", " ")]
            )
    return rows


def drawn_values(fig):
    """Everything the figure's panels draw, one row per element, in drawing order."""
    fig.draw_without_rendering()
    rows = [row for index, ax in enumerate(fig.axes) if ax.get_visible() for row in panel_rows(ax, index)]
    return pd.DataFrame(rows, columns=COLUMNS)


def whole(value):
    """A number read from the figure, as an int when it is one (counts are written 3, not 3.0)."""
    value = number(value)
    return int(value) if value is not None and float(value).is_integer() else value


def drawn_ranges(fig):
    """The ranges a :func:`nhsreport.presentation.ranges.range_figure` shows, read from its drawn
    artists: one row per panel (its title) and row (its tick label), in drawing order from the
    top. The whisker above a row's tick gives ``low``/``high``, the one below it
    ``low as read``/``high as read``, and a dot on the tick is a count that is all four. A row
    with no mark is missing, so a check against the table fails."""
    fig.draw_without_rendering()
    rows = []
    for ax in fig.axes:
        labels = tick_labels(zip(ax.get_yticks(), ax.get_yticklabels(), strict=False))
        marks = {}
        for line in ax.lines:
            xs, y = [whole(x) for x in line.get_xdata()], float(line.get_ydata()[0])
            ends = ("low", "high") if y < round(y) else ("low as read", "high as read")
            marks.setdefault(round(y), {}).update(zip(ends, (min(xs), max(xs)), strict=True))
        for collection in ax.collections:
            for x, y in collection.get_offsets():
                marks.setdefault(round(y), {}).update(dict.fromkeys(VALUE_NAMES, whole(x)))
        rows += [
            {"panel": panel_name(ax, 0), "category": category(labels, y), **marks[y]} for y in sorted(marks)
        ]
    return pd.DataFrame(rows)


def downloadable_table(values):
    """A figure's tidy table as its "values drawn" CSV holds it (formulas kept as text)."""
    return values.map(csv_safe)


def handle_colour(handle):
    """The colour a legend key shows: a patch's fill (its outline when unfilled), a marker's face
    (a line's colour when it has no marker or an unfilled one), a scatter's first face colour."""
    if isinstance(handle, Patch):
        fill = handle.get_facecolor()
        return handle.get_edgecolor() if fill[3] == 0 or to_hex(fill) == "#ffffff" else fill
    if isinstance(handle, Line2D):
        face = handle.get_markerfacecolor()
        marked = handle.get_marker() not in (None, "", "None", "none") and to_hex(face) != "#ffffff"
        return face if marked else handle.get_color()
    if isinstance(handle, Collection) and len(handle.get_facecolor()):
        return handle.get_facecolor()[0]
    return None


def legend_colours(fig):
    """[label, colour] for every entry of every legend of the figure, as drawn (colour as '#rrggbb')."""
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    pairs = []
    for legend in filter(None, legends):
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
            colour = handle_colour(handle)
            if colour is not None:
                pairs.append([text.get_text(), to_hex(colour)])
    return pairs
