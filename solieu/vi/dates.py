"""Vietnamese dates: dd/mm/yyyy, administrative date phrases, public holidays.

Report deadlines are counted in working days, and Vietnamese holidays follow
the lunar calendar.  Rather than ship a lunar calendar, we keep a small table
of the two lunar dates that matter (Tết, i.e. 1/1 lunar, and the Hùng Kings'
commemoration, 10/3 lunar) for 2020-2035, computed for the UTC+7 meridian
(Tết 2030 is 2 February in Vietnam, not 3 February as in China).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

__all__ = [
    "DateParseError",
    "format_date",
    "parse_date",
    "date_phrase",
    "place_date_line",
    "vietnam_public_holidays",
    "is_working_day",
    "add_working_days",
    "LUNAR_TABLE_YEARS",
]

# year: (Tết = 1st day of lunar month 1, Hùng Kings = 10th day of lunar month 3)
_LUNAR = {
    2020: (date(2020, 1, 25), date(2020, 4, 2)),
    2021: (date(2021, 2, 12), date(2021, 4, 21)),
    2022: (date(2022, 2, 1), date(2022, 4, 10)),
    2023: (date(2023, 1, 22), date(2023, 4, 29)),
    2024: (date(2024, 2, 10), date(2024, 4, 18)),
    2025: (date(2025, 1, 29), date(2025, 4, 7)),
    2026: (date(2026, 2, 17), date(2026, 4, 26)),
    2027: (date(2027, 2, 6), date(2027, 4, 16)),
    2028: (date(2028, 1, 26), date(2028, 4, 4)),
    2029: (date(2029, 2, 13), date(2029, 4, 23)),
    2030: (date(2030, 2, 2), date(2030, 4, 12)),
    2031: (date(2031, 1, 23), date(2031, 4, 1)),
    2032: (date(2032, 2, 11), date(2032, 4, 19)),
    2033: (date(2033, 1, 31), date(2033, 4, 9)),
    2034: (date(2034, 2, 19), date(2034, 4, 28)),
    2035: (date(2035, 2, 8), date(2035, 4, 17)),
}
LUNAR_TABLE_YEARS = range(min(_LUNAR), max(_LUNAR) + 1)

_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d+)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_EXAMPLE = "ví dụ 05/07/2023"


class DateParseError(ValueError):
    """Raised for unreadable or impossible dates; ``message`` is shown to users as-is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def format_date(d: date | None) -> str:
    """05/07/2023 (always two-digit day and month, four-digit year); None gives ""."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def parse_date(text: str, *, allow_two_digit_year: bool = False) -> date:
    """Read "5/7/2023", "05/07/2023", "05-07-2023", "05.07.2023" or ISO "2023-07-05".

    Day comes first: Vietnamese users never write month/day.  Two-digit years
    are refused unless ``allow_two_digit_year`` is set, in which case they
    follow the POSIX/strptime %y pivot (00-68 -> 20xx, 69-99 -> 19xx) so they
    agree with Django's "%d/%m/%y" input format.
    """
    if not isinstance(text, str):
        raise TypeError(f"Cần chuỗi ký tự, không nhận {type(text).__name__}.")
    shown = text.strip()
    if not shown:
        raise DateParseError("Chưa nhập ngày: ô nhập đang để trống.")
    iso = _ISO.fullmatch(shown)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        dmy = _DMY.fullmatch(shown)
        if not dmy:
            raise DateParseError(
                f'Không đọc được ngày "{shown}": hãy nhập theo dạng ngày/tháng/năm, {_EXAMPLE}.'
            )
        day, month, year_text = int(dmy.group(1)), int(dmy.group(3)), dmy.group(4)
        if len(year_text) == 2 and allow_two_digit_year:
            year = int(year_text) + (2000 if int(year_text) <= 68 else 1900)
        elif len(year_text) == 4:
            year = int(year_text)
        else:
            raise DateParseError(
                f'Không đọc được ngày "{shown}": năm phải viết đủ 4 chữ số, {_EXAMPLE}.'
            )
    invalid = f'Ngày "{shown}" không hợp lệ'
    if not 1 <= year <= 9999:
        raise DateParseError(f"{invalid}: năm phải từ 1 đến 9999.")
    if not 1 <= month <= 12:
        raise DateParseError(f"{invalid}: tháng phải từ 1 đến 12.")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateParseError(f"{invalid}: tháng {month} năm {year} chỉ có {last} ngày.")
    return date(year, month, day)


def date_phrase(d: date) -> str:
    """"ngày 05 tháng 02 năm 2023", as in Nghị định 30/2020/NĐ-CP.

    The decree pads days below 10 and months 1 and 2 with a zero (so that
    "tháng 01"/"tháng 02" cannot be altered into "tháng 11"/"tháng 12"),
    other months are written without: "ngày 30 tháng 6 năm 2023".
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, d: date) -> str:
    """The line under the national motto: "Hà Nội, ngày 30 tháng 6 năm 2023"."""
    return f"{place.strip()}, {date_phrase(d)}"


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    if year not in _LUNAR:
        raise ValueError(
            f"Chưa có bảng âm lịch cho năm {year} "
            f"(chỉ có {LUNAR_TABLE_YEARS.start}-{LUNAR_TABLE_YEARS.stop - 1})."
        )
    tet, hung_kings = _LUNAR[year]
    days = {
        date(year, 1, 1),
        date(year, 4, 30),
        date(year, 5, 1),
        date(year, 9, 2),
        hung_kings,
    }
    if year >= 2021:  # Labour Code 2019, art. 112: a second day next to 2/9
        days.add(date(year, 9, 1))
    # Tết: 5 days; modelled as the last day of the lunar year and days 1-4 of month 1.
    days.update(tet + timedelta(days=offset) for offset in range(-1, 4))
    return frozenset(days)


def vietnam_public_holidays(year: int) -> set[date]:
    """Statutory public holidays (Labour Code 2019, art. 112) falling in ``year``.

    1/1, Tết (5 days: last day of the lunar year plus 1st-4th of lunar month
    1), Hùng Kings (10/3 lunar), 30/4, 1/5, and 2/9 plus 1/9 (from 2021; one
    day only before).  Only years in ``LUNAR_TABLE_YEARS`` are known; others
    raise ValueError rather than silently miss Tết.

    Not modelled: the exact Tết days and the compensatory days off and
    swapped working days (nghỉ bù, làm bù) that the government announces each
    year; a weekend holiday is therefore not moved to the next weekday.
    """
    return set(_holidays(year))


def is_working_day(d: date) -> bool:
    """Monday-Friday and not a public holiday."""
    return d.weekday() < 5 and d not in _holidays(d.year)


def add_working_days(d: date, n: int) -> date:
    """The date ``n`` working days after ``d`` (before it when ``n`` < 0).

    ``d`` itself is not counted, so Friday + 1 is the next Monday; n == 0
    returns ``d`` unchanged even if it is not a working day.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        if is_working_day(d):
            remaining -= 1
    return d
