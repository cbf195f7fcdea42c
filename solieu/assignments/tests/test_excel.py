"""Reading a 30-task appendix table: every bad row reported precisely, nothing stored on refusal;
confirming creates everything at once; the export reads back."""

import io
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from solieu.assignments import excel
from solieu.assignments.models import RequiredResult, SourceDocument, Task, TaskChange

from .excel_lists import task_list, title

pytestmark = [pytest.mark.usefixtures("catalog"), pytest.mark.django_db]

DOCUMENT = {"kind": "plan", "number": "45/KH-BTTTT", "issued_on": date(2024, 1, 15), "issuer": "Bộ TTTT",
            "title": "Kế hoạch nhiệm vụ trọng tâm năm 2024"}
BAD = {10: {"unit": ""}, 18: {"deadline": "31/02/2024"}, 25: {"unit": "Vụ Không Có Thật"}}


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("tonghop-excel", password="mat-khau-dai-123")


def read(built, **extra):
    return excel.read_task_list(built.data, filename="phu-luc.xlsx", document=dict(DOCUMENT),
                                today=date(2024, 12, 31), **extra)


def test_bad_rows_are_reported_by_row_and_cell(user):
    built = task_list(BAD)
    upload = read(built)
    r10, r18, r25 = built.rows[10], built.rows[18], built.rows[25]
    assert upload.errors == [
        f'Dòng {r10}: nhiệm vụ "{title(10)[:59].rstrip()}…" chưa ghi cơ quan thực hiện (cột E "Cơ quan thực hiện").',
        f'Dòng {r18}, ô D{r18} "Thời gian hoàn thành": Ngày "31/02/2024" không hợp lệ: tháng 2 năm 2024 chỉ có '
        "29 ngày.",
        f'Dòng {r25}, ô E{r25}: không có cơ quan "Vụ Không Có Thật" trong danh mục đơn vị; hãy ghi đúng tên, tên '
        "viết tắt hoặc mã đơn vị.",
    ]
    assert not upload.can_confirm
    assert Task.objects.count() == 0 and SourceDocument.objects.count() == 0


def test_a_good_list_is_read_whole_then_created_at_once(user):
    built = task_list()
    upload = read(built)
    assert upload.errors == []
    assert len(upload.tasks) == 30 and upload.results_count == built.results == 33
    by_number = {int(t.order): t for t in upload.tasks}
    # Rows below a task with an empty Nhiệm vụ cell (merged cells) are its further results.
    assert [r.deadline.text for r in by_number[7].results] == ["Tháng 3/2024", "Quý III/2024", "Năm 2024"]
    assert [r.deadline.date for r in by_number[3].results] == [date(2024, 3, 31), date(2024, 6, 30)]
    # "Tháng 6" and "Trước ngày 15/4" take the plan's year; the units are those of January 2024.
    assert by_number[1].results[0].deadline.date == date(2024, 6, 30)
    assert by_number[2].results[0].deadline.date == date(2024, 4, 15)
    assert [by_number[n].unit.code for n in (1, 2, 3, 4, 5)] == ["CUC_VT", "CUC_VT", "CUC_CDSQG", "CUC_ATTT", "VU_BC"]
    # Heading rows "I. Lĩnh vực Bưu chính", "II. Lĩnh vực Viễn thông" set the sector.
    assert by_number[15].sector.code == "postal" and by_number[16].sector.code == "telecom"
    # An event without a date is accepted, with a warning that it is not counted as due.
    assert any("là sự kiện chưa có ngày" in w for w in upload.warnings) is False  # this event has its day
    created, done = excel.confirm(user, excel.dump(upload, user))
    assert len(created) == 30 and Task.objects.count() == 30 and RequiredResult.objects.count() == 33
    assert TaskChange.objects.filter(field="Tạo nhiệm vụ", source="Tệp Excel: phu-luc.xlsx").count() == 30
    plan = SourceDocument.objects.get()
    assert (plan.number, plan.issued_on) == ("45/KH-BTTTT", date(2024, 1, 15))
    assert Task.objects.get(order="12").assigned_on == date(2024, 1, 15)

    again = read(task_list())
    assert again.errors == [] and again.new_tasks == [] and len(again.warnings) == 30
    assert "đã có trong hệ thống" in again.warnings[0] and not again.can_confirm


def test_a_tampered_or_foreign_payload_creates_nothing(user):
    upload = read(task_list(tasks=3))
    token = excel.dump(upload, user)
    with pytest.raises(excel.ExcelError, match="đã bị sửa"):
        excel.confirm(user, token[:-2] + "xx")
    other = get_user_model().objects.create_user("nguoi-khac")
    with pytest.raises(excel.ExcelError, match="người dùng khác"):
        excel.confirm(other, token)
    assert Task.objects.count() == 0


def test_a_file_without_the_columns_is_refused():
    book = openpyxl.Workbook()
    book.active.append(["STT", "Nội dung công việc", "Ghi chú"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(excel.ExcelError, match="Không tìm thấy dòng tiêu đề"):
        excel.read_task_list(buffer.getvalue(), document=dict(DOCUMENT))
    with pytest.raises(excel.ExcelError, match="không phải là tệp Excel"):
        excel.read_task_list(b"TT;Nhiem vu\n1;x", filename="a.csv")


def test_the_export_reads_back(user):
    upload = read(task_list())
    excel.confirm(user, excel.dump(upload, user))
    tasks = Task.objects.with_details().order_by("id")
    data = excel.build_task_list(tasks, date(2024, 12, 31))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[4]] == ["TT", "Nhiệm vụ", "Kết quả yêu cầu", "Thời gian hoàn thành",
                                           "Cơ quan thực hiện", "Cơ quan phối hợp", "Lĩnh vực", "Tình trạng",
                                           "Ngày hoàn thành", "Kết quả / ghi chú"]
    other = dict(DOCUMENT, number="46/KH-BTTTT")
    back = excel.read_task_list(data, filename="xuat.xlsx", document=other, today=date(2024, 12, 31))
    assert back.errors == []
    assert [(t.order, t.title, t.unit.code, t.sector.code, [r.deadline.text for r in t.results]) for t in back.tasks] \
        == [(t.order, t.title, t.responsible_unit.code, t.sector.code, [r.deadline_text for r in t.results.all()])
            for t in tasks]
