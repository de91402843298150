"""What the chapter on managers' networks promises (chapters/networks.ipynb, nhsreport.analyses.networks).

Tables 7.1 and 7.2 are regenerated in printed order; every mark of the two network grids rests on
transcribed statements and every statement reaches exactly one mark; silence stays blank; inferred
types and expectations are flagged; printed motive shares keep their exactness, their open ends and
their basis; and broken inputs change the result or raise.
"""

import json
import re

import pytest

from nhsreport import paths
from nhsreport.analyses import networks
from nhsreport.data.codes import cohort_codes, trust_codes
from nhsreport.data.errors import DataErrors
from nhsreport.data.load import validate


def frames(data):
    return (
        data["network_evidence"],
        data["network_types"],
        data["network_dimensions"],
        data["network_dimension_poles"],
    )


@pytest.fixture(scope="module")
def cells(data):
    return networks.dimension_cells(*frames(data))


@pytest.fixture(scope="module")
def groups(data):
    return networks.group_cells(data["network_evidence"], data["network_types"])


@pytest.fixture(scope="module")
def shares(data):
    return networks.motive_shares(data["network_motives"], int(data["sample_participants"]["count"].sum()))


# --- Tables 7.1 and 7.2 ----------------------------------------------------------------------


def test_table_7_1_lists_the_fifteen_types_in_printed_order(data):
    table = networks.typology_table(data["network_types"])
    assert list(table["No."]) == list(range(1, 16))
    assert table["Nature of network"].iloc[0] == "Academic/Scientific"
    assert table["Nature of network"].iloc[-1] == "Political"


def test_table_7_2_puts_each_pole_on_its_printed_side(data):
    table = networks.dimensions_table(data["network_dimensions"], data["network_dimension_poles"])
    assert list(table["Dimension"]) == ["Structure", "Co-ordination", "Membership", "Formation", "Position"]
    assert list(table["Left-hand pole"]) == [
        "Formal",
        "Tight",
        "Closed",
        "Instrumental",
        "Internal to organization",
    ]
    assert list(table["Right-hand pole"]) == [
        "Informal",
        "Loose",
        "Open",
        "Organic",
        "External to organization",
    ]


# --- figure (a): type x dimension ------------------------------------------------------------


def test_the_grid_has_one_cell_per_type_and_dimension(data, cells):
    assert len(cells) == len(data["network_types"]) * len(data["network_dimensions"])
    assert not cells.duplicated(["network_type", "dimension"]).any()


def test_every_pole_statement_reaches_exactly_one_cell_and_silent_cells_have_none(data, cells):
    rows = data["network_evidence"]
    pole_ids = sorted(rows.loc[rows["target_kind"] == "dimension_pole", "evidence_id"])
    used = sorted(e for items in cells["evidence"] for e, *_ in items)
    assert used == pole_ids
    silent = cells[cells["reading"] == networks.SILENT]
    assert all(len(items) == 0 for items in silent["evidence"])


def test_each_reading_follows_the_sides_of_the_poles_its_statements_name(data, cells):
    side = {
        (d, p): s
        for d, p, s in zip(*(data["network_dimension_poles"][c] for c in ("dimension", "pole", "side")))
    }
    for cell in cells[cells["reading"] != networks.SILENT].itertuples():
        sides = {side[(cell.dimension, target)] for _, target, *_ in cell.evidence}
        relations = {relation for _, _, relation, *_ in cell.evidence}
        if cell.reading in (networks.LEFT, networks.RIGHT):
            assert sides == {cell.reading} and "varies" not in relations
        else:
            assert sides == {networks.LEFT, networks.RIGHT}
            assert (cell.reading == networks.VARIES) == ("varies" in relations)


def test_the_book_says_alumni_elite_and_mentor_networks_vary(cells):
    varies = cells[cells["reading"] == networks.VARIES]
    assert set(zip(varies["network_type"], varies["dimension"])) == {
        ("alumni", "structure"),
        ("elite", "formation"),
        ("elite", "position"),
        ("mentor", "structure"),
    }


def test_personal_networks_are_placed_on_four_dimensions_all_mostly(cells):
    personal = cells[(cells["network_type"] == "personal") & (cells["reading"] != networks.SILENT)]
    assert set(personal["dimension"]) == {"structure", "coordination", "formation", "position"}
    assert set(personal["reading"]) == {networks.RIGHT}


def test_cells_resting_on_inferred_types_are_flagged(cells):
    flagged = dict(zip(zip(cells["network_type"], cells["dimension"]), cells["inference"]))
    assert flagged[("operational_clinical", "structure")] == networks.INFERRED
    assert flagged[("alumni", "structure")] == networks.PARTLY
    assert flagged[("professional", "structure")] == networks.NAMED


# --- figure (b): type x group ----------------------------------------------------------------


def test_every_trust_and_cohort_statement_reaches_exactly_one_mark(data, groups):
    rows = data["network_evidence"]
    ids = sorted(rows.loc[rows["target_kind"].isin(["trust", "cohort"]), "evidence_id"])
    assert sorted(e for items in groups["evidence"] for e, *_ in items) == ids
    assert set(groups["group"]) <= set(trust_codes()) | set(cohort_codes())


def test_the_specialist_reliance_on_professional_networks_is_only_an_expectation(groups):
    cell = groups[(groups["network_type"] == "professional") & (groups["group"] == "specialist")].iloc[0]
    assert cell["expected_classes"] == cell["classes"] == ("most",)


def test_general_managers_are_shown_with_both_kinds_of_professional_statement(groups):
    cell = groups[(groups["network_type"] == "professional") & (groups["group"] == "general")].iloc[0]
    assert set(cell["classes"]) == {"has", "fewer"}


def test_the_evidence_table_lists_every_filled_cell_with_each_statements_page(data, cells, groups):
    labels = dict(zip(data["network_types"]["code"], data["network_types"]["label"]))
    dims = dict(zip(data["network_dimensions"]["code"], data["network_dimensions"]["label"]))
    poles = data["network_dimension_poles"]
    pole_labels = {(d, p): l for d, p, l in zip(poles["dimension"], poles["pole"], poles["pole_label"])}
    table = networks.evidence_table(
        cells,
        groups,
        labels,
        dims,
        {**{t: t for t in trust_codes()}, **{c: c for c in cohort_codes()}},
        pole_labels,
    )
    assert len(table) == (cells["reading"] != networks.SILENT).sum() + len(groups)
    page = dict(zip(data["network_evidence"]["evidence_id"], data["network_evidence"]["page"]))
    cited = re.findall(r"(n-\d{3}) \([^)]*p\. (\d+)\)", " ".join(table["Evidence (id: relation, page)"]))
    assert len(cited) == len(page)
    assert all(int(p) == page[e] for e, p in cited)
    inferred = set(
        data["network_evidence"].loc[data["network_evidence"]["type_inferred"].astype(bool), "evidence_id"]
    )
    listed = {e for cell in table["Type inferred from wording"] for e in re.findall(r"n-\d{3}", cell)}
    assert listed == inferred


# --- figure (c): motives ---------------------------------------------------------------------


def test_printed_percentages_are_exact_and_words_are_intervals(shares):
    exact = shares[shares["kind"] == "exact"]
    assert set(exact["printed"]) == {"14 percent", "9 percent"}
    assert (exact["low"] == exact["high"]).all()
    approximate = shares[shares["kind"] == "approximate"]
    assert (approximate["low"] < approximate["high"]).all()


def test_open_ended_shares_run_to_the_end_of_the_scale(shares):
    up = shares[shares["open_high"]]
    down = shares[shares["open_low"]]
    assert set(up["printed"]) == {"Over half", "the majority"} and (up["high"] == 100).all()
    assert set(down["printed"]) == {"less than a third"} and (down["low"] == 0).all()


def test_the_two_share_bases_are_kept_apart(shares):
    refs = shares[shares["basis"] == "references"]
    assert sorted(refs["motive"]) == ["career", "influence", "knowledge", "support"]
    assert set(shares["basis"]) == {"references", "interviewees"}


def test_the_one_count_gives_a_derived_share_of_the_sample(shares, data):
    count = shares[shares["kind"] == "count"].iloc[0]
    sample = int(data["sample_participants"]["count"].sum())
    assert count["count"] == 11
    assert count["low"] == pytest.approx(100 * 11 / sample)


def test_the_remainder_bounds_lie_inside_the_printed_intervals_and_add_up(shares):
    bounds = networks.remainder_bounds(shares)
    refs = shares[shares["basis"] == "references"].set_index("motive")
    assert bounds["rest"] == 100 - 14 - 9
    for motive in ("knowledge", "support"):
        assert (
            refs.loc[motive, "low"]
            <= bounds[f"{motive}_low"]
            <= bounds[f"{motive}_high"]
            <= refs.loc[motive, "high"]
        )
    assert bounds["knowledge_low"] + bounds["support_high"] == pytest.approx(bounds["rest"])
    assert bounds["knowledge_low_excluded"] and bounds["support_high_excluded"]


def test_every_comparative_motive_statement_is_in_the_group_table(data):
    motives = data["network_motives"]
    table = networks.motive_group_table(motives, {})
    assert len(table) == (motives["relative_printed"].fillna("") != "").sum()


# --- broken inputs ---------------------------------------------------------------------------


def test_a_contradicting_pole_turns_a_cell_into_a_visible_conflict(data_copy):
    # row 17 is n-017: professional networks are formal (Table 7.1); make it say informal
    data_copy.set_cell("network_evidence.csv", 17, "target", "informal")
    broken = networks.dimension_cells(*frames(validate(data_copy.folder)))
    cell = broken[(broken["network_type"] == "professional") & (broken["dimension"] == "structure")].iloc[0]
    assert cell["reading"] == networks.BOTH


def test_a_pole_of_the_wrong_dimension_is_refused(data_copy, data):
    # row 19 is n-019: personal networks are organic (formation); 'tight' is a co-ordination pole.
    # Validation stops such a file; the chapter's own check refuses it too, should it get through.
    data_copy.set_cell("network_evidence.csv", 19, "target", "tight")
    with pytest.raises(DataErrors, match="row 19"):
        validate(data_copy.folder)
    evidence, types, dimensions, poles = frames(data)
    evidence.loc[evidence["evidence_id"] == "n-019", "target"] = "tight"
    with pytest.raises(ValueError, match="n-019"):
        networks.dimension_cells(evidence, types, dimensions, poles)


def test_dropping_an_inference_flag_changes_the_marking(data_copy):
    # row 34 is n-034: the operational networks of general managers, type inferred
    data_copy.set_cell("network_evidence.csv", 34, "type_inferred", "false")
    broken = networks.dimension_cells(*frames(validate(data_copy.folder)))
    cell = broken[
        (broken["network_type"] == "operational_clinical") & (broken["dimension"] == "structure")
    ].iloc[0]
    assert cell["inference"] == networks.NAMED


def test_an_exact_share_with_a_spread_is_refused(data_copy):
    # row 3 is m-03: '14 percent', exact; give it a lower bound of 10
    data_copy.set_cell("network_motives.csv", 3, "share_low", "10")
    broken = validate(data_copy.folder)
    with pytest.raises(ValueError, match="14 percent"):
        networks.motive_shares(broken["network_motives"], 68)


# --- the notebook ----------------------------------------------------------------------------

ALLOWED = [
    r"\{[a-z:]+\}`[^`]*`",  # glue, cite, numref, download roles
    r"pp?\. \d+(?:[–-]\d+)?(?:, \d+(?:[–-]\d+)?)*",  # page locators
    r"Tables? \d+\.\d+(?: and \d+\.\d+)?",
    r"Figures? \d+\.\d+",
    r"chapters? \d+(?:(?:, | and |–)\d+)*",
]


def test_the_prose_types_no_numbers_outside_locators():
    notebook = json.loads((paths.CHAPTERS_DIR / "networks.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for pattern in ALLOWED:
            text = re.sub(pattern, "", text)
        text = re.sub(r"fig-networks-[a-z-]+|tbl-networks-[a-z-]+", "", text)
        assert not re.search(r"\d", text), re.findall(r".{30}\d.{10}", text)
