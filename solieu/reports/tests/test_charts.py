"""Charts are drawn for print: right size, Vietnamese text and numbers, gaps for missing values."""

import io
import warnings
from decimal import Decimal

import pytest
from PIL import Image

from solieu.reports.charts import _tick_text, font_files, render_png
from solieu.reports.document import Chart, Series
from solieu.reports.sample import sample_report

PNG = b"\x89PNG\r\n\x1a\n"


def _chart(kind, series=None, categories=None):
    return Chart(
        title="Doanh thu theo tỉnh, thành phố (tỷ đồng)", kind=kind,
        categories=categories or ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Thừa Thiên Huế"],
        series=series or [Series("Năm 2023", [Decimal("12345.6"), Decimal(9876), None, Decimal("800.25")])],
        unit="tỷ đồng",
    )


@pytest.mark.parametrize("kind", ["bar", "line", "barh"])
def test_each_kind_renders_a_png_of_the_requested_width(kind):
    data = render_png(_chart(kind), width_cm=16, dpi=150)
    assert data.startswith(PNG)
    width, height = Image.open(io.BytesIO(data)).size
    assert abs(width - 16 / 2.54 * 150) <= 1   # matplotlib truncates 944.9 px
    assert 0 < height < width * 1.5


def test_sample_line_chart_with_two_series_and_a_legend():
    chart = sample_report().charts[0]
    assert chart.kind == "line" and len(chart.series) == 2
    assert render_png(chart).startswith(PNG)


def test_vietnamese_text_has_every_glyph():
    """A missing glyph is only a warning in matplotlib; here it must fail the test."""
    chart = _chart("bar", series=[Series("Năm 2022 (ước đạt)", [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]),
                                  Series("Năm 2023 (kế hoạch)", [Decimal(2), None, Decimal(4), Decimal(5)])])
    chart.title = "Tỷ lệ hộ gia đình sử dụng Internet cáp quang: ỷ ạ ố ễ ữ đ"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render_png(chart)


def test_fonts_are_a_serif_with_vietnamese_letters():
    names = {p.name for p in font_files().values()}
    assert names <= {"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
                     "LiberationSerif-BoldItalic.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
                     "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"}
    assert all(p.exists() for p in font_files().values())


@pytest.mark.parametrize("value, text", [
    (4400.0, "4.400"), (0.5, "0,5"), (-1200.0, "-1.200"), (0.30000000000000004, "0,3"), (-0.0, "0"),
    (12500000.0, "12.500.000"),
])
def test_axis_numbers_are_written_the_vietnamese_way(value, text):
    assert _tick_text(value) == text


def test_missing_values_are_gaps_not_errors():
    for kind in ("bar", "line", "barh"):
        chart = _chart(kind, series=[Series("A", [None, Decimal(3), None, Decimal(-2)]),
                                     Series("B", [None, None, None, None])])
        assert render_png(chart).startswith(PNG)


def test_a_chart_without_any_value_still_renders():
    chart = _chart("line", series=[Series("A", [None] * 4)])
    assert render_png(chart).startswith(PNG)


def test_same_chart_gives_the_same_bytes_and_no_software_chunk():
    chart = sample_report().charts[0]
    first = render_png(chart)
    assert first == render_png(chart)
    assert b"Software" not in first and b"matplotlib" not in first


def test_title_can_be_left_to_the_caption():
    chart = sample_report().charts[0]
    assert render_png(chart, show_title=False) != render_png(chart)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        render_png(_chart("pie"))
