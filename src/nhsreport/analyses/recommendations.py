"""Recommendations and limitations of the study (NIHR report, source 001; book chapter 8).

The seven recommendations (``recommendations``), their sub-points with the level(s) each is
addressed to (``recommendation_points``: national, regional and/or trust, with how the level
was found), and the limitations the authors state (``limitations``). Every function takes
validated frames and returns a frame, a dict or a matplotlib Figure.
"""

import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from ..presentation import wording
from ..presentation.style import MUTED, UNCERTAIN

LEVELS = ("national", "regional", "trust")
NO_LEVEL = "none"
LEVEL_LABELS = {"national": "National", "regional": "Regional", "trust": "Trust", NO_LEVEL: "No level named"}

# How the level of a sub-point was found (recommendation_points.level_basis), shortened.
STATED, INFERRED, MIXED, NOT_STATED = "stated", "inferred", "mixed", "not stated"
BASIS = {
    "stated": STATED,
    "inferred from actor": INFERRED,
    "stated + inferred from actor": MIXED,
    "not stated": NOT_STATED,
}
BASIS_MARKS = {STATED: "", INFERRED: " †", MIXED: " ‡", NOT_STATED: ""}
BASIS_WORDS = {
    STATED: "stated",
    INFERRED: "inferred from the organisation named",
    MIXED: "one level stated, another inferred from the organisation named",
    NOT_STATED: "no level or organisation named",
}

SOURCE_LABELS = {"001": "NIHR report", "000": "Book"}

# Which book limitation restates which report limitation. The codebook of limitations.csv says the
# book's three 'Directions for Future Research' points (000 nos. 2-4) overlap with the report's
# first three (001 nos. 1-3), in that order; the book's caveat no. 1 (p. 160) and the report's
# nos. 4 and 5 have no listed counterpart.
COUNTERPARTS = {("000", 2): ("001", 1), ("000", 3): ("001", 2), ("000", 4): ("001", 3)}


# --- reading the sub-points --------------------------------------------------------------------


def point_id(rec_no, point_no):
    return f"{int(rec_no)}.{int(point_no)}"


def is_blank(value):
    """True for a missing or empty cell."""
    return pd.isna(value) or str(value).strip() == ""


def parse_levels(levels, basis):
    """The level codes of one sub-point, checked against its level_basis: a sub-point with no level
    named must have no level code, and every other sub-point at least one, each known, none twice."""
    codes = [] if is_blank(levels) else str(levels).split("|")
    if basis == "not stated" and codes:
        raise ValueError(f"levels {levels!r} given although level_basis is 'not stated'")
    if basis != "not stated" and not codes:
        raise ValueError(f"no level coded although level_basis is {basis!r}")
    if any(c not in LEVELS for c in codes) or len(set(codes)) != len(codes):
        raise ValueError(f"bad level list {levels!r}")
    return codes


def point_levels(points):
    """Long frame: one row per (sub-point, level addressed), with the basis of the reading.
    A sub-point that names no level gives one row with level 'none'."""
    rows = []
    for p in points.sort_values(["rec_no", "point_no"]).itertuples():
        if p.level_basis not in BASIS:
            raise ValueError(
                f"unknown level_basis {p.level_basis!r} in point {point_id(p.rec_no, p.point_no)}"
            )
        basis = BASIS[p.level_basis]
        for level in parse_levels(p.levels, p.level_basis) or [NO_LEVEL]:
            rows.append(
                {
                    "rec_no": int(p.rec_no),
                    "point_no": int(p.point_no),
                    "point": point_id(p.rec_no, p.point_no),
                    "level": level,
                    "basis": basis,
                    "truncated": bool(p.truncated),
                }
            )
    return pd.DataFrame(rows, columns=["rec_no", "point_no", "point", "level", "basis", "truncated"])


def level_matrix(points, recommendations):
    """Recommendation x level: number of sub-points addressing each level (0 where none)."""
    long = point_levels(points)
    matrix = pd.crosstab(long["rec_no"], long["level"])
    return (
        matrix.reindex(index=sorted(int(n) for n in recommendations["rec_no"]), columns=[*LEVELS, NO_LEVEL])
        .fillna(0)
        .astype(int)
    )


def level_totals(points):
    """For each level: sub-points addressing it, and how many of those read it as stated,
    inferred from the organisation named, or mixed (a sub-point with one level of each kind)."""
    long = point_levels(points)
    return {level: basis_counts(long[long["level"] == level]) for level in (*LEVELS, NO_LEVEL)}


def basis_by_point(points):
    """Sub-points by how their level is known, one count for every basis (0 where none), in the
    order of :data:`BASIS`; the counts add up to the number of sub-points."""
    basis = point_levels(points).drop_duplicates("point")["basis"].value_counts()
    return {b: int(basis.get(b, 0)) for b in BASIS.values()}


def multi_level_points(points):
    """Sub-points addressed to more than one level, in printed order."""
    long = point_levels(points)
    sizes = long.groupby("point", sort=False)["level"].count()
    return [p for p, n in sizes.items() if n > 1]


def truncated_points(points):
    """Sub-points that break off mid-sentence in the source copy."""
    rows = points[points["truncated"]].sort_values(["rec_no", "point_no"])
    return [point_id(r.rec_no, r.point_no) for r in rows.itertuples()]


def check_numbering(recommendations, points):
    """The recommendations are numbered 1..n and each has sub-points numbered 1..k; returns the
    number of sub-points of each recommendation."""
    numbers = sorted(int(n) for n in recommendations["rec_no"])
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"recommendations are not numbered 1..{len(numbers)}: {numbers}")
    counts = {}
    for rec_no in numbers:
        subs = sorted(int(n) for n in points.loc[points["rec_no"] == rec_no, "point_no"])
        if subs != list(range(1, len(subs) + 1)) or not subs:
            raise ValueError(f"recommendation {rec_no} has sub-points {subs}, not 1..k")
        counts[rec_no] = len(subs)
    return counts


# --- tables -----------------------------------------------------------------------------------


def point_label(point, basis, truncated):
    """'1.2 †': point number, a mark for how its level was found, an ellipsis if it breaks off."""
    return f"{point}{'…' if truncated else ''}{BASIS_MARKS[basis]}"


def recommendations_table(recommendations, points):
    """One row per recommendation: its printed heading, our one-line summary, and for each level
    the sub-points addressed to it (marked † where the level is inferred, ‡ where mixed)."""
    check_numbering(recommendations, points)
    long = point_levels(points)
    rows = []
    for r in recommendations.sort_values("rec_no").itertuples():
        mine = long[long["rec_no"] == int(r.rec_no)]
        cells = {}
        for level in (*LEVELS, NO_LEVEL):
            at = mine[mine["level"] == level]
            cells[LEVEL_LABELS[level]] = (
                ", ".join(point_label(p.point, p.basis, p.truncated) for p in at.itertuples()) or "–"
            )
        rows.append(
            {
                "No.": int(r.rec_no),
                "Recommendation (heading as printed)": r.title,
                "What it argues (our summary)": r.summary,
                "Sub-points": int(mine["point"].nunique()),
                **cells,
                "Page": int(r.page),
            }
        )
    return pd.DataFrame(rows)


def points_table(points):
    """One row per sub-point: the levels it addresses, how they were read, the organisation it names,
    our paraphrase and its page; a sub-point that breaks off in the source is marked in its number."""
    long = point_levels(points)
    rows = []
    for p in points.sort_values(["rec_no", "point_no"]).itertuples():
        pid = point_id(p.rec_no, p.point_no)
        levels = long.loc[long["point"] == pid, "level"]
        rows.append(
            {
                "Point": f"{pid} (breaks off)" if p.truncated else pid,
                "Level(s)": ", ".join(LEVEL_LABELS[lv] for lv in levels),
                "How the level was read": BASIS_WORDS[BASIS[p.level_basis]],
                "Organisation named (as printed)": "–" if is_blank(p.actor) else str(p.actor),
                "Sub-point (our paraphrase)": str(p.paraphrase),
                "Page": int(p.page),
            }
        )
    return pd.DataFrame(rows)


def counterpart(source, number):
    """'Book no. 2' / 'Report no. 1': the limitation that restates this one, or '–'."""
    for (s1, n1), (s2, n2) in COUNTERPARTS.items():
        if (source, number) == (s1, n1):
            return f"{SOURCE_LABELS[s2]} no. {n2}"
        if (source, number) == (s2, n2):
            return f"{SOURCE_LABELS[s1]} no. {n1}"
    return "–"


def limitations_table(limitations):
    """The stated limitations, report first (in printed order), then the book, each with the
    limitation of the other source that restates it."""
    order = {source: i for i, source in enumerate(SOURCE_LABELS)}
    rows = limitations.assign(_order=limitations["source"].map(order))
    if rows["_order"].isna().any():
        raise ValueError(
            f"limitations from unknown sources: {sorted(set(limitations['source']) - set(order))}"
        )
    rows = rows.sort_values(["_order", "limitation_no"])
    return pd.DataFrame(
        [
            {
                "Source": SOURCE_LABELS[r.source],
                "No.": int(r.limitation_no),
                "Topic (our label)": r.topic,
                "Limitation (our paraphrase)": r.paraphrase,
                "Page": int(r.page),
                "Restated in": counterpart(r.source, int(r.limitation_no)),
            }
            for r in rows.itertuples()
        ]
    )


def limitation_counts(limitations):
    """Number of stated limitations per source, and how many of each have a counterpart."""
    counts = {}
    for source in SOURCE_LABELS:
        numbers = [int(n) for n in limitations.loc[limitations["source"] == source, "limitation_no"]]
        counts[source] = {
            "stated": len(numbers),
            "restated": sum(counterpart(source, n) != "–" for n in numbers),
        }
    return counts


# --- figure ---------------------------------------------------------------------------------


def _box_style(basis):
    if basis == STATED:
        return {"boxstyle": "round,pad=0.3", "facecolor": MUTED, "edgecolor": "black", "linewidth": 0.8}
    if basis == MIXED:
        return {
            "boxstyle": "round,pad=0.3",
            "facecolor": UNCERTAIN,
            "edgecolor": "black",
            "linewidth": 0.8,
            "linestyle": (0, (4, 1.5, 1, 1.5)),
        }
    if basis == INFERRED:
        return {
            "boxstyle": "round,pad=0.3",
            "facecolor": "white",
            "edgecolor": "black",
            "linewidth": 0.8,
            "linestyle": (0, (2, 1.5)),
        }
    return {"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": UNCERTAIN, "linewidth": 0.8}


def levels_values(recommendations, points):
    """The tidy table the levels figure is drawn from: one row per sub-point and level it
    addresses (a sub-point naming none has one row, level "No level named"), with how the level
    was read and whether the source breaks the sub-point off."""
    long = point_levels(points)
    titles = recommendations.set_index(recommendations["rec_no"].astype(int))["title"]
    return pd.DataFrame(
        {
            "recommendation": long["rec_no"],
            "title": long["rec_no"].map(titles),
            "sub-point": long["point"],
            "level": long["level"].map(LEVEL_LABELS),
            "basis": long["basis"],
            "cut off in the source": long["truncated"],
        }
    )


def basis_counts(at):
    """Sub-points in one column of the levels figure, by basis."""
    return {
        "points": len(at),
        **{b: int((at["basis"] == b).sum()) for b in (STATED, INFERRED, MIXED, NOT_STATED)},
    }


def levels_figure(values):
    """Matrix from :func:`levels_values`, recommendations (rows) x levels (columns). Each sub-point
    is a labelled box in the column of every level it addresses: filled where the level is stated
    in the point, dashed outline where it is inferred from the organisation named, light fill with
    a dash-dot outline where one level is stated and another inferred. Each cell ends with its
    count; column totals are printed at the foot. Sized to fit the text column unscaled, so its
    smallest text stays legible."""
    columns = list(LEVEL_LABELS.values())
    recs = values.drop_duplicates("recommendation")[["recommendation", "title"]]
    n_rows = len(recs)
    fig, ax = plt.subplots(figsize=(7.0, 0.7 * n_rows + 1.6))
    step = 0.2
    for row, r in enumerate(recs.itertuples()):
        for column, level in enumerate(columns):
            at = values[(values["recommendation"] == r.recommendation) & (values["level"] == level)]
            if row % 2 == 0:
                ax.axhspan(row - 0.5, row + 0.5, color=UNCERTAIN, alpha=0.12, lw=0, zorder=0)
            start = column - 0.36
            for k, (_, p) in enumerate(at.iterrows()):
                ax.text(
                    start + k * step,
                    row,
                    p["sub-point"] + ("…" if p["cut off in the source"] else ""),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    bbox=_box_style(p["basis"]),
                    zorder=3,
                )
            if len(at):
                ax.text(
                    column + 0.48, row, str(len(at)), ha="right", va="center", fontsize=8.5, fontweight="bold"
                )
    for column in range(1, len(columns)):
        ax.axvline(column - 0.5, color=MUTED, lw=0.6)
    for column, level in enumerate(columns):
        t = basis_counts(values[values["level"] == level])
        detail = (
            f"{t[STATED]} stated, {t[INFERRED]} inferred" + (f",\n{t[MIXED]} mixed" if t[MIXED] else "")
            if level != LEVEL_LABELS[NO_LEVEL]
            else "level not stated"
        )
        ax.text(
            column,
            n_rows - 0.1,
            f"{t['points']} sub-point{'s' if t['points'] != 1 else ''}\n{detail}",
            ha="center",
            va="top",
            fontsize=7.5,
        )
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(n_rows + 0.9, -0.5)
    ax.set_xticks(range(len(columns)), columns, fontweight="bold")
    ax.xaxis.tick_top()
    ax.set_yticks(
        range(n_rows),
        [f"{int(r.recommendation)}. " + "\n".join(textwrap.wrap(r.title, 26)) for r in recs.itertuples()],
        fontsize=8,
    )
    ax.tick_params(length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    handles = [
        plt.Rectangle((0, 0), 1, 1, facecolor=MUTED, edgecolor="black", lw=0.8),
        plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor="black", lw=0.8, ls=(0, (2, 1.5))),
        plt.Rectangle((0, 0), 1, 1, facecolor=UNCERTAIN, edgecolor="black", lw=0.8, ls=(0, (4, 1.5, 1, 1.5))),
        plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor=UNCERTAIN, lw=0.8),
    ]
    ax.legend(
        handles,
        [
            "level stated in the sub-point",
            "level inferred from the organisation named",
            "one level stated, one inferred",
            "no level or organisation named",
        ],
        loc="upper center",
        bbox_to_anchor=(0.35, -0.02),
        ncol=2,
        frameon=False,
        fontsize=7.5,
    )
    return fig


# --- small readings for the prose -----------------------------------------------------------------


def join_words(items, quote=""):
    """'a', 'a and b', 'a, b and c' (each item optionally wrapped in ``quote``)."""
    return wording.listed(f"{quote}{item}{quote}" for item in items)


def all_levels(matrix):
    """Recommendations with at least one sub-point at every one of the three levels."""
    return [int(n) for n, row in matrix.iterrows() if all(row[level] > 0 for level in LEVELS)]


def only_level(matrix, level):
    """Recommendations all of whose sub-points address ``level`` and nothing else."""
    others = [c for c in matrix.columns if c != level]
    return [int(n) for n, row in matrix.iterrows() if row[level] > 0 and all(row[c] == 0 for c in others)]


def local_read_as_trust(points):
    """Sub-points whose trust level rests only on reading the report's 'local' / 'more local' as
    trust level (the transcription note says "... coded as trust"), in printed order."""
    notes = points["note"].fillna("").astype(str)
    rows = points[notes.str.contains("coded as trust", regex=False)].sort_values(["rec_no", "point_no"])
    for r in rows.itertuples():
        if "trust" not in parse_levels(r.levels, r.level_basis):
            raise ValueError(
                f"point {point_id(r.rec_no, r.point_no)}: note says 'coded as trust' but levels are {r.levels!r}"
            )
    return [point_id(r.rec_no, r.point_no) for r in rows.itertuples()]
