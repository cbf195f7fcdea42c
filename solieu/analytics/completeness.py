"""Completeness and timeliness of reporting, with the measures' names of the reference platforms."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.utils import timezone

from solieu.catalog.models import FormAssignment, Period, ReportingUnit
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


def cell_for(submission, today, limit=None):
    if submission is None:
        return Cell(CellStatus.MISSING, False, None)
    sent = submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)
    on_time = sent and not submission.is_late(today, None if submission.adhoc_request_id else limit)
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
        # The form's deadline for the period, once rather than a query per unit.
        sent = any(code == pid.code for _, code in subs)
        limit = form.deadline_for(pid) + timedelta(days=form.on_time_days) if sent else None
        for unit in expected_units(form, pid):
            rows.setdefault(unit, {})[pid.code] = cell_for(subs.get((unit.id, pid.code)), today, limit)
    return rows


@dataclass
class Summary:
    """How a form's reports for one period stand, as counts; the late and missing units in code
    order (ids), for a report that names a dozen of them."""
    expected: int
    actual: int
    on_time: int
    late: list[int]
    missing: list[int]


def summary(form, pid, today=None, unit_ids=None) -> Summary:
    """The counts of `matrix` for one period, from two queries of plain values: the national
    report states them for every form, and the digital industry's form has 80.000 enterprises,
    too many to build a unit, an assignment and a report object for each. The same rules as
    `cell_for`: sent means submitted or approved, on time means sent by the deadline plus the
    form's grace days."""
    today = today or timezone.localdate()
    day = pid.end_date
    expected = (FormAssignment.objects.valid_on(day).filter(form=form, unit__in=ReportingUnit.objects.valid_on(day))
                .order_by("unit__code").values_list("unit_id", flat=True))
    if unit_ids is not None:
        expected = expected.filter(unit_id__in=unit_ids)
    expected = list(expected)
    reports = Submission.objects.filter(form=form, period__code=pid.code)
    limit = form.deadline_for(pid) + timedelta(days=form.on_time_days) if reports.exists() else None
    # Sent after the limit's day in local time: compared as instants by the database, rather
    # than 80.000 timestamps read and converted one by one.
    after = timezone.make_aware(datetime.combine(limit + timedelta(days=1), time.min)) if limit else None
    sent_late = ExpressionWrapper(Q(submitted_at__gte=after), output_field=BooleanField()) if after else Value(False)
    unsent = ExpressionWrapper(Q(submitted_at__isnull=True), output_field=BooleanField())
    subs = {u: rest for u, *rest in reports.annotate(unsent=unsent, sent_late=sent_late).values_list(
        "unit_id", "status", "unsent", "sent_late", "adhoc_request_id")}
    sent_states = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)
    actual = on_time = 0
    late, missing = [], []
    for unit_id in expected:
        status, unsent, sent_late, adhoc = subs.get(unit_id, (None, True, False, None))
        if status not in sent_states:
            missing.append(unit_id)
            continue
        actual += 1
        if adhoc:   # its own deadline: as the report object says
            is_late = Submission.objects.get(form=form, unit_id=unit_id, period__code=pid.code).is_late(today)
        else:
            is_late = today > limit if unsent else bool(sent_late)
        if is_late:
            late.append(unit_id)
        else:
            on_time += 1
    return Summary(len(expected), actual, on_time, late, missing)


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
