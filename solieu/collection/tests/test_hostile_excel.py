"""Hostile Excel uploads: files that are not what they claim, zip and XML bombs, links and macros,
formulas, huge sheets, unreadable numbers. Each is refused with its exact message, nothing stored.

The plain refusals (text, PDF, .xls, a zip without workbook, a foreign workbook, an oversized
file, a single formula) are in test_excel_views.py; this module adds what an attacker would try.
"""

import html
import io
import re
import struct
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from solieu.accounts.models import Membership, Role
from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection import entry, excel
from solieu.collection.models import DataValue, DataValueAudit, Submission

pytestmark = pytest.mark.django_db
XLSX = excel.XLSX_CONTENT_TYPE
SHEET_XML = "xl/worksheets/sheet1.xml"  # the form's sheet; _solieu is sheet2


@pytest.fixture
def so(catalog, client):
    form = Form.objects.get(code="BC-SO-THANG")
    unit = ReportingUnit.objects.get(code="SKHCN-01")
    period = Period.objects.for_id(PeriodId.containing("month", timezone.localdate()))
    user = get_user_model().objects.create_user("so-hn", password="mat-khau-dai-123")
    Membership.objects.create(user=user, role=Role.REPORTER, unit=unit)
    client.force_login(user)
    submission = entry.submission_for(form, unit, period)
    entry.save_cell(user, submission, "1", "TOTAL", "8.587.100")
    args = [form.code, unit.code, period.code]
    return {"submission": submission, "user": user, "client": client,
            "upload": reverse("excel-upload", args=args)}


def counts():
    return DataValue.objects.count(), DataValueAudit.objects.count(), Submission.objects.count()


def template(so) -> bytes:
    return excel.build_template(so["submission"])


def value_cell(so, row="2"):
    """Coordinate of the Tổng số cell of a row code in the template ("D10")."""
    book = openpyxl.load_workbook(io.BytesIO(template(so)))
    sheet = book["BC-SO-THANG"]
    code_col = sheet.max_column
    for r in range(excel.FIRST_ROW + 1, sheet.max_row + 1):
        if sheet.cell(r, code_col).value == row:
            return f"D{r}"
    raise AssertionError(row)


def rezip(data: bytes, change=None, add=None, drop=()) -> bytes:
    """The same zip with some entries changed (name -> function of bytes), added or dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = source.read(info.filename)
            if change and info.filename in change:
                content = change[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def set_cell_xml(data: bytes, coord: str, cell_xml: str) -> bytes:
    """The template with the raw XML of one value cell replaced (as another program would write it)."""
    def change(xml):
        text = xml.decode()
        pattern = re.compile(rf'<c r="{coord}"[^>]*?(/>|>.*?</c>)')
        assert pattern.search(text), coord
        return pattern.sub(lambda m: cell_xml, text, count=1).encode()
    return rezip(data, change={SHEET_XML: change})


def refused(so, data, message, name="bieu.xlsx"):
    """Posts the file; the page shows exactly `message` and nothing is stored."""
    before = counts()
    response = so["client"].post(so["upload"], {"file": SimpleUploadedFile(name, data, content_type=XLSX)})
    assert response.status_code == 400, response.status_code
    page = html.unescape(response.content.decode())
    assert message in page, re.sub(r"\s+", " ", page)[-3000:]
    assert "<script>alert" not in response.content.decode()
    assert counts() == before
    assert not response.context.get("payload")
    return page


NOT_XLSX = ('Tệp "bieu.xlsx" không phải là tệp Excel .xlsx. Hãy tải lên đúng tệp mẫu đã tải về từ hệ thống '
            "(định dạng Excel Workbook .xlsx).")
BROKEN = NOT_XLSX + " (openpyxl không mở được tệp: tệp hỏng hoặc sai định dạng.)"


# --- files that are not what they claim ------------------------------------------------------


def _ods():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def _docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"", 'Tệp "bieu.xlsx" rỗng (0 byte).'),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, NOT_XLSX),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", NOT_XLSX),
    (b"\x1f\x8b\x08\x00" + b"\0" * 32, NOT_XLSX),
    (b"PK\x03\x04" + b"\0" * 100, NOT_XLSX),
    (_docx(), NOT_XLSX),
    (_ods(), 'Tệp "bieu.xlsx" là bảng tính OpenDocument (.ods). Hãy lưu lại dưới dạng Excel 2007-365 (.xlsx) '
             "rồi tải lên."),
    (b"MZ\x90\x00" + b"\0" * 64, NOT_XLSX),
], ids=["empty", "png", "html", "gzip", "zip-header-only", "docx", "ods", "exe"])
def test_files_that_are_not_xlsx(so, data, message):
    refused(so, data, message)


def test_a_truncated_template(so):
    data = template(so)
    refused(so, data[: len(data) // 2], NOT_XLSX)


def test_a_template_with_a_damaged_sheet(so):
    data = rezip(template(so), change={SHEET_XML: lambda xml: xml[: len(xml) // 2]})
    refused(so, data, BROKEN)


def test_a_template_whose_sheet_is_not_xml(so):
    refused(so, rezip(template(so), change={SHEET_XML: lambda xml: b"\x00\xff" * 100}), BROKEN)


# --- zip and XML bombs -----------------------------------------------------------------------

BOMB = 'Tệp "bieu.xlsx" khi giải nén quá lớn so với một biểu mẫu; hệ thống không nhận.'


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the central directory claiming `size` uncompressed bytes for `name`."""
    data = bytearray(data)
    encoded = name.encode()
    at = data.rfind(b"PK\x01\x02" + b"", 0)
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        assert at >= 0, name
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46: at + 46 + length]) == encoded:
            struct.pack_into("<I", data, at + 24, size)
            return bytes(data)
        at += 4


def test_a_declared_huge_entry_is_refused_before_inflating(so):
    """The size the zip declares is enough: nothing is inflated to find out."""
    data = rezip(template(so), add={"xl/media/image1.png": b"x"})
    refused(so, _declare_size(data, "xl/media/image1.png", 4_000_000_000), BOMB)


def test_a_real_zip_bomb(so, monkeypatch):
    """200 MB is the limit; here 1 MB, with 20 MB of zeros that deflate to about 20 KB."""
    monkeypatch.setattr(excel, "MAX_UNCOMPRESSED", 1024 * 1024)
    data = rezip(template(so), add={"xl/media/image1.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(data) < 200_000
    refused(so, data, BOMB)


def test_many_entries_each_small_add_up(so, monkeypatch):
    monkeypatch.setattr(excel, "MAX_UNCOMPRESSED", 1024 * 1024)
    data = rezip(template(so), add={f"xl/media/p{i}.bin": b"\0" * 100_000 for i in range(20)})
    refused(so, data, BOMB)


def test_an_entry_lying_about_its_size_is_refused(so):
    """Declared smaller than it inflates: zipfile stops at the declared size and the CRC fails."""
    data = rezip(template(so), change={SHEET_XML: lambda xml: xml + b" " * 200_000})
    refused(so, _declare_size(data, SHEET_XML, 1000), BROKEN)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
"""


@pytest.mark.parametrize("part", [SHEET_XML, "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_xml_entity_bombs_are_refused(so, part):
    data = template(so)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if part not in archive.namelist():
            data = rezip(data, add={part: b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'})

    def bomb(xml):
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        return BILLION_LAUGHS + body.replace(b"</", b"&lol9;</", 1)
    refused(so, rezip(data, change={part: bomb}), BROKEN)


def test_external_entities_are_not_read(so):
    """An XXE naming a local file: refused, and the file's content never reaches the page."""
    def xxe(xml):
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + body.replace(
            b"<v>8587100</v>", b"<v>&e;</v>", 1)
    page = refused(so, rezip(template(so), change={SHEET_XML: xxe}), BROKEN)
    assert "root:" not in page


# --- links and macros ------------------------------------------------------------------------

LINKS = ('Tệp "bieu.xlsx" có liên kết tới tệp bên ngoài (external links); hệ thống không nhận tệp có liên kết. '
         "Hãy nhập số vào tệp mẫu tải về từ hệ thống, không dán công thức tham chiếu tệp khác.")
MACROS = ('Tệp "bieu.xlsx" có macro (VBA hoặc Excel 4.0); hệ thống không nhận tệp có macro. Hãy lưu lại dưới dạng '
          "Excel Workbook (.xlsx) không có macro, tốt nhất là nhập số liệu vào tệp mẫu tải về từ hệ thống.")
EXTERNAL_LINK = (b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 b'<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                 b'relationships"/></externalLink>')


@pytest.mark.parametrize("add, message", [
    ({"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK}, LINKS),
    ({"xl/externalLinks/_rels/externalLink1.xml.rels": b"<Relationships/>"}, LINKS),
    ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512}, MACROS),
    ({"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}, MACROS),
    ({"xl/VBAPROJECT.BIN": b"\0" * 16}, MACROS),
], ids=["external-link", "external-link-rels", "vba", "excel4-macrosheet", "vba-upper-case"])
def test_links_and_macros_are_refused(so, add, message):
    refused(so, rezip(template(so), add=add), message)


def test_a_macro_enabled_content_type_is_refused(so):
    def macro_type(xml):
        return xml.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                           b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    data = rezip(template(so), change={"[Content_Types].xml": macro_type})
    refused(so, data, MACROS.replace("bieu.xlsx", "bieu.xlsm"), name="bieu.xlsm")


# --- formulas in value cells -----------------------------------------------------------------


@pytest.mark.parametrize("cell_xml, shown", [
    ('<c r="{c}"><f>1+1</f><v>2</v></c>', "=1+1"),
    ('<c r="{c}"><f>SUM(D9:D10)</f></c>', "=SUM(D9:D10)"),
    ('<c r="{c}"><f t="shared" ref="{c}" si="0">D9*2</f><v>4</v></c>', "=D9*2"),
    ('<c r="{c}"><f t="array" ref="{c}">{{1,2}}</f><v>1</v></c>', "={1,2}"),
    ("<c r=\"{c}\"><f>cmd|' /C calc'!A0</f><v>0</v></c>", "=cmd|' /C calc'!A0"),
    ('<c r="{c}"><f>[1]Sheet1!A1</f><v>5</v></c>', "=[1]Sheet1!A1"),
    ('<c r="{c}" t="inlineStr"><is><t>=HYPERLINK("http://x","y")</t></is></c>', '=HYPERLINK("http://x","y")'),
], ids=["cached", "uncached", "shared", "array", "dde", "external-ref", "text-formula"])
def test_formulas_in_value_cells(so, cell_xml, shown):
    coord = value_cell(so)
    data = set_cell_xml(template(so), coord, cell_xml.format(c=coord))
    refused(so, data, f"Ô {coord} chứa công thức {shown}; hãy nhập giá trị số")


# --- huge sheets -----------------------------------------------------------------------------


def _dimension(ref):
    return lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml)


def _rows_from(first, n):
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in
                   range(first, first + n)).encode()
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")


TOO_MANY_ROWS = "Trang số liệu có hơn 50.000 dòng; đây không phải là mẫu của hệ thống."


def test_a_sheet_claiming_every_cell_of_excel(so):
    """A1:XFD1048576 declared: the reader neither trusts nor pads to it; the template reads as it is."""
    data = rezip(template(so), change={SHEET_XML: _dimension("A1:XFD1048576")})
    upload = excel.read_submission_upload(data, so["submission"], filename="bieu.xlsx")
    assert upload.ok and upload.changes == [] and upload.cells_read > 0


def test_a_wide_sheet_is_read_only_as_far_as_the_template(so):
    """A cell at XFD on every row, 30.000 rows: columns past the template's are never read."""
    wide = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(200, 30_200)).encode()
    data = rezip(template(so), change={SHEET_XML: lambda xml: xml.replace(b"</sheetData>", wide + b"</sheetData>")})
    upload = excel.read_submission_upload(data, so["submission"], filename="bieu.xlsx")
    assert upload.ok and upload.changes == []


def test_100000_rows_are_refused(so):
    refused(so, rezip(template(so), change={SHEET_XML: _rows_from(200, 100_000)}), TOO_MANY_ROWS)


def test_a_cell_on_the_last_row_of_excel_is_refused(so):
    refused(so, rezip(template(so), change={SHEET_XML: _rows_from(1_048_576, 1)}), TOO_MANY_ROWS)


# --- wrong sheets ----------------------------------------------------------------------------

TAMPERED = ("Thông tin ẩn của mẫu (trang _solieu, cột mã dòng hoặc dòng mã cột) đã bị sửa, hoặc đã thêm, xóa "
            "dòng, cột trong mẫu, nên hệ thống không nhận tệp này. Hãy tải mẫu mới và nhập lại số liệu.")


def _book(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def _save(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_data_sheet_renamed(so):
    book = _book(template(so))
    book["BC-SO-THANG"].title = "Sheet1"
    refused(so, _save(book), TAMPERED)


def test_the_data_sheet_deleted(so):
    book = _book(template(so))
    book.create_sheet("Trang khác")
    del book["BC-SO-THANG"]
    refused(so, _save(book), TAMPERED)


def test_the_meta_sheet_pointing_at_itself(so):
    book = _book(template(so))
    meta = book[excel.META_SHEET]
    for row in meta.iter_rows(max_col=2):
        if row[0].value == "sheet":
            row[1].value = excel.META_SHEET
    refused(so, _save(book), TAMPERED)


def test_the_meta_sheet_with_a_huge_code_column(so):
    book = _book(template(so))
    for row in book[excel.META_SHEET].iter_rows(max_col=2):
        if row[0].value == "code_col":
            row[1].value = "XFD"
    refused(so, _save(book), TAMPERED)


# --- numbers nobody should store -------------------------------------------------------------


def _typed(so, coord, value):
    book = _book(template(so))
    book["BC-SO-THANG"][coord].value = value
    return _save(book)


DIGITS_ONLY = ": chỉ được dùng chữ số, dấu chấm phân cách hàng nghìn và dấu phẩy thập phân."


@pytest.mark.parametrize("value, message", [
    ("1e309", 'Không đọc được số "1e309": không chấp nhận cách viết lũy thừa (như "1e5"); hãy viết đủ các chữ số.'),
    ("NaN", '"NaN" không phải là số.'),
    ("inf", '"inf" không phải là số.'),
    ("-Infinity", '"-Infinity" không phải là số.'),
    ("0," + "1" * 40, "Không đọc được số"),
    ("1" * 19, "Giá trị 1.111.111.111.111.111.111 vượt quá giới hạn lưu trữ (tối đa 18 chữ số ở phần nguyên)."),
    (1e300, "quá lớn (tối đa 18 chữ số phần nguyên)."),
    (-5, "-5 là số âm; chỉ tiêu này không nhận giá trị âm."),
    ("<script>alert(1)</script>", 'Không đọc được số "<script>alert(1)</script>"' + DIGITS_ONLY),
    (True, '"TRUE" không phải là số.'),
], ids=["1e309-text", "nan-text", "inf-text", "minus-infinity", "long-decimals", "19-digits", "1e300", "negative",
        "script", "boolean"])
def test_numbers_nobody_should_store(so, value, message):
    coord = value_cell(so)
    page = refused(so, _typed(so, coord, value), message)
    assert f"Ô {coord} ({_where(so)}): " in page


@pytest.mark.parametrize("raw", ["1e309", "-1e309", "1E400"], ids=["1e309", "-1e309", "1E400"])
def test_infinite_numbers_written_raw(so, raw):
    coord = value_cell(so)
    data = set_cell_xml(template(so), coord, f'<c r="{coord}"><v>{raw}</v></c>')
    refused(so, data, f"Ô {coord} ({_where(so)}): giá trị không phải là số hữu hạn.")


@pytest.mark.parametrize("raw", ["NaN", "inf", "0x10", "1,5"], ids=["nan", "inf", "hex", "comma"])
def test_unreadable_numbers_written_raw(so, raw):
    """openpyxl cannot read these as numbers: the file is refused as damaged (was a 500)."""
    coord = value_cell(so)
    refused(so, set_cell_xml(template(so), coord, f'<c r="{coord}"><v>{raw}</v></c>'), BROKEN)


def _where(so):
    spec = entry.form_spec(so["submission"].form)
    row = next(r for r in spec.rows if r.code == "2")
    return excel._where("2", row.label, "Tổng số")


@pytest.mark.parametrize("raw, expected", [("-0", Decimal(0)), ("-0.0", Decimal(0)), ("1E3", Decimal(1000))],
                         ids=["minus-zero", "minus-zero-float", "exponent"])
def test_harmless_spellings_read_as_their_number(so, raw, expected):
    coord = value_cell(so)
    data = set_cell_xml(template(so), coord, f'<c r="{coord}"><v>{raw}</v></c>')
    upload = excel.read_submission_upload(data, so["submission"], filename="bieu.xlsx")
    assert upload.ok and [(c.cell, c.new) for c in upload.changes] == [(coord, expected)]
    assert str(upload.changes[0].new) != "-0"


def test_minus_zero_typed_as_text(so):
    coord = value_cell(so)
    upload = excel.read_submission_upload(_typed(so, coord, "-0"), so["submission"], filename="bieu.xlsx")
    assert upload.errors == [] and [c.new for c in upload.changes] == [Decimal(0)]
    assert not upload.changes[0].new.is_signed()


# --- the many-unit upload gets the same treatment --------------------------------------------


@pytest.fixture
def postal(catalog, client):
    form = Form.objects.get(code="BCCP-02")
    period = Period.objects.for_id(PeriodId.containing("quarter", timezone.localdate()))
    user = get_user_model().objects.create_user("vu-bc", password="mat-khau-dai-123")
    Membership.objects.create(user=user, role=Role.APPROVER, unit=form.receiving_unit)
    client.force_login(user)
    return {"form": form, "period": period, "client": client,
            "upload": reverse("excel-form-upload", args=[form.code]) + f"?ky={period.code}"}


@pytest.mark.parametrize("kind", ["macro", "link", "bomb", "rows"])
def test_the_many_unit_upload_refuses_the_same(postal, kind, monkeypatch):
    data = excel.build_form_template(postal["form"], postal["period"])
    if kind == "bomb":
        monkeypatch.setattr(excel, "MAX_UNCOMPRESSED", 1024 * 1024)
    data, message = {
        "macro": (rezip(data, add={"xl/vbaProject.bin": b"\0" * 64}), MACROS),
        "link": (rezip(data, add={"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK}), LINKS),
        "bomb": (rezip(data, add={"xl/media/a.bin": b"\0" * (3 * 1024 * 1024)}), BOMB),
        "rows": (rezip(data, change={SHEET_XML: _rows_from(10_000, 100_000)}), TOO_MANY_ROWS),
    }[kind]
    before = counts()
    response = postal["client"].post(postal["upload"], {"file": SimpleUploadedFile("bieu.xlsx", data,
                                                                                   content_type=XLSX)})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page, re.findall(r'<ul class="error">.*?</ul>', page, re.S)
    assert counts() == before


# --- property: any cell content is a clean message or exactly the number stored --------------

cell_values = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789.,-+eE %", max_size=25),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**20, max_value=10**20),
    st.decimals(allow_nan=False, allow_infinity=False, places=8).map(str),
)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=cell_values)
def test_any_cell_is_refused_with_its_place_or_stored_exactly(so, value):
    if isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        value = value.translate({i: None for i in range(32)})  # Excel files cannot hold control characters
    coord = value_cell(so)
    data = _typed(so, coord, value)
    upload = excel.read_submission_upload(data, so["submission"], filename="bieu.xlsx")
    if not upload.ok:
        assert all(e.startswith(f"Ô {coord}") or e.startswith("Dòng") or ":" in e for e in upload.errors)
        return
    if not upload.changes:
        return
    before = DataValueAudit.objects.count()
    token = excel.dump_upload(upload, so["user"])
    try:
        excel.confirm_submission_upload(so["user"], so["submission"], token)
    except excel.ExcelError as exc:
        assert exc.message and DataValueAudit.objects.count() == before  # whole-form rule: nothing stored
        return
    ref = upload.changes[0].ref
    stored = DataValue.objects.current().filter(
        unit=so["submission"].unit, period=so["submission"].period, indicator__code=_indicator(so, ref.row),
        option__code=ref.option).first()
    expected = upload.changes[0].new
    if connection.vendor == "sqlite" and stored is not None and expected is not None:
        assert float(stored.value) == pytest.approx(float(expected), rel=1e-14)  # decision 7: ~15 digits
    else:
        assert (stored.value if stored else None) == expected


def _indicator(so, row_code):
    return entry.form_spec(so["submission"].form).form_rows[row_code].indicator.code
