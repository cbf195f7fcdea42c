"""Every page that accepts POST refuses a request without the CSRF token, storing nothing;
and every form in every template carries the token."""

import re
from pathlib import Path

import pytest

from solieu.accounts.models import AccountEvent, RecoveryCode, TotpDevice

from .test_authorization import POLICY, fingerprint, people, prepare, request  # noqa: F401  (people: fixture)

pytestmark = pytest.mark.django_db
SOLIEU = Path(__file__).resolve().parents[2]
POSTS = sorted(r for r in POLICY if r[1] == "POST" and not r[0].startswith("api:"))
PREFERRED = ["admin", "reporter", "approver", "receiver", "analyst", "other", "anonymous"]


def test_the_walk_covers_pages():
    assert len(POSTS) >= 20 and ("login", "POST") in POSTS and ("collection:cell", "POST") in POSTS


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r[0])
def test_post_without_token_is_refused(client, people, route):  # noqa: F811
    name = route[0]
    role = next(r for r in PREFERRED if r in POLICY[route])  # one who may, so the token is all that is missing
    client.handler.enforce_csrf_checks = True
    if role != "anonymous":
        client.force_login(people[role])
    extra = prepare(name, people)
    before = state()
    response = request(client, name, "POST", extra)
    assert response.status_code == 403, f"{name}: {response.status_code}"
    assert "thiếu mã bảo vệ (CSRF)" in response.content.decode()
    assert state() == before


def state():
    """The figures the authorization test watches, and the account tables."""
    return fingerprint(), AccountEvent.objects.count(), TotpDevice.objects.count(), RecoveryCode.objects.count()


def test_with_the_token_the_same_post_goes_through(client, people):  # noqa: F811
    client.handler.enforce_csrf_checks = True
    client.get("/dang-nhap/")
    token = client.cookies["csrftoken"].value
    response = client.post("/dang-nhap/", {"username": "x", "password": "y", "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and "không đúng" in response.content.decode()


FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
POST_METHOD = re.compile(r"""method\s*=\s*["']?post""", re.I)


def templates():
    return sorted(p for p in SOLIEU.rglob("templates/**/*.html"))


def test_templates_are_found():
    names = {p.name for p in templates()}
    assert {"login.html", "totp_verify.html", "base.html"} <= names


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(SOLIEU)))
def test_every_post_form_has_the_token(path):
    text = path.read_text()
    for form in FORM.findall(text):
        opening = form.split(">", 1)[0]
        if POST_METHOD.search(opening):
            assert "{% csrf_token %}" in form, f"{path.name}: {opening}>"
    assert len(re.findall(r"<form\b", text, re.I)) == len(FORM.findall(text)), f"{path.name}: thẻ form không đóng"
