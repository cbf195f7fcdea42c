"""Download a template, fill it as a user would, upload, preview, confirm; and every refusal."""

import html
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from solieu.accounts.models import Membership, Role
from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection import entry, excel
from solieu.collection.models import DataValue, DataValueAudit, Submission, SubmissionStatus
from solieu.collection.validation import CellRef

pytestmark = pytest.mark.django_db
XLSX = excel.XLSX_CONTENT_TYPE


def make_user(username, role, unit):
    user = get_user_model().objects.create_user(username, password="mat-khau-dai-123")
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def so(catalog, client):
    """A reporter of Sở KH&CN Hà Nội, logged in, on BC-SO-THANG for this month."""
    form = Form.objects.get(code="BC-SO-THANG")
    unit = ReportingUnit.objects.get(code="SKHCN-01")
    period = Period.objects.for_id(PeriodId.containing("month", timezone.localdate()))
    user = make_user("so-hn", Role.REPORTER, unit)
    client.force_login(user)
    submission = entry.submission_for(form, unit, period)
    spec = entry.form_spec(form)
    for row, value in (("1", "8.587.100"), ("2", "2.500.000"), ("3", "526"), ("5", "3,1")):
        entry.save_cell(user, submission, row, "TOTAL", value, spec=spec)
    args = [form.code, unit.code, period.code]
    return {"submission": submission, "user": user, "client": client,
            "template": reverse("excel-template", args=args), "upload": reverse("excel-upload", args=args)}


def text(response):
    return html.unescape(response.content.decode())


def counts():
    return DataValue.objects.count(), DataValueAudit.objects.count()


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows_of(sheet):
    code_col = sheet.max_column
    return {sheet.cell(r, code_col).value: r for r in range(excel.FIRST_ROW + 1, sheet.max_row + 1)
            if sheet.cell(r, code_col).value}


def save(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post_file(client, url, data, name="bieu.xlsx", **extra):
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type=XLSX), **extra})


def payload_of(response):
    return response.context["payload"]


def filled(so, cells):
    """The template downloaded by the user, with `cells` (row code -> value) typed in column D."""
    book = download(so["client"], so["template"])
    sheet = book["BC-SO-THANG"]
    rows = rows_of(sheet)
    for row, value in cells.items():
        sheet.cell(rows[row], 4).value = value
    return save(book), rows


# ---------------------------------------------------------------------------
# The round trip
# ---------------------------------------------------------------------------


def test_round_trip_stores_exactly_the_changed_cells(so):
    client, submission = so["client"], so["submission"]
    response = client.get(so["template"])
    assert response["Content-Disposition"] == (
        f'attachment; filename="BC-SO-THANG_SKHCN-01_{submission.period.code}.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["BC-SO-THANG"]
    rows = rows_of(sheet)
    assert sheet.cell(rows["1"], 4).value == 8587100 and sheet.cell(rows["5"], 4).value == pytest.approx(3.1)
    sheet.cell(rows["1"], 4).value = 8587100          # typed again, same value: no change
    sheet.cell(rows["2"], 4).value = 2600000          # update
    sheet.cell(rows["3"], 4).value = None             # emptied: delete
    sheet.cell(rows["4"], 4).value = "1.234"          # new, typed as Vietnamese text
    sheet.cell(rows["9"], 4).value = 1_950_000.5 - 0.5  # new, a float
    before = counts()
    audits_before = set(DataValueAudit.objects.values_list("id", flat=True))

    response = post_file(client, so["upload"], save(book), name="so-lieu-thang.xlsx")
    assert response.status_code == 200
    page = text(response)
    assert counts() == before  # nothing stored by the preview
    upload = response.context["upload"]
    assert [(c.ref.row, c.action) for c in upload.changes] == [
        ("2", "update"), ("3", "delete"), ("4", "create"), ("9", "create")]
    assert [(c.cell, c.old_text, c.new_text) for c in upload.changes] == [
        (f"D{rows['2']}", "2.500.000", "2.600.000"), (f"D{rows['3']}", "526", ""),
        (f"D{rows['4']}", "", "1.234"), (f"D{rows['9']}", "", "1.950.000")]
    assert page.count('data-cell="SKHCN-01|') == 4
    assert 'data-cell="SKHCN-01|1|TOTAL"' not in page and 'data-cell="SKHCN-01|5|TOTAL"' not in page
    assert "2.500.000" in page and "2.600.000" in page and "Xác nhận lưu 4 ô số liệu" in page
    assert "Chưa có số liệu nào được lưu" in page

    response = client.post(so["upload"], {"payload": payload_of(response)}, follow=True)
    assert "Đã lưu 4 ô số liệu từ tệp so-lieu-thang.xlsx." in text(response)
    values = {ref.row: dv.value for ref, dv in entry.current_values(submission).items()}
    assert values == {"1": Decimal("8587100"), "2": Decimal("2600000"), "4": Decimal("1234"),
                      "5": Decimal("3.1"), "9": Decimal("1950000")}
    new = DataValueAudit.objects.exclude(id__in=audits_before)
    assert sorted((a.indicator_code, a.action, a.channel) for a in new) == sorted([
        ("TELECOM_HOUSEHOLDS", "update", "excel"), ("OVERVIEW_COMMUNES", "delete", "excel"),
        ("POSTAL_SERVICE_POINTS", "create", "excel"), ("TELECOM_FTTH_HOUSEHOLDS", "create", "excel")])
    assert all(a.user == so["user"] for a in new)
    assert new.get(action="update").source == "Tệp Excel: so-lieu-thang.xlsx"
    # Untouched cells have no new audit entry.
    assert not new.filter(indicator_code__in=["OVERVIEW_POPULATION", "TELECOM_FIXED_BROADBAND_SUBSCRIBERS"]).exists()
    assert DataValue.objects.current().get(indicator__code="TELECOM_HOUSEHOLDS", unit=submission.unit,
                                           period=submission.period).channel == "excel"


def test_uploading_the_template_unchanged_changes_nothing(so):
    data, _ = filled(so, {})
    before = counts()
    response = post_file(so["client"], so["upload"], data)
    assert response.status_code == 200 and response.context["upload"].changes == []
    assert "không có ô nào thay đổi" in text(response) and response.context["payload"] == ""
    assert counts() == before


def test_confirm_refuses_when_a_cell_changed_meanwhile(so):
    data, _ = filled(so, {"2": 2600000, "4": 1200})
    response = post_file(so["client"], so["upload"], data)
    other = make_user("dong-nghiep", Role.REPORTER, so["submission"].unit)
    entry.save_cell(other, so["submission"], "2", "TOTAL", "2.555.555")
    before = counts()
    response = so["client"].post(so["upload"], {"payload": payload_of(response)})
    assert response.status_code == 409
    page = text(response)
    assert "không ô nào được lưu" in page and "đã được dong-nghiep sửa thành 2.555.555" in page
    assert counts() == before
    assert not DataValue.objects.current().filter(indicator__code="POSTAL_SERVICE_POINTS").exists()


def test_an_old_template_never_reverts_a_colleagues_changes(so):
    data, _ = filled(so, {"2": 2600000})  # downloaded before the colleague's work
    other = make_user("dong-nghiep", Role.REPORTER, so["submission"].unit)
    entry.save_cell(other, so["submission"], "5", "TOTAL", "3,4")
    entry.save_cell(other, so["submission"], "7", "TOTAL", "90")
    entry.save_cell(other, so["submission"], "3", "TOTAL", None)
    response = post_file(so["client"], so["upload"], data)
    assert [(c.ref.row, c.action) for c in response.context["upload"].changes] == [("2", "update")]
    so["client"].post(so["upload"], {"payload": payload_of(response)})
    values = {ref.row: dv.value for ref, dv in entry.current_values(so["submission"]).items()}
    assert values == {"1": Decimal("8587100"), "2": Decimal("2600000"), "5": Decimal("3.4"), "7": Decimal("90")}


def test_a_cell_changed_in_the_file_and_meanwhile_is_a_conflict(so):
    data, rows = filled(so, {"2": 2600000, "4": 1200})
    other = make_user("dong-nghiep", Role.REPORTER, so["submission"].unit)
    entry.save_cell(other, so["submission"], "2", "TOTAL", "2.555.555")
    page = refused(so, data, f'Ô D{rows["2"]} (dòng 2 "Số hộ gia đình", cột Tổng số): sau khi bạn tải mẫu, số liệu '
                             "đã được dong-nghiep sửa thành 2.555.555 lúc", "Tệp ghi 2.600.000; hãy tải mẫu mới")
    assert "Xác nhận lưu" not in page


def test_confirm_payload_cannot_be_forged(so):
    before = counts()
    response = so["client"].post(so["upload"], {"payload": "eyJmYWtlIjoxfQ:abc:def"})
    assert response.status_code == 400 and "không hợp lệ" in text(response)
    assert counts() == before


def test_a_locked_submission_refuses_the_upload(so):
    Submission.objects.filter(pk=so["submission"].pk).update(status=SubmissionStatus.APPROVED)
    data, _ = filled(so, {"2": 1})
    before = counts()
    response = post_file(so["client"], so["upload"], data)
    assert response.status_code == 400 and "Báo cáo đã được phê duyệt nên đã khóa" in text(response)
    assert counts() == before


def test_only_reporters_of_the_unit_may_upload(so, client):
    other = make_user("so-hcm", Role.REPORTER, ReportingUnit.objects.get(code="SKHCN-79"))
    client.force_login(other)
    assert client.get(so["upload"]).status_code == 404
    assert client.post(so["upload"], {}).status_code == 404
    assert client.get(so["template"]).status_code == 404
    client.logout()
    assert client.get(so["upload"]).status_code == 302  # to the login page


def test_the_receiving_unit_may_download_but_not_upload(so, client):
    approver = make_user("vu-khtc", Role.APPROVER, so["submission"].form.receiving_unit)
    client.force_login(approver)
    assert client.get(so["template"]).status_code == 200
    assert client.get(so["upload"]).status_code == 404


def test_unknown_or_unassigned_report_is_404(so):
    client, period = so["client"], so["submission"].period
    assert client.get(reverse("excel-template", args=["BC-SO-THANG", "SKHCN-01", "2026Q4"])).status_code == 404
    assert client.get(reverse("excel-template", args=["KHONG-CO", "SKHCN-01", period.code])).status_code == 404
    assert client.get(reverse("excel-template", args=["BC-SO-THANG", "SKHCN-01", "2026M13"])).status_code == 404


# ---------------------------------------------------------------------------
# Refusals: a precise Vietnamese message, and nothing stored
# ---------------------------------------------------------------------------


def refused(so, data, *expected, name="bieu.xlsx", status=400):
    before = counts()
    response = post_file(so["client"], so["upload"], data, name=name)
    assert response.status_code == status
    page = text(response)
    for message in expected:
        assert message in page
    assert counts() == before
    assert not response.context.get("payload")
    return page


def test_refuses_a_text_file(so):
    refused(so, "Mã dòng;Giá trị\n1;100\n".encode(), 'Tệp "so-lieu.xlsx" không phải là tệp Excel .xlsx',
            name="so-lieu.xlsx")


def test_refuses_a_pdf(so):
    refused(so, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", 'Tệp "bao-cao.xlsx" là tệp PDF, không phải tệp Excel .xlsx',
            name="bao-cao.xlsx")


def test_refuses_an_xls_renamed(so):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    refused(so, ole, 'Tệp "bieu.xlsx" là tệp Excel 97-2003 (.xls)', "lưu lại dưới dạng Excel Workbook (.xlsx)")


def test_refuses_a_zip_that_is_not_a_workbook(so):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    refused(so, buffer.getvalue(), "không phải là tệp Excel .xlsx")


def test_refuses_a_workbook_that_is_not_a_template(so):
    book = openpyxl.Workbook()
    book.active["A1"] = "Số liệu tự lập"
    refused(so, save(book), "không phải là mẫu do hệ thống tạo (không có trang thông tin ẩn _solieu)")


def test_refuses_an_oversized_file(so, settings):
    settings.SOLIEU_EXCEL_MAX_BYTES = 2 * 1024 * 1024
    data, _ = filled(so, {"2": 1})
    big = data + b"\x00" * (2 * 1024 * 1024)
    refused(so, big, "vượt quá giới hạn 2 MB")


def test_refuses_the_template_of_another_form(so):
    period = Period.objects.for_id(PeriodId.containing("quarter", timezone.localdate()))
    other = Submission(form=Form.objects.get(code="BCCP-02"), unit=so["submission"].unit, period=period,
                       form_version=1)
    refused(so, excel.build_template(other), "Tệp là mẫu của biểu BCCP-02, không phải biểu BC-SO-THANG.")


def test_refuses_the_template_of_another_unit(so):
    sub = so["submission"]
    other = Submission(form=sub.form, unit=ReportingUnit.objects.get(code="SKHCN-79"), period=sub.period,
                       form_version=1)
    refused(so, excel.build_template(other), "Tệp là mẫu của đơn vị", "(SKHCN-79), không phải của đơn vị",
            "(SKHCN-01)")


def test_refuses_the_template_of_another_period(so):
    sub = so["submission"]
    previous = Period.objects.for_id(sub.pid.previous())
    other = Submission(form=sub.form, unit=sub.unit, period=previous, form_version=1)
    refused(so, excel.build_template(other),
            f"Tệp là mẫu của kỳ {previous.label} (mã {previous.code}), không phải kỳ {sub.period.label}")


def test_refuses_another_template_version(so, monkeypatch):
    monkeypatch.setattr(excel, "TEMPLATE_VERSION", 2)
    data = excel.build_template(so["submission"])
    monkeypatch.undo()
    refused(so, data, "Tệp là mẫu Excel phiên bản 2, hệ thống hiện dùng mẫu phiên bản 1. Hãy tải mẫu mới")


def test_refuses_another_form_version(so):
    sub = so["submission"]
    old_form = Form.objects.get(pk=sub.form.pk)
    old_form.version = 2  # as if the template came from another version of the form (not saved)
    data = excel.build_template(Submission(form=old_form, unit=sub.unit, period=sub.period, form_version=2))
    refused(so, data, "Tệp là mẫu của biểu BC-SO-THANG phiên bản 2, nhưng biểu đang dùng là phiên bản 1.")


def test_refuses_an_edited_hidden_sheet(so):
    book = download(so["client"], so["template"])
    meta = book["_solieu"]
    for row in meta.iter_rows():
        if row[0].value == "unit_code":
            row[1].value = "SKHCN-79"
    refused(so, save(book), "Thông tin ẩn của mẫu", "đã bị sửa", "Hãy tải mẫu mới")


def test_refuses_edited_hidden_row_codes(so):
    book = download(so["client"], so["template"])
    sheet = book["BC-SO-THANG"]
    rows = rows_of(sheet)
    sheet.cell(rows["2"], sheet.max_column).value = "1"  # point row 2's figure at row 1
    refused(so, save(book), "Thông tin ẩn của mẫu")


def test_refuses_text_in_a_number_cell(so):
    data, rows = filled(so, {"5": "abc", "2": 2600000})
    page = refused(so, data, f'Ô D{rows["5"]} (dòng 5 "Số thuê bao băng rộng cố định", cột Tổng số): '
                             '"abc" không phải là số.')
    assert "Lỗi (1)" in page and "Xác nhận lưu" not in page


def test_refuses_unreadable_number_text(so):
    data, rows = filled(so, {"2": "1.234.5,6,7"})
    refused(so, data, f'Ô D{rows["2"]} (dòng 2 "Số hộ gia đình", cột Tổng số): Không đọc được số "1.234.5,6,7"')


def test_refuses_a_formula(so):
    data, rows = filled(so, {"4": "=SUM(D10:D11)"})
    refused(so, data, f"Ô D{rows['4']} chứa công thức =SUM(D10:D11); hãy nhập giá trị số")


def test_refuses_a_negative_value(so):
    data, rows = filled(so, {"11": -5})
    refused(so, data, f'Ô D{rows["11"]} (dòng 11 "Số dịch vụ công trực tuyến", cột Tổng số): -5 là số âm; '
                      "chỉ tiêu này không nhận giá trị âm.")


def test_refuses_a_value_out_of_range(so):
    data, rows = filled(so, {"10": 120.5})
    refused(so, data, f'Ô D{rows["10"]} (dòng 10 "Tỷ lệ hộ gia đình sử dụng cáp quang", cột Tổng số): 120,5% '
                      "lớn hơn giá trị tối đa cho phép là 100%.")


def test_refuses_decimals_on_an_integer_row(so):
    data, rows = filled(so, {"1": 8587100.5})
    refused(so, data, f'Ô D{rows["1"]} (dòng 1 "Dân số", cột Tổng số): 8.587.100,5 không hợp lệ; '
                      "chỉ tiêu này phải là số nguyên.")


def test_refuses_a_whole_file_for_one_bad_cell(so):
    data, rows = filled(so, {"2": 2600000, "4": 1200, "11": "mười"})
    page = refused(so, data, '"mười" không phải là số.')
    assert DataValue.objects.current().get(indicator__code="TELECOM_HOUSEHOLDS").value == Decimal("2500000")
    assert "Tệp không được nhận" not in page  # the cells are listed on the preview, without a confirm button


def test_refuses_a_template_for_many_units_here(so):
    form = so["submission"].form
    refused(so, excel.build_form_template(form, so["submission"].period),
            "Tệp là mẫu nhiều đơn vị của biểu BC-SO-THANG, không tải lên ở đây được")


# ---------------------------------------------------------------------------
# A whole form for many units
# ---------------------------------------------------------------------------


@pytest.fixture
def postal(catalog, client):
    """An approver of BCCP-02's receiving unit (from the catalog), logged in, this quarter."""
    form = Form.objects.get(code="BCCP-02")
    period = Period.objects.for_id(PeriodId.containing("quarter", timezone.localdate()))
    user = make_user("vu-bc", Role.APPROVER, form.receiving_unit)
    client.force_login(user)
    query = f"?ky={period.code}"
    return {"form": form, "period": period, "user": user, "client": client,
            "template": reverse("excel-form-template", args=[form.code]) + query,
            "upload": reverse("excel-form-upload", args=[form.code]) + query}


def long_sheet(postal, lines):
    """The whole-form template, with Giá trị typed for (unit, row, option) lines."""
    book = download(postal["client"], postal["template"])
    sheet = book["Số liệu"]
    where = {(sheet.cell(r, 1).value, sheet.cell(r, 3).value, sheet.cell(r, 8).value): r
             for r in range(excel.FIRST_ROW + 1, sheet.max_row + 1)}
    for key, value in lines.items():
        sheet.cell(where[key], 6).value = value
    return book, sheet, where


FIGURES = {
    ("VNPOST", "1", "TOTAL"): 4300, ("VNPOST", "2", "TOTAL"): 125000, ("VNPOST", "6", "TOTAL"): 30000,
    ("VIETTEL_POST", "1", "TOTAL"): 2400, ("VIETTEL_POST", "1", "DOMESTIC"): 2300,
    ("VIETTEL_POST", "1", "INTERNATIONAL"): 100,
    ("GHN", "1", "TOTAL"): "1.750,5", ("GHN", "7", "TOTAL"): 1200,
}


def test_whole_form_upload_for_three_postal_enterprises(postal):
    assert postal["form"].receiving_unit.code == "VU_BC"
    book, _, _ = long_sheet(postal, FIGURES)
    before = counts()
    response = post_file(postal["client"], postal["upload"], save(book), name="buu-chinh-quy.xlsx")
    assert response.status_code == 200, text(response)
    assert counts() == before
    upload = response.context["upload"]
    assert upload.errors == []
    assert sorted((c.unit_code, c.ref.row, c.ref.option) for c in upload.changes) == sorted(FIGURES)
    page = text(response)
    assert "8 ô thay đổi của 3 đơn vị" in page and "1.750,5" in page

    response = postal["client"].post(postal["upload"], {"payload": payload_of(response), "ky": postal["period"].code},
                                     follow=True)
    assert "Đã lưu 8 ô số liệu từ tệp buu-chinh-quy.xlsx cho 3 đơn vị." in text(response)
    assert counts() == (before[0] + 8, before[1] + 8)
    for code, expected in (("VNPOST", 3), ("VIETTEL_POST", 3), ("GHN", 2)):
        submission = Submission.objects.get(form=postal["form"], unit__code=code, period=postal["period"])
        assert len(entry.current_values(submission)) == expected
    ghn = Submission.objects.get(form=postal["form"], unit__code="GHN", period=postal["period"])
    assert entry.current_values(ghn)[CellRef("1")].value == Decimal("1750.5")
    assert set(DataValueAudit.objects.filter(unit_code__in=["VNPOST", "VIETTEL_POST", "GHN"])
               .values_list("channel", "user__username")) == {("excel", "vu-bc")}


def test_whole_form_upload_with_one_bad_row_stores_nothing(postal):
    book, sheet, where = long_sheet(postal, FIGURES)
    bad = where[("GHTK", "4", "TOTAL")]
    sheet.cell(bad, 1).value = "VNPT"  # a telecom enterprise, not assigned to BCCP-02
    sheet.cell(bad, 6).value = 10
    before = counts()
    response = post_file(postal["client"], postal["upload"], save(book))
    assert response.status_code == 400
    page = text(response)
    assert (f"Dòng {bad}: đơn vị Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT) không được phân công báo cáo "
            f"biểu BCCP-02 kỳ {postal['period'].label}") in page
    assert response.context["payload"] == "" and "Xác nhận lưu" not in page
    assert counts() == before


def test_whole_form_upload_refuses_bad_values_with_their_row(postal):
    book, sheet, where = long_sheet(postal, {**FIGURES, ("GHN", "4", "TOTAL"): "lỗ"})
    unknown = where[("GHTK", "5", "TOTAL")]
    sheet.cell(unknown, 3).value = "99"
    sheet.cell(unknown, 6).value = 5
    before = counts()
    response = post_file(postal["client"], postal["upload"], save(book))
    page = text(response)
    assert f'Ô F{where[("GHN", "4", "TOTAL")]} (đơn vị GHN, dòng 4 "' in page and '"lỗ" không phải là số.' in page
    assert f'Dòng {unknown}: biểu BCCP-02 không có dòng "99".' in page
    assert counts() == before


def test_whole_form_upload_only_for_the_receiving_unit(postal, client):
    reporter = make_user("vnpost", Role.REPORTER, ReportingUnit.objects.get(code="VNPOST"))
    client.force_login(reporter)
    assert client.get(postal["upload"]).status_code == 404
    assert client.get(postal["template"]).status_code == 404
    other_approver = make_user("cuc-vt", Role.APPROVER, ReportingUnit.objects.get(code="CUC_VT"))
    client.force_login(other_approver)
    assert client.get(postal["upload"]).status_code == 404
    admin = get_user_model().objects.create_superuser("quan-tri", "a@example.invalid", "mat-khau-dai-123")
    client.force_login(admin)
    assert client.get(postal["upload"]).status_code == 200


def test_whole_form_template_of_another_period_is_refused(postal):
    previous = Period.objects.for_id(postal["period"].pid.previous())
    data = excel.build_form_template(postal["form"], previous)
    before = counts()
    response = post_file(postal["client"], postal["upload"], data)
    assert response.status_code == 400
    assert f"Tệp là mẫu của kỳ {previous.label} (mã {previous.code}), không phải kỳ" in text(response)
    assert counts() == before


def test_whole_form_upload_needs_a_period_of_the_form(postal):
    url = reverse("excel-form-upload", args=["BCCP-02"])
    data = excel.build_form_template(postal["form"])
    response = post_file(postal["client"], url + "?ky=202611", data)
    assert response.status_code == 400
    assert 'Mã kỳ "202611" không phải là kỳ báo cáo của biểu BCCP-02 (quý); hãy nhập mã kỳ, ví dụ' in text(response)
    response = post_file(postal["client"], url, data)
    assert "Chưa chọn kỳ báo cáo" in text(response)
    # A template made without a period is accepted for the period chosen on upload.
    response = post_file(postal["client"], url, data, ky=postal["period"].code)
    assert response.status_code == 200 and response.context["upload"].changes == []


def test_whole_form_refuses_a_single_submission_template(postal):
    unit = ReportingUnit.objects.get(code="VNPOST")
    data = excel.build_template(Submission(form=postal["form"], unit=unit, period=postal["period"], form_version=1))
    response = post_file(postal["client"], postal["upload"], data)
    assert response.status_code == 400 and "Tệp là mẫu của một báo cáo của biểu BCCP-02" in text(response)
