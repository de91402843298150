"""Display tables rebuilt from the validated data: rows and columns labelled as in the book,
totals and rates computed here (never read from the printed totals)."""

from ..data.codes import cohort_codes, trust_codes, trust_labels

TOTAL = "Total"


def percent(part, whole, decimals=0):
    """Percentage rounded to ``decimals`` places (a whole number when decimals is 0)."""
    if not whole:
        return float("nan")
    value = round(100 * float(part) / float(whole), decimals)
    return int(value) if decimals == 0 else value


def crosstab(frame, rows, columns, value="count", row_order=None, column_order=None):
    """Wide table of ``value`` with a Total row and a Total column, computed from the cells.
    Rows and columns default to the trusts and management groups, in the data's order."""
    row_order = trust_codes() if row_order is None else row_order
    column_order = cohort_codes() if column_order is None else column_order
    wide = frame.pivot_table(index=rows, columns=columns, values=value, aggfunc="sum", observed=True)
    wide = wide.reindex(index=list(row_order), columns=list(column_order)).fillna(0).astype(int)
    wide[TOTAL] = wide.sum(axis=1)
    wide.loc[TOTAL] = wide.sum(axis=0)
    return wide


def labelled(wide, column_names=None, total_row=True):
    """Readable labels in place of codes; the index becomes the first column."""
    out = wide.rename(index={**trust_labels(), TOTAL: TOTAL}, columns=column_names or {})
    out.index.name = "Trust"
    out.columns.name = None
    return out.reset_index()


def cell_text(value):
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table_block(frame, label, caption, note=None):
    """A MyST numbered table: ``{table}`` directive, pipe table, CSV download link."""
    header = "| " + " | ".join(cell_text(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" if i == 0 else "--:" for i in range(len(frame.columns))) + "|"
    body = ["| " + " | ".join(cell_text(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    lines = [f"```{{table}} {caption}", f":name: {label}", "", header, rule, *body, "```", ""]
    if note:
        lines += [note, ""]
    lines.append(f"Download: {{download}}`CSV <../figures/{label}.csv>`")
    return "\n".join(lines)
