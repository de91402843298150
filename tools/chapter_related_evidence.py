"""Authoring script of chapters/related_evidence.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-related-evidence)=
# Related evidence

```{admonition} In brief
:class: tip
Three other sources help to place the study. A Nuffield Trust review of doctor–manager relationships
{cite:p}`powell2016doctors` groups the literature into {glue:text}`n_review_themes` themes and cites
{glue:text}`n_distinct_works` distinct works under them: relations remain strained, the two groups see
the world differently, managers must rely on influence rather than authority, doctors resist mostly
quietly, doctor–managers straddle both worlds uneasily, and national policy shapes all of it. A
companion NIHR study {cite:p}`nihr2014managementknowledge` found that middle managers act as
synthesisers of knowledge whose networks endure, while this book's study found management knowledge
to be local and experiential. A study of frontline clinician-managers {cite:p}`petchey_frontline`
found clinical and managerial work inseparable, a climate hostile to "management", and a reluctance
to claim the title of leader.
```

The study reproduced in this report looked at middle managers of every kind. Much of the wider
literature on management in the NHS, however, concerns one relationship in particular: that between
doctors and the managers who work alongside them. This chapter summarises, in our own words, three
sources that sit around the study: a narrative review of that relationship
{cite:p}`powell2016doctors`; a one-page summary of two NIHR studies of management knowledge, one of
them this book's own study and the other a study of informal networks among managers
{cite:p}`nihr2014managementknowledge`; and an article on frontline clinician-managers from the allied
health professions {cite:p}`petchey_frontline`. {numref}`tbl-related-comparison` sets them side by
side. Nothing in this chapter is a finding of the book itself.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import related

chapter = Chapter("related_evidence")
themes = chapter["related_themes"]
studies = chapter["related_studies"]
participants = chapter["sample_participants"]
review = related.review_themes(themes)
per_theme = related.works_per_theme(studies, themes)
chapter.glue("n_review_themes", len(review))
chapter.glue("n_citations", len(studies))
chapter.glue("n_distinct_works", related.distinct_works(studies))
chapter.glue("n_keys", len(related.cited_keys(studies)))
chapter.glue("n_sample", int(participants["count"].sum()))
chapter.glue("n_clinical", int(participants[participants["cohort"] == "clinical"]["count"].sum()))
for row in per_theme.itertuples(index=False):
   chapter.glue(f"works_theme_{row.number}", int(row.works))
"""),
md("""
## Four studies side by side

{numref}`tbl-related-comparison` compares whom each source studied, where and how, and lists its main
themes under our own short labels. The two NIHR studies and Petchey's article look at managers below
board level; the review looks at doctors and managers at board and directorate level. Only this
book's study covers the three groups of clinical, functional and general managers together.
"""),
code("""
comparison = related.comparison_table(themes, int(participants["count"].sum()), participants["trust"].nunique())
chapter.table(comparison, "tbl-related-comparison", "The book's study and three related sources compared",
             note="Sources: the one-page NIHR summary (informal networks study and this book's study), Petchey's "
                  "article, and section 2 of the Nuffield Trust review. Theme labels are ours (data/related_themes.csv); "
                  "the size of this book's sample is taken from Table 3.2 (p. 35).")
""", tags=("remove-input",)),
md("""
## Doctors and managers: the review's themes

{cite:t}`powell2016doctors` reviewed empirical and theoretical work on how doctors and managers in NHS
hospitals see their working relationship, concentrating on UK studies and on the level of medical and
clinical directors. Their section 2 is organised around {glue:text}`n_review_themes` questions, which
we label as follows; the number of works they cite under each is given in brackets.

- **Trajectory of doctor–manager relations** ({glue:text}`works_theme_1` works). The review finds
  little evidence that relations have improved. Studies keep reporting distrust, stereotypes and poor
  communication, and many clinical directors feel shut out of decisions. Good partnerships exist but
  look like exceptions, and doctors are generally judged to have kept much of their power and
  clinical autonomy through successive reforms.
- **Differing perspectives** ({glue:text}`works_theme_2` works). Doctors are described as focused on
  individual patients and their profession, managers on resources, populations and the organisation,
  each group having been trained and socialised apart. Each often casts the other as an adversary,
  even though they share some values, such as putting patients first and disliking political
  interference, which are seldom recognised.
- **How managers manage doctors** ({glue:text}`works_theme_3` works). Managers lack formal authority
  over doctors, whose performance is governed by professional bodies, so they work through influence:
  incentives, clinical champions, sharing credit, informal persuasion, data, careful control of the
  agenda, or leaving contested changes alone. Managers in other countries report much the same.
- **Doctors' responses to management** ({glue:text}`works_theme_4` works). As managerial control has
  grown, doctors have mostly resisted quietly rather than openly, to protect their clinical
  autonomy. The review sorts the tactics into undermining managerial systems, capturing and reshaping
  them from within, and challenging the evidence behind them, and it notes a debate on whether
  medical professionalism is slowly taking on managerial values.
- **Doctor–managers as bridges** ({glue:text}`works_theme_5` works). Most doctors who take on
  management remain doctors first: they often accept the role reluctantly and part time, depend on
  clinical credibility and have little formal power over colleagues. Many feel caught between two
  camps and fully trusted by neither; whether true hybrids are emerging is disputed.
- **Policy context** ({glue:text}`works_theme_6` works). National policy weighs heavily on the
  relationship. The review highlights sustained political and media criticism of NHS managers,
  repeated reorganisation under financial pressure, a long policy effort to limit medical autonomy,
  and the heavy load of NHS management posts, particularly for middle managers.

These six questions overlap, and so do their sources: of the {glue:text}`n_distinct_works` distinct
works, {glue:text}`n_shared_works` are cited under more than one theme
({numref}`fig-related-citations-by-theme`), and {glue:text}`n_recurring` under three or more
({numref}`tbl-related-recurring-works`). The theme on how managers manage doctors draws on the fewest
works and the one on the trajectory of relations on the most.

```{glue:figure} fig-related-citations-by-theme
:name: fig-related-citations-by-theme
:alt: Horizontal stacked bar chart with one bar per theme of the review, in printed order. Each bar is split into a solid blue part for works cited only under that theme and a hatched part for works also cited under another theme; the segments are labelled with their counts. The first two themes have the longest bars and the third the shortest.

Works cited under each theme of the review, split into works cited only there and works also cited
under another theme. Data: section 2 of {cite:t}`powell2016doctors`. Downloads:
{download}`SVG <../figures/fig-related-citations-by-theme.svg>`,
{download}`PNG <../figures/fig-related-citations-by-theme.png>`,
{download}`PDF <../figures/fig-related-citations-by-theme.pdf>`.
```
"""),
code("""
chapter.figure(related.plot_works_per_theme(per_theme), "fig-related-citations-by-theme",
              "Works cited under each theme of the review, cited there only or also under another theme.")
key = studies["ref_key"].where(studies["ref_key"] != "", studies["cited_work"])
chapter.glue("n_shared_works", int((key.groupby(key).size() > 1).sum()))
recurring = related.recurring_works(studies, themes, min_themes=3)
chapter.glue("n_recurring", len(recurring))
"""),
md("""
{numref}`tbl-related-recurring-works` lists the works that the review returns to most often, and
{numref}`tbl-related-studies-by-theme` gives every work cited under each theme, in the order of its
first citation, so that a reader can follow any theme back to its evidence. Each citation links to
the bibliography.
"""),
code("""
chapter.table(recurring, "tbl-related-recurring-works", "Works cited under three or more of the review's themes",
             note="Source: section 2 of the Nuffield Trust review; counts computed from data/related_studies.csv.")
""", tags=("remove-input",)),
code("""
chapter.table(related.studies_by_theme_table(studies, themes), "tbl-related-studies-by-theme",
             "Works cited under each theme of the review of doctor–manager relationships",
             note="Source: section 2 (pp. 7–22) of the Nuffield Trust review; the text copy has no page markers "
                  "inside the section. Theme headings are the review's own questions, kept as labels; short labels "
                  "are ours. Bibliographic details come only from the review's reference list.")
""", tags=("remove-input",)),
md("""
Two points about the transcription of these citations. {glue:text}`n_missing` citation, to
{glue:text}`missing_work` under theme {glue:text}`missing_theme`, has no entry in the review's
reference list, so no bibliographic details can be given for it; it is shown as printed and marked in
the table. And {glue:text}`n_spelling` citation spells its author differently in the text and in the
reference list ({glue:text}`spelling_printed` in the text); the reference list's spelling is used in
the bibliography.
"""),
code("""
missing = related.missing_references(studies)
chapter.glue("n_missing", len(missing))
chapter.glue("missing_work", "; ".join(missing["cited_work"]))
chapter.glue("missing_theme", ", ".join(sorted({t.split("-")[1] for t in missing["theme_id"]})))
spelling = related.spelling_notes(studies)
chapter.glue("n_spelling", len(spelling))
chapter.glue("spelling_printed", "; ".join(spelling["cited_work"]))
"""),
md("""
### What the review means for this study

The review's subject overlaps with the book's clinical managers, a group that includes clinical
directors (book p. 163), and with its picture of middle managers working under political criticism and
constant reorganisation. But the two differ in scope: the review looks mainly at doctors in management
and their relations with senior managers, while clinical managers are only {glue:text}`n_clinical` of the
{glue:text}`n_sample` managers in the book's sample (Table 3.2, p. 35), the rest being functional and
general managers. The review's findings are therefore
background to the book, not a test of it.

## The companion study of informal networks

The NIHR published this book's study {cite:p}`bresnen2014being` alongside a second study of
management knowledge, on informal networks among health-care managers, and summarised both on a single
page {cite:p}`nihr2014managementknowledge`. For this book's study the summary stresses how varied
management is, how differently the clinical, general and functional groups learn and find knowledge,
and how general managers struggled to build a professional identity on a shared body of knowledge,
since their knowledge was mostly learned locally and on the job and they were poorly connected to wider
professional networks.

The networks study looked at health and well-being services in three places in northern England. It
describes middle managers as synthesisers of knowledge: they combine many kinds of information, from
routine data and contract monitoring to research and what colleagues elsewhere report; they reconcile
national policy with local priorities and with what is feasible on the ground, across NHS, local
authority, private and voluntary bodies; and they turn ideas into negotiation and action. Their joint
work shows up in projects that span organisations or that carry an idea through to a new service, and
the study's cluster modelling suggests that manager networks keep relationships, and the knowledge
they hold, going over months and years.

The two studies meet on networks from opposite sides. The networks study shows what managers' informal
networks can achieve; this book's study, summarised in the same note, finds that general managers in
particular had difficulty getting into wider professional networks at all.

## Frontline clinician-managers

{cite:t}`petchey_frontline` reports a year of interviews, observation and shadowing of allied health
professionals who manage services, such as radiographers, physiotherapists and occupational and arts
therapists, in four contrasting NHS settings. His main findings, in our words:

- **Clinical and managerial work intertwined.** Management could not be separated from clinical work:
  clinical demand was so unpredictable that it called for a constant stream of managerial decisions,
  and management always threatened to crowd out everything else.
- **Shared policy pressures, local variation.** All the sites faced the same national pressures,
  including eliminating deficits, large cuts in management costs and efficiency savings, preparing for
  commissioning by general practitioners, and remodelling community services; but local circumstances
  differed, so no single style of clinician-management emerged.
- **A negative climate towards management.** Managers had been recast as a bureaucratic burden and
  clinical leadership promoted instead. Unsettled by repeated reorganisation, the clinician-managers
  avoided the label of manager, distanced themselves from senior managers they saw as remote and
  target-driven, and described their own management as guided by caring, professional values.
- **Traditional views of leadership.** Though many had "lead" in their job titles and had led real
  change, they rarely called themselves leaders, because they associated leadership with exceptional,
  heroic individuals, at odds with their collegial values and with the distributed leadership the
  NHS promotes. Petchey argues that leadership education should start from the complexity of their
  problems, build on what they already achieve and respect different professional cultures.

Petchey's clinician-managers are closest to the book's clinical managers, but they work at the
front line rather than in the middle of their organisations, and they are not doctors. The hostile
climate towards management that they describe echoes the policy context that the review identifies
for doctors and managers.

## Sources

- Powell and Davies, *Doctors and managers* {cite:p}`powell2016doctors`: section 2, the six themes
  (pp. 7–22; no page markers survive within the section), and its reference list for every work cited
  under them.
- NIHR one-page summary {cite:p}`nihr2014managementknowledge` (no page numbers), for both
  NIHR studies; the book's study in full is {cite:t}`bresnen2014being`.
- Petchey's article on frontline clinician-managers {cite:p}`petchey_frontline` (no page numbers).
- Book {cite:p}`bresnen2017managing`: Table 3.2 (p. 35) for the sample size, and p. 163 for clinical
  directors among the clinical managers.
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "related_evidence.ipynb", cells)
