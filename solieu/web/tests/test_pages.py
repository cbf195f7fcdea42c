"""The pages a visitor reaches first answer, in Vietnamese, with login required."""

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "a@example.invalid", "mat-khau-dai-123")
    client.force_login(user)
    return client


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_login_page_is_vietnamese(client, db):
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    assert 'lang="vi"' in response.text and "Đăng nhập" in response.text


def test_login_with_password_then_home(client, db):
    get_user_model().objects.create_user("so01", password="mat-khau-dai-123")
    response = client.post("/dang-nhap/", {"username": "so01", "password": "mat-khau-dai-123"}, follow=True)
    assert response.status_code == 200 and "Tổng quan" in response.text


def test_wrong_password_says_so(client, db):
    get_user_model().objects.create_user("so01", password="mat-khau-dai-123")
    response = client.post("/dang-nhap/", {"username": "so01", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text


def test_admin_index_in_vietnamese(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Chỉ tiêu" in response.text and "Biểu mẫu" in response.text


def test_health(client, db):
    assert client.get("/suc-khoe/").json() == {"status": "ok"}


def test_openapi_docs(client, db):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/catalog/indicators" in schema["paths"]


def test_pages_have_strict_csp(client, db):
    response = client.get("/dang-nhap/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
