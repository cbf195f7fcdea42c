"""Template helpers for drawing a `document.Report` as HTML (`reports/_report_body.html`).

The templates keep the page structure; what needs Python (telling block types apart, joining
runs without stray whitespace, merging table headers, turning Decimals into chart JSON) lives
here. Everything returned as markup goes through `format_html`, so text from the report is
always escaped.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from solieu.vi.dates import place_date_line

from ..document import Chart, Figure, Paragraph, Report, Run, Section, Table

register = template.Library()

# Shown where the decree leaves the date blank for the signer to fill in by hand.
BLANK = "\u00a0" * 6


@register.filter
def block_kind(block) -> str:
    """"section" | "paragraph" | "table" | "chart" (the template switches on it)."""
    for kind, cls in (("section", Section), ("paragraph", Paragraph), ("table", Table), ("chart", Chart)):
        if isinstance(block, cls):
            return kind
    return ""


@register.filter
def heading_level(section: Section) -> int:
    """h2 for "I. ...", h3 for "1. ...", ...: the report title is the page's h1."""
    return min(max(section.level, 1) + 1, 6)


@register.filter
def place_date(report: Report) -> str:
    """"Hà Nội, ngày 30 tháng 6 năm 2023", or with blanks when the date is left for signing."""
    if report.issued_on:
        return place_date_line(report.place, report.issued_on)
    return f"{report.place.strip()}, ngày{BLANK}tháng{BLANK}năm{BLANK}"


def figure_classes(figure: Figure) -> str:
    classes = ["fig"]
    if figure.estimate:
        classes.append("fig-estimate")
    if figure.provisional:
        classes.append("fig-provisional")
    return " ".join(classes)


def figure_title(figure: Figure) -> str:
    """The tooltip: what the number is and how it was computed."""
    return f"{figure.label}: {figure.derivation}" if figure.derivation else figure.label


def _safe_link(link: str) -> bool:
    """Only our own pages (or http[s]): escaping does not make a "javascript:" URL harmless."""
    return link.startswith(("/", "http://", "https://")) and not link.startswith("//")


def render_run(run: Run) -> SafeString:
    if run.figure is None:
        html = format_html("{}", run.text)
    elif _safe_link(run.figure.link):
        html = format_html('<a class="{}" href="{}" data-figure="{}" title="{}">{}</a>',
                           figure_classes(run.figure), run.figure.link, run.figure.key,
                           figure_title(run.figure), run.text)
    else:
        html = format_html('<span class="{}" data-figure="{}" title="{}">{}</span>',
                           figure_classes(run.figure), run.figure.key, figure_title(run.figure), run.text)
    if run.italic:
        html = format_html("<em>{}</em>", html)
    if run.bold:
        html = format_html("<strong>{}</strong>", html)
    return html


@register.simple_tag
def runs(items: list[Run]) -> SafeString:
    """The runs of a paragraph or cell, joined without the whitespace a template loop adds
    (it would split "27.477" from "%")."""
    return mark_safe("".join(render_run(r) for r in items))


@register.simple_tag
def report_legend(report: Report) -> dict:
    """Which figure marks the report uses, so the legend explains only those."""
    return {
        "figures": bool(report.figures),
        "estimate": any(f.estimate for f in report.figures),
        "provisional": any(f.provisional for f in report.figures),
    }


@register.simple_tag
def table_header(table: Table) -> list[list[dict]]:
    """Header rows as cells {text, colspan, rowspan}: `header_rows`, then `columns`.

    As in the printed tables, a single-column cell of `header_rows` spans down to the bottom
    of the header ("STT", "Nhóm chỉ tiêu, tên chỉ tiêu" next to "So sánh cùng kỳ" over
    "Năm 2022 | Tăng trưởng"): `columns` then only shows under the spanning groups. Between
    header rows, a cell spans down only over the same text repeated below it.
    """
    rows = [list(r) for r in table.header_rows] + [[(c, 1) for c in table.columns]]
    placed = [_place(row) for row in rows]   # per row: {start column: (text, colspan)}
    last = len(placed) - 1
    consumed: set[tuple[int, int]] = set()
    result = []
    for r, row in enumerate(placed):
        cells = []
        for start, (text, colspan) in row.items():
            if (r, start) in consumed:
                continue
            rowspan = 1
            while colspan == 1 and r + rowspan <= last:
                below = placed[r + rowspan].get(start)
                if below is None or below[1] != 1 or (below[0] != text and r + rowspan != last):
                    break
                consumed.add((r + rowspan, start))
                rowspan += 1
            cells.append({"text": text, "colspan": colspan, "rowspan": rowspan, "row": r})
        result.append(cells)
    # A row left empty (every cell spanned over it) is dropped, and the spans with it.
    empty = [r for r, cells in enumerate(result) if not cells]
    for cells in result:
        for cell in cells:
            cell["rowspan"] -= sum(1 for r in empty if cell["row"] < r < cell["row"] + cell["rowspan"])
    return [cells for cells in result if cells]


def _place(row: list[tuple[str, int]]) -> dict[int, tuple[str, int]]:
    placed, column = {}, 0
    for text, colspan in row:
        colspan = max(int(colspan or 1), 1)
        placed[column] = (text, colspan)
        column += colspan
    return placed


@register.filter
def column_widths(table: Table) -> list[str]:
    """Relative widths as percentages for <col width>: the CSP forbids style attributes."""
    widths = [float(w) for w in table.widths if w and float(w) > 0]
    if len(widths) != len(table.columns):
        return []
    total = sum(widths)
    return [f"{w * 100 / total:.1f}%" for w in widths]


@register.filter
def cell_class(cell) -> str:
    return f"al-{cell.align}" if cell.align in ("left", "right", "center") else "al-left"


def _number(value: Decimal | None) -> float | None:
    if value is None or not Decimal(value).is_finite():
        return None
    return float(value)


def chart_data(chart: Chart) -> dict:
    return {
        "title": chart.title,
        "kind": chart.kind,
        "categories": list(chart.categories),
        "series": [{"name": s.name, "values": [_number(v) for v in s.values]} for s in chart.series],
        "unit": chart.unit,
    }


@register.simple_tag
def report_charts(report: Report) -> dict:
    """The report's charts for the page: {"data": {key: chart JSON} for `json_script` and
    `report.js`, "keys": {id(chart): key}} so that a chart met while walking the sections
    finds its key even when assembly left `key` empty."""
    charts = list(report.charts)
    known = {id(c) for c in charts}
    for _section, block in report.walk():   # a chart placed in a section but not listed
        if isinstance(block, Chart) and id(block) not in known:
            charts.append(block)
            known.add(id(block))
    keys = {id(chart): chart.key or f"C{i}" for i, chart in enumerate(charts, start=1)}
    return {"data": {keys[id(c)]: chart_data(c) for c in charts}, "keys": keys}


@register.filter
def key_of(chart: Chart, keys: dict) -> str:
    return keys.get(id(chart), chart.key)
