"""The responsible unit marks a result done with evidence, notes progress, reopens; stale
revisions and users outside the unit are refused and change nothing."""

import pytest
from django.utils import timezone

from solieu.assignments.models import ResultStatus, Task, TaskChange
from solieu.vi import format_date

from .conftest import make_task, text_of


@pytest.fixture
def task(small):
    return make_task(small["a"], [("Quý I/2024", None), ("Tháng 6", None)], title="Ban hành Thông tư",
                     document=small["plan"])


def url(task):
    return f"/nhiem-vu/{task.pk}/cap-nhat/"


def test_marking_done_with_evidence(client, small, task):
    client.force_login(small["reporter_a"])
    result = task.results.get(position=1)
    today = format_date(timezone.localdate())
    response = client.post(url(task), {"action": "done", "result": result.pk, "done_on": today, "revision": 1,
                                       "evidence": "Thông tư số 05/2024/TT-BTTTT",
                                       "link": "https://example.invalid/tt"})
    assert response.status_code == 302 and response["Location"] == f"/nhiem-vu/{task.pk}/"
    result.refresh_from_db()
    assert result.status == ResultStatus.DONE and result.evidence == "Thông tư số 05/2024/TT-BTTTT"
    text = text_of(client.get(f"/nhiem-vu/{task.pk}/"))
    assert f"Đã ghi nhận kết quả hoàn thành ngày {today}." in text
    assert "Thông tư số 05/2024/TT-BTTTT" in text and 'href="https://example.invalid/tt"' in text


def test_a_stale_form_is_refused_with_who_changed_it(client, small, task):
    client.force_login(small["reporter_a"])
    client.post(url(task), {"action": "note", "text": "Đang soạn thảo", "revision": 1})
    client.force_login(small["approver_a"])
    before = TaskChange.objects.count()
    response = client.post(url(task), {"action": "done", "result": task.results.first().pk, "revision": 1,
                                       "done_on": format_date(timezone.localdate()), "evidence": "Xong"})
    assert response.status_code == 409
    text = text_of(response)
    assert "Nhiệm vụ vừa được cập nhật bởi Hà lúc" in text and "thay đổi của bạn chưa được lưu" in text
    assert TaskChange.objects.count() == before


def test_bad_input_is_explained(client, small, task):
    client.force_login(small["reporter_a"])
    response = client.post(url(task), {"action": "done", "result": task.results.first().pk, "revision": 1,
                                       "done_on": "31/02/2024", "evidence": "Xong"})
    assert response.status_code == 400
    assert 'Ngày "31/02/2024" không hợp lệ' in text_of(response)
    response = client.post(url(task), {"action": "done", "result": task.results.first().pk, "revision": 1,
                                       "done_on": format_date(timezone.localdate())})
    assert response.status_code == 400 and "minh chứng" in text_of(response)
    assert Task.objects.get(pk=task.pk).revision == 1


def test_a_progress_note_and_reopening(client, small, task):
    client.force_login(small["reporter_a"])
    first = task.results.get(position=1)
    client.post(url(task), {"action": "note", "text": "Đã gửi lấy ý kiến", "document": "Công văn 99", "revision": 1,
                            "result": first.pk})
    first.refresh_from_db()
    assert first.status == ResultStatus.IN_PROGRESS
    client.post(url(task), {"action": "done", "result": first.pk, "revision": 2, "evidence": "Xong",
                            "done_on": format_date(timezone.localdate())})
    response = client.post(url(task), {"action": "reopen", "result": first.pk, "revision": 3, "reason": "Nhầm"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ResultStatus.IN_PROGRESS and first.done_on is None


def test_only_the_responsible_unit_updates(client, small, task):
    before = TaskChange.objects.count()
    client.force_login(small["reporter_b"])      # ministry staff: sees the task, may not update it
    assert client.post(url(task), {"action": "note", "text": "x"}).status_code == 403
    client.force_login(small["reporter_so"])     # outside: the task does not exist
    assert client.post(url(task), {"action": "note", "text": "x"}).status_code == 404
    client.force_login(small["reporter_a"])
    assert client.get(url(task)).status_code == 405
    assert TaskChange.objects.count() == before
