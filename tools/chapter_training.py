"""Authoring script of chapters/training.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-training)=
# Levels of formal training

```{admonition} In brief
:class: tip
The book draws two bar charts of how much formal management training the managers had, by trust
(Figure 3.2) and by management group (Figure 3.3), but prints none of their values. What its words
fix exactly is little: {glue:text}`n_some_or_more` of the {glue:text}`n_sample` interviewees had some or
substantial training (so {glue:text}`n_minimal` had minimal training), and no Acute trust manager had
minimal training. Of the {glue:text}`n_bars` bars of the two charts, only {glue:text}`n_determined`
(Acute, minimal: {glue:text}`acute_minimal`) is determined. The rest can only be bounded: about
{glue:text}`count_pairs_millions:,.0f` million different pairs of charts fit the exact statements, and about
{glue:text}`count_pairs_i_millions:,.0f` million still fit once the vaguer statements are read as
recorded in the constraints file. No single allocation is shown here as the data, because the book gives none.
```

Chapter 3 of {cite:t}`bresnen2017managing` sorts the interviewees into three levels of formal
management training: *minimal* (none, or only very occasional), *some* (sporadic, or regular but not
frequent and intense) and *substantial* (frequent and intense), and draws the result by trust and
by management group (p. 38). The bars carry no numbers and the text beside them gives only a few
counts and comparisons. This chapter asks what those statements, together with the size of each
trust and group (Table 3.2, p. 35), allow the two charts to have shown, and draws exactly that:
a value where the book fixes it and a range where it does not.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import style
from nhsreport.labels import cohort_labels, trust_labels
from nhsreport import training_allocations as ta

chapter = Chapter("training")
participants = chapter["sample_participants"]
constraints = chapter["training_constraints"]
exact = ta.enumerate_allocations(chapter.data)
loose = ta.enumerate_allocations(chapter.data, include_interpretations=True)
group_labels = {**trust_labels(), **cohort_labels()}
"""),
md("""
## What the book says

The statements that bear on the charts are listed in {numref}`tbl-training-constraints`, each in
our own words and written as a check on a hypothetical table of counts by trust, management group
and level of training. Of the {glue:text}`n_constraints` statements, {glue:text}`n_encoded` are
exact and come from the text beside the charts (p. 38): the number with some or substantial training
({glue:text}`n_some_or_more`), the same number as a rounded percentage ({glue:text}`pct_printed`
per cent; the exact share is {glue:text}`pct_exact:.2f` per cent, so the two agree), and the
statement that every Acute trust manager had at least some training. The other
{glue:text}`n_interpretations` rest on readings of vague words, such as taking *most* to mean more
than half, or on assumptions, such as counting a place on the NHS graduate management training
scheme as at least some formal training (pp. 97, 126, 163). Their readings are recorded in the
constraints file and are used below only where the text says so.

Two facts follow from the exact statements alone. First, {glue:text}`n_minimal` managers had only
minimal training ({glue:text}`n_sample` less {glue:text}`n_some_or_more`). Second, since none of them
worked at the Acute trust, they were all at the Care or Specialist trusts; so at most
{glue:text}`clinical_minimal_high` of the {glue:text}`n_clinical` clinical managers could have had
minimal training, the number of clinical managers at those two trusts.
"""),
code("""
chapter.table(ta.constraints_table(constraints), "tbl-training-constraints",
              "Statements in the book that constrain the unprinted Figures 3.2 and 3.3",
              note="Source: book pp. 38, 97, 126 and 163, as transcribed in training_constraints.csv. "
                   "Statements are in our own words. *Encoded as* is the check on a hypothetical "
                   "table training(trust, cohort, level, count); *exact* rows capture the statement, "
                   "*interpretation* rows are our reading of vague words or rest on an assumption.")
""", tags=("remove-input",)),
code("""
n_sample = int(participants["count"].sum())
by_id = constraints.set_index("constraint_id")
n_some_or_more = int(float(by_id.loc["tc01", "rhs"]))
chapter.glue("n_sample", n_sample)
chapter.glue("n_some_or_more", n_some_or_more)
chapter.glue("n_minimal", n_sample - n_some_or_more)
chapter.glue("pct_exact", 100 * n_some_or_more / n_sample)
chapter.glue("pct_printed", round((float(by_id.loc["tc02", "rhs"]) + float(by_id.loc["tc03", "rhs"])) / 2))
chapter.glue("n_constraints", len(constraints))
chapter.glue("n_encoded", int(constraints["encoded"].astype(bool).sum()))
chapter.glue("n_interpretations", int((~constraints["encoded"].astype(bool)).sum()))
chapter.glue("n_clinical", int(participants.loc[participants["cohort"] == "clinical", "count"].sum()))

def bound(result, figure, group, level, side):
    b = result.cell_bounds.set_index(["figure", "group", "level"])
    return int(b.loc[(figure, group, level), side])

chapter.glue("clinical_minimal_high", bound(exact, "3.3", "clinical", "minimal", "high"))
chapter.glue("acute_minimal", bound(exact, "3.2", "acute", "minimal", "high"))
chapter.glue("n_acute", int(participants.loc[participants["trust"] == "acute", "count"].sum()))
for name, result in (("", exact), ("_i", loose)):
    chapter.glue(f"count_pairs{name}", result.count_pairs)
    chapter.glue(f"count_pairs{name}_millions", result.count_pairs / 1e6)
    chapter.glue(f"count_by_trust{name}", result.count_by_trust)
    chapter.glue(f"count_by_cohort{name}", result.count_by_cohort)
    chapter.glue(f"count_minimal_tables{name}", result.count_minimal_tables)
    chapter.glue(f"n_determined{name}", int(result.cell_bounds["determined"].sum()))
chapter.glue("n_bars", len(exact.cell_bounds))
chapter.glue("care_minimal_low_i", bound(loose, "3.2", "care", "minimal", "low"))
chapter.glue("care_minimal_high_i", bound(loose, "3.2", "care", "minimal", "high"))
chapter.glue("specialist_minimal_low_i", bound(loose, "3.2", "specialist", "minimal", "low"))
chapter.glue("specialist_minimal_high_i", bound(loose, "3.2", "specialist", "minimal", "high"))
chapter.glue("general_minimal_low_i", bound(loose, "3.3", "general", "minimal", "low"))
chapter.glue("functional_minimal_high_i", bound(loose, "3.3", "functional", "minimal", "high"))
"""),
md("""
## What can be derived

The unknown is how many managers in each trust and group fell at each level: a table of
non-negative whole numbers whose levels add up, cell by cell, to the counts of Table 3.2.
Figure 3.2 is that table summed over groups; Figure 3.3 is it summed over trusts. We list every
such table that meets the statements, exactly (the method is described in the documentation of
`nhsreport.training_allocations`; nothing is sampled or estimated). Counting *allocations* in the
narrow sense would count the same charts many times, so we count charts:

- a **Figure 3.2** is the table of managers by trust and level; {glue:text}`count_by_trust:,` of them
  fit the exact statements;
- a **Figure 3.3** is the table of managers by group and level; {glue:text}`count_by_cohort:,` of them fit;
- a **pair** is one Figure 3.2 and one Figure 3.3 that a single allocation produces together (not
  every combination of a possible Figure 3.2 with a possible Figure 3.3 does);
  {glue:text}`count_pairs:,` pairs fit.

Once the vague statements are added as read in the constraints file, {glue:text}`count_by_trust_i:,`
versions of Figure 3.2, {glue:text}`count_by_cohort_i:,` of Figure 3.3 and {glue:text}`count_pairs_i:,`
pairs remain. The statements narrow the charts much less than one might hope, mostly because the
book never separates *some* from *substantial* training: any split of the non-minimal managers
between those two levels is as consistent with the text as any other.

{numref}`fig-training-by-trust` and {numref}`fig-training-by-cohort` show what is known of each bar.
Only the Acute trust's minimal bar is fixed, at {glue:text}`acute_minimal`. Every other bar can take
any value in its hatched range. With the interpretations, the Care trust must have had between
{glue:text}`care_minimal_low_i` and {glue:text}`care_minimal_high_i` managers with minimal training and
the Specialist trust between {glue:text}`specialist_minimal_low_i` and {glue:text}`specialist_minimal_high_i`;
by group, at least {glue:text}`general_minimal_low_i` general managers and at most
{glue:text}`functional_minimal_high_i` functional managers were in the minimal category.

```{glue:figure} fig-training-by-trust
:name: fig-training-by-trust
:alt: Bar chart with three groups of three bars, Acute, Care and Specialist trust, each with bars for minimal, some and substantial training. Only the Acute minimal bar is solid, at zero. Every other bar is a hatched outline box running from the lowest to the highest count the book's statements allow, labelled with that range; a black line inside each box marks the narrower range left when vague statements are read as in the constraints file.

What the book's words allow its unprinted Figure 3.2, levels of formal training by trust: the
values were never printed, and these are derived bounds, not data. Solid: the only possible count;
hatched box: every count from its bottom to its top is possible; black line: the range once vague
statements are read as in {numref}`tbl-training-constraints`. Data: text of p. 38 and Table 3.2 of
{cite:t}`bresnen2017managing`. Downloads: {download}`SVG <../figures/fig-training-by-trust.svg>`,
{download}`PNG <../figures/fig-training-by-trust.png>`, {download}`PDF <../figures/fig-training-by-trust.pdf>`.
```
"""),
code("""
chapter.figure(ta.bounds_figure(exact.cell_bounds, loose.cell_bounds, "3.2", trust_labels(), style.TRUST_COLOURS),
               "fig-training-by-trust",
               "Unprinted Figure 3.2 (training by trust): derived bounds, not data.")
"""),
md("""
```{glue:figure} fig-training-by-cohort
:name: fig-training-by-cohort
:alt: Bar chart with three groups of three bars, clinical, functional and general managers, each with bars for minimal, some and substantial training. No bar is determined: each is a hatched outline box from the lowest to the highest count the statements allow, labelled with that range, with a black line inside for the narrower range once vague statements are interpreted.

What the book's words allow its unprinted Figure 3.3, levels of formal training by management
group: the values were never printed, and these are derived bounds, not data. Hatched box: every
count from its bottom to its top is possible; black line: the range once vague statements are read
as in {numref}`tbl-training-constraints`. Data: text of p. 38 and Table 3.2 of
{cite:t}`bresnen2017managing`. Downloads: {download}`SVG <../figures/fig-training-by-cohort.svg>`,
{download}`PNG <../figures/fig-training-by-cohort.png>`, {download}`PDF <../figures/fig-training-by-cohort.pdf>`.
```
"""),
code("""
chapter.figure(ta.bounds_figure(exact.cell_bounds, loose.cell_bounds, "3.3", cohort_labels(), style.COHORT_COLOURS),
               "fig-training-by-cohort",
               "Unprinted Figure 3.3 (training by management group): derived bounds, not data.")
"""),
md("""
{numref}`tbl-training-bounds` gives the same bounds as numbers. The lowest possible count of *some*
and of *substantial* training is zero everywhere, and the highest is the size of the trust or group
less the fewest managers it can have had with minimal training: the book's words allow every
non-minimal manager of a trust or group to sit at either of the two upper levels.
"""),
code("""
chapter.table(ta.bounds_table(exact.cell_bounds, loose.cell_bounds, group_labels), "tbl-training-bounds",
              "Lowest and highest possible count of each bar of the unprinted Figures 3.2 and 3.3",
              note="Derived here from the statements in the training constraints table and the margins of "
                   "Table 3.2 (p. 35); the book prints none of these values. *Low*/*High*: exact "
                   "statements only; *with readings*: vague statements added as interpreted. "
                   "*Determined*: only one value is possible.")
""", tags=("remove-input",)),
md("""
## What this means for the book's account

The text reads the charts as showing that most managers had at least some formal training, that
every Acute trust manager had at least some, and that Care trust general managers and some
clinicians at the Care and Specialist trusts were among the least trained (p. 38). The first two
points are exact and hold in every chart counted above; the third is a reading of vague words. The comparisons between trusts or groups at the *some* and *substantial* levels,
which the charts were presumably drawn to show, cannot be checked: every pattern within the
ranges above is consistent with what was printed. There are
{glue:text}`count_minimal_tables:,` ways to place the minimal-training managers in the trust by
group cells ({glue:text}`count_minimal_tables_i:,` with the readings), and the text does not say
which one the study found.

## Sources

- {cite:t}`bresnen2017managing`, p. 35 (Table 3.2: managers interviewed by trust and group).
- {cite:t}`bresnen2017managing`, p. 38 (Figures 3.2 and 3.3, their categories and the text that
  describes them).
- {cite:t}`bresnen2017managing`, p. 97, p. 126 and p. 163 (statements about graduate management
  training and general managers' qualifications, used only as interpretations).
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "training.ipynb", cells)
