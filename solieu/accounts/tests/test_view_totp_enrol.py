"""Turning the authenticator on: secret shown (grouped, URI, QR), active only after a code;
ten recovery codes shown once and stored hashed; compulsory for approvers with SOLIEU_REQUIRE_TOTP."""

import re

import pytest

from solieu.accounts import totp
from solieu.accounts.models import AccountEvent, RecoveryCode, TotpDevice

from .conftest import wrong_code

pytestmark = pytest.mark.django_db


def test_enrolment_page_shows_the_secret_three_ways(client, approver):
    client.force_login(approver)
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/bat/").content.decode()
    device = TotpDevice.objects.get(user=approver)
    assert device.confirmed_at is None
    assert totp.grouped(device.secret) in page
    assert f"otpauth://totp/solieu%3Alanhdao?secret={device.secret}" in page.replace("&amp;", "&")
    assert re.search(r'<img class="qr" src="data:image/svg\+xml;', page)
    assert "<script" not in page.split("<main>")[1] and "style=" not in page
    # reloading the page keeps the secret already scanned
    client.get("/tai-khoan/xac-thuc-hai-buoc/bat/")
    assert TotpDevice.objects.get(user=approver).secret == device.secret


def test_a_wrong_code_does_not_activate(client, approver):
    client.force_login(approver)
    client.get("/tai-khoan/xac-thuc-hai-buoc/bat/")
    device = TotpDevice.objects.get(user=approver)
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/bat/", {"code": wrong_code(device.secret)})
    assert response.status_code == 200 and "Mã không đúng" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed_at is None and not RecoveryCode.objects.exists()
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.TOTP_ENABLED).exists()


def test_confirming_shows_ten_recovery_codes_once(client, approver):
    client.force_login(approver)
    client.get("/tai-khoan/xac-thuc-hai-buoc/bat/")
    device = TotpDevice.objects.get(user=approver)
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/bat/", {"code": totp.code_at(device.secret)})
    page = response.content.decode()
    codes = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", page)
    assert len(set(codes)) == 10 and "chỉ hiện một lần" in page
    assert response["Cache-Control"].startswith("max-age=0")
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert stored == {RecoveryCode.digest(c) for c in codes}
    assert not any(c in h for c in codes for h in stored)
    device.refresh_from_db()
    assert device.active
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.TOTP_ENABLED)
    assert event.user == approver and event.actor == approver
    # shown once: the page now only says it is on
    assert client.get("/tai-khoan/xac-thuc-hai-buoc/bat/")["Location"] == "/tai-khoan/bao-mat/"
    page = client.get("/tai-khoan/bao-mat/").content.decode()
    assert "Còn 10 mã khôi phục" in page and not any(c in page for c in codes)


def test_security_page_invites_approvers(client, approver):
    client.force_login(approver)
    page = client.get("/tai-khoan/bao-mat/").content.decode()
    assert "Chưa dùng" in page and "Đề nghị người phê duyệt" in page


def test_required_for_approvers_when_configured(client, settings, approver, reporter):
    settings.SOLIEU_REQUIRE_TOTP = True
    client.force_login(approver)
    response = client.get("/cong-viec/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/xac-thuc-hai-buoc/bat/"
    assert client.get("/api/docs").status_code == 302
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/bat/")
    assert page.status_code == 200 and "bắt buộc" in page.content.decode()
    device = TotpDevice.objects.get(user=approver)
    client.post("/tai-khoan/xac-thuc-hai-buoc/bat/", {"code": totp.code_at(device.secret)})
    assert client.get("/cong-viec/").status_code == 200
    # and may not be turned off again
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/tat/", {"code": totp.code_at(device.secret)})
    assert response.status_code == 302 and TotpDevice.objects.filter(user=approver).exists()
    # a reporter is not concerned
    client.force_login(reporter)
    assert client.get("/cong-viec/").status_code == 200


def test_superusers_are_concerned_too(client, settings, admin_user):
    settings.SOLIEU_REQUIRE_TOTP = True
    client.force_login(admin_user)
    assert client.get("/admin/")["Location"] == "/tai-khoan/xac-thuc-hai-buoc/bat/"
    assert client.post("/dang-xuat/").status_code == 302  # signing out stays possible
    assert "_auth_user_id" not in client.session


def test_not_required_by_default(client, approver):
    client.force_login(approver)
    assert client.get("/cong-viec/").status_code == 200
