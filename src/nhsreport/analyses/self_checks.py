"""One source for every count the report states about its own checks.

The home page, the chapters and the appendix each tell some of these counts: how many numbers in
the book's prose contradict its tables, how many claims could be checked, how many printed totals
agree, how many of the training statements are exact, where chapter 2 of the book gives two
values for one thing, and for how many recommendation sub-points a level is stated or inferred.
Each count is computed here, once, from the registers in ``data/``; a chapter that tells one glues
it from :func:`glue_counts` under the name given here, so the same fact carries the same name and
value on every page.
"""

from ..data.totals import printed_total_checks
from ..presentation import wording
from . import appendix_reproducibility as checks
from . import nhs_management_context as timeline
from . import recommendations as rec

#: Locator of a printed total that the book gives in its text, not in a table.
TEXT_LOCATOR = "text"
#: The locator of a claim from chapter 2 of the book starts with this.
CHAPTER_2 = "text, ch. 2:"


def claim_counts(verdicts):
    """Claims of the register by verdict (every verdict present, zeros included)."""
    by_verdict = verdicts["verdict"].value_counts()
    counted = {key: int(by_verdict.get(verdict, 0)) for key, verdict in CLAIM_VERDICT_KEYS}
    return {
        "claims": len(verdicts),
        "claims_checkable": int((verdicts["verdict"] != checks.UNCHECKABLE).sum()),
        **counted,
    }


#: (glue name, verdict) for the claim counts.
CLAIM_VERDICT_KEYS = (
    ("claims_agree", checks.AGREES),
    ("claims_rounded", checks.ROUNDED),
    ("claims_contradict", checks.CONTRADICTS),
    ("claims_contradict_on_proxy", checks.PROXY_CONTRADICTS),
    ("claims_unchecked", checks.UNCHECKABLE),
)


def totals_counts(totals):
    """Printed totals: all of them, those printed in tables and in the text, agreeing, flagged."""
    in_text = totals["locator"] == TEXT_LOCATOR
    return {
        "totals": len(totals),
        "totals_in_tables": int((~in_text).sum()),
        "totals_in_text": int(in_text.sum()),
        "totals_agree": int(totals["agrees"].sum()),
        "totals_flagged": int(totals["source_discrepancy"].sum()),
        "totals_places": int(totals.loc[~in_text, "locator"].nunique()),
    }


def training_statement_counts(constraints):
    """The book's statements on its unprinted training charts, as Table 4.1 lists them: one row
    per statement (a statement encoded as two checks counts once), exact or resting on vague words."""
    statements = constraints.sort_values("constraint_id", kind="stable").drop_duplicates("paraphrase")
    exact = statements["encoded"].astype(bool)
    return {
        "training_checks": len(constraints),
        "training_statements": len(statements),
        "training_statements_exact": int(exact.sum()),
        "training_statements_read": int((~exact).sum()),
    }


def chapter2_tensions(data):
    """Pairs of claims from chapter 2 of the book that give two values for one thing, from the
    appendix's list of places where the book disagrees with itself."""
    claims = data["claims"].set_index("claim_id")
    return [
        (first, other, note)
        for first, other, note in checks.PROSE_TENSIONS
        if str(claims.loc[first, "locator"]).startswith(CHAPTER_2)
    ]


def context_conflict_count(data):
    """Places where chapter 2 of the book dates, names or describes one thing in two ways: the
    timeline's conflicts and the pairs of prose claims, counted once each."""
    events, periods, programmes = (
        data["timeline_events"],
        data["nhs_management_periods"],
        data["training_programmes"],
    )
    table = timeline.conflicts_table(events, periods, programmes, tensions=chapter2_tension_rows(data))
    return {"context_conflicts": len(table)}


def chapter2_tension_rows(data):
    """The chapter-2 pairs as rows of the context chapter's conflicts table."""
    claims = data["claims"].set_index("claim_id")
    rows = []
    for first, other, _note in chapter2_tensions(data):
        one, two = claims.loc[first], claims.loc[other]
        rows.append(
            (
                sentence_case(str(one["refers_to"])),
                "year" if one["unit"] == "year" else str(one["unit"]),
                f"{int(one['printed_value'])} (text, p. {int(one['page'])})",
                f"{int(two['printed_value'])} (text, p. {int(two['page'])})",
            )
        )
    return rows


def sentence_case(text):
    """First letter upper case, the rest as written ('change of UK government')."""
    return text[:1].upper() + text[1:]


def recommendation_level_counts(data):
    """Recommendation sub-points by how their level is known: stated, inferred, partly both, none
    (one count per basis, so they add up to every sub-point)."""
    points = data["recommendation_points"]
    by_basis = rec.basis_by_point(points)
    return {
        "rec_stated_points": by_basis[rec.STATED],
        "rec_inferred_points": by_basis[rec.INFERRED],
        "rec_mixed_points": by_basis[rec.MIXED],
        "rec_none_points": by_basis[rec.NOT_STATED],
        "rec_points": len(points),
    }


#: Each family of counts and the function computing it from the validated data. A chapter that
#: glues one count reads only the registers of its family.
FAMILIES = (
    lambda data: claim_counts(checks.claim_verdicts(data)),
    lambda data: totals_counts(printed_total_checks(data)),
    lambda data: training_statement_counts(data["training_constraints"]),
    context_conflict_count,
    recommendation_level_counts,
)
#: The glue names of each family, in the order of FAMILIES.
FAMILY_NAMES = (
    ("claims", "claims_checkable", *(name for name, _ in CLAIM_VERDICT_KEYS)),
    ("totals", "totals_in_tables", "totals_in_text", "totals_agree", "totals_flagged", "totals_places"),
    ("training_checks", "training_statements", "training_statements_exact", "training_statements_read"),
    ("context_conflicts",),
    ("rec_stated_points", "rec_inferred_points", "rec_mixed_points", "rec_none_points", "rec_points"),
)


def counts_named(data, names):
    """The named counts, computing only the families they belong to."""
    unknown = set(names) - {name for family in FAMILY_NAMES for name in family}
    if unknown:
        raise KeyError(f"no such count: {sorted(unknown)}")
    found = {}
    for compute, family in zip(FAMILIES, FAMILY_NAMES):
        if set(names) & set(family):
            found.update(compute(data))
    return {name: found[name] for name in names}


def all_counts(data):
    """Every count of this module, by its glue name."""
    return counts_named(data, [name for family in FAMILY_NAMES for name in family])


#: Counts that prose tells as a phrase rather than a bare number: "all 53" (a part of another
#: count) or "no total" (a count of a noun). Every other count is told by wording.number.
PHRASES = {"totals_agree": ("part of", "totals"), "totals_flagged": ("count of", "total")}


def told(name, counts):
    """How running prose tells the count ``name`` (``counts`` holds it and what its phrase needs)."""
    kind, other = PHRASES.get(name, (None, None))
    if kind == "part of":
        return wording.part(counts[name], counts[other])
    if kind == "count of":
        return wording.count(counts[name], other)
    return wording.number(counts[name])


def glue_counts(chapter, names):
    """Glue the named counts into a chapter as prose tells them, computed here and nowhere else."""
    needed = [
        other for name in names if PHRASES.get(name, ("",))[0] == "part of" for other in PHRASES[name][1:]
    ]
    counts = counts_named(chapter.data, list(dict.fromkeys([*names, *needed])))
    for name in names:
        chapter.glue(name, told(name, counts))
    return {name: counts[name] for name in names}
