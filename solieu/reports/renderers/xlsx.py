"""The figure sheet (bảng số liệu): every number printed in a report, with its derivation.

A reader who doubts "tăng 5,48%" in the text looks the figure up here by its key and finds
the exact value before rounding, how it was computed and which stored values it rests on.
The sheet is drawn from `report.figures`, the same objects the text was written from, so the
two cannot disagree. A second sheet gives the data behind each chart, which reviewers ask for
when they redraw charts in their own style.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from solieu.catalog.periods import PeriodError, PeriodId
from solieu.exports import xlsx_workbook

from ..document import Chart, Figure, Report

KIND_LABELS = {
    "value": "Số liệu kỳ này",
    "previous": "Cùng kỳ năm trước",
    "change_pct": "Tăng trưởng (%)",
    "change_pp": "Thay đổi (điểm phần trăm)",
    "change_abs": "Thay đổi",
    "plan": "Kế hoạch năm",
    "plan_share": "Tỷ lệ so với kế hoạch",
    "per_capita": "Bình quân theo dân số",
    "count": "Số đơn vị",
    "rank": "Thứ hạng",
}

# (header, width in characters, wrap): one entry per column of the figure sheet.
COLUMNS = [
    ("STT", 5, False),
    ("Mã", 6, False),
    ("Nội dung", 36, True),
    ("Giá trị in trong báo cáo", 13, False),
    ("Giá trị chính xác", 15, False),
    ("Đơn vị", 10, False),
    ("Loại", 18, True),
    ("Chỉ tiêu", 18, False),
    ("Kỳ", 8, False),
    ("Phạm vi", 14, True),
    ("Cách tính", 42, True),
    ("Ước tính?", 9, False),
    ("Chưa phê duyệt?", 10, False),
    ("Mã số liệu gốc", 28, True),
]

FIGURE_SHEET = "Số liệu"
CHART_SHEET = "Biểu đồ"
HEADER_ROW = 3          # 0-based: title, subtitle, blank line, then the header
MAX_DECIMALS = 8        # beyond this a float no longer carries the digits anyway
MAX_IDS = 30            # a national total rests on thousands of values; the cell stays readable
LINE_HEIGHT = 15        # points per line of the default 11 pt font
MAX_LINES = 8
FALLBACK_CREATED = datetime(2000, 1, 1)


def render_figure_sheet(report: Report) -> bytes:
    """The .xlsx bytes of the figure sheet and the chart data sheet of `report`.

    Same report, same bytes: the document properties carry a date taken from the report
    rather than the clock, so a re-generated sheet does not look changed to an archive.
    """
    buffer = io.BytesIO()
    # Text goes in as text: a label starting with "=" must not become a formula, and a
    # printed "27.477" must not be re-read as a number.
    workbook = xlsx_workbook(buffer)
    workbook.set_properties({
        "title": f"Bảng số liệu - {report.title}",
        "subject": _period_label(report),
        "author": report.issuing_body,
        "company": report.issuing_body,
        "created": _created(report),
    })
    styles = _Styles(workbook)
    _write_figures(workbook.add_worksheet(FIGURE_SHEET), report, styles)
    _write_charts(workbook.add_worksheet(CHART_SHEET), report, styles)
    workbook.close()
    return buffer.getvalue()


def kind_label(kind: str) -> str:
    """The Vietnamese name of a figure kind; an unknown kind is shown as it is."""
    return KIND_LABELS.get(kind, kind)


def value_ids_text(ids: list[int], limit: int = MAX_IDS) -> str:
    """"1, 2, 3"; beyond `limit` ids the rest is counted rather than listed."""
    shown = ", ".join(str(i) for i in ids[:limit])
    if len(ids) <= limit:
        return shown
    return f"{shown} … và {len(ids) - limit} mã khác (tổng {len(ids)} mã)"


class _Styles:
    """The formats of the workbook, made once: XlsxWriter stores one record per format."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.title = workbook.add_format({"bold": True, "font_size": 13})
        self.subtitle = workbook.add_format({"italic": True})
        self.header = workbook.add_format({
            "bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
            "align": "center", "valign": "vcenter"})
        self.text = workbook.add_format({"border": 1, "valign": "top"})
        self.wrap = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True})
        self.right = workbook.add_format({"border": 1, "valign": "top", "align": "right"})
        self.center = workbook.add_format({"border": 1, "valign": "top", "align": "center"})
        self.chart_title = workbook.add_format({"bold": True})
        self._numbers: dict[int, object] = {}

    def number(self, decimals: int):
        """'#,##0.00'-style format with exactly the decimals the value has (Excel shows the
        locale's separators, "27.477,5" on a Vietnamese machine)."""
        if decimals not in self._numbers:
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            self._numbers[decimals] = self.workbook.add_format(
                {"border": 1, "valign": "top", "num_format": pattern})
        return self._numbers[decimals]


def _write_figures(sheet, report: Report, styles: _Styles) -> None:
    last_col = len(COLUMNS) - 1
    sheet.merge_range(0, 0, 0, last_col, f"Bảng số liệu: {report.doc_type} {report.title}".strip(),
                      styles.title)
    sheet.merge_range(1, 0, 1, last_col, _subtitle(report), styles.subtitle)
    for col, (header, width, wrap) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write_string(HEADER_ROW, col, header, styles.header)
    sheet.set_row(HEADER_ROW, 32)
    for index, figure in enumerate(report.figures, start=1):
        _write_figure(sheet, HEADER_ROW + index, index, figure, styles)
    last_row = HEADER_ROW + max(len(report.figures), 1)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.autofilter(HEADER_ROW, 0, last_row, last_col)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)


def _write_figure(sheet, row: int, index: int, figure: Figure, styles: _Styles) -> None:
    cells = [
        str(index), figure.key, figure.label, figure.text, None, figure.unit,
        kind_label(figure.kind), figure.indicator_code, figure.period_code, figure.scope,
        figure.derivation, "Ước tính" if figure.estimate else "", "Có" if figure.provisional else "",
        value_ids_text(figure.value_ids),
    ]
    # XlsxWriter cannot measure text and LibreOffice does not grow rows on opening: the
    # height of a row with wrapped text is estimated from its longest cell.
    lines = max(wrapped_lines(text, COLUMNS[col][1]) for col, text in enumerate(cells) if COLUMNS[col][2])
    if lines > 1:
        sheet.set_row(row, LINE_HEIGHT * min(lines, MAX_LINES))
    for col, text in enumerate(cells):
        if col == 4:
            _write_decimal(sheet, row, col, figure.value, styles)
        elif col == 0:
            sheet.write_number(row, col, index, styles.center)
        elif col == 3:
            sheet.write_string(row, col, text, styles.right)
        elif text:
            sheet.write_string(row, col, text, styles.wrap if COLUMNS[col][2] else styles.text)
        else:  # truly empty, so that the autofilter offers "(Blanks)"
            sheet.write_blank(row, col, None, styles.text)


def wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes in a wrapped column `width` characters wide (about).

    XlsxWriter cannot measure text and LibreOffice does not grow rows on opening, so sheets
    with wrapped text set their row heights from this estimate."""
    usable = max(int(width * 1.2) - 1, 1)   # text is narrower than the "0" the width counts
    return sum(max(1, -(-len(part) // usable)) for part in (text or "").split("\n"))


def _write_decimal(sheet, row: int, col: int, value: Decimal | None, styles: _Styles) -> None:
    """An exact value as an Excel number; a missing or non-finite one as an empty cell."""
    if value is None or not Decimal(value).is_finite():
        sheet.write_blank(row, col, None, styles.text)
        return
    sheet.write_number(row, col, float(value), styles.number(_decimals(Decimal(value))))


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return min(max(-exponent, 0), MAX_DECIMALS) if isinstance(exponent, int) else 0


def _write_charts(sheet, report: Report, styles: _Styles) -> None:
    """Per chart: its title, the categories as a header row, one row per series."""
    widest = max((len(c.categories) for c in report.charts), default=0)
    sheet.set_column(0, 0, 28)
    if widest:
        sheet.set_column(1, widest, 12)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    if not report.charts:
        sheet.write_string(0, 0, "Báo cáo không có biểu đồ.", styles.subtitle)
        return
    row = 0
    for number, chart in enumerate(report.charts, start=1):
        row = _write_chart(sheet, row, number, chart, styles) + 1


def _write_chart(sheet, row: int, number: int, chart: Chart, styles: _Styles) -> int:
    """Writes one chart's table from `row`; returns the row after it."""
    key = chart.key or f"C{number}"
    unit = f" (đơn vị: {chart.unit})" if chart.unit and chart.unit not in chart.title else ""
    sheet.write_string(row, 0, f"{key}. {chart.title}{unit}", styles.chart_title)
    row += 1
    sheet.write_string(row, 0, "Chuỗi số liệu", styles.header)
    for col, category in enumerate(chart.categories, start=1):
        sheet.write_string(row, col, category, styles.header)
    row += 1
    for series in chart.series:
        sheet.write_string(row, 0, series.name, styles.text)
        for col, value in enumerate(series.values, start=1):
            _write_decimal(sheet, row, col, value, styles)
        row += 1
    return row


def _period_label(report: Report) -> str:
    try:
        return PeriodId.parse(report.period_code).label_title()
    except (PeriodError, ValueError, TypeError):
        return report.period_code


def _subtitle(report: Report) -> str:
    parts = []
    if report.period_code:
        label = _period_label(report)
        parts.append(f"Kỳ báo cáo: {label}" + (f" ({report.period_code})" if label != report.period_code else ""))
    if report.scope_label:
        parts.append(f"Phạm vi: {report.scope_label}")
    parts.append(f"{len(report.figures)} số liệu")
    if report.draft:
        parts.append("DỰ THẢO")
    return " · ".join(parts)


def _created(report: Report) -> datetime:
    """A date that belongs to the report (issue date, else end of period), not the clock."""
    day: date | None = report.issued_on
    if day is None:
        try:
            day = PeriodId.parse(report.period_code).end_date
        except (PeriodError, ValueError, TypeError):
            return FALLBACK_CREATED
    return datetime(day.year, day.month, day.day)
