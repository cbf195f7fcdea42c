"""Checks of figure statements: each disagreement is a `Finding` with its quotes and places.

A stated number is only as precise as its last digit: "tăng 17%" is anything from 16,5% to
17,5%. A statement is wrong only when no value within that precision fits, so rounding is never
reported as an error; the size of a finding is how far the nearest fitting value is, relative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import yaml

from solieu.catalog.loader import DATA_DIR
from solieu.catalog.periods import PeriodError, PeriodId
from solieu.vi.numbers import format_number

from .statements import Statement

HUNDRED = Decimal(100)


@dataclass
class Finding:
    kind: str                       # one of KINDS
    message: str                    # Vietnamese, with the numbers
    size: Decimal                   # relative discrepancy in percent, for ranking
    statements: list[Statement] = field(default_factory=list)
    expected: Decimal | None = None
    stated: Decimal | None = None

    KINDS = {
        "change": "Tăng trưởng không khớp với số liệu",
        "plan_share": "Tỷ lệ so với kế hoạch không khớp",
        "ratio": "Tỷ lệ đơn vị không khớp",
        "parts": "Các phần không cộng bằng tổng",
        "conflict": "Cùng chỉ tiêu, cùng kỳ, khác số liệu",
        "implied_base": "Số liệu cùng kỳ suy ra khác số đã công bố",
        "data": "Khác số liệu trong hệ thống",
    }

    @property
    def title(self):
        return self.KINDS[self.kind]

    @property
    def places(self):
        return ", ".join(s.location for s in self.statements)


def half_step(stated: Decimal) -> Decimal:
    """Half a unit of the last digit written: 17 -> 0,5; 5,48 -> 0,005."""
    exponent = Decimal(str(stated)).normalize().as_tuple().exponent
    return Decimal(5).scaleb(min(exponent, 0) - 1)


def fits(computed: Decimal, stated: Decimal) -> bool:
    return abs(computed - stated) <= half_step(stated)


def vi(value, places=2) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        return format_number(value)
    return format_number(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _relative_gap(computed, stated):
    """How far the stated number is from the computed one, in percent of the computed."""
    if not computed:
        return abs(stated - computed)
    return abs(stated - computed) * HUNDRED / abs(computed)


# --- inside one statement ------------------------------------------------------------------

def check_statement(s: Statement) -> list[Finding]:
    found = []
    if s.value is not None and s.previous_value and s.change is not None:
        if s.change_kind == "percent":
            computed = (s.value - s.previous_value) * HUNDRED / abs(s.previous_value)
            word = "tăng" if s.change >= 0 else "giảm"
            if not fits(computed, s.change):
                found.append(Finding(
                    "change", f"{vi(s.value)} so với {vi(s.previous_value)} là "
                              f"{'tăng' if computed >= 0 else 'giảm'} {vi(abs(computed))}%, "
                              f"văn bản ghi {word} {vi(abs(s.change))}%.",
                    _relative_gap(computed, s.change), [s], computed, s.change))
        elif s.change_kind == "points":
            computed = s.value - s.previous_value
            if not fits(computed, s.change):
                found.append(Finding(
                    "change", f"{vi(s.value)} - {vi(s.previous_value)} = {vi(computed)} điểm phần trăm, "
                              f"văn bản ghi {vi(s.change)}.", _relative_gap(computed, s.change), [s], computed,
                    s.change))
    if s.value is not None and s.plan_value and s.plan_share is not None:
        computed = s.value * HUNDRED / s.plan_value
        if not fits(computed, s.plan_share):
            found.append(Finding(
                "plan_share", f"{vi(s.value)} / {vi(s.plan_value)} = {vi(computed)}% kế hoạch, "
                              f"văn bản ghi {vi(s.plan_share)}%.", _relative_gap(computed, s.plan_share), [s],
                computed, s.plan_share))
    if s.part is not None and s.whole and s.share is not None:
        computed = Decimal(s.part) * HUNDRED / s.whole
        if not fits(computed, s.share):
            found.append(Finding(
                "ratio", f"{s.part}/{s.whole} = {vi(computed)}%, văn bản ghi {vi(s.share)}%.",
                _relative_gap(computed, s.share), [s], computed, s.share))
    return found


def check_parts(statements: list[Statement]) -> list[Finding]:
    """Counts of units by category against their number: "35/35 ... (32/35 ..., 03/35 ...)"."""
    found = []
    by_line = {}
    for s in statements:
        if s.part is not None and s.whole:
            by_line.setdefault((s.document, s.line, s.whole), []).append(s)
    for (_, _, whole), group in by_line.items():
        parts = [s for s in group if s.part != whole]
        if len(parts) >= 2 and len(parts) < len(group):
            total = sum(s.part for s in parts)
            if total != whole:
                found.append(Finding(
                    "parts", f"Các phần cộng lại được {total}/{whole}, không bằng tổng {whole}.",
                    _relative_gap(Decimal(whole), Decimal(total)), group, Decimal(whole), Decimal(total)))
    return found


# --- across statements and documents -------------------------------------------------------

# Flags of the extractor that make a statement unfit to stand for the indicator's figure: a part
# after "trong đó", a bound ("hơn 50"), a second value of the same sentence, a doubtful match.
NOT_THE_FIGURE = ("thành phần", "không phải con số chính xác", "nhiều số liệu cho cùng chỉ tiêu",
                  "phép so sánh thứ hai", "có thể nhầm chỉ tiêu", "khác loại với đơn vị")


def solid(s: Statement) -> bool:
    return not any(marker in flag for flag in s.flags for marker in NOT_THE_FIGURE)


@lru_cache(maxsize=1)
def _stocks() -> frozenset:
    """Indicators whose value is a level at a date: their June and their first half are one figure."""
    data = yaml.safe_load((DATA_DIR / "indicators.yaml").read_text("utf-8"))["indicators"]
    return frozenset(i["code"] for i in data if i.get("time_aggregation") == "stock")


def _period_key(code, period_code):
    if code in _stocks():
        try:
            return PeriodId.parse(period_code).end_date.isoformat()
        except (PeriodError, ValueError):
            return period_code
    return period_code


def _key(s):
    return (s.indicator_code, _period_key(s.indicator_code, s.period_code))


def check_conflicts(statements: list[Statement]) -> list[Finding]:
    """The same indicator and period stated with values that no rounding reconciles."""
    found, groups = [], {}
    for s in statements:
        if s.indicator_code and s.period_code and s.value is not None and solid(s):
            groups.setdefault(_key(s), []).append(s)
    for group in groups.values():
        first = group[0]
        for other in group[1:]:
            if (other.document, other.line) == (first.document, first.line) or other.value == first.value:
                continue
            coarse, fine = (first, other) if half_step(first.value) >= half_step(other.value) else (other, first)
            if not fits(fine.value, coarse.value):
                found.append(Finding(
                    "conflict", f"{first.indicator_code}, kỳ {first.period_code}: {first.location} ghi "
                                f"{vi(first.value)}, {other.location} ghi {vi(other.value)}.",
                    _relative_gap(first.value, other.value), [first, other], first.value, other.value))
    return found


def implied_base_range(s: Statement) -> tuple[Decimal, Decimal] | None:
    """The values of the same period last year that the statement's change allows."""
    if s.value is None or s.change is None:
        return None
    h = half_step(s.change)
    if s.change_kind == "points":
        return s.value - s.change - h, s.value - s.change + h
    if s.change_kind != "percent":
        return None
    low, high = (1 + (s.change + h) / HUNDRED), (1 + (s.change - h) / HUNDRED)
    if low <= 0 or high <= 0:
        return None
    return s.value / low, s.value / high


def last_year_code(period_code):
    try:
        return PeriodId.parse(period_code).same_period_last_year().code
    except (PeriodError, ValueError):
        return None


def check_implied_bases(statements: list[Statement]) -> list[Finding]:
    """A base implied by this year's change that differs from the value published last year."""
    found = []
    published = {}
    for s in statements:
        if s.indicator_code and s.period_code and s.value is not None and solid(s):
            published.setdefault(_key(s), []).append(s)
    for s in statements:
        if not (s.indicator_code and s.period_code) or not solid(s):
            continue
        if s.previous_value is not None:
            found += _stated_base_differs(s, published)
            continue
        bounds = implied_base_range(s)
        base_code = s.change_base_period or last_year_code(s.period_code)
        if bounds is None or base_code is None:
            continue
        for earlier in published.get((s.indicator_code, _period_key(s.indicator_code, base_code)), []):
            if earlier.document == s.document:
                continue
            low, high = bounds
            tolerance = half_step(earlier.value)
            if earlier.value + tolerance < low or earlier.value - tolerance > high:
                implied = s.value / (1 + s.change / HUNDRED) if s.change_kind == "percent" else s.value - s.change
                found.append(Finding(
                    "implied_base",
                    f"{s.indicator_code}: {s.location} ghi {vi(s.value)}, "
                    f"{'tăng' if s.change >= 0 else 'giảm'} {vi(abs(s.change))}% so với cùng kỳ, tức cùng kỳ "
                    f"{base_code} khoảng {vi(implied)}; {earlier.location} đã công bố {vi(earlier.value)}.",
                    _relative_gap(earlier.value, implied), [s, earlier], implied, earlier.value))
    return found


def _stated_base_differs(s, published):
    """"(582.432 bưu gửi)" in 2023 against the 578.828 published for 2022."""
    found = []
    base_code = s.change_base_period or last_year_code(s.period_code)
    key = (s.indicator_code, _period_key(s.indicator_code, base_code)) if base_code else None
    for earlier in published.get(key, []) if key else []:
        if earlier.document != s.document and not fits(earlier.value, s.previous_value) and not fits(
                s.previous_value, earlier.value):
            found.append(Finding(
                "implied_base", f"{s.indicator_code}: {s.location} ghi cùng kỳ {base_code} là {vi(s.previous_value)}; "
                                f"{earlier.location} đã công bố {vi(earlier.value)}.",
                _relative_gap(earlier.value, s.previous_value), [s, earlier], s.previous_value, earlier.value))
    return found


def check_all(statements: list[Statement]) -> list[Finding]:
    """Every check, largest discrepancy first, each disagreement once."""
    found = [f for s in statements for f in check_statement(s)]
    found += check_parts(statements) + check_conflicts(statements) + check_implied_bases(statements)
    unique = {(f.kind, f.message): f for f in found}
    return sorted(unique.values(), key=lambda f: -f.size)
