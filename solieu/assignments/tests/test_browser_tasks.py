"""In Chromium, under the strict CSP: a unit's reporter marks a result done with evidence from
the work page; the ministry's overview and statistics change accordingly."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from solieu.accounts.models import Membership, Role
from solieu.assignments.models import SourceDocument
from solieu.catalog.models import ReportingUnit
from solieu.vi import format_date

from .conftest import make_task

PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def scene(transactional_db, settings):
    from solieu.catalog.loader import load_catalog

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_catalog()
    today = timezone.localdate()
    unit = ReportingUnit.objects.get(code="CUC_VT_KHCN")
    plan = SourceDocument.objects.create(kind="plan", number="7/KH-BKHCN", issued_on=today - timedelta(days=30),
                                         title="Kế hoạch thử nghiệm")
    soon = make_task(unit, [(format_date(today + timedelta(days=5)), None)], document=plan, order="1",
                     title="Ban hành quy chuẩn kỹ thuật về thiết bị 5G")
    make_task(unit, [(format_date(today + timedelta(days=60)), None)], document=plan, order="2",
              title="Phủ sóng di động các thôn lõm sóng")
    User = get_user_model()
    for username, role, code in (("nv-cucvt", Role.REPORTER, "CUC_VT_KHCN"), ("tonghop", Role.ANALYST, None)):
        user = User.objects.create_user(username, password=PASSWORD, first_name="Lan" if code else "")
        Membership.objects.create(user=user, role=role, unit=ReportingUnit.objects.get(code=code) if code else None)
    return {"today": today, "soon": soon, "cutoff": format_date(today + timedelta(days=10))}


def login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def card(page, name):
    return page.inner_text(f".tk-cards [data-stat='{name}'] b")


def test_a_result_marked_done_changes_the_overview_and_statistics(live_server, browser, page, scene):
    ministry = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    overview = ministry.new_page()
    overview.csp_errors = []
    overview.on("console", lambda m: "Content Security Policy" in m.text and overview.csp_errors.append(m.text))
    login(overview, live_server.url, "tonghop")
    url = f"{live_server.url}/nhiem-vu/?ngay={scene['cutoff']}"
    overview.goto(url)
    assert overview.inner_text("#soon + ul").startswith("Ban hành quy chuẩn kỹ thuật về thiết bị 5G")
    assert (card(overview, "done"), card(overview, "due"), card(overview, "due_not_done")) == ("0 (0%)", "1", "1")

    login(page, live_server.url, "nv-cucvt")
    page.goto(f"{live_server.url}/cong-viec/")
    block = page.locator("section.work-tasks[data-unit='CUC_VT_KHCN']")
    assert "Sắp đến hạn" in block.inner_text()
    block.locator(f"tr[data-task='{scene['soon'].pk}'] a").click()
    page.wait_for_selector("h1:has-text('Ban hành quy chuẩn kỹ thuật')")
    page.click("details.tk-more summary:has-text('Đánh dấu hoàn thành')")
    form = page.locator("form.tk-done").first
    assert form.locator("input[name=done_on]").input_value() == format_date(scene["today"])
    form.locator("textarea[name=evidence]").fill("Thông tư số 12/2026/TT-BKHCN ban hành quy chuẩn")
    form.locator("input[name=link]").fill("https://vanban.example.invalid/tt-12-2026")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Đã ghi nhận kết quả hoàn thành")
    row = page.locator("table.results tbody tr").first
    assert "Hoàn thành đúng hạn" in row.inner_text() and "Thông tư số 12/2026/TT-BKHCN" in row.inner_text()
    assert page.locator("table.tk-history").inner_text().count("Lan") == 3   # status, evidence, link
    assert page.csp_errors == []

    overview.goto(url)
    assert (card(overview, "done"), card(overview, "due_done"), card(overview, "due_not_done")) == \
        ("1 (50%)", "1 (100%)", "0")
    assert "Hoàn thành đúng hạn" in overview.inner_text(f"tr[data-task='{scene['soon'].pk}']")
    assert "Không có nhiệm vụ nào sắp đến hạn" in overview.inner_text("#soon + ul")
    overview.click("text=Thống kê theo đơn vị, lĩnh vực")
    overview.wait_for_selector("h1:has-text('Thống kê thực hiện nhiệm vụ')")
    assert "Tổng số nhiệm vụ đã hoàn thành: 1/2 nhiệm vụ (đạt 50%)." in overview.inner_text(".tk-sentences")
    assert overview.csp_errors == []
    ministry.close()
