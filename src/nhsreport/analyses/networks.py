"""Managers' networks (book chapter 7): the typology, its dimensions, the evidence that ties network
types to dimension poles, trusts and cohorts, and the motives for networking.

Everything here is computed from validated frames (``chapter["network_evidence"]`` and friends).
The book prints no counts of networks: each cell of the grids below is a *reading* of one or more
statements, and every reading keeps the ids of the statements (``n-NNN``) it rests on.
"""

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..data.codes import cohort_codes, trust_codes
from ..presentation.style import COHORT_COLOURS, MUTED, TRUST_COLOURS, UNCERTAIN

NOT_DESCRIPTIONS = "not described"
GENERAL_ROW = "_general"
GENERAL_LABEL = "No single type (networks in general)"

# Readings of a type x dimension cell.
LEFT, RIGHT, VARIES, BOTH, SILENT = "left", "right", "varies", "both", NOT_DESCRIPTIONS
READING_TEXT = {
    LEFT: "left-hand pole",
    RIGHT: "right-hand pole",
    VARIES: "varies (both poles, as the book says)",
    BOTH: "both poles ascribed, in separate statements (conflict)",
    SILENT: NOT_DESCRIPTIONS,
}

# How far the type of a cell was inferred from wording (network_evidence.type_inferred).
NAMED, PARTLY, INFERRED = "named", "partly inferred", "inferred only"

# Relations of trust/cohort statements, grouped into four marks for the figure.
RELATION_CLASS = {
    "relies_most_on": "most",
    "relies_on": "has",
    "has": "has",
    "mostly": "has",
    "fewer": "fewer",
    "lacks": "lacks",
}
CLASS_ORDER = ("most", "has", "fewer", "lacks")
CLASS_LABEL = {
    "most": "relies on most / more than others",
    "has": "has, relies on, or mostly has",
    "fewer": "has fewer, narrower or less access",
    "lacks": "lacks",
}
CLASS_MARKER = {"most": "^", "has": "o", "fewer": "v", "lacks": "X"}
# Statements that are expectations set before fieldwork, not findings (network_evidence.scope_note).
EXPECTATION_NOTE = "a priori expectation"

# Words of share_printed that make an interval open-ended (see data/README.md, network_motives).
OPEN_UPWARD = ("over ", "more than ", "the majority")
OPEN_DOWNWARD = ("less than ",)
BASIS_TITLE = {
    "references": "Share of the coded references to networking motives",
    "interviewees": "Share of the managers interviewed",
}


# --- Tables 7.1 and 7.2 -------------------------------------------------------------------------


def typology_table(types):
    """Table 7.1 in printed order: the label as printed and our paraphrase of its description."""
    ordered = types.sort_values("display_order")
    return pd.DataFrame(
        {
            "No.": [int(v) for v in ordered["display_order"]],
            "Nature of network": list(ordered["label"]),
            "Description (our paraphrase)": list(ordered["description"]),
            "Page": [int(v) for v in ordered["page"]],
        }
    )


def dimensions_table(dimensions, poles):
    """Table 7.2 in printed order: each dimension with its left-hand and right-hand pole."""
    by_side = poles.set_index(["dimension", "side"])["pole_label"]
    ordered = dimensions.sort_values("display_order")
    return pd.DataFrame(
        {
            "Dimension": list(ordered["label"]),
            "Left-hand pole": [by_side[(d, LEFT)] for d in ordered["code"]],
            "Right-hand pole": [by_side[(d, RIGHT)] for d in ordered["code"]],
        }
    )


# --- evidence -----------------------------------------------------------------------------------


def check_targets(evidence, poles):
    """Every dimension_pole statement names a pole of its own dimension; raise ValueError if not."""
    valid = set(zip(poles["dimension"], poles["pole"]))
    rows = evidence[evidence["target_kind"] == "dimension_pole"]
    wrong = [
        f"{e}: {d}/{t}"
        for e, d, t in zip(rows["evidence_id"], rows["dimension"], rows["target"])
        if (d, t) not in valid
    ]
    if wrong:
        raise ValueError("pole not of its dimension (Table 7.2): " + ", ".join(wrong))


def inference_status(flags):
    """named / partly inferred / inferred only, from the type_inferred flags of a cell's rows."""
    flags = [bool(f) for f in flags]
    if not any(flags):
        return NAMED
    return INFERRED if all(flags) else PARTLY


def pole_reading(sides, relations):
    """The reading of one cell from the sides of the poles ascribed and the relations used."""
    sides = set(sides)
    if not sides:
        return SILENT
    if "varies" in relations:
        return VARIES
    if len(sides) == 2:
        return BOTH
    return sides.pop()


def dimension_cells(evidence, types, dimensions, poles):
    """One row per (network type, dimension) of Tables 7.1 x 7.2, with the reading of the book's
    statements (left / right / varies / both / not described) and the statements behind it."""
    check_targets(evidence, poles)
    side_of = dict(zip(zip(poles["dimension"], poles["pole"]), poles["side"]))
    rows = evidence[evidence["target_kind"] == "dimension_pole"]
    cells = []
    for type_code in types.sort_values("display_order")["code"]:
        for dimension in dimensions.sort_values("display_order")["code"]:
            hit = rows[(rows["network_type"] == type_code) & (rows["dimension"] == dimension)]
            sides = [side_of[(dimension, t)] for t in hit["target"]]
            relations = list(hit["relation"])
            cells.append(
                {
                    "network_type": type_code,
                    "dimension": dimension,
                    "reading": pole_reading(sides, relations),
                    "only_mostly": bool(relations) and set(relations) == {"mostly"},
                    "poles": tuple(sorted(set(hit["target"]), key=lambda t: side_of[(dimension, t)])),
                    "evidence": evidence_items(hit),
                    "inference": inference_status(hit["type_inferred"]) if len(hit) else "",
                }
            )
    return pd.DataFrame(cells)


def evidence_items(rows, what="target"):
    """(id, what, relation, page, inferred) for each statement, in id order."""
    ordered = rows.sort_values("evidence_id")
    return tuple(
        (e, w, r, int(p), bool(i))
        for e, w, r, p, i in zip(
            ordered["evidence_id"],
            ordered[what],
            ordered["relation"],
            ordered["page"],
            ordered["type_inferred"],
        )
    )


def group_cells(evidence, types):
    """One row per (network type or 'no single type', trust or cohort) that the book mentions,
    with the relation classes used and the statements behind them."""
    rows = evidence[evidence["target_kind"].isin(["trust", "cohort"])].copy()
    rows["row"] = rows["network_type"].fillna(GENERAL_ROW).replace("", GENERAL_ROW)
    order = list(types.sort_values("display_order")["code"]) + [GENERAL_ROW]
    groups = [("cohort", c) for c in cohort_codes()] + [("trust", t) for t in trust_codes()]
    cells = []
    for row in order:
        for kind, group in groups:
            hit = rows[(rows["row"] == row) & (rows["target_kind"] == kind) & (rows["target"] == group)]
            if hit.empty:
                continue
            classes = [c for c in CLASS_ORDER if c in {RELATION_CLASS[r] for r in hit["relation"]}]
            cells.append(
                {
                    "network_type": row,
                    "group_kind": kind,
                    "group": group,
                    "classes": tuple(classes),
                    "inferred_classes": classes_resting_only_on(hit, classes, hit["type_inferred"]),
                    "expected_classes": classes_resting_only_on(
                        hit, classes, hit["scope_note"].fillna("").str.contains(EXPECTATION_NOTE)
                    ),
                    "evidence": evidence_items(hit, what="target"),
                    "inference": inference_status(hit["type_inferred"]) if row != GENERAL_ROW else NAMED,
                }
            )
    return pd.DataFrame(cells)


def classes_resting_only_on(rows, classes, flags):
    """The relation classes of a cell whose every statement has the flag set."""
    flags = pd.Series([bool(f) for f in flags], index=rows.index)
    of_class = rows["relation"].map(RELATION_CLASS)
    return tuple(c for c in classes if flags[of_class == c].all())


# The relations of network_evidence in words, for readers.
RELATION_WORDS = {
    "has": "has",
    "mostly": "mostly has",
    "varies": "varies",
    "relies_on": "relies on",
    "relies_most_on": "relies on most",
    "fewer": "has fewer",
    "lacks": "lacks",
}


def format_evidence(items, show_target=True, with_ids=True, target_words=None):
    """'n-007 (formal, varies, p. 133); ...' for the evidence table; without ids, a reader's
    version: 'formal: varies (p. 133); ...' with relations in words and type inference starred."""
    parts = []
    for evidence_id, target, relation, page, inferred in items:
        if with_ids:
            what = f"{target}, {relation}" if show_target else relation
            parts.append(f"{evidence_id} ({what}, p. {page})")
        else:
            words = RELATION_WORDS.get(relation, relation.replace("_", " "))
            name = (target_words or {}).get(target, target)
            what = f"{name}: {words}" if show_target else words
            parts.append(f"{what} (p. {page}){'*' if inferred else ''}")
    return "; ".join(parts)


def pages_of(items):
    pages = sorted({p for *_, p, _ in items})
    return ", ".join(str(p) for p in pages)


def evidence_table(
    dim_cells, grp_cells, type_labels, dimension_labels, group_labels, pole_labels, with_ids=True
):
    """Every non-empty cell of the two grids, with its reading and the statements (id, relation,
    page) behind it, so that each mark of the figures can be traced to its page. With
    ``with_ids=False`` the reader's version: no statement ids or codes, headings in words, and a
    star on each statement whose network type was read from the wording."""
    if not with_ids:
        return reader_evidence_table(
            dim_cells, grp_cells, type_labels, dimension_labels, group_labels, pole_labels
        )
    rows = []
    for cell in dim_cells[dim_cells["reading"] != SILENT].itertuples():
        reading = {
            VARIES: "varies: " + " and ".join(pole_labels[(cell.dimension, p)] for p in cell.poles),
            BOTH: "both: " + " and ".join(pole_labels[(cell.dimension, p)] for p in cell.poles),
        }.get(
            cell.reading,
            pole_labels[(cell.dimension, cell.poles[0])] + (" (mostly)" if cell.only_mostly else ""),
        )
        rows.append(
            (
                "a: type × dimension",
                type_labels[cell.network_type],
                dimension_labels[cell.dimension],
                reading,
                format_evidence(cell.evidence),
                pages_of(cell.evidence),
                inferred_ids(cell.evidence),
            )
        )
    for cell in grp_cells.itertuples():
        reading = "; ".join(
            CLASS_LABEL[c] + (" (expectation before fieldwork)" if c in cell.expected_classes else "")
            for c in cell.classes
        )
        rows.append(
            (
                "b: type × group",
                type_labels.get(cell.network_type, GENERAL_LABEL),
                group_labels[cell.group],
                reading,
                format_evidence(cell.evidence, show_target=False),
                pages_of(cell.evidence),
                inferred_ids(cell.evidence),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Panel",
            "Network type",
            "Column",
            "Reading",
            "Evidence (id: relation, page)",
            "Pages",
            "Type inferred from wording",
        ],
    )


def reader_evidence_table(dim_cells, grp_cells, type_labels, dimension_labels, group_labels, pole_labels):
    """The evidence table for readers (see ``evidence_table``)."""
    full = evidence_table(dim_cells, grp_cells, type_labels, dimension_labels, group_labels, pole_labels)
    statements = []
    for cell in dim_cells[dim_cells["reading"] != SILENT].itertuples():
        pole_words = {p: pole_labels[(cell.dimension, p)] for p in cell.poles}
        statements.append(format_evidence(cell.evidence, with_ids=False, target_words=pole_words))
    for cell in grp_cells.itertuples():
        statements.append(format_evidence(cell.evidence, show_target=False, with_ids=False))
    grid = {"a: type × dimension": "Types by dimension", "b: type × group": "Types by group and trust"}
    return pd.DataFrame(
        {
            "Grid": [grid[p] for p in full["Panel"]],
            "Network type": full["Network type"],
            "Dimension, group or trust": full["Column"],
            "Reading": full["Reading"],
            "What the statements say (page; * type read from the wording)": statements,
        }
    )


def group_summary(grp_cells, type_labels, group_labels):
    """One row per management group and trust: the network types the book says it relies on or
    has, and those it says it has fewer of or lacks (faint expectations before fieldwork marked)."""
    rows = []
    groups = [("cohort", c) for c in cohort_codes()] + [("trust", t) for t in trust_codes()]
    for kind, group in groups:
        mine = grp_cells[(grp_cells["group_kind"] == kind) & (grp_cells["group"] == group)]
        strong, weak = [], []
        for cell in mine.itertuples():
            name = type_labels.get(cell.network_type, "networks in general")
            for cls in cell.classes:
                label = name + (" (expected before fieldwork)" if cls in cell.expected_classes else "")
                label += "*" if cls in cell.inferred_classes else ""
                target = strong if cls in ("most", "has") else weak
                if label not in target:
                    target.append(label)
        rows.append(
            {
                "Group or trust": group_labels[group] + (" managers" if kind == "cohort" else " trust"),
                "Relies on or has": "; ".join(strong) or "—",
                "Has fewer or lacks": "; ".join(weak) or "—",
            }
        )
    return pd.DataFrame(rows)


def inferred_ids(items):
    ids = [e for e, *_, inferred in items if inferred]
    return ", ".join(ids) if ids else "—"


# --- figure (a): type x dimension ---------------------------------------------------------------

FILL = "#555555"  # a filled pole half; MUTED/UNCERTAIN mark what is weaker or absent
VARIES_MARK = "↔"


#: The type x dimension figure's tidy table: its column headers, by the key the drawing uses.
DIMENSION_COLUMNS = {
    "type_name": "network type",
    "dimension_name": "dimension",
    "left_pole": "left-hand pole",
    "right_pole": "right-hand pole",
    "reading_text": "reading",
    "only_mostly": "only that the type mostly has it",
    "inference": "type named or inferred",
}


def type_dimension_values(cells, types, dimensions, poles):
    """The tidy table the type x dimension figure is drawn from: one row per network type and
    dimension of :func:`dimension_cells`, in drawing order, with the dimension's two poles (Table
    7.2), the reading of the book's statements, whether they only say the type mostly has the
    pole, and how far the type was inferred from wording (empty where the book is silent)."""
    type_names = dict(zip(types["code"], types["label"]))
    dim_names = dict(zip(dimensions["code"], dimensions["label"]))
    pole_of = {
        (d, side): label for d, side, label in zip(poles["dimension"], poles["side"], poles["pole_label"])
    }
    frame = pd.DataFrame(
        {
            "type_name": cells["network_type"].map(type_names),
            "dimension_name": cells["dimension"].map(dim_names),
            "left_pole": [pole_of[(d, LEFT)] for d in cells["dimension"]],
            "right_pole": [pole_of[(d, RIGHT)] for d in cells["dimension"]],
            "reading_text": cells["reading"].map(READING_TEXT),
            "only_mostly": cells["only_mostly"],
            "inference": cells["inference"],
        }
    )
    return frame.rename(columns=DIMENSION_COLUMNS)


def type_dimension_figure(values):
    """A grid of network types (rows) by dimensions (columns), from :func:`type_dimension_values`.
    Each cell is split into the two poles of Table 7.2 (left-hand pole on the left); a half is
    filled where the book ascribes that pole to the type, both halves where it says the type
    varies; cells the book is silent on are left blank. Hatching marks cells whose type was
    inferred from the book's wording."""
    frame = values.rename(columns={v: k for k, v in DIMENSION_COLUMNS.items()})
    frame["reading"] = frame["reading_text"].map({text: code for code, text in READING_TEXT.items()})
    frame["inference"] = frame["inference"].fillna("")
    type_order = list(dict.fromkeys(frame["type_name"]))
    dims = list(dict.fromkeys(frame["dimension_name"]))
    ends = frame.drop_duplicates("dimension_name").set_index("dimension_name")
    short = {
        d: [ends.loc[d, f"{side}_pole"].replace(" to organization", "") for side in (LEFT, RIGHT)]
        for d in dims
    }
    lookup = frame.set_index(["type_name", "dimension_name"])
    fig, ax = plt.subplots(figsize=(6.0, 6.4))
    step = 1.25
    for r, type_code in enumerate(type_order):
        for c, dim in enumerate(dims):
            draw_pole_cell(ax, c * step, r, lookup.loc[(type_code, dim)])
    ax.set_xlim(-0.1, len(dims) * step)
    ax.set_ylim(len(type_order), -0.1)
    ax.set_yticks([r + 0.5 for r in range(len(type_order))], type_order)
    ax.set_xticks(
        [c * step + 0.5 for c in range(len(dims))],
        [f"{d}\n{short[d][0]}\n| {short[d][1]}" for d in dims],
        fontsize=8,
    )
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [
        Patch(facecolor=FILL, label="pole ascribed to the type"),
        Patch(facecolor=UNCERTAIN, label="pole the type mostly has"),
        Patch(facecolor="white", edgecolor=FILL, hatch="////", label="type inferred from the book's wording"),
        Patch(facecolor="white", edgecolor=UNCERTAIN, label="– not described"),
        Line2D(
            [],
            [],
            linestyle="none",
            marker=f"${VARIES_MARK}$",
            color="black",
            markersize=9,
            label="book says the type varies between the poles",
        ),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="$*$",
            color="black",
            label="some of the cell's statements inferred",
        ),
    ]
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.3, -0.01), ncol=1, frameon=False, fontsize=8
    )
    return fig


def draw_pole_cell(ax, x0, y0, cell):
    """One cell of figure (a): two halves, left-hand and right-hand pole."""
    top, height = y0 + 0.1, 0.8
    if cell["reading"] == SILENT:
        ax.add_patch(Rectangle((x0, top), 1, height, facecolor="white", edgecolor=UNCERTAIN, linewidth=0.6))
        ax.text(x0 + 0.5, y0 + 0.5, "–", ha="center", va="center", color=MUTED, fontsize=8)
        return
    for k, side in enumerate((LEFT, RIGHT)):
        filled = cell["reading"] in (VARIES, BOTH) or cell["reading"] == side
        colour = UNCERTAIN if cell["only_mostly"] else FILL
        inferred = filled and cell["inference"] == INFERRED
        ax.add_patch(
            Rectangle(
                (x0 + k / 2, top),
                0.5,
                height,
                facecolor="white" if inferred or not filled else colour,
                edgecolor=colour if inferred else (UNCERTAIN if not filled else "white"),
                linewidth=0.6,
                hatch="////" if inferred else None,
            )
        )
    marks = {VARIES: VARIES_MARK, BOTH: "!"}
    if cell["reading"] in marks:
        ax.text(
            x0 + 1.03, y0 + 0.5, marks[cell["reading"]], ha="left", va="center", fontsize=9, fontweight="bold"
        )
    if cell["inference"] == PARTLY:
        ax.text(x0 + 1.03, y0 + 0.22, "*", ha="left", va="center", fontsize=9)


# --- figure (b): type x trust and cohort --------------------------------------------------------


GROUP_KINDS = {"cohort": "management group", "trust": "trust"}


def type_group_values(cells, types, trust_names, cohort_names):
    """The tidy table the type x group figure is drawn from: one row per mark, that is per network
    type (or none), management group or trust, and kind of statement the book makes of them
    (:func:`group_cells`), in drawing order, with whether it rests only on statements whose type
    was inferred from wording, or only on expectations set before fieldwork."""
    type_names = {**dict(zip(types["code"], types["label"])), GENERAL_ROW: GENERAL_LABEL}
    names = {"cohort": cohort_names, "trust": trust_names}
    rows = [
        {
            "network type": type_names[cell.network_type],
            "group kind": GROUP_KINDS[cell.group_kind],
            "group": names[cell.group_kind][cell.group],
            "statement": CLASS_LABEL[cls],
            "type inferred from wording": cls in cell.inferred_classes,
            "expectation before fieldwork": cls in cell.expected_classes,
        }
        for cell in cells.itertuples()
        for cls in cell.classes
    ]
    return pd.DataFrame(rows)


def type_group_figure(values, trust_names, cohort_names):
    """Network types (rows, plus 'no single type') by cohort and by trust (columns), from
    :func:`type_group_values`: a mark for each kind of statement the book makes about the group
    and the type; hollow marks rest only on statements whose type was inferred from wording."""
    # Only the types the book ties to some group or trust get a row (the others would stay empty).
    type_order = [t for t in dict.fromkeys(values["network type"]) if t != GENERAL_LABEL] + [GENERAL_LABEL]
    columns = [("cohort", c) for c in cohort_codes()] + [("trust", t) for t in trust_codes()]
    colour = {
        **{("cohort", c): COHORT_COLOURS[c] for c in cohort_codes()},
        **{("trust", t): TRUST_COLOURS[t] for t in trust_codes()},
    }
    names = {
        **{("cohort", c): cohort_names[c] for c in cohort_codes()},
        **{("trust", t): trust_names[t] for t in trust_codes()},
    }
    column_of = {(GROUP_KINDS[kind], names[(kind, code)]): (kind, code) for kind, code in columns}
    class_of = {label: cls for cls, label in CLASS_LABEL.items()}
    x_of = {col: i + (0.6 if col[0] == "trust" else 0) for i, col in enumerate(columns)}
    fig, ax = plt.subplots(figsize=(6.2, 0.45 * len(type_order) + 0.9))
    for r in range(len(type_order)):
        if r % 2 == 0:
            ax.axhspan(r - 0.5, r + 0.5, color="#F4F4F4", zorder=0, linewidth=0)
    for (type_name, kind, group), marks in values.groupby(
        ["network type", "group kind", "group"], sort=False
    ):
        r, col = type_order.index(type_name), column_of[(kind, group)]
        n = len(marks)
        flags = zip(
            marks["statement"], marks["type inferred from wording"], marks["expectation before fieldwork"]
        )
        for k, (statement, hollow, expected) in enumerate(flags):
            cls = class_of[statement]
            x = x_of[col] + (k - (n - 1) / 2) * 0.22
            ax.scatter(
                [x],
                [r],
                marker=CLASS_MARKER[cls],
                s=70,
                zorder=3,
                linewidths=1.4,
                facecolors="white" if hollow else colour[col],
                edgecolors=colour[col],
                alpha=0.45 if expected else 1.0,
            )
            if expected:
                ax.text(x, r + 0.36, "expected", fontsize=7.5, ha="center", va="center", color=MUTED)
    ax.axvline(2.8, color=MUTED, linewidth=0.8)
    ax.set_xticks(
        [x_of[c] for c in columns], [names[c] for c in columns], fontsize=8.5, rotation=30, ha="left"
    )
    ax.xaxis.tick_top()
    ax.text(1, -1.5, "Management group", ha="center", fontsize=9.5, fontweight="bold")
    ax.text(4.6, -1.5, "Trust", ha="center", fontsize=9.5, fontweight="bold")
    ax.set_yticks(range(len(type_order)), type_order)
    ax.set_ylim(len(type_order) - 0.5, -0.5)
    ax.set_xlim(-0.6, max(x_of.values()) + 0.6)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=CLASS_MARKER[c],
            color="black",
            markersize=7,
            label=CLASS_LABEL[c],
        )
        for c in CLASS_ORDER
    ]
    handles.append(
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markerfacecolor="white",
            markeredgecolor="black",
            markersize=7,
            label="hollow: type inferred from wording",
        )
    )
    handles.append(
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            color="black",
            alpha=0.45,
            markersize=7,
            label="faint, 'expected': expectation before fieldwork",
        )
    )
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.3, -0.01), ncol=1, frameon=False, fontsize=8
    )
    return fig


# --- figure (c): motives ------------------------------------------------------------------------


@dataclass
class ShareInterval:
    """A share printed in words or as a number, as an interval in percent."""

    low: float
    high: float
    exact: bool
    open_low: bool = False  # the bound is excluded and the interval is open-ended downwards
    open_high: bool = False  # ... upwards


def share_interval(printed, low, high, approximate):
    """The interval a printed share stands for (bounds from network_motives), with its open ends:
    'over half' and 'the majority' run open-ended upwards from an excluded bound, 'less than a
    third' open-ended downwards."""
    words = printed.lower()
    up = any(words.startswith(w) for w in OPEN_UPWARD)
    down = any(words.startswith(w) for w in OPEN_DOWNWARD)
    if not approximate and low != high:
        raise ValueError(f"exact share {printed!r} printed with bounds {low}-{high}")
    return ShareInterval(float(low), float(high), not approximate, open_low=down, open_high=up)


def motive_shares(motives, sample_size):
    """Rows for figure (c): every printed share (with its interval) and every printed count of
    interviewees (with the share it implies of the sample, derived here and marked so)."""
    rows = []
    for m in motives.sort_values("motive_id").itertuples():
        base = {
            "motive_id": m.motive_id,
            "motive": m.motive,
            "label": m.motive_label,
            "group": m.group,
            "basis": m.share_basis,
            "printed": m.share_printed,
            "page": int(m.page),
        }
        if isinstance(m.share_printed, str) and m.share_printed:
            interval = share_interval(
                m.share_printed, m.share_low, m.share_high, bool(m.share_is_approximate)
            )
            rows.append(
                {
                    **base,
                    "kind": "exact" if interval.exact else "approximate",
                    "low": interval.low,
                    "high": interval.high,
                    "open_low": interval.open_low,
                    "open_high": interval.open_high,
                }
            )
        elif not pd.isna(m.count_printed):
            share = 100 * int(m.count_printed) / sample_size
            rows.append(
                {
                    **base,
                    "printed": f"{int(m.count_printed)} interviewees",
                    "kind": "count",
                    "count": int(m.count_printed),
                    "low": share,
                    "high": share,
                    "open_low": False,
                    "open_high": False,
                }
            )
    return pd.DataFrame(rows)


def remainder_bounds(shares):
    """What 'the remainder' (p. 137) implies if the four reference shares add up to 100: knowledge +
    support = 100 - career - influence, so each of the two approximate shares is bounded by the
    other's interval. Returns a dict of bounds in percent (None if a share is missing)."""
    refs = shares[(shares["basis"] == "references")].set_index("motive")
    if not {"knowledge", "support", "career", "influence"} <= set(refs.index):
        return None
    exact = refs.loc[["career", "influence"]]
    if not (exact["kind"] == "exact").all():
        return None
    rest = 100 - float(exact["low"].sum())
    k, s = refs.loc["knowledge"], refs.loc["support"]
    return {
        "rest": rest,
        "knowledge_low": float(max(k["low"], rest - s["high"])),
        "knowledge_high": float(min(k["high"], rest - s["low"])),
        "support_low": float(max(s["low"], rest - k["high"])),
        "support_high": float(min(s["high"], rest - k["low"])),
        # 'over half' excludes its lower bound; it carries over to the bounds it sets
        "knowledge_low_excluded": bool(k["open_high"] and k["low"] >= rest - s["high"]),
        "support_high_excluded": bool(k["open_high"] and rest - k["low"] <= s["high"]),
    }


#: The motives figure's tidy table: its column headers and what each panel's shares are of.
SHARE_OF = {"references": "coded references", "interviewees": "managers interviewed"}
MOTIVE_COLUMNS = {
    "basis": "share of",
    "motive": "motive",
    "group": "group",
    "page": "page",
    "printed": "printed as",
    "kind": "kind",
    "low": "low (%)",
    "high": "high (%)",
    "open_low": "open-ended downwards",
    "open_high": "open-ended upwards",
    "count": "managers",
    "sample_size": "of managers interviewed",
    "sum_low": "low if the four reference shares add up to 100 (%)",
    "sum_high": "high if the four reference shares add up to 100 (%)",
}


def motive_values(shares, sample_size):
    """The tidy table the motives figure is drawn from: one row per printed share or count
    (:func:`motive_shares`) with its interval in per cent, the managers a count names and the
    managers interviewed that it is taken as a share of, and, for the knowledge and support shares of the coded
    references, the bounds they have if the four reference shares add up to 100
    (:func:`remainder_bounds`)."""
    frame = shares.copy()
    if "count" not in frame:
        frame["count"] = None
    frame["sample_size"] = [sample_size if kind == "count" else None for kind in frame["kind"]]
    bounds = remainder_bounds(shares)
    for end in ("low", "high"):
        frame[f"sum_{end}"] = [
            bounds[f"{m}_{end}"] if bounds and b == "references" and m in ("knowledge", "support") else None
            for m, b in zip(frame["motive"], frame["basis"])
        ]
    frame["basis"] = frame["basis"].map(SHARE_OF)
    frame["motive"] = frame["motive"].map(MOTIVE_NAMES)
    frame["count"] = frame["count"].astype("Int64")
    frame["sample_size"] = frame["sample_size"].astype("Int64")
    return frame[list(MOTIVE_COLUMNS)].rename(columns=MOTIVE_COLUMNS)


def motives_figure(values):
    """Two panels (references, interviewees) on a 0-100 per cent scale, from :func:`motive_values`:
    exact shares as dots, approximate ones as grey bars spanning their interval (arrows where
    open-ended, a hollow circle at an excluded bound), counts as hollow diamonds at the share of
    the sample they imply."""
    shares = values.rename(columns={v: k for k, v in MOTIVE_COLUMNS.items()})
    sizes = shares["sample_size"].dropna()
    bases = list(SHARE_OF.values())
    titles = {SHARE_OF[code]: title for code, title in BASIS_TITLE.items()}
    heights = [max(1, (shares["basis"] == b).sum()) for b in bases]
    fig, axes = plt.subplots(
        2, 1, figsize=(7.0, 5.0), sharex=True, gridspec_kw={"height_ratios": heights, "hspace": 0.45}
    )
    for ax, basis in zip(axes, bases):
        rows = shares[shares["basis"] == basis].reset_index(drop=True)
        for y, row in rows.iterrows():
            draw_share(ax, y, row)
        ax.set_yticks(
            range(len(rows)),
            [f"{r.motive}{group_suffix(r.group)} (p. {r.page})" for r in rows.itertuples()],
            fontsize=8.5,
        )
        draw_remainder_bounds(ax, rows)
        ax.set_ylim(len(rows) - 0.4, -0.6)
        ax.set_xlim(0, 100)
        ax.grid(axis="x", color="#E5E5E5", zorder=0)
        ax.set_title(titles[basis], loc="left", fontsize=9.5)
    axes[-1].set_xlabel("Per cent")
    handles = [
        Line2D([], [], linestyle="none", marker="o", color="black", label="exact (printed percentage)"),
        Line2D([], [], color=UNCERTAIN, linewidth=7, label="approximate (interval from the words)"),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markerfacecolor="white",
            markeredgecolor="black",
            label="excluded bound, open-ended side arrowed",
        ),
        *(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                markerfacecolor="white",
                markeredgecolor="black",
                label=f"printed count ÷ {int(size)} interviewed (derived)",
            )
            for size in sizes.unique()
        ),
        Line2D(
            [],
            [],
            color="black",
            linewidth=1,
            marker="|",
            markersize=6,
            label="bounds if the four reference shares add up to 100 (derived)",
        ),
    ]
    axes[-1].legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.45, -0.32), ncol=2, frameon=False, fontsize=8
    )
    return fig


MOTIVE_NAMES = {
    "knowledge": "Knowledge",
    "support": "Support",
    "career": "Career",
    "influence": "Influence",
    "career_or_influence": "Career or influence",
}


def group_suffix(group):
    return "" if group == "all" else f", {group}"


def draw_remainder_bounds(ax, rows):
    """Thin bracketed lines under the knowledge and support bars: the bounds implied if the four
    reference shares add up to 100 (see :func:`remainder_bounds`)."""
    for y, row in rows.iterrows():
        if pd.notna(row["sum_low"]):
            ax.plot(
                [row["sum_low"], row["sum_high"]],
                [y + 0.3, y + 0.3],
                color="black",
                linewidth=1,
                marker="|",
                markersize=6,
                zorder=4,
            )


def draw_share(ax, y, row):
    """One row of the motives figure."""
    if row["kind"] == "exact":
        ax.scatter([row["low"]], [y], color="black", s=30, zorder=4)
        ax.text(row["low"] + 1.5, y, row["printed"], fontsize=7.5, va="center")
        return
    if row["kind"] == "count":
        ax.scatter([row["low"]], [y], marker="D", facecolors="white", edgecolors="black", s=30, zorder=4)
        ax.text(
            row["low"] + 1.5,
            y,
            f"{int(row['count'])} of {int(row['sample_size'])} interviewed = {row['low']:.0f}% (derived)",
            fontsize=7.5,
            va="center",
        )
        return
    low, high = row["low"], row["high"]
    ax.plot([low, high], [y, y], color=UNCERTAIN, linewidth=7, solid_capstyle="butt", zorder=2)
    if row["open_high"]:
        ax.annotate(
            "",
            xy=(high, y),
            xytext=(high - 6, y),
            arrowprops={"arrowstyle": "-|>", "color": MUTED, "lw": 1.2},
            zorder=3,
        )
        ax.scatter([low], [y], marker="o", facecolors="white", edgecolors="black", s=30, zorder=4)
    if row["open_low"]:
        ax.annotate(
            "",
            xy=(low, y),
            xytext=(low + 6, y),
            arrowprops={"arrowstyle": "-|>", "color": MUTED, "lw": 1.2},
            zorder=3,
        )
        ax.scatter([high], [y], marker="o", facecolors="white", edgecolors="black", s=30, zorder=4)
    text_x = high + 1.5 if high < 80 else low - 2
    ax.text(text_x, y, f"“{row['printed']}”", fontsize=7.5, va="center", ha="left" if high < 80 else "right")


# --- motives: group differences -----------------------------------------------------------------


def motive_group_table(motives, group_names):
    """Every statement about a motive that compares groups or names no share: motive, group, basis,
    the printed comparison and its page."""
    rows = motives[motives["relative_printed"].fillna("") != ""].sort_values("motive_id")
    return pd.DataFrame(
        {
            "Motive": [MOTIVE_NAMES[m] for m in rows["motive"]],
            "Worded as": list(rows["motive_label"]),
            "Group": [group_names.get(g, label) for g, label in zip(rows["group"], rows["group_label"])],
            "Basis": list(rows["share_basis"]),
            "Comparison (as printed)": list(rows["relative_printed"]),
            "Page": [int(p) for p in rows["page"]],
        }
    )


def count_cells(cells, **conditions):
    """How many rows of a cells frame meet every column=value condition (a Python int)."""
    mask = np.ones(len(cells), dtype=bool)
    for column, value in conditions.items():
        mask &= (cells[column] == value).to_numpy()
    return int(mask.sum())


def outside_by_definition(evidence):
    """Network types placed outside the organization only because the book's Table 7.1 defines
    them as contacts in other organizations (this report's reading, not a statement of the book)."""
    rows = evidence[
        (evidence["locator"] == "Table 7.1")
        & (evidence["dimension"] == "position")
        & (evidence["target"] == "external")
        & (evidence["relation"] == "has")
    ]
    return set(rows["network_type"])
