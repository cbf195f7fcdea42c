"""In Chromium: the report on screen draws its charts under the strict CSP, a figure opens its
breakdown, and a document is made and downloaded from its progress page."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from solieu.accounts.models import Membership, Role
from solieu.catalog.models import DisaggregationOption, Form, Indicator, Period, ReportingUnit
from solieu.collection.models import DataValue, Submission, SubmissionStatus

PASSWORD = "mat-khau-dai-123"


def put(code, unit_code, form_code, period_code, value):
    unit = ReportingUnit.objects.get(code=unit_code)
    form = Form.objects.get(code=form_code)
    period = Period.objects.for_code(period_code)
    sub, _ = Submission.objects.get_or_create(form=form, unit=unit, period=period, defaults={
        "form_version": form.version, "status": SubmissionStatus.APPROVED})
    DataValue.objects.create(indicator=Indicator.objects.get(code=code), option=DisaggregationOption.total(),
                             unit=unit, period=period, value=Decimal(value), submission=sub, form=form)


@pytest.fixture
def scene(transactional_db, settings):
    from solieu.catalog.loader import load_catalog

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    load_catalog()
    for year, base in ((2023, 1000), (2024, 1100)):
        for m in range(1, 7):
            put("POSTAL_REVENUE", "VNPOST", "BCCP-02", f"{year}{m:02d}", base + 25 * m)
        put("POSTAL_SERVICE_POINTS", "STTTT-01", "BC-SO-THANG", f"{year}06", base - 200)
        put("POSTAL_SERVICE_POINTS", "STTTT-79", "BC-SO-THANG", f"{year}06", base - 300)
    user = get_user_model().objects.create_user("tonghop", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.ANALYST)
    return user


def login(page, live_server):
    page.goto(f"{live_server.url}/dang-nhap/?next=/")
    page.fill("#id_username", "tonghop")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def test_report_charts_and_a_figures_breakdown(live_server, page, scene):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server)
    page.goto(live_server.url + "/tong-hop/?period=2024S1")
    page.wait_for_selector("text=Sơ kết công tác 6 tháng đầu năm 2024")
    chart = page.locator(".report .chart[data-chart]").first
    chart.scroll_into_view_if_needed()
    chart.locator("canvas").first.wait_for()
    assert page.csp_errors == [] and errors == []

    # 1.800 + 1.700 service points in June 2024, from Hà Nội's and HCMC's reports.
    figure = page.locator("a.fig", has_text="1.700").first
    with page.expect_navigation():
        figure.click()
    assert "/tong-hop/so-lieu/" in page.url and "indicator=POSTAL_SERVICE_POINTS" in page.url
    rows = page.locator(".breakdown table tbody tr")
    assert rows.count() == 2
    assert "900" in rows.nth(0).inner_text() or "900" in rows.nth(1).inner_text()
    assert page.locator(".breakdown a[href*='/bao-cao/BC-SO-THANG/STTTT-01/202406/']").count() == 1


def test_a_document_is_made_and_downloaded(live_server, page, scene):
    login(page, live_server)
    page.goto(live_server.url + "/tong-hop/?period=2024S1")
    with page.expect_navigation():
        page.click("button:has-text('Word (DOCX)')")
    page.wait_for_selector("#file-download")
    with page.expect_download() as download:
        page.click("#file-download")
    assert download.value.suggested_filename == "bao-cao-2024S1-VN.docx"
