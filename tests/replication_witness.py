"""SYNTHETIC: a respondent file made up from the study's printed aggregates (Tables 3.2-3.5 and
5.1, and one allocation of the unprinted training figures that meets the book's statements).
It is consistent with what the book prints and is NOT the study's data: the 68 interviews are
confidential. Used only by the tests; never shown as data, never written under data/.
"""

import numpy as np
import pandas as pd

from nhsreport.analyses.training import enumerate_allocations, witness_allocation
from nhsreport.data.codes import cohort_codes, trust_codes
from nhsreport.replication.respondents import fields
from nhsreport.replication.study import study_tables

NAME = "synthetic-witness.csv"


def expanded(table, keys, column):
    """{keys: [code, code, ...]}: each code repeated as many times as its count."""
    out = {}
    for row in table.itertuples(index=False):
        row = row._asdict()
        out.setdefault(tuple(row[k] for k in keys), []).extend([row[column]] * int(row["count"]))
    return out


def witness_frame(data):
    study = study_tables(data)
    sexes = expanded(study["sex"], ("organisation", "cohort"), "sex")
    backgrounds = expanded(study["clinical_backgrounds"], ("organisation", "cohort"), "clinical_background")
    ages = expanded(study["age"], ("organisation",), "age_band")
    allocation = witness_allocation(enumerate_allocations(data))
    tenure = study["tenure"].set_index(["organisation", "measure"])["mean_years"]
    rows = []
    for trust in trust_codes():
        trust_ages = iter(ages[(trust,)])
        for cohort in cohort_codes():
            levels = [
                lvl
                for lvl in ("minimal", "some", "substantial")
                for _ in range(allocation[(trust, cohort, lvl)])
            ]
            for sex, background, level in zip(
                sexes[(trust, cohort)], backgrounds[(trust, cohort)], levels, strict=True
            ):
                rows.append(
                    {
                        "respondent_id": f"synthetic-witness-{len(rows) + 1:03d}",
                        "organisation": trust,
                        "organisation_type": trust,
                        "cohort": cohort,
                        "sex": sex,
                        "age_band": next(trust_ages),
                        "years_in_post": tenure[(trust, "in_post")],
                        "years_in_organisation": tenure[(trust, "in_organisation")],
                        "years_in_nhs": tenure[(trust, "in_nhs")],
                        "years_outside_nhs": tenure[(trust, "outside_nhs")],
                        "training_level": level,
                        "clinical_background": background,
                    }
                )
    frame = pd.DataFrame(rows)
    return frame.reindex(columns=[f["name"] for f in fields()]).astype(object).fillna("")


def write_witness(folder, data):
    path = folder / NAME
    witness_frame(data).to_csv(path, index=False, lineterminator="\n")
    return path


def random_respondents(rows, organisations, seed=0):
    """SYNTHETIC respondents drawn at random (every code equally likely), for scale tests and the
    benchmark: ``rows`` managers spread over ``organisations`` organisations."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "respondent_id": [f"synthetic-{i:07d}" for i in range(rows)],
            "organisation": [f"Synthetic organisation {i % organisations:04d}" for i in range(rows)],
        }
    )
    for field in fields():
        constraints = field.get("constraints", {})
        if "enum" in constraints:
            frame[field["name"]] = rng.choice(constraints["enum"], rows)
        elif field["type"] == "boolean":
            frame[field["name"]] = rng.choice(["true", "false", ""], rows)
    post = rng.uniform(0, 10, rows).round(1)
    frame["years_in_post"] = post
    frame["years_in_organisation"] = (post + rng.uniform(0, 10, rows)).round(1)
    frame["years_in_nhs"] = rng.uniform(0, 30, rows).round(1)
    frame["years_outside_nhs"] = np.where(
        rng.random(rows) < 0.2, "", rng.uniform(0, 10, rows).round(1).astype(str)
    )
    return frame[[f["name"] for f in fields()]]
