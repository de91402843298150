"""Authoring script of chapters/recommendations.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-recommendations)=
# Recommendations and limitations

```{admonition} In brief
:class: tip
The study's NIHR report ends with {glue:text}`rec_n` recommendations, broken down into
{glue:text}`rec_n_points` sub-points, nearly all aimed at national, regional or trust level. Trusts are
addressed most often ({glue:text}`rec_trust_points` sub-points), national bodies next
({glue:text}`rec_national_points`), the regional level rarely ({glue:text}`rec_regional_points`).
For {glue:text}`rec_inferred_points` sub-points the level is not written in the text but inferred
from the organisation named; {glue:text}`rec_none_points` names no level at all, and
{glue:text}`rec_truncated_n` breaks off mid-sentence in the source. The report lists
{glue:text}`rec_lim_report` limitations; the book repeats {glue:text}`rec_lim_restated` of them,
with a different suggestion of method for studying managers' networks, and restates the
recommendations with some sub-points left out and the last recommendation missing.
```

This chapter draws on the closing part of the study's NIHR report {cite:p}`bresnen2014being`
(pp. 101–104): its limitations and its recommendations with their bulleted sub-points. It compares
them with the final chapter of the book {cite:p}`bresnen2017managing` (p. 160 and pp. 180–183),
which restates both for a wider readership. The data are `data/recommendations.csv`,
`data/recommendation_points.csv` and `data/limitations.csv`; every text cell in them is a
paraphrase in our own words, and so are the tables below.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import recommendations as rec

chapter = Chapter("recommendations")
recommendations = chapter["recommendations"]
points = chapter["recommendation_points"]
limitations = chapter["limitations"]
sub_point_counts = rec.check_numbering(recommendations, points)
totals = rec.level_totals(points)
"""),
md("""
## Seven recommendations

The report announces {glue:text}`rec_n` general recommendations, each with consequences for
practice at one or more of three levels: national, regional or the individual trust. Most concern
management training and development, and some concern the setting in which managers work (p. 102).
{numref}`tbl-recommendations` lists them with our one-line summary of each and, for each level,
the sub-points addressed to it; {numref}`tbl-recommendations-points` gives every sub-point in our
own words. A recommendation has between {glue:text}`rec_min_points` and
{glue:text}`rec_max_points` sub-points.

Taken together they follow the study's main findings: the first asks that management be valued
alongside leadership, echoing the account of book chapter 4; two deal with how managers learn
(balancing experience with codified knowledge, and making room for reflection); one with relations
between clinicians and managers; and three with managers' networks and communities of practice.
"""),
code("""
chapter.table(rec.recommendations_table(recommendations, points), "tbl-recommendations",
              "The seven recommendations of the NIHR report and the level each sub-point addresses",
              note="Source: NIHR report, pp. 102–104 (headings as printed; summaries in our own words). "
                   "A sub-point number in a level column means the sub-point addresses that level: plain = "
                   "level stated in the text; † = level inferred from the organisation named; ‡ = one level "
                   "stated and another inferred; … = the printed sub-point breaks off. A sub-point aimed at "
                   "several levels appears in each of their columns. Sub-points are unnumbered bullets in "
                   "the source and are numbered here in printed order.")
chapter.glue("rec_n", len(recommendations))
chapter.glue("rec_n_points", len(points))
chapter.glue("rec_min_points", min(sub_point_counts.values()))
chapter.glue("rec_max_points", max(sub_point_counts.values()))
""", tags=("remove-input",)),
code("""
chapter.table(rec.points_table(points), "tbl-recommendations-points",
              "Every sub-point of the recommendations, with the level(s) it addresses",
              note="Source: NIHR report, pp. 102–104. Paraphrases are ours; the organisation named is "
                   "given in a few words as printed. 'Local' and 'more local' in the text are coded as "
                   "trust level (see the text).")
""", tags=("remove-input",)),
md("""
## Who is asked to act

{numref}`fig-recommendations-levels` places every sub-point in the column of each level it
addresses. Of the {glue:text}`rec_n_points` sub-points, {glue:text}`rec_trust_points` address
trusts, {glue:text}`rec_national_points` the national level (in practice national leadership
programmes and the NHS Leadership Academy) and only {glue:text}`rec_regional_points` the regional
level; {glue:text}`rec_multi_n` sub-points ({glue:text}`rec_multi_list`) address more than one
level, which is why the columns add up to more than the number of sub-points. Only the two
recommendations on networks, {glue:text}`rec_all_levels`, reach all three levels, while
{glue:text}`rec_national_only` speaks only to national programmes and
{glue:text}`rec_trust_only` only to trusts.

How firm these levels are varies, and the figure keeps the difference visible. The level is
written into the sub-point for {glue:text}`rec_stated_points` of them. For
{glue:text}`rec_inferred_points` it is inferred from the organisation the sub-point names, for
example the NHS Leadership Academy (national) or trusts' own programmes (trust), or from a phrase
such as 'such programmes' that points back to an earlier sub-point. One sub-point
({glue:text}`rec_mixed_list`) states the regional level and names trusts as the ones to act, so it
is partly stated and partly inferred. Sub-point {glue:text}`rec_none_list` names neither a level
nor an organisation and is left without a level rather than given one by guesswork. Finally, the
report sometimes speaks of a 'local' or 'more local' level; the transcription reads this as trust
level, which matters where no trust is named (sub-points {glue:text}`rec_local_list`). The report
does not define the word, and 'local' could also mean something wider than a single trust, such
as a local health economy. The trust count therefore rests partly on that reading: without those
sub-points it would be {glue:text}`rec_trust_without_local` rather than
{glue:text}`rec_trust_points`.

```{glue:figure} fig-recommendations-levels
:name: fig-recommendations-levels
:alt: A matrix with the seven recommendations as rows and four columns: national, regional, trust, and no level named. In each cell small labelled boxes stand for the sub-points addressed to that level, with the count at the right of the cell. Filled grey boxes mark levels stated in the text, dotted outlines levels inferred from the organisation named, and one light box with a dash-dot outline, in the sixth recommendation, a mix of both. The trust column holds the most boxes and the regional column the fewest; one sub-point of the fourth recommendation sits under no level named. Totals under each column give the number of sub-points and how many are stated or inferred.

Which levels the sub-points of each recommendation address. Each box is one sub-point (numbered
recommendation.point in printed order); a sub-point aimed at several levels appears in each.
Filled: level stated; dotted outline: level inferred from the organisation named; light fill with
dash-dot outline: one level stated, another inferred; an ellipsis marks the sub-point that breaks
off in the source. Data: {cite:t}`bresnen2014being`, pp. 102–104. Downloads:
{download}`SVG <../figures/fig-recommendations-levels.svg>`, {download}`PNG <../figures/fig-recommendations-levels.png>`,
{download}`PDF <../figures/fig-recommendations-levels.pdf>`.
```
"""),
code("""
for level in ("national", "regional", "trust", "none"):
    chapter.glue(f"rec_{level}_points", totals[level]["points"])
by_basis = rec.point_levels(points).drop_duplicates("point")["basis"].value_counts()
chapter.glue("rec_stated_points", int(by_basis.get(rec.STATED, 0)))
chapter.glue("rec_inferred_points", int(by_basis.get(rec.INFERRED, 0)))
long = rec.point_levels(points)
chapter.glue("rec_mixed_list", ", ".join(long.loc[long["basis"] == rec.MIXED, "point"].unique()))
chapter.glue("rec_none_list", ", ".join(long.loc[long["level"] == rec.NO_LEVEL, "point"].unique()))
multi = rec.multi_level_points(points)
chapter.glue("rec_multi_n", len(multi))
chapter.glue("rec_multi_list", rec.join_words(multi))
matrix = rec.level_matrix(points, recommendations)
titles = recommendations.set_index("rec_no")["title"]
chapter.glue("rec_all_levels", rec.join_words([str(titles[n]) for n in rec.all_levels(matrix)], quote="'"))
chapter.glue("rec_national_only", rec.join_words([str(titles[n]) for n in rec.only_level(matrix, "national")], quote="'"))
chapter.glue("rec_trust_only", rec.join_words([str(titles[n]) for n in rec.only_level(matrix, "trust")], quote="'"))
local = rec.local_read_as_trust(points)
chapter.glue("rec_local_list", rec.join_words(local))
chapter.glue("rec_trust_without_local", totals["trust"]["points"] - len(local))
chapter.figure(rec.levels_figure(recommendations, points), "fig-recommendations-levels",
               "Which levels the sub-points of each recommendation address, stated or inferred.")
"""),
md("""
## The sub-point that breaks off

Sub-point {glue:text}`rec_truncated` (under '{glue:text}`rec_truncated_title`') asks trusts to
capture and pass on know-how that is held only in particular parts of the organisation, giving
tender bidding as the example, and then stops mid-sentence at a page break in the copy of the
report used here (p. 102); the rest of the sentence is not in the source. The book's version of
this recommendation does not repeat the point (p. 182), so it cannot supply the missing words.
The tables and the figure show the sub-point with the part that survives, marked with an
ellipsis, and nothing is added to it.

## The book's version of the recommendations

The book restates the recommendations in running prose under 'Recommendations for Practice'
(pp. 181–183). According to the transcription notes it covers six of them and has nothing that
corresponds to the seventh, on strengthening managers' communities of practice through national
leadership development. Reading the two side by side shows further differences, which are not
transcribed as data and so are not counted here. The book keeps the heading ideas but drops several
sub-points: under the first recommendation it leaves out the point about keeping management skills
in view within leadership programmes; under reflective learning it keeps only the call for trusts
to free managers' time, not the points about access to training or about national programmes;
under network ties it keeps the point about formal and informal networks but not the one about
regional or local follow-up to national programmes; and under general management networks it keeps
the points about external and internal networking but not those about separate communities of
practice or the primary-care boundary (pp. 182–183). It also softens the first recommendation
slightly, asking that management and leadership be presented as 'more equal' partners (p. 182).
The levels analysed above are therefore those of the report, not of the book.

## Limitations the authors acknowledge

{numref}`tbl-recommendations-limitations` lists the limitations in both sources. The report names
{glue:text}`rec_lim_report`, in order (pp. 101–102): only three kinds of trust were studied, so
conclusions carry over analytically rather than statistically; the sample was small and purposive;
the networks managers belong to were seen only through the managers' own accounts; the
observational work could not be extended as far as hoped; and primary care was not covered. The
book lists {glue:text}`rec_lim_book`: a caution, in its final chapter's comparison of the trusts, that their
different ways of handling clinical–managerial relations may not carry over to similar
organizations (p. 160), and, under directions for future research, {glue:text}`rec_lim_restated`
points that restate the report's first three (pp. 180–181). The book has no separate point on the
limits of the ethnographic work, and mentions primary care only as one example of other settings
worth studying (p. 180).

The two sources disagree on how the managers' networks might be studied next. The report suggests
similar ethnographic methods or more quantitative ones such as social network analysis (p. 101);
the book speaks of 'similar quantitative research methods', with deeper ethnographies, shadowing or
social network analysis as alternatives (p. 181). Both readings are kept in the data. Since the
study itself was qualitative, the report's wording fits its design better, but that is our
inference; the sources do not settle which was meant.
"""),
code("""
truncated = rec.truncated_points(points)
chapter.glue("rec_truncated_n", len(truncated))
chapter.glue("rec_truncated", truncated[0])
first = points[points["truncated"]].iloc[0]
chapter.glue("rec_truncated_title", str(titles[int(first["rec_no"])]))
counts = rec.limitation_counts(limitations)
chapter.glue("rec_lim_report", counts["001"]["stated"])
chapter.glue("rec_lim_book", counts["000"]["stated"])
chapter.glue("rec_lim_restated", counts["000"]["restated"])
chapter.table(rec.limitations_table(limitations), "tbl-recommendations-limitations",
              "Limitations of the study as stated in the NIHR report and in the book",
              note="Sources: NIHR report, pp. 101–102 (its five limitations in printed order); book, p. 160 "
                   "and pp. 180–181 (book pages estimated, may be off by one). Topics and limitations are "
                   "in our own words. *Restated in* pairs the book's three directions for future research "
                   "with the report's first three limitations, as the data notes record.")
""", tags=("remove-input",)),
md("""
## Sources

NIHR report {cite:p}`bresnen2014being`: limitations (pp. 101–102) and the recommendations with their
sub-points (pp. 102–104). Book {cite:p}`bresnen2017managing`, chapter 8: the caution on the trust
differences (p. 160), 'Directions for Future Research' (pp. 180–181) and 'Recommendations for
Practice' (pp. 181–183). Book pages are estimated from the surviving running heads of the source
text and may be off by one; report pages follow the page markers of its text copy.
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "recommendations.ipynb", cells)
