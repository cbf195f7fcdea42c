"""The figure sheet read back with openpyxl: what a reviewer opening it in Excel would see."""

import io
import re
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from solieu.reports.renderers.xlsx import (
    CHART_SHEET, COLUMNS, FIGURE_SHEET, HEADER_ROW, KIND_LABELS, kind_label, render_figure_sheet,
    value_ids_text,
)
from solieu.reports.sample import sample_report

HEADER = HEADER_ROW + 1  # openpyxl rows are 1-based


def _book(report):
    return openpyxl.load_workbook(io.BytesIO(render_figure_sheet(report)))


def _rows(sheet):
    """The figure rows as dicts keyed by column header."""
    headers = [c.value for c in sheet[HEADER]]
    return [dict(zip(headers, (c.value for c in row))) for row in sheet.iter_rows(min_row=HEADER + 1)]


@pytest.fixture
def report():
    return sample_report()


def test_sheets_title_and_header(report):
    book = _book(report)
    assert book.sheetnames == [FIGURE_SHEET, CHART_SHEET]
    sheet = book[FIGURE_SHEET]
    assert report.title in sheet["A1"].value
    assert "6 tháng đầu năm 2023" in sheet["A2"].value and "Toàn quốc" in sheet["A2"].value
    assert [c.value for c in sheet[HEADER]] == [c[0] for c in COLUMNS]
    assert sheet[HEADER][0].font.b
    assert sheet.freeze_panes == f"A{HEADER + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER}:N{HEADER + len(report.figures)}"
    assert sheet.column_dimensions["C"].width > 30 and sheet["C5"].alignment.wrap_text


def test_every_figure_listed_in_order(report):
    rows = _rows(_book(report)[FIGURE_SHEET])
    assert len(rows) == len(report.figures)
    for index, (row, figure) in enumerate(zip(rows, report.figures), start=1):
        assert row["STT"] == index
        assert row["Mã"] == figure.key
        assert row["Nội dung"] == figure.label
        assert row["Giá trị in trong báo cáo"] == figure.text  # text, not re-read as a number
        assert isinstance(row["Giá trị chính xác"], (int, float))  # a number, not text
        assert row["Giá trị chính xác"] == pytest.approx(float(figure.value), rel=1e-12)
        assert row["Đơn vị"] == figure.unit
        assert row["Loại"] == KIND_LABELS[figure.kind]
        assert row["Chỉ tiêu"] == figure.indicator_code
        assert row["Kỳ"] == figure.period_code
        assert row["Phạm vi"] == figure.scope
        assert row["Cách tính"] == figure.derivation
        assert row["Ước tính?"] == "Ước tính"
        assert row["Chưa phê duyệt?"] is None
        assert row["Mã số liệu gốc"] == "1, 2"


def test_number_format_shows_the_exact_decimals(report):
    sheet = _book(report)[FIGURE_SHEET]
    formats = {sheet.cell(HEADER + i, 2).value: sheet.cell(HEADER + i, 5).number_format
               for i in range(1, len(report.figures) + 1)}
    assert formats["F1"] == "#,##0"
    assert formats["F2"] == "#,##0.0000"


def test_flags_missing_values_and_formula_like_text(report):
    figure = replace(report.figures[0], label="=HYPERLINK(\"http://x\")", value=None, estimate=False,
                     provisional=True, value_ids=list(range(1, 1001)), kind="unknown_kind")
    report.figures = [figure]
    row = _rows(_book(report)[FIGURE_SHEET])[0]
    assert row["Nội dung"] == figure.label  # stored as text, not a formula
    assert row["Giá trị chính xác"] is None
    assert row["Ước tính?"] is None and row["Chưa phê duyệt?"] == "Có"
    assert row["Loại"] == "unknown_kind"
    assert row["Mã số liệu gốc"].endswith("30 … và 970 mã khác (tổng 1000 mã)")


def test_value_ids_text_and_kind_labels():
    assert value_ids_text([]) == ""
    assert value_ids_text([5, 6, 7], limit=2) == "5, 6 … và 1 mã khác (tổng 3 mã)"
    assert kind_label("change_pp") == "Thay đổi (điểm phần trăm)"
    from solieu.reports.document import Figure
    assert set(KIND_LABELS) == set(Figure.KINDS)


def test_chart_data_sheet(report):
    sheet = _book(report)[CHART_SHEET]
    chart = report.charts[0]
    assert sheet["A1"].value == f"C1. {chart.title}"  # the unit is already in the title
    assert [c.value for c in sheet[2]] == ["Chuỗi số liệu", *chart.categories]
    for row, series in zip(sheet.iter_rows(min_row=3, max_row=2 + len(chart.series), values_only=True),
                           chart.series):
        assert row[0] == series.name
        assert list(row[1:]) == [float(v) for v in series.values]


def test_chart_with_gaps_and_no_charts(report):
    chart = report.charts[0]
    chart.series[0].values[2] = None
    second = replace(chart, key="C2", title="Thứ hai", series=[])
    report.charts = [chart, second]
    sheet = _book(report)[CHART_SHEET]
    assert sheet.cell(3, 4).value is None
    titles = [r[0] for r in sheet.iter_rows(values_only=True) if r[0] and re.match(r"C\d+\. ", r[0])]
    assert titles[0].startswith("C1.") and titles[1].startswith("C2. Thứ hai")

    report.charts = []
    assert _book(report)[CHART_SHEET]["A1"].value == "Báo cáo không có biểu đồ."


def test_deterministic_output(report):
    assert render_figure_sheet(report) == render_figure_sheet(sample_report())


def test_precise_decimal_survives_as_float(report):
    report.figures[1].value = Decimal("5.480519480519480519480519")
    row = _rows(_book(report)[FIGURE_SHEET])[1]
    assert row["Giá trị chính xác"] == pytest.approx(5.48051948051948)
