"""A draft against the database: every figure of a report (one generated, then edited by hand,
or one written the old way) compared with what the approved data say."""

from decimal import Decimal

from solieu.analytics.compare import compare
from solieu.catalog.models import Indicator
from solieu.catalog.periods import PeriodError, PeriodId

from .checks import Finding, _relative_gap, fits, vi
from .statements import Statement


def check_against_data(statements: list[Statement], *, include_submitted=False) -> list[Finding]:
    found = []
    indicators = {i.code: i for i in Indicator.objects.filter(
        code__in={s.indicator_code for s in statements if s.indicator_code}).select_related("numerator", "denominator")}
    for s in statements:
        indicator = indicators.get(s.indicator_code)
        if indicator is None or not s.period_code:
            continue
        try:
            pid = PeriodId.parse(s.period_code)
        except PeriodError:
            continue
        c = compare(indicator, pid, include_submitted=include_submitted)
        pairs = [("giá trị", s.value, c.current.value)]
        if s.change is not None and s.change_kind in ("percent", "points"):
            pairs.append(("thay đổi so với cùng kỳ", s.change, c.yoy))
        if s.plan_share is not None:
            pairs.append(("tỷ lệ so với kế hoạch", s.plan_share, c.plan_share))
        for what, stated, computed in pairs:
            if stated is None or computed is None or fits(computed, Decimal(stated)):
                continue
            found.append(Finding(
                "data", f"{indicator.name}, {pid.label()}: văn bản ghi {what} {vi(stated)}, "
                        f"số liệu đã phê duyệt cho {vi(computed)}.",
                _relative_gap(computed, Decimal(stated)), [s], computed, Decimal(stated)))
    return sorted(found, key=lambda f: -f.size)
