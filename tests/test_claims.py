"""What the reproducibility appendix promises about printed totals and the claims of the prose.

Verdicts are computed from the data, not typed in: changing a transcribed value changes them.
"""

import math
import re

import pytest

from nhsreport.analyses import appendix_reproducibility as claims
from nhsreport.data.load import validate
from nhsreport.data.totals import printed_total_checks


@pytest.fixture(scope="module")
def verdicts(data):
    return claims.claim_verdicts(data)


def row_number(data_copy, file, **match):
    """1-based data row of ``file`` whose fields equal ``match``."""
    for number, row in enumerate(data_copy.rows(file), start=1):
        if all(row[k] == v for k, v in match.items()):
            return number
    raise LookupError(match)


# --- claims ----------------------------------------------------------------------------------


def test_every_claim_gets_exactly_one_verdict_from_the_allowed_set(data, verdicts):
    register = data["claims"]
    assert list(verdicts["claim_id"]) == list(register["claim_id"])
    assert verdicts["claim_id"].is_unique
    assert set(verdicts["verdict"]) <= set(claims.VERDICTS)
    assert verdicts["verdict"].notna().all()


def test_a_claim_is_checked_exactly_when_the_register_gives_a_check_expression(data, verdicts):
    has_expression = data["claims"]["check_expression"].fillna("").str.strip() != ""
    checked = verdicts["verdict"] != claims.UNCHECKABLE
    # no vague claim has an expression today, so 'checked' and 'has an expression' coincide
    assert list(checked) == list(has_expression)
    assert verdicts.loc[checked, "computed"].notna().all()
    assert verdicts.loc[~checked, "computed"].isna().all()


def test_the_summary_counts_every_claim_once(verdicts):
    summary = claims.verdict_summary(verdicts).set_index("Verdict")
    assert summary.loc["Total", "Total"] == len(verdicts)
    for verdict in claims.VERDICTS:
        assert summary.loc[verdict, "Total"] == (verdicts["verdict"] == verdict).sum()


def test_the_contradictions_table_shows_both_values_with_their_pages(verdicts):
    table = claims.contradictions(verdicts)
    assert len(table) == verdicts["verdict"].isin(claims.CONTRADICTING).sum()
    specialist = table.set_index("About").loc["annual revenue of the Specialist trust"]
    assert specialist["Prose says"] == "≈ £270m" and specialist["Table cells give"] == "£170m"
    assert specialist["Prose page"] == "p. 50" and "Table 3.7 (p. 41)" in specialist["Table and page"]
    assert table["What it means"].str.len().gt(0).all()


def test_the_known_disagreements_are_found(verdicts):
    by_id = verdicts.set_index("claim_id")["verdict"]
    assert by_id["c1-197"] == claims.CONTRADICTS  # Specialist revenue: about £270m vs £170m
    assert by_id["c1-224"] == claims.CONTRADICTS  # over 90 per cent vs 19 of 25
    assert by_id["c1-167"] == claims.ROUNDED  # Acute: about £270m vs £275m, within tolerance
    assert by_id["c2-012"] == claims.ROUNDED  # 5 of 8 = 62.5 printed as 63: half-up
    assert by_id["c1-133"] == claims.AGREES  # 68 interviewed


def test_the_careers_verdicts_are_hedged_as_contradictions_on_the_proxy(verdicts):
    by_id = verdicts.set_index("claim_id")["verdict"]
    for claim in ("c2-020", "c2-022", "c2-023", "c2-024", "c2-033"):
        assert by_id[claim] == claims.PROXY_CONTRADICTS, claim
    assert by_id["c2-006"] == claims.AGREES  # 23 nurses: the table counts exactly this


def test_a_claim_on_the_proxy_is_never_a_flat_contradiction():
    assert claims.hedged(claims.CONTRADICTS, "r", "proxy")[0] == claims.PROXY_CONTRADICTS
    assert claims.hedged(claims.CONTRADICTS, "r", "")[0] == claims.CONTRADICTS
    assert claims.hedged(claims.AGREES, "r", "proxy")[0] == claims.AGREES


def test_no_register_id_or_check_expression_reaches_the_appendix_tables(data, verdicts):
    shown = [
        claims.contradictions(verdicts),
        claims.prose_tensions(data),
        claims.verdict_summary(verdicts),
        claims.unchecked_reasons(verdicts),
        claims.totals_summary(printed_total_checks(data)),
        claims.data_files_table(claims.data_files_register(data)),
    ]
    text = "\n".join(table.to_csv(index=False) for table in shown)
    assert not re.search(r"\bc[12]-\d{3}\b", text)
    assert "sum(" not in text and ".csv" not in text and "nhsreport." not in text


# --- the rules of judge() --------------------------------------------------------------------


@pytest.mark.parametrize(
    "qualifier, unit, printed, computed, expected",
    [
        ("exact", "count", 68, 68.0, claims.AGREES),
        ("exact", "count", 68, 67.0, claims.CONTRADICTS),
        ("exact", "percent", 62, 100 * 42 / 68, claims.ROUNDED),
        ("exact", "percent", 63, 62.5, claims.ROUNDED),  # half-up accepted for percentages
        ("exact", "count", 63, 62.5, claims.CONTRADICTS),  # ... but not for other numbers
        ("exact", "fraction", 0.3333, 1 / 3, claims.ROUNDED),
        ("approximate", "money_gbp", 270e6, 275e6, claims.ROUNDED),
        ("approximate", "money_gbp", 270e6, 300e6, claims.CONTRADICTS),  # 11 % away
        ("approximate", "count", 2500, 2500.0, claims.AGREES),
        ("lower_bound", "percent", 90, 76.0, claims.CONTRADICTS),
        ("lower_bound", "percent", 90, 90.0, claims.AGREES),
        ("upper_bound", "count", 10, 11.0, claims.CONTRADICTS),
        ("upper_bound", "count", 10, 3.0, claims.AGREES),
    ],
)
def test_judge(qualifier, unit, printed, computed, expected):
    assert claims.judge(qualifier, unit, printed, computed)[0] == expected


def test_vague_claims_are_checked_only_for_a_direction():
    assert claims.judge("vague", "fraction", float("nan"), 0.6, "most managers")[0] == claims.AGREES
    assert claims.judge("vague", "fraction", float("nan"), 0.4, "the majority")[0] == claims.CONTRADICTS
    assert claims.judge("vague", "fraction", float("nan"), 0.1, "a small minority")[0] == claims.AGREES
    assert claims.judge("vague", "count", float("nan"), 4.0, "a small number")[0] == claims.UNCHECKABLE
    assert claims.judge("vague", "year", 2000, 2001.0, "early 2000s")[0] == claims.UNCHECKABLE


def test_the_tolerance_is_ten_per_cent():
    assert math.isclose(claims.APPROXIMATE_TOLERANCE, 0.10)


# --- the verdicts follow the data ------------------------------------------------------------


def test_correcting_a_table_cell_turns_a_contradiction_into_agreement(data_copy):
    row = row_number(data_copy, "trust_comparison.csv", trust="specialist", aspect="turnover")
    data_copy.set_cell("trust_comparison.csv", row, "number", "270")
    changed = claims.claim_verdicts(validate(data_copy.folder)).set_index("claim_id")
    assert changed.loc["c1-197", "verdict"] == claims.AGREES
    assert changed.loc["c1-197", "computed"] == 270e6
    about = changed.loc["c1-197", "refers_to"]
    assert about not in set(claims.contradictions(changed.reset_index())["About"])


def test_moving_a_table_cell_away_turns_agreement_into_a_contradiction(data_copy):
    row = row_number(data_copy, "trust_comparison.csv", trust="acute", aspect="turnover")
    data_copy.set_cell("trust_comparison.csv", row, "number", "400")
    changed = claims.claim_verdicts(validate(data_copy.folder)).set_index("claim_id")
    assert changed.loc["c1-167", "verdict"] == claims.CONTRADICTS


def test_giving_a_vague_claim_an_expression_makes_it_checkable(data_copy):
    row = row_number(data_copy, "claims.csv", claim_id="c1-191")  # 'Most of the managers interviewed'
    data_copy.set_cell(
        "claims.csv", row, "check_expression", "sum(gender.count; sex=female) / sum(gender.count)"
    )
    changed = claims.claim_verdicts(validate(data_copy.folder)).set_index("claim_id")
    assert changed.loc["c1-191", "verdict"] == claims.AGREES  # 40 of 68 > one half
    data_copy.set_cell(
        "claims.csv", row, "check_expression", "sum(gender.count; sex=male) / sum(gender.count)"
    )
    changed = claims.claim_verdicts(validate(data_copy.folder)).set_index("claim_id")
    assert changed.loc["c1-191", "verdict"] == claims.CONTRADICTS  # 28 of 68 is not most


# --- printed totals --------------------------------------------------------------------------


def test_every_printed_total_is_summarised_once(data):
    checks = printed_total_checks(data)
    summary = claims.totals_summary(checks)
    assert summary["Totals checked"].sum() == len(data["printed_totals"])
    assert (summary["Agree"] + summary["Flagged source discrepancies"] == summary["Totals checked"]).all()


def test_cross_table_rules_all_hold(data):
    assert (claims.cross_table_checks(data)["Holds"] == "yes").all()


def test_a_flagged_source_error_is_counted_not_corrected(data_copy):
    row = row_number(data_copy, "printed_totals.csv", expression="sum(age.count; age_band=60+)")
    data_copy.set_cell("printed_totals.csv", row, "printed_total", "2", rehash=False)
    data_copy.set_cell("printed_totals.csv", row, "source_discrepancy", "true")
    checks = printed_total_checks(validate(data_copy.folder))
    summary = claims.totals_summary(checks).set_index("Table")
    assert summary.loc["Table 3.4", "Agree"] == summary.loc["Table 3.4", "Totals checked"] - 1
    assert summary.loc["Table 3.4", "Flagged source discrepancies"] == 1


def test_prose_tensions_show_both_values(data):
    tensions = claims.prose_tensions(data)
    assert len(tensions) == len(claims.PROSE_TENSIONS)
    first = tensions.iloc[0]
    assert first["One passage"].startswith("2009") and first["Elsewhere"].startswith("2010")
