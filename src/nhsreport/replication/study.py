"""The study's published values in the shapes of the replication tables."""


def study_tables():
    """{table name: DataFrame} of the study's printed values (training as low/high ranges)."""
    raise NotImplementedError
