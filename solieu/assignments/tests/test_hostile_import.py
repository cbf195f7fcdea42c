"""Hostile task lists: not an xlsx, bombs, macros, damaged XML, huge sheets, formulas, script in
titles. Each is refused with its exact message and nothing is imported; text is kept as text."""

import html
import io
import re
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from solieu.accounts.models import Role
from solieu.assignments import excel
from solieu.assignments.models import SourceDocument, Task, TaskChange
from solieu.collection import excel as collection_excel
from solieu.collection.tests.test_hostile_excel import BILLION_LAUGHS, EXTERNAL_LINK, _declare_size, rezip

from .conftest import make_user, text_of
from .excel_lists import HEADER, task_list

pytestmark = [pytest.mark.usefixtures("catalog"), pytest.mark.django_db]
URL = "/nhiem-vu/nhap-excel/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = {"kind": "plan", "number": "45/KH-BTTTT", "issued_on": "15/01/2024", "issuer": "Bộ TTTT",
          "title": "Kế hoạch năm 2024", "priority": "key"}
SHEET = "xl/worksheets/sheet1.xml"
NAME = '"phu-luc.xlsx"'
NOT_XLSX = (f"Tệp {NAME} không phải là tệp Excel .xlsx. Hãy tải lên đúng tệp mẫu đã tải về từ hệ thống "
            "(định dạng Excel Workbook .xlsx).")
BROKEN = NOT_XLSX + " (openpyxl không mở được tệp: tệp hỏng hoặc sai định dạng.)"


@pytest.fixture
def analyst(client, fast_passwords):
    client.force_login(make_user("tonghop-nhap", Role.ANALYST))
    return client


def counts():
    return Task.objects.count(), TaskChange.objects.count(), SourceDocument.objects.count()


def refused(client, data, *messages):
    before = counts()
    response = client.post(URL, {**FIELDS, "file": SimpleUploadedFile("phu-luc.xlsx", data, XLSX)})
    assert response.status_code == 400
    page = text_of(response)
    for message in messages:
        assert message in page, re.findall(r'<ul class="error">.*?</ul>', page, re.S) or page[-2000:]
    assert 'name="payload"' not in page
    assert counts() == before
    return response


def small_list():
    return task_list(tasks=3).data


def sheet_of(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- not an xlsx, bombs, links, macros -------------------------------------------------------


@pytest.mark.parametrize("data, message", [
    (b"", f"Tệp {NAME} rỗng (0 byte)."),
    ("TT;Nhiệm vụ;Thời gian hoàn thành\n1;Việc;Quý I/2024\n".encode("utf-16"), NOT_XLSX),
    ("TT,Tên,Mưa\n1,Đơn\n".encode("cp1258"), NOT_XLSX),
    (b"<table><tr><td>TT</td></tr></table>", NOT_XLSX),
    (b"%PDF-1.7\n", f"Tệp {NAME} là tệp PDF, không phải tệp Excel .xlsx."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, f"Tệp {NAME} là tệp Excel 97-2003 (.xls)"),
], ids=["empty", "csv-utf16", "csv-cp1258", "html", "pdf", "xls"])
def test_files_that_are_not_xlsx(analyst, data, message):
    refused(analyst, data, message)


def test_a_truncated_file(analyst):
    data = small_list()
    refused(analyst, data[: len(data) // 2], NOT_XLSX)


def test_a_damaged_sheet(analyst):
    """Was a 500: read-only openpyxl parses the sheet only while its rows are read."""
    refused(analyst, rezip(small_list(), change={SHEET: lambda xml: xml[: len(xml) // 2]}), BROKEN)


def test_an_xml_entity_bomb(analyst):
    def bomb(xml):
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        return BILLION_LAUGHS + body.replace(b"</", b"&lol9;</", 1)
    refused(analyst, rezip(small_list(), change={SHEET: bomb}), BROKEN)


def test_a_declared_zip_bomb(analyst):
    data = rezip(small_list(), add={"xl/media/a.bin": b"x"})
    refused(analyst, _declare_size(data, "xl/media/a.bin", 3_000_000_000),
            f"Tệp {NAME} khi giải nén quá lớn so với một biểu mẫu; hệ thống không nhận.")


def test_a_real_zip_bomb(analyst, monkeypatch):
    monkeypatch.setattr(collection_excel, "MAX_UNCOMPRESSED", 1024 * 1024)
    refused(analyst, rezip(small_list(), add={"xl/media/a.bin": b"\0" * (8 * 1024 * 1024)}),
            f"Tệp {NAME} khi giải nén quá lớn so với một biểu mẫu; hệ thống không nhận.")


@pytest.mark.parametrize("add, message", [
    ({"xl/externalLinks/externalLink1.xml": EXTERNAL_LINK}, f"Tệp {NAME} có liên kết tới tệp bên ngoài"),
    ({"xl/vbaProject.bin": b"\0" * 64}, f"Tệp {NAME} có macro (VBA hoặc Excel 4.0)"),
], ids=["external-link", "vba"])
def test_links_and_macros(analyst, add, message):
    refused(analyst, rezip(small_list(), add=add), message)


# --- huge sheets -----------------------------------------------------------------------------


def test_a_sheet_claiming_every_cell_of_excel_reads_as_it_is(analyst):
    data = rezip(small_list(), change={SHEET: lambda xml: re.sub(rb'<dimension ref="[^"]*"/>',
                                                                 b'<dimension ref="A1:XFD1048576"/>', xml)})
    upload = excel.read_task_list(data, filename="phu-luc.xlsx", document={"issued_on": date(2024, 1, 15)})
    assert upload.ok and len(upload.tasks) == 3


def test_a_cell_far_right_on_every_row_is_not_read(analyst):
    wide = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(100, 4000)).encode()
    data = rezip(small_list(), change={SHEET: lambda xml: xml.replace(b"</sheetData>", wide + b"</sheetData>")})
    upload = excel.read_task_list(data, filename="phu-luc.xlsx", document={"issued_on": date(2024, 1, 15)})
    assert upload.ok and len(upload.tasks) == 3


@pytest.mark.parametrize("first, n", [(100, 6000), (1_048_576, 1)], ids=["6000-rows", "last-row-of-excel"])
def test_too_many_rows(analyst, first, n):
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>'
                   for r in range(first, first + n)).encode()
    data = rezip(small_list(), change={SHEET: lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")})
    refused(analyst, data, "Bảng có hơn 5.000 dòng; hãy chia thành nhiều tệp.")


# --- formulas, script, odd values ------------------------------------------------------------


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x","y")', "=1+1", "=cmd|' /C calc'!A0"],
                         ids=["hyperlink", "sum", "dde"])
def test_a_formula_is_refused_with_its_cell(analyst, formula):
    data = sheet_of([["1", formula, "Sản phẩm", "Quý II/2024", "Cục Viễn thông", ""]])
    refused(analyst, data, f"Dòng 2, ô B2: ô chứa công thức {formula}; hãy dán giá trị (Paste Special > Values) "
                           "thay cho công thức.")


def test_script_in_a_title_is_kept_as_text_and_escaped(analyst):
    title = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = sheet_of([["1", title, "<b>Sản phẩm</b>", "Quý II/2024", "Cục Viễn thông", "'; DROP TABLE x;--"]])
    response = analyst.post(URL, {**FIELDS, "file": SimpleUploadedFile("phu-luc.xlsx", data, XLSX)})
    assert response.status_code == 200
    raw = response.content.decode()
    assert "<script>alert" not in raw and "<img src=x" not in raw and "&lt;script&gt;" in raw
    payload = text_of(response).split('name="payload" value="')[1].split('"')[0]
    assert analyst.post(URL, {"payload": payload}).status_code == 302
    task = Task.objects.get()
    assert task.title == title and task.results.get().description == "<b>Sản phẩm</b>"
    page = analyst.get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("cells, message", [
    ({3: "x" * 5000}, 'Dòng 2, ô D2 "Thời gian hoàn thành": dài 5.000 ký tự, tối đa 200 ký tự.'),
    ({0: "1" * 21}, 'Dòng 2, ô A2: số thứ tự "111111111111111111111" dài quá 20 ký tự.'),
    ({3: "31/02/2024"}, 'Dòng 2, ô D2 "Thời gian hoàn thành": Ngày "31/02/2024" không hợp lệ'),
    ({4: "x" * 300}, "Dòng 2, ô E2: không có cơ quan"),
], ids=["5000-char-deadline", "21-char-order", "31-february", "300-char-unit"])
def test_cells_nobody_can_store(analyst, cells, message):
    """Too long for its column was a 500 on PostgreSQL at confirmation (value too long)."""
    row = ["1", "Nhiệm vụ", "Sản phẩm", "Quý II/2024", "Cục Viễn thông", ""]
    for index, value in cells.items():
        row[index] = value
    refused(analyst, sheet_of([row]), message)


@pytest.mark.parametrize("deadline", ["1e309", "NaN", "-Infinity"])
def test_number_like_deadlines_are_events_with_a_warning(analyst, deadline):
    """Free words are an event's deadline ("Khi Luật ... có hiệu lực"): kept as text, never as a date."""
    data = sheet_of([["1", "Nhiệm vụ", "Sản phẩm", deadline, "Cục Viễn thông", ""]])
    upload = excel.read_task_list(data, filename="phu-luc.xlsx", document={"issued_on": date(2024, 1, 15)})
    assert upload.ok and upload.tasks[0].results[0].deadline.date is None
    assert upload.tasks[0].results[0].deadline.text == deadline
    assert f'thời hạn "{deadline}" là sự kiện chưa có ngày' in " ".join(upload.warnings)


# --- property: any cell content gives row-precise errors or tasks, never a crash -------------

cells = st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(allow_nan=False),
                  st.sampled_from(["Quý II/2024", "30/09/2024", "Thường xuyên", "Cục Viễn thông", "=1+1", "-2+3"]))


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.lists(cells, min_size=6, max_size=6))
def test_any_row_reads_to_tasks_or_precise_errors(analyst, row):
    row = [v.translate({i: None for i in range(32)}) if isinstance(v, str) else v for v in row]
    data = sheet_of([row])
    try:
        upload = excel.read_task_list(data, filename="phu-luc.xlsx", document={"issued_on": date(2024, 1, 15)})
    except excel.ExcelError as exc:
        assert exc.message
        return
    for error in upload.errors:
        assert error.startswith("Dòng ") or error == "Bảng không có nhiệm vụ nào dưới dòng tiêu đề.", error
    if upload.ok and upload.tasks:
        before = Task.objects.count()
        tasks, _ = excel.confirm(make_user_once(), excel.dump(upload, make_user_once()))
        assert Task.objects.count() == before + len([t for t in upload.tasks if t.duplicate_of is None])
        assert {t.title for t in tasks} <= {t.title for t in upload.tasks}


def make_user_once():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="tonghop-nhap").first()
    return user or make_user("tonghop-nhap", Role.ANALYST)


def test_html_is_escaped_in_the_error_list(analyst):
    data = sheet_of([["1", "Việc", "", "Quý II/2024", "<script>alert(1)</script>", ""]])
    response = refused(analyst, data, 'không có cơ quan "<script>alert(1)</script>"')
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert html.escape("<script>alert(1)</script>", quote=False) in response.content.decode()
