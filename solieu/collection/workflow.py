"""Submit, approve, return, reopen: each step checked, recorded and notified by e-mail."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from solieu.accounts import access
from solieu.accounts.models import Role

from solieu.analytics.sums import Tracker

from .entry import EntryError, ensure_editable, validate_submission
from .models import Submission, SubmissionEvent, SubmissionStatus

Action = SubmissionEvent.Action


class WorkflowError(EntryError):
    """A step refused, with the reasons in Vietnamese."""

    def __init__(self, message, issues=(), code="workflow"):
        super().__init__(message, code)
        self.issues = list(issues)


def _record(submission, action, user, note=""):
    SubmissionEvent.objects.create(submission=submission, action=action, user=user, note=note)
    transaction.on_commit(lambda: notify(submission, action, user, note))


@transaction.atomic
def submit(user, submission: Submission):
    """Errors block; warnings need a comment on the cell that explains them."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    ensure_editable(user, submission)
    if not submission.values.filter(deleted_at__isnull=True).exists():
        raise WorkflowError("Chưa gửi được: báo cáo chưa có số liệu nào.", code="empty")
    issues = validate_submission(submission)
    errors = [i for i in issues if i.level == "error"]
    unexplained = [i for i in issues if i.level == "warning" and not getattr(i, "commented", False)]
    if errors:
        raise WorkflowError(f"Chưa gửi được: còn {len(errors)} lỗi cần sửa.", errors, "errors")
    if unexplained:
        raise WorkflowError(f"Chưa gửi được: {len(unexplained)} cảnh báo cần ghi chú giải thích ở ô số liệu.",
                            unexplained, "warnings")
    tracker = _track(submission)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at, submission.submitted_by = timezone.now(), user
    submission.return_reason = ""
    submission.save()
    tracker.settle()
    _record(submission, Action.SUBMIT, user)
    return submission


def _track(submission):
    """A status change moves the report's values in or out of the national sums: keep them current."""
    tracker = Tracker()
    tracker.touch([(submission.unit, submission.period)])
    return tracker


def _decide(user, submission, allowed_from):
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not access.can_approve(user, submission):
        raise WorkflowError(f"Bạn không có quyền phê duyệt báo cáo của {submission.unit}.", code="forbidden")
    if submission.status not in allowed_from:
        raise WorkflowError(
            f"Báo cáo đang ở trạng thái “{submission.get_status_display()}”, không thực hiện được thao tác này.",
            code="state")
    return submission


@transaction.atomic
def approve(user, submission):
    submission = _decide(user, submission, {SubmissionStatus.SUBMITTED})
    tracker = _track(submission)
    submission.status = SubmissionStatus.APPROVED
    submission.decided_at, submission.decided_by = timezone.now(), user
    submission.save()
    tracker.settle()
    _record(submission, Action.APPROVE, user)
    return submission


@transaction.atomic
def return_(user, submission, reason):
    submission = _decide(user, submission, {SubmissionStatus.SUBMITTED})
    if not (reason or "").strip():
        raise WorkflowError("Phải ghi lý do trả lại báo cáo.", code="reason")
    tracker = _track(submission)
    submission.status = SubmissionStatus.RETURNED
    submission.decided_at, submission.decided_by = timezone.now(), user
    submission.return_reason = reason.strip()
    submission.save()
    tracker.settle()
    _record(submission, Action.RETURN, user, reason.strip())
    return submission


@transaction.atomic
def reopen(user, submission, reason, days=7):
    """Unlock an approved submission, or a period past its expiry, for `days` more days."""
    submission = _decide(user, submission, set(SubmissionStatus))
    if not (reason or "").strip():
        raise WorkflowError("Phải ghi lý do mở lại báo cáo.", code="reason")
    tracker = _track(submission)
    if submission.status in (SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED):
        submission.status = SubmissionStatus.RETURNED
        submission.return_reason = reason.strip()
    submission.reopened_until = timezone.localdate() + timedelta(days=days)
    submission.save()
    tracker.settle()
    _record(submission, Action.REOPEN, user, reason.strip())
    return submission


def recipients(submission, action):
    """Reporters of the unit hear of decisions; approvers hear of new submissions."""
    User = get_user_model()
    if action == Action.SUBMIT:
        users = User.objects.filter(memberships__role=Role.APPROVER, memberships__unit__in=[
            submission.unit_id, *access.receiving_unit_ids(submission.form)])
    else:
        users = User.objects.filter(memberships__role=Role.REPORTER, memberships__unit=submission.unit_id)
    return sorted({u.email for u in users.distinct() if u.email})


def notify(submission, action, user, note=""):
    to = recipients(submission, action)
    if not to:
        return
    label = dict(Action.choices)[action]
    who = (user.get_full_name() or user.get_username()) if user else "Hệ thống"
    body = (f"{label}: biểu {submission.form.code} ({submission.form.name}), {submission.unit}, "
            f"{submission.period.label}.\nNgười thực hiện: {who}.\n")
    if note:
        body += f"Ghi chú: {note}\n"
    send_mail(f"[solieu] {label} - {submission.form.code} - {submission.unit}", body,
              settings.DEFAULT_FROM_EMAIL, to, fail_silently=True)
