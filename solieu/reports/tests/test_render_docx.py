"""The DOCX follows Nghị định 30/2020/NĐ-CP: read the file back and check the layout facts."""

import copy
import io
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from solieu.reports.renderers.docx import render_docx
from solieu.reports.sample import sample_report


def long_report():
    """The sample three times over: long enough for several pages and charts."""
    report = sample_report()
    report.sections = report.sections + copy.deepcopy(report.sections) + copy.deepcopy(report.sections)
    return report


def read(report):
    return Document(io.BytesIO(render_docx(report)))


def paragraph_texts(element):
    """Text of every paragraph under `element`, tables included, in document order."""
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in element.iter(qn("w:p"))]


def cell_texts(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def report():
    return long_report()


@pytest.fixture(scope="module")
def doc(report):
    return read(report)


@pytest.fixture(scope="module")
def body_text(doc):
    return "\n".join(paragraph_texts(doc.element.body))


def test_page_is_a4_with_nd30_margins(doc):
    section = doc.sections[0]
    assert section.page_width.cm == pytest.approx(21, abs=0.01)
    assert section.page_height.cm == pytest.approx(29.7, abs=0.01)
    assert section.top_margin.cm == pytest.approx(2, abs=0.01)
    assert section.bottom_margin.cm == pytest.approx(2, abs=0.01)
    assert section.left_margin.cm == pytest.approx(3, abs=0.01)
    assert section.right_margin.cm == pytest.approx(1.5, abs=0.01)


def test_normal_style_is_times_new_roman_14_in_every_script_slot(doc):
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert rfonts.get(qn(slot)) == "Times New Roman"
    assert rfonts.get(qn("w:asciiTheme")) is None


def test_header_block_is_a_borderless_two_column_table(doc, report):
    header = doc.tables[0]
    assert len(header.columns) == 2
    left = "\n".join(header.cell(r, 0).text for r in range(len(header.rows)))
    right = "\n".join(header.cell(r, 1).text for r in range(len(header.rows)))
    assert "BỘ KHOA HỌC VÀ CÔNG NGHỆ" in left
    assert "Số:        /BC-BKHCN" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert "Hà Nội, ngày 30 tháng 6 năm 2023" in right
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"nil"}
    # The number and the date share a row, as in the ND30 template.
    assert "Số:" in header.cell(1, 0).text and "Hà Nội" in header.cell(1, 1).text


def test_issuer_is_bold_and_national_lines_are_bold_and_date_italic(doc):
    header = doc.tables[0]
    issuer_run = header.cell(0, 0).paragraphs[0].runs[0]
    assert issuer_run.text == "BỘ KHOA HỌC VÀ CÔNG NGHỆ" and issuer_run.bold
    nation = [p for p in header.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in nation] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(p.runs[0].bold for p in nation)
    assert header.cell(1, 1).paragraphs[0].runs[0].italic


def test_lines_under_the_issuer_and_the_motto(doc):
    header = doc.tables[0]
    for cell in (header.cell(0, 0), header.cell(0, 1)):
        ruled = [p for p in cell.paragraphs if p._p.find(".//" + qn("w:pBdr")) is not None]
        assert len(ruled) == 1 and ruled[0].text == ""


def test_issuing_parent_comes_first_upright(report):
    report = sample_report()
    report.issuing_parent = "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
    report.issuing_body = "Sở Khoa học và Công nghệ"
    header = read(report).tables[0]
    texts = [p.text for p in header.cell(0, 0).paragraphs if p.text]
    assert texts == ["ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    parent, body = [p for p in header.cell(0, 0).paragraphs if p.text]
    assert not parent.runs[0].bold and body.runs[0].bold


def test_unsigned_report_leaves_day_and_month_blank():
    report = sample_report()
    report.issued_on = None
    right = read(report).tables[0].cell(1, 1).text
    assert right == f"Hà Nội, ngày     tháng     năm {date.today().year}"


def test_title_block(doc, report):
    texts = [p.text for p in doc.paragraphs]
    index = texts.index("BÁO CÁO")
    assert texts[index + 1] == report.title
    for paragraph in doc.paragraphs[index:index + 2]:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in paragraph.runs)


def test_page_numbers_from_page_two_at_the_top(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer is True
    primary = section.header._element.xml
    first = section.first_page_header._element.xml
    assert 'w:fldCharType="begin"' in primary and 'w:fldCharType="end"' in primary
    assert "PAGE" in "".join(t.text for t in section.header._element.iter(qn("w:instrText")))
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "fldChar" not in first and "instrText" not in first


def test_draft_stamp_only_on_drafts(doc):
    assert "DỰ THẢO" in doc.sections[0].first_page_header.paragraphs[0].text
    report = sample_report()
    report.draft = False
    final = read(report)
    assert "DỰ THẢO" not in final.sections[0].first_page_header._element.xml
    assert "DỰ THẢO" not in "\n".join(paragraph_texts(final.element.body))


def test_every_figure_is_printed(body_text, report):
    for figure in report.figures:
        assert figure.text in body_text, figure.key


def test_headings_use_outline_styles(doc):
    by_text = {p.text: p.style.name for p in doc.paragraphs}
    assert by_text["I. SỐ LIỆU TỔNG QUAN NGÀNH"] == "Heading 1"
    assert by_text["1. Lĩnh vực Bưu chính"] == "Heading 2"
    assert by_text["1.1. Sự phát triển của lĩnh vực"] == "Heading 3"
    heading3 = doc.styles["Heading 3"]
    assert heading3.font.bold and heading3.font.italic
    assert doc.styles["Heading 1"].font.bold and not doc.styles["Heading 1"].font.italic


def test_body_paragraphs_are_justified_with_first_line_indent(doc):
    style = doc.styles["Report Body"].paragraph_format
    assert style.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 1.0 <= style.first_line_indent.cm <= 1.27 + 0.01
    assert style.space_before == Pt(6) and style.space_after == Pt(6)
    assert 1.15 <= style.line_spacing <= 1.3


def test_bullets_start_with_a_dash(doc):
    bullets = [p for p in doc.paragraphs if p.style.name == "Report Bullet"]
    assert bullets and all(p.text.startswith("- ") for p in bullets)
    assert not any(p.text.startswith("- - ") for p in bullets)


def test_runs_keep_bold_and_italic():
    report = sample_report()
    report.sections[2].blocks[0].runs[0].bold = True
    report.sections[2].blocks[0].runs[0].italic = True
    doc = read(report)
    run = next(r for p in doc.paragraphs for r in p.runs if r.text.startswith("32/34"))
    assert run.bold and run.italic


def test_data_table_has_borders_repeated_merged_header_and_alignment(doc):
    table = next(t for t in doc.tables if "Nhóm chỉ tiêu, tên chỉ tiêu" in t.cell(0, 1).text)
    assert table._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "single"
    header_rows = [row for row in table.rows if row._tr.trPr is not None
                   and row._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(header_rows) == 2
    rows = cell_texts(table)
    assert rows[0][3] == rows[0][4] == "So sánh cùng kỳ"            # colspan 2
    assert rows[0][0] == rows[1][0] == "STT"                        # same text below: one cell
    assert rows[1][3:] == ["Năm 2022", "Tăng trưởng", "Kế hoạch năm 2023", "Tỷ lệ so với KH năm"]
    header_cell = table.cell(0, 1).paragraphs[0]
    assert header_cell.alignment == WD_ALIGN_PARAGRAPH.CENTER and header_cell.runs[0].bold
    value = table.cell(2, 2).paragraphs[0]
    assert value.text == "27.477" and value.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert doc.styles["Report Table Text"].font.size == Pt(12)
    widths = [col.width.cm for col in table.columns]
    assert sum(widths) == pytest.approx(16.5, abs=0.05)
    assert widths[1] == max(widths)                                 # "Chỉ tiêu" is the wide one


def test_one_picture_per_chart_with_its_caption(doc, report, body_text):
    charts = [b for _, b in report.walk() if type(b).__name__ == "Chart"]
    pictures = doc.element.body.findall(".//" + qn("wp:inline"))
    assert len(pictures) == len(charts) == 3
    assert all(abs(int(p.find(qn("wp:extent")).get("cx")) / 360000 - 16) < 0.01 for p in pictures)
    captions = [p for p in doc.paragraphs if p.text == charts[0].title]
    assert len(captions) == 3 and all(p.runs[0].italic for p in captions)


def test_closing_block_with_recipients_and_signer(doc, report):
    closing = doc.tables[-1]
    recipients, signer = closing.rows[0].cells
    lines = [p.text for p in recipients.paragraphs]
    assert lines[0] == "Nơi nhận:"
    label = recipients.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    assert lines[1:] == [f"- {r}" for r in report.recipients]
    signer_lines = [p.text for p in signer.paragraphs if p.text]
    assert signer_lines == ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Văn A"]
    assert all(p.runs[0].bold for p in signer.paragraphs if p.text)


def test_core_properties(doc, report):
    assert doc.core_properties.title == report.title
    assert doc.core_properties.author == "solieu"


def test_text_is_not_interpreted():
    report = sample_report()
    report.title = "Báo cáo <b>&amp; \"ký hiệu\"</b>"
    doc = read(report)
    assert report.title in [p.text for p in doc.paragraphs]
