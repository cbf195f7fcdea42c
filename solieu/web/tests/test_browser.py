"""In Chromium: an officer logs in and reads the catalog; the strict CSP holds."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

# Kept for people to look at (var/ is not committed).
SCREENSHOTS = Path(settings.DATA_DIR) / "screenshots"
SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def officer(transactional_db):
    return get_user_model().objects.create_user("so01", password="mat-khau-dai-123", is_staff=True,
                                                is_superuser=True)


def test_login_home_and_form(live_server, page, officer, catalog_for_browser):
    page.goto(live_server.url + "/")
    assert "/dang-nhap/" in page.url
    page.fill("#id_username", "so01")
    page.fill("#id_password", "mat-khau-dai-123")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Tổng quan')")
    assert page.locator("table.grid tbody tr").count() >= 9
    page.screenshot(path=f"{SCREENSHOTS}/home.png", full_page=True)
    page.click("a:has-text('BC-SO-THANG')")
    page.wait_for_selector("h1:has-text('BC-SO-THANG')")
    assert "Sở" in page.inner_text("h1")
    page.screenshot(path=f"{SCREENSHOTS}/form.png", full_page=True)
    assert page.csp_errors == []


def test_admin_in_vietnamese(live_server, page, officer, catalog_for_browser):
    page.goto(live_server.url + "/admin/catalog/indicator/?q=bưu+chính")
    page.fill("#id_username", "so01")
    page.fill("#id_password", "mat-khau-dai-123")
    page.click("button[type=submit]")  # the site's sign-in page: the admin has none of its own
    page.wait_for_selector("#result_list")
    assert "Doanh thu dịch vụ bưu chính" in page.inner_text("#result_list")
    page.screenshot(path=f"{SCREENSHOTS}/admin.png", full_page=True)
    assert page.csp_errors == []


def test_api_docs_render_offline(live_server, page, transactional_db):
    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector("text=solieu API", timeout=15000)
    page.screenshot(path=f"{SCREENSHOTS}/api.png")
    assert page.csp_errors == []


@pytest.fixture
def catalog_for_browser(transactional_db):
    from solieu.catalog.loader import load_catalog

    load_catalog()
