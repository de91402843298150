"""Related evidence: the review of doctor-manager relationships (source 002), the companion NIHR
study of informal networks (003) and frontline clinician-managers (004).

Tables whose cells cite works are built as MyST text: a cell such as ``{cite:t}`ham2008engaging```
is rendered by the book as an author-year citation linked to the bibliography.
"""

import matplotlib.pyplot as plt
import pandas as pd

from ..presentation.style import INK, MUTED
from ..presentation.tables import cite, emphasis, join, markup

REVIEW = "002"


def citation_cell(keys_and_works):
    """'; '-joined citations; a work without a BibTeX key is shown as printed, flagged."""
    parts = []
    for key, work in keys_and_works:
        parts.append(
            cite(key) if key else markup(work, " (", emphasis("not in the review's reference list"), ")")
        )
    return join("; ", parts)


# --- the review's themes and the works cited under them -------------------------------------


def review_themes(themes):
    """The six themes of the review (source 002), in printed order."""
    out = themes[themes["source"] == REVIEW].copy()
    out["number"] = out["theme_id"].str.split("-").str[1].astype(int)
    return out.sort_values("number", ignore_index=True)


def works_per_theme(studies, themes):
    """Per theme of the review: works cited, those cited under no other theme, those also cited
    elsewhere, and citations without a reference-list entry."""
    key = studies["ref_key"].where(studies["ref_key"] != "", "missing:" + studies["cited_work"])
    themes_of = studies.assign(work=key).groupby("work")["theme_id"].nunique()
    rows = []
    for theme in review_themes(themes).itertuples(index=False):
        here = studies[studies["theme_id"] == theme.theme_id].assign(work=key)
        shared = here["work"].map(themes_of) > 1
        rows.append(
            {
                "theme_id": theme.theme_id,
                "number": theme.number,
                "theme": theme.theme,
                "works": len(here),
                "only_here": int((~shared).sum()),
                "shared": int(shared.sum()),
                "no_reference": int((here["ref_key"] == "").sum()),
            }
        )
    return pd.DataFrame(rows)


def studies_by_theme_table(studies, themes):
    """One row per theme: our label, the printed heading, how many works, and every work cited."""
    counts = works_per_theme(studies, themes).set_index("theme_id")
    rows = []
    for theme in review_themes(themes).itertuples(index=False):
        here = studies[studies["theme_id"] == theme.theme_id]
        rows.append(
            (
                theme.number,
                theme.theme,
                theme.printed_heading,
                int(counts.loc[theme.theme_id, "works"]),
                citation_cell(zip(here["ref_key"], here["cited_work"])),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Theme",
            "Short label (ours)",
            "Heading as printed",
            "Works",
            "Works cited under the theme (order of first citation)",
        ],
    )


def distinct_works(studies):
    """Number of distinct works cited across the themes (a work without a key counts once)."""
    key = studies["ref_key"].where(studies["ref_key"] != "", "missing:" + studies["cited_work"])
    return int(key.nunique())


def recurring_works(studies, themes, min_themes=3):
    """Works cited under at least ``min_themes`` of the themes, most widely cited first."""
    numbers = dict(zip(review_themes(themes)["theme_id"], review_themes(themes)["number"]))
    keyed = studies[studies["ref_key"] != ""]
    grouped = keyed.groupby("ref_key", sort=False).agg(
        cited_as=("cited_work", "first"), themes=("theme_id", lambda s: sorted(numbers[t] for t in s))
    )
    grouped["n"] = grouped["themes"].apply(len)
    grouped = grouped[grouped["n"] >= min_themes].reset_index()
    grouped = grouped.sort_values(["n", "cited_as"], ascending=[False, True], ignore_index=True)
    return pd.DataFrame(
        {
            "Work": [cite(k) for k in grouped["ref_key"]],
            "Themes cited under": [", ".join(str(n) for n in t) for t in grouped["themes"]],
            "Number of themes": grouped["n"],
        }
    )


def missing_references(studies):
    """Citations under a theme that have no entry in the review's reference list."""
    return studies[studies["ref_key"] == ""][["theme_id", "cited_work", "note"]].reset_index(drop=True)


def spelling_notes(studies):
    """Citations whose printed spelling differs from the reference list (from the notes)."""
    hit = studies["note"].str.contains("spell", case=False) & (studies["ref_key"] != "")
    return studies[hit][["theme_id", "cited_work", "ref_key", "note"]].reset_index(drop=True)


ONLY_HERE, SHARED = "Cited under this theme only", "Also cited under another theme"


def theme_citation_values(per_theme):
    """The tidy table the citations figure is drawn from: works cited under each theme, one row
    per theme and kind (cited there only, or also under another theme)."""
    rows = []
    for r in per_theme.itertuples(index=False):
        theme = f"{r.number}. {r.theme}"
        rows += [{"theme": theme, "cited": ONLY_HERE, "works": r.only_here}]
        rows += [{"theme": theme, "cited": SHARED, "works": r.shared}]
    return pd.DataFrame(rows)


def plot_works_per_theme(values):
    """Horizontal stacked bars from :func:`theme_citation_values`: works cited only under a theme
    (solid), then works also cited under another (hatched)."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    themes = list(dict.fromkeys(values["theme"]))
    looks = {
        ONLY_HERE: {"color": INK},
        SHARED: {"color": "white", "edgecolor": MUTED, "hatch": "///"},
    }
    for y, theme in enumerate(themes):
        left = 0
        for r in values[values["theme"] == theme].itertuples(index=False):
            ax.barh(y, r.works, left=left, label=r.cited if y == 0 else None, **looks[r.cited])
            if r.works:
                on_ink = r.cited == ONLY_HERE
                box = None if on_ink else {"facecolor": "white", "edgecolor": "none", "pad": 0.5}
                ax.text(
                    left + r.works / 2,
                    y,
                    str(r.works),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if on_ink else "black",
                    bbox=box,
                )
            left += r.works
    ax.set_yticks(range(len(themes)), themes, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Works cited")
    ax.legend(ncol=2, loc="upper center", bbox_to_anchor=(0.4, -0.22), frameon=False, fontsize=8)
    return fig


# --- the comparison of studies --------------------------------------------------------------


def comparison_table(themes, n_managers, n_trusts):
    """The book's study, the companion networks study, Petchey's article and the review, side by
    side: who was studied, where, how, and the main findings (theme labels from related_themes).

    ``n_managers`` and ``n_trusts`` come from Table 3.2, so the study's size is not typed here."""
    label = dict(zip(themes["theme_id"], themes["theme"]))
    review = "; ".join(review_themes(themes)["theme"].str.lower())
    rows = [
        (
            "Management knowledge in health care (this book's study)",
            markup(
                cite("bresnen2017managing"),
                "; ",
                cite("bresnen2014being"),
                "; summary in ",
                cite("nihr2014managementknowledge"),
            ),
            "Middle managers in clinical, functional and general management groups",
            f"{n_trusts} NHS trusts (Acute, Care, Specialist)",
            f"Interviews with a purposive sample of {n_managers} managers, with observation",
            "; ".join(label[t].lower() for t in ("003-1", "003-2")),
        ),
        (
            "Informal networks among health-care managers (HS&DR 2014; 2(12))",
            markup("summary in ", cite("nihr2014managementknowledge")),
            "Middle managers in health and well-being services",
            "Three sites in the north of England",
            "Prospective case study with cluster modelling of networks",
            "; ".join(label[t].lower() for t in ("003-3", "003-4")),
        ),
        (
            "Frontline clinician-managers",
            cite("petchey_frontline"),
            "Allied health professional managers (radiographers, physiotherapists, occupational and arts therapists)",
            "Four contrasting NHS settings, from a teaching hospital to a community mental health service",
            "A year of interviewing, observation and shadowing",
            "; ".join(label[t].lower() for t in ("004-1", "004-2", "004-3", "004-4")),
        ),
        (
            "Doctors and managers",
            cite("powell2016doctors"),
            "Doctors and managers at board (medical director) and directorate (clinical director) level",
            "NHS secondary care, mainly UK studies published after a large survey of 2002",
            "Rapid narrative review of empirical and theoretical work",
            review,
        ),
    ]
    return pd.DataFrame(rows, columns=["Study", "Source", "Who", "Where", "How", "Main themes (our labels)"])


def cited_keys(studies):
    """Every BibTeX key the review's themes give (the chapter must cite each of them)."""
    return sorted(set(studies["ref_key"]) - {""})
