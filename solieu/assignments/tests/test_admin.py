"""Tasks corrected in the admin keep their history and bump their revision."""

from django.urls import reverse

from solieu.assignments.models import Task

from .conftest import make_task


def test_an_admin_correction_is_recorded(client, small):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("qt", "qt@example.invalid", "mat-khau-dai-123")
    task = make_task(small["a"], [("Quý I/2024", None)], title="Tên cũ", document=small["plan"])
    result = task.results.get()
    client.force_login(admin)
    url = reverse("admin:assignments_task_change", args=[task.pk])
    assert client.get(url).status_code == 200
    data = {
        "document": small["plan"].pk, "order": "1", "title": "Tên mới", "sector": "", "responsible_unit": small["a"].pk,
        "priority": "key", "assigned_on": "2024-01-15", "cancelled_on": "", "cancel_reason": "", "note": "",
        "results-TOTAL_FORMS": "1", "results-INITIAL_FORMS": "1", "results-MIN_NUM_FORMS": "0",
        "results-MAX_NUM_FORMS": "1000", "results-0-id": result.pk, "results-0-task": task.pk,
        "results-0-position": "1", "results-0-description": "Kết quả 1", "results-0-deadline_text": "Quý II/2024",
        "results-0-deadline_kind": "period", "results-0-deadline_date": "2024-03-31", "results-0-status": "not_started",
        "results-0-done_on": "", "results-0-evidence": "", "results-0-evidence_link": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    task = Task.objects.with_details().get(pk=task.pk)
    assert task.title == "Tên mới" and task.revision == 2
    assert task.results.get().deadline_date.isoformat() == "2024-06-30"   # read again from the new text
    changed = set(task.changes.values_list("field", flat=True))
    assert {"Nhiệm vụ", "Mức ưu tiên", "Kết quả 1: Thời gian hoàn thành (như văn bản ghi)"} <= changed
