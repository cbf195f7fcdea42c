"""Reading a report's choices (period, scope, sector...) from a query string, the same way for
every page, download and breakdown link."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404

from solieu.accounts.access import can_read_scope, is_ministry_staff, own_provinces
from solieu.analytics.scope import BOUNDARY_LABELS, CURRENT, Scope
from solieu.catalog.models import Province, Sector
from solieu.catalog.periods import PeriodError, PeriodId, PeriodType

from .assemble import ReportRequest

# (period type, group label, how many recent periods to offer)
PERIOD_CHOICES = [
    (PeriodType.MONTH, "Tháng", 18), (PeriodType.QUARTER, "Quý", 8), (PeriodType.SIX_MONTHS, "6 tháng", 6),
    (PeriodType.NINE_MONTHS, "9 tháng", 3), (PeriodType.YEAR, "Năm", 4),
]


def latest_ended(ptype: PeriodType, today: date) -> PeriodId:
    if ptype == PeriodType.NINE_MONTHS:
        pid = PeriodId.nine_months(today.year)
        return pid if pid.end_date < today else PeriodId.nine_months(today.year - 1)
    pid = PeriodId.containing(ptype, today)
    return pid.previous() if pid.end_date >= today else pid


def period_choices(today: date, selected: PeriodId | None = None):
    """Recent ended periods of each type, newest first, grouped for a <select>; the selected
    period is added to its group when it is older (or not ended yet)."""
    groups = []
    for ptype, label, count in PERIOD_CHOICES:
        pid, items = latest_ended(ptype, today), []
        for _ in range(count):
            items.append((pid.code, pid.label_title()))
            pid = pid.previous()
        if selected is not None and selected.type == ptype and selected.code not in dict(items):
            items.append((selected.code, selected.label_title()))
            items.sort(key=lambda item: PeriodId.parse(item[0]).start_date, reverse=True)
        groups.append((label, items))
    if selected is not None and selected.type == PeriodType.RANGE:
        groups.append(("Khoảng thời gian", [(selected.code, selected.label_title())]))
    return groups


def default_scope(user) -> Scope:
    if is_ministry_staff(user):
        return Scope()
    provinces = own_provinces(user)
    if not provinces:
        raise PermissionDenied("Tài khoản này không được xem số liệu tổng hợp.")
    return Scope(provinces[0])


def scope_choices(user):
    choices = [("VN", "Toàn quốc")] if is_ministry_staff(user) else []
    provinces = Province.objects.current() if is_ministry_staff(user) else own_provinces(user)
    return choices + [(Scope(p).code, p.name) for p in provinces]


def read_request(params, user, today: date) -> ReportRequest:
    """A ReportRequest from GET parameters; 404 for what doesn't exist, 403 for what the user
    may not see."""
    try:
        pid = PeriodId.parse(params["period"]) if params.get("period") else latest_ended(PeriodType.SIX_MONTHS,
                                                                                          today)
    except PeriodError:
        raise Http404("Kỳ báo cáo không hợp lệ.")
    boundaries = params.get("boundaries") or CURRENT
    if boundaries not in BOUNDARY_LABELS:
        raise Http404("Cách tính địa giới không hợp lệ.")
    if params.get("scope"):
        try:
            scope = Scope.parse(params["scope"], boundaries)
        except (Province.DoesNotExist, Province.MultipleObjectsReturned, ValueError):
            raise Http404("Không có tỉnh, thành phố này.")
    else:
        scope = Scope(default_scope(user).province, boundaries)
    if not can_read_scope(user, scope):
        raise PermissionDenied("Bạn không được xem số liệu tổng hợp của phạm vi này.")
    sector = None
    if params.get("sector"):
        sector = Sector.objects.filter(code=params["sector"]).first()
        if sector is None:
            raise Http404("Không có lĩnh vực này.")
    return ReportRequest(pid, scope, sector, include_submitted=params.get("submitted") == "1")
