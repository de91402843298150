"""The small expression language in which printed totals, claims and constraints are checked.

    sum(resource.field; f1=v1 & f2=v2|v3 & f3!=v4)   sum of a field over matching rows
    value(resource.field; ...)                        the one matching row's value
    rows(resource; ...)                               how many rows match
    distinct(resource.field; ...)                     how many distinct values among matching rows

combined with numbers, + - * / and parentheses. Conditions compare the values as written in the
CSV file (codes), so ``trust=care`` means the text ``care``. data/TRANSCRIPTION.md documents it.
"""

import ast
import operator
import re
from dataclasses import dataclass, field

CALL = re.compile(r"\b(sum|value|rows|distinct)\(\s*([^()]*?)\s*\)")
CONDITION = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(!=|=)\s*(.*?)\s*$")
ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class ExpressionError(ValueError):
    """An expression that cannot be evaluated (bad syntax, unknown resource or field)."""


@dataclass
class Evaluation:
    """The value of an expression and the data rows (1-based, per resource) it was computed from."""

    value: float
    rows: dict = field(default_factory=dict)


def parse_conditions(text):
    """``a=x|y & b!=z`` -> [(field, negated, {values})]."""
    conditions = []
    for part in filter(None, (p.strip() for p in text.split("&"))):
        match = CONDITION.match(part)
        if not match:
            raise ExpressionError(f"cannot read condition {part!r}")
        name, op, values = match.groups()
        conditions.append((name, op == "!=", set(v.strip() for v in values.split("|"))))
    return conditions


def select(frame, conditions, resource):
    """The rows of a raw (all-text) frame that meet every condition."""
    mask = None
    for name, negated, values in conditions:
        if name not in frame.columns:
            raise ExpressionError(f"resource {resource!r} has no field {name!r}")
        hit = frame[name].fillna("").isin(values)
        hit = ~hit if negated else hit
        mask = hit if mask is None else mask & hit
    return frame if mask is None else frame[mask]


def call_value(function, argument, raw_tables, typed_tables, used_rows):
    """Evaluate one call such as ``sum(gender.count; sex=male)``."""
    target, _, condition_text = argument.partition(";")
    resource, _, column = target.strip().partition(".")
    if resource not in raw_tables:
        raise ExpressionError(f"unknown resource {resource!r}")
    if function != "rows" and not column:
        raise ExpressionError(f"{function}() needs resource.field, got {target.strip()!r}")
    matched = select(raw_tables[resource], parse_conditions(condition_text), resource)
    used_rows.setdefault(resource, []).extend(int(i) + 1 for i in matched.index)
    if function == "rows":
        return float(len(matched))
    typed = typed_tables[resource]
    if column not in typed.columns:
        raise ExpressionError(f"resource {resource!r} has no field {column!r}")
    values = typed.loc[matched.index, column]
    if function == "sum":
        return float(values.sum())
    if function == "distinct":
        return float(values.nunique())
    if len(values) != 1:
        raise ExpressionError(f"value() of {argument!r} matched {len(values)} rows, not 1")
    return float(values.iloc[0])


def arithmetic(node):
    """Numbers and + - * / only: nothing else of Python is reachable from a data file."""
    if isinstance(node, ast.Expression):
        return arithmetic(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -arithmetic(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        return ARITHMETIC[type(node.op)](arithmetic(node.left), arithmetic(node.right))
    raise ExpressionError("only numbers, + - * / and parentheses may combine calls")


def evaluate(expression, raw_tables, typed_tables):
    """Value of ``expression`` over the tables (name -> raw text frame, name -> typed frame)."""
    used_rows = {}

    def replace(match):
        return repr(call_value(match.group(1), match.group(2), raw_tables, typed_tables, used_rows))

    text = CALL.sub(replace, str(expression))
    try:
        value = arithmetic(ast.parse(text, mode="eval"))
    except (SyntaxError, ZeroDivisionError) as error:
        raise ExpressionError(f"cannot evaluate {expression!r}: {error}") from error
    return Evaluation(value, {name: sorted(set(rows)) for name, rows in used_rows.items()})
