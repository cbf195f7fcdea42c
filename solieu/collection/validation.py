"""Kiểm tra số liệu: checks of reported figures, as pure functions over plain data.

The web grid, the Excel import and the API must say exactly the same thing about the same
figures, so the checks take plain values (``RowSpec``, ``Rule``, ``dict[CellRef, Decimal]``)
built by the caller from the catalog, and never touch the database.  Three levels:

* ``check_cell``: one figure alone (type, decimal places, range);
* ``check_form``: a whole submission (every cell, required rows, implicit totals, the form's
  rules, DHIS2-style);
* ``check_history``: one figure against the unit's own past (warnings only), because a value
  can be valid and still a typo: modified z-score (median and MAD, robust to the skewed
  series DHIS2's plain z-score misflags) and change against the same period last year.

Every message is a complete Vietnamese sentence naming the row, the value and what is expected,
with numbers written the Vietnamese way (``solieu.vi.format_number``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Iterable, Mapping

from solieu.vi import format_number, format_percent

from .expressions import (
    CONTEXT,
    CellRef,
    Expression,
    ExpressionError,
    compile_expression,
    compile_list,
    decimal_places,
    unknown_references,
)

__all__ = [
    "CellRef",
    "Issue",
    "RowSpec",
    "Rule",
    "check_cell",
    "check_form",
    "check_history",
    "validate_rule",
]

TOTAL = "TOTAL"
INTEGER, DECIMAL, PERCENT, RANK = "integer", "decimal", "percent", "rank"
ADDITIVE = (INTEGER, DECIMAL)  # percentages and ranks are never summed (glossary)

OPERATOR_WORDS = {
    "==": "phải bằng",
    "!=": "phải khác",
    ">": "phải lớn hơn",
    ">=": "phải lớn hơn hoặc bằng",
    "<": "phải nhỏ hơn",
    "<=": "phải nhỏ hơn hoặc bằng",
}
_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}
PAIR_OPERATORS = ("compulsory_pair", "exclusive_pair")
MISSING_STRATEGIES = ("skip_if_any_missing", "skip_if_all_missing", "never_skip")
LEVELS = ("error", "warning")

DEFAULT_CHANGE_WARNING_PCT = Decimal(50)
MAD_FACTOR = Decimal("0.6745")  # makes the MAD comparable to a standard deviation (Iglewicz-Hoaglin)
MAD_THRESHOLD = Decimal("3.5")
MIN_HISTORY = 6
_CHECK_AGAIN = "hãy kiểm tra lại hoặc ghi chú giải thích."


@dataclass(frozen=True)
class RowSpec:
    """What validation needs to know of a form row, built by the caller from FormRow/Indicator."""

    code: str
    label: str
    value_type: str  # "integer" | "decimal" | "percent" | "rank"
    decimals: int
    required: bool = False
    min_value: Decimal | None = None  # None: 0 (no negative figures); set a negative minimum to allow them
    max_value: Decimal | None = None  # None: 100 for percent rows, unbounded otherwise
    options: tuple[str, ...] = ()
    parent: str | None = None
    is_total: bool = False
    change_warning_pct: Decimal | None = None  # None: DEFAULT_CHANGE_WARNING_PCT


@dataclass(frozen=True)
class Rule:
    """A form rule, DHIS2-style: ``left operator right`` with a missing-value strategy.

    ``missing`` applies to all the cells the rule reads: "skip_if_any_missing" skips the rule
    when one is empty; "skip_if_all_missing" skips it only when all are, and counts the empty
    ones as 0; "never_skip" always judges, empty cells counting as 0.
    """

    code: str
    left: str
    operator: str
    right: str
    missing: str = "skip_if_any_missing"
    level: str = "error"
    message: str = ""


@dataclass
class Issue:
    level: str  # "error" blocks submission; "warning" needs a comment
    cells: tuple[CellRef, ...]
    code: str  # "type", "decimals", "range", "required", "unknown_cell", "total", "rule:<code>", "outlier_*"
    message: str


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _where(row: RowSpec, option: str = TOTAL) -> str:
    text = f'Dòng {row.code} "{row.label}"'
    return text if option == TOTAL else f"{text}, cột {option}"


def _show(row: RowSpec, value: Decimal) -> str:
    return format_percent(value) if row.value_type == PERCENT else format_number(value)


def _quantize(value: Decimal, places: int) -> Decimal:
    context = Context(prec=max(CONTEXT.prec, value.adjusted() + places + 2))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=context)


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return CONTEXT.divide(CONTEXT.add(ordered[middle - 1], ordered[middle]), Decimal(2))


def _unique(refs: Iterable[CellRef]) -> tuple[CellRef, ...]:
    return tuple(dict.fromkeys(refs))


# ---------------------------------------------------------------------------
# One cell
# ---------------------------------------------------------------------------


def check_cell(row: RowSpec, value: Decimal, option: str = TOTAL) -> list[Issue]:
    """Type, decimal places and range of one figure (errors).

    Negative figures are refused unless the row sets a negative ``min_value``: counts and
    amounts are never negative, and a stray "-" is a common typo.
    """
    if _cell_ok(row, value):  # the usual answer, without building the messages (bulk imports)
        return []
    return _cell_issues(row, value, option)


def _cell_ok(row: RowSpec, value: Decimal) -> bool:
    """True exactly when _cell_issues finds nothing; no string is built.

    Why: an import checks every value, and formatting the row's label and the number for
    messages that are almost never shown cost more than the checks themselves."""
    if not value.is_finite():
        return False
    kind = row.value_type
    if kind == RANK or kind == INTEGER:
        if value.as_tuple().exponent < 0 and value != value.to_integral_value():
            return False
        if kind == RANK and value < 1:
            return False
    elif kind == DECIMAL or kind == PERCENT:
        # The exponent bounds the places from above: only then normalize (decimal_places).
        if -value.as_tuple().exponent > row.decimals and decimal_places(value) > row.decimals:
            return False
    lower = row.min_value
    if lower is None and kind != RANK:
        lower = _ZERO
    if lower is not None and value < lower:
        return False
    upper = row.max_value
    if upper is None and kind == PERCENT:
        upper = _HUNDRED
    return upper is None or value <= upper


_ZERO, _HUNDRED = Decimal(0), Decimal(100)


def _cell_issues(row: RowSpec, value: Decimal, option: str) -> list[Issue]:
    where = f"{_where(row, option)}: "

    def error(code: str, text: str) -> Issue:
        return Issue("error", (CellRef(row.code, option),), code, where + text)

    if not value.is_finite():
        return [error("type", f"giá trị {value} không phải là một con số.")]
    shown = _show(row, value)
    issues = []
    integral = value == value.to_integral_value()
    places = decimal_places(value)
    if row.value_type == RANK and not (integral and value >= 1):
        issues.append(error("type", f"{shown} không hợp lệ; thứ hạng phải là số nguyên dương (1, 2, 3...)."))
    elif row.value_type == INTEGER and not integral:
        issues.append(error("type", f"{shown} không hợp lệ; chỉ tiêu này phải là số nguyên."))
    elif row.value_type in (DECIMAL, PERCENT) and places > row.decimals:
        allowed = (
            f"chỉ được nhập tối đa {format_number(row.decimals)} chữ số thập phân"
            if row.decimals
            else "chỉ được nhập số nguyên"
        )
        issues.append(error("decimals", f"{shown} có {format_number(places)} chữ số thập phân; {allowed}."))

    lower = row.min_value if row.min_value is not None else (None if row.value_type == RANK else Decimal(0))
    upper = row.max_value if row.max_value is not None else (Decimal(100) if row.value_type == PERCENT else None)
    if lower is not None and value < lower:
        if row.min_value is None:
            issues.append(error("range", f"{shown} là số âm; chỉ tiêu này không nhận giá trị âm."))
        else:
            issues.append(error("range", f"{shown} nhỏ hơn giá trị tối thiểu cho phép là {_show(row, lower)}."))
    if upper is not None and value > upper:
        issues.append(error("range", f"{shown} lớn hơn giá trị tối đa cho phép là {_show(row, upper)}."))
    return issues


# ---------------------------------------------------------------------------
# One form
# ---------------------------------------------------------------------------


def check_form(
    rows: list[RowSpec], values: Mapping[CellRef, Decimal | None], rules: list[Rule]
) -> list[Issue]:
    """Everything that can be said of one submission without its history.

    In order: every filled cell (``check_cell``) and required row, cells the form does not
    have, implicit totals, then the form's rules.  ``None`` values count as empty cells, so the
    grid can pass its inputs as they are.  A rule whose text cannot be parsed raises
    ExpressionError: rules are checked when saved (``validate_rule``), so this is a bug to see.
    """
    present = {cell: value for cell, value in values.items() if value is not None}
    by_code = {row.code: row for row in rows}
    issues: list[Issue] = []
    for row in rows:
        for option in (TOTAL, *row.options):
            value = present.get(CellRef(row.code, option))
            if value is not None:
                issues.extend(check_cell(row, value, option))
        if row.required and CellRef(row.code) not in present:
            issues.append(Issue("error", (CellRef(row.code),), "required",
                                f"{_where(row)} là dòng bắt buộc nhưng chưa được nhập."))
    for cell in present:
        row = by_code.get(cell.row)
        if row is None:
            issues.append(Issue("error", (cell,), "unknown_cell", f"Ô {cell}: biểu không có dòng {cell.row}."))
        elif cell.option != TOTAL and cell.option not in row.options:
            issues.append(Issue("error", (cell,), "unknown_cell", f"{_where(row)} không có cột {cell.option}."))
    issues.extend(_check_totals(rows, present))
    for rule in rules:
        issues.extend(_check_rule(rule, present, by_code))
    return issues


def _check_totals(rows: list[RowSpec], present: Mapping[CellRef, Decimal]) -> list[Issue]:
    """A total row equals the sum of its child rows; a row's TOTAL the sum of its columns.

    Judged only when every part is filled: a half-filled block is the required check's
    business.  Percent and rank rows are skipped, since they do not add up.
    """
    children: dict[str, list[RowSpec]] = defaultdict(list)
    for row in rows:
        if row.parent:
            children[row.parent].append(row)
    issues = []
    for row in rows:
        if row.value_type not in ADDITIVE:
            continue
        kids = children.get(row.code, [])
        if row.is_total and kids:
            codes = ", ".join(kid.code for kid in kids)
            for option in (TOTAL, *row.options):
                if all(option == TOTAL or option in kid.options for kid in kids):
                    parts = [CellRef(kid.code, option) for kid in kids]
                    issues.extend(_sum_check(row, option, parts, f"phải bằng tổng các dòng {codes}", present))
        if row.options:
            parts = [CellRef(row.code, option) for option in row.options]
            text = f"(tổng số) phải bằng tổng các cột {', '.join(row.options)}"
            issues.extend(_sum_check(row, TOTAL, parts, text, present))
    return issues


def _sum_check(row, option, parts, text, present) -> list[Issue]:
    cell = CellRef(row.code, option)
    if cell not in present or any(part not in present for part in parts):
        return []
    total = Decimal(0)
    for part in parts:
        total = CONTEXT.add(total, present[part])
    if present[cell] == total:
        return []
    message = (
        f"{_where(row, option)} {text}: đang là {_show(row, present[cell])}, tổng là {_show(row, total)}."
    )
    return [Issue("error", (cell, *parts), "total", message)]


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


def _check_rule(rule: Rule, present: Mapping[CellRef, Decimal], rows: Mapping[str, RowSpec]) -> list[Issue]:
    if rule.operator in PAIR_OPERATORS:
        return _check_pair(rule, present)
    if rule.operator not in _COMPARE:
        raise ValueError(f"Quy tắc {rule.code}: phép so sánh {rule.operator!r} không có.")
    if rule.missing not in MISSING_STRATEGIES:
        raise ValueError(f"Quy tắc {rule.code}: cách xử lý ô trống {rule.missing!r} không có.")
    left, right = compile_expression(rule.left), compile_expression(rule.right)
    refs = _unique(left.references + right.references)
    missing = [ref for ref in refs if ref not in present]
    skip = {
        "skip_if_any_missing": bool(missing),
        "skip_if_all_missing": bool(refs) and len(missing) == len(refs),
        "never_skip": False,
    }[rule.missing]
    if skip:
        return []
    a = left.evaluate(present, missing_as_zero=True)
    b = right.evaluate(present, missing_as_zero=True)
    if a is None or b is None:  # division by zero: the rule cannot be judged
        return []
    # Compare at the precision of the figures, so "[1] / [2] * 100 == [7]" holds when [7] is
    # the ratio rounded to the row's decimals; sums of entered figures are exact anyway.
    places = max(
        [left.places, right.places]
        + [rows[ref.row].decimals for ref in refs if ref.row in rows]
        + [decimal_places(present[ref]) for ref in refs if ref in present]
    )
    a, b = _quantize(a, places), _quantize(b, places)
    if _COMPARE[rule.operator](a, b):
        return []
    if rule.message.strip():
        shown = [f"{side} là {format_number(v)}" for side, v in ((left, a), (right, b)) if side.references]
        text = rule.message.strip().rstrip(". ") + (": " + ", ".join(shown) if shown else "")
    else:
        text = f"{_side(left, a)} {OPERATOR_WORDS[rule.operator]} {_side(right, b)}"
    if missing:
        text += f". Ô chưa nhập được tính là 0: {', '.join(map(str, missing))}"
    return [Issue(rule.level, refs, f"rule:{rule.code}", f"Quy tắc {rule.code}: {text}.")]


def _side(expression: Expression, value: Decimal) -> str:
    if not expression.references:  # a constant speaks for itself: "phải lớn hơn 0"
        return format_number(value)
    return f"{expression} ({format_number(value)})"


def _check_pair(rule: Rule, present: Mapping[CellRef, Decimal]) -> list[Issue]:
    """Compulsory pair: both sides filled or neither; exclusive pair: not both.

    A side (one cell or a list "[3],[4]") counts as filled when any of its cells is.
    """
    left = _unique(ref for item in compile_list(rule.left) for ref in item.references)
    right = _unique(ref for item in compile_list(rule.right) for ref in item.references)
    filled_left = [ref for ref in left if ref in present]
    filled_right = [ref for ref in right if ref in present]
    left_text, right_text = rule.left.strip(), rule.right.strip()

    def listing(refs):
        return ", ".join(f"{ref} ({format_number(present[ref])})" for ref in refs)

    if rule.operator == "compulsory_pair":
        if bool(filled_left) == bool(filled_right):
            return []
        head = f"{left_text} và {right_text} phải được nhập cùng nhau"
        filled, empty = (filled_left, right_text) if filled_left else (filled_right, left_text)
        detail = f"đã nhập {listing(filled)} nhưng {empty} còn trống"
    else:
        if not (filled_left and filled_right):
            return []
        head = f"{left_text} và {right_text} không được nhập cùng lúc"
        detail = f"đã nhập {listing(filled_left)} và {listing(filled_right)}"
    head = rule.message.strip().rstrip(". ") or head
    return [Issue(rule.level, left + right, f"rule:{rule.code}", f"Quy tắc {rule.code}: {head}: {detail}.")]


def validate_rule(
    rule: Rule, row_codes: Iterable[str], option_codes_by_row: Mapping[str, Iterable[str]]
) -> list[str]:
    """Vietnamese messages for everything wrong with a rule, for the admin form (empty: valid).

    Checks the operator, strategy and level names, the syntax of both sides and that every
    cell names a row of the form and one of that row's options.
    """
    problems = []
    if not rule.code.strip():
        problems.append("Quy tắc chưa có mã.")
    if rule.operator not in _COMPARE and rule.operator not in PAIR_OPERATORS:
        problems.append(f'Phép so sánh "{rule.operator}" không có; dùng một trong: '
                        f"{', '.join([*_COMPARE, *PAIR_OPERATORS])}.")
    if rule.missing not in MISSING_STRATEGIES:
        problems.append(f'Cách xử lý ô trống "{rule.missing}" không có; dùng một trong: '
                        f"{', '.join(MISSING_STRATEGIES)}.")
    if rule.level not in LEVELS:
        problems.append(f'Mức độ "{rule.level}" không có; dùng "error" (lỗi) hoặc "warning" (cảnh báo).')
    row_codes = list(row_codes)
    for name, text in (("Vế trái", rule.left), ("Vế phải", rule.right)):
        try:
            if rule.operator in PAIR_OPERATORS:
                expressions = compile_list(text)
                for expression in expressions:
                    if not expression.references:
                        problems.append(f'{name}: "{expression}" không phải là ô; quy tắc cặp chỉ xét các ô.')
            else:
                expressions = (compile_expression(text),)
        except ExpressionError as error:
            problems.append(f"{name}: {error.message}")
            continue
        for expression in expressions:
            problems.extend(f"{name}: {problem}" for problem in
                            unknown_references(expression, row_codes, option_codes_by_row))
    return problems


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------


def check_history(
    row: RowSpec,
    cell: CellRef,
    value: Decimal,
    history: list[Decimal],
    same_period_last_year: Decimal | None,
) -> list[Issue]:
    """Warnings when a figure departs from the unit's own past.

    Modified z-score over ``history`` (the unit's earlier values of this cell, at least
    ``MIN_HISTORY``): robust to the skewed series where a plain z-score cries wolf.  Skipped
    when the MAD is 0 (a constant series has no scale to judge by).  Then the change against
    the same period last year, above ``row.change_warning_pct`` percent; ranks are skipped
    (a rank does not "grow"), and percent rows are also described in điểm phần trăm.
    """
    issues = []
    past = [h for h in history if h is not None]
    if len(past) >= MIN_HISTORY:
        median = _median(past)
        mad = _median([abs(CONTEXT.subtract(h, median)) for h in past])
        if not mad.is_zero():
            z = CONTEXT.divide(CONTEXT.multiply(MAD_FACTOR, CONTEXT.subtract(value, median)), mad)
            if abs(z) > MAD_THRESHOLD:
                how = "cao" if z > 0 else "thấp"
                where, shown = f"{_where(row, cell.option)}: ", _show(row, value)
                issues.append(Issue("warning", (cell,), "outlier_mad", (
                    f"{where}{shown} {how} bất thường so với {format_number(len(past))} kỳ trước của đơn vị "
                    f"(trung vị {_show(row, median)}, điểm z hiệu chỉnh {format_number(z, 1)} vượt ngưỡng "
                    f"{format_number(MAD_THRESHOLD)}); {_CHECK_AGAIN}"
                )))
    base = same_period_last_year
    if base is not None and not base.is_zero() and row.value_type != RANK:
        difference = CONTEXT.subtract(value, base)
        change = CONTEXT.multiply(CONTEXT.divide(difference, abs(base)), Decimal(100))
        limit = row.change_warning_pct if row.change_warning_pct is not None else DEFAULT_CHANGE_WARNING_PCT
        if abs(change) > limit:
            where, shown = f"{_where(row, cell.option)}: ", _show(row, value)  # only for a warning: imports
            how = "tăng" if change > 0 else "giảm"
            relative = format_percent(abs(change), 1)
            if row.value_type == PERCENT:
                moved = f"{how} {format_number(abs(difference))} điểm phần trăm (tức {how} {relative})"
            else:
                moved = f"{how} {relative}"
            issues.append(Issue("warning", (cell,), "outlier_yoy", (
                f"{where}{shown} {moved} so với cùng kỳ năm trước ({_show(row, base)}); {_CHECK_AGAIN}"
            )))
    return issues
