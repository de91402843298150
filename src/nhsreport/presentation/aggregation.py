"""Counts and means over every combination of categories: the one aggregation the study chapters
(from the book's tidy tables, one row per printed cell) and the replication kit (from respondent
files, one row per manager, :mod:`nhsreport.replication.aggregate`) share.

A tidy table's rows carry a ``count`` (pass ``weight="count"``); a respondent's row counts once
(no weight). Either way the result has one row per combination of the categories given, in their
order, zeros included, and nothing outside them.
"""

import pandas as pd


def grid(levels):
    """Every combination of ``levels`` ({column: categories in order}) as a MultiIndex."""
    return pd.MultiIndex.from_product([list(v) for v in levels.values()], names=list(levels))


def grouped(frame, levels, column):
    """``frame[column]`` grouped by the columns of ``levels``, every combination present."""
    keys = {k: pd.Categorical(frame[k], categories=list(v)) for k, v in levels.items()}
    table = pd.DataFrame(keys, index=frame.index).assign(_value=frame[column])
    return table.groupby(list(levels), observed=False, sort=True)["_value"]


def counts(frame, levels, weight=None, name="count"):
    """Rows (or their ``weight``) summed in every combination of ``levels``: a long frame with
    one column per level and ``name``, zeros included."""
    frame = frame if weight else frame.assign(_one=1)
    sums = grouped(frame, levels, weight or "_one").sum()
    return pd.Series(sums.to_numpy().astype("int64"), index=grid(levels), name=name).reset_index()


def means(frame, levels, column, name="mean", n="n"):
    """Mean of ``column`` in every combination of ``levels`` and the number of known values it
    is over (missing values are left out; a combination without any has mean NaN and n 0)."""
    groups = grouped(frame, levels, column)
    out = pd.DataFrame(
        {name: groups.mean().to_numpy(), n: groups.count().to_numpy().astype("int64")}, index=grid(levels)
    )
    return out.reset_index()
