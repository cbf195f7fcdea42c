"""Every change to a task goes through here: it checks the revision the user saw, applies the
change, bumps the revision and writes the history, in one transaction.

A stale revision (someone changed the task since the page was loaded) is refused with who
changed it and when, so that nobody overwrites a colleague's update without seeing it.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from solieu.vi import format_date

from .models import ProgressNote, RequiredResult, ResultStatus, Task, TaskChange


class UpdateError(ValueError):
    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def who(user) -> str:
    if user is None:
        return "hệ thống"
    return user.get_full_name() or user.get_username()


def record(task, user, field, old="", new="", result=None, source=""):
    return TaskChange.objects.create(task=task, result=result, field=field, old=str(old or ""),
                                     new=str(new or ""), revision=task.revision, user=user, source=source[:200])


def _locked(task_id, user, revision) -> Task:
    """The task, locked for the transaction, after checking the revision the user saw."""
    task = Task.objects.select_for_update().get(pk=task_id)
    if revision is not None and int(revision) != task.revision:
        last = task.changes.select_related("user").first()
        at = timezone.localtime(last.at) if last else None
        by = f" bởi {who(last.user)} lúc {at:%H:%M} ngày {format_date(at.date())}" if last else ""
        raise UpdateError(f"Nhiệm vụ vừa được cập nhật{by} (lần sửa {task.revision}, bạn đang xem lần sửa "
                          f"{revision}) nên thay đổi của bạn chưa được lưu. Hãy xem lại nội dung mới rồi cập nhật "
                          "lại.", "conflict")
    if task.cancelled_on:
        raise UpdateError(f"Nhiệm vụ đã dừng thực hiện từ ngày {format_date(task.cancelled_on)}; không cập nhật "
                          "được.", "cancelled")
    return task


def _link(link: str) -> str:
    """An evidence link: http(s) only, so that a page never carries a "javascript:" link."""
    link = (link or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise UpdateError(f'Đường dẫn "{link[:80]}" không hợp lệ: hãy dán địa chỉ bắt đầu bằng http:// hoặc '
                              "https://.") from None
    return link


def _result(task, result_id) -> RequiredResult:
    result = RequiredResult.objects.select_for_update().filter(task=task, pk=result_id).first()
    if result is None:
        raise UpdateError("Kết quả này không thuộc nhiệm vụ.", "not_found")
    return result


def _bump(task, user):
    task.revision += 1
    task.updated_by = user
    task.save(update_fields=["revision", "updated_by", "updated_at"])


def _status_text(result):
    text = result.get_status_display()
    return f"{text} ngày {format_date(result.done_on)}" if result.done_on else text


def mark_done(user, task_id, result_id, done_on: date, evidence="", link="", revision=None, today=None):
    """Mark a required result done on `done_on`, with the evidence of it."""
    today = today or timezone.localdate()
    if done_on is None:
        raise UpdateError("Chưa nhập ngày hoàn thành.")
    if done_on > today:
        raise UpdateError(f"Ngày hoàn thành {format_date(done_on)} sau hôm nay ({format_date(today)}); chỉ ghi "
                          "nhận kết quả đã hoàn thành.")
    link = _link(link)
    if not (evidence or "").strip() and not link:
        raise UpdateError("Hãy ghi kết quả, minh chứng (văn bản, sản phẩm) hoặc đường dẫn minh chứng.")
    with transaction.atomic():
        task = _locked(task_id, user, revision)
        result = _result(task, result_id)
        if result.status == ResultStatus.CANCELLED:
            raise UpdateError("Kết quả này đã dừng thực hiện.", "cancelled")
        _bump(task, user)
        old_status = _status_text(result)
        changes = []
        if (result.status, result.done_on) != (ResultStatus.DONE, done_on):
            result.status, result.done_on = ResultStatus.DONE, done_on
            changes.append(("Tình trạng", old_status, _status_text(result)))
        if (evidence or "").strip() != result.evidence:
            changes.append(("Kết quả, minh chứng", result.evidence, evidence.strip()))
            result.evidence = evidence.strip()
        if link != result.evidence_link:
            changes.append(("Đường dẫn minh chứng", result.evidence_link, link))
            result.evidence_link = link
        result.save()
        for field, old, new in changes:
            record(task, user, field, old, new, result=result)
    return task, result


def reopen(user, task_id, result_id, reason, revision=None):
    """Undo a result marked done by mistake: it goes back to in progress, with the reason."""
    if not (reason or "").strip():
        raise UpdateError("Hãy ghi lý do mở lại kết quả.")
    with transaction.atomic():
        task = _locked(task_id, user, revision)
        result = _result(task, result_id)
        if result.status != ResultStatus.DONE:
            raise UpdateError("Kết quả này chưa được đánh dấu hoàn thành.")
        _bump(task, user)
        old = _status_text(result)
        result.status, result.done_on = ResultStatus.IN_PROGRESS, None
        result.save()
        record(task, user, "Tình trạng", old, f"{_status_text(result)} (mở lại: {reason.strip()})", result=result)
    return task, result


def add_note(user, task_id, text, document="", link="", result_id=None, revision=None):
    """A progress note with its evidence; a result not started becomes in progress."""
    if not (text or "").strip():
        raise UpdateError("Chưa nhập nội dung tiến độ.")
    link = _link(link)
    with transaction.atomic():
        task = _locked(task_id, user, revision)
        result = None
        if result_id:
            result = _result(task, result_id)
        _bump(task, user)
        note = ProgressNote.objects.create(task=task, result=result, text=text.strip(), document=document.strip(),
                                           link=link, by=user)
        record(task, user, "Ghi nhận tiến độ", "", note.text + (f" [{note.document}]" if note.document else "")
               + (f" {note.link}" if note.link else ""), result=result)
        if result is not None and result.status == ResultStatus.NOT_STARTED:
            old = _status_text(result)
            result.status = ResultStatus.IN_PROGRESS
            result.save(update_fields=["status"])
            record(task, user, "Tình trạng", old, _status_text(result), result=result)
    return task, note


def create_task(user, *, title, responsible_unit, results, document=None, order="", sector=None, cooperating=(),
                priority=None, note="", source=""):
    """A new task with its results ((description, Deadline, done_on or None, evidence) each).

    The caller holds the transaction when several tasks must be created together.
    """
    task = Task(document=document, order=order, title=title, sector=sector, responsible_unit=responsible_unit,
                note=note, created_by=user, updated_by=user)
    if priority:
        task.priority = priority
    task.save()
    if cooperating:
        task.cooperating_units.set(cooperating)
    for position, (description, deadline, done_on, evidence) in enumerate(results, start=1):
        RequiredResult.objects.create(
            task=task, position=position, description=description, deadline_text=deadline.text,
            deadline_kind=deadline.kind, deadline_date=deadline.date,
            status=ResultStatus.DONE if done_on else ResultStatus.NOT_STARTED, done_on=done_on,
            evidence=evidence or "")
    summary = f"{task} — {len(results)} kết quả yêu cầu; chủ trì: {responsible_unit}"
    record(task, user, "Tạo nhiệm vụ", "", summary, source=source)
    return task
