"""The ministry's overview: every task with its state today, overdue and due-soon first,
filters, and the statistics at a chosen cut-off date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from solieu.vi import format_date

from .conftest import make_task, text_of

URL = "/nhiem-vu/"


@pytest.fixture
def tasks(small):
    today = timezone.localdate()
    day = lambda n: format_date(today + timedelta(days=n))  # noqa: E731
    return {
        "late": make_task(small["a"], [(day(-3), None)], title="Nhiệm vụ đã quá hạn", sector=small["postal"]),
        "soon": make_task(small["b"], [(day(5), None)], title="Nhiệm vụ sắp đến hạn", sector=small["telecom"]),
        "done": make_task(small["a"], [(day(-10), today - timedelta(days=12))], title="Nhiệm vụ đã xong",
                          sector=small["telecom"]),
        "far": make_task(small["b"], [(day(90), None)], title="Nhiệm vụ còn xa", sector=small["postal"]),
    }


def test_the_ministry_sees_overdue_and_due_soon_first(client, small, tasks):
    client.force_login(small["analyst"])
    response = client.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    overdue = text.split('id="overdue"')[1].split("</section>")[0]
    soon = text.split('id="soon"')[1].split("</section>")[0]
    assert "Nhiệm vụ đã quá hạn" in overdue and "Nhiệm vụ sắp đến hạn" not in overdue
    assert "Nhiệm vụ sắp đến hạn" in soon and "Nhiệm vụ còn xa" not in soon
    assert f'data-task="{tasks["late"].pk}" class="tk-row-overdue"' in text
    assert f'data-task="{tasks["soon"].pk}" class="tk-row-soon"' in text
    assert "Hoàn thành đúng hạn" in text and "Quá hạn, chưa hoàn thành" in text
    # Statistics today: 4 tasks, 1 done (25%), 2 due (the late one and the done one), 1 due and not done.
    cards = text.split('class="cards tk-cards"')[1].split("</div>\n</div>")[0]
    assert '<div class="card" data-stat="total"><b>4</b>' in cards
    assert '<div class="card" data-stat="done"><b>1 <small>(25%)</small></b>' in cards
    assert '<div class="card" data-stat="due"><b>2</b>' in cards
    assert '<div class="card" data-stat="due_not_done"><b class="warn">1</b>' in cards


def test_filters_by_unit_sector_and_status(client, small, tasks):
    client.force_login(small["analyst"])
    text = text_of(client.get(URL, {"don-vi": "CUC_A"}))
    assert "Nhiệm vụ đã quá hạn" in text and "Nhiệm vụ còn xa" not in text
    text = text_of(client.get(URL, {"linh-vuc": "telecom"}))
    assert "Nhiệm vụ sắp đến hạn" in text and "Nhiệm vụ còn xa" not in text
    text = text_of(client.get(URL, {"tinh-trang": "due_soon"})).split("Danh sách nhiệm vụ (")[1]
    assert "Nhiệm vụ sắp đến hạn" in text and "Nhiệm vụ đã xong" not in text and text.startswith("1)")
    text = text_of(client.get(URL, {"tinh-trang": "done_on_time"})).split("Danh sách nhiệm vụ (")[1]
    assert "Nhiệm vụ đã xong" in text and text.startswith("1)")


def test_a_past_cut_off_date_and_an_unreadable_one(client, small, tasks):
    client.force_login(small["analyst"])
    before = format_date(timezone.localdate() - timedelta(days=20))
    text = text_of(client.get(URL, {"ngay": before}))
    assert f"Thống kê tính đến ngày {before}" in text
    assert '<div class="card" data-stat="done"><b>0 <small>(0%)</small></b>' in text
    text = text_of(client.get(URL, {"ngay": "31/02/2024"}))
    assert 'Ngày "31/02/2024" không hợp lệ: tháng 2 năm 2024 chỉ có 29 ngày. Đang tính đến hôm nay' in text


def test_only_the_ministry_sees_the_overview(client, small, tasks):
    assert client.get(URL).status_code == 302
    client.force_login(small["reporter_so"])
    assert client.get(URL).status_code == 403
    client.force_login(small["reporter_a"])  # a member of a ministry department
    assert client.get(URL).status_code == 200
    assert 'href="/nhiem-vu/">Nhiệm vụ</a>' in text_of(client.get(URL))
