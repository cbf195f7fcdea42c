"""E-mail reminders about required results: before their deadline and once overdue.

Run daily (`manage.py send_task_reminders`, or `send_task_reminders_task` through the
django-tasks worker). For each result not done, of a task not cancelled:

* "before": when its deadline is within REMINDER_DAYS days (settings
  SOLIEU_TASK_REMINDER_DAYS, 7 by default) and not yet past;
* "overdue": from the day after its deadline, for OVERDUE_WINDOW days (so that the first run
  on an old list does not mail about results overdue for years).

Each stage is sent once per result (TaskReminder is unique on result and stage, and a missed
day is caught up the next one). One e-mail goes to each responsible unit per run, listing its
results, to the unit's reporters and approvers (and those of the units that took over from
it) and to the unit's own address.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from solieu.accounts.models import Role
from solieu.vi import format_date

from .access import linked_units
from .models import RequiredResult, ResultStatus, TaskReminder

OVERDUE_WINDOW = 30


def reminder_days() -> int:
    return int(getattr(settings, "SOLIEU_TASK_REMINDER_DAYS", 7))


def _stage(result, today):
    deadline = result.deadline_date
    if today <= deadline <= today + timedelta(days=reminder_days()):
        return TaskReminder.Stage.BEFORE
    if deadline < today <= deadline + timedelta(days=OVERDUE_WINDOW):
        return TaskReminder.Stage.OVERDUE
    return None


def _recipients(unit) -> list[str]:
    units = linked_units({unit.pk}, towards="successor")
    users = get_user_model().objects.filter(is_active=True, memberships__unit_id__in=units,
                                            memberships__role__in=[Role.REPORTER, Role.APPROVER]).distinct()
    return sorted({u.email for u in users if u.email} | ({unit.email} if unit.email else set()))


def _line(result, stage, today):
    task = result.task
    days = (result.deadline_date - today).days
    when = (f"còn {days} ngày" if days else "hạn là hôm nay") if stage == TaskReminder.Stage.BEFORE else \
        f"đã quá hạn {(today - result.deadline_date).days} ngày"
    what = f"{task}" + (f" — {result.description}" if result.description else "")
    return (f"- {what}\n  Thời hạn: {result.deadline_text} ({format_date(result.deadline_date)}), {when}.\n"
            f"  Cập nhật: {settings_base()}{reverse('assignments:detail', args=[task.pk])}")


def settings_base() -> str:
    return getattr(settings, "SOLIEU_BASE_URL", "").rstrip("/")


def send_task_reminders(today=None) -> int:
    """Send what is due today; returns the number of e-mails sent."""
    today = today or timezone.localdate()
    candidates = (RequiredResult.objects
                  .filter(deadline_date__isnull=False, task__cancelled_on__isnull=True,
                          deadline_date__gte=today - timedelta(days=OVERDUE_WINDOW),
                          deadline_date__lte=today + timedelta(days=reminder_days()))
                  .exclude(status__in=[ResultStatus.DONE, ResultStatus.CANCELLED])
                  .select_related("task__responsible_unit").order_by("deadline_date", "id"))
    by_unit: dict = {}
    for result in candidates:
        stage = _stage(result, today)
        if stage is None or TaskReminder.objects.filter(result=result, stage=stage).exists():
            continue
        by_unit.setdefault(result.task.responsible_unit, []).append((result, stage))
    messages = []
    for unit, items in by_unit.items():
        to = _recipients(unit)
        sent = []
        for result, stage in items:
            try:
                with transaction.atomic():
                    TaskReminder.objects.create(result=result, stage=stage, recipients=",".join(to))
            except IntegrityError:  # another run sent it meanwhile
                continue
            sent.append((result, stage))
        if not (to and sent):
            continue
        overdue = sum(stage == TaskReminder.Stage.OVERDUE for _, stage in sent)
        subject = (f"[solieu] Nhắc nhiệm vụ: {len(sent)} kết quả "
                   + ("quá hạn" if overdue == len(sent) else "sắp đến hạn" if not overdue else "sắp đến hạn, quá hạn"))
        body = (f"Kính gửi {unit},\n\nCác kết quả nhiệm vụ sau do đơn vị chủ trì chưa được ghi nhận hoàn thành:\n\n"
                + "\n".join(_line(result, stage, today) for result, stage in sent)
                + "\n\nĐề nghị đơn vị cập nhật kết quả, minh chứng trên hệ thống solieu (trang Công việc của tôi).\n")
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, to))
    return send_mass_mail(messages, fail_silently=True) if messages else 0


@task()
def send_task_reminders_task():
    return send_task_reminders()
