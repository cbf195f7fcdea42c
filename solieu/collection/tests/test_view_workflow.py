"""Submit, approve, return, reopen from the entry page: checked, recorded, notified, scoped."""

import pytest
from django.core import mail

from solieu.collection.models import Submission, SubmissionEvent

from .conftest import entry_url, history, text_of

pytestmark = pytest.mark.usefixtures("catalog")

SERIES = [1000, 1010, 990, 1005, 995, 1020, 980, 1000, 1015, 985, 1000, 1010]


def cell(client, month, row, value, revision=0, **extra):
    response = client.post(entry_url(month, action="o-so-lieu"),
                           {"row": row, "option": "TOTAL", "value": value, "revision": revision, **extra})
    assert response.status_code == 200, text_of(response)
    return response


def submission(month):
    return Submission.objects.get(form__code="BC-SO-THANG", unit__code="SKHCN-01", period__code=month.code)


@pytest.fixture
def sent(client, users, month, django_capture_on_commit_callbacks):
    """A submission of Hà Nội for the open month, sent by its reporter."""
    client.force_login(users["reporter"])
    cell(client, month, "4", "1.000")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(entry_url(month, action="gui"))
    assert response.status_code == 302, text_of(response)
    mail.outbox.clear()
    return submission(month)


def test_submit_sends_and_notifies_approvers(client, users, month, django_capture_on_commit_callbacks):
    client.force_login(users["reporter"])
    cell(client, month, "4", "1.000")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(entry_url(month, action="gui"), follow=True)
    assert "Đã gửi báo cáo; người phê duyệt đã được thông báo." in response.text
    s = submission(month)
    assert s.status == "submitted" and s.submitted_by == users["reporter"]
    assert SubmissionEvent.objects.filter(submission=s, action="submit", user=users["reporter"]).exists()
    assert sorted(mail.outbox[0].to) == ["duyet01@example.invalid", "vukhtc@example.invalid"]
    assert "Gửi báo cáo" in mail.outbox[0].subject
    # Now read-only for the reporter, with who sent it.
    text = text_of(response)
    assert "Chỉ xem: Báo cáo đã gửi, đang chờ phê duyệt" in text and "Người gửi" in text and "Lan" in text


def test_submit_refused_with_errors_listed_and_linked(client, users, month):
    # The catalog's rule R2 of BC-SO-THANG: [12] <= [11].
    client.force_login(users["reporter"])
    cell(client, month, "11", "10")
    cell(client, month, "12", "20")
    response = client.post(entry_url(month, action="gui"))
    assert response.status_code == 422
    text = text_of(response)
    assert "Chưa gửi được: còn 1 lỗi cần sửa." in text
    assert 'href="#o-12-TOTAL">Quy tắc R2: Số dịch vụ công trực tuyến có phát sinh hồ sơ không thể lớn hơn số dịch vụ công trực tuyến: [12] là 20, [11] là 10.' in text
    assert submission(month).status == "draft" and not SubmissionEvent.objects.exists()


def test_warnings_need_comments(client, users, month):
    history("SKHCN-01", "4", month, SERIES)
    client.force_login(users["reporter"])
    cell(client, month, "4", "5.000")
    response = client.post(entry_url(month, action="gui"))
    assert response.status_code == 422
    text = text_of(response)
    assert "cảnh báo cần ghi chú giải thích ở ô số liệu" in text and 'href="#o-4-TOTAL"' in text
    assert submission(month).status == "draft"
    cell(client, month, "4", "5.000", revision=1, comment="Mở thêm 4.000 điểm bưu chính văn hóa xã")
    response = client.post(entry_url(month, action="gui"))
    assert response.status_code == 302 and submission(month).status == "submitted"


def test_approve(client, users, month, sent, django_capture_on_commit_callbacks):
    client.force_login(users["approver"])
    page = client.get(entry_url(month)).text
    assert "Phê duyệt" in page and "Trả lại" in page and "Lý do trả lại" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(entry_url(month, action="phe-duyet"), follow=True)
    assert "Đã phê duyệt báo cáo." in response.text
    s = submission(month)
    assert s.status == "approved" and s.decided_by == users["approver"]
    assert SubmissionEvent.objects.filter(submission=s, action="approve").exists()
    assert mail.outbox[0].to == ["nhap01@example.invalid"] and "Phê duyệt" in mail.outbox[0].subject
    assert "Đã phê duyệt" in response.text and "Mở lại" in response.text


def test_return_needs_a_reason_then_goes_back_to_the_reporter(client, users, month, sent,
                                                              django_capture_on_commit_callbacks):
    client.force_login(users["approver"])
    response = client.post(entry_url(month, action="tra-lai"), {"reason": "  "})
    assert response.status_code == 422 and "Phải ghi lý do trả lại báo cáo." in text_of(response)
    assert submission(month).status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(entry_url(month, action="tra-lai"), {"reason": "Dòng 4 chưa khớp số liệu của Bưu điện tỉnh"})
    s = submission(month)
    assert s.status == "returned" and s.return_reason == "Dòng 4 chưa khớp số liệu của Bưu điện tỉnh"
    assert SubmissionEvent.objects.filter(submission=s, action="return").exists()
    assert mail.outbox[0].to == ["nhap01@example.invalid"] and "Dòng 4 chưa khớp" in mail.outbox[0].body
    client.force_login(users["reporter"])
    text = text_of(client.get(entry_url(month)))
    assert "Bị trả lại" in text and "Lý do trả lại" in text and "Dòng 4 chưa khớp số liệu" in text
    assert 'class="v"' in text  # editable again


def test_reopen_an_approved_submission(client, users, month, sent, django_capture_on_commit_callbacks):
    client.force_login(users["approver"])
    client.post(entry_url(month, action="phe-duyet"))
    response = client.post(entry_url(month, action="mo-lai"), {"reason": ""})
    assert response.status_code == 422 and "Phải ghi lý do mở lại báo cáo." in text_of(response)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(entry_url(month, action="mo-lai"), {"reason": "Tổng cục Thống kê điều chỉnh dân số"})
    s = submission(month)
    assert s.status == "returned" and s.reopened_until is not None
    assert SubmissionEvent.objects.filter(submission=s, action="reopen").exists()
    assert mail.outbox and mail.outbox[0].to == ["nhap01@example.invalid"]


def test_reporter_cannot_approve_own_report(client, users, month, sent):
    client.force_login(users["reporter"])
    assert client.post(entry_url(month, action="phe-duyet")).status_code == 403
    assert client.post(entry_url(month, action="tra-lai"), {"reason": "x"}).status_code == 403
    for action in ("tra-lai", "mo-lai"):  # without a reason too: the right is checked first
        assert client.post(entry_url(month, action=action)).status_code == 403
    assert submission(month).status == "submitted"


def test_analyst_cannot_submit_or_approve(client, users, month, sent):
    client.force_login(users["analyst"])
    assert client.post(entry_url(month, action="phe-duyet")).status_code == 403
    assert submission(month).status == "submitted"


def test_approving_twice_is_refused(client, users, month, sent):
    client.force_login(users["approver"])
    client.post(entry_url(month, action="phe-duyet"))
    response = client.post(entry_url(month, action="phe-duyet"))
    assert response.status_code == 422 and "không thực hiện được thao tác này" in text_of(response)


def test_other_province_gets_404_for_workflow(client, users, month, sent):
    client.force_login(users["reporter79"])
    for action in ("gui", "phe-duyet", "tra-lai", "mo-lai"):
        assert client.post(entry_url(month, action=action), {"reason": "x"}).status_code == 404, action
    assert submission(month).status == "submitted"


def test_receiving_unit_approver_decides(client, users, month, sent):
    client.force_login(users["receiver"])
    response = client.post(entry_url(month, action="phe-duyet"))
    assert response.status_code == 302 and submission(month).status == "approved"


def test_workflow_needs_post(client, users, month, sent):
    client.force_login(users["approver"])
    assert client.get(entry_url(month, action="phe-duyet")).status_code == 405


def test_reopen_a_locked_period_the_unit_never_started(client, users, month):
    """Three months back the period is locked (deadline + 30 days); only the approver unlocks it."""
    old = month.previous().previous().previous()
    client.force_login(users["reporter"])
    text = text_of(client.get(entry_url(old)))
    assert "Chỉ xem: Kỳ báo cáo" in text and "đã khóa" in text
    assert client.post(entry_url(old, action="mo-lai"), {"reason": "x"}).status_code == 404
    client.force_login(users["approver"])
    assert "Lý do mở lại" in client.get(entry_url(old)).text
    response = client.post(entry_url(old, action="mo-lai"), {"reason": ""})
    assert response.status_code == 422 and "Phải ghi lý do mở lại báo cáo." in text_of(response)
    assert not Submission.objects.exists()  # the refusal left nothing behind
    response = client.post(entry_url(old, action="mo-lai"), {"reason": "Sở bị sự cố mạng cả tháng"})
    assert response.status_code == 302
    s = Submission.objects.get(period__code=old.code)
    assert s.status == "draft" and s.reopened_until is not None
    client.force_login(users["reporter"])
    assert 'class="v"' in client.get(entry_url(old)).text  # editable again
