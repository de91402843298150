"""Slips an audit found in the prose, each held by a rule that would catch it again: a tie is told
as a tie; a share of a difference is computed, not guessed; a reading applied to one network type
is applied to every type it fits; a contradiction between the book's prose and its tables is in
the claim register; the source's hedges stay in the report's sentences."""

import re

from nhsreport.analyses import networks
from nhsreport.analyses import who_was_studied as studied
from nhsreport.contents import chapter_sources

# --- who was studied: ties and shares -------------------------------------------------------------


def test_the_most_declined_is_a_tie_between_care_and_specialist(data):
    # The book's Table 3.2 (p. 35): 10 declined or did not respond at each of the two trusts.
    assert studied.most_declined(data["sample_declined"]) == (10, ["care", "specialist"])


def test_a_single_top_trust_is_named_alone(data):
    declined = data["sample_declined"].copy()
    declined.loc[declined["trust"] == "care", "count"] = 11
    assert studied.most_declined(declined) == (11, ["care"])


def test_the_care_general_managers_explain_half_of_the_womens_lead(data):
    lead = studied.women_lead_without(data["gender"], "care", "general")
    assert lead == {"lead": 12, "cell_lead": 6, "women_without": 31, "men_without": 25}


# --- networks: one reading for every type it fits -------------------------------------------------
# The book's Table 7.1 defines five types as contacts in another organization; if the definition
# places one of them outside the organization, it places all of them there.
OTHER_ORGANIZATION_TYPES = {
    "academic_scientific",
    "commercial_third_sector",
    "government",
    "nhs",
    "public_sector",
}


def test_every_type_defined_as_contacts_elsewhere_is_placed_outside(data):
    assert networks.outside_by_definition(data["network_evidence"]) == OTHER_ORGANIZATION_TYPES


def test_dropping_one_of_them_is_seen(data):
    evidence = data["network_evidence"]
    evidence = evidence[~((evidence["network_type"] == "government") & (evidence["locator"] == "Table 7.1"))]
    assert networks.outside_by_definition(evidence) != OTHER_ORGANIZATION_TYPES


def test_the_chapter_says_these_placements_are_the_reports_reading():
    text = next(s for s in chapter_sources() if s.stem == "networks").read_text(encoding="utf-8")
    assert "this report's reading" in text and "{glue:text}`by_definition_types`" in text


# --- the claim register holds the Care functional manager's contradiction ---------------------------


def test_the_care_finance_director_is_a_contradiction_in_the_register(data):
    from nhsreport.analyses import appendix_reproducibility as claims

    verdicts = claims.claim_verdicts(data).set_index("claim_id")
    assert verdicts.loc["c1-244", "verdict"] == claims.CONTRADICTS
    row = data["claims"].set_index("claim_id").loc["c1-244"]
    assert (row["page"], row["line"]) == (66, 3241)  # the prose, and below the table's row
    assert "p. 84" in row["check_note"] and "line 4199" in row["check_note"]


# --- words the sources do not support ---------------------------------------------------------------
# Wordings the audit found that say more than the source (regular expressions), each with the page
# that shows why. The rule reads every chapter's prose and every paraphrase in the data.
UNSUPPORTED = {
    "still dominates": "the book hedges: the third view 'perhaps best resonates' (p. 69)",
    "the book overstates": "the verdict rests on this report's proxy for 'hybrid' (Table 6.2's note)",
    "most refusals": "Care and Specialist tie (p. 35), and the count includes non-response",
    r"outnumbered men.{0,120}mostly because": "the Care general managers explain six of the 12 extra women (Table 3.3, p. 36)",
    "winning contract": "the book says a strong track record of bidding, not of winning (Table 3.7, p. 41)",
    "descriptions of the trusts agree": "only the Acute and Specialist descriptions give a staff number (pp. 43, 50)",
}


def unsupported_wordings(texts):
    return sorted(
        f"{where}: {phrase!r} ({why})"
        for where, text in texts.items()
        for phrase, why in UNSUPPORTED.items()
        if re.search(phrase, " ".join(text.split()), re.IGNORECASE)
    )


def report_texts(data):
    texts = {source.name: source.read_text(encoding="utf-8") for source in chapter_sources()}
    for name in ("trust_comparison", "recommendation_points", "network_evidence", "recommendations"):
        frame = data[name]
        texts[name] = " ".join(
            frame[c].dropna().astype(str).str.cat(sep=" ")
            for c in ("text", "paraphrase", "summary")
            if c in frame
        )
    return texts


def test_no_sentence_says_more_than_its_source(data):
    assert unsupported_wordings(report_texts(data)) == []


def test_the_rule_catches_a_dropped_hedge():
    found = unsupported_wordings(
        {"x.md": "The third view still\n dominates, and the book overstates the ratio."}
    )
    assert len(found) == 2
