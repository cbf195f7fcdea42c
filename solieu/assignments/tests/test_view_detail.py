"""A task with its results, progress notes and history; update forms for its responsible unit."""

from datetime import date

import pytest

from solieu.assignments import changes

from .conftest import make_task, text_of


@pytest.fixture
def task(small):
    task = make_task(small["a"], [("Quý I/2024", None), ("Tháng 6", date(2024, 6, 20))], title="Ban hành Thông tư",
                     document=small["plan"], sector=small["postal"], cooperating=[small["so"]])
    changes.add_note(small["reporter_a"], task.pk, "Đã trình Lãnh đạo Bộ", "Tờ trình 15/TTr-CA")
    return task


def test_the_responsible_unit_sees_the_forms_and_the_history(client, small, task):
    client.force_login(small["reporter_a"])
    response = client.get(f"/nhiem-vu/{task.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Ban hành Thông tư" in text and "Kế hoạch số 12/KH-BTTTT ngày 15/01/2024" in text
    assert "Quý I/2024" in text and "31/03/2024" in text and "Sở X" in text
    assert "Đánh dấu hoàn thành" in text and "Mở lại (ghi nhầm)" in text and "Ghi nhận tiến độ" in text
    assert "Đã trình Lãnh đạo Bộ" in text and "Tờ trình 15/TTr-CA" in text
    assert "Lịch sử thay đổi" in text and "Tạo nhiệm vụ" in text
    assert 'name="revision" value="2"' in text  # created, then one note


def test_a_co_operating_unit_reads_without_forms(client, small, task):
    client.force_login(small["reporter_so"])
    text = text_of(client.get(f"/nhiem-vu/{task.pk}/"))
    assert "Ban hành Thông tư" in text and "Đánh dấu hoàn thành" not in text and "Ghi nhận tiến độ</button>" not in text


def test_others_get_404(client, small, task):
    other = make_task(small["b"], [("Quý I/2024", None)], title="Nhiệm vụ của Vụ B")
    client.force_login(small["reporter_so"])
    assert client.get(f"/nhiem-vu/{other.pk}/").status_code == 404
    assert client.get("/nhiem-vu/999999/").status_code == 404
    client.logout()
    assert client.get(f"/nhiem-vu/{task.pk}/").status_code == 302
