"""The one error raised for bad data: it names the file, the row, the column and the rule."""


class DataError(Exception):
    """A data file breaks a rule. ``row`` is the 1-based data row (the header is not a row)."""

    def __init__(self, file, rule, detail, row=None, column=None):
        detail = " ".join(str(detail).splitlines())  # one line per error, whatever a library says
        self.file, self.rule, self.detail, self.row, self.column = file, rule, detail, row, column
        super().__init__(self.describe())

    def describe(self):
        where = [f"data/{self.file}"]
        if self.row is not None:
            where.append(f"row {self.row}" if isinstance(self.row, int) else f"rows {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: rule '{self.rule}' broken: {self.detail}"


class DataErrors(Exception):
    """Every rule broken in one validation pass, so one run shows them all."""

    def __init__(self, errors):
        self.errors = list(errors)
        lines = "\n".join(f"  - {error.describe()}" for error in self.errors)
        super().__init__(f"{len(self.errors)} data rule(s) broken:\n{lines}")
