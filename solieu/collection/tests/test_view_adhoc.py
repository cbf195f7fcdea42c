"""Báo cáo đột xuất: issued by the ministry within the 10% quota, or over it on a leader's word."""

from datetime import timedelta

import pytest
from django.utils import timezone

from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection import adhoc
from solieu.collection.models import AdHocRequest, Submission

from .conftest import text_of

pytestmark = pytest.mark.usefixtures("catalog")

NEW = "/bao-cao-dot-xuat/moi/"


def dates():
    today = timezone.localdate()
    return today - timedelta(days=1), today + timedelta(days=10)


def data(code="DX-01", units=("SKHCN-01",), **extra):
    cutoff, deadline = dates()
    return {
        "code": code, "title": "Số liệu phục vụ phiên họp Chính phủ", "reason": "Văn phòng Chính phủ đề nghị",
        "form": Form.objects.get(code="BC-SO-THANG").pk, "cutoff": cutoff.strftime("%d/%m/%Y"),
        "deadline": deadline.strftime("%d/%m/%Y"),
        "units": [ReportingUnit.objects.get(code=u).pk for u in units], **extra,
    }


def fill_quota(unit_code):
    """As many earlier requests as the unit's quota allows this year, so one more goes over."""
    unit = ReportingUnit.objects.get(code=unit_code)
    year = dates()[1].year
    allowed = adhoc.periodic_count(unit, year) * adhoc.quota_pct() // 100
    period = Period.objects.for_id(PeriodId.range(dates()[0].replace(month=1, day=1), dates()[0]))
    for i in range(int(allowed)):
        r = AdHocRequest.objects.create(code=f"CU-{i}", title="Trước", reason="Trước", period=period,
                                        form=Form.objects.get(code="BC-SO-THANG"), deadline=dates()[1])
        r.units.add(unit)
    return int(allowed)


def test_preview_shows_the_quota_then_confirm_issues(client, users):
    client.force_login(users["analyst"])
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, data(kiem_tra="1"))
    assert response.status_code == 200
    text = text_of(response)
    periodic = adhoc.periodic_count(ReportingUnit.objects.get(code="SKHCN-01"), dates()[1].year)
    assert "Báo cáo định kỳ trong năm" in text and f'<td class="num">{periodic}</td>' in text
    assert '<td class="num">1</td>' in text and "Trong hạn mức" in text and "Xác nhận gửi yêu cầu" in text
    assert not AdHocRequest.objects.exists()

    response = client.post(NEW, data(gui="1"), follow=True)
    assert "Đã gửi yêu cầu báo cáo đột xuất DX-01 tới 1 đơn vị." in text_of(response)
    request = AdHocRequest.objects.get(code="DX-01")
    assert request.created_by == users["analyst"] and not request.override_reason
    submission = Submission.objects.get(adhoc_request=request, unit__code="SKHCN-01")
    assert "DX-01" in text_of(response)

    # The reporter finds it in their work and opens its grid.
    client.force_login(users["reporter"])
    text = text_of(client.get("/cong-viec/"))
    url = f"/bao-cao/BC-SO-THANG/SKHCN-01/{submission.period.code}/"
    assert url in text and "Đột xuất: DX-01 – Số liệu phục vụ phiên họp Chính phủ" in text
    page = text_of(client.get(url))
    assert "báo cáo đột xuất DX-01" in page and dates()[1].strftime("%d/%m/%Y") in page


def test_refused_above_the_quota(client, users):
    fill_quota("SKHCN-01")
    client.force_login(users["analyst"])
    text = text_of(client.post(NEW, data(kiem_tra="1")))
    assert "Vượt hạn mức" in text and "cần lãnh đạo (quản trị hệ thống) quyết định" in text
    assert 'name="override_reason"' not in text
    response = client.post(NEW, data(gui="1", override_reason="Tôi tự quyết"))
    assert response.status_code == 422
    assert "Không thể gửi yêu cầu: vượt hạn mức báo cáo đột xuất 10% báo cáo định kỳ" in text_of(response)
    assert not AdHocRequest.objects.filter(code="DX-01").exists()


def test_leader_overrides_with_a_reason(client, users):
    fill_quota("SKHCN-01")
    client.force_login(users["admin"])
    text = text_of(client.post(NEW, data(kiem_tra="1")))
    assert 'name="override_reason"' in text and "Lý do vượt hạn mức (lãnh đạo quyết định)" in text
    response = client.post(NEW, data(gui="1"))
    assert response.status_code == 422 and "Cần lãnh đạo quyết định và ghi lý do" in text_of(response)
    response = client.post(NEW, data(gui="1", override_reason="Thủ tướng yêu cầu số liệu gấp"))
    assert response.status_code == 302
    request = AdHocRequest.objects.get(code="DX-01")
    assert request.override_reason == "Thủ tướng yêu cầu số liệu gấp" and request.override_by == users["admin"]
    text = text_of(client.get("/bao-cao-dot-xuat/"))
    assert "Vượt hạn mức" in text and "Thủ tướng yêu cầu số liệu gấp" in text


def test_form_errors_in_vietnamese(client, users):
    client.force_login(users["analyst"])
    cutoff, deadline = dates()
    text = text_of(client.post(NEW, data(kiem_tra="1", deadline=cutoff.strftime("%d/%m/%Y"))))
    assert "Hạn gửi phải sau ngày chốt số liệu." in text
    text = text_of(client.post(NEW, data(kiem_tra="1", units=[])))
    assert "Trường này là bắt buộc." in text
    client.post(NEW, data(gui="1"))
    text = text_of(client.post(NEW, data(kiem_tra="1")))
    assert "Số hiệu DX-01 đã được dùng cho một yêu cầu khác." in text


def test_who_may_issue_and_see(client, users):
    for who in ("reporter", "approver", "receiver", "reporter79"):
        client.force_login(users[who])
        assert client.get(NEW).status_code == 403, who
        assert client.post(NEW, data(gui="1")).status_code == 403, who
        assert client.get("/bao-cao-dot-xuat/").status_code == 403, who
        assert "/bao-cao-dot-xuat/" not in client.get("/cong-viec/").text, who
    assert not AdHocRequest.objects.exists()
    client.force_login(users["analyst"])
    assert "/bao-cao-dot-xuat/" in client.get("/cong-viec/").text
    client.post(NEW, data(gui="1", units=("SKHCN-79",)), follow=True)  # reads the message
    assert "DX-01" in text_of(client.get("/bao-cao-dot-xuat/"))
    client.force_login(users["reporter"])
    assert "DX-01" not in text_of(client.get("/cong-viec/"))
    submission = Submission.objects.get(adhoc_request__code="DX-01")
    assert client.get(f"/bao-cao/BC-SO-THANG/SKHCN-79/{submission.period.code}/").status_code == 404
    client.force_login(users["reporter79"])
    assert "Đột xuất: DX-01" in text_of(client.get("/cong-viec/"))
