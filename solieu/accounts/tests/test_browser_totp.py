"""In Chromium: an administrator turns the authenticator on, signs out, and signs in again in
two steps; the strict CSP holds on every page (the QR code is a data: image)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from solieu.accounts import totp
from solieu.accounts.models import TotpDevice

SCREENSHOTS = Path(settings.DATA_DIR) / "screenshots"
SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def administrator(transactional_db):
    return get_user_model().objects.create_superuser("quantri", "qt@example.invalid", "mat-khau-dai-123")


def sign_in(page, base):
    page.goto(base + "/dang-nhap/")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", "mat-khau-dai-123")
    page.click("button[type=submit]")


def test_enrol_then_sign_in_in_two_steps(live_server, page, administrator):
    sign_in(page, live_server.url)
    page.wait_for_selector("h1:has-text('Tổng quan')")
    page.click("nav a:has-text('quantri')")
    page.click("a:has-text('Bật xác thực hai bước')")
    page.wait_for_selector("img.qr")
    assert page.eval_on_selector("img.qr", "img => img.naturalWidth") > 100  # the QR code rendered
    page.screenshot(path=f"{SCREENSHOTS}/totp-enrol.png", full_page=True)
    secret = page.inner_text("code.secret").replace(" ", "")
    assert secret == TotpDevice.objects.get().secret
    step = totp.step_at()
    page.fill("#id_code", totp.hotp(secret, step))
    page.click("main button[type=submit]")
    page.wait_for_selector("ul.codes li")
    assert page.locator("ul.codes li").count() == 10
    page.click("button:has-text('Đăng xuất')")
    sign_in(page, live_server.url)
    page.wait_for_selector("h1:has-text('Xác thực hai bước')")
    page.fill("#id_code", totp.hotp(secret, max(step + 1, totp.step_at())))  # the enrolment used step
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Tổng quan')")
    assert page.csp_errors == []
