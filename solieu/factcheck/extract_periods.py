"""Periods written in a report's sentences, titles and table headers, and what each one is for.

A sentence can name several periods: "Doanh thu ... 6 tháng đầu năm 2023 ước đạt ..., tăng 5,48%
so với cùng kỳ năm 2022 và đạt 43,78% kế hoạch năm 2023". Only the first is the period of the
figure; the second is the base of the change and the third the plan year. Each mention therefore
gets a role from the words just before it ("so với" → base, "kế hoạch", "mục tiêu" → plan,
"trước", "từ", "đến năm" → a deadline, start or target, not a reporting period).

Cumulative figures ("tính đến ngày 18/6/2023", "lũy kế từ đầu năm ... đến hết quý II") run from
1 January; `PeriodId.year_to_date` turns them into a named period when one fits exactly (so data
as of 30/6 files under 2023S1, like everything else of the half-year) and a date range otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from solieu.catalog.periods import PeriodError, PeriodId, PeriodType
from solieu.factcheck.names import fold_chars

__all__ = ["Mention", "find_periods", "base_period", "document_period", "header_period", "shift_year"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass
class Mention:
    start: int
    end: int
    period: PeriodId
    role: str            # "period" | "base" | "plan" | "other"
    text: str


_PATTERNS = [
    ("range", re.compile(r"tu (?:ngay )?(\d{1,2})/(\d{1,2})/(\d{4}) ?(?:den|-) ?(?:ngay )?(\d{1,2})/(\d{1,2})/(\d{4})")),
    ("ytd_to", re.compile(r"tu dau nam(?: (\d{4}))? den (?:het )?(?:(quy) ([ivx]+|[1-4])|(thang) (\d{1,2})(?:/(\d{4}))?)")),
    ("date", re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")),
    ("month_span", re.compile(r"thang (\d{1,2}) ?- ?(\d{1,2})/(\d{4})")),
    ("months", re.compile(r"(?<![\d/.,])0?(\d{1,2}) ?(?:thang|t)((?: (?:dau|cuoi))?)((?: nam)?)(?: (\d{4}))?(?![\w/])")),
    ("quarter", re.compile(r"quy ([ivx]+|[1-4])(?:(?:/| nam | )(\d{4}))?(?![\w/])")),
    ("month", re.compile(r"thang (\d{1,2})(?:/| nam )(\d{4})(?![\d/])")),
    ("year", re.compile(r"nam (\d{4})(?![\d/])")),
]
_HEADER_PATTERNS = [
    ("bare_month", re.compile(r"^(?:phat sinh )?thang (\d{1,2})$")),
    ("bare_year", re.compile(r"(?<![\d/])((?:19|20)\d{2})(?![\d/])")),
]
# Matched on the lowercase original: folded "tu" is both "từ" (from) and "tử" (điện tử).
_KEYWORDS = re.compile(
    r"so với|so voi|kế hoạch|ke hoach|\bkh\b|mục tiêu|muc tieu|chỉ tiêu|chi tieu|\btrước\b|\btừ\b|giai đoạn|"
    r"tính đến|tinh den|đến hết|đến cuối|\bđến\b|\bsau\b"
)
_KEYWORD_FOLD = {"so với": "so voi", "kế hoạch": "ke hoach", "mục tiêu": "muc tieu", "chỉ tiêu": "chi tieu",
                 "trước": "truoc", "từ": "tu", "giai đoạn": "giai doan", "tính đến": "tinh den",
                 "đến hết": "den het", "đến cuối": "den cuoi", "đến": "den"}


def find_periods(text: str, year: int | None = None, *, header: bool = False) -> list[Mention]:
    """Period mentions of ``text`` in order. ``year`` completes "6 tháng đầu năm", "quý II"."""
    folded = fold_chars(text)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    patterns = _PATTERNS + (_HEADER_PATTERNS if header else [])
    for kind, pattern in patterns:
        for m in pattern.finditer(folded):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            period, asof = _period_of(kind, m, year)
            if period is None:
                continue
            role = _role(folded, text.lower(), a, kind)
            if role == "period" and (asof == "date" or _cumulative(folded[:a])):
                period = period.year_to_date()      # "tính đến ngày 18/6/2023", "lũy kế ..."
            found.append(Mention(a, b, period, role, text[a:b]))
            taken.append((a, b))
    found.sort(key=lambda mention: mention.start)
    return found


def _cumulative(before: str) -> bool:
    return "luy ke" in before[-80:] or bool(re.search(r"tu dau nam(?: \d{4})?\s*$", before))


def _period_of(kind: str, m: re.Match, year: int | None) -> tuple[PeriodId | None, str]:
    try:
        if kind == "range":
            d1, m1, y1, d2, m2, y2 = (int(g) for g in m.groups())
            return _named_or_range(date(y1, m1, d1), date(y2, m2, d2)), ""
        if kind == "ytd_to":
            y = int(m.group(1)) if m.group(1) else year
            if y is None:
                return None, ""
            if m.group(2):
                return PeriodId.quarter(y, _quarter(m.group(3))).year_to_date(), ""
            y = int(m.group(6)) if m.group(6) else y
            return PeriodId.month(y, int(m.group(5))).year_to_date(), ""
        if kind == "date":
            d, mo, y = (int(g) for g in m.groups())
            return PeriodId.range(date(y, mo, d), date(y, mo, d)), "date"
        if kind == "month_span":
            m1, m2, y = (int(g) for g in m.groups())
            return _named_or_range(date(y, m1, 1), PeriodId.month(y, m2).end_date), ""
        if kind == "months":
            n, part, nam, y = m.group(1), m.group(2).strip(), m.group(3).strip(), m.group(4)
            if not (part or nam or y):
                return None, ""
            y = int(y) if y else year
            n = int(n)
            if y is None or not 1 <= n <= 12:
                return None, ""
            if part == "cuoi":
                return _named_or_range(date(y, 13 - n, 1), date(y, 12, 31)), ""
            return _named_or_range(date(y, 1, 1), PeriodId.month(y, n).end_date), ""
        if kind == "quarter":
            y = int(m.group(2)) if m.group(2) else year
            return (PeriodId.quarter(y, _quarter(m.group(1))), "") if y else (None, "")
        if kind == "month":
            return PeriodId.month(int(m.group(2)), int(m.group(1))), ""
        if kind == "year":
            return PeriodId.year_of(int(m.group(1))), ""
        if kind == "bare_month":
            return (PeriodId.month(year, int(m.group(1))), "") if year else (None, "")
        if kind == "bare_year":
            return PeriodId.year_of(int(m.group(1))), ""
    except (PeriodError, ValueError, KeyError):
        return None, ""
    return None, ""


def _quarter(token: str) -> int:
    return int(token) if token.isdigit() else _ROMAN[token]


def _named_or_range(start: date, end: date) -> PeriodId:
    """The named period covering exactly start..end (half, quarter...), else the date range."""
    for candidate in (
        PeriodId.containing(PeriodType.MONTH, end), PeriodId.containing(PeriodType.QUARTER, end),
        PeriodId.containing(PeriodType.SIX_MONTHS, end), PeriodId.containing(PeriodType.YEAR, end),
    ):
        if candidate.start_date == start and candidate.end_date == end:
            return candidate
    if start.month == 1 and start.day == 1 and end.month == 9 and end.day == 30:
        return PeriodId.nine_months(end.year)
    return PeriodId.range(start, end)


def _role(folded: str, lower: str, at: int, kind: str) -> str:
    """What the words just before a mention make of it."""
    window_start = max(0, at - 45)
    for delimiter in ",;()":
        window_start = max(window_start, folded.rfind(delimiter, 0, at) + 1)
    before = lower[window_start:at] if len(lower) == len(folded) else folded[window_start:at]
    found = list(_KEYWORDS.finditer(before))
    while found:
        last = found[-1]
        word = _KEYWORD_FOLD.get(last.group(0), last.group(0))
        tail = folded[window_start + last.end():at]
        if word in ("den", "tu", "truoc", "sau") and len(tail.split()) > 2:
            found.pop()         # "liên quan đến các lĩnh vực ... trong quý II": "đến" is not about the period
            continue
        if word in ("den", "tu") and len(found) > 1:
            earlier = _KEYWORD_FOLD.get(found[-2].group(0), found[-2].group(0))
            if earlier in ("ke hoach", "kh", "muc tieu", "chi tieu"):
                return "plan"   # "Mục tiêu đến tháng 12/2022"
        return _role_of(word, tail, kind)
    return "other" if kind == "date" else "period"     # a bare date is an event, not a period


def _role_of(word: str, tail: str, kind: str) -> str:
    if word == "so voi":
        return "base"
    if word in ("ke hoach", "kh", "muc tieu", "chi tieu"):
        return "plan"
    if word in ("tinh den", "den het", "den cuoi"):
        return "period"
    if word == "den":
        if kind == "date" or re.match(r"\s*(?:ngay|thang|het|cuoi|quy)", tail) or not tail.strip():
            return "period" if kind != "year" else "other"      # "đến năm 2025": a target
        return "other"
    if word in ("truoc", "tu", "sau", "giai doan"):
        return "other"
    return "period"


def base_period(phrase: str, statement: PeriodId | None, year: int | None) -> PeriodId | None:
    """The period a change is measured against, from the words after "so với"."""
    folded = " ".join(fold_chars(phrase).split())
    if re.match(r"(?:ke hoach|kh\b|muc tieu|chi tieu)", folded):
        return None
    same = folded.startswith("cung ky")
    rest = folded[7:].strip() if same else folded
    mentions = find_periods(rest, year or (statement.year if statement else None), header=True)
    if same:
        if mentions and mentions[0].period.type is not PeriodType.YEAR:
            return mentions[0].period
        if statement is None:
            return None
        if mentions:
            return shift_year(statement, mentions[0].period.year - statement.end_date.year)
        return statement.same_period_last_year()
    if re.match(r"nam (?:truoc|ngoai)", rest):
        return statement.same_period_last_year() if statement else None
    if re.match(r"(?:thang|quy|ky) truoc", rest) and statement is not None:
        return statement.previous()
    if mentions:
        return mentions[0].period
    return None


def shift_year(period: PeriodId, years: int) -> PeriodId:
    if years == 0:
        return period
    if period.type is PeriodType.RANGE:
        return PeriodId.range(_shift_date(period.start, years), _shift_date(period.end, years))
    return PeriodId(period.type, period.year + years, period.index)


def _shift_date(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29/02
        return date(d.year + years, 2, 28)


def header_period(text: str, year: int | None) -> PeriodId | None:
    """The period a table header names ("6 tháng đầu năm 2022", "Năm 2021", "Tháng 1", "Quý I 2022")."""
    mentions = find_periods(text, year, header=True)
    return mentions[0].period if mentions else None


_TITLE_STOP = re.compile(r"^\s*(?:[IVX]+|[A-Z]|\d+)\.\s")


def document_period(lines: list[str]) -> PeriodId | None:
    """The period in the report's title ("SƠ KẾT CÔNG TÁC 6 THÁNG ĐẦU NĂM 2023" → 2023S1).

    The title is the block before the first numbered heading or the first long paragraph. A
    title may leave the year to the next line or to the date line ("6 THÁNG ĐẦU NĂM, ... 2022");
    the first year written in the title block completes it.
    """
    block: list[str] = []
    for line in lines[:40]:
        text = line.strip().strip("*").strip()
        if not text:
            continue
        if _TITLE_STOP.match(text) or len(text.split()) > 30:
            break
        block.append(text)
    title = " ; ".join(block)
    years = re.findall(r"(?<![\d/])((?:19|20)\d{2})(?![\d/])", title)
    year = int(years[0]) if years else None
    for mention in find_periods(title, year):
        if mention.role == "plan" or "ngay" in fold_chars(title[max(0, mention.start - 12):mention.start]):
            continue   # "Hà Nội, ngày 30 tháng 6 năm 2023" is the signing date
        return mention.period
    return None
