"""Figure statements from the report's tables (rows of cells with a header on top).

The overview tables of the half-year reports have a two-level header:

    STT | Nhóm chỉ tiêu | 6 tháng đầu năm 2022 | So sánh cùng kỳ lũy kế ... |             | So sánh với kế hoạch năm |
        |               |                      | Năm 2021                   | Tăng trưởng | Kế hoạch năm 2022        | Tỷ lệ so với KH năm

so a column's meaning is read from its lowest header cell first ("Tăng trưởng", "Kế hoạch năm
2022") and from the cells above when that is not enough ("Năm 2021" under "So sánh cùng kỳ" is the
previous value, not a figure of 2021 in its own right). An empty cell of an upper header row
belongs to the merged cell on its left when the row below has a cell there, as Word exports it.

The value column is the one of the document's period (or "Lũy kế ..."); other period columns
(months, quarters) give statements of their own. In a half-year report, a column headed by the
year ("2022") next to a forecast of the whole year ("Dự kiến cả năm") holds the half year, and a
growth column then compares the whole-year forecast with the year before it ("2021"), the column
of the same kind of period. The row's label names the indicator, with the
unit in parentheses ("Doanh thu (tỷ đồng)"); the table's caption line helps when the label alone
is vague ("Trong nước" under "Doanh thu dịch vụ Truyền hình trả tiền OTTTV").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from solieu.catalog.periods import PeriodId, PeriodType
from solieu.factcheck.extract_numbers import Figure, find_figures
from solieu.factcheck.extract_periods import find_periods, header_period, shift_year
from solieu.factcheck.extract_sentences import Change, Draft
from solieu.factcheck.names import fold
from solieu.factcheck.read import Table

__all__ = ["table_drafts"]

_SUPERSCRIPTS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺]+|\(\*\)")
_LABEL_UNIT = re.compile(r"\(([^()]{1,25})\)\s*$")
_STT = re.compile(r"^\s*(?:\d{1,2}|[IVX]+|[a-z])\.?\s*$")


@dataclass
class Column:
    index: int
    role: str                      # label | index | value | previous | change | plan_value | plan_share | unknown
    period: PeriodId | None = None
    same_period: bool = False      # "So sánh cùng kỳ": the base is the value's period a year earlier
    estimate: bool = False
    header: str = ""
    unit: str = ""


def _numeric(cell: str, year: int | None) -> list[Figure]:
    cell = re.sub(r"^\s*\(\d{1,2}\)\s*", " ", cell)       # "(1) % GDP Kinh tế số ICT" is a label
    if not cell.strip():
        return []
    masked = [(m.start, m.end) for m in find_periods(cell, year, header=True)]
    return find_figures(cell, masked)


def table_drafts(table: Table, *, caption: str = "", caption_unit: str = "", year: int | None,
                 document_period: PeriodId | None, convention: str = "vi") -> list[Draft]:
    width = max(len(row) for row in table.rows)
    rows = [[_SUPERSCRIPTS.sub("", c).strip() for c in row] + [""] * (width - len(row)) for row in table.rows]
    first_data = next(
        (i for i, row in enumerate(rows) if sum(1 for c in row[1:] if _numeric(c, year)) >= 1
         and not all(_STT.match(c) or not c for c in row[1:])),
        None,
    )
    if first_data is None:
        return []
    header_rows = rows[:first_data]
    data = [(table.lines[i], row) for i, row in enumerate(rows) if i >= first_data]
    columns = _columns(header_rows, [row for _, row in data], width, year)
    label = next((c for c in columns if c.role == "label"), None)
    values = [c for c in columns if c.role == "value"]
    notes = _year_to_date(values, document_period)
    main = _main(values, columns, document_period)
    unknown = [c for c in columns if c.role == "unknown"]
    flags: list[str] = []
    if main is None and not values and unknown:
        main = unknown[0]
        main.role = "value"
        if len(unknown) > 1:
            flags.append(f'Bảng có {len(unknown)} cột số không ghi kỳ; lấy cột đầu tiên ("{main.header or "không tên"}").')
    previous = [c for c in columns if c.role == "previous"]
    if main is not None and not previous and any(c.role == "change" for c in columns):
        earlier = [c for c in values if c is not main and c.period and main.period
                   and c.period.end_date < main.period.start_date]
        if earlier:
            earlier[-1].role = "previous"
            previous = [earlier[-1]]
    compared = _compared(main, previous, values)
    drafts: list[Draft] = []
    extra_previous: dict[int, Figure] = {}
    for line, row in data:
        name = row[label.index] if label else ""
        if not name and not caption:
            continue
        quote = " | ".join(c for c in row if c)
        unit = caption_unit
        m = _LABEL_UNIT.search(name)
        if m and re.search(r"[^\W\d_]|%", m.group(1)) and not re.search(r"\d", m.group(1)):
            unit = m.group(1).strip()
        name = re.sub(r"^\(\d+\)\s*", "", name).strip()
        phrases = [p for p in (f"{name} {caption}".strip() if caption and name else "", name or caption) if p]
        if not phrases:
            continue
        figures = {c.index: _numeric(row[c.index], year)[:1] for c in columns}
        for c in columns:
            fall = re.search(r"(?i)xuống còn|giảm còn|tăng lên", row[c.index])
            found = _numeric(row[c.index], year)
            later = [f for f in found if fall and f.start >= fall.end()]
            if c.role == "value" and fall and found and later and found[0].start < fall.start():
                figures[c.index] = [later[0]]           # "7.132 xuống còn 213": now 213, before 7.132
                extra_previous[line] = found[0]
        for column in columns:
            if column.role != "value" or not figures[column.index]:
                continue
            figure = figures[column.index][0]
            draft = Draft(line=line, quote=quote, figure=figure, phrases=list(phrases), kind="table",
                          unit=figure.unit or column.unit or unit, period=column.period or document_period,
                          estimate=column.estimate, flags=list(flags) + notes.get(column.index, []))
            if column is compared:
                _attach(draft, row, columns, figures, previous, ("change", "previous"))
            if column is main:
                _attach(draft, row, columns, figures, previous, ("plan_value", "plan_share"))
                if draft.previous is None and not draft.changes and line in extra_previous:
                    draft.previous = extra_previous[line]
            drafts.append(draft)
    return drafts


def _year_to_date(values: list[Column], period: PeriodId | None) -> dict[int, list[str]]:
    """ "2021 | 2022 | Dự kiến cả năm" in a half-year report: next to the whole year's forecast, the
    column headed by the report's year holds the part of the year reported, not the whole year."""
    if period is None or period.type is PeriodType.YEAR:
        return {}
    whole = PeriodId.year_of(period.end_date.year)
    of_year = [c for c in values if c.period == whole]
    if not any(c.estimate for c in of_year):
        return {}
    notes = {}
    for column in of_year:
        if not column.estimate:
            column.period = period
            notes[column.index] = [f'Cột "{column.header}" đứng cạnh cột dự kiến cả năm {whole.code}: hiểu là '
                                   f"kỳ của báo cáo ({period.code}), không phải cả năm."]
    return notes


def _compared(main: Column | None, previous: list[Column], values: list[Column]) -> Column | None:
    """The value column the growth column compares with the previous one: the column of the same
    kind of period a year later ("2021 | 6 tháng 2022 | Dự kiến cả năm 2022 | Tăng trưởng" compares
    the years), else the main column."""
    base = previous[0] if previous else None
    if main is None or base is None or base.same_period or base.period is None or main.period is None:
        return main
    if base.period.type is main.period.type:
        return main
    later = [c for c in values if c.period == shift_year(base.period, 1)]
    return later[0] if later else main


def _attach(draft: Draft, row: list[str], columns: list[Column], figures: dict, previous: list[Column],
            roles: tuple[str, ...]) -> None:
    prev = next((figures[c.index][0] for c in previous if figures[c.index]), None) if "previous" in roles else None
    base_column = previous[0] if previous else None
    if "previous" in roles and base_column is not None and not base_column.same_period and base_column.period:
        draft.base_override = base_column.period
    for column in columns:
        found = figures[column.index]
        if not found or column.role not in roles:
            continue
        figure = found[0]
        if column.role == "change":
            text = fold(row[column.index])
            sign = -1 if text.startswith("giam") else 1
            kind = {"percent": "percent", "points": "points", "times": "times"}.get(figure.kind, "absolute")
            draft.changes.append(Change(figure, sign, kind, base_text="cùng kỳ" if base_column is None
                                        or base_column.same_period else "", previous=prev))
        elif column.role == "plan_value":
            draft.plan_value = figure
        elif column.role == "plan_share":
            draft.plan_share = figure
    if prev is not None and not draft.changes:
        draft.previous = prev


def _main(values: list[Column], columns: list[Column], period: PeriodId | None) -> Column | None:
    for column in values:
        if period is not None and column.period == period:
            return column
    for column in values:
        if "luy ke" in fold(column.header):
            return column
    comparing = any(c.role in ("previous", "change", "plan_share") for c in columns)
    if comparing and values:
        if not any(c.role == "previous" for c in columns) and any(c.role == "change" for c in columns):
            dated = [c for c in values if c.period is not None]
            if dated:
                return max(dated, key=lambda c: c.period.end_date)
        return values[0]
    return None


def _columns(header_rows: list[list[str]], data: list[list[str]], width: int, year: int | None) -> list[Column]:
    filled = [list(row) for row in header_rows]
    for r, row in enumerate(filled[:-1]):
        below = filled[r + 1]
        for j in range(1, width):
            if not row[j] and below[j] and row[j - 1]:
                row[j] = row[j - 1]
    columns: list[Column] = []
    label_found = False
    for j in range(width):
        cells = [row[j] for row in data]
        numbers = sum(1 for c in cells if _numeric(c, year))
        texts = [row[j] for row in filled if row[j]]
        header = " ".join(texts)
        column = Column(j, "unknown", header=header)
        if all(not c or _STT.match(c) for c in cells) and (not header or re.fullmatch(r"(?i)s\s?t\s?t", header)):
            column.role = "index"
        elif not label_found and numbers <= len([c for c in cells if c]) / 2:
            column.role = "label"
            label_found = True
        elif numbers:
            _classify(column, list(reversed(texts)), year)
        columns.append(column)
    return columns


def _classify(column: Column, texts: list[str], year: int | None) -> None:
    """Role of a numeric column from its header cells, lowest first."""
    everything = fold(" ".join(texts))
    column.estimate = bool(re.search(r"du kien|du doan|\buoc\b", everything))
    for text in texts:
        f = fold(text)
        if re.search(r"tang truong|tang,? giam|tang/giam|\btang\b", f):
            column.role = "change"
            return
        if re.search(r"ty le so (?:voi )?(?:kh|ke hoach)|so voi kh|ty le (?:dat|hoan thanh)|% ?(?:so voi )?kh", f):
            column.role = "plan_share"
            return
        if re.search(r"ke hoach|\bkh\b|muc tieu", f):
            column.role = "plan_value"
            column.period = header_period(text, year)
            return
        period = header_period(text, year)
        if period is None and year and re.search(r"\bca nam\b", f):
            period = PeriodId.year_of(year)      # "Dự kiến cả năm": the whole of the report's year
        if period is not None:
            column.period = period
            if re.search(r"so sanh|cung ky", everything) and not re.search(r"luy ke 6|^luy ke", f):
                column.role = "previous"
                column.same_period = "cung ky" in everything
            else:
                column.role = "value"
            return
        if re.fullmatch(r"%(?: gdp)?|ty dong|trieu dong|nguoi|doanh nghiep|trieu", f):
            column.unit = text
