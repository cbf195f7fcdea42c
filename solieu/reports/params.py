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

TYPE_LABELS = [
    (PeriodType.MONTH, "Báo cáo tháng"), (PeriodType.QUARTER, "Báo cáo quý"),
    (PeriodType.SIX_MONTHS, "Báo cáo 6 tháng"), (PeriodType.NINE_MONTHS, "Báo cáo 9 tháng"),
    (PeriodType.YEAR, "Báo cáo năm"),
]


def latest_ended(ptype: PeriodType, today: date) -> PeriodId:
    if ptype == PeriodType.NINE_MONTHS:
        pid = PeriodId.nine_months(today.year)
        return pid if pid.end_date < today else PeriodId.nine_months(today.year - 1)
    pid = PeriodId.containing(ptype, today)
    return pid.previous() if pid.end_date >= today else pid


def period_choices(today: date):
    """Recent ended periods of each report type, newest first, grouped for a <select>."""
    counts = {PeriodType.MONTH: 18, PeriodType.QUARTER: 8, PeriodType.SIX_MONTHS: 6, PeriodType.NINE_MONTHS: 3,
              PeriodType.YEAR: 4}
    groups = []
    for ptype, label in TYPE_LABELS:
        pid, items = latest_ended(ptype, today), []
        for _ in range(counts[ptype]):
            items.append((pid.code, pid.label_title()))
            pid = pid.previous() if ptype != PeriodType.NINE_MONTHS else PeriodId.nine_months(pid.year - 1)
        groups.append((label, items))
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
