"""The study's published values in the shapes of the replication tables (from ``data/`` through
:func:`nhsreport.data.load.load_data`), the reference the replication shows beside a user's.

Counts are tabulated by :func:`nhsreport.presentation.aggregation.counts`, as a respondent file is
(the book's tidy tables weighted by their ``count``), so categories the study did not use (sex
``other``, age ``60+`` where none was printed) are zeros. The study's trusts stand in the
``organisation`` column. ``tenure``'s ``n`` is the trust's sample (Table 3.5 prints means only).
Training was never printed (Figures 3.2 and 3.3): ``training`` gives, for each cell, the lowest
and highest count the book's statements allow (``low``, ``high``), from
:mod:`nhsreport.analyses.training`; rows whose ``cohort`` or ``organisation`` is ``all`` are the
bars of Figure 3.2 (by trust) and Figure 3.3 (by group).
"""

import pandas as pd

from ..analyses.careers_and_qualifications import NO_BACKGROUND, backgrounds_by_type
from ..analyses.training import LEVELS, enumerate_allocations
from ..data.codes import cohort_codes, trust_codes
from ..data.load import load_data
from ..presentation.aggregation import counts
from .aggregate import TENURE_MEASURES
from .respondents import code_columns

ALL = "all"
# Table 5.1's background types -> the respondent file's codes
BACKGROUND_CODES = {
    "Doctors": "doctor",
    "Nurses": "nurse",
    "Scientists": "scientist",
    "AHPs": "ahp",
    "Social workers": "social_worker",
    NO_BACKGROUND: "none",
}
TENURE_OF_STUDY = {"in_organization": "in_organisation"}  # data/tenure.csv spells it the US way


def levels(*columns):
    codes = code_columns()
    return {"organisation": list(trust_codes()), **{c: codes[c] for c in columns}}


def as_organisations(frame):
    return frame.rename(columns={"trust": "organisation"})


def count_tables(data):
    gender = as_organisations(data["gender"])
    age = as_organisations(data["age"])
    backgrounds = as_organisations(backgrounds_by_type(data))
    backgrounds["clinical_background"] = backgrounds["type"].map(BACKGROUND_CODES)
    return {
        "sample": counts(as_organisations(data["sample_participants"]), levels("cohort"), weight="count"),
        "sex": counts(gender, levels("cohort", "sex"), weight="count"),
        "age": counts(age, levels("age_band"), weight="count"),
        "clinical_backgrounds": counts(backgrounds, levels("cohort", "clinical_background"), weight="count"),
    }


def tenure_table(data, sample):
    tenure = as_organisations(data["tenure"]).replace({"measure": TENURE_OF_STUDY})
    sizes = sample.groupby("organisation", sort=False)["count"].sum()
    tenure["n"] = tenure["organisation"].map(sizes).astype("int64")
    order = list(TENURE_MEASURES)
    tenure["order"] = tenure["measure"].map(order.index)
    tenure = tenure.sort_values(["organisation", "order"], kind="stable")
    return (
        tenure[["organisation", "measure", "mean_years", "n"]]
        .astype({"mean_years": "float64"})
        .reset_index(drop=True)
    )


def training_table(data):
    """Lowest and highest count of each training cell and of each bar of Figures 3.2 and 3.3."""
    result = enumerate_allocations(data)
    minimal = result.minimal_tables  # feasible trust x cohort tables of minimal training
    rows = []
    for i, trust in enumerate(trust_codes()):
        for j, cohort in enumerate(cohort_codes()):
            low, high = int(minimal[:, i, j].min()), int(minimal[:, i, j].max())
            left = int(result.n[i, j]) - low
            spans = {"minimal": (low, high), "some": (0, left), "substantial": (0, left)}
            rows += [(trust, cohort, level, *spans[level]) for level in LEVELS]
    bounds = result.cell_bounds
    for _, bar in bounds.iterrows():
        trust, cohort = (bar["group"], ALL) if bar["figure"] == "3.2" else (ALL, bar["group"])
        rows.append((trust, cohort, bar["level"], int(bar["low"]), int(bar["high"])))
    return pd.DataFrame(rows, columns=["organisation", "cohort", "training_level", "low", "high"])


def study_tables(data=None):
    """{table name: DataFrame} of the study's printed values (training as low/high ranges)."""
    data = load_data() if data is None else data
    tables = count_tables(data)
    tables["tenure"] = tenure_table(data, tables["sample"])
    tables["training"] = training_table(data)
    return {
        name: tables[name] for name in ("sample", "sex", "age", "tenure", "training", "clinical_backgrounds")
    }
