"""Ministry staff write the prose of a report; a concurrent edit is refused, nothing half-saved."""

import pytest

from solieu.reports.models import Narrative

pytestmark = pytest.mark.django_db
URL = "/tong-hop/noi-dung/?period=2024S1"


def test_staff_write_and_the_report_shows_it(client, people, figures):
    client.force_login(people["analyst"])
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"postal-difficulties": "- Khó khăn A", "postal-difficulties-revision": "0",
                                 "postal-tasks": "Nhiệm vụ B", "postal-tasks-revision": "0"})
    assert response.status_code == 302
    n = Narrative.objects.get(part="difficulties", sector__code="postal")
    assert n.text == "- Khó khăn A" and n.revision == 1 and n.updated_by == people["analyst"]


def test_a_concurrent_edit_is_refused_and_nothing_is_saved(client, people, figures):
    client.force_login(people["analyst"])
    client.post(URL, {"postal-difficulties": "Bản đầu", "postal-difficulties-revision": "0"})
    response = client.post(URL, {"postal-difficulties": "Bản của người thứ hai", "postal-difficulties-revision": "0",
                                 "postal-tasks": "Không được lưu", "postal-tasks-revision": "0"}, follow=True)
    assert "đã được người khác sửa" in response.content.decode()
    assert Narrative.objects.get(part="difficulties", sector__code="postal").text == "Bản đầu"
    assert not Narrative.objects.filter(part="tasks", text="Không được lưu").exists()


def test_provinces_do_not_write_the_ministrys_report(client, people):
    client.force_login(people["hanoi"])
    assert client.get(URL + "&scope=01@").status_code == 403
