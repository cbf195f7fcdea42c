"""Tình hình báo cáo: units x periods with statuses, and the rates of each period."""

import re

import pytest

from solieu.catalog.models import FormAssignment

from solieu.accounts.models import Role

from .conftest import entry_url, make_user, text_of

pytestmark = pytest.mark.usefixtures("catalog")

URL = "/tinh-hinh-bao-cao/BC-SO-THANG/"


def measure(text, name):
    row = re.search(rf'<tr data-measure="{name}">(.*?)</tr>', text, re.S).group(1)
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_analyst_sees_matrix_and_rates(client, users, month):
    client.force_login(users["reporter"])
    client.post(entry_url(month, action="o-so-lieu"), {"row": "4", "value": "1.000", "revision": 0})
    client.post(entry_url(month, action="gui"))
    client.force_login(users["approver"])
    client.post(entry_url(month, action="phe-duyet"))

    client.force_login(users["analyst"])
    response = client.get(URL, {"tu": month.previous().code, "den": month.code})
    assert response.status_code == 200
    text = text_of(response)
    assert "Tình hình báo cáo – BC-SO-THANG" in text
    assert month.label_title() in text and month.previous().label_title() in text
    for label in ("Chưa báo cáo", "Đang nhập", "Đã gửi", "Gửi muộn", "Bị trả lại", "Đã phê duyệt"):
        assert label in text  # the legend
    row = re.search(r'data-unit="SKHCN-01"><a href="[^"]+">Đã phê duyệt</a> <span class="ontime"', text)
    assert row, "Hà Nội approved on time"
    expected = FormAssignment.objects.filter(form__code="BC-SO-THANG").valid_on(month.end_date).count()
    assert expected == 34
    for name, label in (("EXPECTED_REPORTS", "Số báo cáo phải gửi"), ("ACTUAL_REPORTS", "Số báo cáo đã gửi"),
                        ("ACTUAL_REPORTS_ON_TIME", "Số báo cáo gửi đúng hạn"),
                        ("REPORTING_RATE", "Tỷ lệ báo cáo (%)"),
                        ("REPORTING_RATE_ON_TIME", "Tỷ lệ báo cáo đúng hạn (%)")):
        assert name in text and label in text
    assert measure(text, "EXPECTED_REPORTS") == ["34", "34"]
    assert measure(text, "ACTUAL_REPORTS") == ["0", "1"]
    assert measure(text, "ACTUAL_REPORTS_ON_TIME") == ["0", "1"]
    assert measure(text, "REPORTING_RATE") == ["0,0", "2,9"]
    assert text.count("Chưa báo cáo") >= 34 * 2 - 1


def test_default_is_the_last_six_periods(client, users):
    client.force_login(users["analyst"])
    text = text_of(client.get(URL))
    assert len(measure(text, "EXPECTED_REPORTS")) == 6


def test_wrong_period_says_why(client, users):
    client.force_login(users["analyst"])
    text = text_of(client.get(URL, {"tu": "2026Q1", "den": "2026Q2"}))
    assert "hãy chọn kỳ cùng loại" in text
    text = text_of(client.get(URL, {"tu": "2026x", "den": "202607"}))
    assert "Mã kỳ báo cáo" in text and "không hợp lệ" in text


def test_who_may_see_it(client, users):
    for who, status in (("analyst", 200), ("admin", 200), ("receiver", 200), ("reporter", 403),
                        ("approver", 403), ("reporter79", 403)):
        client.force_login(users[who])
        assert client.get(URL).status_code == status, who
    assert client.get("/tinh-hinh-bao-cao/KHONG-CO/").status_code == 404
    # The Vụ that took over the receiving unit's tasks in 2025 sees it too.
    client.force_login(make_user("vukhtc-khcn", (Role.APPROVER, "VU_KHTC_KHCN")))
    assert client.get(URL).status_code == 200


def test_link_from_the_grid_only_for_those_who_may_see_it(client, users, month):
    client.force_login(users["analyst"])
    assert URL in client.get(entry_url(month)).text
    client.force_login(users["reporter"])
    assert URL not in client.get(entry_url(month)).text
