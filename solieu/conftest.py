"""Small fixtures shared by the apps' tests; the full national catalog is `catalog`."""

import os
import shutil

import pytest

from solieu.catalog.models import DisaggregationOption, Indicator, Period, ReportingUnit, Sector


@pytest.fixture
def sector(db):
    return Sector.objects.create(code="postal", name="Bưu chính", sort_order=2)


@pytest.fixture
def indicator(sector):
    return Indicator.objects.create(code="POSTAL_REVENUE", sector=sector, name="Doanh thu dịch vụ bưu chính",
                                    unit="tỷ đồng")


@pytest.fixture
def unit(db):
    return ReportingUnit.objects.create(code="VNPOST", name="Tổng công ty Bưu điện Việt Nam", kind="enterprise")


@pytest.fixture
def period(db):
    return Period.objects.for_code("202307")


@pytest.fixture
def total(db):
    return DisaggregationOption.total()


@pytest.fixture(scope="module")
def catalog(django_db_setup, django_db_blocker):
    """The national catalog, loaded once for a test module and flushed after it."""
    from django.core.management import call_command

    from solieu.catalog.loader import load_catalog

    with django_db_blocker.unblock():
        counts = load_catalog()
        yield counts
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _static_from_apps(settings):
    """Tests run without `collectstatic`: serve static files from the apps."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; never a downloaded browser."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI thiếu /usr/bin/chromium (bin/setup-chromium phải cài nó)")
        pytest.skip("chưa cài /usr/bin/chromium (chạy bin/setup-chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # beside one unless told that this thread is synchronous anyway.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text))
    yield page
    context.close()
