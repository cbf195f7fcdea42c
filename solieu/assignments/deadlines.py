"""Deadlines as documents write them, read into a date the statistics can use.

Documents give deadlines as a day ("Trước ngày 15/4/2024", "30/6/2024"), a period ("Quý
II/2024", "Tháng 6", "6 tháng đầu năm 2024", "Năm 2024"), an event ("Khi Luật Dữ liệu có
hiệu lực", sometimes with its day in brackets), or not at all ("Thường xuyên"). The text is
always kept as written; the date is what it means:

* a day is that day. "Trước ngày 15/4" counts 15/4 as the deadline: in the administrative
  practice a result delivered on the named day is on time;
* a period is its last day ("Quý II/2024" is 30/6/2024); "trước" a period means the day
  before it starts ("Trước quý III/2024" is 30/6/2024);
* a day or a period written without a year takes the year of the source document (a plan
  issued in 2024 saying "Tháng 6" means June 2024); without a document date it is refused;
* an event has the first full date written in it, if any, else no date;
* "thường xuyên", "hằng năm"... have no deadline and are never counted as due.

Anything that looks like a day but does not exist ("31/02/2024") is refused with the reason,
even inside an event's text.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from solieu.catalog.periods import PeriodError, _fold, parse_label
from solieu.vi.dates import DateParseError, parse_date

from .models import DeadlineKind


class DeadlineError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Deadline:
    kind: str
    date: date | None
    text: str


ONGOING = re.compile(r"(thuong xuyen|hang (nam|quy|thang|tuan)|lien tuc|dinh ky)\b.*")
PREFIX = re.compile(r"(?:(?:du kien|hoan thanh|cham nhat|truoc|trong|den|het|vao|han|ngay|la)\b|[:,\s])+")
DAY = re.compile(r"(?<![\d/])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?(?![\d/])")
YEARLESS_PERIOD = re.compile(r"(thang \d{1,2}|quy [ivx\d]+)")
PERIOD_WORD = re.compile(r"(thang|quy) [ivx\d]+(/| nam )\d+$")
YEARLESS_SPAN = re.compile(r"(0?[69] thang( (dau|cuoi))?|(dau|cuoi)) nam")


def _prefix(folded: str) -> tuple[str, bool]:
    """The text after "trước ngày", "hoàn thành trong"...; and whether it said "trước"."""
    match = PREFIX.match(folded)
    if not match:
        return folded, False
    return folded[match.end():], "truoc" in match.group(0)


def _day(text: str, shown: str, year: int | None) -> date:
    day, month, year_text = DAY.fullmatch(text).groups()
    if year_text is None:
        if year is None:
            raise DeadlineError(f'Thời hạn "{shown}" không ghi năm và không có ngày của văn bản giao để lấy năm; '
                                "hãy ghi đủ ngày/tháng/năm.")
        year_text = str(year)
    try:
        return parse_date(f"{day}/{month}/{year_text}", allow_two_digit_year=True)
    except DateParseError as exc:
        raise DeadlineError(exc.message) from None


def _period_end(rest: str, shown: str, year: int | None, before: bool) -> date | None:
    candidates = [rest]
    if YEARLESS_PERIOD.fullmatch(rest) or YEARLESS_SPAN.fullmatch(rest):
        if year is None:
            raise DeadlineError(f'Thời hạn "{shown}" không ghi năm và không có ngày của văn bản giao để lấy năm; '
                                'hãy ghi cả năm, ví dụ "Quý II/2024".')
        rest = {"cuoi nam": "nam", "dau nam": "6 thang dau nam"}.get(rest, rest)
        candidates = [f"{rest}/{year}", f"{rest} {year}"]
    for candidate in candidates:
        try:
            pid = parse_label(candidate)
        except PeriodError as exc:
            if PERIOD_WORD.match(rest):  # "Tháng 13/2024": a period that does not exist
                reason = str(exc).split("không hợp lệ: ", 1)[-1]
                raise DeadlineError(f'Thời hạn "{shown}" không hợp lệ: {reason}') from None
            continue
        return pid.start_date - timedelta(days=1) if before else pid.end_date
    return None


def parse_deadline(text, year: int | None = None) -> Deadline:
    """Read a deadline as written; `year` is the source document's, for "Tháng 6" or "15/4"."""
    if isinstance(text, (date,)):
        return Deadline(DeadlineKind.DATE, text, f"{text.day:02d}/{text.month:02d}/{text.year}")
    shown = " ".join(str(text or "").split())
    if not shown:
        raise DeadlineError("Chưa ghi thời gian hoàn thành.")
    folded = _fold(shown).rstrip(".;")
    if ONGOING.fullmatch(folded):
        return Deadline(DeadlineKind.ONGOING, None, shown)
    rest, before = _prefix(folded)
    if DAY.fullmatch(rest):
        return Deadline(DeadlineKind.DATE, _day(rest, shown, year), shown)
    end = _period_end(rest, shown, year, before)
    if end is not None:
        return Deadline(DeadlineKind.PERIOD, end, shown)
    # An event: its day if one is written in full; any day-like text must exist.
    found = None
    for match in DAY.finditer(folded):
        if match.group(3) is None or len(match.group(3)) != 4:
            continue
        day = _day(match.group(0), shown, year)
        found = found or day
    return Deadline(DeadlineKind.EVENT, found, shown)


def describe(kind: str, day: date | None) -> str:
    """How a deadline is read, for the import preview: "Quý → 30/06/2024"."""
    label = DeadlineKind(kind).label
    if day is None:
        return f"{label}, không có ngày (không tính vào số nhiệm vụ đến hạn)"
    return f"{label}: {day.day:02d}/{day.month:02d}/{day.year}"
