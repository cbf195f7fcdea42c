"""The PDF follows the same ND30 layout as the DOCX: checked on WeasyPrint's laid-out pages."""

import copy
import shutil
import subprocess
from datetime import date

import pytest
from weasyprint.formatting_structure import boxes

from solieu.reports.renderers.pdf import render_document, render_html, render_pdf
from solieu.reports.sample import sample_report

CSS_PX_PER_CM = 96 / 2.54


def long_report():
    report = sample_report()
    report.sections = report.sections + copy.deepcopy(report.sections) + copy.deepcopy(report.sections)
    return report


def margin_boxes(page):
    """{"@top-center": "2", ...}: the text of each margin box WeasyPrint laid out on `page`."""
    found = {}
    for child in page._page_box.children:   # WeasyPrint has no public API for margin boxes
        if isinstance(child, boxes.MarginBox):
            found[child.at_keyword] = "".join(
                b.text for b in child.descendants() if isinstance(b, boxes.TextBox))
    return found


def page_text(page):
    return " ".join(b.text for b in page._page_box.descendants() if isinstance(b, boxes.TextBox))


@pytest.fixture(scope="module")
def report():
    return long_report()


@pytest.fixture(scope="module")
def document(report):
    return render_document(report)


def test_pages_are_a4(document):
    assert len(document.pages) >= 2
    for page in document.pages:
        assert page.width / CSS_PX_PER_CM == pytest.approx(21, abs=0.01)
        assert page.height / CSS_PX_PER_CM == pytest.approx(29.7, abs=0.01)


def test_body_sits_inside_nd30_margins(document):
    page = document.pages[1]._page_box
    assert page.margin_top / CSS_PX_PER_CM == pytest.approx(2, abs=0.01)
    assert page.margin_bottom / CSS_PX_PER_CM == pytest.approx(2, abs=0.01)
    assert page.margin_left / CSS_PX_PER_CM == pytest.approx(3, abs=0.01)
    assert page.margin_right / CSS_PX_PER_CM == pytest.approx(1.5, abs=0.01)


def test_page_number_from_page_two_at_the_top_centre(document):
    first, second = margin_boxes(document.pages[0]), margin_boxes(document.pages[1])
    assert "@top-center" not in first
    assert second["@top-center"] == "2"
    if len(document.pages) > 2:
        assert margin_boxes(document.pages[2])["@top-center"] == "3"


def test_draft_stamp_on_the_first_page_only(document):
    assert margin_boxes(document.pages[0]).get("@top-right") == "DỰ THẢO"
    assert "@top-right" not in margin_boxes(document.pages[1])
    final = sample_report()
    final.draft = False
    assert "DỰ THẢO" not in render_html(final)


def test_header_block_texts(document):
    text = page_text(document.pages[0])
    for expected in ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "Số:        /BC-BKHCN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 30 tháng 6 năm 2023", "BÁO CÁO"):
        assert expected in text, expected


def test_font_is_times_new_roman_or_its_metric_twin(document):
    families = {b.style["font_family"] for b in document.pages[0]._page_box.descendants()
                if isinstance(b, boxes.TextBox)}
    assert families == {("Times New Roman", "Liberation Serif", "serif")}


def test_every_figure_and_the_closing_block_are_printed(document, report):
    text = " ".join(page_text(p) for p in document.pages)
    for figure in report.figures:
        assert figure.text in text, figure.key
    assert "Nơi nhận:" in text
    assert "Nguyễn Văn A" in text
    assert "- Lưu: VT, KHTC." in text


def test_charts_are_inline_png_images(report):
    html = render_html(report)
    assert html.count('src="data:image/png;base64,') == 3
    assert html.count("<figcaption>Doanh thu dịch vụ bưu chính theo tháng (tỷ đồng)</figcaption>") == 3


def test_table_header_spans_and_repeats(report):
    html = render_html(report)
    assert '<th rowspan="2">STT</th>' in html
    assert '<th colspan="2">So sánh cùng kỳ</th>' in html
    assert "<thead>" in html                    # WeasyPrint repeats <thead> on each page
    assert '<td class="right">27.477</td>' in html


def test_bullets_start_with_a_dash(report):
    assert "<p class=\"bullet\">- Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng" in render_html(report)


def test_unsigned_report_leaves_day_and_month_blank():
    report = sample_report()
    report.issued_on = None
    assert f"Hà Nội, ngày     tháng     năm {date.today().year}" in render_html(report)


def test_text_is_escaped():
    report = sample_report()
    report.title = '<img src="http://example.invalid/x.png"> & co'
    html = render_html(report)
    assert "<img src=\"http://example.invalid" not in html
    assert "&lt;img src=&quot;http://example.invalid/x.png&quot;&gt; &amp; co" in html


def test_pdf_bytes():
    data = render_pdf(sample_report())
    assert data.startswith(b"%PDF-")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_pdf_text_layer_is_vietnamese(tmp_path, report):
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(report))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Doanh nghiệp bưu chính Việt Nam gặp khó khăn khi cạnh tranh." in text
