"""Authoring script of chapters/who_was_studied.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-who-was-studied)=
# Who was studied

```{admonition} In brief
:class: tip
The study interviewed {glue:text}`n_interviewed` middle managers in {glue:text}`n_trusts` NHS trusts,
{glue:text}`n_approached` were approached, so {glue:text}`participation_pct:.0f` per cent took part. General managers were the
largest group ({glue:text}`n_general`). Women outnumbered men {glue:text}`n_female` to {glue:text}`n_male`, mostly because of
the general managers of the Care trust. The largest age band was 40–50 ({glue:text}`n_age_40_50` managers). Care trust
managers had on average spent the longest in their organization and in the NHS.
```

This chapter rebuilds the description of the sample from chapter 3 of {cite:t}`bresnen2017managing`: who took
part, how they were spread across trusts and management groups, and what the book reports of their
gender, age, ethnicity, salary grade and length of service. The fuller account of the study is the
NIHR report {cite:p}`bresnen2014being`. Every number below is computed from the transcribed cells in
`data/`; the totals the book prints are used only to check those computations.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import tables, plots

chapter = Chapter("who_was_studied")
participants = chapter["sample_participants"]
declined = chapter["sample_declined"]
gender = chapter["gender"]
age = chapter["age"]
tenure = chapter["tenure"]
facts = chapter["sample_facts"]
AGE_BANDS = ["18-30", "30-40", "40-50", "50-60", "60+"]
TENURE_MEASURES = {"in_post": "In post", "in_organization": "In organization",
                   "in_nhs": "In NHS", "outside_nhs": "Outside NHS"}
"""),
md("""
## How the sample was drawn

The researchers chose managers on purpose rather than at random. For each of the three management
groups in each trust they aimed at roughly {glue:text}`target_per_cell` people, a target of about
{glue:text}`target_total` in all, and in the end interviewed {glue:text}`n_interviewed`
{cite:p}`bresnen2017managing` (p. 35). Contact went through each trust's liaison and its human
resources department, and the team looked for variety of specialism and service within each group.
Salary grade served as a rough marker of a middle-management post: nearly everyone was on grades
8a to 8d, with a handful of exceptions listed in {numref}`tbl-ethnicity-grade`.
"""),
code("""
n_interviewed = int(participants["count"].sum())
n_declined = int(declined["count"].sum())
target = facts[facts["topic"] == "target"].set_index("category")["count"]
chapter.glue("n_interviewed", n_interviewed)
chapter.glue("n_trusts", participants["trust"].nunique())
chapter.glue("n_approached", n_interviewed + n_declined)
chapter.glue("n_declined", n_declined)
chapter.glue("participation_pct", tables.percent(n_interviewed, n_interviewed + n_declined, 1))
chapter.glue("target_per_cell", int(target["per_cohort_per_trust"]))
chapter.glue("target_total", int(target["total"]))
chapter.glue("target_product", int(target["per_cohort_per_trust"]) * participants["trust"].nunique() * participants["cohort"].nunique())
by_cohort = participants.groupby("cohort")["count"].sum()
for cohort, n in by_cohort.items():
    chapter.glue(f"n_{cohort}", int(n))
"""),
md("""
## Who took part, trust by trust

{numref}`tbl-sample` gives the managers interviewed in each trust and group, with the number who
were approached but declined or did not reply. The book prints the first five columns (Table 3.2);
the number approached and the participation rate are derived here. The Acute trust had the highest
participation, {glue:text}`participation_acute_pct:.0f` per cent, against {glue:text}`participation_care_pct:.0f` per cent at the Care
trust and {glue:text}`participation_specialist_pct:.0f` per cent at the Specialist trust. The book gives no split of the
{glue:text}`n_declined` who declined by management group, so no group-level rate can be computed.
"""),
code("""
sample = tables.sample_table(participants, declined)
chapter.table(sample, "tbl-sample",
              "Managers interviewed and approached, by trust and management group",
              note="Source: Table 3.2 (p. 35). *Approached* = participants + declined, and the participation "
                   "rate = participants / approached, are derived here; the book prints neither.")
for _, row in sample.iterrows():
    chapter.glue(f"participation_{str(row['Trust']).lower()}_pct", float(row["Participation %"]))
""", tags=("remove-input",)),
md("""
{numref}`fig-sample-composition` shows the same numbers as bars: each trust's interviewees by group,
followed by those who declined. The Care trust contributed the most interviewees, largely because
of its {glue:text}`n_care_general` general managers, and also had the most refusals.

```{glue:figure} fig-sample-composition
:name: fig-sample-composition
:alt: Horizontal stacked bar chart with one bar per trust (Acute, Care, Specialist). Each bar is split into clinical, functional and general managers interviewed, followed by a hatched segment for managers who declined or did not respond; every segment is labelled with its count.

Managers approached in each trust: interviewees by management group, then those who declined or
did not respond. Data: Table 3.2 of {cite:t}`bresnen2017managing`. Downloads:
{download}`SVG <../figures/fig-sample-composition.svg>`, {download}`PNG <../figures/fig-sample-composition.png>`,
{download}`PDF <../figures/fig-sample-composition.pdf>`.
```
"""),
code("""
chapter.glue("n_care_general", int(participants.set_index(["trust", "cohort"])["count"][("care", "general")]))
chapter.figure(plots.sample_composition(participants, declined), "fig-sample-composition",
               "Managers approached in each trust: interviewees by management group, then those who declined.")
"""),
md("""
## Gender

Men and women were fairly evenly spread, except among the general managers of the Care trust, where
{glue:text}`n_care_general_female` of {glue:text}`n_care_general` were women
({numref}`tbl-gender`; Table 3.3, p. 36). Across the whole sample {glue:text}`n_female` women and
{glue:text}`n_male` men were interviewed ({glue:text}`female_pct:.0f` per cent women).
"""),
code("""
chapter.table(tables.gender_table(gender), "tbl-gender",
              "Men / women interviewed, by trust and management group",
              note="Source: Table 3.3 (p. 36). Each cell reads *men / women*; totals and the share of women are computed here.")
by_sex = gender.groupby("sex")["count"].sum()
chapter.glue("n_female", int(by_sex["female"]))
chapter.glue("n_male", int(by_sex["male"]))
chapter.glue("female_pct", tables.percent(by_sex["female"], by_sex.sum(), 1))
chapter.glue("n_care_general_female", int(gender.set_index(["trust", "cohort", "sex"])["count"][("care", "general", "female")]))
""", tags=("remove-input",)),
md("""
## Age

The age profile was similar in the three trusts, a little older at the Care trust and a little
younger at the Specialist trust ({numref}`tbl-age`, {numref}`fig-age-profile`). The 40–50 band was
the largest everywhere except at the Specialist trust, where the 30–40 and 40–50 bands were equal;
only {glue:text}`n_age_60_plus` manager was in the 60+ band. The bands are printed with shared end points
(30–40, 40–50, ...), so the book does not say in which band a manager whose age equals an end point was counted.
"""),
code("""
chapter.table(tables.age_table(age, AGE_BANDS), "tbl-age", "Managers interviewed by age band and trust",
              note="Source: Table 3.4 (p. 37). A dash in the book (none) is shown as 0; totals are computed here.")
by_band = age.groupby("age_band")["count"].sum()
chapter.glue("n_age_40_50", int(by_band["40-50"]))
chapter.glue("n_age_60_plus", int(by_band["60+"]))
""", tags=("remove-input",)),
md("""
```{glue:figure} fig-age-profile
:name: fig-age-profile
:alt: Grouped bar chart of the number of managers in each of five age bands (18-30, 30-40, 40-50, 50-60, 60+), with one bar per trust; each bar is labelled with its count. The 40-50 band is the tallest for the Acute and Care trusts.

Age profile of the managers interviewed, by trust. Data: Table 3.4 of {cite:t}`bresnen2017managing`.
Downloads: {download}`SVG <../figures/fig-age-profile.svg>`, {download}`PNG <../figures/fig-age-profile.png>`,
{download}`PDF <../figures/fig-age-profile.pdf>`.
```
"""),
code("""
chapter.figure(plots.age_profile(age, AGE_BANDS), "fig-age-profile", "Age profile of the managers interviewed, by trust.")
"""),
md("""
## Time in post, in the trust and in the NHS

{numref}`tbl-tenure` and {numref}`fig-tenure` give the average years the managers of each trust had
spent in their current post, in their organization, in the NHS and outside it (Table 3.5, p. 37).
Care trust managers had been longest in their organization and in the NHS
({glue:text}`care_in_nhs:.2f` years on average), which the book links to long service before the
organization became a trust. Experience outside the NHS was greatest at the Specialist trust
({glue:text}`specialist_outside_nhs:.2f` years); the book says it was found mostly among functional
managers and among others who had worked in private healthcare. The book prints only the means, not
how many answered, so no average for the whole sample can be derived from it.
"""),
code("""
chapter.table(tables.tenure_table(tenure, TENURE_MEASURES), "tbl-tenure",
              "Average years in post, in organization, in the NHS and outside it, by trust",
              note="Source: Table 3.5 (p. 37), as printed.")
means = tenure.set_index(["trust", "measure"])["mean_years"]
chapter.glue("care_in_nhs", float(means[("care", "in_nhs")]))
chapter.glue("specialist_outside_nhs", float(means[("specialist", "outside_nhs")]))
""", tags=("remove-input",)),
md("""
```{glue:figure} fig-tenure
:name: fig-tenure
:alt: Dot plot with four rows (in post, in organization, in NHS, outside NHS) and one dot per trust on a scale of years. The in-NHS row has the largest values, highest for the Care trust.

Average years in post, in the organization, in the NHS and outside it, by trust. Data: Table 3.5 of
{cite:t}`bresnen2017managing`. Downloads: {download}`SVG <../figures/fig-tenure.svg>`,
{download}`PNG <../figures/fig-tenure.png>`, {download}`PDF <../figures/fig-tenure.pdf>`.
```
"""),
code("""
chapter.figure(plots.tenure_dots(tenure, TENURE_MEASURES), "fig-tenure", "Average years in post, organization, NHS and outside it, by trust.")
"""),
md("""
## Ethnicity and salary grade

The book gives these facts in its prose rather than in a table (pp. 35–36); {numref}`tbl-ethnicity-grade`
collects them. All {glue:text}`n_asian_british` managers who were not white British were Asian British
men, spread over the three trusts. The number on grades 8a–8d is not printed: the book says only
that most were, and names the exceptions, so the count shown is the remainder
({glue:text}`n_grade_8` of {glue:text}`n_interviewed`), derived here and marked as such.
"""),
code("""
chapter.table(tables.ethnicity_grade_table(facts, n_interviewed), "tbl-ethnicity-grade",
              "Ethnicity and salary grade of the managers interviewed",
              note="Source: text, pp. 35–36. Percentages are computed here. The grade 8a–8d row is derived as the remainder of the sample; the book does not print it.")
ethnicity = facts[facts["topic"] == "ethnicity"].groupby("category")["count"].sum()
chapter.glue("n_asian_british", int(ethnicity["asian_british"]))
grades = facts[facts["topic"] == "grade"]["count"].sum()
chapter.glue("n_grade_8", int(n_interviewed - grades))
""", tags=("remove-input",)),
md("""
## Checked against the printed totals

Before this chapter was drawn, every total printed in Tables 3.2 to 3.4 (and the count of Asian
British managers given in the text) was compared with the sum of the cells it totals:
{glue:text}`n_totals_agree` of {glue:text}`n_totals_checked` agree. The build stops if any of them
disagrees, or if the gender and age cells stop adding up to the sample of Table 3.2.

## Sources

Book chapter 3 {cite:p}`bresnen2017managing`: the sampling account (p. 35), Table 3.2 (p. 35),
Table 3.3 and the ethnicity facts (p. 36), Tables 3.4 and 3.5 (p. 37). Pages are located from the
surviving running heads of the source text and may be off by one.
"""),
code("""
checks = tables.printed_total_checks(chapter.data)
sample_checks = checks[checks["locator"].isin(["Table 3.2", "Table 3.3", "Table 3.4"]) | checks["expression"].str.contains("sample_facts")]
chapter.glue("n_totals_checked", len(sample_checks))
chapter.glue("n_totals_agree", int(sample_checks["agrees"].sum()))
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "who_was_studied.ipynb", cells)
