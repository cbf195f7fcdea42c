"""In Chromium, the acceptance scenario of data entry: a Sở fills its monthly report with the
keyboard, explains an outlier, sends it; the approver returns it, the Sở fixes and resends, the
approver approves; the ministry sees it approved on time. The strict CSP holds throughout."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import timezone

from solieu.accounts.models import Role

from .conftest import PASSWORD, entry_url, history, make_user, open_month

SCREENSHOTS = Path(settings.DATA_DIR) / "screenshots"
SERIES = [1000, 1010, 990, 1005, 995, 1020, 980, 1000, 1015, 985, 1000, 1010]


@pytest.fixture
def scene(transactional_db, fast_passwords):
    from solieu.catalog.loader import load_catalog

    load_catalog()
    month = open_month(timezone.localdate())
    history("SKHCN-01", "4", month, SERIES)  # điểm phục vụ bưu chính, around 1.000 for a year
    return {
        "month": month,
        "reporter": make_user("nhap01", (Role.REPORTER, "SKHCN-01"), first_name="Lan"),
        "approver": make_user("duyet01", (Role.APPROVER, "SKHCN-01"), first_name="Minh"),
        "analyst": make_user("tonghop", (Role.ANALYST, None)),
    }


def login(page, base, username, next_url):
    page.goto(f"{base}/dang-nhap/?next={quote(next_url)}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def logout(page):
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_selector("#id_username")


def type_and_enter(page, text):
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def focused(page):
    return page.evaluate("[document.activeElement.dataset.row, document.activeElement.dataset.opt]")


def test_monthly_report_from_entry_to_approval(live_server, page, scene):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base, month = live_server.url, scene["month"]
    url = entry_url(month)

    # The reporter finds the report in their work and opens it.
    login(page, base, "nhap01", "/cong-viec/")
    page.wait_for_selector("h1:has-text('Công việc của tôi')")
    page.click(f"a[href='{url}']")
    page.wait_for_selector("h1:has-text('BC-SO-THANG')")
    assert page.input_value("#value-status") == "estimate"

    # Type, Enter to go down, like a spreadsheet.
    page.click("#o-1-TOTAL input.v")
    type_and_enter(page, "8.435.700")
    assert focused(page) == ["2", "TOTAL"]
    type_and_enter(page, "2.950.000")
    assert focused(page) == ["3", "TOTAL"]
    type_and_enter(page, "126")
    type_and_enter(page, "5.000")
    assert focused(page) == ["5", "TOTAL"]
    page.keyboard.press("ArrowUp")
    assert focused(page) == ["4", "TOTAL"]
    page.keyboard.press("ArrowDown")
    type_and_enter(page, "1,25")
    for row in ("1", "2", "3", "5"):
        page.wait_for_selector(f"#o-{row}-TOTAL .saved")
    assert page.input_value("#o-1-TOTAL input.v") == "8.435.700"
    assert page.input_value("#o-5-TOTAL input.v") == "1,25"

    # 5.000 service points against a year around 1.000: the outlier warning, in amber.
    warning = page.wait_for_selector("#o-4-TOTAL .msg-warning")
    assert "cao bất thường so với 12 kỳ trước" in warning.inner_text()
    assert "Kỳ trước: 1.010" in page.inner_text("#o-4-TOTAL .ref")

    # Sending now is refused: the warning needs a comment; the issue links to its cell.
    page.click("#btn-submit")
    page.wait_for_selector("#issues")
    assert "cảnh báo cần ghi chú giải thích" in page.inner_text("#issues")
    page.click("#issues a[href='#o-4-TOTAL']")
    assert focused(page) == ["4", "TOTAL"]

    # The comment box is open under the warning; the comment is saved with the cell.
    page.fill("#o-4-TOTAL textarea[name=comment]", "Mở thêm 4.000 điểm Bưu điện - Văn hóa xã theo Đề án")
    page.keyboard.press("Tab")
    page.wait_for_selector("#o-4-TOTAL .msg-explained")
    page.screenshot(path=str(SCREENSHOTS / "entry.png"), full_page=True)
    page.click("#btn-submit")
    page.wait_for_selector("text=Đã gửi báo cáo; người phê duyệt đã được thông báo.")
    assert page.inner_text("#status") == "Đã gửi"
    assert page.locator("input.v").count() == 0  # read-only while waiting
    logout(page)

    # The approver returns it with a reason.
    login(page, base, "duyet01", "/cong-viec/")
    page.wait_for_selector("text=Báo cáo chờ phê duyệt")
    page.screenshot(path=str(SCREENSHOTS / "work.png"), full_page=True)
    page.click("a:has-text('Xem và phê duyệt')")
    page.wait_for_selector("#btn-return")
    page.fill("#return-reason", "Dòng 3: số xã chưa đúng sau sắp xếp đơn vị hành chính")
    page.click("#btn-return")
    page.wait_for_selector("text=Đã trả lại báo cáo để đơn vị sửa.")
    assert page.inner_text("#status") == "Bị trả lại"
    logout(page)

    # The reporter reads the reason, fixes the cell and resends.
    login(page, base, "nhap01", url)
    page.wait_for_selector(".return-reason")
    assert "số xã chưa đúng" in page.inner_text(".return-reason")
    page.click("#o-3-TOTAL input.v")
    page.keyboard.press("Control+A")
    type_and_enter(page, "126")  # unchanged value: nothing to save
    page.click("#o-3-TOTAL input.v")
    page.keyboard.press("Control+A")
    type_and_enter(page, "30")
    page.wait_for_selector("#o-3-TOTAL .saved")
    page.click("#btn-submit")
    page.wait_for_selector("text=Đã gửi báo cáo; người phê duyệt đã được thông báo.")
    logout(page)

    # The approver approves.
    login(page, base, "duyet01", url)
    page.click("#btn-approve")
    page.wait_for_selector("text=Đã phê duyệt báo cáo.")
    assert page.inner_text("#status") == "Đã phê duyệt"
    assert "Người phê duyệt/trả lại" in page.inner_text(".entry-facts")
    logout(page)

    # The ministry sees it approved, on time.
    login(page, base, "tonghop", f"/tinh-hinh-bao-cao/BC-SO-THANG/?tu={month.previous().code}&den={month.code}")
    cell = page.wait_for_selector("td[data-unit='SKHCN-01']:last-child")
    assert "Đã phê duyệt" in cell.inner_text() and "đúng hạn" in cell.inner_text()
    assert page.inner_text("tr[data-measure='ACTUAL_REPORTS_ON_TIME'] td:last-child") == "1"
    page.screenshot(path=str(SCREENSHOTS / "completeness.png"), full_page=True)

    from solieu.collection.models import DataValue, Submission

    submission = Submission.objects.get(unit__code="SKHCN-01", period__code=month.code)
    assert submission.status == "approved" and not submission.is_late()
    assert DataValue.objects.get(submission=submission, indicator__code="OVERVIEW_COMMUNES").value == 30
    assert DataValue.objects.get(submission=submission, indicator__code="POSTAL_SERVICE_POINTS").comment
    assert page.csp_errors == []


def test_live_totals_and_columns(live_server, page, transactional_db, fast_passwords):
    """BCCP-02: the sum of a row's columns appears next to its typed total as one types."""
    from solieu.catalog.loader import load_catalog
    from solieu.catalog.periods import PeriodId

    load_catalog()
    make_user("vnpost", (Role.REPORTER, "VNPOST"))
    quarter = PeriodId.containing("quarter", timezone.localdate())
    login(page, live_server.url, "vnpost", entry_url(quarter, "VNPOST", form="BCCP-02"))
    page.wait_for_selector("h1:has-text('BCCP-02')")
    options = page.locator("#entry tr:has(td.code:text-is('1')) td.opts input.v")
    assert options.count() >= 2
    options.nth(0).fill("1.200,5")
    options.nth(1).fill("800")
    calc = page.locator("output[data-calc='options'][data-row='1']")
    assert calc.inner_text() == "Cộng các cột: 2.000,5"
    page.fill("#o-1-TOTAL input.v", "2.000")
    page.keyboard.press("Tab")
    assert "off" in calc.get_attribute("class")  # typed total differs from the columns
    page.fill("#o-1-TOTAL input.v", "2.000,5")
    page.keyboard.press("Tab")
    assert "off" not in calc.get_attribute("class")
    # Arrow down from a column goes to the same column of the next row with it.
    options.nth(0).click()
    page.keyboard.press("ArrowDown")
    assert focused(page)[0] == "2" and focused(page)[1] == options.nth(0).get_attribute("data-opt")
    page.wait_for_selector("#o-1-TOTAL .saved")
    page.screenshot(path=str(SCREENSHOTS / "entry-totals.png"), full_page=True)
    assert page.csp_errors == []


def test_refusals_are_shown_in_the_cell(live_server, page, scene):
    """A letter (422), a colleague's change (409) and an expired session all say so in the cell."""
    from decimal import Decimal

    from solieu.catalog.models import Form, Period, ReportingUnit
    from solieu.collection.entry import form_spec
    from solieu.collection.values import Key, save_value

    month = scene["month"]
    login(page, live_server.url, "nhap01", entry_url(month))
    page.wait_for_selector("h1:has-text('BC-SO-THANG')")

    page.click("#o-1-TOTAL input.v")
    type_and_enter(page, "tám triệu")
    error = page.wait_for_selector("#o-1-TOTAL .msg-error")
    assert 'Không đọc được số "tám triệu"' in error.inner_text()
    assert page.input_value("#o-1-TOTAL input.v") == "tám triệu"  # kept for correction, not stored

    # A colleague stores row 2 after this page was loaded.
    spec = form_spec(Form.objects.get(code="BC-SO-THANG"))
    key = Key(spec.form_rows["2"].indicator, spec.options[("2", "TOTAL")],
              ReportingUnit.objects.get(code="SKHCN-01"), Period.objects.for_id(month))
    save_value(key, Decimal("2950000"), user=scene["approver"])
    page.click("#o-2-TOTAL input.v")
    type_and_enter(page, "3.000.000")
    conflict = page.wait_for_selector("#o-2-TOTAL .msg-conflict")
    assert "đã được duyet01 sửa thành 2.950.000" in conflict.inner_text()
    assert "Giá trị bạn vừa nhập (3.000.000) chưa được lưu." in conflict.inner_text()
    assert page.input_value("#o-2-TOTAL input.v") == "2.950.000"

    # The session expires: the next cell is not swapped with the login page.
    kept = [c for c in page.context.cookies() if c["name"] != settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    page.click("#o-3-TOTAL input.v")
    type_and_enter(page, "126")
    problem = page.wait_for_selector("#o-3-TOTAL .msg-transport")
    assert "Phiên làm việc đã hết" in problem.inner_text()
    assert page.locator("#o-3-TOTAL input.v").count() == 1 and page.locator("#id_username").count() == 0
    assert page.csp_errors == []
