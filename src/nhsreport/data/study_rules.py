"""The study's own rules across its files, which no schema can express: which cells must add up
to which (:func:`cross_table_rules`) and which codes must exist where another field says what
they refer to (:data:`CONDITIONAL_REFERENCES`). The generic loader (:func:`nhsreport.data.load.validate`)
takes them as data; another study would bring its own module.
"""


def cross_table_rules(trusts, cohorts):
    """Rules that tie files together: (description, expression, expression it must equal).

    ``validate`` passes the codes listed in ``trusts.csv`` and ``cohorts.csv``.
    """
    rules = []
    for trust in trusts:
        for cohort in cohorts:
            where = f"trust={trust} & cohort={cohort}"
            rules.append(
                (
                    f"Table 3.3 gender cells add up to the Table 3.2 sample ({trust}, {cohort})",
                    f"sum(gender.count; {where})",
                    f"value(sample_participants.count; {where})",
                )
            )
        rules.append(
            (
                f"Table 3.4 age bands add up to the Table 3.2 sample ({trust})",
                f"sum(age.count; trust={trust})",
                f"sum(sample_participants.count; trust={trust})",
            )
        )
    rules.append(
        (
            "the ethnicity facts cover the whole sample",
            "sum(sample_facts.count; topic=ethnicity)",
            "sum(sample_participants.count)",
        )
    )
    for trust in trusts:
        rules.append(
            (
                f"Table 3.6 formal interviews equal the Table 3.2 sample ({trust})",
                f"value(data_collected.value; group={trust} & measure=interviews_formal)",
                f"sum(sample_participants.count; trust={trust})",
            )
        )
    return rules


# Codes that depend on another field's value, so a plain foreign key cannot express them:
# (resource, condition field, condition value, local fields, target resource, target fields).
CONDITIONAL_REFERENCES = [
    (
        "network_evidence",
        "target_kind",
        "dimension_pole",
        ("dimension", "target"),
        "network_dimension_poles",
        ("dimension", "pole"),
    ),
    ("network_evidence", "target_kind", "trust", ("target",), "trusts", ("code",)),
    ("network_evidence", "target_kind", "cohort", ("target",), "cohorts", ("code",)),
]
