"""Authoring script of chapters/networks.ipynb (run it, then execute the notebook)."""
import sys; from pathlib import Path; sys.path.insert(0, str(Path(__file__).parent))
from notebook_cells import md, code, write
cells = [
md("""
(chap-networks)=
# Managers' networks

```{admonition} In brief
:class: tip
The book sorts the networks its managers described into {glue:text}`n_types` types and
{glue:text}`n_dimensions` dimensions, each dimension with two poles. It places only
{glue:text}`n_types_placed` of the types on any dimension, and says that several of them (alumni,
elite, mentor) range across both poles. Functional and clinical managers lean on professional networks;
general managers are repeatedly described as lacking wider networks and turning inward to their
own trust. Care trust managers spoke most of networks outside their organization, Acute trust
managers least of networks of any kind. Knowledge is by far the commonest motive for networking
(over half of the coded references), then support; career ({glue:text}`share_career` per cent) and
influence ({glue:text}`share_influence` per cent) trail, though the book calls these last two roughly equal.
```

This chapter re-presents chapter 7 of {cite:t}`bresnen2017managing`, "Managers Networking"
(pp. 129–156), with the passages of chapters 3, 6 and 8 that tie kinds of network to trusts and
management groups. The book gives no counts of networks. What it gives is a typology (Table 7.1),
a set of dimensions (Table 7.2) and {glue:text}`n_evidence` statements, found and transcribed one by
one, that link a type of network to a pole of a dimension, to a trust or to a management group.
The grids below show what those statements say, and where the book says nothing the grids stay
blank. Each mark can be traced to its statement and page through {numref}`tbl-networks-evidence`.
"""),
code("""
from nhsreport.chapter import Chapter
from nhsreport import networks
from nhsreport.labels import cohort_labels, trust_labels

chapter = Chapter("networks")
types = chapter["network_types"]
dimensions = chapter["network_dimensions"]
poles = chapter["network_dimension_poles"]
evidence = chapter["network_evidence"]
motives = chapter["network_motives"]
sample_size = int(chapter["sample_participants"]["count"].sum())

type_labels = dict(zip(types["code"], types["label"]))
dimension_labels = dict(zip(dimensions["code"], dimensions["label"]))
pole_labels = {(d, p): label for d, p, label in zip(poles["dimension"], poles["pole"], poles["pole_label"])}
group_labels = {**trust_labels(), **cohort_labels()}

dim_cells = networks.dimension_cells(evidence, types, dimensions, poles)
grp_cells = networks.group_cells(evidence, types)
shares = networks.motive_shares(motives, sample_size)
bounds = networks.remainder_bounds(shares)
"""),
code("""
described = dim_cells[dim_cells["reading"] != networks.SILENT]
chapter.glue("n_types", len(types))
chapter.glue("n_dimensions", len(dimensions))
chapter.glue("n_evidence", len(evidence))
chapter.glue("n_evidence_pole", networks.count_cells(evidence, target_kind="dimension_pole"))
chapter.glue("n_evidence_group", len(evidence) - networks.count_cells(evidence, target_kind="dimension_pole"))
chapter.glue("n_evidence_inferred", int(evidence["type_inferred"].astype(bool).sum()))
chapter.glue("n_evidence_untyped", int(evidence["network_type"].fillna("").eq("").sum()))
chapter.glue("n_cells", len(dim_cells))
chapter.glue("n_cells_described", len(described))
chapter.glue("n_types_placed", described["network_type"].nunique())
chapter.glue("n_types_unplaced", len(types) - described["network_type"].nunique())
chapter.glue("n_cells_varies", networks.count_cells(dim_cells, reading=networks.VARIES))
chapter.glue("n_cells_both", networks.count_cells(dim_cells, reading=networks.BOTH))
chapter.glue("n_personal_dims", networks.count_cells(described, network_type="personal"))
chapter.glue("n_group_cells", len(grp_cells))
"""),
md("""
## A typology of networks

The typology was built from the way the interviewees themselves described their contacts, and the
authors say plainly that it is neither exhaustive nor a set of exclusive boxes: one person's
operational network may also be a professional or an elite network (p. 133). {numref}`tbl-networks-typology`
lists the {glue:text}`n_types` types in the printed order, with our paraphrase of each description.
They mix several principles. Some types are defined by where the contacts sit (NHS, government,
the wider public sector, commercial and third-sector bodies, universities), some by how the tie arose
(alumni of a programme, a peer cohort, everyday operations), some by who the contacts are (elites,
fellow specialists, fellow managers, a mentor, friends and family) and one, the political network, by
its purpose: gaining influence.
"""),
code("""
chapter.table(networks.typology_table(types), "tbl-networks-typology",
              "Typology of networks (book Table 7.1)",
              note="Source: Table 7.1 (pp. 133–134). *Nature of network* as printed; the descriptions are our "
                   "paraphrases, not the printed wording.")
""", tags=("remove-input",)),
md("""
Next to the typology the book sets {glue:text}`n_dimensions` dimensions along which any network can
vary, each printed as a pair of opposite poles ({numref}`tbl-networks-dimensions`; Table 7.2,
p. 134): how formal its structure is, how tightly it is co-ordinated, whether membership is closed,
whether it was built on purpose or grew, and whether it lies inside or outside the manager's
organization. The authors stress that the dimensions cut across the types rather than lining up with
them (p. 133). In that passage the text refers the reader to Table 7.2 for "the typology", where
Table 7.1 is evidently meant; we read it so.
"""),
code("""
chapter.table(networks.dimensions_table(dimensions, poles), "tbl-networks-dimensions",
              "Dimensions of networks (book Table 7.2)",
              note="Source: Table 7.2 (p. 134), as printed. The book prints no column headings; *left-hand* "
                   "and *right-hand* name the printed cells.")
""", tags=("remove-input",)),
md("""
## Where the book places each type

{numref}`fig-networks-type-dimension` crosses the {glue:text}`n_types` types with the
{glue:text}`n_dimensions` dimensions. Of the {glue:text}`n_evidence` statements,
{glue:text}`n_evidence_pole` tie a type to a pole. They fill only {glue:text}`n_cells_described` of the
{glue:text}`n_cells` cells, spread over {glue:text}`n_types_placed` types; the other
{glue:text}`n_types_unplaced` types are never placed on any dimension, and the book itself declines to map
the networks' structure in detail (p. 169). Only personal networks are described on
{glue:text}`n_personal_dims` dimensions, as mostly organic, informal, loose and external, and
professional networks as mostly closed and fairly formal; the book presents these as the rare
uniform types (p. 134). In {glue:text}`n_cells_varies` cells the book says outright that a type spans
both poles: alumni networks run from prescribed learning sets to groups of friends, elite networks
may be engineered or grow by chance and may sit inside or beyond the trust, and mentoring may be
arranged officially or not (pp. 133–134, 143). The grid has {glue:text}`n_cells_both` cells in which separate
statements ascribe opposite poles without saying that the type varies.

```{glue:figure} fig-networks-type-dimension
:name: fig-networks-type-dimension
:alt: Grid with one row per network type of Table 7.1 and one column per dimension of Table 7.2. Each cell is split into a left half for the left-hand pole and a right half for the right-hand pole. Filled halves show the poles the book ascribes. Alumni and mentor networks have both structure poles filled, marked as varying; elite networks have both poles of formation and of position filled. Personal networks are lightly filled at informal, loose and organic, and dark at external; professional networks dark at formal and light at closed; mentor light at external; NHS dark at external; political dark at instrumental; operational/clinical hatched at informal, because its type was inferred. All other cells are empty.

Network types (rows, Table 7.1) by dimensions (columns, Table 7.2): the pole or poles the book
ascribes to each type. A filled left or right half marks the left-hand or right-hand pole; light
grey means the book says the type *mostly* has that pole; hatching marks a cell whose statements do
not name the type, so that the type was read from the wording; an asterisk marks a cell where some
statements were so read. The statements behind every filled cell, with their pages, are listed in
{numref}`tbl-networks-evidence`. Data: {cite:t}`bresnen2017managing`, chapters 6–7.
Downloads: {download}`SVG <../figures/fig-networks-type-dimension.svg>`,
{download}`PNG <../figures/fig-networks-type-dimension.png>`,
{download}`PDF <../figures/fig-networks-type-dimension.pdf>`.
```

Two readings rest on judgement and are marked. The operational networks of general managers are
called less formal and short-lived (p. 135); the book does not use the label of Table 7.1 there,
and we read them as operational/clinical networks. Learning sets are the harder case. On p. 133
prescribed action learning sets are the example of a *formal* alumni network; on p. 139 the learning
sets formed on development programmes are introduced as a *less formal* kind of problem-solving
network, and on p. 149 keeping a learning set going is again grouped with less formal networking.
The grid shows both poles for alumni networks, which the book allows, and
{numref}`tbl-networks-evidence` keeps the statements apart.
"""),
code("""
chapter.figure(networks.type_dimension_figure(dim_cells, types, dimensions, poles),
               "fig-networks-type-dimension",
               "Network types by dimensions: the poles the book ascribes to each type.")
"""),
md("""
## Which networks each group and trust relies on

{numref}`fig-networks-type-group` turns to the other {glue:text}`n_evidence_group` statements, which
tie networks to a management group or a trust. Most of them concern networks in general or a class
of networks that is not one type (external networks, supportive networks, networks inside the
trust): {glue:text}`n_evidence_untyped` statements in all carry no type, and they share the bottom row.

**Management groups.** As the authors expected, functional managers depended above all on their
professional and specialist networks, and reached powerful elite networks through their associations
or seats at board level (p. 135). Clinical managers kept up ties through clinical and scientific
associations, less than functional managers did (p. 135), and, like functional managers, made far
more use of professional networks than general managers (p. 169). General managers are the recurring contrast.
Most leaned on networks formed in day-to-day operations (p. 135) and looked for help inside their own
trust (pp. 169, 171); many felt the absence of supportive networks (p. 135), described themselves as
short of networks (p. 154), and had limited access to wider professional networks (pp. 169, 177). The
professional row for general managers holds marks of both kinds, and both are in the book: a few
well-connected general managers did use professional communities (pp. 123, 135, 173), while the group
as a whole had poorer access.

**Trusts.** Care trust managers referred most often to networks beyond their organization, which the
book ties to their work across primary, secondary and community health bodies (pp. 134–135), to many
joint initiatives with other agencies (p. 170) and to a greater dependence on networks in a fragmented
service (p. 145). Acute trust managers referred markedly less to networks of any kind (p. 135), and its
general managers reported fewer and narrower networks (p. 170). At the Specialist trust, outside
contacts were kept up deliberately to counter insularity (p. 52) and clinical managers were well
connected nationally and internationally (p. 170). The one type-specific mark for the Specialist
trust, a reliance on professional networks, is an expectation the authors stated before fieldwork
(p. 32), not a finding, and is drawn faint.

```{glue:figure} fig-networks-type-group
:name: fig-networks-type-group
:alt: Dot grid with one row per network type of Table 7.1 plus a final row for networks in general, and six columns: the clinical, functional and general management groups, then the Acute, Care and Specialist trusts. Marks in each group's colour show the kind of statement: up-triangles for relying most, circles for having, down-triangles for fewer, crosses for lacking. Clinical and functional managers have up-triangles and circles in the professional row; functional managers also in the elite and functional specialist rows. General managers have mixed marks in the professional row, a hollow up-triangle in the operational/clinical row, a hollow cross in the peer/cohort row, and up-triangle, down-triangle and cross in the general row. The Care trust has a hollow circle in the NHS row and three marks in the general row; the Acute trust a down-triangle in the general row; the Specialist trust a faint expected triangle in the professional row and a circle in the general row.

Network types (rows) by management group and by trust (columns): the kinds of statement the book
makes about each group's networks of that type. Hollow marks rest only on statements whose type was
read from the wording; the faint mark is an expectation stated before fieldwork. Statement ids,
relations and pages for every mark are in {numref}`tbl-networks-evidence`. Data:
{cite:t}`bresnen2017managing`, chapters 3 and 6–8. Downloads:
{download}`SVG <../figures/fig-networks-type-group.svg>`, {download}`PNG <../figures/fig-networks-type-group.png>`,
{download}`PDF <../figures/fig-networks-type-group.pdf>`.
```

One pair of statements about the Care trust pulls in opposite directions, and both are shown. In the
description of the trusts, some interviewees saw its mental health services, its core business, as
less engaged in outside collaborative networks than its more commercial services (p. 49); in
chapter 7 the Care trust is the trust whose managers spoke most of external networks (p. 134). The
first is said of part of the trust, the second of references across it, so they need not be
incompatible, but the book does not reconcile them.
"""),
code("""
chapter.figure(networks.type_group_figure(grp_cells, types, trust_labels(), cohort_labels()),
               "fig-networks-type-group",
               "Network types by management group and by trust: the kinds of statement the book makes.")
"""),
md("""
## Tracing every mark to its page

{numref}`tbl-networks-evidence` has one row for each filled cell of the two grids
({glue:text}`n_table_rows` rows). For each it gives the reading drawn, and the statements behind it
by id, with the pole or relation each states and its page; the last column names the statements whose
network type was inferred from the wording ({glue:text}`n_evidence_inferred` of the
{glue:text}`n_evidence` statements). Pages were estimated from the surviving running heads of the
source text and may be off by one.
"""),
code("""
evidence_table = networks.evidence_table(dim_cells, grp_cells, type_labels, dimension_labels,
                                         group_labels, pole_labels)
chapter.glue("n_table_rows", len(evidence_table))
chapter.table(evidence_table, "tbl-networks-evidence",
              "The statements behind every filled cell of the two network grids",
              note="Source: network_evidence, transcribed from the book (chapters 3 and 6–8, Table 7.1). Ids "
                   "are those of the data file; relations are its codes (has, mostly, varies, relies_on, "
                   "relies_most_on, fewer, lacks). Panel a is the type × dimension grid, panel b the "
                   "type × group grid.")
""", tags=("remove-input",)),
md("""
## Why managers network

The book names {glue:text}`n_motives` motives for networking: gaining knowledge, personal and emotional
support, managing a career, and exerting influence. It reports their weight on different bases,
which {numref}`fig-networks-motives` keeps in separate panels. The first counts the *references* to
networking motives coded in the interview transcripts: over half concerned knowledge, around a
quarter support, {glue:text}`share_career` per cent career and {glue:text}`share_influence` per cent
influence (p. 137). The second counts *people*: almost all managers saw knowledge as the main purpose
(p. 138), almost half spoke of support (p. 140), fewer than a third of career advancement (p. 142),
and just {glue:text}`influence_count` of influence (p. 145). The book prints no denominator with that
count; taking the {glue:text}`sample_size` managers interviewed gives {glue:text}`influence_pct:.0f`
per cent, a share derived here and drawn as such.

```{glue:figure} fig-networks-motives
:name: fig-networks-motives
:alt: Two-panel interval chart on a scale of zero to a hundred per cent. Top panel, share of coded references: knowledge as a grey bar from just over fifty per cent running open-ended to the right, support as a grey bar around twenty to thirty per cent, career and influence as exact black dots at their printed percentages; thin brackets under the knowledge and support bars show the narrower bounds implied if the four shares add up to a hundred. Bottom panel, share of managers interviewed: knowledge as a short bar near a hundred per cent, support a short bar just under fifty, career a bar open-ended to the left below one third, influence a hollow diamond at the derived share of the sample, and knowledge again as an open-ended bar above fifty per cent for the chapter 8 wording.

Motives for networking: shares printed in words are drawn as grey intervals (arrows mark an
open-ended side, hollow circles an excluded bound), printed percentages as dots, and the one printed
count as a hollow diamond at the share of the sample it implies (derived). The two panels count
different things and are not comparable. Data: {cite:t}`bresnen2017managing`, pp. 137–145 and p. 170.
Downloads: {download}`SVG <../figures/fig-networks-motives.svg>`,
{download}`PNG <../figures/fig-networks-motives.png>`, {download}`PDF <../figures/fig-networks-motives.pdf>`.
```

The reference shares are vaguer than they look. The book presents the career and influence shares as
the remainder after knowledge and support, "roughly equally split" between the two, yet one is
{glue:text}`career_influence_ratio:.1f` times the other. If the {glue:text}`n_motives` shares do
exhaust the references, as the word remainder suggests, knowledge and support together take
{glue:text}`remainder:.0f` per cent, which narrows knowledge to above {glue:text}`knowledge_low:.0f`
and at most {glue:text}`knowledge_high:.0f` per cent, and support to at least
{glue:text}`support_low:.0f` and below {glue:text}`support_high:.0f` per cent (reading "around a
quarter", as the data file does, as {glue:text}`support_printed_low:.0f` to {glue:text}`support_printed_high:.0f` per cent). The book does not print a total, so these narrower bounds are
our derivation and are drawn as thin brackets. The authors add their own caveat: how often a motive
was mentioned need not match how often managers acted on it, since people may voice only the motives
their setting treats as legitimate, support and career above all (p. 137).
"""),
code("""
ref = shares[shares["basis"] == "references"].set_index("motive")
chapter.glue("n_motives", int(motives.loc[motives["motive"] != "career_or_influence", "motive"].nunique()))
chapter.glue("share_career", int(ref.loc["career", "low"]))
chapter.glue("share_influence", int(ref.loc["influence", "low"]))
chapter.glue("career_influence_ratio", float(ref.loc["career", "low"] / ref.loc["influence", "low"]))
counts = shares[shares["kind"] == "count"].iloc[0]
chapter.glue("influence_count", int(counts["count"]))
chapter.glue("influence_pct", float(counts["low"]))
chapter.glue("sample_size", sample_size)
for key in ("knowledge_low", "knowledge_high", "support_low", "support_high"):
    chapter.glue(key, float(bounds[key]))
chapter.glue("remainder", float(bounds["rest"]))
chapter.glue("support_printed_low", float(ref.loc["support", "low"]))
chapter.glue("support_printed_high", float(ref.loc["support", "high"]))
chapter.glue("n_career_labels", int(motives.loc[motives["motive"] == "career", "motive_label"].nunique()))
chapter.figure(networks.motives_figure(shares, sample_size), "fig-networks-motives",
               "Motives for networking: shares of references and of interviewees, exact and approximate.")
"""),
md("""
## How the motives differ between groups

Most of what the book says about differences is comparative, without figures
({numref}`tbl-networks-motive-groups`). Support as a motive came mostly from the Care trust and
seldom at the Specialist and Acute trusts (pp. 137, 140); the book suggests that at the more formal Acute trust such
talk may have seemed out of place. Care trust managers also raised knowledge more than managers
elsewhere (p. 137), and those who spoke of influence did so at most length at the Care trust (p. 145). Men were twice as likely as women to talk of career or influence, which
the book reports only together, and women more likely to talk of support (p. 137).

Two passages sit uneasily with others, and we report both sides. On knowledge, chapter 7 says
managers with a clinical background raised it far more often than other managers (pp. 137–138),
whereas the chapter 8 summary says that valuing networks for knowledge, and for support, was most
marked among general managers (p. 170); the first counts mentions and the second speaks of
importance, but the book does not relate them. On career, the motive is said to have been cited
evenly across every trust and management group (p. 142), while men raised career or influence twice as
often as women (p. 137) and general managers who came through the graduate training scheme were the
most alert to it (p. 170). The book also words the motive in {glue:text}`n_career_labels` ways (career management,
career advancement, career development), which we treat as one.
"""),
code("""
chapter.table(networks.motive_group_table(motives, group_labels), "tbl-networks-motive-groups",
              "How the book compares groups on each motive for networking",
              note="Source: network_motives (pp. 137–145, 170). *Comparison* is the printed wording, a few words "
                   "(parentheses hold our note of what is compared). *Basis*: references = coded mentions in the "
                   "interviews; interviewees = people.")
""", tags=("remove-input",)),
md("""
## Sources

Book {cite:p}`bresnen2017managing`: the trusts as described in chapter 3 (pp. 32, 49, 52); informal and
formal learning and professional communities in chapter 6 (pp. 120, 123, 127); chapter 7: the typology
and dimensions with Tables 7.1 and 7.2 (pp. 133–134), the pattern of networks by trust and group
(pp. 134–135), the motives (pp. 137–145) and the pressures on networking (pp. 147–154); chapter 8:
the summary of networks and motives (pp. 168–173, 177). The statements are in
`data/network_evidence.csv` and `data/network_motives.csv`; the sample size used for the one derived
share is from Table 3.2 (p. 35). Pages are located from the surviving running heads of the source text
and may be off by one.
"""),
]
write(Path(__file__).resolve().parents[1] / "chapters" / "networks.ipynb", cells)
