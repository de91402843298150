"""The NHS management context (book chapter 2): Tables 2.1 and 2.2 rebuilt, a timeline of
management eras, policy initiatives and training programmes, and the places where the book dates or
names the same thing in two ways.

Every function takes validated data frames (``chapter["nhs_management_periods"]``,
``chapter["training_programmes"]``, ``chapter["timeline_events"]``) and returns a frame, a value or
a matplotlib Figure. Only years printed in the book are used; nothing is filled in.

Years are drawn as whole calendar years: a printed span "1983–1997" covers the years 1983 to 1997
inclusive, i.e. the interval [1983, 1998) on the axis, and a one-year event sits in the middle of
its year. Periods that the book prints with a shared boundary year (1997, 2012) therefore overlap
by one year in the figure, exactly as printed.
"""

import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..presentation.style import MUTED, TIMELINE_COLOURS

PARAPHRASE_MARK = "†"
CONFLICT_MARK = "‡"
ITEM_SEPARATOR = " • "
FIRST_YEAR, LAST_YEAR = 1948, 2016  # the span of the timeline_events schema (and of chapter 2)

KINDS = ("era", "policy", "programme")
KIND_TITLES = {
    "era": "Management eras (the book's Table 2.1)",
    "policy": "Policy initiatives, reports and acts",
    "programme": "National training programmes (the book's Table 2.2 and text)",
}
KIND_COLOURS = {kind: TIMELINE_COLOURS[kind] for kind in KINDS}
CONFLICT_COLOUR = TIMELINE_COLOURS["conflict"]
PERIOD_COLUMNS = {
    "management_changes": "Management changes",
    "major_policy_initiatives": "Major policy initiatives",
}


# --- Table 2.1 -------------------------------------------------------------------------------------
def marked_item(item, text_status):
    """An item as shown in a table: paraphrased items carry the paraphrase mark."""
    return f"{item}{PARAPHRASE_MARK}" if text_status == "paraphrase" else item


def periods_in_order(periods):
    """The printed periods, in the order of their start years (then end years)."""
    spans = periods[["period", "period_start_year", "period_end_year"]].drop_duplicates()
    return spans.sort_values(["period_start_year", "period_end_year"], kind="stable").reset_index(drop=True)


def management_changes_table(periods):
    """Table 2.1: one row per printed period; the items of each cell joined in printed order."""
    rows = []
    for period in periods_in_order(periods)["period"]:
        cells = {}
        for column, heading in PERIOD_COLUMNS.items():
            items = periods[(periods["period"] == period) & (periods["column"] == column)]
            items = items.sort_values("item_no", kind="stable")
            cells[heading] = ITEM_SEPARATOR.join(
                marked_item(i, s) for i, s in zip(items["item"], items["text_status"])
            )
        rows.append({"Period": period, **cells})
    return pd.DataFrame(rows, columns=["Period", *PERIOD_COLUMNS.values()])


def paraphrased_items(periods):
    """How many printed items of Table 2.1 are given in our own words."""
    return int((periods["text_status"] == "paraphrase").sum())


def shared_boundary_years(periods):
    """Years printed both as the end of one period and the start of the next (e.g. 1997)."""
    spans = periods_in_order(periods)
    ends, starts = spans["period_end_year"].iloc[:-1], spans["period_start_year"].iloc[1:]
    return [int(e) for e, s in zip(ends, starts) if e == s]


# --- Table 2.2 -------------------------------------------------------------------------------------
def programme_cell(row):
    """Programme name as printed, with its bracketed annotation (if any) after it."""
    return f"{row['name']} ({row['annotation']})" if row["annotation"] else row["name"]


def text_cell(row):
    """What the chapter text adds about a programme: its namesake and award (conflicts marked)."""
    parts = []
    if row["text_alias"]:
        parts.append(f"named {row['text_alias']}")
    if row["text_award"]:
        mark = CONFLICT_MARK if row["note"].startswith("CONFLICT") else ""
        parts.append(f"award: {row['text_award']}{mark}")
    return "; ".join(parts)


def training_programmes_table(programmes):
    """Table 2.2 as printed (year, programme, agency), plus what the chapter text adds."""
    ordered = programmes.sort_values("row_no", kind="stable")
    return pd.DataFrame(
        {
            "Year": ordered["years"],
            "Management training programme": [programme_cell(r) for _, r in ordered.iterrows()],
            "Agency responsible": [a if a else "(none printed)" for a in ordered["agency"]],
            "Chapter text adds": [text_cell(r) for _, r in ordered.iterrows()],
        }
    ).reset_index(drop=True)


def programmes_by_year(programmes):
    """Number of programmes printed under each start year of Table 2.2 (year -> count)."""
    counts = programmes.groupby("start_year")["programme_id"].count().sort_index()
    return {int(year): int(n) for year, n in counts.items()}


def agencies(programmes):
    """The distinct agencies printed in Table 2.2, in printed order (cells with several split)."""
    seen = []
    for cell in programmes.sort_values("row_no", kind="stable")["agency"]:
        for agency in filter(None, cell.split("; ")):
            if agency not in seen:
                seen.append(agency)
    return seen


# --- the timeline ----------------------------------------------------------------------------------
def event_year(events, event_id, field="start_year"):
    """A printed year of one event (raises KeyError for an unknown event or an empty year)."""
    value = events.set_index("event_id").loc[event_id, field]
    if pd.isna(value):
        raise KeyError(f"{event_id} has no {field}")
    return int(value)


def years_text(row):
    """Printed years of an event: '1983', '1991–1995', or '1956–' for an open start."""
    if row["open_ended"]:
        return f"{row['start_year']}–"
    if pd.notna(row["end_year"]):
        return f"{row['start_year']}–{row['end_year']}"
    return f"{row['start_year']}"


def event_name(row):
    """Printed name of an event, with the paraphrase mark where it is our own wording."""
    return row["label"] + (PARAPHRASE_MARK if row["text_status"] == "paraphrase" else "")


def event_label(row):
    """The label drawn for an event: printed name, printed years, and marks."""
    return f"{event_name(row)} ({years_text(row)})"


def timeline_rows(events):
    """One row per event in drawing order (eras, then policies, then programmes, each by year).

    ``left``/``right`` are axis positions in years: a printed year Y covers [Y, Y + 1); an
    open-ended event has no right end (``right`` is NaN); ``conflict`` marks events the transcription
    flags as dated two ways by the book.
    """
    frame = events.copy()
    frame["kind_order"] = frame["kind"].map({k: i for i, k in enumerate(KINDS)})
    frame = frame.sort_values(["kind_order", "start_year"], kind="stable").reset_index(drop=True)
    conflicts = conflicting_events(events)
    rows = []
    for _, row in frame.iterrows():
        start = int(row["start_year"])
        end = None if pd.isna(row["end_year"]) else int(row["end_year"])
        rows.append(
            {
                "event_id": row["event_id"],
                "kind": row["kind"],
                "label": event_label(row),
                "name": event_name(row),
                "years": years_text(row),
                "derived_from": row["derived_from"],
                "page": int(row["page"]),
                "start_year": start,
                "end_year": end,
                "open_ended": bool(row["open_ended"]),
                "from_table": row["derived_from"].startswith("Table"),
                "conflict": row["event_id"] in conflicts,
                "left": float(start),
                "right": float("nan") if row["open_ended"] else float((end or start) + 1),
            }
        )
    return pd.DataFrame(rows)


def draw_open_bar(ax, y, left, colour, height, right_edge):
    """An open-ended bar: solid for its first printed year, then fading out towards the edge."""
    ax.add_patch(Rectangle((left, y - height / 2), 1, height, color=colour, lw=0, zorder=3))
    steps = np.linspace(left + 1, right_edge, 40)
    for x0, x1, alpha in zip(steps[:-1], steps[1:], np.linspace(0.75, 0.0, len(steps) - 1)):
        ax.add_patch(
            Rectangle((x0, y - height / 2), x1 - x0, height, color=colour, alpha=float(alpha), lw=0, zorder=3)
        )
    ax.annotate(
        "",
        xy=(right_edge + 0.2, y),
        xytext=(right_edge - 1.5, y),
        zorder=4,
        arrowprops={"arrowstyle": "-|>", "color": MUTED, "lw": 0.8},
    )


def draw_era_bands(ax, rows):
    """Light background bands for the eras, so every event can be read against its period."""
    eras = rows[rows["kind"] == "era"]
    for i, (_, era) in enumerate(eras.iterrows()):
        ax.axvspan(
            era["left"],
            era["right"],
            ymin=0,
            ymax=1,
            color=KIND_COLOURS["era"],
            alpha=0.10 if i % 2 == 0 else 0.18,
            lw=0,
            zorder=0,
        )


def draw_table_placement(ax, y, start, end, height):
    """Where Table 2.1 places an event the text dates differently: a hatched, unfilled box."""
    ax.add_patch(
        Rectangle(
            (start, y - height / 2),
            end + 1 - start,
            height,
            facecolor="none",
            edgecolor=CONFLICT_COLOUR,
            hatch="////",
            lw=0.8,
            zorder=2,
        )
    )


TIMELINE_WIDTH = 5.7  # inches of figure; the row labels add about two more to the left
LABEL_WIDTH = 40  # characters before a row label is wrapped onto a second line


def wrapped_label(label, width=LABEL_WIDTH):
    """A row label broken onto two lines when it is long (keeps the chart narrow)."""
    return "\n".join(textwrap.wrap(label, width)) if len(label) > width else label


GROUP_NAMES = {"era": "Era", "policy": "Policy", "programme": "Programme"}
AS_DATED = "the event's printed years"
TABLE_PLACEMENT = "the period in which the book's Table 2.1 lists it"
#: The timeline's tidy table: its column headers, by the key the drawing uses.
TIMELINE_COLUMNS = {
    "group": "group",
    "name": "event",
    "start_year": "first year",
    "end_year": "last year",
    "open_ended": "no end printed",
    "year_from": "year from",
    "conflict": "dated two ways by the book",
    "page": "page",
    "years_are": "years are",
}


def timeline_values(events, periods=None):
    """The tidy table the timeline is drawn from: one row per event in drawing order (its group,
    name, first and last printed year, the last empty when no end is printed, where the year is
    printed, whether the book dates it two ways, and the page) and, given ``periods`` (Table 2.1),
    one more row for the period in which that table lists the Nicholson challenge."""
    rows = timeline_rows(events)
    frame = pd.DataFrame(
        {
            "group": rows["kind"].map(GROUP_NAMES),
            "name": rows["name"],
            "start_year": rows["start_year"],
            "end_year": [
                None if is_open else (end if pd.notna(end) else start)
                for start, end, is_open in zip(rows["start_year"], rows["end_year"], rows["open_ended"])
            ],
            "open_ended": rows["open_ended"],
            "year_from": [source_name(d) for d in rows["derived_from"]],
            "conflict": rows["conflict"],
            "page": rows["page"],
            "years_are": AS_DATED,
        }
    )
    if periods is not None:
        nich = nicholson_readings(events, periods)
        event = rows[rows["label"].str.contains("Nicholson", case=False)].iloc[0]
        placement = {
            "group": GROUP_NAMES[event["kind"]],
            "name": event["name"],
            "start_year": nich["table_start"],
            "end_year": nich["table_end"],
            "open_ended": False,
            "year_from": source_name("Table 2.1"),
            "conflict": True,
            "page": nich["table_page"],
            "years_are": TABLE_PLACEMENT,
        }
        frame = pd.concat([frame, pd.DataFrame([placement])], ignore_index=True)
    frame["end_year"] = frame["end_year"].astype("Int64")
    return frame[list(TIMELINE_COLUMNS)].rename(columns=TIMELINE_COLUMNS)


def drawn_years_text(row):
    """Printed years of a row of :func:`timeline_values`: '1983', '1991–1995' or '1956–'."""
    if row["open_ended"]:
        return f"{row['start_year']}–"
    if row["end_year"] != row["start_year"]:
        return f"{row['start_year']}–{row['end_year']}"
    return f"{row['start_year']}"


def rows_to_draw(values):
    """The events of :func:`timeline_values` as the drawing needs them (axis positions in years:
    a printed year Y covers [Y, Y + 1)), and the rows that place an event in a period of Table 2.1."""
    frame = values.rename(columns={v: k for k, v in TIMELINE_COLUMNS.items()})
    # years are whole numbers, also when read back from the CSV (where an empty last year makes floats)
    frame[["start_year", "end_year"]] = frame[["start_year", "end_year"]].astype("Int64")
    kinds = {name: kind for kind, name in GROUP_NAMES.items()}
    frame["kind"] = frame["group"].map(kinds)
    frame["label"] = [f"{n} ({drawn_years_text(r)})" for n, (_, r) in zip(frame["name"], frame.iterrows())]
    frame["from_table"] = frame["year_from"].str.contains("Table")
    frame["left"] = frame["start_year"].astype(float)
    frame["right"] = [
        float("nan") if is_open else float(end) + 1
        for end, is_open in zip(frame["end_year"], frame["open_ended"])
    ]
    events = frame[frame["years_are"] == AS_DATED].reset_index(drop=True)
    return events, frame[frame["years_are"] == TABLE_PLACEMENT]


def timeline_figure(values):
    """Gantt-style timeline 1948-2016: one row per event, grouped into eras, policies, programmes.

    Spans are bars over their printed years; one-year events are markers (filled when the year is
    printed in Table 2.1 or 2.2, hollow when it comes from the chapter text); open-ended
    programmes fade out towards the right edge with an arrow; events the book dates two ways are
    outlined in magenta. A row of :func:`timeline_values` that gives the period in which Table 2.1
    lists an event (the Nicholson challenge) is drawn as a hatched box on that event's row. Drawn
    from that table alone.
    """
    rows, placements = rows_to_draw(values)
    right_edge = LAST_YEAR + 1
    # Row positions: a gap (and a heading) before each kind; a label wrapped onto two lines gets
    # a taller row so that it does not touch its neighbours.
    positions, headings, y = [], [], 0.0
    for kind in KINDS:
        headings.append((y, KIND_TITLES[kind]))
        y += 1.0
        for label in rows.loc[rows["kind"] == kind, "label"]:
            pitch = 1.7 if "\n" in wrapped_label(label) else 1.0
            y += (pitch - 1.0) / 2
            positions.append(y)
            y += 1.0 + (pitch - 1.0) / 2
        y += 0.6
    rows["y"] = positions
    # Narrow enough to be shown at full size in the text column (labels included), so its 8 pt
    # labels stay readable on the page.
    fig, ax = plt.subplots(figsize=(TIMELINE_WIDTH, 0.24 * y + 1.6))
    draw_era_bands(ax, rows)
    height = 0.56
    for _, row in rows.iterrows():
        colour = KIND_COLOURS[row["kind"]]
        edge = CONFLICT_COLOUR if row["conflict"] else colour
        if row["open_ended"]:
            draw_open_bar(ax, row["y"], row["left"], colour, height, right_edge)
        elif row["right"] - row["left"] > 1:
            ax.add_patch(
                Rectangle(
                    (row["left"], row["y"] - height / 2),
                    row["right"] - row["left"],
                    height,
                    facecolor=colour,
                    edgecolor=edge,
                    lw=1.6 if row["conflict"] else 0,
                    zorder=3,
                )
            )
        else:
            ax.plot(
                row["left"] + 0.5,
                row["y"],
                marker="D",
                ms=5.5,
                zorder=4,
                markerfacecolor=colour if row["from_table"] else "white",
                markeredgecolor=edge,
                markeredgewidth=1.6 if row["conflict"] else 1.0,
            )
    for _, placement in placements.iterrows():
        row = rows[rows["name"] == placement["name"]].iloc[0]
        draw_table_placement(ax, row["y"], placement["start_year"], placement["end_year"], 0.9)
    for y_heading, title in headings:
        # Group headings sit inside the chart, on their own row, so they add nothing to its width.
        ax.text(FIRST_YEAR - 0.3, y_heading, title, ha="left", va="center", fontsize=9, fontweight="bold")
    ax.set_yticks(rows["y"], [wrapped_label(label) for label in rows["label"]], fontsize=8)
    for tick, conflict in zip(ax.get_yticklabels(), rows["conflict"]):
        if conflict:
            tick.set_color(CONFLICT_COLOUR)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(y - 0.3, -0.8)
    ax.set_xlim(FIRST_YEAR - 0.5, right_edge + 0.5)
    ticks = [FIRST_YEAR, *range(1960, LAST_YEAR, 10), LAST_YEAR]
    ax.set_xticks([t + 0.5 for t in ticks], [str(t) for t in ticks], fontsize=8)
    ax.grid(axis="x", color="#E5E5E5", lw=0.6, zorder=1)
    ax.spines["left"].set_visible(False)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelbottom=True, bottom=True)
    ax.set_xlabel("Year as printed (a span covers its first to its last printed year)", fontsize=8)
    legend = [
        Patch(color=KIND_COLOURS["era"], label="Era (period of the book's Table 2.1)"),
        Patch(color=KIND_COLOURS["policy"], label="Policy with a printed span"),
        Line2D([], [], marker="D", ls="", color=KIND_COLOURS["policy"], label="Year printed in a table"),
        Line2D(
            [],
            [],
            marker="D",
            ls="",
            markerfacecolor="white",
            markeredgecolor=KIND_COLOURS["policy"],
            label="Year printed in the text",
        ),
        Patch(color=KIND_COLOURS["programme"], label="Programme (start year only; fades: no end printed)"),
        Line2D(
            [],
            [],
            marker="D",
            ls="",
            markerfacecolor="white",
            markeredgecolor=CONFLICT_COLOUR,
            markeredgewidth=1.6,
            label="Dated two ways by the book",
        ),
    ]
    if len(placements):
        legend.append(
            Patch(
                facecolor="none",
                edgecolor=CONFLICT_COLOUR,
                hatch="////",
                label="Period where the book's Table 2.1 lists it",
            )
        )
    ax.legend(
        handles=legend, loc="upper right", bbox_to_anchor=(1.0, -0.06), ncol=1, frameon=False, fontsize=8
    )
    return fig


def source_name(locator):
    """A locator as a reader sees it: the source's tables are named as the book's ('Table 2.1'
    becomes "the book's Table 2.1"), so they cannot be taken for the report's own tables."""
    return re.sub(r"\b(Tables?) (\d)", r"the book's \1 \2", locator)


def timeline_events_table(events):
    """Every event of the timeline figure, in drawing order: the figure's data as a table."""
    rows = timeline_rows(events)
    return pd.DataFrame(
        {
            "Group": rows["kind"].map({"era": "Era", "policy": "Policy", "programme": "Programme"}),
            "Event": [n + (CONFLICT_MARK if c else "") for n, c in zip(rows["name"], rows["conflict"])],
            "Years as printed": rows["years"],
            "Year from": [source_name(d) for d in rows["derived_from"]],
            "Page": rows["page"],
        }
    )


# --- where the book disagrees with itself ----------------------------------------------------------
def same_label_different_years(events):
    """Labels of non-programme events printed with more than one year (label -> sorted years).

    Programmes are left out: Table 2.2 deliberately prints the same scheme name under several
    start years (e.g. the Graduate Management Training Scheme), which is not a conflict.
    """
    others = events[events["kind"] != "programme"]
    years = others.groupby("label")["start_year"].apply(lambda s: sorted({int(v) for v in s}))
    return {label: ys for label, ys in years.items() if len(ys) > 1}


def conflicting_events(events):
    """Event ids that belong to a conflict: same label dated two ways, or the Nicholson challenge."""
    labels = same_label_different_years(events)
    ids = set(events.loc[events["label"].isin(labels), "event_id"])
    ids |= set(events.loc[events["label"].str.contains("Nicholson", case=False), "event_id"])
    return ids


def readings_of(events, label):
    """Every dated reading of one event label: (year, page) pairs in year order."""
    rows = events[events["label"] == label].sort_values("start_year", kind="stable")
    return [(int(y), int(p)) for y, p in zip(rows["start_year"], rows["page"])]


def scheme_1956(programmes, events):
    """The first national scheme: the name Table 2.2 prints, the name the text gives it, the
    printed start year, the year the text gives its aims, and the pages."""
    table = programmes.sort_values("row_no", kind="stable").iloc[0]
    intake = events[
        (events["kind"] == "programme")
        & (events["derived_from"] == "text")
        & (events["start_year"] == table["start_year"])
    ].iloc[0]
    prefix = "First intake of the "
    if not intake["label"].startswith(prefix):
        raise ValueError(f"unexpected label for the text's scheme: {intake['label']!r}")
    aims = re.search(r"\b(\d{4}) aims\b", table["note"])
    return {
        "table_name": table["name"],
        "text_name": intake["label"][len(prefix) :],
        "start_year": int(table["start_year"]),
        "table_page": int(table["page"]),
        "text_page": int(intake["page"]),
        "aims_year": int(aims.group(1)) if aims else None,
    }


def nicholson_readings(events, periods):
    """The Nicholson challenge as the text dates it (a span) and as Table 2.1 places it (a period)."""
    text = events[events["label"].str.contains("Nicholson", case=False)].iloc[0]
    item = periods[periods["item"].str.contains("Nicholson", case=False)].iloc[0]
    return {
        "text_start": int(text["start_year"]),
        "text_end": int(text["end_year"]),
        "text_page": int(text["page"]),
        "table_period": item["period"],
        "table_start": int(item["period_start_year"]),
        "table_end": int(item["period_end_year"]),
        "table_page": int(item["page"]),
        "overlap": (
            max(int(text["start_year"]), int(item["period_start_year"])),
            min(int(text["end_year"]), int(item["period_end_year"])),
        ),
    }


def award_conflicts(programmes):
    """Programmes whose award the table and the text state differently (flagged CONFLICT)."""
    flagged = programmes[programmes["note"].str.startswith("CONFLICT")]
    return flagged[["name", "text_alias", "award", "text_award", "page", "text_page"]].reset_index(drop=True)


def conflicts_table(events, periods, programmes, tensions=()):
    """Every place where the book gives two values for the same thing, with both values.

    ``tensions`` are further rows (what, about, one reading, other reading) from the claims
    register's pairs of passages that disagree (nhsreport.analyses.self_checks.chapter2_tension_rows)."""
    rows = []
    for label, _years in same_label_different_years(events).items():
        readings = readings_of(events, label)
        rows.append(
            (
                label,
                "year introduced",
                f"{readings[0][0]} (text, p. {readings[0][1]})",
                f"{readings[-1][0]} (text, p. {readings[-1][1]})",
            )
        )
    scheme = scheme_1956(programmes, events)
    rows.append(
        (
            f"First national scheme ({scheme['start_year']}–)",
            "name",
            f"{scheme['table_name']} (the book's Table 2.2, p. {scheme['table_page']})",
            f"{scheme['text_name']} (text, p. {scheme['text_page']})",
        )
    )
    nich = nicholson_readings(events, periods)
    rows.append(
        (
            "Nicholson challenge",
            "years",
            f"{nich['table_period']} period (the book's Table 2.1, p. {nich['table_page']})",
            f"{nich['text_start']} to {nich['text_end']} (text, p. {nich['text_page']})",
        )
    )
    for _, row in award_conflicts(programmes).iterrows():
        rows.append(
            (
                f"{row['name']} ({row['text_alias']})",
                "award",
                f"{row['award']} (the book's Table 2.2, p. {row['page']})",
                f"{row['text_award']} (text, p. {row['text_page']})",
            )
        )
    rows.extend(tensions)
    return pd.DataFrame(rows, columns=["What", "Disagreement about", "One reading", "Other reading"])


# --- small look-ups for the prose ------------------------------------------------------------------
def programme_year(programmes, programme_id):
    """Start year printed for one programme of Table 2.2."""
    return int(programmes.set_index("programme_id").loc[programme_id, "start_year"])


def era_years(periods):
    """(start, end) of each printed period, in order: the spans of the management eras."""
    spans = periods_in_order(periods)
    return [(int(s), int(e)) for s, e in zip(spans["period_start_year"], spans["period_end_year"])]
