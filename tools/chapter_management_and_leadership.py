"""Authoring script of chapters/management_and_leadership.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-management-and-leadership)=
# Management and leadership

```{admonition} In brief
:class: tip
Asked how managing differs from leading, almost all the managers split the two into opposites:
management meant keeping day-to-day operations steady, leadership meant vision, strategy and
change. The book condenses the pairs of opposites they used into a table of
{glue:text}`ml_rows` contrasts ({numref}`tbl-leadership-contrast`). Leadership came out as the
admired, inborn half and management as the dull, teachable half, yet in daily work operational
pressure usually pushed leadership aside. A small minority saw leadership instead as leading by
example, and clinical managers prized it as a source of influence. The book counts none of these
views; what can be counted is whose words it prints: {glue:text}`ml_quotes` quotations, mostly
from general managers ({numref}`fig-leadership-quotes`).
```

This chapter follows the section 'Management and Leadership' of chapter 4, 'Being a Manager', of
{cite:t}`bresnen2017managing` (pp. 68–76), with the chapter summary (pp. 76–77). The fuller study
report is {cite:t}`bresnen2014being`. The evidence in the section is qualitative: interview
excerpts and the authors' reading of them. Its one table, Table 4.1, is rebuilt below from
`data/management_leadership_contrast.csv`; the other numbers in this chapter count rows of that
table and quotations printed in the section, never managers, because the book gives no count of
how many managers held which view.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import management_leadership as ml

chapter = Chapter("management_and_leadership")
contrast = chapter["management_leadership_contrast"]
all_quotes = chapter["interviewee_quotes"]
quotes = ml.section_quotes(all_quotes)
"""),
md("""
## Why the question mattered

The authors start from the spread of leadership talk in NHS policy, traced in chapter 2 of the
book. Its appeal, they argue, lies in a promise of individual agency and of visionary,
transforming change: it offers middle managers a more flattering picture of their work, is meant to
help close the gap between clinicians and managers, and sits more comfortably with doctors, who
are readier to be clinical leaders than clinical managers (p. 68). The authors ask what this means
on the ground: do middle managers think of themselves as leaders, as managers, or as both, and
could the stress on leadership weaken further the standing of people whose job is more often to
carry change out than to lead it (pp. 68–69)?

They note that the literature has treated leadership in three ways: as one of the functions of
management, as more or less the same thing as management, or as a separate set of orientations and
practices. The third view, which runs through Zaleznik and Kotter, still dominates, and it invites
a contrast between visionary leaders and 'mere' managers (p. 69). The authors themselves take a
more critical, practice-based line, in which leadership is a social construction whose meaning
depends on its setting (p. 69).

## Two halves of one job, seen as opposites

Because the interviewees were fairly senior, the researchers expected them to see management and
leadership as intertwined and often carried by the same person. What they heard instead, from the
great majority, was a clean split: management was about stability and operational skill,
leadership about change and about strategic and visionary ability (pp. 69–70). Even the different
management styles described earlier in the chapter were treated by the managers as part of
running the service, not as leadership, although style has long been central to leadership
research (p. 70). Two general managers at the Acute trust are quoted as typical of views heard in
every group at all {glue:text}`ml_trusts` trusts: management as running daily operations,
leadership as deciding where the team and the service should go (p. 70). Later the authors stress
how consistent the picture was across trusts and groups, and that it showed no systematic link
with age or training (p. 71). They print no counts, so this consistency cannot be measured here.

{numref}`tbl-leadership-contrast` gives the pairs of opposites that, according to the authors,
kept recurring when managers explained the difference. The authors say the table builds on
Kotter's earlier work and summarises the whole sample (p. 70). Of its {glue:text}`ml_rows` rows,
{glue:text}`ml_printed` are pairs of short terms and are shown as printed. In the other
{glue:text}`ml_paraphrased` (rows {glue:text}`ml_paraphrased_rows`) at least one printed cell is a
descriptive clause; both cells of those rows are given in our own words and are marked as such in
the last column.
"""),
code("""
chapter.table(ml.contrast_table(contrast), "tbl-leadership-contrast",
              "How the managers contrasted management with leadership (book Table 4.1)",
              note="Source: Table 4.1 of the book (p. 70), rows in printed order. Short terms are as "
                   "printed (one broken ligature repaired); rows marked *our paraphrase* restate "
                   "clause-like printed cells in our own words and do not reproduce the printed wording.")
counts = ml.contrast_counts(contrast)
chapter.glue("ml_rows", counts["rows"])
chapter.glue("ml_printed", counts["printed"])
chapter.glue("ml_paraphrased", counts["paraphrased"])
numbers = [str(n) for n in ml.paraphrased_row_numbers(contrast)]
chapter.glue("ml_paraphrased_rows", ", ".join(numbers[:-1]) + " and " + numbers[-1] if len(numbers) > 1 else "".join(numbers))
chapter.glue("ml_trusts", int(chapter.evaluate("distinct(sample_participants.trust)")))
""", tags=("remove-input",)),
md("""
Read down the two columns, the pairs fall along a few lines (the grouping is ours, not the
book's): the time horizon (day-to-day against long term, task against strategy); how the role is
acquired (from books and standard courses, against an inborn gift); how people are handled
(holding them to account and making sure work gets done, against inspiring them and explaining
why the work matters); attitude to risk (safety through standard routines, against improvement
through risk-taking); and tone (bureaucratic and unpleasant, against heroic and aspirational). The
last row condenses the whole table: management is something one does, leadership something one is.

## Vision, and the belief that leaders are born

Vision was the mark most often used to tell a leader from a manager (p. 71). Managers added,
however, that a vision gets nowhere without ordinary management work, such as recruiting the right
people and putting them in the right places, to draw staff into it (p. 71). Most striking to the
authors was how widely leadership was taken to be a personal, largely innate capacity, while
management could be picked up through experience, courses or even a book (pp. 71–72). They point
out the cost of that belief: if leadership is lodged in individuals and tacit, it is hard to put
into words, to share or to develop, a theme the book takes up again in chapter 5 (p. 72).

## Management talked down

The authors grant that much of what the managers filed under management, such as care over detail,
following procedures exactly and specialist skill, does real work in healthcare. Yet the way
managers spoke showed a plain preference for leadership and a matching disdain for management,
pictured as dull, procedural 'nuts and bolts' work, even though the same managers had stressed
style and people skills as the core of their jobs (p. 72). One general manager at the Acute trust
counted herself on the management side of the line. The authors add that running management down
in this way made it seem less important, feeding one participant's verdict that the NHS was
'over managed and under-led'; a functional manager at the Specialist trust made the same point,
with many managers and few leaders (pp. 72–73). The authors set this against critics of the faith in
charismatic leaders, among them Khurana, and against Huy's argument that middle managers are the
ones who balance change with continuity (p. 73).

## Leadership crowded out in practice

In everyday work the wish to lead was often swamped by operational demands. A chief executive's
plan for protected strategic thinking time is described as soon turning into one more committee
(p. 73). The team's observations of management meetings at all {glue:text}`ml_trusts` trusts point
the same way: whatever the style, the agenda was driven mostly by reporting demands from outside,
leaving little time for strategy (p. 73). Some managers also doubted that their organization would
welcome a more democratic, team-serving kind of leadership (p. 73). The trusts differed a little:
the hands-on work at the Acute and Care trusts made strategic thinking harder, while the Specialist
trust, which prized clinical and scientific expertise and business development, left more room
for it (pp. 73–74). Overall, the authors conclude, the tidy opposition between leading and managing
broke down in practice, as ideals of leadership gave way to the pressing demands of management
(p. 74).

## Dissenting voices and pressure from two sides

The split view was very widely shared but not universal. A small minority, whose size the book
does not give, was sceptical of the heroic image: for them leadership was a vague notion, better
shown by 'getting their hands dirty' and leading by example than by drawing up strategies for
others to carry out (p. 74). The authors read this as impatience with the vagueness of the idea and
a wish to make it concrete (p. 74). Sitting just below divisional directors and the board, these
leader-managers also had to look two ways at once: to be supportive leaders for their own staff
while answering for what the organization required (pp. 74–75). One Care trust general manager put
getting the job done ahead of any preferred style, and argued that a move up the hierarchy does
not bring more freedom, only a place at the bottom of a more senior chain (p. 75). The authors
conclude that general managers found their leadership ideal hard or impossible to live up to
(p. 75).

## Clinicians and leadership

For clinical managers it was different. They set great store by their role as leaders, resting it
on clinical credibility rather than on managerial authority, and one account describes clinicians
keen to lead and set strategy for their services while leaving budgets, targets and daily
operations to others (pp. 75–76). The authors suggest that leadership may carry more weight in some
groups, and perhaps some trusts, than in others, and that the very vagueness of the idea may help
it bridge status gaps between clinicians and managers (p. 76). In the chapter summary they note
that most managers idealised visionary leadership while meeting obstacles in practice; a few
took the ideal apart, but many others, including many clinical managers, went on treating it as
something real and fixed (p. 77).

## Whose voices the section prints

The section supports its argument with interview excerpts, and the book's register of attributions
(`data/interviewee_quotes.csv`) shows whose they are. Between the section heading and the chapter
summary it prints {glue:text}`ml_quotes` quotations from {glue:text}`ml_interviewees` different
interviewees: {glue:text}`ml_general` from general managers, {glue:text}`ml_functional` from
functional managers and {glue:text}`ml_clinical` from clinical managers
({numref}`fig-leadership-quotes`). {glue:text}`ml_top_name` is quoted most often
({glue:text}`ml_top_n` times). The Specialist trust is heard only in
{glue:text}`ml_specialist` quotations from functional managers, plus {glue:text}`ml_unplaced` attribution whose
group and trust labels are printed the wrong way round ({glue:text}`ml_unplaced_name`, p. 76), so
that the register does not code it. The same interviewee is attributed elsewhere to a general
manager at the Specialist trust (p. {glue:text}`ml_unplaced_other_page`), which makes that the
likely reading; the figure shows it as a possible extra quotation, not as a count.

These counts say nothing about how common a view was: the authors chose the excerpts to illustrate
views they describe as widely held. They show only which managers the reader actually hears, and
in this section that is above all general managers, especially at the Care trust.
"""),
code("""
summary = ml.quote_summary(quotes)
chapter.glue("ml_quotes", summary["attributions"])
chapter.glue("ml_interviewees", summary["interviewees"])
for cohort in ("general", "functional", "clinical"):
    chapter.glue(f"ml_{cohort}", summary[f"cohort_{cohort}"])
chapter.glue("ml_top_name", summary["most_quoted"][0])
chapter.glue("ml_top_n", summary["most_quoted"][1])
grid = ml.quote_grid(quotes)
chapter.glue("ml_specialist", int(grid.loc["specialist"].sum()))
unplaced = ml.unplaced_attributions(quotes)
chapter.glue("ml_unplaced", len(unplaced))
chapter.glue("ml_unplaced_name", unplaced[0][0])
elsewhere = ml.placed_elsewhere(all_quotes, unplaced[0][0])
chapter.glue("ml_unplaced_other_page", elsewhere[0][2])
chapter.figure(ml.quote_grid_figure(quotes, all_quotes), "fig-leadership-quotes",
               "Quotations printed in the book's 'Management and Leadership' section, by trust and management group.")
"""),
md("""
```{glue:figure} fig-leadership-quotes
:name: fig-leadership-quotes
:alt: A three-by-three grid with the Acute, Care and Specialist trusts as rows and clinical, functional and general managers as columns. Each cell holds the number of interview quotations the section prints from that group, shaded darker for more. General managers at the Care trust have the most; the Specialist trust has quotations only from functional managers. A dashed "+1?" in the Specialist general-manager cell marks one quotation whose printed labels are reversed, listed in a note under the grid.

Interview quotations printed in the 'Management and Leadership' section of book chapter 4, by the
trust and management group printed in their attributions. One attribution prints its labels in
reverse order and is left out of the counts; the dashed "+1?" shows where it most likely belongs.
The counts measure whose words are printed, not how many managers held a view. Data: the register
of attributions in {cite:t}`bresnen2017managing`, pp. 70–76. Downloads:
{download}`SVG <../figures/fig-leadership-quotes.svg>`, {download}`PNG <../figures/fig-leadership-quotes.png>`,
{download}`PDF <../figures/fig-leadership-quotes.pdf>`.
```

## Sources

Book chapter 4 {cite:p}`bresnen2017managing`: the section 'Management and Leadership' (pp. 68–76),
with Table 4.1 (p. 70), and the chapter summary (pp. 76–77); the attribution placed elsewhere is
in chapter 5 (p. 90). Book pages are estimated from the surviving running heads of the source text
and may be off by one. The NIHR report {cite:p}`bresnen2014being` draws the same conclusion in its
first recommendation (p. 102), which the chapter on recommendations and limitations discusses.
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "management_and_leadership.ipynb", cells)
