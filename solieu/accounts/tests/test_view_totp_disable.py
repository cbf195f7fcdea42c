"""Turning the authenticator off needs the password or a current code; an administrator can reset it."""

import pytest

from solieu.accounts import totp
from solieu.accounts.models import AccountEvent, RecoveryCode, TotpDevice

from .conftest import PASSWORD, wrong_code

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/xac-thuc-hai-buoc/tat/"


def test_open_session_alone_is_not_enough(client, enrolled, approver):
    client.force_login(approver)
    assert "mật khẩu hoặc mã xác thực" in client.get(URL).content.decode()
    for data in ({}, {"password": "sai-mat-khau"}, {"code": wrong_code(enrolled.secret)}):
        response = client.post(URL, data)
        assert response.status_code == 200 and "không đúng" in response.content.decode()
    assert TotpDevice.objects.filter(pk=enrolled.pk).exists()
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.TOTP_DISABLED).exists()


@pytest.mark.parametrize("proof", ["password", "code"])
def test_password_or_code_turns_it_off(client, enrolled, approver, proof):
    client.force_login(approver)
    data = {"password": PASSWORD} if proof == "password" else {"code": totp.code_at(enrolled.secret)}
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/bao-mat/"
    assert not TotpDevice.objects.exists() and not RecoveryCode.objects.exists()
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.TOTP_DISABLED)
    assert event.user == approver and event.actor == approver and event.detail == {"proof": proof}


def test_nothing_to_turn_off(client, approver):
    client.force_login(approver)
    assert client.get(URL)["Location"] == "/tai-khoan/bao-mat/"


def test_admin_reset_is_a_privilege_change(client, admin_client, admin_user, enrolled, approver):
    response = admin_client.post("/admin/accounts/totpdevice/", {"action": "reset", "_selected_action": [enrolled.pk]})
    assert response.status_code == 302
    assert not TotpDevice.objects.exists()
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.TOTP_RESET)
    assert event.user == approver and event.actor == admin_user
    # the password alone signs in again
    client.post("/dang-nhap/", {"username": "lanhdao", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(approver.pk)


def test_admin_never_shows_the_secret(admin_client, enrolled):
    page = admin_client.get(f"/admin/accounts/totpdevice/{enrolled.pk}/change/").content.decode()
    assert enrolled.secret not in page and "lanhdao" in page


def test_command_line_reset_and_unlock(enrolled, approver):
    from io import StringIO

    from django.core.management import CommandError, call_command

    TotpDevice.objects.filter(pk=enrolled.pk).update(failures=5)
    out = StringIO()
    call_command("reset_totp", "lanhdao", "--mo-khoa", stdout=out)
    assert "Đã mở khóa" in out.getvalue() and TotpDevice.objects.get().failures == 0
    call_command("reset_totp", "lanhdao", stdout=out)
    assert not TotpDevice.objects.exists()
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.TOTP_RESET)
    assert event.user == approver and event.actor is None and event.detail == {"via": "command"}
    with pytest.raises(CommandError, match="chưa bật xác thực hai bước"):
        call_command("reset_totp", "lanhdao")
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("reset_totp", "khong-co")
