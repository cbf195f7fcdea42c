"""Công việc của tôi: the reporter's forms and their state, the approver's queue, what changed."""

import pytest
from django.test import Client
from django.utils import timezone

from solieu.catalog.models import Form
from solieu.vi import format_date

from .conftest import PASSWORD, entry_url, text_of

pytestmark = pytest.mark.usefixtures("catalog")


def login(client, user):
    """Through the login page, as a person does, so that the login signal runs."""
    response = client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content


def save(client, month, value="1.000"):
    response = client.post(entry_url(month, action="o-so-lieu"), {"row": "4", "value": value, "revision": 0})
    assert response.status_code == 200


def test_reporter_sees_the_forms_of_the_unit(client, users, month):
    client.force_login(users["reporter"])
    response = client.get("/cong-viec/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Công việc của tôi" in text and "Báo cáo của" in text and "(SKHCN-01)" in text
    assert "BC-SO-THANG" in text and "SKHCN-79" not in text
    form = Form.objects.get(code="BC-SO-THANG")
    current = month.containing("month", timezone.localdate())
    previous = current.previous()
    # The previous month is always past its deadline (the 15th of that month) and not sent.
    assert previous.label_title() in text and format_date(form.deadline_for(previous)) in text
    assert "Quá hạn" in text
    # The open month (due on its 15th) is listed with its entry link.
    assert month.label_title() in text and f'href="{entry_url(month)}"' in text
    assert "Chưa nhập" in text


def test_statuses_follow_the_submission(client, users, month):
    client.force_login(users["reporter"])
    save(client, month)
    assert "Đang nhập" in text_of(client.get("/cong-viec/"))
    client.post(entry_url(month, action="gui"))
    assert "Đã gửi" in text_of(client.get("/cong-viec/"))


def test_approver_sees_submissions_waiting(client, users, month):
    client.force_login(users["reporter"])
    save(client, month)
    client.post(entry_url(month, action="gui"))
    for who in ("approver", "receiver", "admin"):
        client.force_login(users[who])
        text = text_of(client.get("/cong-viec/"))
        assert "Báo cáo chờ phê duyệt" in text and "Xem và phê duyệt" in text, who
        assert f'href="{entry_url(month)}"' in text
    client.force_login(users["reporter79"])
    assert "Xem và phê duyệt" not in text_of(client.get("/cong-viec/"))


def test_changes_since_previous_login(users, month):
    reporter, approver = Client(), Client()
    login(reporter, users["reporter"])  # first login: no previous visit
    assert "Đây là lần đăng nhập đầu tiên" in text_of(reporter.get("/cong-viec/"))
    save(reporter, month)
    reporter.post(entry_url(month, action="gui"))
    login(approver, users["approver"])
    approver.post(entry_url(month, action="tra-lai"), {"reason": "Thiếu số điểm phục vụ"})

    login(reporter, users["reporter"])
    text = text_of(reporter.get("/cong-viec/"))
    assert "Từ lần đăng nhập trước lúc" in text
    changes = text.split("Thay đổi từ lần truy cập trước")[1]
    assert "Trả lại" in changes and "Thiếu số điểm phục vụ" in changes and "(Minh)" in changes
    assert "Gửi báo cáo" not in changes  # one's own steps are not news

    login(reporter, users["reporter"])  # the return happened before this visit's previous login
    changes = text_of(reporter.get("/cong-viec/")).split("Thay đổi từ lần truy cập trước")[1]
    assert "Thiếu số điểm phục vụ" not in changes and "Không có thay đổi nào." in changes


def test_user_without_role(client, db):
    from .conftest import make_user

    client.force_login(make_user("khach"))
    text = text_of(client.get("/cong-viec/"))
    assert "chưa được giao nhập hay phê duyệt báo cáo của đơn vị nào" in text


def test_login_required(client, db):
    assert client.get("/cong-viec/").status_code == 302


def test_the_page_costs_the_same_whatever_the_number_of_forms(client, users, month,
                                                              django_assert_max_num_queries):
    """The most visited page on a deadline day: reports, deadlines and whether each has values
    come from one query each, not one per form and period (issue 8: 300 ms of server time)."""
    from solieu.catalog.models import FormAssignment, ReportingUnit

    client.force_login(users["reporter"])
    client.get("/cong-viec/")
    unit = ReportingUnit.objects.get(code="SKHCN-01")
    with django_assert_max_num_queries(40) as few:
        client.get("/cong-viec/")
    extra = Form.objects.filter(active=True).exclude(regime=Form.Regime.AD_HOC).exclude(
        assignments__unit=unit)[:5]
    for form in extra:
        FormAssignment.objects.create(form=form, unit=unit)
    assert len(extra) == 5
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        text = text_of(client.get("/cong-viec/"))
    assert all(f.code in text for f in extra)
