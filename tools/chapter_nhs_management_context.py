"""Authoring script of chapters/nhs_management_context.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-nhs-management-context)=
# The NHS management context

```{admonition} In brief
:class: tip
The book sets its study against the history of NHS reform since the service was founded. Its Table 2.1 divides the years
{glue:text}`first_year` to {glue:text}`last_year` into {glue:text}`n_periods` periods, in which the
prevailing style moves from public administration and consensus management, through general and
then business management, to leadership and finally entrepreneurship. Its Table 2.2 lists
{glue:text}`n_programmes` national management and leadership programmes launched in
{glue:text}`n_programme_years` different years; {glue:text}`n_agencies` national bodies are named as
responsible for them over time, the latest being the NHS Leadership Academy. In {glue:text}`n_conflicts` places the book dates,
names or describes the same thing in two ways, among them the Leadership Qualities Framework
({glue:text}`lqf_year_a` or {glue:text}`lqf_year_b`) and the Nicholson challenge; both readings are
kept and shown.
```

Before describing its own study, {cite:t}`bresnen2017managing` spends a chapter (chapter 2,
pp. 9–23) on the setting in which the managers worked: how successive governments reshaped the NHS
and its management, and how national schemes for training managers, and later leaders, came and
went. This chapter rebuilds the two tables of that account, draws its dates as a single timeline,
and lists the places where the book disagrees with itself. The book offers its history as an
overview and refers readers elsewhere for fuller ones; we follow the book, not the wider policy
record, so only years that the book prints appear below. Events it mentions without a year (for
example Payment by Results, or the Athena Programme for Executive Women) are left off the timeline.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import timeline

chapter = Chapter("nhs_management_context")
periods = chapter["nhs_management_periods"]
programmes = chapter["training_programmes"]
events = chapter["timeline_events"]

eras = timeline.era_years(periods)
chapter.glue("first_year", eras[0][0])
chapter.glue("last_year", eras[-1][1])
chapter.glue("n_periods", len(eras))
chapter.glue("n_programmes", len(programmes))
chapter.glue("n_programme_years", len(timeline.programmes_by_year(programmes)))
chapter.glue("n_agencies", len(timeline.agencies(programmes)))
chapter.glue("n_conflicts", len(timeline.conflicts_table(events, periods, programmes)))
lqf_years = timeline.same_label_different_years(events)["Leadership Qualities Framework"]
chapter.glue("lqf_year_a", lqf_years[0])
chapter.glue("lqf_year_b", lqf_years[-1])
"""),
md("""
## Five periods of NHS management

The book sets out the history of NHS policy as a series of stages, arguing that the overall
direction has been towards a more business-like and, lately, entrepreneurial service (pp. 11–12).
{numref}`tbl-context-management-changes` rebuilds its Table 2.1: for each period, the changes in
how the NHS was managed and the main policy initiatives of the time.
"""),
code("""
chapter.table(timeline.management_changes_table(periods), "tbl-context-management-changes",
              "Periods of change in NHS management, with the main policy initiatives of each",
              note="Source: Table 2.1 (pp. 11–12) of the book. The items of a cell are separated by • and kept "
                   "in printed order. † marks a cell the book prints as a longer descriptive phrase; it is "
                   "given here in our own words. The book sets the two columns side by side but does not "
                   "say which items correspond, so none are paired.")
chapter.glue("n_paraphrased", timeline.paraphrased_items(periods))
boundaries = timeline.shared_boundary_years(periods)
chapter.glue("boundary_a", boundaries[0])
chapter.glue("boundary_b", boundaries[-1])
for name, (start, end) in zip(["admin", "general", "business", "leadership", "entre"], eras):
    chapter.glue(f"era_{name}_start", start)
    chapter.glue(f"era_{name}_end", end)
""", tags=("remove-input",)),
md("""
The periods are printed with shared boundary years: {glue:text}`boundary_a` ends one period and
starts the next, and so does {glue:text}`boundary_b`. The book does not say to which period those
years belong, so we keep the spans as printed and the timeline below shows the one-year overlaps.
{glue:text}`n_paraphrased` of the table's items are given in our own words (marked †).

**Administration ({glue:text}`era_admin_start`–{glue:text}`era_admin_end`).** From the founding of
the NHS in {glue:text}`yr_nhs` the way it was administered stayed largely unchanged, apart from the
reorganization of {glue:text}`yr_reorg`, until general management arrived (pp. 11–12).

**General management ({glue:text}`era_general_start`–{glue:text}`era_general_end`).** The NHS
Management Inquiry led by Roy Griffiths, a supermarket chairman, reported in
{glue:text}`yr_griffiths`. It swept away consensus management in favour of general managers, and
brought management budgets, value-for-money reforms and management training, with a new NHS
Training Authority set up to extend management training, above all to doctors (p. 13). The white paper *Working
for Patients* ({glue:text}`yr_wfp`) became the NHS and Community Care Act in {glue:text}`yr_nhscca`,
which split purchasers from providers and created an internal quasi-market; between
{glue:text}`yr_trusts_start` and {glue:text}`yr_trusts_end` every provider became an NHS trust,
and some GPs held budgets of their own (p. 13).

**Business management ({glue:text}`era_business_start`–{glue:text}`era_business_end`).** The
incoming Labour government's *The New NHS: Modern, Dependable* ({glue:text}`yr_new_nhs`) dismantled
the internal market and GP fund holding and ran the service centrally, through national targets and
star ratings (p. 14). Health policy was devolved to Scotland, Wales and later Northern Ireland from
{glue:text}`yr_devolution`, which is why the book concentrates on England (pp. 13–14). NICE was set
up in {glue:text}`yr_nice` to decide which treatments the NHS would adopt, and the NHS Plan of
{glue:text}`yr_plan` promised a large rise in spending. Later in the period the direction turned
back towards markets: patient choice, competition between providers, and Foundation Trusts, whose
first wave came in {glue:text}`yr_ft` (p. 14). Table 2.1 also lists *Agenda for Change*, agreed in
{glue:text}`yr_afc` and applied across the country in {glue:text}`yr_afc_national`.

**Leadership ({glue:text}`era_leadership_start`–{glue:text}`era_leadership_end`).** The Darzi review
({glue:text}`yr_darzi`) set out a new long-term plan, soon overtaken by the financial crisis. From
{glue:text}`nich_text_start` the NHS had to find large efficiency savings under what was called the
Nicholson challenge, replaced in {glue:text}`yr_fyfv` by the *Five Year Forward View* (p. 15). The
coalition's white paper *Liberating the NHS* ({glue:text}`yr_liberating`) led to the Health and
Social Care Act of {glue:text}`yr_hsca`, which removed Primary Care Trusts and Strategic Health
Authorities, handed much commissioning to new Clinical Commissioning Groups and opened services to
any qualified provider (p. 15).

**Entrepreneurship ({glue:text}`era_entre_start`–{glue:text}`era_entre_end`).** With competition
for contracts, provider managers were expected to act as entrepreneurs (p. 15). The Francis Report
of {glue:text}`yr_francis`, on the failings of care at Mid Staffordshire, faulted senior managers
for putting financial targets before the quality of care and added to the pressure on managers
(p. 16).

The book draws lessons for managers from this history. Managers matter in a very large and
complex service (p. 10, citing {cite:t}`kingsfund2011future`), yet they have been an easy target
for cuts, and each reform has added to their work: the book reproduces a list of new workloads from
{cite:t}`buchanan2013they` (p. 17), while the number of managers has been falling (pp. 16–17).
"""),
code("""
YEARS = {"yr_nhs": "policy_1948_nationalization_of_health", "yr_reorg": "policy_1974_nhs_reorganization",
         "yr_griffiths": "policy_1983_griffiths_report", "yr_wfp": "policy_1989_working_for_patients",
         "yr_nhscca": "policy_1990_nhs_and_community_care_act",
         "yr_trusts_start": "policy_1991_all_providers_become_nhs_trusts",
         "yr_new_nhs": "policy_1997_new_nhs_modern_dependable",
         "yr_devolution": "policy_1999_health_devolution_scotland_wales_later_northern_ireland",
         "yr_nice": "policy_1999_national_institute_for_clinical_excellence_nice",
         "yr_plan": "policy_2000_nhs_plan", "yr_ft": "policy_2004_first_wave_of_foundation_trusts",
         "yr_afc": "policy_1999_agenda_for_change",
         "yr_afc_national": "policy_2004_agenda_for_change_implemented_nationally",
         "yr_darzi": "policy_2008_darzi_review", "yr_fyfv": "policy_2014_five_year_forward_view",
         "yr_liberating": "policy_2010_liberating_the_nhs", "yr_hsca": "policy_2012_health_and_social_care_act",
         "yr_francis": "policy_2013_francis_report", "yr_inspiring": "policy_2009_inspiring_leaders",
         "yr_hlm": "policy_2013_healthcare_leadership_model"}
for name, event_id in YEARS.items():
    chapter.glue(name, timeline.event_year(events, event_id))
chapter.glue("yr_trusts_end", timeline.event_year(events, "policy_1991_all_providers_become_nhs_trusts", "end_year"))
nicholson = timeline.nicholson_readings(events, periods)
for key in ("text_start", "text_end", "table_period"):
    chapter.glue(f"nich_{key}", nicholson[key])
chapter.glue("nich_overlap_start", nicholson["overlap"][0])
chapter.glue("nich_overlap_end", nicholson["overlap"][1])
"""),
md("""
## Training managers, then leaders

From the first intake of a national training scheme in September {glue:text}`scheme_year`
onwards, the book traces repeated overhauls of what NHS management development taught, where it was
delivered and what it achieved, while its basic purpose changed little (pp. 18–19). In
{glue:text}`scheme_aims_year` the scheme was meant to produce well-prepared administrators who could
later fill senior posts; in {glue:text}`yr_academy` the new NHS Leadership Academy wanted leaders of
any professional origin who could run high-performing organizations while living up to the values of
the NHS (p. 19). Over those years responsibility for developing managers swung between the regions and the
centre, and the vocabulary moved from administration to management to leadership, a shift the book
reads, with {cite:t}`learmonth2005doing`, as a change in the basis on which NHS managers claim to be
professional (p. 19). {numref}`tbl-context-training-programmes` rebuilds Table 2.2.
"""),
code("""
chapter.table(timeline.training_programmes_table(programmes), "tbl-context-training-programmes",
              "Key national NHS management and leadership training programmes",
              note="Source: Table 2.2 (pp. 18–19) of the book; the last column is from the chapter text "
                   "(p. 21). Every year is printed as an open start, so no programme has a printed end. The "
                   "first row prints several agencies (joined with ;). The third row prints no agency: the "
                   "agency cell above it may span it, but the text copy cannot show that, so none is given. "
                   "‡ marks an award the text states differently from the table.")
scheme = timeline.scheme_1956(programmes, events)
chapter.glue("scheme_year", scheme["start_year"])
chapter.glue("scheme_aims_year", scheme["aims_year"])
chapter.glue("scheme_table_name", scheme["table_name"])
chapter.glue("scheme_text_name", scheme["text_name"])
counts = timeline.programmes_by_year(programmes)
PROGRAMME_YEARS = {"yr_gmts": "1986_graduate_management_training_scheme",
                   "yr_training_authority": "1983_national_management_training_scheme",
                   "yr_directorate": "1993_national_management_development_programme",
                   "yr_centre": "2002_breaking_through", "yr_council": "2009_top_leaders",
                   "yr_academy": "2012_foundation_programme"}
for name, programme_id in PROGRAMME_YEARS.items():
    chapter.glue(name, timeline.programme_year(programmes, programme_id))
chapter.glue("n_centre", counts[timeline.programme_year(programmes, "2002_breaking_through")])
chapter.glue("n_council", counts[timeline.programme_year(programmes, "2009_top_leaders")])
chapter.glue("n_academy", counts[timeline.programme_year(programmes, "2012_foundation_programme")])
""", tags=("remove-input",)),
md("""
After the first scheme, the NHS Training Authority ran a national management training scheme from
{glue:text}`yr_training_authority`, and the Graduate Management Training Scheme began in
{glue:text}`yr_gmts`; the book notes that it still keeps the shape set then, combining study for an
MSc with rotating placements in NHS organizations (p. 20). An NHS Training Directorate took over
from {glue:text}`yr_directorate`. From {glue:text}`yr_centre` the NHS Leadership Centre ran
{glue:text}`n_centre` programmes, including programmes meant to widen who becomes a senior manager:
*Breaking Through*, for Black and Minority Ethnic staff, and *Gateway to Leadership*, for senior
managers recruited from outside the NHS (p. 20).

The Department of Health's *Inspiring Leaders* ({glue:text}`yr_inspiring`) pushed responsibility
for leadership development down to regional employers, under a new NHS Leadership Council, which
ran {glue:text}`n_council` programmes from {glue:text}`yr_council` (pp. 19–20). The Council was
short-lived: once the reforms that led to the Health and Social Care Act began to abolish the bodies
that hosted leadership development, a new NHS Leadership Academy took its place, bringing
development back to a single national structure with unprecedented investment (pp. 20–21);
Table 2.2 dates the Academy's programmes from {glue:text}`yr_academy`. The Academy started with {glue:text}`n_academy` core
programmes, for aspiring, mid-career and senior leaders, which the text names after Mary Seacole,
Elizabeth Garrett Anderson and Nye Bevan (p. 21). The book sees in this the spread of a market and
corporate logic and of a language of leadership that can be applied to almost anyone, and notes
that the Academy, though the largest provider, holds no monopoly: regional partners and individual
organizations run programmes too (pp. 21–22). The leadership frameworks behind these programmes
changed as well, the last of them being the Healthcare Leadership Model of {glue:text}`yr_hlm`
(p. 22).
"""),
md("""
## The whole period on one timeline

{numref}`fig-context-timeline` puts the eras of Table 2.1, the policy initiatives named in the table
or the text, and the national training programmes on one time axis. Of the
{glue:text}`n_events` events drawn, {glue:text}`n_open` were printed with a start year only (every
programme in Table 2.2, and the devolution of health policy); they are drawn as bars that fade out
with an arrow, because the book gives no end. Years printed in a table and years found only in the
text are told apart by filled and hollow markers, and the events the book dates in two ways are
outlined in vermilion.

```{glue:figure} fig-context-timeline
:name: fig-context-timeline
:alt: A tall timeline chart with years along the horizontal axis, from the founding of the NHS to the end of the book's last period, and one labelled row per event in three groups. At the top, the management eras of Table 2.1 are consecutive horizontal bars (public administration and consensus management, general management, business management, leadership, entrepreneurship), neighbouring bars overlapping by one year where the book prints a shared boundary year, with light bands for the same eras behind the whole chart. The middle group has one diamond per policy initiative, from the nationalization of health to the Five Year Forward View, most of them crowded into the later years; filled diamonds are years printed in Table 2.1, hollow ones years found only in the text. Some policy rows are bars: all providers becoming NHS trusts, the Nicholson challenge (with a hatched box behind it showing the later period in which Table 2.1 lists it) and the devolution of health policy, which fades out to the right. The Leadership Qualities Framework appears twice, at two different years, both outlined and labelled in vermilion. The bottom group shows the national training programmes of Table 2.2 as bars that fade out to the right and end in an arrow, because the book prints no end year, starting in successive waves from the first national scheme to the Leadership Academy programmes, plus a hollow marker for the first intake of the NHS Management Training Scheme. Every event and its printed years are also listed in the table that follows the figure.

Management eras, policy initiatives and national training programmes, as dated in chapter 2 of
{cite:t}`bresnen2017managing`. Only printed years are used; fading bars have no printed end;
vermilion outlines mark events the book dates two ways. Data: Tables 2.1 and 2.2 and the chapter
text (pp. 9–23). Downloads: {download}`SVG <../figures/fig-context-timeline.svg>`,
{download}`PNG <../figures/fig-context-timeline.png>`, {download}`PDF <../figures/fig-context-timeline.pdf>`.
```
"""),
code("""
rows = timeline.timeline_rows(events)
chapter.glue("n_events", len(rows))
chapter.glue("n_open", int(rows["open_ended"].sum()))
chapter.figure(timeline.timeline_figure(events, periods), "fig-context-timeline",
               "Management eras, policy initiatives and training programmes in the NHS, as dated in chapter 2 of the book.")
"""),
md("""
{numref}`tbl-context-timeline-events` lists the same events with their years as printed and where
each year comes from.
"""),
code("""
chapter.table(timeline.timeline_events_table(events), "tbl-context-timeline-events",
              "The events of the timeline, with their printed years",
              note="Source: Tables 2.1 and 2.2 and the text of chapter 2 of the book. *Year from*: the table that "
                   "prints the year, the text, or a label from Table 2.1 with its year from the text. A year "
                   "followed by a dash is an open start (no end printed). † our own wording of a descriptive "
                   "phrase; ‡ an event the book dates two ways (see below).")
""", tags=("remove-input",)),
md("""
## Where the book gives two values

The transcription keeps both values wherever the book contradicts itself; {numref}`tbl-context-conflicts`
lists them and the paragraphs below say what each disagreement does and does not settle.
"""),
code("""
chapter.table(timeline.conflicts_table(events, periods, programmes), "tbl-context-conflicts",
              "Places where chapter 2 of the book dates, names or describes the same thing in two ways",
              note="Source: Tables 2.1 and 2.2 and the text of chapter 2 of the book; pages as located in the "
                   "text copy (they may be off by one). Both readings are kept in the data and in the figure.")
awards = timeline.award_conflicts(programmes).iloc[0]
chapter.glue("award_programme", awards["name"])
chapter.glue("award_alias", awards["text_alias"])
chapter.glue("award_table", awards["award"])
chapter.glue("award_text", awards["text_award"])
""", tags=("remove-input",)),
md("""
- **Leadership Qualities Framework.** One passage says the NHS Leadership Centre created it in
  {glue:text}`lqf_year_a`, to underpin the diversity programmes of the early Modernization Agenda
  (p. 20); a later passage says it was introduced in {glue:text}`lqf_year_b` and replaced in
  {glue:text}`yr_hlm` by the Healthcare Leadership Model (p. 22). The endnote attached to the later
  passage links to a document of the NHS Leadership Framework, so the later passage may be
  describing a successor under the older name, but the book does not say so. Both years are drawn.
- **The first national scheme.** Table 2.2 calls the scheme that began in {glue:text}`scheme_year`
  the {glue:text}`scheme_table_name`; the text speaks of the first intake of the
  {glue:text}`scheme_text_name` in September of the same year, and quotes that scheme's aims as of
  {glue:text}`scheme_aims_year` (pp. 18–19). Probably the two names refer to one scheme, but the
  book never says so, and it gives no start year for a scheme whose aims predate its first intake.
  The timeline keeps both rows.
- **The Nicholson challenge.** The text dates the efficiency drive from {glue:text}`nich_text_start`
  until the *Five Year Forward View* replaced it in {glue:text}`nich_text_end` (p. 15), whereas
  Table 2.1 lists it among the management changes of the {glue:text}`nich_table_period` period
  (p. 12). The two overlap only in {glue:text}`nich_overlap_start`–{glue:text}`nich_overlap_end`.
  The table may be recording when the savings bore on managers rather than when they were set, but
  it does not say; the figure shows the text's span with the table's period hatched behind it.
- **The Foundation programme's award.** Table 2.2 gives the award of the {glue:text}`award_programme`
  as a {glue:text}`award_table`; the text, calling it the {glue:text}`award_alias` programme, says it
  leads to a {glue:text}`award_text` (pp. 19, 21).

Smaller inconsistencies change no date: the text spells the namesake of the mid-career
programme both Garrett and Garratt (p. 21), and it calls the Act of {glue:text}`yr_hsca` a Bill in
one passage (p. 20).

## Sources

Book chapter 2, "Contextualizing Healthcare Management" {cite:p}`bresnen2017managing`: the
introduction and the account of managers' place in the NHS (pp. 9–11), Table 2.1 (pp. 11–12), the
reforms from the Griffiths inquiry to the Francis Report (pp. 12–16), the consequences for managers
(pp. 16–18), Table 2.2 (pp. 18–19) and the history of management and leadership development
(pp. 18–23). The book's own sources named above are {cite:t}`kingsfund2011future` (p. 10),
{cite:t}`buchanan2013they` (p. 17) and {cite:t}`learmonth2005doing` (p. 19). Pages are located from
the surviving running heads of the source text and may be off by one.
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "nhs_management_context.ipynb", cells)
