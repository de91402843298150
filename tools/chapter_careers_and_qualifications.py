"""Authoring script of chapters/careers_and_qualifications.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-careers-and-qualifications)=
# Careers and qualifications

```{admonition} In brief
:class: tip
- Of the {glue:text}`n_managers` managers, {glue:text}`n_hybrid` ({glue:text}`hybrid_pct:.0f` per cent) came from a
  clinical or clinical-related background (Table 5.1): every clinical manager, every general manager of the
  Care trust, but only {glue:text}`n_functional_hybrid` of the {glue:text}`n_functional` functional managers.
- The book says hybrid managers outnumbered "pure play" managers by roughly {glue:text}`ratio_claimed_text`.
  Its own Table 5.1 gives {glue:text}`n_hybrid` against {glue:text}`n_pure`, about
  {glue:text}`ratio_computed:.1f` to one. Several other counts in the prose (nurses, pure play general
  managers) also differ from the table.
- Table 5.2 lost its blank cells in extraction. Keeping each bracketed number with the number before it
  gives **no** reading that fits the printed column totals. Letting a bracketed number stand alone
  gives {glue:text}`n_readings` readings. {glue:text}`n_rows_certain` of the {glue:text}`n_rows` rows are fixed,
  and {glue:text}`n_cells_uncertain` of the {glue:text}`n_cells` cells can only be given as ranges.
```

This chapter rebuilds the two tables on managers' educational and professional backgrounds in
chapter 5 of {cite:t}`bresnen2017managing` ("Becoming a Manager", pp. 83–86). It also checks the
prose that surrounds them, which divides the sample into *hybrid* managers, who combine a clinical
or professional background with management, and *pure play* managers, who have none. The book borrows
these terms from {cite:t}`buchanan2013they`. Table 5.1 survived the extraction of the book's text
intact. Table 5.2 did not: its blank cells were lost, so this chapter works out every way of
reading it that agrees with the totals the book prints, and shows what those readings leave open.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import qualifications as q, tables
from nhsreport.labels import cohort_labels, trust_labels

chapter = Chapter("careers_and_qualifications")
TRUSTS, COHORTS = trust_labels(), cohort_labels()
sizes = q.cohort_sizes(chapter)
counts = q.hybrid_counts(chapter)
n_managers = int(counts["managers"].sum())
n_hybrid = int(counts["hybrid"].sum())
n_pure = int(counts["pure_play"].sum())
chapter.glue("n_managers", n_managers)
chapter.glue("n_hybrid", n_hybrid)
chapter.glue("n_pure", n_pure)
chapter.glue("hybrid_pct", tables.percent(n_hybrid, n_managers, 1))
by_cohort = counts.groupby("cohort")[["managers", "hybrid", "pure_play"]].sum()
for cohort, row in by_cohort.iterrows():
    chapter.glue(f"n_{cohort}", int(row["managers"]))
    chapter.glue(f"n_{cohort}_hybrid", int(row["hybrid"]))
    chapter.glue(f"n_{cohort}_pure", int(row["pure_play"]))
"""),
md("""
## Clinical backgrounds and qualifications

{numref}`tbl-careers-clinical-backgrounds` is Table 5.1 of the book (pp. 84–85). Each row lists the
clinical backgrounds of a trust's management group and the clinical qualifications (or PhDs) its
members held, next to the size of the group. The two count columns and the Total row are added up
here from the printed items. They agree with the totals the book prints: {glue:text}`n_bg_totals_agree`
of {glue:text}`n_bg_totals` printed totals of Table 5.1 match the recomputed sums. In the text copy of
the book, four background entries (AHPs at Acute and Care, social workers at Care, scientists at
Specialist) had drifted among the qualification lines. The transcription put them back in the
backgrounds column and recorded why in each item's note (see `data/README.md`). With that placement
the columns add up to the printed totals, and the shares of general managers with a clinical
background match the percentages in the prose.

Qualifications do not mirror backgrounds one for one. The book explains that the allied health
professionals, the social workers and some of the scientists held no medical or nursing qualification,
so the qualification column totals {glue:text}`n_qualifications` against {glue:text}`n_hybrid`
backgrounds. An asterisk (for example *RGN\\**) marks groups that included newer nursing degrees as
well as older nursing qualifications (p. 84). The book does not say how many people held them.
"""),
code("""
chapter.table(q.clinical_backgrounds_table(chapter, TRUSTS, COHORTS), "tbl-careers-clinical-backgrounds",
              "Clinical backgrounds and clinical qualifications, by trust and management group",
              note="Source: Table 5.1 (pp. 84–85). Items as printed (a cell such as *2 RGN + 1 RMN* is listed as "
                   "two items); `*` marks groups that included newer nursing degrees; – means none. The counts of "
                   "backgrounds and qualifications and the Total row are recomputed here from the items.")
checks = tables.printed_total_checks(chapter.data)
bg_checks = checks[checks["locator"] == "Table 5.1"]
chapter.glue("n_bg_totals", len(bg_checks))
chapter.glue("n_bg_totals_agree", int(bg_checks["agrees"].sum()))
quals = chapter["clinical_backgrounds"]
chapter.glue("n_qualifications", int(quals.loc[quals["column"] == "clinical_qualification", "count"].sum()))
""", tags=("remove-input",)),
md("""
The prose that introduces the table (p. 83) breaks the {glue:text}`n_hybrid` down into
{glue:text}`n_type_doctors` doctors, {glue:text}`n_type_nurses` nurses, {glue:text}`n_type_scientists`
scientists, {glue:text}`n_type_ahps` allied health professionals (AHPs) and
{glue:text}`n_type_social_workers` social workers. All of these counts agree with the table.
{numref}`fig-careers-clinical-backgrounds` shows the same counts group by group. Each bar is as long
as the management group. The hatched grey end of a bar is the part of the group for whom Table 5.1
lists no clinical background. The book does not print that part: it is derived here as group size
minus listed backgrounds.

```{glue:figure} fig-careers-clinical-backgrounds
:name: fig-careers-clinical-backgrounds
:alt: Horizontal stacked bar chart with nine bars, one per trust and management group (Acute, Care, Specialist; clinical, functional, general), each as long as the group. Coloured segments give the number of doctors, nurses, scientists, allied health professionals and social workers, and a hatched grey segment gives the managers with no clinical background listed. The three clinical-group bars and the Care general bar have no grey segment; the functional bars are almost entirely grey; the Acute and Specialist general bars are a little over half coloured.

Clinical backgrounds of the managers in each trust and management group, against the size of the
group. The hatched segment (no clinical background listed) is derived as group size minus the
backgrounds printed. Data: Table 5.1 of {cite:t}`bresnen2017managing`. Downloads:
{download}`SVG <../figures/fig-careers-clinical-backgrounds.svg>`,
{download}`PNG <../figures/fig-careers-clinical-backgrounds.png>`,
{download}`PDF <../figures/fig-careers-clinical-backgrounds.pdf>`.
```
"""),
code("""
by_type = q.backgrounds_by_type(chapter).groupby("type")["count"].sum()
for kind in q.BACKGROUND_TYPES:
    chapter.glue(f"n_type_{kind.lower().replace(' ', '_')}", int(by_type[kind]))
chapter.figure(q.clinical_backgrounds_figure(chapter, TRUSTS, COHORTS), "fig-careers-clinical-backgrounds",
               "Clinical backgrounds in each trust and management group, against group size.")
"""),
md("""
## Hybrid and pure play managers

The book says its hybrid managers greatly outnumbered pure play managers, "more or less" in the
ratio of {glue:text}`ratio_claimed_text` that {cite:t}`buchanan2013they` had reported (p. 85; the
chapter's first endnote, p. 101, gives Buchanan and colleagues' figure). The book does not count
hybrid or pure play managers in any table. The nearest count it offers is Table 5.1. If a manager
with a listed clinical background is counted as hybrid and everyone else as pure play, the table
gives the split in {numref}`tbl-careers-hybrid`.
"""),
code("""
chapter.table(q.hybrid_summary(counts, TRUSTS, COHORTS), "tbl-careers-hybrid",
              "Managers with and without a clinical background in Table 5.1 (hybrid and pure play)",
              note="Derived from Table 5.1 (pp. 84–85): *hybrid* = managers with a clinical background listed; "
                   "*pure play* = group size minus that count. The book does not classify managers this way in "
                   "any table, so these are a proxy, not the book's own counts.")
claim = q.find_claim(chapter, "hybrid managers to pure play managers in the sample")
ratio_claimed = float(claim["printed_value"])
chapter.glue("ratio_claimed_text", f"{ratio_claimed:g}:1")
chapter.glue("ratio_claimed", ratio_claimed)
chapter.glue("ratio_computed", q.ratio(n_hybrid, n_pure))
low, high = q.pure_play_for_ratio(n_managers, ratio_claimed)
chapter.glue("pure_for_ratio_low", low)
chapter.glue("pure_for_ratio_high", high)
chapter.glue("ratio_at_low", round((n_managers - low) / low, 2))
chapter.glue("ratio_at_high", round((n_managers - high) / high, 2))
chapter.glue("reclassify_low", n_pure - high)
chapter.glue("reclassify_high", n_pure - low)
by_trust = counts.groupby("trust")[["managers", "hybrid"]].sum()
for trust, row in by_trust.iterrows():
    chapter.glue(f"hybrid_pct_{trust}", tables.percent(int(row["hybrid"]), int(row["managers"]), 1))
""", tags=("remove-input",)),
md("""
On this count the ratio is {glue:text}`n_hybrid` to {glue:text}`n_pure`, about
{glue:text}`ratio_computed:.1f` to one, well short of the {glue:text}`ratio_claimed_text` the book
cites. With {glue:text}`n_managers` managers, a ratio of {glue:text}`ratio_claimed_text` would mean
only {glue:text}`pure_for_ratio_low` or {glue:text}`pure_for_ratio_high` pure play managers
(ratios of {glue:text}`ratio_at_low:.2f` and {glue:text}`ratio_at_high:.2f` to one). So
{glue:text}`reclassify_low` or {glue:text}`reclassify_high` of the {glue:text}`n_pure` managers with
no clinical background in Table 5.1 would also have had to count as hybrid. The book does not say
what wider sense of "hybrid" it has in mind. One possibility is health-related degrees that are not
clinical qualifications (Table 5.2, below). Another is clinical experience that never led to a
clinical post. A third is that the sentence echoes Buchanan and colleagues' finding rather than
reporting a count. The book's own tables cannot reproduce the ratio. The other statements in the same
passage do fit the table. Most hybrids are in the clinical and general groups
({glue:text}`n_clinical_hybrid` and {glue:text}`n_general_hybrid`, against
{glue:text}`n_functional_hybrid` functional managers). The Care trust relies on them most:
{glue:text}`hybrid_pct_care:.0f` per cent of its managers, against {glue:text}`hybrid_pct_acute:.0f` per
cent at Acute and {glue:text}`hybrid_pct_specialist:.0f` per cent at Specialist.

Other counts in the chapter's prose do not match Table 5.1 ({numref}`tbl-careers-prose-counts`).
The book first counts {glue:text}`n_type_nurses` nurses (p. 83, agreeing with the table). Two pages
later it says nurses were the largest group of hybrid managers, with {glue:text}`prose_nurses_hybrid`
in all, and sets them beside {glue:text}`prose_clinical_hybrid` "clinical" managers and
{glue:text}`prose_ot_sw_hybrid` occupational therapists and social workers (p. 86). Those three numbers
add up to {glue:text}`prose_hybrid_sum`, not {glue:text}`n_hybrid`. The table has
{glue:text}`n_type_doctors` doctors, and no occupational therapists as such:
{glue:text}`n_type_ahps` AHPs and {glue:text}`n_type_social_workers` social workers. Later still the
book counts {glue:text}`prose_pure_general` general managers with no clinical experience or background
(p. 97). Table 5.1 leaves {glue:text}`n_general_pure` general managers without a listed background
({glue:text}`pure_general_acute` at Acute, {glue:text}`pure_general_care` at Care,
{glue:text}`pure_general_specialist` at Specialist). That split does match the book's remark that most
such managers were at Specialist and a few at Acute. The book explains none of these differences, so
both values are reported. They may reflect definitions that differ from passage to passage (for
example "clinical managers" meaning medically qualified managers, or pure play meaning no clinical
*experience* rather than no clinical *background*).
"""),
code("""
prose = q.prose_counts(chapter)
shown = prose.rename(columns={"claim_id": "Claim", "page": "Page", "what": "What the prose counts",
                              "prose": "Prose", "table_label": "Nearest count in Table 5.1",
                              "table": "Table 5.1", "agrees": "Agrees"})
shown["Agrees"] = shown["Agrees"].map({True: "yes", False: "no"})
chapter.table(shown, "tbl-careers-prose-counts",
              "Counts of hybrid and pure play managers in the prose, beside Table 5.1",
              note="Source: claims register (`data/claims.csv`, book pp. 83–97) and Table 5.1 (pp. 84–85). "
                   "*Nearest count* is our choice of the Table 5.1 group that the prose seems to mean; the book "
                   "does not say.")
chapter.glue("prose_nurses_hybrid", int(q.find_claim(chapter, "hybrid managers with a nursing background")["printed_value"]))
chapter.glue("prose_clinical_hybrid", int(q.find_claim(chapter, "hybrid managers who were clinical (medical) managers")["printed_value"]))
chapter.glue("prose_ot_sw_hybrid", int(q.find_claim(chapter, "occupational therapists or social workers")["printed_value"]))
chapter.glue("prose_hybrid_sum", sum(int(q.find_claim(chapter, words)["printed_value"]) for words in
             ("hybrid managers with a nursing background", "hybrid managers who were clinical (medical) managers",
              "occupational therapists or social workers")))
chapter.glue("prose_pure_general", int(q.find_claim(chapter, "pure play general managers with no clinical")["printed_value"]))
general = counts[counts["cohort"] == "general"].set_index("trust")["pure_play"]
for trust, n in general.items():
    chapter.glue(f"pure_general_{trust}", int(n))
""", tags=("remove-input",)),
md("""
## Non-clinical qualifications: the readings of Table 5.2

Table 5.2 (p. 86) counts the educational qualifications other than medical and nursing degrees in
{glue:text}`n_columns` columns: non-clinical health degrees, management degrees, other degrees, a
postgraduate diploma in health (management) and an MSc in health (management). The text copy of the
book lost its blank cells. Each row now survives only as a run of numbers, some of them in brackets,
without the gaps that showed which column each number stood in. The row for the Acute clinical
managers, for example, reads just {glue:text}`acute_clinical_tokens` before its total. The printed Total row does
survive: {glue:text}`printed_totals_text`.

The book never says what the bracketed numbers count. In the Total row they appear only under the two
"(Mgt)" columns, which suggests management-specific diplomas and degrees, but the book does not say
so, and no meaning is given to them here. The table's footnote does say that an asterisk marks an MBA.

**The model.** A *placement* of a row puts its numbers into the {glue:text}`n_columns` columns in
the order printed, at most one unbracketed number per column (column positions strictly increasing).
A *reading* of the table is one placement per row such that every column's unbracketed numbers add
up to its printed total, and its bracketed numbers add up to the printed bracketed total where one is
printed. A blank counts as zero.

**The natural rule fails.** The first rule tried was the obvious one: a bracketed number belongs in
the same column as the number printed just before it, as in the PGDip total {glue:text}`pgdip_total_text`. Under that rule **no reading
exists** (the count is {glue:text}`n_readings_strict`). The bracketed totals
({glue:text}`paren_total_pgdip` and {glue:text}`paren_total_msc`) add up to every bracketed number
in the table, {glue:text}`paren_sum`. So every bracketed number must sit in one of the last two
columns, and under this rule it drags the number before it along. The numbers dragged into the
PGDip column then always sum to {glue:text}`strict_pgdip_sum`, against the printed
{glue:text}`printed_pgdip`. The other-degrees column can reach at most {glue:text}`strict_other_max`,
against the printed {glue:text}`printed_other`.

**The relaxation.** So the rule is relaxed, and said so openly. A bracketed number may either share the
column of the number before it or stand alone in a later column, whose unbracketed cell is then blank.
The order of the numbers is still kept. Under this rule the printed totals allow exactly
**{glue:text}`n_readings` readings** of the table. No reading puts a bracketed number outside the last
two columns, so it makes no difference whether the missing bracketed totals of the first three
columns are taken as zero or as unknown. {numref}`tbl-careers-nonclinical-rows` shows, row by row, how
many placements the relaxed rule allows and how many of them occur in at least one reading.
"""),
code("""
readings = q.table52_readings(chapter)
assert readings.model == "relaxed" and readings.strict_count == 0
column_totals = chapter["nonclinical_quals_column_totals"].sort_values("column_no")
column_labels = dict(zip(column_totals["column"], column_totals["column_label"]))
printed = column_totals.set_index("column")
chapter.glue("n_columns", len(column_totals))
total_texts = {row["column"]: q.total_text(row["printed_total"], row["printed_total_paren"])
               for _, row in column_totals.iterrows()}
chapter.glue("printed_totals_text", "; ".join(f"{column_labels[c]} {text}" for c, text in total_texts.items()))
chapter.glue("pgdip_total_text", total_texts["pgdip_health_mgt"])
chapter.glue("acute_clinical_tokens", " ".join(t.text for t in readings.rows[("acute", "clinical")]))
chapter.glue("n_readings", readings.count)
chapter.glue("n_readings_strict", readings.strict_count)
chapter.glue("paren_total_pgdip", int(printed.loc["pgdip_health_mgt", "printed_total_paren"]))
chapter.glue("paren_total_msc", int(printed.loc["msc_health_mgt", "printed_total_paren"]))
chapter.glue("paren_sum", sum(t.value for row in readings.rows.values() for t in row if t.bracketed))
diagnosis, _ = q.strict_diagnosis(chapter)
diagnosis = diagnosis.set_index("column")
chapter.glue("strict_pgdip_sum", int(diagnosis.loc["pgdip_health_mgt", "low"]))
chapter.glue("strict_other_max", int(diagnosis.loc["other_degrees", "high"]))
chapter.glue("printed_pgdip", int(printed.loc["pgdip_health_mgt", "printed_total"]))
chapter.glue("printed_other", int(printed.loc["other_degrees", "printed_total"]))
rows_certain = readings.per_row[readings.per_row["placements_consistent"] == 1]
chapter.glue("n_rows", len(readings.per_row))
chapter.glue("n_rows_certain", len(rows_certain))
cells = readings.cells.merge(readings.bracket_cells, on=["trust", "cohort", "column"], suffixes=("", "_paren"))
uncertain = ~(cells["certain"] & cells["certain_paren"])
chapter.glue("n_cells", len(cells))
chapter.glue("n_cells_uncertain", int(uncertain.sum()))
chapter.glue("n_bracket_uncertain", int((~readings.bracket_cells["certain"]).sum()))
chapter.table(q.table52_row_summary(readings, TRUSTS, COHORTS), "tbl-careers-nonclinical-rows",
              "Table 5.2, row by row: tokens as printed and the placements the printed totals allow",
              note="Source: Table 5.2 (p. 86), tokens as printed without the row total; `*` marks an MBA. "
                   "Placements follow the relaxed rule described above; *in some reading* = the placement "
                   "occurs in at least one reading that meets every printed column total.")
""", tags=("remove-input",)),
md("""
The rows for the Acute general, Specialist functional and Specialist general managers print a number
for every column, so each has only one placement. Every bracketed number lands in the same cell in all
{glue:text}`n_readings` readings (the count of uncertain bracketed cells is {glue:text}`n_bracket_uncertain`).
So do the numbers of the last column and those of the fully printed rows. The uncertainty is confined to where the unbracketed numbers of
{glue:text}`n_rows_uncertain` rows fall among the first four columns.
{numref}`tbl-careers-nonclinical-qualifications` gives the table with the certain cells as printed and
the uncertain ones as the range they take over the readings, marked †. The ranges are cell by cell.
Within a row they are linked, because each printed number is used exactly once, so not every
combination of values inside the ranges is a reading.
"""),
code("""
chapter.glue("n_rows_uncertain", len(readings.per_row) - len(rows_certain))
# The prose above describes these facts; stop if the data ever stop supporting them.
assert readings.bracket_cells["certain"].all()
last_column = readings.columns[-1]
assert readings.cells.loc[readings.cells["column"] == last_column, "certain"].all()
chapter.table(q.table52_display(readings, sizes, column_labels, TRUSTS, COHORTS),
              "tbl-careers-nonclinical-qualifications",
              "Non-clinical educational qualifications, by trust and management group, as far as the printed totals determine them",
              note=f"Source: Table 5.2 (p. 86). Certain cells are shown as printed (– = blank); † marks a cell whose "
                   f"value differs between the {readings.count} readings that meet the printed column totals, "
                   "given as the lowest–highest value it takes (a blank counts as 0). Numbers in brackets are as "
                   "printed and unexplained by the book; `*` marks an MBA. Total column: group size; Total row: "
                   "column sums, the same in every reading and equal to the printed totals.")
""", tags=("remove-input",)),
md("""
Two statements in later chapters rest on this table, and neither can be settled. The book puts at
"around a quarter" the managers with a formal management qualification (p. 113), but which
qualifications count depends on what the brackets mean. It also says that one general manager at the
Specialist trust held an MBA (p. 113). The Specialist general row, in every reading, carries a
bracketed {glue:text}`spec_general_mba_token` with the MBA asterisk in its last column. Whether that
conflicts with the prose depends on what the brackets count, which the book never explains.

## Sources

Book chapter 5 {cite:p}`bresnen2017managing`: the account of managers' backgrounds (p. 83), Table 5.1
(pp. 84–85), the hybrid and pure play passage (pp. 85–86), Table 5.2 and its footnote (p. 86), the
pure play managers (pp. 97–98) and the chapter's first endnote (p. 101). Chapter 6 (p. 113) for
the statements on management qualifications and MBAs. Hybrid and pure play are terms from
{cite:t}`buchanan2013they`. Pages are estimated from the surviving running heads of the source text
and may be off by one.
"""),
code("""
spec_general = readings.rows[("specialist", "general")]
chapter.glue("spec_general_mba_token", next(t.text for t in spec_general if t.mba))
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "careers_and_qualifications.ipynb", cells)
