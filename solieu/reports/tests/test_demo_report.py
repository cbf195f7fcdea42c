"""The national six-month report of the demo data, as the ministry would download it.

Checks the layout facts of Nghị định 30/2020 on the DOCX and the PDF, and that every number
in the text is a figure of the figure sheet, printed the same way (and the other way round).
"""

import io
import re
from datetime import date

import pytest
from docx import Document
from docx.shared import Cm
from openpyxl import load_workbook

from solieu.catalog.periods import PeriodId
from solieu.collection.demo import load_demo
from solieu.reports.assemble import ReportRequest, build_report
from solieu.reports.renderers.docx import render_docx
from solieu.reports.renderers.pdf import render_document, render_pdf
from solieu.reports.renderers.xlsx import render_figure_sheet

TODAY = date(2026, 11, 23)
PERIOD = "2026S1"
NUMBER = re.compile(r"(?<![\w/])-?\d{1,3}(?:\.\d{3})*(?:,\d+)?(?![\w/])")
# Words around numbers that are not figures: years, "6 tháng", dates, times, "/100 dân".
NOT_FIGURES = [
    re.compile(r"(năm|Năm|quý [IVX]+/|tháng \d{1,2}/|đầu|cuối)\s?\d{4}"),
    re.compile(r"\b\d{1,2} tháng"), re.compile(r"tháng \d{1,2}\b"), re.compile(r"/1(00|\.000) dân"),
    re.compile(r"\d{1,2}:\d{2}"), re.compile(r"\d{1,2}/\d{1,2}/\d{4}"), re.compile(r"\bKT1\b"),
    re.compile(r"\bIPv6\b"), re.compile(r"Quý [IVX]+"), re.compile(r"\bT\d{1,2}\b"),
    re.compile(r"\b[A-Z]+(?:-[A-Z0-9]+)+"),   # form codes: BCCP-02
]


@pytest.fixture(scope="module")
def report(catalog, django_db_blocker):
    from solieu.assignments.demo import load_demo_tasks

    with django_db_blocker.unblock():
        load_demo(TODAY)
        load_demo_tasks(TODAY)
        return build_report(ReportRequest(PeriodId.parse(PERIOD)), link=lambda f, r: "")


@pytest.fixture(scope="module")
def docx(report):
    return Document(io.BytesIO(render_docx(report)))


@pytest.fixture(scope="module")
def sheet(report):
    book = load_workbook(io.BytesIO(render_figure_sheet(report)))
    rows = list(book["Số liệu"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    names = rows[header]
    return [dict(zip(names, r)) for r in rows[header + 1:] if r and r[0] is not None]


def body_texts(doc):
    """The report's own text: paragraphs and table cells between the header and closing blocks,
    headings, header rows and the first column (STT, names) left out, and the appendix of tasks,
    whose titles quote documents ("Nghị định 02/2022"), too."""
    texts = [p.text for p in doc.paragraphs if not p.style.name.startswith("Heading")]
    for table in doc.tables[1:-1]:   # the first is the header block, the last the signature
        if table.rows[0].cells[0].text.strip() == "TT":
            continue
        body = [row for row in table.rows if row._tr.trPr is None or "tblHeader" not in row._tr.trPr.xml]
        for row in body:
            texts += [cell.text for cell in row.cells[1:]]
    return texts


def numbers_in(text):
    for pattern in NOT_FIGURES:
        text = pattern.sub(" ", text)
    return [m.group().lstrip("-") for m in NUMBER.finditer(text)]


@pytest.mark.django_db
def test_the_report_has_the_seeds_structure(report):
    headings = [s.heading for s in report.sections]
    assert headings[0] == "I. SỐ LIỆU TỔNG QUAN NGÀNH"
    assert "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ" in headings[-2]
    assert headings[-1].endswith("TÌNH HÌNH THỰC HIỆN CHẾ ĐỘ BÁO CÁO")
    assert len(report.figures) > 80 and len(report.charts) >= 3


@pytest.mark.django_db
def test_docx_layout_follows_nd30(docx):
    section = docx.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert [round(m.cm, 2) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)] == [2.0, 2.0, 3.0, 1.5]
    normal = docx.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt in (13, 14)
    header_block = "\n".join(c.text for row in docx.tables[0].rows for c in row.cells)
    for expected in ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "/BC-BKHCN", "Hà Nội, ngày"):
        assert expected in header_block
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml
    closing = "\n".join(c.text for row in docx.tables[-1].rows for c in row.cells)
    assert "Nơi nhận:" in closing and "KT. BỘ TRƯỞNG" in closing
    assert len(docx.inline_shapes) >= 3 and all(s.width <= Cm(17) for s in docx.inline_shapes)


@pytest.mark.django_db
def test_pdf_layout_follows_nd30(report):
    assert render_pdf(report).startswith(b"%PDF")
    document = render_document(report)
    assert len(document.pages) >= 3
    from .test_render_pdf import CSS_PX_PER_CM, margin_boxes, page_text

    first, second = document.pages[0], document.pages[1]
    assert round(first.width / CSS_PX_PER_CM, 1) == 21.0 and round(first.height / CSS_PX_PER_CM, 1) == 29.7
    assert not margin_boxes(first).get("@top-center") and margin_boxes(second).get("@top-center") == "2"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page_text(first)


@pytest.mark.django_db
def test_every_number_in_the_text_is_on_the_figure_sheet(report, docx, sheet):
    printed = {row["Giá trị in trong báo cáo"] for row in sheet}
    text = body_texts(docx)
    strays = sorted({n for t in text for n in numbers_in(t) if n not in printed})
    assert strays == [], f"numbers in the report that are not figures of the sheet: {strays[:20]}"
    whole = "\n".join(text)
    missing = [f.text for f in report.figures if f.text not in whole]
    assert missing == []


@pytest.mark.django_db
def test_the_sheet_gives_each_figure_its_exact_value_and_derivation(report, sheet):
    assert len(sheet) == len(report.figures)
    for row, fig in zip(sheet, report.figures):
        assert row["Mã"] == fig.key and row["Giá trị in trong báo cáo"] == fig.text
        assert row["Cách tính"] == fig.derivation
        if fig.kind == "value":
            assert fig.value_ids and fig.derivation
