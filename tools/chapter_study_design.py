"""Authoring script of chapters/study_design.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-study-design)=
# Study design: the trusts, the cohorts and the data

```{admonition} In brief
:class: tip
The study compared {glue:text}`n_trusts` contrasting NHS foundation trusts: a large Acute trust
({glue:text}`workforce_acute` staff), a geographically scattered Care trust and a small Specialist
cancer trust ({glue:text}`workforce_specialist` staff). Managers were chosen with a framework that
sorts roles by clinical and managerial orientation into three cohorts; the book's diagram survives
only as labels, and its text places just {glue:text}`n_roles_placed` of the {glue:text}`n_roles`
role labels in a cohort. The team recorded {glue:text}`total_formal` formal interviews, held
{glue:text}`total_informal` informal ones and observed for {glue:text}`total_hours` hours; the
formal interviews at each trust match the sample exactly. The book contradicts itself on the
Specialist trust's money: turnover of £{glue:text}`turnover_specialist`m in its comparison table,
revenue of around £{glue:text}`revenue_specialist`m in its description of the trust.
```

This chapter rebuilds the design of the study from chapter 3 of {cite:t}`bresnen2017managing`: the
three trusts chosen as cases, the framework used to pick managers within them, and the interviews
and observation that make up the data. The NIHR report {cite:p}`bresnen2014being` gives the full
procedures. Everything below is computed from the transcribed cells in `data/`; the totals the book
prints are used only to check the computations.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import study_design as design

chapter = Chapter("study_design")
characteristics = chapter["trust_characteristics"]
comparison = chapter["trust_comparison"]
axes = chapter["cohort_framework_axes"]
roles = chapter["cohort_roles"]
collected = chapter["data_collected"]
participants = chapter["sample_participants"]
printed_totals = chapter["printed_totals"]
"""),
md("""
## The three trusts

The authors chose a comparative case design: a few organizations studied in depth, picked to differ
as much as possible in the services they provide and so in the knowledge and networks open to their
managers. All {glue:text}`n_trusts` were NHS foundation trusts in the north-west of England: an
Acute trust offering a general hospital service to its locality, a Care trust delivering mental health
and community services, and a Specialist trust providing cancer treatment and care
{cite:p}`bresnen2017managing` (p. 32). {numref}`tbl-design-trust-characteristics` shows how the book
rated them before fieldwork began, on {glue:text}`n_characteristics` characteristics.
"""),
code("""
chapter.table(design.trust_characteristics_table(characteristics), "tbl-design-trust-characteristics",
              "Comparison of trust characteristics",
              note="Source: Table 3.1 (p. 32), cells as printed. The first four columns are rated "
                   "Low / Medium / High; the last two are short descriptive terms.")
chapter.glue("n_trusts", int(characteristics["trust"].nunique()))
chapter.glue("n_characteristics", int(characteristics["characteristic"].nunique()))
""", tags=("remove-input",)),
md("""
The ratings make the three trusts near mirror images of one another. The Acute trust offered the
widest range of services but from few sites, to a local area and mostly to one commissioner; the
Specialist trust offered a narrow range, also from few sites, but to patients and purchasers spread
over a region and beyond; the Care trust sat in the middle on most ratings and stood out for its many
locations. The authors expected managers' sources of knowledge to follow suit: varied by specialism
at the Acute trust, concentrated on one clinical field at the Specialist trust (p. 32). They stress
that these ratings are broad a priori judgements. One small nuance: the prose calls the Care
trust's services a diverse range, while the table rates its diversity only Medium.

{numref}`tbl-design-trust-comparison` is the book's closing summary of the trusts, written after
fieldwork (Table 3.7). Its descriptive cells are given here in our own words, not the book's.
"""),
code("""
as_printed = design.text_cells_as_printed(comparison)
kept = "; ".join(f"{trust} trust, {aspect}" for trust, aspect in as_printed)
chapter.table(design.trust_comparison_table(comparison), "tbl-design-trust-comparison",
              "Comparison of the three trusts: structure, culture and context",
              note="Source: Table 3.7 (p. 41). Workforce (head count) and turnover are as printed. "
                   "Descriptive cells are our paraphrases of the printed text, except the short phrase "
                   f"kept as printed ({kept}).")
workforce = design.measure(comparison, "workforce")
turnover = design.measure(comparison, "turnover")
for trust in workforce:
    chapter.glue(f"workforce_{trust}", f"{workforce[trust]:,.0f}")
    chapter.glue(f"turnover_{trust}", int(turnover[trust]))
chapter.glue("workforce_ratio", workforce["acute"] / workforce["specialist"])
""", tags=("remove-input",)),
md("""
### Size, and two money figures that do not match

{numref}`fig-design-trust-size` sets the two numeric rows of Table 3.7 side by side. The Acute and
Care trusts were of similar size ({glue:text}`workforce_acute` and {glue:text}`workforce_care`
staff); the Specialist trust had {glue:text}`workforce_specialist`, so the Acute trust employed
{glue:text}`workforce_ratio:.1f` times as many people. The staff numbers in the book's prose
descriptions of the trusts agree with the table.

The money figures do not all agree ({numref}`tbl-design-money-conflicts`). The prose gives the Acute
trust an annual budget of around £{glue:text}`prose_acute`m (p. 43), close to the
£{glue:text}`turnover_acute`m turnover in the table; a budget and a turnover need not be the same
thing, and the prose figure is rounded, so this is at most a small inconsistency. The Specialist
trust is another matter: the prose gives its annual revenue as around £{glue:text}`prose_specialist`m
(p. 50), whereas the table prints a turnover of £{glue:text}`turnover_specialist`m, a gap of
£{glue:text}`gap_specialist`m. Revenue and turnover would normally describe the same income, and
the book offers no way to tell which figure is right, so both are kept and both are drawn, the prose
figure as a hatched bar marked as text. The choice matters: per member of staff, the table's figure
gives the Specialist trust about £{glue:text}`per_staff_specialist:.0f` thousand a year (against
£{glue:text}`per_staff_acute:.0f` thousand at the Acute trust and
£{glue:text}`per_staff_care:.0f` thousand at the Care trust), while the prose figure would give
about £{glue:text}`per_staff_specialist_prose:.0f` thousand. These ratios are derived here; the book
prints none of them.
"""),
code("""
conflicts = design.money_conflicts(comparison)
chapter.table(design.money_conflicts_table(conflicts), "tbl-design-money-conflicts",
              "Money figures in the prose descriptions of the trusts, beside the Table 3.7 turnover",
              note="Source: Table 3.7 (p. 41) and the trust descriptions (p. 43 and p. 50). The prose "
                   "figures are printed as approximate ('around'). Both values are kept; neither is corrected.")
by_trust = conflicts.set_index("trust")
for trust, row in by_trust.iterrows():
    chapter.glue(f"prose_{trust}", int(row["prose_value"]))
chapter.glue("revenue_specialist", int(by_trust.loc["specialist", "prose_value"]))
chapter.glue("gap_specialist", int(by_trust.loc["specialist", "difference"]))
per_staff = design.turnover_per_staff(comparison)
for trust, value in per_staff.items():
    chapter.glue(f"per_staff_{trust}", value)
chapter.glue("per_staff_specialist_prose",
             1000 * float(by_trust.loc["specialist", "prose_value"]) / workforce["specialist"])
""", tags=("remove-input",)),
md("""
```{glue:figure} fig-design-trust-size
:name: fig-design-trust-size
:alt: Two bar charts. Left: workforce by trust, with the Acute and Care trusts at roughly five and a half thousand staff each and the Specialist trust at two and a half thousand. Right: turnover by trust from Table 3.7 as solid bars (Acute highest, Care next, Specialist lowest); beside the Acute and Specialist bars stand hatched grey dashed bars labelled as text figures, the Acute annual budget from the prose slightly below its table turnover and the Specialist annual revenue from the prose far above its table turnover. The Care trust has no prose figure.

Workforce and turnover of the three trusts as printed in Table 3.7 (solid bars), with the money
figures given in the prose descriptions of the Acute trust (annual budget, p. 43) and the Specialist
trust (annual revenue, p. 50) drawn apart as hatched bars: they are text figures, printed as
approximate, and are not merged with the table. Data: Table 3.7, p. 43 and p. 50 of
{cite:t}`bresnen2017managing`. Downloads: {download}`SVG <../figures/fig-design-trust-size.svg>`,
{download}`PNG <../figures/fig-design-trust-size.png>`, {download}`PDF <../figures/fig-design-trust-size.pdf>`.
```
"""),
code("""
chapter.figure(design.trust_size_figure(comparison), "fig-design-trust-size",
               "Workforce and turnover by trust (Table 3.7), with the prose money figures drawn apart.")
"""),
md("""
## The managerial cohort framework

Who counts as a middle manager in the NHS is not obvious: job titles vary between and within trusts,
and many people with management duties are not called managers. The study therefore meant to
include anyone with a real middle-management role, clinicians and functional specialists as well as
general managers, and built a framework to pick them (pp. 33–34). The framework, the book's
Figure 3.1, places managers on a two-dimensional map whose axes are the strength of their clinical
and of their managerial orientation, and groups them into three broad cohorts, Functional, General
and Clinical, with specific healthcare roles located inside them. The authors present the
boundaries between the cohorts as blurred, the general managers in particular mixing clinical and
managerial experience, and say that the framework was checked against the literature and in early
interviews with key informants from national and regional bodies (pp. 33–35). Sampling then aimed
at a similar number of managers in each cohort of each trust; {glue:text}`n_clinical` clinical,
{glue:text}`n_functional` functional and {glue:text}`n_general` general managers were interviewed
(Table 3.2, p. 35).

The diagram did not survive in the copy of the book used here: only its words did. They are the two
axis labels, some end labels, the three cohort headings and {glue:text}`n_roles` role labels
({glue:text}`n_roles_alt` if the long health and safety label is read as two). Where each label sat
is lost, and the figure's caption and surrounding prose do not list which roles belong to which
cohort. Elsewhere, though, the book ties {glue:text}`n_roles_placed` of the roles to a cohort:
{glue:text}`n_roles_functional` functional specialisms (estates, IT, HR and finance, p. 127), the
service manager as a general role (p. 154) and the clinical director as a clinical role (p. 163).
The other {glue:text}`n_roles_unplaced` are left unplaced ({numref}`tbl-design-cohort-roles`).
"""),
code("""
chapter.table(design.cohort_roles_table(roles), "tbl-design-cohort-roles",
              "Role labels of the managerial cohort framework and the region the book's text gives them",
              note="Source: labels from Figure 3.1 (p. 34); regions only where the book's prose elsewhere "
                   "ties a role to a cohort (page given). 'Not determined': the book does not say.")
placed = design.placed_roles(roles)
chapter.glue("n_roles", len(roles))
chapter.glue("n_roles_alt", len(roles) + 1)
chapter.glue("n_roles_placed", len(placed))
chapter.glue("n_roles_unplaced", len(design.unplaced_roles(roles)))
chapter.glue("n_roles_functional", int((placed["cohort"] == "functional").sum()))
for cohort, n in participants.groupby("cohort")["count"].sum().items():
    chapter.glue(f"n_{cohort}", int(n))
""", tags=("remove-input",)),
md("""
{numref}`fig-design-cohort-framework` redraws the framework from these data. It is a schematic, not a
copy. The three regions are laid out along the clinical axis, Functional at the low end, Clinical at
the high end and General between them and overlapping both; that order follows the book's account
of who the groups are and the order in which the headings come out of the text, but the original
shapes and extents are unknown, so the regions are drawn across the whole height of the managerial
axis. Inside a region, a role's position is arbitrary: the labels are simply stacked. The
assignment of the surviving Low and High end labels to the axes is also our reading of a damaged
extraction; only one Low survives, so the managerial axis is shown without a low end.

```{glue:figure} fig-design-cohort-framework
:name: fig-design-cohort-framework
:alt: Schematic diagram with clinical orientation on the horizontal axis (Low at the left, High at the right) and managerial orientation on the vertical axis (High at the top). Three overlapping rounded regions run from left to right, Functional, General and Clinical. The Functional region holds the roles Estates, IT, HR and Finance, the General region holds Service Manager, and the Clinical region holds Clinical Director, each with the page of the book's text that places it. A note says positions inside a region are schematic. A grey dashed box at the right, headed as unplaced, lists the eight roles whose region the book does not determine, among them Lead Nurse, Modern Matron, General Manager and Associate Director.

The managerial cohort framework (book Figure 3.1) redrawn as a schematic: regions and positions
within them are not measured. A role sits in a region only where the book's text places it
(page shown); the roles whose region the book does not determine are listed apart. Data: Figure 3.1
(p. 34), p. 127, p. 154 and p. 163 of {cite:t}`bresnen2017managing`. Downloads:
{download}`SVG <../figures/fig-design-cohort-framework.svg>`,
{download}`PNG <../figures/fig-design-cohort-framework.png>`,
{download}`PDF <../figures/fig-design-cohort-framework.pdf>`.
```
"""),
code("""
chapter.figure(design.cohort_framework_figure(roles, axes), "fig-design-cohort-framework",
               "The managerial cohort framework (Figure 3.1) redrawn as a schematic, with unplaced roles apart.")
"""),
md("""
## The data collected

The main data are semi-structured interviews of one to two hours, recorded and transcribed, held at
each trust by at least two members of the team, after earlier interviews with key informants. Where
those present agreed, the team also observed management meetings and training events, taking
structured notes; the observations were used to set the interviews in context rather than coded
like them (pp. 39–40). {numref}`tbl-design-data-collected` regenerates the book's summary, Table 3.6,
with the totals computed from its cells.
"""),
code("""
chapter.table(design.data_collected_table(collected), "tbl-design-data-collected",
              "Interviews and observation, by group",
              note="Source: Table 3.6 (p. 40). Each observation cell is printed as hours over days and is "
                   "split into two columns here. The Total row and the all-interviews column are computed "
                   "here; the book prints totals for formal and informal interviews and for observation "
                   "hours, all equal to these sums, and no total of observation days.")
wide = design.data_collected_wide(collected)
for measure in design.MEASURES:
    chapter.glue(f"total_{measure.split('_', 1)[1]}", int(wide.loc[design.TOTAL, measure]))
chapter.glue("key_informants_formal", int(wide.loc["key_informants", "interviews_formal"]))
checks = design.printed_total_checks(printed_totals, chapter.evaluate, "Table 3.6")
chapter.glue("n_printed_totals", len(checks))
chapter.glue("n_printed_totals_agree", int(checks["agrees"].sum()))
chapter.glue("informal_care", int(wide.loc["care", "interviews_informal"]))
chapter.glue("informal_specialist", int(wide.loc["specialist", "interviews_informal"]))
""", tags=("remove-input",)),
md("""
In all the team recorded {glue:text}`total_formal` formal interviews, {glue:text}`key_informants_formal`
of them with key informants, and held {glue:text}`total_informal` informal interviews, all at the
Care ({glue:text}`informal_care`) and Specialist ({glue:text}`informal_specialist`) trusts. It spent
{glue:text}`total_hours` hours observing, spread over {glue:text}`total_days` days; the book prints
the hours total but not the days, which are summed here. Of the {glue:text}`n_printed_totals`
totals the book prints under Table 3.6, {glue:text}`n_printed_totals_agree` equal the sums of the
cells.

The formal interviews at each trust are the study's sample: at every trust the number of formal
recorded interviews equals the number of managers interviewed in Table 3.2
({glue:text}`n_formal_match` of {glue:text}`n_trusts` trusts agree; {glue:text}`formal_trusts` interviews
against {glue:text}`sample_total` managers). Only the key informants' interviews come on top of the
sample. {numref}`fig-design-data-collected` draws the table by group.

```{glue:figure} fig-design-data-collected
:name: fig-design-data-collected
:alt: Two horizontal bar charts sharing the groups Key informants, Acute, Care and Specialist. Left: formal recorded interviews as solid bars, with informal interviews added as hatched segments for the Care and Specialist trusts only; the Care trust has the most interviews. Right: hours of observation per group, each bar labelled with the hours and the number of days; the Care trust was observed longest and the key informants least.

Interviews (formal recorded and informal) and hours of observation by group, each observation bar
labelled with the number of days it was spread over. Data: Table 3.6 of
{cite:t}`bresnen2017managing`. Downloads: {download}`SVG <../figures/fig-design-data-collected.svg>`,
{download}`PNG <../figures/fig-design-data-collected.png>`,
{download}`PDF <../figures/fig-design-data-collected.pdf>`.
```
"""),
code("""
match = design.formal_interviews_vs_sample(collected, participants)
chapter.glue("n_formal_match", int(match["agrees"].sum()))
chapter.glue("formal_trusts", int(match["formal_interviews"].sum()))
chapter.glue("sample_total", int(match["sample"].sum()))
chapter.figure(design.data_collected_figure(collected), "fig-design-data-collected",
               "Interviews and observation hours by group (Table 3.6).")
"""),
md("""
## Sources

Book chapter 3 {cite:p}`bresnen2017managing`: the choice of trusts and Table 3.1 (p. 32); the cohort
framework, Figure 3.1 and its prose (pp. 33–35); Table 3.2 (p. 35); data collection and Table 3.6
(pp. 39–40); Table 3.7 (p. 41); the descriptions of the Acute trust (p. 43) and the Specialist trust
(p. 50). The cohort placements come from chapter 6 (p. 127), chapter 7 (p. 154) and chapter 8 (p. 163). Pages are
located from the surviving running heads of the source text and may be off by one.
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "study_design.ipynb", cells)
