"""The Excel templates: shaped like the paper form, protected, validated, and read back exactly."""

import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from solieu.accounts.models import Membership, Role
from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection import entry, excel
from solieu.collection.models import DataValue, DataValueAudit, Submission
from solieu.collection.validation import CellRef

pytestmark = pytest.mark.django_db


@pytest.fixture
def so(catalog):
    """Sở KH&CN Hà Nội, BC-SO-THANG, this month (its deadline not passed, so not locked)."""
    form = Form.objects.get(code="BC-SO-THANG")
    unit = ReportingUnit.objects.get(code="SKHCN-01")
    period = Period.objects.for_id(PeriodId.containing("month", timezone.localdate()))
    user = get_user_model().objects.create_user("so-hn", password="mat-khau-dai-123")
    Membership.objects.create(user=user, role=Role.REPORTER, unit=unit)
    submission = entry.submission_for(form, unit, period)
    return submission, user


def fill(submission, user, cells):
    spec = entry.form_spec(submission.form)
    for (row, option), value in cells.items():
        entry.save_cell(user, submission, row, option, value, spec=spec)


def open_template(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def data_rows(sheet):
    """Row code -> Excel row number, from the hidden code column."""
    code_col = sheet.max_column
    return {sheet.cell(r, code_col).value: r for r in range(excel.FIRST_ROW + 1, sheet.max_row + 1)
            if sheet.cell(r, code_col).value}


def test_template_is_shaped_like_the_form(so):
    submission, user = so
    fill(submission, user, {("1", "TOTAL"): "8.587.100", ("6", "TOTAL"): "35,25"})
    data = excel.build_template(submission)
    shots = settings.DATA_DIR / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    (shots / "template-BC-SO-THANG.xlsx").write_bytes(data)

    book = open_template(data)
    assert book.sheetnames == ["BC-SO-THANG", "_solieu"]
    meta_sheet = book["_solieu"]
    assert meta_sheet.sheet_state == "veryHidden"
    meta = {row[0]: row[1] for row in meta_sheet.iter_rows(values_only=True)}
    assert meta["format"] == "solieu-template" and meta["template_version"] == "1"
    assert (meta["form_code"], meta["form_version"], meta["unit_code"], meta["period_code"]) == (
        "BC-SO-THANG", "1", "SKHCN-01", submission.period.code)
    assert len(meta["signature"]) == 64

    sheet = book["BC-SO-THANG"]
    title = " ".join(str(sheet.cell(r, 1).value) for r in range(1, 5))
    pid = submission.pid
    assert "BIỂU BC-SO-THANG: BÁO CÁO SỐ LIỆU THÁNG CỦA SỞ" in title
    assert "SKHCN-01" in title and pid.label() in title
    assert f"Hạn gửi: 15/{pid.index:02d}/{pid.year}" in title
    headers = [sheet.cell(excel.HEADER_ROW + 1, c).value for c in range(1, 7)]
    assert headers[:4] == ["Mã dòng", "Chỉ tiêu", "Đơn vị tính", "Tổng số"]
    assert headers[4].startswith("Kỳ trước") and headers[5].startswith("Cùng kỳ năm trước")
    assert sheet.freeze_panes == "D9"

    rows = data_rows(sheet)
    assert list(rows)[:3] == ["1", "2", "3"] and len(rows) == 20  # headings I..IV are not data rows
    population, per100 = rows["1"], rows["6"]
    assert sheet.cell(population, 1).value == "1" and sheet.cell(population, 2).value == "Dân số"
    assert sheet.cell(population, 3).value == "người"
    # Pre-filled, as numbers, with number formats by the indicator's decimals.
    assert sheet.cell(population, 4).value == 8587100
    assert sheet.cell(per100, 4).value == pytest.approx(35.25)
    assert sheet.cell(population, 4).number_format == "#,##0"
    assert sheet.cell(per100, 4).number_format == "#,##0.00"
    assert sheet.cell(rows["2"], 4).value is None
    # Locked labels, unlocked value cells, protection without password.
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet.cell(population, 2).protection.locked
    assert sheet.cell(population, 5).protection.locked  # Kỳ trước: read-only reference
    assert not sheet.cell(population, 4).protection.locked
    assert not sheet.cell(rows["2"], 4).protection.locked
    # The hidden code column and code row.
    code_col = openpyxl.utils.get_column_letter(sheet.max_column)
    assert sheet.column_dimensions[code_col].hidden
    assert sheet.row_dimensions[excel.CODE_ROW + 1].hidden
    assert sheet.cell(excel.CODE_ROW + 1, 4).value == "TOTAL"
    # Data validation: whole numbers >= 0 on integer rows, decimals on decimal rows, in Vietnamese.
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    whole = validations[f"D{population}"]
    assert (whole.type, whole.operator, whole.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert "số nguyên" in whole.prompt and whole.showErrorMessage and "Giá trị không hợp lệ" == whole.errorTitle
    decimal = validations[f"D{per100}"]
    assert decimal.type == "decimal" and "chữ số thập phân" in decimal.prompt
    # Print setup: A4 landscape.
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    assert sheet.column_dimensions["B"].width > 40


def test_template_with_disaggregation_columns(catalog, db):
    form = Form.objects.get(code="BCCP-02")
    unit = ReportingUnit.objects.get(code="VNPOST")
    period = Period.objects.for_id(PeriodId.containing("quarter", timezone.localdate()))
    book = open_template(excel.build_template(Submission(form=form, unit=unit, period=period, form_version=1)))
    sheet = book["BCCP-02"]
    headers = [sheet.cell(excel.HEADER_ROW + 1, c).value for c in range(1, 10)]
    assert headers[3:8] == ["Tổng số", "Dịch vụ bưu chính công ích",
                            "Dịch vụ bưu chính KT1 phục vụ cơ quan Đảng, Nhà nước",
                            "Dịch vụ bưu chính khác trong nước", "Dịch vụ bưu chính khác quốc tế"]
    codes = [sheet.cell(excel.CODE_ROW + 1, c).value for c in range(4, 9)]
    assert codes == ["TOTAL", "PUBLIC_UTILITY", "KT1", "DOMESTIC", "INTERNATIONAL"]
    rows = data_rows(sheet)
    # Row 1 has the options: all unlocked; row 4 has none: only Tổng số unlocked, the rest greyed and locked.
    assert all(not sheet.cell(rows["1"], c).protection.locked for c in range(4, 9))
    assert not sheet.cell(rows["4"], 4).protection.locked
    assert all(sheet.cell(rows["4"], c).protection.locked for c in range(5, 9))


def test_form_template_has_one_line_per_unit_and_cell(catalog, db):
    form = Form.objects.get(code="BCCP-02")
    period = Period.objects.for_id(PeriodId.containing("quarter", timezone.localdate()))
    book = open_template(excel.build_form_template(form, period))
    assert book["_solieu"].sheet_state == "veryHidden"
    sheet = book["Số liệu"]
    header = [sheet.cell(excel.HEADER_ROW + 1, c).value for c in range(1, 9)]
    assert header[:6] == ["Mã đơn vị", "Tên đơn vị", "Mã dòng", "Chỉ tiêu", "Phân tổ", "Giá trị"]
    lines = [[sheet.cell(r, c).value for c in (1, 3, 5, 8)] for r in range(excel.FIRST_ROW + 1, sheet.max_row + 1)]
    units = list(dict.fromkeys(line[0] for line in lines))
    assert units == sorted(["VNPOST", "VIETTEL_POST", "VNEMS", "GHN", "GHTK", "JT_EXPRESS"])
    # 2 rows x (total + 4 options) + 6 rows = 16 cells per unit.
    assert len(lines) == 16 * 6
    assert lines[0] == ["GHN", "1", "Tổng số", "TOTAL"] and lines[1][2:] == ["Dịch vụ bưu chính công ích",
                                                                               "PUBLIC_UTILITY"]
    assert sheet.column_dimensions["H"].hidden
    assert not sheet.cell(excel.FIRST_ROW + 1, 6).protection.locked
    assert sheet.cell(excel.FIRST_ROW + 1, 1).protection.locked


def test_numbers_read_back_as_excel_holds_them():
    assert excel._from_float(0.1) == Decimal("0.1")
    assert excel._from_float(1234.56) == Decimal("1234.56")
    assert excel._from_float(0.30000000000000004) == Decimal("0.3")
    assert excel._plain(Decimal("1E+3")) == "1000" and excel._plain(Decimal("12.500000")) == "12.5"
    # A stored value Excel can only keep to 15 digits is not a change when it comes back unchanged.
    stored = Decimal("123456789012345678.123456")
    assert excel._same(stored, excel._from_float(float(stored)))
    assert not excel._same(Decimal("1"), Decimal("2")) and not excel._same(None, Decimal(0))


def test_parse_reads_vietnamese_text_and_ignores_unchanged_cells(so):
    submission, user = so
    fill(submission, user, {("1", "TOTAL"): "8587100", ("2", "TOTAL"): "2500000"})
    book = open_template(excel.build_template(submission))
    sheet = book["BC-SO-THANG"]
    rows = data_rows(sheet)
    sheet.cell(rows["3"], 4).value = "1.234"       # typed as text, Vietnamese grouping: ambiguous
    sheet.cell(rows["4"], 4).value = "  1.234,5 "  # text with Vietnamese decimal comma: refused later (integer)
    sheet.cell(rows["6"], 4).value = "35,25"
    buffer = io.BytesIO()
    book.save(buffer)
    upload = excel.read_submission_upload(buffer.getvalue(), submission, filename="t.xlsx")
    assert [(c.ref.row, c.new) for c in upload.changes] == [("3", Decimal("1234")), ("6", Decimal("35.25"))]
    assert any('"1.234" được đọc là 1.234' in w for w in upload.warnings)
    assert upload.errors == [
        f'Ô D{rows["4"]} (dòng 4 "Số điểm phục vụ bưu chính", cột Tổng số): 1.234,5 không hợp lệ; '
        "chỉ tiêu này phải là số nguyên."]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) chưa được cài")
def test_libreoffice_opens_the_template_and_its_resave_is_accepted(so, tmp_path):
    """Open the template as a spreadsheet application would: LibreOffice renders it to PNG and PDF
    for the lead to look at, and a copy saved by LibreOffice Calc is still a valid upload."""
    submission, user = so
    fill(submission, user, {("1", "TOTAL"): "8587100", ("6", "TOTAL"): "35,25"})
    source = tmp_path / "template-BC-SO-THANG.xlsx"
    source.write_bytes(excel.build_template(submission))
    shots = settings.DATA_DIR / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(shots), str(source)],
                   check=True, capture_output=True, timeout=180, env=env)
    pdf = shots / "template-BC-SO-THANG.pdf"
    assert pdf.read_bytes()[:4] == b"%PDF"
    if shutil.which("pdftoppm"):  # poppler-utils: the first page as a PNG
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(shots / "template-BC-SO-THANG")], check=True, capture_output=True, timeout=60)
        png = shots / "template-BC-SO-THANG.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    resaved = tmp_path / "resaved"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(resaved), str(source)],
                   check=True, capture_output=True, timeout=180, env=env)
    data = (resaved / source.name).read_bytes()
    upload = excel.read_submission_upload(data, submission, filename="libreoffice.xlsx")
    assert upload.errors == [] and upload.changes == []
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["_solieu"].sheet_state in ("hidden", "veryHidden")
    assert DataValueAudit.objects.filter(channel="excel").count() == 0
    assert DataValue.objects.current().filter(unit=submission.unit).count() == 2
    assert CellRef("1") in entry.current_values(submission)
