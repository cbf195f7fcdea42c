import os
import shutil

import pytest

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
