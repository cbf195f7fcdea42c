"""The 10% rule: ad-hoc reports per unit and year stay under a share of its periodic reports."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from solieu.catalog.models import Form, FormAssignment, Period
from solieu.catalog.periods import PeriodId, PeriodType, periods_between

from .entry import EntryError, submission_for
from .models import AdHocRequest

DEFAULT_QUOTA_PCT = Decimal("10")


def quota_pct():
    return Decimal(str(getattr(settings, "SOLIEU_ADHOC_QUOTA_PCT", DEFAULT_QUOTA_PCT)))


def periodic_count(unit, year):
    """Reports a unit owes in `year` under periodic and statistical forms."""
    total = 0
    for a in FormAssignment.objects.filter(unit=unit).exclude(form__regime=Form.Regime.AD_HOC).select_related("form"):
        ptype = PeriodType(a.form.period_type)
        first = PeriodId.containing(ptype, _first_day(ptype, year))
        last = PeriodId.containing(ptype, _last_day(ptype, year))
        total += sum(1 for pid in periods_between(ptype, first, last) if a.is_valid_on(pid.end_date)
                     and unit.is_valid_on(pid.end_date))
    return total


def _first_day(ptype, year):
    from datetime import date

    return date(year, 1, 1)


def _last_day(ptype, year):
    from datetime import date

    return date(year, 9, 30) if ptype == PeriodType.NINE_MONTHS else date(year, 12, 31)


def adhoc_count(unit, year, exclude=None):
    qs = AdHocRequest.objects.filter(units=unit, deadline__year=year)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.count()


@dataclass
class QuotaLine:
    unit: object
    periodic: int
    adhoc: int          # including the request being checked
    ratio_pct: Decimal | None
    over: bool


def quota_check(units, year, extra=1):
    lines = []
    for unit in units:
        periodic = periodic_count(unit, year)
        adhoc = adhoc_count(unit, year) + extra
        ratio = None if not periodic else (Decimal(adhoc) * 100 / periodic)
        lines.append(QuotaLine(unit, periodic, adhoc, ratio, ratio is None or ratio > quota_pct()))
    return lines


@transaction.atomic
def issue_request(*, user, code, title, reason, form, cutoff, deadline, units, override_reason="", leader=None):
    """Create the request and a submission per target unit, unless a unit would go over quota.

    Over quota, a leader (`leader`, with `override_reason`) must take responsibility; both are
    recorded on the request.
    """
    units = list(units)
    lines = quota_check(units, deadline.year)
    over = [line for line in lines if line.over]
    if over and not (override_reason.strip() and leader is not None):
        names = "; ".join(
            f"{line.unit} ({line.adhoc}/{line.periodic} báo cáo định kỳ"
            f"{'' if line.ratio_pct is None else f' = {line.ratio_pct:.1f}'.replace('.', ',') + '%'})"
            for line in over)
        raise EntryError(
            f"Không thể gửi yêu cầu: vượt hạn mức báo cáo đột xuất {quota_pct():.0f}% báo cáo định kỳ "
            f"năm {deadline.year} đối với: {names}. Cần lãnh đạo quyết định và ghi lý do.", "quota")
    period = Period.objects.for_id(PeriodId.range(cutoff.replace(month=1, day=1), cutoff))
    request = AdHocRequest.objects.create(
        code=code, title=title, reason=reason, form=form, period=period, deadline=deadline, created_by=user,
        override_reason=override_reason.strip() if over else "", override_by=leader if over else None,
    )
    request.units.set(units)
    for unit in units:
        submission_for(form, unit, period, adhoc_request=request)
    return request, lines
