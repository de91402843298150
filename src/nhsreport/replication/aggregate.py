"""The six replication tables from a validated respondent frame (no suppression here)."""

TABLES = ("sample", "sex", "age", "tenure", "training", "clinical_backgrounds")


def aggregate(frame):
    """{table name: DataFrame} for ``TABLES``; every organisation x category, zeros included."""
    raise NotImplementedError
