"""Completeness and timeliness of reporting, with the measures' names of the reference platforms."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from solieu.catalog.models import Period
from solieu.collection.models import Submission, SubmissionStatus


class CellStatus:
    MISSING = "missing"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    LATE = "late"

    LABELS = {
        "missing": "Chưa báo cáo", "draft": "Đang nhập", "submitted": "Đã gửi", "returned": "Bị trả lại",
        "approved": "Đã phê duyệt", "late": "Gửi muộn",
    }


@dataclass
class Cell:
    status: str
    on_time: bool
    submission: Submission | None


def expected_units(form, pid):
    """Units that had to report `form` for the period: assigned and existing at its end."""
    day = pid.end_date
    return [a.unit for a in form.assignments.select_related("unit").order_by("unit__code")
            if a.is_valid_on(day) and a.unit.is_valid_on(day)]


def cell_for(submission, today):
    if submission is None:
        return Cell(CellStatus.MISSING, False, None)
    sent = submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)
    on_time = sent and not submission.is_late(today)
    if sent and not on_time and submission.status == SubmissionStatus.SUBMITTED:
        return Cell(CellStatus.LATE, False, submission)
    return Cell(submission.status, on_time, submission)


def matrix(form, pids, today=None):
    """{unit: {period code: Cell}} for the form's expected units over the periods."""
    today = today or timezone.localdate()
    periods = {p.code: p for p in Period.objects.filter(code__in=[pid.code for pid in pids])}
    subs = {(s.unit_id, s.period.code): s for s in Submission.objects.filter(
        form=form, period__in=periods.values()).select_related("period", "form")}
    rows = {}
    for pid in pids:
        for unit in expected_units(form, pid):
            rows.setdefault(unit, {})[pid.code] = cell_for(subs.get((unit.id, pid.code)), today)
    return rows


def rates(form, pid, today=None):
    """EXPECTED_REPORTS, ACTUAL_REPORTS, ACTUAL_REPORTS_ON_TIME, REPORTING_RATE, REPORTING_RATE_ON_TIME.

    A report counts as actual once sent (submitted or approved); on time when sent within the
    deadline plus the form's grace days.
    """
    cells = [c for by_period in matrix(form, [pid], today).values() for c in by_period.values()]
    expected = len(cells)
    actual = sum(c.status in (CellStatus.SUBMITTED, CellStatus.APPROVED, CellStatus.LATE) for c in cells)
    on_time = sum(c.on_time for c in cells)

    def pct(n):
        if not expected:
            return None
        return (Decimal(n) * 100 / expected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    return {
        "EXPECTED_REPORTS": expected,
        "ACTUAL_REPORTS": actual,
        "ACTUAL_REPORTS_ON_TIME": on_time,
        "REPORTING_RATE": pct(actual),
        "REPORTING_RATE_ON_TIME": pct(on_time),
    }
