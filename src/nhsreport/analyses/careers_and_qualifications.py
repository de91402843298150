"""Careers and qualifications (book chapter 5): Table 5.1, hybrid and pure play managers, and
the readings of Table 5.2.

Table 5.1 (clinical backgrounds and qualifications) survives intact, so it is rebuilt directly.
Table 5.2 (non-clinical educational qualifications) lost its blank cells when the book's text was
extracted: each row survives only as a sequence of numbers, some of them in brackets. This module
works out every way of putting those numbers back into the five columns that agrees with the
column totals the book prints (:func:`table52_readings`).

Every function takes the validated :class:`nhsreport.data.load.Dataset` (``chapter.data``) or
frames from it, and returns frames or figures; none touches a file.
"""

import sys
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from .. import cache
from ..data.codes import cohort_codes, trust_codes
from ..presentation.aggregation import counts
from ..presentation.style import BACKGROUND_COLOURS, UNCERTAIN, text_colour_on
from .appendix_reproducibility import CONTRADICTS, PROXY_CONTRADICTS, claim_verdicts
from .who_was_studied import sample_sizes

# ---------------------------------------------------------------------------------------------
# Table 5.1: clinical backgrounds
# ---------------------------------------------------------------------------------------------

#: Background types in display order, with every label Table 5.1 prints for each of them.
BACKGROUND_TYPES = {
    "Doctors": ("Doctor", "Doctors"),
    "Nurses": ("Nurse", "Nurses"),
    "Scientists": ("Scientist", "Scientists"),
    "AHPs": ("AHP", "AHPs"),
    "Social workers": ("Social workers",),
}
NO_BACKGROUND = "No clinical background listed (derived)"


def background_type(label):
    """The background type ('Nurses', ...) of a label printed in Table 5.1 ('Nurse', 'Nurses')."""
    for kind, labels in BACKGROUND_TYPES.items():
        if label in labels:
            return kind
    raise ValueError(f"Table 5.1 label {label!r} is not a known background type")


def item_text(items):
    """A cell of Table 5.1 as printed: items joined with '; ', '*' restored, '–' when empty."""
    if items.empty:
        return "–"
    return "; ".join(
        f"{int(r['count'])} {r['label']}{'*' if r['newer_nursing_degree'] else ''}"
        for _, r in items.sort_values("item_no").iterrows()
    )


def clinical_backgrounds_table(data, trust_names, cohort_names):
    """Table 5.1 rebuilt: the printed items, their counts and the cohort size, with a Total row
    whose numbers are recomputed from the cells."""
    items = data["clinical_backgrounds"]
    sizes = sample_sizes(data)
    rows = []
    for trust in trust_codes():
        for cohort in cohort_codes():
            cell = items[(items["trust"] == trust) & (items["cohort"] == cohort)]
            backgrounds = cell[cell["column"] == "clinical_background"]
            qualifications = cell[cell["column"] == "clinical_qualification"]
            rows.append(
                {
                    "Trust": trust_names[trust],
                    "Cohort": cohort_names[cohort],
                    "Clinical backgrounds": item_text(backgrounds),
                    "With a background": int(backgrounds["count"].sum()),
                    "Clinical qualifications (or PhD)": item_text(qualifications),
                    "Qualifications": int(qualifications["count"].sum()),
                    "Total in cohort": sizes[(trust, cohort)],
                }
            )
    table = pd.DataFrame(rows)
    total = {
        "Trust": "Total",
        "Cohort": "",
        "Clinical backgrounds": "",
        "With a background": int(table["With a background"].sum()),
        "Clinical qualifications (or PhD)": "",
        "Qualifications": int(table["Qualifications"].sum()),
        "Total in cohort": int(table["Total in cohort"].sum()),
    }
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def backgrounds_by_type(data):
    """Long frame (trust, cohort, type, count): managers of each background type per cohort, plus
    the remainder of the cohort with no background listed (cohort size minus the backgrounds)."""
    items = data["clinical_backgrounds"]
    items = items[items["column"] == "clinical_background"].copy()
    items["type"] = items["label"].map(background_type)
    levels = {"trust": trust_codes(), "cohort": cohort_codes(), "type": [*BACKGROUND_TYPES, NO_BACKGROUND]}
    by_type = counts(items, levels, weight="count")
    sizes = sample_sizes(data)
    rest = by_type["type"] == NO_BACKGROUND  # no item row: the cohort size minus its backgrounds
    with_background = by_type[~rest].groupby(["trust", "cohort"], sort=False)["count"].sum()
    keys = list(zip(by_type.loc[rest, "trust"], by_type.loc[rest, "cohort"]))
    by_type.loc[rest, "count"] = [sizes[key] - int(with_background[key]) for key in keys]
    return by_type


# ---------------------------------------------------------------------------------------------
# Hybrid versus pure play
# ---------------------------------------------------------------------------------------------


def hybrid_counts(data):
    """Per trust x cohort: cohort size, managers with a clinical background in Table 5.1 ('hybrid')
    and the rest ('pure play' = cohort size - background count)."""
    by_type = backgrounds_by_type(data)
    rows = []
    for (trust, cohort), cell in by_type.groupby(["trust", "cohort"], sort=False):
        pure = int(cell.loc[cell["type"] == NO_BACKGROUND, "count"].sum())
        hybrid = int(cell.loc[cell["type"] != NO_BACKGROUND, "count"].sum())
        if pure < 0:
            raise ValueError(f"Table 5.1 lists more backgrounds than managers in {trust}/{cohort}")
        rows.append((trust, cohort, hybrid + pure, hybrid, pure))
    return pd.DataFrame(rows, columns=["trust", "cohort", "managers", "hybrid", "pure_play"])


def ratio(hybrid, pure):
    """Hybrid managers per pure play manager (None when there is no pure play manager)."""
    return round(hybrid / pure, 2) if pure else None


def hybrid_summary(counts, trust_names, cohort_names):
    """Hybrid and pure play managers by trust, by cohort and overall, with their ratio."""
    rows = []
    for field, names in (("trust", trust_names), ("cohort", cohort_names)):
        for code, group in counts.groupby(field, sort=False):
            rows.append(
                (
                    f"By {field}",
                    names[code],
                    int(group["managers"].sum()),
                    int(group["hybrid"].sum()),
                    int(group["pure_play"].sum()),
                )
            )
    rows.append(
        (
            "Whole sample",
            "All managers",
            int(counts["managers"].sum()),
            int(counts["hybrid"].sum()),
            int(counts["pure_play"].sum()),
        )
    )
    table = pd.DataFrame(rows, columns=["Grouping", "Group", "Managers", "Hybrid", "Pure play"])
    table["Hybrid %"] = [round(100 * h / n, 1) for h, n in zip(table["Hybrid"], table["Managers"])]
    table["Hybrid : pure play"] = [
        format_ratio(ratio(h, p)) for h, p in zip(table["Hybrid"], table["Pure play"])
    ]
    return table


def format_ratio(value):
    return "no pure play" if value is None else f"{value:.1f} : 1"


def pure_play_for_ratio(total, target):
    """The whole numbers of pure play managers whose hybrid : pure play ratio is nearest to
    ``target`` from below and from above (e.g. 68 managers at 4:1 -> (13, 14))."""
    exact = total / (target + 1)
    return int(exact), int(exact) + (0 if exact == int(exact) else 1)


def find_claim(data, refers_to, printed=None):
    """The one row of the claims register whose refers_to (and printed text) contain the words."""
    claims = data["claims"]
    hit = claims["refers_to"].str.contains(refers_to, regex=False)
    if printed is not None:
        hit &= claims["printed"].str.contains(printed, regex=False)
    rows = claims[hit]
    if len(rows) != 1:
        raise LookupError(f"{len(rows)} claims match {refers_to!r} / {printed!r}; expected exactly one")
    return rows.iloc[0]


#: The prose counts about hybrid and pure play managers that can be set beside Table 5.1:
#: (words of refers_to, words of printed, what Table 5.1 offers). The register holds each one's
#: check against the table and its verdict; this chapter only shows them.
PROSE_COUNTS = (
    ("nurses among managers with a clinical background", "23 nurses", "Nurses"),
    ("hybrid managers with a nursing background", "21 in total", "Nurses"),
    ("hybrid managers who were clinical (medical) managers", "9 clinical", "Doctors"),
    (
        "hybrid managers who were occupational therapists or social workers",
        "6 occupational",
        "AHPs and social workers",
    ),
    (
        "pure play general managers with no clinical experience",
        "only 9",
        "General managers with no background listed",
    ),
)


def prose_counts(data):
    """Counts the chapter's prose gives for hybrid and pure play managers, beside the value the
    claims register's check computes from Table 5.1 and the register's verdict on the claim."""
    verdicts = claim_verdicts(data).set_index("claim_id")
    rows = []
    for refers_to, printed, table_label in PROSE_COUNTS:
        claim = find_claim(data, refers_to, printed)
        verdict = verdicts.loc[claim["claim_id"]]
        rows.append(
            {
                "claim_id": claim["claim_id"],
                "page": int(claim["page"]),
                "what": claim["refers_to"],
                "prose": int(claim["printed_value"]),
                "table_label": table_label,
                "table": int(verdict["computed"]),
                "verdict": verdict["verdict"],
            }
        )
    return pd.DataFrame(rows)


def differs(verdict):
    """Whether a verdict says the prose and the table differ (on this report's proxy or outright)."""
    return verdict in (CONTRADICTS, PROXY_CONTRADICTS)


# ---------------------------------------------------------------------------------------------
# Table 5.2: readings of rows whose blank cells were lost
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One printed token of a Table 5.2 row: a number, or a bracketed number ('(3)', '(1*)')."""

    text: str
    value: int
    bracketed: bool
    mba: bool


def parse_token(text):
    """'4' -> Token(4, plain); '(2*)' -> Token(2, bracketed, MBA)."""
    bracketed = text.startswith("(")
    inner = text.strip("()")
    return Token(text, int(inner.rstrip("*")), bracketed, inner.endswith("*"))


def table52_rows(data):
    """{(trust, cohort): [Token, ...]} in printed order, rows in trust x cohort order."""
    tokens = data["nonclinical_quals_tokens"].sort_values(["trust", "cohort", "token_no"])
    rows = {}
    for trust in trust_codes():
        for cohort in cohort_codes():
            row = tokens[(tokens["trust"] == trust) & (tokens["cohort"] == cohort)]
            rows[(trust, cohort)] = tuple(parse_token(t) for t in row["token"])
    return rows


def placements(tokens, n_columns, model):
    """Every way to put a row's tokens into columns 0..n_columns-1, as tuples of column indexes.

    Both models keep the printed order: a token never sits left of the token before it, and two
    plain numbers never share a column (strictly increasing columns). A bracketed token:

    - ``strict``: shares the column of the plain number printed just before it;
    - ``relaxed``: shares that column *or* stands alone in a later column whose plain number was
      a blank (the relaxation used when the strict model admits no reading of the table).
    """
    if model not in ("strict", "relaxed"):
        raise ValueError(f"unknown model {model!r}")
    found = []

    def extend(i, last, last_plain, chosen):
        if i == len(tokens):
            found.append(tuple(chosen))
            return
        token = tokens[i]
        options = list(range(last + 1, n_columns))
        if token.bracketed and last_plain:
            options = [last] if model == "strict" else [last] + options
        elif token.bracketed and model == "strict":
            options = []  # strict: a bracket with no number before it has nowhere to go
        for column in options:
            extend(i + 1, column, not token.bracketed, chosen + [column])

    extend(0, -1, False, [])
    return found


def contribution(tokens, placement, n_columns):
    """(plain sums, bracketed sums) per column that one placement of a row adds."""
    plain, paren = [0] * n_columns, [0] * n_columns
    for token, column in zip(tokens, placement):
        (paren if token.bracketed else plain)[column] += token.value
    return tuple(plain), tuple(paren)


@dataclass
class Table52Readings:
    """Readings of Table 5.2 consistent with its printed column totals.

    - ``count``: number of whole-table readings;
    - ``per_row``: DataFrame (trust, cohort, placements_possible, placements_consistent);
    - ``cells``: DataFrame (trust, cohort, column, low, high, certain) for the plain numbers,
      low/high over all readings, a blank counted as 0 (low/high are missing when count is 0);
    - ``bracket_cells``: the same for the bracketed numbers;
    - ``model``: placement model used ('strict' or 'relaxed'); ``strict_count``: readings the
      strict model admits (0 means the relaxation was needed);
    - ``readings``: every reading, as {(trust, cohort): tuple of column indexes per token};
    - ``rows``, ``columns``: the parsed tokens and the column codes in printed order.
    """

    count: int
    per_row: pd.DataFrame
    cells: pd.DataFrame
    bracket_cells: pd.DataFrame
    model: str
    strict_count: int
    readings: list
    rows: dict
    columns: list


def column_targets(data):
    """Column codes in printed order, printed totals and printed bracketed totals (None if none)."""
    totals = data["nonclinical_quals_column_totals"].sort_values("column_no")
    paren = [None if pd.isna(v) else int(v) for v in totals["printed_total_paren"]]
    return list(totals["column"]), [int(v) for v in totals["printed_total"]], paren


def enumerate_readings(rows, totals, paren_totals, model):
    """Every choice of one placement per row whose column sums equal the printed totals
    (a total given as None is not checked): (placements per row, readings).

    Needed by this chapter and the appendix, and about half a second to search, so the result
    is cached under the hash of the parsed rows, the totals, the model and this module's code."""
    keys = list(rows)
    digest = cache.key(
        repr(list(rows.items())), totals, paren_totals, model, *cache.code_of(sys.modules[__name__])
    )

    def encoded():
        options, readings = searched_readings(rows, totals, paren_totals, model)
        return {
            "options": [[list(p) for p in options[key]] for key in keys],
            "readings": [[list(reading[key]) for key in keys] for reading in readings],
        }

    found = cache.stored("table52-readings", digest, encoded)
    options = {key: [tuple(p) for p in placements] for key, placements in zip(keys, found["options"])}
    readings = [dict(zip(keys, map(tuple, reading))) for reading in found["readings"]]
    return options, readings


def searched_readings(rows, totals, paren_totals, model):
    """:func:`enumerate_readings`, searched afresh.

    A state is a row of column sums, the plain ones then the bracketed ones. Forward pass: the
    states reachable after each row, pruned as soon as a sum exceeds its printed total (a whole
    layer at a time, with numpy). Backward pass: from the states that meet every printed total,
    walk back through reachable states only, so every path is a full reading.
    """
    n = len(totals)
    keys = list(rows)
    options = {key: placements(rows[key], n, model) for key in keys}
    added = {key: contributions(rows[key], options[key], n) for key in keys}
    printed = [*totals, *paren_totals]
    checked = np.array([t is not None for t in printed])
    limits = np.array([0 if t is None else t for t in printed], dtype=np.int64)
    most = sum(step.max(axis=0, initial=0) for step in added.values())
    weights = state_weights(np.where(checked, limits, most))

    layers = [np.zeros((1, 2 * n), dtype=np.int64)]
    for key in keys:
        layers.append(next_layer(layers[-1], added[key], limits, checked, weights))
    codes = [layer @ weights for layer in layers]  # sorted: next_layer orders by code

    readings = []

    def back(i, state, suffix):
        if i == 0:
            readings.append(dict(zip(keys, suffix)))
            return
        key = keys[i - 1]
        before = state - added[key]
        number = before @ weights
        where = np.searchsorted(codes[i - 1], number).clip(max=len(codes[i - 1]) - 1)
        found = (before >= 0).all(axis=1) & (codes[i - 1][where] == number)
        for k in np.flatnonzero(found):
            back(i - 1, before[k], [options[key][k]] + suffix)

    meets_totals = ((layers[-1] == limits) | ~checked).all(axis=1)
    for state in layers[-1][meets_totals]:
        back(len(keys), state, [])
    readings.sort(key=lambda r: [r[k] for k in keys])
    return options, readings


def contributions(tokens, options, n_columns):
    """What each placement of a row adds to the state: (placements, 2 * n_columns)."""
    return np.array(
        [sum(contribution(tokens, placement, n_columns), ()) for placement in options], dtype=np.int64
    ).reshape(len(options), 2 * n_columns)


def state_weights(bounds):
    """Weights that give every state within ``bounds`` its own integer (mixed radix), so that a
    layer's repeats are found by sorting integers rather than rows."""
    radices = [int(b) + 1 for b in bounds]
    if np.prod(radices, dtype=float) >= 2**63:
        raise NotImplementedError("the column sums are too large to number in 64 bits")
    return np.array([int(np.prod(radices[:j])) for j in range(len(radices))], dtype=np.int64)


STATES_PER_PASS = 4096  # bounds the memory of one forward step (states x placements x sums)


def next_layer(states, added, limits, checked, weights):
    """Every state plus one placement's contribution that stays within the printed totals, once
    each, in the order of their numbers."""
    found = [np.zeros((0, states.shape[1]), dtype=states.dtype)]
    for i in range(0, len(states), STATES_PER_PASS):
        sums = (states[i : i + STATES_PER_PASS, None, :] + added[None, :, :]).reshape(-1, states.shape[1])
        found.append(sums[((sums <= limits) | ~checked).all(axis=1)])
    sums = np.concatenate(found)
    _, first = np.unique(sums @ weights, return_index=True)
    return sums[first]


def cell_ranges(rows, readings, columns, bracketed):
    """low/high/certain of every row x column over the readings (a blank counts as 0)."""
    records = []
    for key, tokens in rows.items():
        for index, column in enumerate(columns):
            values = sorted(
                {
                    sum(
                        t.value
                        for t, c in zip(tokens, reading[key])
                        if c == index and t.bracketed == bracketed
                    )
                    for reading in readings
                }
            )
            low, high = (values[0], values[-1]) if values else (pd.NA, pd.NA)
            records.append(
                {
                    "trust": key[0],
                    "cohort": key[1],
                    "column": column,
                    "low": low,
                    "high": high,
                    "certain": bool(values) and low == high,
                }
            )
    frame = pd.DataFrame(records)
    for field in ("low", "high"):
        frame[field] = frame[field].astype("Int64")
    return frame


def table52_readings(data, model="auto"):
    """The readings of Table 5.2 consistent with its printed totals.

    Each row's tokens go to the five columns in printed order; a reading of the whole table is
    one placement per row such that every column's plain numbers add up to the printed total
    and its bracketed numbers to the printed bracketed total, where one is printed. ``model`` is
    'strict' (a bracket shares its number's column), 'relaxed' (it may also stand alone; see
    :func:`placements`) or 'auto': strict, unless strict admits no reading, then relaxed.
    """
    rows = table52_rows(data)
    columns, totals, paren_totals = column_targets(data)
    strict_options, strict_readings = enumerate_readings(rows, totals, paren_totals, "strict")
    if model == "auto":
        model = "strict" if strict_readings else "relaxed"
    if model == "strict":
        options, readings = strict_options, strict_readings
    else:
        options, readings = enumerate_readings(rows, totals, paren_totals, model)
    per_row = pd.DataFrame(
        [
            {
                "trust": key[0],
                "cohort": key[1],
                "placements_possible": len(options[key]),
                "placements_consistent": len({r[key] for r in readings}),
            }
            for key in rows
        ]
    )
    return Table52Readings(
        count=len(readings),
        per_row=per_row,
        cells=cell_ranges(rows, readings, columns, bracketed=False),
        bracket_cells=cell_ranges(rows, readings, columns, bracketed=True),
        model=model,
        strict_count=len(strict_readings),
        readings=readings,
        rows=rows,
        columns=columns,
    )


def strict_diagnosis(data):
    """Why the strict model finds no reading: the strict placements that meet the printed
    *bracketed* totals alone, and the range of plain sums they give each column, beside the
    printed plain total (a column whose range misses its printed total cannot be satisfied).

    Returns a DataFrame (column, low, high, printed_total, reachable) and the number of such
    placements."""
    rows = table52_rows(data)
    columns, totals, paren_totals = column_targets(data)
    _, readings = enumerate_readings(rows, [None] * len(totals), paren_totals, "strict")
    records = []
    for index, column in enumerate(columns):
        sums = [
            sum(
                t.value
                for key, tokens in rows.items()
                for t, c in zip(tokens, r[key])
                if c == index and not t.bracketed
            )
            for r in readings
        ]
        low, high = (min(sums), max(sums)) if sums else (None, None)
        records.append(
            {
                "column": column,
                "low": low,
                "high": high,
                "printed_total": totals[index],
                "reachable": bool(sums) and low <= totals[index] <= high,
            }
        )
    return pd.DataFrame(records), len(readings)


def total_text(total, paren=None):
    """A printed column total with its bracketed number, if any: '14 (16)', '11'."""
    return str(int(total)) if paren is None or pd.isna(paren) else f"{int(total)} ({int(paren)})"


def span(low, high):
    return f"{low}" if low == high else f"{low}–{high}"


def table52_cell_text(tokens, readings, key, index):
    """A cell of Table 5.2 for display: as printed when every reading agrees ('4 (3)', '(1*)',
    '–' for a blank); otherwise a range of the plain number and of the bracketed one, with '†'."""
    contents = set()
    for reading in readings:
        plain = [t for t, c in zip(tokens, reading[key]) if c == index and not t.bracketed]
        paren = [t for t, c in zip(tokens, reading[key]) if c == index and t.bracketed]
        contents.add(
            (
                sum(t.value for t in plain),
                tuple(t.text for t in paren),
                sum(t.value for t in paren),
                bool(plain),
            )
        )
    if not contents:
        return "?"
    if len(contents) == 1:
        plain, paren_text, _, has_plain = next(iter(contents))
        parts = ([str(plain)] if has_plain else []) + list(paren_text)
        return " ".join(parts) if parts else "–"
    plain_values = [c[0] for c in contents]
    paren_values = [c[2] for c in contents]
    text = span(min(plain_values), max(plain_values))
    if max(paren_values) > 0:
        mba = "*" if any("*" in p for c in contents for p in c[1]) else ""
        text += f" ({span(min(paren_values), max(paren_values))}{mba})"
    return text + " †"


def table52_display(result, sizes, column_labels, trust_names, cohort_names):
    """Table 5.2 as reconstructed: certain cells as printed, uncertain ones as ranges with '†',
    the Total column (cohort size) and a Total row recomputed from the readings."""
    records = []
    for key, tokens in result.rows.items():
        record = {"Trust": trust_names[key[0]], "Cohort": cohort_names[key[1]]}
        for index, column in enumerate(result.columns):
            record[column_labels[column]] = table52_cell_text(tokens, result.readings, key, index)
        record["Total"] = str(sizes[key])
        records.append(record)
    total = {"Trust": "Total", "Cohort": ""}
    for index, column in enumerate(result.columns):
        sums = {
            (
                sum(
                    t.value
                    for key, tokens in result.rows.items()
                    for t, c in zip(tokens, r[key])
                    if c == index and not t.bracketed
                ),
                sum(
                    t.value
                    for key, tokens in result.rows.items()
                    for t, c in zip(tokens, r[key])
                    if c == index and t.bracketed
                ),
            )
            for r in result.readings
        }
        if len(sums) != 1:
            raise ValueError(f"column {column} totals differ between readings: {sorted(sums)}")
        plain, paren = next(iter(sums))
        total[column_labels[column]] = f"{plain} ({paren})" if paren else str(plain)
    total["Total"] = str(sum(sizes.values()))
    records.append(total)
    return pd.DataFrame(records)


def table52_row_summary(result, trust_names, cohort_names):
    """per_row with readable labels, for display."""
    frame = result.per_row.copy()
    frame.insert(
        2,
        "Tokens as printed",
        [" ".join(t.text for t in result.rows[(a, b)]) for a, b in zip(frame["trust"], frame["cohort"])],
    )
    frame["trust"] = frame["trust"].map(trust_names)
    frame["cohort"] = frame["cohort"].map(cohort_names)
    return frame.rename(
        columns={
            "trust": "Trust",
            "cohort": "Cohort",
            "placements_possible": "Placements the model allows",
            "placements_consistent": "Placements in some reading",
        }
    )


# ---------------------------------------------------------------------------------------------
# Figure
# ---------------------------------------------------------------------------------------------


def segment_style(kind):
    """Fill of a bar segment: the type's colour, or white with grey hatching for the derived rest."""
    if kind == NO_BACKGROUND:
        return {"facecolor": "white", "edgecolor": UNCERTAIN, "hatch": "///"}
    return {"facecolor": BACKGROUND_COLOURS[kind], "edgecolor": "white"}


def background_values(data, trust_names, cohort_names):
    """The tidy table the clinical-backgrounds figure is drawn from: managers of each background
    in each trust and management group, zeros included, and the rest of the group with none listed."""
    by_type = backgrounds_by_type(data)
    return pd.DataFrame(
        {
            "trust": by_type["trust"].map(trust_names),
            "management group": by_type["cohort"].map(cohort_names),
            "clinical background": by_type["type"].astype(str),
            "managers": by_type["count"].astype(int),
        }
    )


def clinical_backgrounds_figure(values):
    """Horizontal stacked bars from :func:`background_values`, one per trust and group: managers
    of each background, then (hatched, grey) the rest of the group, for whom Table 5.1 lists no
    background. A background no manager has is a bar of length 0, unlabelled."""
    kinds = list(dict.fromkeys(values["clinical background"]))
    fig, ax = plt.subplots(figsize=(7.2, 4.6))
    positions, labels, y = [], [], 0.0
    for trust in dict.fromkeys(values["trust"]):
        of_trust = values[values["trust"] == trust]
        for group in dict.fromkeys(of_trust["management group"]):
            left = 0
            for r in of_trust[of_trust["management group"] == group].itertuples(index=False):
                kind, width = r[2], int(r[3])
                ax.barh(y, width, left=left, height=0.75, linewidth=0.8, **segment_style(kind))
                if width:
                    text = "black" if kind == NO_BACKGROUND else text_colour_on(BACKGROUND_COLOURS[kind])
                    ax.text(left + width / 2, y, str(width), ha="center", va="center", fontsize=8, color=text)
                left += width
            positions.append(y)
            labels.append(f"{trust} · {group}")
            y += 1
        y += 0.6
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlabel("Managers interviewed (bar length = cohort size)")
    handles = [Patch(label=kind, linewidth=0.8, **segment_style(kind)) for kind in kinds]
    ax.legend(
        handles=handles, ncol=3, loc="upper center", bbox_to_anchor=(0.42, -0.13), frameon=False, fontsize=8
    )
    return fig
