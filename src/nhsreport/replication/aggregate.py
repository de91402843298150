"""The six replication tables from a validated respondent frame (no suppression here: see
:mod:`nhsreport.replication.disclosure`).

Counts and means come from :mod:`nhsreport.presentation.aggregation`, the functions the study
chapters' tables use, so a respondent file and the book's tidy tables are tabulated alike. Every
organisation x category combination appears, zeros included; organisations are sorted by name,
categories keep the schema's order. No respondent id or other row-level value is carried over.
"""

import pandas as pd

from ..presentation.aggregation import counts, means
from .respondents import code_columns

TABLES = ("sample", "sex", "age", "tenure", "training", "clinical_backgrounds")

# tenure.csv's measure -> the respondent column it averages
TENURE_MEASURES = {
    "in_post": "years_in_post",
    "in_organisation": "years_in_organisation",
    "in_nhs": "years_in_nhs",
    "outside_nhs": "years_outside_nhs",
}

# table -> the coded columns it crosses with organisation
COUNT_TABLES = {
    "sample": ("cohort",),
    "sex": ("cohort", "sex"),
    "age": ("age_band",),
    "training": ("cohort", "training_level"),
    "clinical_backgrounds": ("cohort", "clinical_background"),
}


def organisations(frame):
    return sorted(frame["organisation"].unique())


def count_table(frame, columns):
    codes = code_columns()
    levels = {"organisation": organisations(frame), **{c: codes[c] for c in columns}}
    return counts(frame, levels)


def tenure_table(frame):
    """organisation, measure, mean_years, n (n: respondents with a value)."""
    parts = []
    for measure, column in TENURE_MEASURES.items():
        part = means(frame, {"organisation": organisations(frame)}, column, name="mean_years")
        parts.append(
            part.assign(measure=pd.Categorical([measure] * len(part), categories=list(TENURE_MEASURES)))
        )
    tenure = pd.concat(parts, ignore_index=True).sort_values(["organisation", "measure"], kind="stable")
    tenure["measure"] = tenure["measure"].astype(str)
    return tenure[["organisation", "measure", "mean_years", "n"]].reset_index(drop=True)


def aggregate(frame):
    """{table name: DataFrame} for ``TABLES``; every organisation x category, zeros included."""
    tables = {name: count_table(frame, columns) for name, columns in COUNT_TABLES.items()}
    tables["tenure"] = tenure_table(frame)
    return {name: tables[name] for name in TABLES}
