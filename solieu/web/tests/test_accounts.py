"""Passwords hashed with argon2; repeated wrong passwords lock the account, in Vietnamese."""

import pytest
from django.contrib.auth import get_user_model


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2():
    user = get_user_model().objects.create_user("so01", password="mat-khau-dai-123")
    assert user.password.startswith("argon2")


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account(client):
    get_user_model().objects.create_user("so01", password="mat-khau-dai-123")
    for _ in range(5):
        client.post("/dang-nhap/", {"username": "so01", "password": "sai"})
    response = client.post("/dang-nhap/", {"username": "so01", "password": "mat-khau-dai-123"})
    assert response.status_code == 429
    assert "Tài khoản bị tạm khóa 15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
