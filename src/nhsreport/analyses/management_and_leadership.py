"""Management and leadership (book chapter 4): Table 4.1 as a two-column contrast, and who is
quoted in the chapter's 'Management and Leadership' section.

Everything here takes validated frames (``chapter["management_leadership_contrast"]``,
``chapter["interviewee_quotes"]``) and returns frames, dicts or matplotlib Figures.
"""

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import to_rgba

from ..data.codes import cohort_codes, cohort_labels, trust_codes, trust_labels
from ..presentation.style import MUTED, UNCERTAIN

PRINTED = "as printed"
PARAPHRASE = "paraphrase"
WORDING_LABELS = {PRINTED: "as printed", PARAPHRASE: "our paraphrase (both cells)"}

# Locator of the section in the plain-text copy of the book (000): its heading
# 'Management and Leadership' is on line 3332 and the next heading, 'Summary', on line 3760.
# The same line numbering is used by interviewee_quotes.line.
SECTION_FIRST_LINE = 3332
SECTION_LAST_LINE = 3759
SECTION_CHAPTER = 4


# --- Table 4.1 ------------------------------------------------------------------------------


def contrast_rows(contrast):
    """The rows of Table 4.1 in printed order; refuses a table whose row numbers are not 1..n."""
    rows = contrast.sort_values("row_no").reset_index(drop=True)
    expected = list(range(1, len(rows) + 1))
    if [int(n) for n in rows["row_no"]] != expected:
        raise ValueError(f"Table 4.1 rows are not numbered 1..{len(rows)}: {list(rows['row_no'])}")
    unknown = set(rows["text_status"]) - set(WORDING_LABELS)
    if unknown:
        raise ValueError(f"unknown text_status in Table 4.1: {sorted(unknown)}")
    return rows


def contrast_table(contrast):
    """Display table: one row per printed pair, management on the left, leadership on the right,
    and a column saying whether the pair is as printed or rewritten in our own words."""
    rows = contrast_rows(contrast)
    return pd.DataFrame(
        {
            "Row": [int(n) for n in rows["row_no"]],
            "Management": list(rows["management"]),
            "Leadership": list(rows["leadership"]),
            "Wording": [WORDING_LABELS[s] for s in rows["text_status"]],
        }
    )


def contrast_counts(contrast):
    """How many printed pairs Table 4.1 has, and how many are kept as printed or paraphrased."""
    rows = contrast_rows(contrast)
    return {
        "rows": len(rows),
        "printed": int((rows["text_status"] == PRINTED).sum()),
        "paraphrased": int((rows["text_status"] == PARAPHRASE).sum()),
    }


def paraphrased_row_numbers(contrast):
    """Row numbers of the pairs given in our own words (their printed cells are clauses)."""
    rows = contrast_rows(contrast)
    return [int(n) for n in rows.loc[rows["text_status"] == PARAPHRASE, "row_no"]]


# --- who is quoted in the section ---------------------------------------------------------------


def section_quotes(quotes, first_line=SECTION_FIRST_LINE, last_line=SECTION_LAST_LINE):
    """Attributions of interview quotations printed inside the 'Management and Leadership'
    section (book chapter 4), in book order."""
    inside = quotes[
        (quotes["chapter"] == SECTION_CHAPTER)
        & (quotes["line"] >= first_line)
        & (quotes["line"] <= last_line)
    ]
    return inside.sort_values("line").reset_index(drop=True)


def is_placed(quotes):
    """True where both the trust and the group of an attribution were coded (printed labels map
    unambiguously); false where the register left a code empty."""

    def coded(column):
        return quotes[column].notna() & (quotes[column].astype("string").str.strip() != "")

    return (coded("trust") & coded("cohort")).astype(bool)


def quote_grid(quotes):
    """Counts of attributions by trust (rows) and management group (columns), for the attributions
    that could be placed; every trust x group cell is present, empty ones as 0."""
    placed = quotes[is_placed(quotes)]
    grid = pd.crosstab(placed["trust"], placed["cohort"])
    return grid.reindex(index=list(trust_codes()), columns=list(cohort_codes())).fillna(0).astype(int)


def quote_summary(quotes):
    """Plain numbers about the section's quotations, for the prose."""
    placed = is_placed(quotes)
    by_cohort = quotes[placed].groupby("cohort")["quote_id"].count()
    return {
        "attributions": len(quotes),
        "interviewees": int(quotes["pseudonym"].nunique()),
        "unplaced": int((~placed).sum()),
        "trusts": int(quotes.loc[placed, "trust"].nunique()),
        "cohorts": int(quotes.loc[placed, "cohort"].nunique()),
        **{f"cohort_{c}": int(by_cohort.get(c, 0)) for c in cohort_codes()},
        "most_quoted": most_quoted(quotes),
    }


def most_quoted(quotes):
    """(pseudonym, number of attributions) of the most often quoted interviewee; ties are broken
    alphabetically so the answer is stable."""
    counts = quotes.groupby("pseudonym")["quote_id"].count().reset_index()
    counts = counts.sort_values(["quote_id", "pseudonym"], ascending=[False, True])
    first = counts.iloc[0]
    return str(first["pseudonym"]), int(first["quote_id"])


def unplaced_attributions(quotes):
    """Attributions whose trust or group was left uncoded, with the register's printed labels."""
    rows = quotes[~is_placed(quotes)]
    return [
        (
            str(r.pseudonym),
            str(r.cohort_printed),
            str(r.trust_printed),
            int(r.page),
            "" if pd.isna(r.note) else str(r.note).split(" (")[0],
        )
        for r in rows.itertuples()
    ]


def likely_placements(quotes, all_quotes):
    """For each unplaced attribution of the section: the (trust, cohort) that the same pseudonym is
    given everywhere else in the book, if that is one single pair; otherwise None. This is a reading
    offered for display, marked uncertain, never added to the counts."""
    placed_elsewhere = all_quotes[is_placed(all_quotes)]
    readings = {}
    for r in quotes[~is_placed(quotes)].itertuples():
        same = placed_elsewhere[placed_elsewhere["pseudonym"] == r.pseudonym]
        pairs = sorted(set(zip(same["trust"], same["cohort"])))
        readings[str(r.quote_id)] = (str(pairs[0][0]), str(pairs[0][1])) if len(pairs) == 1 else None
    return readings


def placed_elsewhere(all_quotes, pseudonym):
    """(trust, cohort, page) of every placed attribution of ``pseudonym`` in the whole book."""
    same = all_quotes[is_placed(all_quotes) & (all_quotes["pseudonym"] == pseudonym)].sort_values("line")
    return [(str(r.trust), str(r.cohort), int(r.page)) for r in same.itertuples()]


LIKELY = "likely one more (not counted)"


def quote_grid_values(quotes, all_quotes):
    """The tidy table the quotations grid is drawn from: one row per trust and management group,
    the quotations the section prints from its managers, and 1 where an attribution that could
    not be placed most likely belongs (a reading, never added to the count)."""
    grid = quote_grid(quotes)
    likely = {reading for reading in likely_placements(quotes, all_quotes).values() if reading is not None}
    return pd.DataFrame(
        [
            {
                "trust": trust_labels()[t],
                "management group": cohort_labels()[c],
                "quotations": int(grid.loc[t, c]),
                LIKELY: int((t, c) in likely),
            }
            for t in trust_codes()
            for c in cohort_codes()
        ]
    )


def quote_grid_figure(values, unplaced):
    """Grid from :func:`quote_grid_values`, trust by management group: each cell shows how many
    quotations the section prints from managers of that trust and group (shaded by count). The
    ``unplaced`` attributions (:func:`unplaced_attributions`) are listed beneath the grid, and
    where one most likely belongs it is shown as a dashed '+1?' in that cell."""
    fig, ax = plt.subplots(figsize=(6.2, 3.4))
    trusts = list(dict.fromkeys(values["trust"]))
    groups = list(dict.fromkeys(values["management group"]))
    peak = max(int(values["quotations"].max()), 1)
    for r in values.itertuples(index=False):
        row, column, n, likely = trusts.index(r[0]), groups.index(r[1]), int(r[2]), int(r[3])
        shade = 0.2 + 0.8 * n / peak if n else 0.0
        ax.add_patch(
            plt.Rectangle(
                (column - 0.47, row - 0.45),
                0.94,
                0.9,
                facecolor=to_rgba(MUTED, shade) if n else "white",
                edgecolor=MUTED,
                linewidth=0.8,
            )
        )
        ax.text(column, row, str(n), ha="center", va="center", fontsize=12, color="black")
        if likely:
            ax.text(
                column + 0.3,
                row + 0.25,
                "+1?",
                ha="center",
                va="center",
                fontsize=9,
                style="italic",
                color="#444444",
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "facecolor": "white",
                    "edgecolor": MUTED,
                    "linestyle": "--",
                },
            )
    ax.set_xlim(-0.55, len(groups) - 0.45)
    ax.set_ylim(len(trusts) - 0.45, -0.55)
    ax.set_xticks(range(len(groups)), [f"{g} managers" for g in groups])
    ax.set_yticks(range(len(trusts)), [f"{t} trust" for t in trusts])
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    if unplaced:
        text = "\n".join(
            f"{name}, printed '{a}, {b}' (p. {page}): {why}" for name, a, b, page, why in unplaced
        )
        text += "\n'+1?' marks where the same interviewee is placed elsewhere in the book (not counted)"
        ax.text(
            -0.55,
            len(trusts) - 0.2,
            f"Not placed in the grid ({len(unplaced)}):\n{text}",
            ha="left",
            va="top",
            fontsize=8,
            color="#555555",
            bbox={"facecolor": "white", "edgecolor": UNCERTAIN, "linestyle": "--"},
        )
    return fig
