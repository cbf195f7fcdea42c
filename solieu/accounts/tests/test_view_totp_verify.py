"""Sign-in with an authenticator: the password alone does not sign in; a code, once, does."""

import pytest
from django.contrib.auth import SESSION_KEY

from solieu.accounts import totp, twofactor
from solieu.accounts.models import AccountEvent, TotpDevice

from .conftest import PASSWORD, wrong_code

pytestmark = pytest.mark.django_db
Kind = AccountEvent.Kind


def password_step(client, user, next_url=""):
    return client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD, "next": next_url})


def test_without_authenticator_the_password_signs_in(client, approver):
    response = password_step(client, approver)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(approver.pk)


def test_password_then_code(client, enrolled, approver):
    response = password_step(client, approver, "/cong-viec/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/xac-thuc/"
    assert SESSION_KEY not in client.session
    assert client.get("/cong-viec/").status_code == 302  # not signed in yet
    page = client.get("/dang-nhap/xac-thuc/")
    assert "Xác thực hai bước" in page.content.decode() and "lanhdao" in page.content.decode()
    response = client.post("/dang-nhap/xac-thuc/", {"code": totp.code_at(enrolled.secret)})
    assert response.status_code == 302 and response["Location"] == "/cong-viec/"
    assert client.session[SESSION_KEY] == str(approver.pk)
    assert twofactor.PENDING_KEY not in client.session
    event = AccountEvent.objects.filter(kind=Kind.LOGIN).get()
    assert event.user == approver and event.detail == {"second_factor": "totp"} and event.ip == "127.0.0.1"


def test_a_code_is_accepted_once(client, enrolled, approver):
    code = totp.code_at(enrolled.secret)
    password_step(client, approver)
    client.post("/dang-nhap/xac-thuc/", {"code": code})
    client.post("/dang-xuat/")
    password_step(client, approver)
    response = client.post("/dang-nhap/xac-thuc/", {"code": code})
    assert response.status_code == 200 and "Mã này đã được dùng" in response.content.decode()
    assert SESSION_KEY not in client.session
    # an older code of the window is no use either
    earlier = totp.hotp(enrolled.secret, TotpDevice.objects.get().last_step - 1)
    assert client.post("/dang-nhap/xac-thuc/", {"code": earlier}).status_code == 200
    assert SESSION_KEY not in client.session


def test_wrong_code_is_refused_in_vietnamese(client, enrolled, approver):
    password_step(client, approver)
    response = client.post("/dang-nhap/xac-thuc/", {"code": wrong_code(enrolled.secret)})
    assert response.status_code == 200 and "Mã không đúng" in response.content.decode()
    assert SESSION_KEY not in client.session
    failed = AccountEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert failed.user == approver and failed.detail["step"] == "totp" and failed.detail["failures"] == 1


def test_five_wrong_codes_lock_the_second_step(client, enrolled, approver):
    bad = wrong_code(enrolled.secret)
    password_step(client, approver)
    for _ in range(4):
        assert client.post("/dang-nhap/xac-thuc/", {"code": bad}).status_code == 200
    response = client.post("/dang-nhap/xac-thuc/", {"code": bad})
    assert response.status_code == 429 and "tạm khóa 15 phút" in response.content.decode()
    assert AccountEvent.objects.filter(kind=Kind.LOCKED_OUT, detail__step="totp").count() == 1
    # the half sign-in is dropped; even the password and a right code do not get through
    assert client.get("/dang-nhap/xac-thuc/")["Location"] == "/dang-nhap/"
    password_step(client, approver)
    response = client.post("/dang-nhap/xac-thuc/", {"code": totp.code_at(enrolled.secret)})
    assert response.status_code == 429 and SESSION_KEY not in client.session


def test_admin_unlock_lets_the_user_in_again(client, admin_client, enrolled, approver):
    bad = wrong_code(enrolled.secret)
    password_step(client, approver)
    for _ in range(5):
        client.post("/dang-nhap/xac-thuc/", {"code": bad})
    response = admin_client.post("/admin/accounts/totpdevice/", {"action": "unlock", "_selected_action": [enrolled.pk]})
    assert response.status_code == 302
    assert AccountEvent.objects.filter(kind=Kind.TOTP_UNLOCKED, user=approver).count() == 1
    password_step(client, approver)
    client.post("/dang-nhap/xac-thuc/", {"code": totp.code_at(enrolled.secret)})
    assert client.session[SESSION_KEY] == str(approver.pk)


def test_a_recovery_code_signs_in_once(client, enrolled, approver):
    code = enrolled.codes[0]
    password_step(client, approver)
    response = client.post("/dang-nhap/xac-thuc/", {"code": code.upper().replace("-", " ")})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(approver.pk)
    event = AccountEvent.objects.get(kind=Kind.RECOVERY_CODE_USED)
    assert event.user == approver and event.detail == {"left": 9}
    client.post("/dang-xuat/")
    password_step(client, approver)
    assert client.post("/dang-nhap/xac-thuc/", {"code": code}).status_code == 200
    assert SESSION_KEY not in client.session


def test_the_half_sign_in_expires(client, enrolled, approver):
    password_step(client, approver)
    session = client.session
    session[twofactor.PENDING_KEY] = {**session[twofactor.PENDING_KEY], "until": 0}
    session.save()
    response = client.post("/dang-nhap/xac-thuc/", {"code": totp.code_at(enrolled.secret)})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert SESSION_KEY not in client.session


def test_without_a_password_step_there_is_nothing_to_verify(client, enrolled):
    response = client.post("/dang-nhap/xac-thuc/", {"code": totp.code_at(enrolled.secret)})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert SESSION_KEY not in client.session


def test_the_admin_login_form_cannot_skip_the_second_step(client, enrolled, approver):
    approver.is_staff = True
    approver.save()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/?next=/admin/"
    response = client.post("/admin/login/?next=/admin/", {"username": "lanhdao", "password": PASSWORD})
    assert response.status_code == 302 and SESSION_KEY not in client.session


def test_next_must_stay_on_this_site(client, approver):
    response = password_step(client, approver, "https://evil.example/")
    assert response["Location"] == "/"
