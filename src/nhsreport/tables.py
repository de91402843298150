"""Display tables rebuilt from the validated data: rows and columns labelled as in the book,
totals and rates computed here (never read from the printed totals)."""
import pandas as pd

from .data import COHORTS, TRUSTS
from .labels import cohort_labels, trust_labels

TOTAL = "Total"


def percent(part, whole, decimals=0):
    """Percentage rounded to ``decimals`` places (a whole number when decimals is 0)."""
    if not whole:
        return float("nan")
    value = round(100 * float(part) / float(whole), decimals)
    return int(value) if decimals == 0 else value


def crosstab(frame, rows, columns, value="count", row_order=TRUSTS, column_order=COHORTS):
    """Wide table of ``value`` with a Total row and a Total column, computed from the cells."""
    wide = frame.pivot_table(index=rows, columns=columns, values=value, aggfunc="sum", observed=True)
    wide = wide.reindex(index=list(row_order), columns=list(column_order)).fillna(0).astype(int)
    wide[TOTAL] = wide.sum(axis=1)
    wide.loc[TOTAL] = wide.sum(axis=0)
    return wide


def sample_table(participants, declined):
    """Table 3.2 with the derived columns: approached and participation rate."""
    wide = crosstab(participants, "trust", "cohort")
    declined_by_trust = declined.set_index("trust")["count"]
    wide["Declined"] = list(declined_by_trust.reindex(TRUSTS)) + [int(declined_by_trust.sum())]
    wide["Approached"] = wide[TOTAL] + wide["Declined"]
    wide["Participation %"] = [percent(n, a) for n, a in zip(wide[TOTAL], wide["Approached"])]
    return labelled(wide, column_names={**cohort_labels(), TOTAL: "Participants"})


def gender_table(gender):
    """Table 3.3 as 'men / women' counts per cohort, with totals."""
    men = crosstab(gender[gender["sex"] == "male"], "trust", "cohort")
    women = crosstab(gender[gender["sex"] == "female"], "trust", "cohort")
    combined = men.astype(str) + " / " + women.astype(str)
    combined["Women %"] = [percent(w, m + w) for m, w in zip(men[TOTAL], women[TOTAL])]
    return labelled(combined, column_names=cohort_labels())


def age_table(age, bands):
    wide = crosstab(age, "trust", "age_band", column_order=bands)
    return labelled(wide)


def tenure_table(tenure, measure_labels):
    wide = tenure.pivot(index="trust", columns="measure", values="mean_years")
    wide = wide.reindex(index=list(TRUSTS), columns=list(measure_labels)).rename(columns=measure_labels)
    return labelled(wide.map(lambda v: f"{v:.2f}"), total_row=False)


def labelled(wide, column_names=None, total_row=True):
    """Readable labels in place of codes; the index becomes the first column."""
    out = wide.rename(index={**trust_labels(), TOTAL: TOTAL}, columns=column_names or {})
    out.index.name = "Trust"
    out.columns.name = None
    return out.reset_index()


def printed_total_checks(data):
    """Every printed total beside the sum recomputed from its cells."""
    totals = data["printed_totals"]
    totals["recomputed"] = [data.evaluate(e) for e in totals["expression"]]
    totals["agrees"] = (totals["recomputed"] - totals["printed_total"]).abs() < 1e-9
    return totals


def ethnicity_grade_table(facts, sample_size):
    """The prose facts of pp. 35-36, with percentages and the derived grade 8a-8d remainder."""
    names = {"white_british": "White British", "asian_british": "Asian British (all men)",
             "grade_7": "Grade 7", "grade_9": "Grade 9", "consultants_scale": "Consultants' scale"}
    rows = []
    for topic, label in (("ethnicity", "Ethnicity"), ("grade", "Salary grade")):
        subset = facts[facts["topic"] == topic].groupby("category", sort=False)["count"].sum()
        for category, n in subset.items():
            rows.append((label, names[category], int(n), percent(n, sample_size), "printed"))
        if topic == "grade":
            remainder = sample_size - int(subset.sum())
            rows.append((label, "Grades 8a–8d", remainder, percent(remainder, sample_size),
                         "derived: sample minus the printed exceptions"))
    return pd.DataFrame(rows, columns=["Topic", "Group", "Managers", "%", "Status"])
