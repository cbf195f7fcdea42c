"""Completeness and timeliness with the reference platforms' measures."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from solieu.analytics.completeness import matrix, rates
from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection.entry import submission_for
from solieu.collection.models import SubmissionStatus

pytestmark = pytest.mark.django_db


def test_rates_and_matrix(catalog):
    form = Form.objects.get(code="BC-SO-THANG")
    pid = PeriodId.parse("202609")
    period = Period.objects.for_id(pid)
    deadline = form.deadline_for(pid)
    at = lambda day: timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))  # noqa
    states = {
        "SKHCN-01": (SubmissionStatus.APPROVED, deadline - timedelta(days=2)),
        "SKHCN-79": (SubmissionStatus.SUBMITTED, deadline),
        "SKHCN-24": (SubmissionStatus.SUBMITTED, deadline + timedelta(days=4)),   # late
        "SKHCN-48": (SubmissionStatus.DRAFT, None),
    }
    for code, (status, sent) in states.items():
        sub = submission_for(form, ReportingUnit.objects.get(code=code), period)
        sub.status, sub.submitted_at = status, at(sent) if sent else None
        sub.save()
    today = deadline + timedelta(days=20)
    result = rates(form, pid, today)
    assert result == {
        "EXPECTED_REPORTS": 34, "ACTUAL_REPORTS": 3, "ACTUAL_REPORTS_ON_TIME": 2,
        "REPORTING_RATE": Decimal("8.8"), "REPORTING_RATE_ON_TIME": Decimal("5.9"),
    }
    cells = {u.code: c[pid.code] for u, c in matrix(form, [pid], today).items()}
    assert cells["SKHCN-01"].status == "approved" and cells["SKHCN-01"].on_time
    assert cells["SKHCN-24"].status == "late" and not cells["SKHCN-24"].on_time
    assert cells["SKHCN-48"].status == "draft"
    assert cells["SKHCN-92"].status == "missing"


def test_expected_units_follow_the_reform(catalog):
    form = Form.objects.get(code="BC-SO-THANG")
    assert rates(form, PeriodId.parse("202502"))["EXPECTED_REPORTS"] == 63
    assert rates(form, PeriodId.parse("202506"))["EXPECTED_REPORTS"] == 63
    assert rates(form, PeriodId.parse("202507"))["EXPECTED_REPORTS"] == 34


def test_summary_counts_as_the_matrix_does(catalog):
    """The report's lean path gives the matrix's counts, to the minute of the deadline."""
    from datetime import datetime, time

    from solieu.analytics.completeness import summary

    form = Form.objects.get(code="BC-SO-THANG")
    pid = PeriodId.parse("202609")
    period = Period.objects.for_id(pid)
    limit = form.deadline_for(pid) + timedelta(days=form.on_time_days)
    at = lambda day, t=time.min: timezone.make_aware(datetime.combine(day, t))  # noqa: E731
    states = {
        "SKHCN-01": (SubmissionStatus.APPROVED, at(limit, time(23, 59))),        # the last minute
        "SKHCN-79": (SubmissionStatus.SUBMITTED, at(limit + timedelta(days=1))),   # the next midnight: late
        "SKHCN-24": (SubmissionStatus.APPROVED, at(limit + timedelta(days=3))),    # late, then approved
        "SKHCN-48": (SubmissionStatus.DRAFT, None),
        "SKHCN-92": (SubmissionStatus.RETURNED, at(limit)),
    }
    for code, (status, sent) in states.items():
        sub = submission_for(form, ReportingUnit.objects.get(code=code), period)
        sub.status, sub.submitted_at = status, sent
        sub.save()
    today = limit + timedelta(days=20)
    cells = [(u, c[pid.code]) for u, c in matrix(form, [pid], today).items()]
    sent = [u.pk for u, c in cells if c.status in ("submitted", "approved", "late")]
    punctual = {u.pk for u, c in cells if c.on_time}
    got = summary(form, pid, today)
    assert (got.expected, got.actual, got.on_time) == (len(cells), len(sent), len(punctual)) == (34, 3, 1)
    assert got.late == [u for u in sent if u not in punctual]
    assert got.missing == [u.pk for u, c in cells if u.pk not in sent]
    hanoi = ReportingUnit.objects.filter(code__in=["SKHCN-01", "SKHCN-79"]).values_list("id", flat=True)
    assert summary(form, pid, today, unit_ids=list(hanoi)).late == [ReportingUnit.objects.get(code="SKHCN-79").pk]
