"""Authoring script of chapters/voices.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-voices)=
# The study's voices

```{admonition} In brief
:class: tip
The book quotes its interviewees {glue:text}`n_attributions` times, under {glue:text}`n_pseudonyms`
pseudonyms: roughly {glue:text}`share_min_pct:.0f` per cent of the {glue:text}`n_sample` managers interviewed
(between {glue:text}`share_min_pct:.0f` and {glue:text}`share_max_pct:.0f` per cent, depending on how two people with
conflicting labels are counted). General managers supply {glue:text}`general_quote_pct:.0f` per cent of the
quotations though they are {glue:text}`general_sample_pct:.0f` per cent of the sample. The most-quoted
person, {glue:text}`top_name`, is heard {glue:text}`top_count` times. The attributions are not fully
consistent: {glue:text}`n_conflicting` pseudonyms are printed with two different groups or trusts,
{glue:text}`n_reversed` attribution prints its labels in reverse order, and the Care trust's general managers are quoted under
more names ({glue:text}`care_general_names`) than the book says were interviewed ({glue:text}`care_general_managers`).
```

The book lets its managers speak for themselves: every quotation from an interview ends with a short
bracketed attribution giving a pseudonym, the speaker's management group and the trust
{cite:p}`bresnen2017managing`. This chapter counts those attributions. It asks who is heard, how the
voices are spread over trusts and groups compared with the sample of Table 3.2 (p. 35), who is
quoted most, where in the book the quotations fall, and where the attributions contradict each other
or the sample. Only the printed labels were transcribed, never the quoted words; the labels are
used exactly as printed, and every count below is computed from them.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import tables, voices
from nhsreport.labels import cohort_labels, trust_labels

chapter = Chapter("voices")
data = chapter.data
quotes = chapter["interviewee_quotes"]
participants = chapter["sample_participants"]
chapter["trusts"]; chapter["cohorts"]
TRUST_NAMES, COHORT_NAMES = trust_labels(), cohort_labels()
read = voices.attributions(data)
people = voices.people(read)
by_group = voices.voices_by_group(people, participants, read)
"""),
md("""
## How the attributions are read and counted

An attribution normally names the person, then the group (Clinical, Functional or General), then
the trust (Acute, Care or Specialist). Of the {glue:text}`n_attributions` attributions,
{glue:text}`n_as_printed` follow that order. {glue:text}`n_reversed` prints a trust label where the
group should be and a group label where the trust should be; it is read here the other way round
and flagged. A pseudonym is assumed to stand for one person, as the book gives no sign that a name
was used twice.

Two pseudonyms, {glue:text}`conflict_names`, are printed with two different trust × group
combinations. The book does not say which label is right, so nothing here picks one. Instead each
count is given as a range:

- the **lower** count of a trust × group cell includes only the names whose every attribution points to
  that cell;
- the **upper** count includes every name with at least one attribution there, so a person with
  conflicting labels is counted under each printed label.

The number of people quoted is likewise a range: {glue:text}`n_pseudonyms` if each pseudonym is one
person, {glue:text}`n_people_max` if each conflicting pseudonym in fact covered two people who
shared a name.
"""),
code("""
chapter.glue("n_attributions", len(read))
chapter.glue("n_as_printed", int((read["reading"] == voices.AS_PRINTED).sum()))
chapter.glue("n_reversed", int((read["reading"] == voices.REVERSED).sum()))
conflicting = people[people["conflicting"]]["pseudonym"].sort_values().tolist()
chapter.glue("n_conflicting", len(conflicting))
chapter.glue("conflict_names", " and ".join(conflicting))
n_low, n_high = voices.people_quoted_bounds(people)
n_sample = int(participants["count"].sum())
chapter.glue("n_pseudonyms", n_low)
chapter.glue("n_people_max", n_high)
chapter.glue("n_sample", n_sample)
chapter.glue("share_min_pct", tables.percent(n_low, n_sample, 1))
chapter.glue("share_max_pct", tables.percent(n_high, n_sample, 1))
"""),
md("""
## Who is heard, set against the sample

{numref}`tbl-voices-by-group` sets the names quoted in each trust and group beside the number of
managers interviewed there. Where the two counts differ, the table shows the range. Across the
cells, between {glue:text}`cells_low` and {glue:text}`cells_high` names are placed in the sample
grid. The lower total is smaller than the number of pseudonyms because a name with conflicting
labels has no certain cell; the upper total is larger because such a name is counted in both of
its cells.
"""),
code("""
chapter.table(voices.by_group_table(by_group, TRUST_NAMES, COHORT_NAMES), "tbl-voices-by-group",
              "Names quoted in the book against the managers interviewed, by trust and management group",
              note="Source: attributions of quotations in chapters 3–7 of the book, as printed; managers "
                   "from Table 3.2 (p. 35). *Names quoted* and the percentage are ranges where a name is "
                   "printed with two cells (lower: only names whose labels all agree; upper: each printed "
                   "label counted). *Quotations* counts attributions under their printed labels, the "
                   "reversed one read the other way round. All counts are computed here.")
chapter.glue("cells_low", int(by_group["quoted_min"].sum()))
chapter.glue("cells_high", int(by_group["quoted_max"].sum()))
""", tags=("remove-input",)),
md("""
```{glue:figure} fig-voices-by-group
:name: fig-voices-by-group
:alt: Paired bar chart with nine pairs grouped by trust (Acute, Care, Specialist) and, within each trust, by management group (Clinical, Functional, General). In each pair the left bar is an outline showing the managers interviewed and the right bar is solid, in the group's colour, showing the names quoted; a grey hatched extension marks names whose labels conflict. The Care general pair has a taller quoted bar than its interview bar, and the Acute general quoted bar reaches above its interview bar only with the hatched extension.

Managers interviewed (outline) and names quoted in the book (solid; grey hatching for names
printed with conflicting labels), by trust and management group. Data: Table 3.2 and the quotation
attributions of {cite:t}`bresnen2017managing`. Downloads: {download}`SVG <../figures/fig-voices-by-group.svg>`,
{download}`PNG <../figures/fig-voices-by-group.png>`, {download}`PDF <../figures/fig-voices-by-group.pdf>`.
```

The voices are far from an even sample of the interviews ({numref}`fig-voices-by-group`). Every
clinical manager at the Acute trust is quoted, and the general managers of the Acute and Care trusts
are quoted almost to a person, or beyond it. The clinical managers of the Care and Specialist
trusts and the functional managers of the Acute trust are heard least: in each of these cells only
about half of those interviewed are quoted (for example {glue:text}`specialist_clinical_low` of the
{glue:text}`specialist_clinical_managers` clinical managers at the Specialist trust).
The imbalance is sharper still in the number of quotations: general managers supply
{glue:text}`n_general_quotes` of the {glue:text}`n_attributions` quotations
({glue:text}`general_quote_pct:.0f` per cent), though they are {glue:text}`n_general_sample` of the
{glue:text}`n_sample` managers interviewed ({glue:text}`general_sample_pct:.0f` per cent), while clinical
managers supply {glue:text}`clinical_quote_pct:.0f` per cent of the quotations and are
{glue:text}`clinical_sample_pct:.0f` per cent of the sample. The book does not say how it chose
its quotations, so the pattern describes what the book lets the reader hear, not what the
interviews contained.
"""),
code("""
chapter.figure(voices.plot_voices_by_group(by_group, TRUST_NAMES, COHORT_NAMES), "fig-voices-by-group",
               "Managers interviewed and names quoted, by trust and management group.")
cells = by_group.set_index(["trust", "cohort"])
for trust in ("care", "specialist"):
    chapter.glue(f"{trust}_clinical_low", int(cells.loc[(trust, "clinical"), "quoted_min"]))
    chapter.glue(f"{trust}_clinical_managers", int(cells.loc[(trust, "clinical"), "managers"]))
by_cohort_quotes = voices.attributions_by_cohort(read)
by_cohort_sample = participants.groupby("cohort")["count"].sum()
for cohort in ("general", "clinical"):
    chapter.glue(f"{cohort}_quote_pct", tables.percent(by_cohort_quotes[cohort], len(read), 1))
    chapter.glue(f"{cohort}_sample_pct", tables.percent(int(by_cohort_sample[cohort]), n_sample, 1))
chapter.glue("n_general_quotes", by_cohort_quotes["general"])
chapter.glue("n_general_sample", int(by_cohort_sample["general"]))
"""),
md("""
## The most-quoted people

Most people are heard only a few times: {glue:text}`n_once` of the {glue:text}`n_pseudonyms` names
are quoted once, and the median is {glue:text}`median_quotes:.0f` quotations per name. A small group
carries much of the book's evidence. The {glue:text}`n_top` people in
{numref}`fig-voices-most-quoted` (the top ten, with ties) account for {glue:text}`top_quotes` of the
{glue:text}`n_attributions` quotations ({glue:text}`top_share_pct:.0f` per cent). {glue:text}`top_name`,
a clinical manager at the Acute trust, leads with {glue:text}`top_count`; {glue:text}`top_general`
of the {glue:text}`n_top` are general managers and {glue:text}`top_acute` work at the Acute trust.

```{glue:figure} fig-voices-most-quoted
:name: fig-voices-most-quoted
:alt: Horizontal bar chart of the most-quoted interviewees, one bar per pseudonym labelled with the person's group and trust and the number of quotations. Brian, a clinical manager at the Acute trust, has the longest bar; the others have six or seven quotations each; bars are coloured by management group, most of them in the general managers' green.

The most-quoted interviewees: quotations attributed to each, coloured by management group.
Data: the quotation attributions of {cite:t}`bresnen2017managing`. Downloads:
{download}`SVG <../figures/fig-voices-most-quoted.svg>`, {download}`PNG <../figures/fig-voices-most-quoted.png>`,
{download}`PDF <../figures/fig-voices-most-quoted.pdf>`.
```
"""),
code("""
top = voices.most_quoted(people, top=10)
chapter.figure(voices.plot_most_quoted(top, TRUST_NAMES, COHORT_NAMES), "fig-voices-most-quoted",
               "The most-quoted interviewees, coloured by management group.")
chapter.glue("first_page", int(read["page"].min()))
chapter.glue("last_page", int(read["page"].max()))
chapter.glue("n_once", int((people["attributions"] == 1).sum()))
chapter.glue("median_quotes", float(people["attributions"].median()))
chapter.glue("n_top", len(top))
chapter.glue("top_quotes", int(top["attributions"].sum()))
chapter.glue("top_share_pct", tables.percent(int(top["attributions"].sum()), len(read), 1))
chapter.glue("top_name", str(top["pseudonym"].iloc[0]))
chapter.glue("top_count", int(top["attributions"].iloc[0]))
top_cells = [c[0] for c in top["cells"] if len(c) == 1]
chapter.glue("top_general", sum(1 for t, c in top_cells if c == "general"))
chapter.glue("top_acute", sum(1 for t, c in top_cells if t == "acute"))
"""),
md("""
## Quotations chapter by chapter

All the quotations fall in chapters {glue:text}`first_chapter` to {glue:text}`last_chapter`, the
chapters that describe the trusts and report the findings; the opening chapters and the concluding
one quote no interviewee ({numref}`tbl-voices-by-chapter`). Chapter {glue:text}`busiest_chapter` has
the most quotations ({glue:text}`busiest_count`). Chapter {glue:text}`first_chapter` introduces
{glue:text}`first_new` voices while describing the three trusts, and each later chapter still brings
in new ones, so the book keeps widening the circle of speakers rather than returning to a fixed cast.
"""),
code("""
per_chapter = voices.quotes_by_chapter(read, voices.chapter_range(data), TRUST_NAMES)
chapter.table(per_chapter, "tbl-voices-by-chapter", "Quotations and names quoted in each chapter of the book",
              note="Source: attributions of quotations in the book, as printed (the reversed attribution read "
                   "the other way round). *Heard for the first time*: names not quoted in an earlier chapter. "
                   "Counts computed here.")
quoted = per_chapter[per_chapter["Attributions"] > 0]
chapter.glue("first_chapter", int(quoted["Chapter"].min()))
chapter.glue("last_chapter", int(quoted["Chapter"].max()))
busiest = per_chapter.sort_values(["Attributions", "Chapter"], ascending=[False, True]).iloc[0]
chapter.glue("busiest_chapter", int(busiest["Chapter"]))
chapter.glue("busiest_count", int(busiest["Attributions"]))
chapter.glue("first_new", int(quoted.iloc[0]["Heard for the first time"]))
""", tags=("remove-input",)),
md("""
## Inconsistencies in the attributions

{numref}`tbl-voices-inconsistencies` lists every inconsistency the code finds: names printed with
two groups or two trusts, an attribution whose labels are in reverse order, and trust × group cells
in which more names are quoted than managers were interviewed.

- **Conflicting labels.** {glue:text}`conflict_names` are each printed with two different labels. The
  two names carry only {glue:text}`conflict_quotes` quotations between them, but they decide whether the Acute
  trust's general managers are over-counted: under the upper count that cell has
  {glue:text}`acute_general_high` names for {glue:text}`acute_general_managers` managers, under the
  lower count exactly {glue:text}`acute_general_low`.
- **Reversed labels.** The reversed attribution belongs to a person whose other attribution is
  regular and points to the same cell once read the other way round, so it changes no count.
- **Too many names.** The Care trust's general managers are quoted under
  {glue:text}`care_general_names` names, though Table 3.2 lists {glue:text}`care_general_managers`
  of them, and no conflicting label is involved. The book does not explain this. A label may be
  misprinted, a pseudonym may have been used twice, or someone outside the interview sample may be
  quoted: the Care trust also had {glue:text}`care_informal` informal interviews (Table 3.6, p. 40)
  that Table 3.2 does not count. The data cannot tell these apart.
"""),
code("""
found = voices.voice_inconsistencies(data)
chapter["data_collected"]
shown = found.rename(columns={"pseudonym": "Pseudonym(s)", "kind": "Kind", "detail": "Detail", "pages": "Pages"})
chapter.table(shown, "tbl-voices-inconsistencies", "Inconsistencies in the attributions of quotations",
              note="Source: attributions of quotations in the book, as printed; Table 3.2 (p. 35). Pages are "
                   "estimated from the surviving running heads of the source text and may be off by one. Found by "
                   "code (nhsreport.voices.voice_inconsistencies), not by hand.")
chapter.glue("n_inconsistencies", len(found))
conflict_quotes = read[read["pseudonym"].isin(conflicting)]
chapter.glue("conflict_quotes", len(conflict_quotes))
for trust in ("acute", "care"):
    row = cells.loc[(trust, "general")]
    chapter.glue(f"{trust}_general_low", int(row["quoted_min"]))
    chapter.glue(f"{trust}_general_high", int(row["quoted_max"]))
    chapter.glue(f"{trust}_general_managers", int(row["managers"]))
chapter.glue("care_general_names", int(cells.loc[("care", "general"), "quoted_min"]))
collected = data["data_collected"].set_index(["group", "measure"])["value"]
chapter.glue("care_informal", int(collected[("care", "interviews_informal")]))
reversed_rows = read[read["reading"] == voices.REVERSED]
for name, cell in zip(reversed_rows["pseudonym"], zip(reversed_rows["read_trust"], reversed_rows["read_cohort"])):
    others = read[(read["pseudonym"] == name) & (read["reading"] == voices.AS_PRINTED)]
    assert cell in set(zip(others["read_trust"], others["read_cohort"])), "the prose says the reversed label changes no count"
""", tags=("remove-input",)),
md("""
## Sources

Book {cite:p}`bresnen2017managing`: the attribution of every interview quotation in chapters 3 to 7
(pp. {glue:text}`first_page`–{glue:text}`last_page`, pages estimated from the surviving running heads and possibly off by one), Table 3.2
(p. 35) for the managers interviewed, and Table 3.6 (p. 40) for the informal interviews.
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "voices.ipynb", cells)
