"""Disclosure control of the replication tables."""

METHODS = "(to be written)"


def protect(tables, min_cell=5):
    """The tables with a ``suppressed`` column; suppressed values are emptied."""
    raise NotImplementedError


def suppression_report(tables):
    """What was suppressed and why (counts only) for protected ``tables``."""
    raise NotImplementedError
