"""Authoring script of chapters/appendix_reproducibility.ipynb (run it, then execute the notebook).

The section on ambiguous sources uses modules written for other chapters; a module that does not
exist when this script runs is left out of the notebook (see AVAILABLE below).
"""
import importlib.util
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import code, md, write  # noqa: E402

AVAILABLE = {name: importlib.util.find_spec(f"nhsreport.{name}") is not None
             for name in ("qualifications", "training_allocations", "voices")}

cells = [
md("""
(chap-appendix-reproducibility)=
# Reproducibility: regenerated versus published

```{admonition} In brief
:class: tip
Every table in this book is rebuilt from the transcribed cells. All {glue:text}`appx_n_totals`
totals printed in the book agree with the sums of those cells
({glue:text}`appx_n_totals_flagged` are flagged as errors of the source), and all
{glue:text}`appx_n_rules` rules tying tables together hold. Of the {glue:text}`appx_n_claims`
numbers in the book's prose, {glue:text}`appx_n_checkable` can be checked against a table:
{glue:text}`appx_n_agrees` agree exactly, {glue:text}`appx_n_rounded` agree after rounding and
{glue:text}`appx_n_contradicts` contradict the tables (the Specialist trust's revenue and the
share of Care trust managers with a clinical background). The other
{glue:text}`appx_n_unchecked` cannot be checked, mostly because no table holds them. The data
files, package versions and the notebook behind every output are listed at the end.
```

This appendix compares what the book {cite:p}`bresnen2017managing` prints with what this report
regenerates. It does so in three ways: cell by cell for the tables, claim by claim for the numbers
in the prose, and reading by reading for the sources that are damaged or ambiguous. It ends with a
record of how the book you are reading was made. Everything here is computed when the notebook runs;
nothing is typed in by hand.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import build_record, claims, provenance

chapter = Chapter("appendix_reproducibility")
data = chapter.data

totals = claims.totals_checks(data)
rules = claims.cross_table_checks(data)
verdicts = claims.claim_verdicts(data)
counts = verdicts["verdict"].value_counts()

chapter.glue("appx_n_totals", len(totals))
chapter.glue("appx_n_totals_agree", int(totals["agrees"].sum()))
chapter.glue("appx_n_totals_flagged", int(totals["source_discrepancy"].sum()))
chapter.glue("appx_n_tables", int(totals["locator"].nunique()))
chapter.glue("appx_n_rules", len(rules))
chapter.glue("appx_n_rules_hold", int((rules["Holds"] == "yes").sum()))
chapter.glue("appx_n_claims", len(verdicts))
chapter.glue("appx_n_checkable", int((verdicts["verdict"] != claims.UNCHECKABLE).sum()))
for key, verdict in (("agrees", claims.AGREES), ("rounded", claims.ROUNDED),
                     ("contradicts", claims.CONTRADICTS), ("unchecked", claims.UNCHECKABLE)):
    chapter.glue(f"appx_n_{key}", int(counts.get(verdict, 0)))
"""),
md("""
## Tables, cell by cell

Every table of this book is regenerated from the cells transcribed into `data/`, never from the
totals the book prints. Those printed totals are kept only to test the regeneration: a table whose
cells add up to every total the book prints for it has been transcribed and rebuilt faithfully.
{numref}`tbl-appendix-totals-summary` gives the result for each printed table. Of the
{glue:text}`appx_n_totals` printed totals in {glue:text}`appx_n_tables` places,
{glue:text}`appx_n_totals_agree` agree with the recomputed sums. A total that the book itself gets
wrong would be kept, flagged and counted in the last column rather than corrected; there are
{glue:text}`appx_n_totals_flagged` such totals.

Some facts are printed in more than one table. The rules that tie tables together (the gender and
age cells of each trust and group add up to the sample of Table 3.2, the ethnicity counts cover the
whole sample, and so on) are checked as well: {glue:text}`appx_n_rules_hold` of
{glue:text}`appx_n_rules` hold. Together, agreement of the totals and of these rules is what
"cell agreement" means here: the regenerated tables contain exactly the transcribed cells, so any
error would have to show up in a sum.
"""),
code("""
chapter.table(claims.totals_summary(totals), "tbl-appendix-totals-summary",
              "Printed totals compared with the sums recomputed from the cells, per printed table",
              note="Source: every total printed in the book's tables (and one count given in the text "
                   "of chapter 3), from `printed_totals.csv`; sums recomputed from the transcribed cells.")
""", tags=("remove-input",)),
md("""
The details, one printed total per row and one rule per row, are in the collapsed block below
(select it to open it).
"""),
code("""
chapter.table(claims.totals_detail(totals), "tbl-appendix-totals-detail",
              "Each printed total beside its recomputed sum",
              note="Source: `printed_totals.csv`; the expression says which cells are summed, in the check "
                   "language of `data/TRANSCRIPTION.md`.")
chapter.table(rules, "tbl-appendix-cross-table-rules", "Rules tying one table to another, evaluated",
              note="Source: `nhsreport.data.cross_table_rules()`, evaluated over the transcribed cells.")
""", tags=("remove-input", "hide-output")),
md("""
## Claims in the prose

The transcribers registered every number printed in the book's prose, together with how it is
qualified ("about", "over", "most") and, where a table can check it, an expression that recomputes
it from the transcribed cells. Code then gives each claim exactly one verdict:

- **agrees**: the recomputed value equals the printed one, or, for a claim printed as a bound
  ("over", "at least", "up to"), the bound holds;
- **agrees after rounding**: the recomputed value rounds to the printed number at the precision
  it is printed with (a percentage printed as a whole number is compared with the recomputed
  percentage rounded to a whole number, accepting either rounding of a half), or, for an
  approximate claim ("around", "about"), lies within ±{glue:text}`appx_tolerance_pct` per cent of
  the printed value, a tolerance chosen here because such claims are themselves rounded;
- **contradicts**: none of the above;
- **cannot be checked**: no printed table holds the value, the value depends on figures the book
  never printed, or the claim is a vague quantifier ("most", "a small number") with no expression
  whose direction code could test.

{numref}`fig-appendix-claim-verdicts` shows the verdicts, one square per claim, and
{numref}`tbl-appendix-claim-verdicts` counts them. Most claims cannot be checked: the bulk are
dates, sums of money and counts about the NHS at large, which no table of the study holds.
Among the {glue:text}`appx_n_checkable` that can be checked, most are counts of trusts, groups and
interviewees, which agree.
"""),
code("""
chapter.glue("appx_tolerance_pct", int(round(100 * claims.APPROXIMATE_TOLERANCE)))
chapter.figure(claims.plot_verdicts(verdicts), "fig-appendix-claim-verdicts",
               "Verdicts on the numbers in the book's prose, one square per claim, by qualifier.")
"""),
md("""
```{glue:figure} fig-appendix-claim-verdicts
:name: fig-appendix-claim-verdicts
:alt: Waffle chart in which every claim of the book's prose is one small square, grouped in blocks by how the number is qualified (exact, approximate, lower bound, upper bound, vague). Squares are coloured by verdict: green agrees, blue agrees after rounding, orange contradicts, grey cannot be checked. Grey dominates every block; the exact block starts with a long run of green squares and a few blue ones; the approximate block has one green, one blue and one orange square; the lower-bound block has one orange square; the upper-bound and vague blocks are entirely grey.

Verdicts on the numbers in the book's prose, one square per claim, grouped by how the number is
qualified. Data: the claims register of {cite:t}`bresnen2017managing`, checked against its tables.
Downloads: {download}`SVG <../figures/fig-appendix-claim-verdicts.svg>`,
{download}`PNG <../figures/fig-appendix-claim-verdicts.png>`,
{download}`PDF <../figures/fig-appendix-claim-verdicts.pdf>`.
```
"""),
code("""
chapter.table(claims.verdict_summary(verdicts), "tbl-appendix-claim-verdicts",
              "Verdicts on the numbers in the book's prose, by how each number is qualified",
              note="Source: `claims.csv` (every number in the prose of the book), each checked by code "
                   "against the transcribed tables where a check expression exists.")
chapter.table(claims.unchecked_reasons(verdicts), "tbl-appendix-unchecked-reasons",
              "Why claims cannot be checked",
              note="Source: `claims.csv`; the reason is derived from the register (no check expression, "
                   "no printed number, or a check note saying the figures were never printed).")
""", tags=("remove-input",)),
md("""
### Where the prose and the tables disagree

{numref}`tbl-appendix-contradictions` puts each contradiction side by side. The prose gives the
Specialist trust an annual revenue of about £{glue:text}`appx_specialist_prose_m` million (p. 50),
whereas Table 3.7 (p. 41) prints a turnover of £{glue:text}`appx_specialist_table_m` million, far
outside any rounding. The prose also says that over {glue:text}`appx_care_prose_pct` per cent of
the Care trust's participants had a clinical background (p. 66), while Tables 3.2 and 5.1 give
{glue:text}`appx_care_table_n` of {glue:text}`appx_care_n` ({glue:text}`appx_care_table_pct:.0f`
per cent), because no Care functional manager is listed with one. A different reading of a damaged
line of Table 5.1 would widen this gap, not close it. Revenue and turnover, and budget and
turnover, need not be the same measure; for the Acute trust the prose's budget of about
£{glue:text}`appx_acute_prose_m` million and the table's £{glue:text}`appx_acute_table_m` million
are within the tolerance and count as agreeing after rounding.
"""),
code("""
chapter.table(claims.contradictions(verdicts), "tbl-appendix-contradictions",
              "Numbers in the prose that the book's own tables contradict",
              note="Source: `claims.csv` and the tables it is checked against. ≈ about, ≥ over or at least. "
                   "Pages are estimated from the running heads of the text copy and may be off by one.")
by_id = verdicts.set_index("claim_id")
chapter.glue("appx_specialist_prose_m", int(by_id.loc["c1-197", "printed_value"] / 1e6))
chapter.glue("appx_specialist_table_m", int(by_id.loc["c1-197", "computed"] / 1e6))
chapter.glue("appx_acute_prose_m", int(by_id.loc["c1-167", "printed_value"] / 1e6))
chapter.glue("appx_acute_table_m", int(by_id.loc["c1-167", "computed"] / 1e6))
chapter.glue("appx_care_prose_pct", int(by_id.loc["c1-224", "printed_value"]))
chapter.glue("appx_care_table_pct", float(by_id.loc["c1-224", "computed"]))
chapter.glue("appx_care_table_n", int(chapter.evaluate(
    "sum(clinical_backgrounds.count; trust=care & column=clinical_background)")))
chapter.glue("appx_care_n", int(chapter.evaluate("sum(sample_participants.count; trust=care)")))
""", tags=("remove-input",)),
md("""
The book also disagrees with itself in places that no table can settle
({numref}`tbl-appendix-prose-tensions`): two passages date the change of government a year
apart, the count of hybrid managers from nursing differs from the count of nurses among all
clinical backgrounds, and the number of "pure play" general managers differs from what Table 5.1
leaves without a clinical background. These carry no verdict; both values are shown.
"""),
code("""
chapter.table(claims.prose_tensions(data), "tbl-appendix-prose-tensions",
              "Places where the book gives two values for one thing and no table settles which is right",
              note="Source: `claims.csv` (values and pages) and, for the last row, Tables 3.2 and 5.1. "
                   "The pairs were chosen by reading the check notes of the register.")
""", tags=("remove-input",)),
md("""
Every claim of the register, with its verdict and the rule or reason behind it, is in the collapsed
block below ({numref}`tbl-appendix-claims`; also as a CSV download).
"""),
code("""
chapter.table(claims.claims_detail(verdicts), "tbl-appendix-claims",
              "Every number in the book's prose, with its verdict",
              note="Source: `claims.csv`; *About* is the register's paraphrase of what the number counts.")
""", tags=("remove-input", "hide-output")),
]

if any(AVAILABLE.values()):
    parts = []
    if AVAILABLE["qualifications"]:
        parts.append("the non-clinical qualifications of Table 5.2, whose blank cells were lost when the "
                     "book's text was extracted, so that each row survives only as a run of numbers "
                     "({glue:text}`appx_t52_readings` ways of placing them agree with the printed column "
                     "totals, and {glue:text}`appx_t52_certain` of {glue:text}`appx_t52_cells` cells are "
                     "the same in all of them)")
    if AVAILABLE["training_allocations"]:
        parts.append("the training levels of Figures 3.2 and 3.3, whose values were never printed "
                     "({glue:text}`appx_training_pairs:,` pairs of the two figures fit everything the "
                     "book says about them: {glue:text}`appx_training_by_trust:,` versions of "
                     "Figure 3.2 and {glue:text}`appx_training_by_cohort:,` of Figure 3.3)")
    if AVAILABLE["voices"]:
        parts.append("the attributions of interview quotations, where {glue:text}`appx_voice_issues` "
                     "inconsistencies were found in the printed labels")
    setup = ["readings = {}"]
    if AVAILABLE["qualifications"]:
        setup.append("""from nhsreport import qualifications
table52 = qualifications.table52_readings(data)
readings["table52"] = table52
chapter.glue("appx_t52_readings", int(table52.count))
chapter.glue("appx_t52_certain", int(table52.cells["certain"].sum()))
chapter.glue("appx_t52_cells", len(table52.cells))""")
    if AVAILABLE["training_allocations"]:
        setup.append("""from nhsreport import training_allocations
allocations = training_allocations.enumerate_allocations(data)
readings["allocations"] = allocations
chapter.glue("appx_training_pairs", int(allocations.count_pairs))
chapter.glue("appx_training_by_trust", int(allocations.count_by_trust))
chapter.glue("appx_training_by_cohort", int(allocations.count_by_cohort))""")
    if AVAILABLE["voices"]:
        setup.append("""from nhsreport import voices
inconsistencies = voices.voice_inconsistencies(data)
readings["inconsistencies"] = inconsistencies
chapter.glue("appx_voice_issues", len(inconsistencies))""")
    setup.append("""chapter.table(claims.readings_summary(**readings), "tbl-appendix-readings",
              "Ambiguous sources: how many readings fit what the book prints",
              note="Source: the modules that enumerate the readings for their chapters (`nhsreport.qualifications`, "
                   "`nhsreport.training_allocations`, `nhsreport.voices`). "
                   "A cell is *fixed* when it has the same value in every reading.")""")
    cells += [
        md("""
## Readings of ambiguous sources

Where a source is damaged or ambiguous, this report does not pick one reading: it computes every
reading that agrees with what the book prints and shows only what they have in common. The other
chapters do this for """ + "; for ".join(parts) + """. {numref}`tbl-appendix-readings` gathers the
counts; the chapters themselves show the readings.
"""),
        code("\n".join(setup), tags=("remove-input",)),
    ]

cells += [
md("""
## How this book was made

This section is computed when the notebook runs and saved with it, so it changes only when the data,
the code or the installed packages change; it contains nothing that depends on the clock.

**Data.** {numref}`tbl-appendix-data-files` lists the {glue:text}`appx_n_files` data files with the
{glue:text}`appx_hash_name` checksum recorded for each in `data/datapackage.json`. Each recorded
checksum was compared with the file's bytes when this notebook ran, and validation refuses a file
that does not match, so the table also certifies that the data read are the data described;
{glue:text}`appx_n_files_match` of {glue:text}`appx_n_files` match.
"""),
code("""
files = build_record.data_files_table(data)
chapter.glue("appx_n_files", len(files))
chapter.glue("appx_n_files_match", int((files["Matches the file"] == "yes").sum()))
chapter.glue("appx_hash_name", "SHA-256")
chapter.table(files, "tbl-appendix-data-files", "Data files, their rows and their recorded checksums",
              note="Source: `data/datapackage.json`, checked against the bytes of each file in `data/`.")
""", tags=("remove-input", "hide-output")),
md("""
**Software.** The notebooks ran under Python {glue:text}`appx_python` with the packages of
{numref}`tbl-appendix-packages`: every package pinned in `requirements.txt`, with the version
actually installed ({glue:text}`appx_n_packages_match` of {glue:text}`appx_n_packages` match their
pins).
"""),
code("""
packages = build_record.packages_table()
chapter.glue("appx_python", build_record.python_version())
chapter.glue("appx_n_packages", len(packages))
chapter.glue("appx_n_packages_match", int((packages["Matches"] == "yes").sum()))
chapter.table(packages, "tbl-appendix-packages", "Python and package versions: pinned and installed",
              note="Source: `requirements.txt` (pins) and the installed distributions (importlib.metadata).")
""", tags=("remove-input", "hide-output")),
md("""
**Outputs.** {numref}`tbl-appendix-outputs` names the notebook that produced each of the other
{glue:text}`appx_n_outputs` figures and tables, as recorded in `figures/manifest.json`. The manifest
also holds, for each output, the checksums of the data files read, of the code and of every file
written. The outputs of this appendix are recorded there too; they are left out of the table because
they are written while it is being drawn.
"""),
code("""
outputs = build_record.outputs_table(provenance.read_manifest(),
                                     exclude_notebook="chapters/appendix_reproducibility.ipynb")
chapter.glue("appx_n_outputs", len(outputs))
chapter.table(outputs, "tbl-appendix-outputs", "Which notebook produced each figure and table",
              note="Source: `figures/manifest.json` (read with `nhsreport.provenance.read_manifest`).")
""", tags=("remove-input", "hide-output")),
md("""
**This build.** What depends on the moment of building, the git commit and whether the working tree
had uncommitted changes, is never saved in a notebook. It is recorded when the HTML is built, by a
small Sphinx extension (`nhsreport.build_record`), in the file `build-record.json` at the top of the
built site, together with the data checksums, package versions and manifest above. The commit is
also shown in the footer of every page, with a link to that file. No build time is recorded, so two
builds of the same commit produce the same record.

## Sources

Book {cite:p}`bresnen2017managing`: the printed totals of Tables 3.2, 3.3, 3.4 and 3.6 (pp. 35–40)
and of Tables 5.1 and 5.2 (pp. 84–86); Table 3.7 (p. 41); the numbers in the prose of every chapter,
with the pages given in the register and in the tables above (the passages discussed here are on
pp. 15, 43, 50, 66, 83, 86, 97). Pages are located from the surviving running heads of the source
text and may be off by one.
"""),
]

write(Path(__file__).resolve().parents[1] / "chapters" / "appendix_reproducibility.ipynb", cells)
