"""In Chromium: the dashboard draws its charts under the strict CSP, in Vietnamese number
format, follows the window's size, and a figure opens its breakdown."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from solieu.accounts.models import Membership, Role
from solieu.catalog.models import DisaggregationOption, FormAssignment, Indicator, Period, ReportingUnit
from solieu.collection.models import DataValue, Submission, SubmissionStatus

PASSWORD = "mat-khau-dai-123"
URL = "/bang-dieu-khien/?period=2026S1"


def put(code, unit_code, period_code, value):
    unit = ReportingUnit.objects.get(code=unit_code)
    form = FormAssignment.objects.filter(unit=unit).select_related("form").first().form
    period = Period.objects.for_code(period_code)
    sub, _ = Submission.objects.get_or_create(form=form, unit=unit, period=period, defaults={
        "form_version": form.version, "status": SubmissionStatus.APPROVED})
    DataValue.objects.create(indicator=Indicator.objects.get(code=code), option=DisaggregationOption.total(),
                             unit=unit, period=period, value=Decimal(value), submission=sub)


@pytest.fixture
def scene(transactional_db, settings):
    from solieu.catalog.loader import load_catalog

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_catalog()
    for year, base in ((2025, 1000), (2026, 1100)):
        for m in range(1, 7):
            put("POSTAL_REVENUE", "VNPOST", f"{year}{m:02d}", base + 25 * m)
            put("TELECOM_REVENUE", "VIETTEL", f"{year}{m:02d}", 3 * base + 40 * m)
    for unit, ftth, households in (("SKHCN-01", 1_900_000, 2_500_000), ("SKHCN-79", 2_300_000, 2_750_000),
                                   ("SKHCN-48", 300_000, 420_000)):
        put("TELECOM_FTTH_HOUSEHOLDS", unit, "202606", ftth)
        put("TELECOM_HOUSEHOLDS", unit, "202606", households)
    user = get_user_model().objects.create_user("tonghop", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.ANALYST)
    return user


def console_errors(page):
    errors = []

    def on_console(message):
        # Chromium asks for /favicon.ico by itself; the application has none.
        if message.type == "error" and not (message.location or {}).get("url", "").endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_dashboard_draws_its_charts_and_links_figures(live_server, page, scene):
    errors = console_errors(page)
    page.goto(f"{live_server.url}/dang-nhap/?next=/")
    page.fill("#id_username", "tonghop")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()

    page.goto(live_server.url + URL)
    page.wait_for_selector("h1:has-text('Bảng điều khiển số liệu')")
    containers = page.locator(".dash-chart")
    assert containers.count() == 3            # postal and telecom trends, the province ranking
    for i in range(containers.count()):
        chart = containers.nth(i)
        chart.locator("canvas").first.wait_for()
        assert chart.get_attribute("data-rendered") == "1"
    assert page.locator(".dash-chart[data-rendered='1'] canvas").count() >= 3

    # Vietnamese number format, in the cards and in the charts' formatter.
    assert "7.125" in page.inner_text("[data-indicator='POSTAL_REVENUE'] .dash-value")  # 6 x 1.100 + 25 x (1+...+6)
    assert page.evaluate("solieuDashboard.formatVi(1234567.891)") == "1.234.567,89"
    assert page.evaluate("solieuDashboard.formatVi(80, 2, true)") == "80,00"
    assert "83,64" in page.inner_text(".dash-rank-table tbody tr:first-child")  # 2.300.000 / 2.750.000 households

    # The charts follow the window (two charts side by side at 1280 px, about 570 px each; one
    # column at 520 px).
    wide = page.locator("#chart-trend-1 canvas").first.bounding_box()["width"]
    page.set_viewport_size({"width": 520, "height": 900})
    page.wait_for_function("""w => {
        const box = document.getElementById('chart-trend-1');
        const canvas = box.querySelector('canvas').getBoundingClientRect().width;
        return canvas < w && Math.abs(canvas - box.clientWidth) < 2;
    }""", arg=wide - 50)

    assert page.csp_errors == []
    assert errors == []

    # A figure opens its breakdown.
    with page.expect_navigation() as navigation:
        page.click("[data-indicator='POSTAL_REVENUE'] .dash-value a")
    assert "indicator=POSTAL_REVENUE" in page.url and "period=2026S1" in page.url
    assert navigation.value.status < 500
