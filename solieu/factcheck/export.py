"""Findings as an XLSX sheet, largest discrepancy first, each with its quotes and places."""

import io

from solieu.exports import xlsx_workbook

COLUMNS = [("STT", 5), ("Loại", 26), ("Mô tả", 70), ("Độ lệch (%)", 11), ("Vị trí", 26), ("Trích dẫn", 80),
           ("Số tính được", 16), ("Số trong văn bản", 16)]


def findings_xlsx(findings, title="Kết quả kiểm tra số liệu") -> bytes:
    out = io.BytesIO()
    book = xlsx_workbook(out)
    sheet = book.add_worksheet("Phát hiện")
    bold = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    number = book.add_format({"num_format": "#,##0.00", "valign": "top", "border": 1})
    sheet.write_string(0, 0, title, bold)
    sheet.write_string(1, 0, f"{len(findings)} phát hiện, xếp theo độ lệch giảm dần.")
    for col, (name, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write_string(3, col, name, header)
    for i, f in enumerate(findings, start=1):
        row = 3 + i
        sheet.write_number(row, 0, i, wrap)
        sheet.write_string(row, 1, f.title, wrap)
        sheet.write_string(row, 2, f.message, wrap)
        sheet.write_number(row, 3, float(f.size), number)
        sheet.write_string(row, 4, f.places, wrap)
        sheet.write_string(row, 5, "\n".join(f"{s.location}: {s.quote}" for s in f.statements), wrap)
        for col, value in ((6, f.expected), (7, f.stated)):
            if value is None:
                sheet.write_blank(row, col, None, wrap)
            else:
                sheet.write_number(row, col, float(value), number)
    sheet.freeze_panes(4, 0)
    if findings:
        sheet.autofilter(3, 0, 3 + len(findings), len(COLUMNS) - 1)
    book.close()
    return out.getvalue()
