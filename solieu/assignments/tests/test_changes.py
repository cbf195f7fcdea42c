"""Updates go through one path: revision checked, change applied, history written."""

from datetime import date

import pytest

from solieu.assignments import changes
from solieu.assignments.models import ResultStatus, Task, TaskChange, TaskStatus

from .conftest import make_task


@pytest.fixture
def task(small):
    return make_task(small["a"], [("Quý I/2024", None), ("Tháng 6", None)], document=small["plan"],
                     title="Xây dựng Thông tư")


def test_marking_a_result_done_keeps_the_history(small, task):
    user = small["reporter_a"]
    first = task.results.get(position=1)
    changes.mark_done(user, task.pk, first.pk, date(2024, 3, 20), "Thông tư số 05/2024/TT-BTTTT",
                      "https://example.invalid/tt05", revision=1, today=date(2024, 4, 1))
    task = Task.objects.with_details().get(pk=task.pk)
    first.refresh_from_db()
    assert (first.status, first.done_on, first.evidence) == (ResultStatus.DONE, date(2024, 3, 20),
                                                             "Thông tư số 05/2024/TT-BTTTT")
    assert task.revision == 2
    assert task.state_on(date(2024, 4, 1)).status == TaskStatus.IN_PROGRESS
    fields = list(task.changes.order_by("id").values_list("field", "old", "new", "user__username"))
    assert fields[0][0] == "Tạo nhiệm vụ"
    assert fields[1:] == [
        ("Tình trạng", "Chưa thực hiện", "Đã hoàn thành ngày 20/03/2024", "nv-a"),
        ("Kết quả, minh chứng", "", "Thông tư số 05/2024/TT-BTTTT", "nv-a"),
        ("Đường dẫn minh chứng", "", "https://example.invalid/tt05", "nv-a"),
    ]


def test_a_stale_revision_is_refused_and_nothing_changes(small, task):
    first, second = task.results.order_by("position")
    changes.mark_done(small["reporter_a"], task.pk, first.pk, date(2024, 3, 20), "Xong", revision=1,
                      today=date(2024, 4, 1))
    before = TaskChange.objects.count()
    with pytest.raises(changes.UpdateError) as info:
        changes.add_note(small["approver_a"], task.pk, "Đang hoàn thiện dự thảo", result_id=second.pk, revision=1)
    assert info.value.code == "conflict"
    assert "vừa được cập nhật bởi Hà" in info.value.message and "lần sửa 2" in info.value.message
    assert TaskChange.objects.count() == before
    assert not task.notes.exists()


def test_done_needs_a_date_not_in_the_future_and_evidence(small, task):
    result = task.results.first()
    with pytest.raises(changes.UpdateError, match="sau hôm nay"):
        changes.mark_done(small["reporter_a"], task.pk, result.pk, date(2024, 5, 2), "x", today=date(2024, 5, 1))
    with pytest.raises(changes.UpdateError, match="minh chứng"):
        changes.mark_done(small["reporter_a"], task.pk, result.pk, date(2024, 5, 1), " ", today=date(2024, 5, 1))
    with pytest.raises(changes.UpdateError, match="http:// hoặc https://"):
        changes.mark_done(small["reporter_a"], task.pk, result.pk, date(2024, 5, 1), "x", "javascript:alert(1)",
                          today=date(2024, 5, 1))


def test_a_note_starts_a_result_and_reopen_undoes_done(small, task):
    first = task.results.get(position=1)
    changes.add_note(small["reporter_a"], task.pk, "Đã gửi lấy ý kiến", "Công văn 10/BTTTT", result_id=first.pk)
    first.refresh_from_db()
    assert first.status == ResultStatus.IN_PROGRESS
    changes.mark_done(small["reporter_a"], task.pk, first.pk, date(2024, 3, 1), "Xong", today=date(2024, 3, 2))
    changes.reopen(small["reporter_a"], task.pk, first.pk, "Ghi nhầm kết quả")
    first.refresh_from_db()
    assert (first.status, first.done_on) == (ResultStatus.IN_PROGRESS, None)
    assert task.changes.first().new == "Đang thực hiện (mở lại: Ghi nhầm kết quả)"


def test_history_is_append_only(task):
    change = task.changes.first()
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    with pytest.raises(PermissionError):
        TaskChange.objects.filter(task=task).update(new="x")
    with pytest.raises(PermissionError):
        TaskChange.objects.filter(task=task).delete()


def test_a_cancelled_task_is_not_updated(small, task):
    Task.objects.filter(pk=task.pk).update(cancelled_on=date(2024, 2, 1))
    with pytest.raises(changes.UpdateError, match="dừng thực hiện"):
        changes.add_note(small["reporter_a"], task.pk, "x")
