"""Idle sessions expire SESSION_COOKIE_AGE after the last request, but the session row is
written at most once per SESSION_REFRESH_SECONDS, not on every request."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from solieu.accounts import middleware


@pytest.fixture
def signed_in(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user("r-so01", password="mat-khau-dai-123")
    client.force_login(user)
    return client


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_expiry_moves_at_most_once_a_minute(signed_in):
    with mock.patch.object(middleware.time, "time", return_value=1_000_000.0):
        signed_in.get("/")
    first = _expiry(signed_in)
    with mock.patch.object(middleware.time, "time", return_value=1_000_030.0):
        signed_in.get("/")
    assert _expiry(signed_in) == first          # 30 s later: not written
    with mock.patch.object(middleware.time, "time", return_value=1_000_061.0):
        signed_in.get("/")
    assert _expiry(signed_in) > first           # a minute later: the idle limit starts again


def test_signing_out_leaves_no_session(signed_in):
    signed_in.post("/dang-xuat/")
    assert not Session.objects.exists()
