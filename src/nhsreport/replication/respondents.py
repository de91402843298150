"""The respondent-level file: its schema, its template and the gate every file passes."""

from ..paths import PROJECT_ROOT

SCHEMA = PROJECT_ROOT / "data" / "replication" / "respondents.schema.json"
TEMPLATE = PROJECT_ROOT / "data" / "replication" / "respondents-template.csv"


def read_respondents(path):
    """The respondent file at ``path``, validated, as a typed DataFrame.

    Raises :class:`nhsreport.data.errors.DataErrors`, one line per broken rule (file, row,
    column, rule)."""
    raise NotImplementedError
