"""Reminders to units that have not sent a report: before the deadline and after it.

Run daily (`solieu send_reminders`, or the background task `send_reminders_task` through the
django-tasks worker). Each reminder is sent once per unit, form, period and stage.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.utils import timezone
from django_tasks import task

from solieu.accounts.models import Role
from solieu.catalog.models import Form, Period
from solieu.catalog.periods import PeriodId, PeriodType

from .models import Reminder, Submission, SubmissionStatus

# Days before (negative) and after (positive) the deadline when units are reminded.
STAGES = {-3: "sắp đến hạn (còn 3 ngày)", -1: "sắp đến hạn (còn 1 ngày)", 1: "đã quá hạn 1 ngày",
          3: "đã quá hạn 3 ngày", 7: "đã quá hạn 7 ngày"}


def due_periods(form, today):
    """Periods of the form whose deadline lies within the reminder stages around today."""
    ptype = PeriodType(form.period_type)
    pid = PeriodId.containing(ptype, today - timedelta(days=max(STAGES) + 400 if ptype == PeriodType.YEAR
                                                        else max(STAGES) + 200))
    deadline_rule = form.deadlines.filter(tier="reporter").first()
    while deadline_rule:
        deadline = deadline_rule.date_for(pid)
        if deadline > today + timedelta(days=-min(STAGES)):
            return
        stage = (today - deadline).days
        if stage in STAGES:
            yield pid, stage
        pid = pid.next()


def send_reminders(today=None):
    """Send what is due today; returns the number of e-mails sent."""
    today = today or timezone.localdate()
    User = get_user_model()
    messages = []
    for form in Form.objects.filter(active=True).prefetch_related("deadlines"):
        for pid, stage in due_periods(form, today):
            period = Period.objects.for_id(pid)
            sent = set(Submission.objects.filter(
                form=form, period=period,
                status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED]).values_list("unit_id", flat=True))
            for assignment in form.assignments.select_related("unit"):
                unit = assignment.unit
                if unit.id in sent or not (assignment.is_valid_on(pid.end_date) and unit.is_valid_on(pid.end_date)):
                    continue
                if Reminder.objects.filter(form=form, unit=unit, period=period, stage=stage).exists():
                    continue
                to = sorted({u.email for u in User.objects.filter(
                    memberships__role=Role.REPORTER, memberships__unit=unit, is_active=True) if u.email})
                Reminder.objects.create(form=form, unit=unit, period=period, stage=stage, recipients=",".join(to))
                if to:
                    deadline = form.deadline_for(pid)
                    messages.append((
                        f"[solieu] Nhắc báo cáo {form.code} {pid.label()}: {STAGES[stage]}",
                        f"Kính gửi {unit},\n\nBáo cáo {form.code} ({form.name}) {pid.label()} "
                        f"{STAGES[stage]}; hạn gửi ngày {deadline:%d/%m/%Y}.\n"
                        "Đề nghị đơn vị nhập và gửi báo cáo trên hệ thống solieu.\n",
                        settings.DEFAULT_FROM_EMAIL, to,
                    ))
    return send_mass_mail(messages, fail_silently=True) if messages else 0


@task()
def send_reminders_task():
    return send_reminders()
