"""Who is heard in the book: the register of quotation attributions set against the sample.

Every quotation in the book is followed by an attribution ``(Name, Group, Trust)``. The register
(``interviewee_quotes``) keeps the printed labels exactly, including the inconsistent ones. This
module reads each attribution, groups attributions by pseudonym, and sets the names heard in each
trust x management group cell against the managers interviewed there (Table 3.2).

How a person with conflicting labels is counted
-----------------------------------------------
A pseudonym is taken to name one person. When the same pseudonym is printed with two different
trust x group cells, the book does not say which is right, so every count is given as bounds:

* the *lower* count of a cell holds only the names whose every attribution points to that cell;
* the *upper* count holds every name with at least one attribution pointing to it (each printed
  label counted once).

For the number of people quoted, the lower reading is one person per pseudonym; the upper reading
treats each distinct printed cell of a pseudonym as a different person sharing the name.

An attribution whose group position holds a trust label and whose trust position holds a group
label is read the other way round (``reading = "reversed"``); an attribution that fits neither
order is ``unreadable`` and is left out of every cell.
"""

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from ..data.codes import cohort_codes, trust_codes
from ..presentation.style import COHORT_COLOURS, MUTED, UNCERTAIN, by_name

AS_PRINTED, REVERSED, UNREADABLE = "as printed", "reversed", "unreadable"


# --- reading the attributions ---------------------------------------------------------------


def code_maps(data):
    """(printed trust label -> code, printed group label -> code), from trusts.csv and cohorts.csv."""
    trusts, cohorts = data["trusts"], data["cohorts"]
    return dict(zip(trusts["label"], trusts["code"])), dict(zip(cohorts["label"], cohorts["code"]))


def read_attributions(quotes, trust_codes, cohort_codes):
    """Each attribution with the trust and group it is read as, and how it was read.

    Returns the register with three more columns: ``reading`` (as printed / reversed /
    unreadable), ``read_trust`` and ``read_cohort`` (codes, empty if unreadable)."""
    out = quotes.copy()
    readings, read_trusts, read_cohorts = [], [], []
    for group_label, trust_label in zip(out["cohort_printed"], out["trust_printed"]):
        if group_label in cohort_codes and trust_label in trust_codes:
            reading, trust, cohort = AS_PRINTED, trust_codes[trust_label], cohort_codes[group_label]
        elif group_label in trust_codes and trust_label in cohort_codes:
            reading, trust, cohort = REVERSED, trust_codes[group_label], cohort_codes[trust_label]
        else:
            reading, trust, cohort = UNREADABLE, "", ""
        readings.append(reading)
        read_trusts.append(trust)
        read_cohorts.append(cohort)
    out["reading"], out["read_trust"], out["read_cohort"] = readings, read_trusts, read_cohorts
    return out


def attributions(data):
    """The validated register, read (see :func:`read_attributions`)."""
    trust_codes, cohort_codes = code_maps(data)
    return read_attributions(data["interviewee_quotes"], trust_codes, cohort_codes)


def people(read):
    """One row per pseudonym: attributions, chapters, pages and the cells its labels point to."""
    readable = read[read["reading"] != UNREADABLE]
    cells = readable.groupby("pseudonym").apply(
        lambda g: tuple(sorted(set(zip(g["read_trust"], g["read_cohort"])))), include_groups=False
    )
    frame = read.groupby("pseudonym").agg(
        attributions=("quote_id", "size"),
        first_quote=("quote_id", "min"),
        chapters=("chapter", lambda s: tuple(sorted(set(int(c) for c in s)))),
    )
    frame["cells"] = cells.reindex(frame.index).apply(lambda v: v if isinstance(v, tuple) else ())
    frame["conflicting"] = frame["cells"].apply(len) > 1
    return frame.reset_index().sort_values(
        ["attributions", "pseudonym"], ascending=[False, True], ignore_index=True
    )


# --- who is heard, set against the sample ---------------------------------------------------


def names_by_cell(person_frame):
    """Per trust x group cell: (names certainly there, names possibly there), as sorted tuples."""
    certain, possible = {}, {}
    for name, cells in zip(person_frame["pseudonym"], person_frame["cells"]):
        for cell in cells:
            possible.setdefault(cell, set()).add(name)
        if len(cells) == 1:
            certain.setdefault(cells[0], set()).add(name)
    return (
        {c: tuple(sorted(n)) for c, n in certain.items()},
        {c: tuple(sorted(n)) for c, n in possible.items()},
    )


def voices_by_group(person_frame, participants, read=None):
    """Quoted names against the managers of Table 3.2, cell by cell, as lower and upper counts.

    Columns: trust, cohort, managers, quoted_min, quoted_max, exceeds (``always`` when even the
    lower count is above the managers, ``upper`` when only the upper count is, else empty) and,
    if the read register is given, quotations (attributions read as that cell)."""
    certain, possible = names_by_cell(person_frame)
    managers = participants.set_index(["trust", "cohort"])["count"]
    rows = []
    for trust in trust_codes():
        for cohort in cohort_codes():
            n = int(managers[(trust, cohort)])
            low = len(certain.get((trust, cohort), ()))
            high = len(possible.get((trust, cohort), ()))
            exceeds = "always" if low > n else ("upper" if high > n else "")
            rows.append((trust, cohort, n, low, high, exceeds))
    frame = pd.DataFrame(rows, columns=["trust", "cohort", "managers", "quoted_min", "quoted_max", "exceeds"])
    if read is not None:
        counts = read.groupby(["read_trust", "read_cohort"]).size()
        frame["quotations"] = [int(counts.get((t, c), 0)) for t, c in zip(frame["trust"], frame["cohort"])]
    return frame


def people_quoted_bounds(person_frame):
    """(lower, upper) number of people quoted: one per pseudonym, or one per printed cell of it."""
    lower = len(person_frame)
    upper = int(sum(max(1, len(cells)) for cells in person_frame["cells"]))
    return lower, upper


def by_group_table(by_group, trust_labels, cohort_labels):
    """Display table of :func:`voices_by_group`, with a total row (sums of the cells)."""

    def shown(low, high):
        return str(low) if low == high else f"{low}–{high}"

    def share(low, high, n):
        lo, hi = round(100 * low / n), round(100 * high / n)
        return str(lo) if lo == hi else f"{lo}–{hi}"

    notes = {"always": "more names than managers", "upper": "more names than managers if each label counts"}
    rows = []
    for r in by_group.itertuples(index=False):
        rows.append(
            (
                trust_labels[r.trust],
                cohort_labels[r.cohort],
                r.managers,
                shown(r.quoted_min, r.quoted_max),
                share(r.quoted_min, r.quoted_max, r.managers),
                r.quotations,
                notes.get(r.exceeds, ""),
            )
        )
    n, low, high, q = (int(by_group[c].sum()) for c in ("managers", "quoted_min", "quoted_max", "quotations"))
    rows.append(("Total", "", n, shown(low, high), share(low, high, n), q, "sums of the cells"))
    return pd.DataFrame(
        rows,
        columns=[
            "Trust",
            "Group",
            "Managers (the book's Table 3.2)",
            "Names quoted",
            "Names as % of managers",
            "Quotations",
            "Remark",
        ],
    )


# --- most quoted and chapters ---------------------------------------------------------------


def most_quoted(person_frame, top=10):
    """The people quoted most often: the first ``top`` by attributions, plus anyone tied with the last."""
    ordered = person_frame.sort_values(
        ["attributions", "pseudonym"], ascending=[False, True], ignore_index=True
    )
    if len(ordered) <= top:
        return ordered
    threshold = int(ordered["attributions"].iloc[top - 1])
    return ordered[ordered["attributions"] >= threshold].reset_index(drop=True)


def chapter_range(data):
    """All book chapters, from the schema's bounds on the register's chapter field."""
    field = next(f for f in data.resource("interviewee_quotes")["schema"]["fields"] if f["name"] == "chapter")
    return range(field["constraints"]["minimum"], field["constraints"]["maximum"] + 1)


def quotes_by_chapter(read, chapters, trust_labels):
    """Per chapter: attributions, distinct names, names heard for the first time, and attributions
    by the trust they are read as (chapters with no attribution kept, with zeros)."""
    first_chapter = read.groupby("pseudonym")["chapter"].min()
    rows = []
    for chapter in chapters:
        here = read[read["chapter"] == chapter]
        row = {
            "Chapter": chapter,
            "Attributions": len(here),
            "Distinct names": int(here["pseudonym"].nunique()),
            "Heard for the first time": int((first_chapter == chapter).sum()),
        }
        for trust in trust_codes():
            row[trust_labels[trust]] = int((here["read_trust"] == trust).sum())
        row["Unreadable"] = int((here["reading"] == UNREADABLE).sum())
        rows.append(row)
    frame = pd.DataFrame(rows)
    if not frame["Unreadable"].any():
        frame = frame.drop(columns="Unreadable")
    return frame


def attributions_by_cohort(read):
    """Attributions by the management group they are read as (unreadable ones left out)."""
    counts = read[read["reading"] != UNREADABLE]["read_cohort"].value_counts()
    return {cohort: int(counts.get(cohort, 0)) for cohort in cohort_codes()}


# --- inconsistencies ------------------------------------------------------------------------


def pages_text(pages):
    return ", ".join(str(int(p)) for p in sorted(set(pages)))


def label_conflicts(read, trust_labels, cohort_labels):
    """A pseudonym printed with more than one group label, or more than one trust label."""
    rows = []
    readable = read[read["reading"] != UNREADABLE]
    for name, group in readable.groupby("pseudonym", sort=True):
        for column, names, kind in (
            ("read_cohort", cohort_labels, "two management groups"),
            ("read_trust", trust_labels, "two trusts"),
        ):
            if group[column].nunique() > 1:
                parts = [
                    f"{names[value]} ({'p.' if sub['page'].nunique() == 1 else 'pp.'} {pages_text(sub['page'])})"
                    for value, sub in group.groupby(column, sort=True)
                ]
                rows.append((name, kind, "printed as " + " and as ".join(parts), pages_text(group["page"])))
    return rows


def irregular_labels(read):
    """Attributions whose labels are not a group code then a trust code."""
    rows = []
    for r in read[read["reading"] != AS_PRINTED].itertuples(index=False):
        if r.reading == REVERSED:
            detail = (
                f"the attribution on p. {int(r.page)} prints '{r.cohort_printed}' in the group position and "
                f"'{r.trust_printed}' in the trust position; read the other way round"
            )
            kind = "labels in reverse order"
        else:
            detail = (
                f"the attribution on p. {int(r.page)} prints '{r.cohort_printed}, {r.trust_printed}', "
                "which are not group and trust labels"
            )
            kind = "labels that are not codes"
        rows.append((r.pseudonym, kind, detail, pages_text([r.page])))
    return rows


def overfull_cells(person_frame, participants, trust_labels, cohort_labels):
    """Trust x group cells where more names are quoted than managers were interviewed."""
    certain, possible = names_by_cell(person_frame)
    table_pages = participants.set_index(["trust", "cohort"])["page"]
    rows = []
    for r in voices_by_group(person_frame, participants).itertuples(index=False):
        if not r.exceeds:
            continue
        cell = (r.trust, r.cohort)
        uncertain = sorted(set(possible.get(cell, ())) - set(certain.get(cell, ())))
        detail = (
            f"{trust_labels[r.trust]} × {cohort_labels[r.cohort]}: {r.quoted_max} names under "
            f"the printed labels against {r.managers} managers in the book's Table 3.2"
        )
        if uncertain:
            detail += f"; {r.quoted_min} if {', '.join(uncertain)} (labels in conflict) are counted elsewhere"
        kind = "more names than managers" + ("" if r.exceeds == "always" else " (upper count only)")
        rows.append(
            (
                ", ".join(possible[cell]),
                kind,
                detail,
                pages_text([table_pages[cell]]) + " (the book's Table 3.2)",
            )
        )
    return rows


def voice_inconsistencies(data):
    """Every inconsistency found in the attributions, one row each.

    Columns: ``pseudonym`` (for a cell, the names quoted in it), ``kind``, ``detail`` and
    ``pages`` (printed pages where it shows, estimated from running heads)."""
    trust_codes, cohort_codes = code_maps(data)
    read = read_attributions(data["interviewee_quotes"], trust_codes, cohort_codes)
    trust_labels = {v: k for k, v in trust_codes.items()}
    cohort_labels = {v: k for k, v in cohort_codes.items()}
    rows = label_conflicts(read, trust_labels, cohort_labels) + irregular_labels(read)
    rows += overfull_cells(people(read), data["sample_participants"], trust_labels, cohort_labels)
    return pd.DataFrame(rows, columns=["pseudonym", "kind", "detail", "pages"])


# --- figures --------------------------------------------------------------------------------


MANAGERS, QUOTED_LOW, QUOTED_HIGH = "managers interviewed", "names quoted, at least", "names quoted, at most"


def voices_by_group_values(by_group, trust_labels, cohort_labels):
    """The tidy table the voices-by-group figure is drawn from: one row per trust and group, with
    the managers interviewed and the fewest and most names quoted (they differ where names are
    printed with conflicting labels)."""
    return pd.DataFrame(
        {
            "trust": by_group["trust"].map(trust_labels),
            "management group": by_group["cohort"].map(cohort_labels),
            MANAGERS: by_group["managers"].astype(int),
            QUOTED_LOW: by_group["quoted_min"].astype(int),
            QUOTED_HIGH: by_group["quoted_max"].astype(int),
        }
    )


def plot_voices_by_group(values, cohort_labels):
    """Grouped bars from :func:`voices_by_group_values`, per trust and group: managers interviewed
    (outline) against names quoted (solid up to the fewest, hatched grey up to the most); a
    count of names above the managers interviewed is printed in bold."""
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    colours = by_name(COHORT_COLOURS, cohort_labels)
    width, gap = 0.38, 0.6
    ticks, tick_labels = [], []
    x = 0.0
    for trust in dict.fromkeys(values["trust"]):
        for r in values[values["trust"] == trust].itertuples(index=False):
            group, managers, low, high = r[1], int(r[2]), int(r[3]), int(r[4])
            colour = colours[group]
            ax.bar(x - width / 2, managers, width, facecolor="white", edgecolor=colour, linewidth=1.5)
            ax.bar(x + width / 2, low, width, color=colour)
            if high > low:
                ax.bar(
                    x + width / 2,
                    high - low,
                    width,
                    bottom=low,
                    facecolor=UNCERTAIN,
                    edgecolor=MUTED,
                    hatch="///",
                )
            ax.text(x - width / 2, managers + 0.2, str(managers), ha="center", fontsize=8)
            shown = str(low) if high == low else f"{low}–{high}"
            weight = "bold" if high > managers else "normal"
            ax.text(x + width / 2, high + 0.2, shown, ha="center", fontsize=8, fontweight=weight)
            ticks.append(x)
            tick_labels.append(group)
            x += 1
        ax.text(x - 2, -2.6, trust, ha="center", fontsize=10, fontweight="bold")
        x += gap
    ax.set_xticks(ticks, tick_labels, fontsize=8)
    ax.set_ylabel("People")
    ax.set_ylim(0, max(values[QUOTED_HIGH].max(), values[MANAGERS].max()) + 2)
    handles = [
        Patch(facecolor="white", edgecolor="black", label="Managers interviewed (the book's Table 3.2)"),
        Patch(facecolor="#555555", label="Names quoted (colour = group)"),
        Patch(facecolor=UNCERTAIN, edgecolor=MUTED, hatch="///", label="Names with conflicting labels"),
    ]
    ax.legend(
        handles=handles, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False, fontsize=8
    )
    return fig


CONFLICTING = "conflicting labels"


def most_quoted_values(top, trust_labels, cohort_labels):
    """The tidy table the most-quoted figure is drawn from: one row per person, with the group
    and trust their attributions print (both "conflicting labels" when these disagree)."""
    rows = []
    for r in top.itertuples(index=False):
        single = len(r.cells) == 1
        trust, cohort = r.cells[0] if single else (None, None)
        rows.append(
            {
                "interviewee": r.pseudonym,
                "management group": cohort_labels[cohort] if single else CONFLICTING,
                "trust": trust_labels[trust] if single else CONFLICTING,
                "quotations": int(r.attributions),
            }
        )
    return pd.DataFrame(rows)


def plot_most_quoted(values, cohort_labels):
    """Horizontal bars from :func:`most_quoted_values`: quotations attributed to each person,
    coloured by group (grey hatching where the labels conflict)."""
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(values) + 1.0))
    colours = by_name(COHORT_COLOURS, cohort_labels)
    for y, r in enumerate(values.itertuples(index=False)):
        group, trust = r[1], r[2]
        if group == CONFLICTING:
            look, label = (
                {"color": UNCERTAIN, "hatch": "///", "edgecolor": MUTED},
                f"{r.interviewee} ({CONFLICTING})",
            )
        else:
            look, label = {"color": colours[group]}, f"{r.interviewee} ({group}, {trust})"
        ax.barh(y, r.quotations, **look)
        ax.text(r.quotations + 0.1, y, str(r.quotations), va="center", fontsize=8)
        ax.text(-0.2, y, label, va="center", ha="right", fontsize=8)
    ax.set_yticks([])
    ax.invert_yaxis()
    ax.set_xlabel("Quotations attributed")
    ax.spines["left"].set_visible(False)
    present = [name for name in colours if name in set(values["management group"])]
    ax.legend(
        handles=[Patch(color=colours[name], label=name) for name in present],
        title="Group",
        frameon=False,
        fontsize=8,
        loc="lower right",
    )
    return fig
