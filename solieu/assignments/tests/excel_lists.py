"""A 30-task appendix table as the ministry's reports have them, built for the import tests."""

import io
from dataclasses import dataclass, field

import openpyxl

UNITS = ["Vụ Bưu chính", "Cục Viễn thông", "Cục VT", "CUC_CDSQG", "Cục An toàn thông tin"]
DEADLINES = ["Quý II/2024", "Tháng 6", "Trước ngày 15/4", "30/09/2024", "Thường xuyên",
             "Khi Luật Viễn thông có hiệu lực (01/7/2024)"]
HEADER = ["TT", "Nhiệm vụ", "Kết quả yêu cầu", "Thời gian hoàn thành", "Cơ quan thực hiện", "Kết quả / ghi chú"]
MULTI = {3: ["Quý I/2024", "Tháng 6"], 7: ["Tháng 3/2024", "Quý III/2024", "Năm 2024"]}


@dataclass
class Built:
    data: bytes
    rows: dict = field(default_factory=dict)   # task number -> its first row in the sheet
    results: int = 0


def title(n):
    return f"Nhiệm vụ số {n}: hoàn thiện văn bản quy phạm pháp luật và tổ chức triển khai"


def task_list(bad=None, tasks=30) -> Built:
    """`bad`: {task number: {"unit": ..., "deadline": ...}} overriding that task's cells."""
    bad = bad or {}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    sheet.append(["PHỤ LỤC"])
    sheet.append(["DANH SÁCH NHIỆM VỤ TRỌNG TÂM NĂM 2024"])
    sheet.append([])
    sheet.append(HEADER)
    built = Built(b"")
    for n in range(1, tasks + 1):
        if n == 1:
            sheet.append(["I", "Lĩnh vực Bưu chính"])
        if n == 16:
            sheet.append(["II", "Lĩnh vực Viễn thông"])
        unit = bad.get(n, {}).get("unit", UNITS[n % len(UNITS)])
        deadlines = MULTI.get(n, [DEADLINES[n % len(DEADLINES)]])
        deadlines = [bad.get(n, {}).get("deadline", deadlines[0])] + deadlines[1:]
        first = sheet.max_row + 1
        built.rows[n] = first
        for i, deadline in enumerate(deadlines):
            if i == 0:
                sheet.append([str(n), title(n), f"Sản phẩm {n}.1", deadline, unit,
                              "Đang thực hiện" if n % 4 else ""])
            else:
                sheet.append([None, None, f"Sản phẩm {n}.{i + 1}", deadline, None, None])
            built.results += 1
        if len(deadlines) > 1:  # merged cells, as in the reports' appendices
            for col in "ABE":
                sheet.merge_cells(f"{col}{first}:{col}{first + len(deadlines) - 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    built.data = buffer.getvalue()
    return built
