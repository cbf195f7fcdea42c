"""Reminders before and after the deadline go to units that have not sent, once each."""

from datetime import timedelta

import pytest
from django.core import mail

from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection.entry import submission_for
from solieu.collection.models import Reminder, SubmissionStatus
from solieu.collection.reminders import send_reminders, send_reminders_task

from .factories import user_with

pytestmark = pytest.mark.django_db


def test_reminders_before_and_after_the_deadline(catalog, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    user_with("so01", "reporter", "SKHCN-01")
    user_with("so79", "reporter", "SKHCN-79")
    form = Form.objects.get(code="BC-SO-THANG")
    pid = PeriodId.parse("202609")
    deadline = form.deadline_for(pid)
    sub = submission_for(form, ReportingUnit.objects.get(code="SKHCN-79"), Period.objects.for_id(pid))
    sub.status = SubmissionStatus.SUBMITTED
    sub.save()

    send_reminders(deadline - timedelta(days=3))
    to = [m.to for m in mail.outbox]
    assert ["so01@example.invalid"] in to and ["so79@example.invalid"] not in to
    assert "còn 3 ngày" in mail.outbox[0].subject and "15/09/2026" in mail.outbox[0].body

    sent = len(mail.outbox)
    send_reminders(deadline - timedelta(days=3))
    assert len(mail.outbox) == sent  # once per stage

    send_reminders(deadline + timedelta(days=1))
    assert "quá hạn 1 ngày" in mail.outbox[-1].subject
    assert Reminder.objects.filter(unit__code="SKHCN-01", period__code="202609").count() == 2
    # every unit without a report is recorded, with or without an e-mail address
    assert Reminder.objects.filter(period__code="202609", stage=1).count() == 33


def test_reminders_run_as_a_background_task(catalog, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = send_reminders_task.enqueue()
    assert result.status == "SUCCESSFUL"
