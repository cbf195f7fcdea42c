"""Reporting periods: identifiers, Vietnamese labels and data cut-off windows.

A period is named once (by a DHIS2-style code such as ``2023Q2``) but has two
different date windows depending on the legal regime the report falls under:
the statistical regime (Thông tư 04/2022) counts calendar months, while the
periodic regime (Thông tư 02/2023, Nghị định 09/2019 điều 12) closes data on
the 14th so that reports can be consolidated before the month ends.  Keeping
the identifier separate from the window lets the same catalogue of periods
serve both regimes.

This module is deliberately free of Django so that it can be used from
models, forms, management commands and plain scripts alike.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

MIN_YEAR = 1900
MAX_YEAR = 2999

# The periodic regime closes on this day of the month and opens on the next.
PERIODIC_CLOSING_DAY = 14


class PeriodType(str, Enum):
    MONTH = "month"
    QUARTER = "quarter"
    SIX_MONTHS = "six_months"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    RANGE = "range"


class Regime(str, Enum):
    STATISTICAL = "statistical"
    PERIODIC = "periodic"
    AD_HOC = "ad_hoc"


class PeriodError(ValueError):
    """Raised for any invalid period, with a message fit to show to users.

    The message is in Vietnamese because it usually ends up in a form error
    or an import report read by provincial staff, not by developers.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_FROM_ROMAN = {numeral.lower(): number for number, numeral in _ROMAN.items()}


def _invalid(subject: str, reason: str) -> PeriodError:
    return PeriodError(f"{subject} không hợp lệ: {reason}.")


def _ddmmyyyy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _yyyymmdd(d: date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def _is_int(value: object) -> bool:
    # bool is an int subclass, but True is never a meaningful year or index.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_plain_date(value: object) -> bool:
    # A datetime would compare unequal to the date it falls on and cannot be
    # ordered against plain dates, which would break windows and ordering.
    return isinstance(value, date) and not isinstance(value, datetime)


def _year_reason(year: object) -> str | None:
    if not _is_int(year):
        return "năm phải là số nguyên"
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"năm phải từ {MIN_YEAR} đến {MAX_YEAR} (nhận được {year})"
    return None


_INDEX_RULES: dict[PeriodType, tuple[range, str]] = {
    PeriodType.MONTH: (range(1, 13), "tháng phải từ 1 đến 12"),
    PeriodType.QUARTER: (range(1, 5), "quý phải từ 1 đến 4"),
    PeriodType.SIX_MONTHS: (
        range(1, 3),
        "kỳ 6 tháng phải là 1 (6 tháng đầu năm) hoặc 2 (6 tháng cuối năm)",
    ),
    PeriodType.NINE_MONTHS: (range(1, 2), "kỳ 9 tháng chỉ có chỉ số 1"),
    PeriodType.YEAR: (range(1, 2), "kỳ năm chỉ có chỉ số 1"),
}


def _validate(kind: PeriodType, year, index, start, end) -> str | None:
    """Return why the fields do not describe a period, or None.

    Centralised so that direct construction (e.g. from a database row) is as
    strict as parsing a code.
    """
    if kind is PeriodType.RANGE:
        if index != 0 or not _is_int(index):
            return f"khoảng ngày phải có chỉ số 0 (nhận được {index!r})"
        if not (_is_plain_date(start) and _is_plain_date(end)):
            return "khoảng ngày phải có ngày bắt đầu và ngày kết thúc kiểu date"
        for role, d in (("bắt đầu", start), ("kết thúc", end)):
            if not MIN_YEAR <= d.year <= MAX_YEAR:
                return (
                    f"năm của ngày {role} phải từ {MIN_YEAR} đến {MAX_YEAR} "
                    f"(nhận được {_ddmmyyyy(d)})"
                )
        if start > end:
            return (
                f"ngày bắt đầu {_ddmmyyyy(start)} sau ngày kết thúc "
                f"{_ddmmyyyy(end)}"
            )
        if year != start.year:
            return f"năm của khoảng ngày phải là {start.year} (nhận được {year!r})"
        return None
    reason = _year_reason(year)
    if reason:
        return reason
    allowed, message = _INDEX_RULES[kind]
    if not _is_int(index) or index not in allowed:
        return f"{message} (nhận được {index!r})"
    if start is not None or end is not None:
        return "chỉ khoảng ngày mới có ngày bắt đầu và ngày kết thúc riêng"
    return None


def _coerce_type(value: PeriodType | str) -> PeriodType:
    try:
        return PeriodType(value)
    except ValueError:
        names = ", ".join(t.value for t in PeriodType)
        raise _invalid(f'Loại kỳ "{value}"', f"phải là một trong {names}") from None


def _coerce_regime(value: Regime | str) -> Regime:
    try:
        return Regime(value)
    except ValueError:
        names = ", ".join(r.value for r in Regime)
        raise _invalid(
            f'Chế độ báo cáo "{value}"', f"phải là một trong {names}"
        ) from None


@dataclass(frozen=True, order=True, repr=False)
class PeriodId:
    """A reporting period, independent of the regime used to cut off data.

    Ordering is only meaningful between periods of the same type; across
    types it is merely deterministic (so periods can be sorted and grouped).
    """

    type: PeriodType
    year: int
    index: int
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        kind = _coerce_type(self.type)
        object.__setattr__(self, "type", kind)
        reason = _validate(kind, self.year, self.index, self.start, self.end)
        if reason:
            raise _invalid("Kỳ báo cáo", reason)

    # -- construction -----------------------------------------------------

    @classmethod
    def month(cls, year: int, m: int) -> PeriodId:
        return cls(PeriodType.MONTH, year, m)

    @classmethod
    def quarter(cls, year: int, q: int) -> PeriodId:
        return cls(PeriodType.QUARTER, year, q)

    @classmethod
    def half(cls, year: int, h: int) -> PeriodId:
        return cls(PeriodType.SIX_MONTHS, year, h)

    @classmethod
    def nine_months(cls, year: int) -> PeriodId:
        return cls(PeriodType.NINE_MONTHS, year, 1)

    @classmethod
    def year_of(cls, year: int) -> PeriodId:
        return cls(PeriodType.YEAR, year, 1)

    @classmethod
    def range(cls, start: date, end: date) -> PeriodId:
        year = start.year if _is_plain_date(start) else None
        return cls(PeriodType.RANGE, year, 0, start, end)

    @classmethod
    def containing(cls, type: PeriodType | str, d: date) -> PeriodId:
        kind = _coerce_type(type)
        if kind is PeriodType.MONTH:
            return cls.month(d.year, d.month)
        if kind is PeriodType.QUARTER:
            return cls.quarter(d.year, (d.month - 1) // 3 + 1)
        if kind is PeriodType.SIX_MONTHS:
            return cls.half(d.year, 1 if d.month <= 6 else 2)
        if kind is PeriodType.NINE_MONTHS:
            if d.month > 9:
                # Nine months never reach Q4; silently picking a neighbour
                # would misfile data.
                raise PeriodError(
                    f"Ngày {_ddmmyyyy(d)} không thuộc kỳ 9 tháng nào: "
                    "kỳ 9 tháng chỉ gồm tháng 1 đến tháng 9."
                )
            return cls.nine_months(d.year)
        if kind is PeriodType.YEAR:
            return cls.year_of(d.year)
        raise PeriodError(
            "Không thể xác định khoảng ngày chứa một ngày: khoảng ngày do "
            "người dùng tự chọn."
        )

    @classmethod
    def parse(cls, code: str) -> PeriodId:
        """Parse an identifier, refusing anything that would not round-trip.

        Leniency here would let two different codes name the same period,
        which breaks uniqueness in the database and in exchanged files.
        """
        if not isinstance(code, str):
            raise PeriodError(
                f"Mã kỳ báo cáo phải là chuỗi ký tự, không phải {type(code).__name__}."
            )
        if code == "":
            raise PeriodError("Mã kỳ báo cáo không được để trống.")
        subject = f'Mã kỳ báo cáo "{code}"'
        if any(ch.isspace() for ch in code):
            raise _invalid(subject, "không được chứa khoảng trắng")

        if re.fullmatch(r"[0-9]+", code):
            if len(code) == 4:
                reason = _year_reason(int(code))
                if reason:
                    raise _invalid(subject, reason)
                return cls.year_of(int(code))
            if len(code) == 6:
                return cls._from_code_parts(subject, PeriodType.MONTH, code[:4], code[4:])
            raise _invalid(
                subject,
                'mã chỉ gồm chữ số phải có 4 chữ số (năm, ví dụ "2023") '
                'hoặc 6 chữ số (tháng, ví dụ "202307")',
            )

        match = re.fullmatch(r"([0-9]+)([A-Za-z])([0-9]+)", code)
        if match:
            year_text, letter, index_text = match.groups()
            if len(year_text) != 4:
                raise _invalid(subject, "năm phải gồm đủ 4 chữ số")
            if letter in "qsn":
                raise _invalid(
                    subject, f'ký hiệu loại kỳ phải viết hoa ("{letter.upper()}")'
                )
            kind = {
                "Q": PeriodType.QUARTER,
                "S": PeriodType.SIX_MONTHS,
                "N": PeriodType.NINE_MONTHS,
            }.get(letter)
            if kind is None:
                raise _invalid(
                    subject,
                    f'ký hiệu loại kỳ "{letter}" không được hỗ trợ; chỉ dùng '
                    "Q (quý), S (6 tháng) hoặc N (9 tháng)",
                )
            return cls._from_code_parts(subject, kind, year_text, index_text)

        match = re.fullmatch(r"([0-9]+)_([0-9]+)", code)
        if match:
            start = _parse_compact_date(subject, "bắt đầu", match.group(1))
            end = _parse_compact_date(subject, "kết thúc", match.group(2))
            if start > end:
                raise _invalid(
                    subject,
                    f"ngày bắt đầu {_ddmmyyyy(start)} sau ngày kết thúc {_ddmmyyyy(end)}",
                )
            return cls.range(start, end)

        raise _invalid(
            subject,
            'không đúng định dạng nào trong "2023" (năm), "202307" (tháng), '
            '"2023Q2" (quý), "2023S1"/"2023S2" (6 tháng), "2023N9" (9 tháng), '
            '"20230101_20230618" (khoảng ngày)',
        )

    @classmethod
    def _from_code_parts(
        cls, subject: str, kind: PeriodType, year_text: str, index_text: str
    ) -> PeriodId:
        year = int(year_text)
        reason = _year_reason(year)
        if reason:
            raise _invalid(subject, reason)
        # Compare the text, not the number, so "2023Q01" is refused: it
        # would parse to the same period as "2023Q1" and not round-trip.
        valid_text = {
            PeriodType.MONTH: {f"{m:02d}": m for m in range(1, 13)},
            PeriodType.QUARTER: {str(q): q for q in range(1, 5)},
            PeriodType.SIX_MONTHS: {"1": 1, "2": 2},
            PeriodType.NINE_MONTHS: {"9": 1},
        }[kind]
        if index_text not in valid_text:
            raise _invalid(
                subject,
                {
                    PeriodType.MONTH: "tháng phải từ 01 đến 12",
                    PeriodType.QUARTER: "quý phải từ 1 đến 4",
                    PeriodType.SIX_MONTHS: (
                        "kỳ 6 tháng phải là S1 (6 tháng đầu năm) "
                        "hoặc S2 (6 tháng cuối năm)"
                    ),
                    PeriodType.NINE_MONTHS: 'kỳ 9 tháng phải ghi là "N9"',
                }[kind],
            )
        return cls(kind, year, valid_text[index_text])

    # -- identity -----------------------------------------------------------

    @property
    def code(self) -> str:
        kind = self.type
        if kind is PeriodType.MONTH:
            return f"{self.year:04d}{self.index:02d}"
        if kind is PeriodType.QUARTER:
            return f"{self.year:04d}Q{self.index}"
        if kind is PeriodType.SIX_MONTHS:
            return f"{self.year:04d}S{self.index}"
        if kind is PeriodType.NINE_MONTHS:
            return f"{self.year:04d}N9"
        if kind is PeriodType.YEAR:
            return f"{self.year:04d}"
        return f"{_yyyymmdd(self.start)}_{_yyyymmdd(self.end)}"

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"PeriodId.parse({self.code!r})"

    # -- dates ----------------------------------------------------------------

    def _month_span(self) -> tuple[int, int]:
        """First and last calendar month of a named (non-range) period."""
        kind, i = self.type, self.index
        if kind is PeriodType.MONTH:
            return i, i
        if kind is PeriodType.QUARTER:
            return 3 * i - 2, 3 * i
        if kind is PeriodType.SIX_MONTHS:
            return (1, 6) if i == 1 else (7, 12)
        if kind is PeriodType.NINE_MONTHS:
            return 1, 9
        return 1, 12

    @property
    def start_date(self) -> date:
        if self.type is PeriodType.RANGE:
            return self.start
        return date(self.year, self._month_span()[0], 1)

    @property
    def end_date(self) -> date:
        if self.type is PeriodType.RANGE:
            return self.end
        last = self._month_span()[1]
        return date(self.year, last, _last_day(self.year, last))

    def window(self, regime: Regime | str) -> tuple[date, date]:
        """The inclusive dates whose data belong to this period under ``regime``.

        Under the periodic regime every named period opens on the 15th of the
        month before its first month and closes on the 14th of its last
        month; that single rule reproduces every case listed in Thông tư
        02/2023 (including January opening on 15/12 of the previous year).
        A range has no such rule: its dates were chosen explicitly, so they
        are the window under every regime.
        """
        regime = _coerce_regime(regime)
        if regime is not Regime.PERIODIC or self.type is PeriodType.RANGE:
            return self.start_date, self.end_date
        first, last = self._month_span()
        open_year, open_month = _shift_month(self.year, first, -1)
        return (
            date(open_year, open_month, PERIODIC_CLOSING_DAY + 1),
            date(self.year, last, PERIODIC_CLOSING_DAY),
        )

    # -- labels -----------------------------------------------------------------

    def label(self) -> str:
        """The wording used inside a sentence, e.g. "Báo cáo quý II/2023"."""
        kind = self.type
        if kind is PeriodType.MONTH:
            return f"tháng {self.index}/{self.year}"
        if kind is PeriodType.QUARTER:
            return f"quý {_ROMAN[self.index]}/{self.year}"
        if kind is PeriodType.SIX_MONTHS:
            part = "đầu" if self.index == 1 else "cuối"
            return f"6 tháng {part} năm {self.year}"
        if kind is PeriodType.NINE_MONTHS:
            return f"9 tháng năm {self.year}"
        if kind is PeriodType.YEAR:
            return f"năm {self.year}"
        return f"từ ngày {_ddmmyyyy(self.start)} đến ngày {_ddmmyyyy(self.end)}"

    def label_title(self) -> str:
        """The wording used as a heading, where Vietnamese capitalises."""
        text = self.label()
        return text[:1].upper() + text[1:]

    # -- navigation ---------------------------------------------------------------

    def previous(self) -> PeriodId:
        return self._step(-1)

    def next(self) -> PeriodId:
        return self._step(1)

    def _step(self, direction: int) -> PeriodId:
        kind, year, i = self.type, self.year, self.index
        if kind is PeriodType.MONTH:
            y, m = _shift_month(year, i, direction)
            return PeriodId.month(y, m)
        if kind is PeriodType.QUARTER:
            y, q0 = divmod(year * 4 + (i - 1) + direction, 4)
            return PeriodId.quarter(y, q0 + 1)
        if kind is PeriodType.SIX_MONTHS:
            y, h0 = divmod(year * 2 + (i - 1) + direction, 2)
            return PeriodId.half(y, h0 + 1)
        if kind is PeriodType.NINE_MONTHS:
            return PeriodId.nine_months(year + direction)
        if kind is PeriodType.YEAR:
            return PeriodId.year_of(year + direction)
        length = self.end - self.start
        if direction < 0:
            end = self.start - timedelta(days=1)
            return PeriodId.range(end - length, end)
        start = self.end + timedelta(days=1)
        return PeriodId.range(start, start + length)

    def same_period_last_year(self) -> PeriodId:
        """The comparison base for "so với cùng kỳ năm trước".

        For ranges, 29/02 becomes 28/02: the last day of February is the
        closest equivalent and keeps the range inside the same month.
        """
        if self.type is PeriodType.RANGE:
            return PeriodId.range(_year_earlier(self.start), _year_earlier(self.end))
        return PeriodId(self.type, self.year - 1, self.index)

    def months(self) -> list[PeriodId]:
        first = self.start_date
        last = self.end_date
        result = []
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            result.append(PeriodId.month(y, m))
            y, m = _shift_month(y, m, 1)
        return result

    def contains(self, other: PeriodId) -> bool:
        return self.start_date <= other.start_date and other.end_date <= self.end_date

    def is_within(self, other: PeriodId) -> bool:
        return other.contains(self)

    def year_to_date(self) -> PeriodId:
        """The cumulative ("lũy kế") period from 1 January to this period's end.

        A named period is preferred when one matches exactly because reports
        and indicator values are stored under named periods; a range would be
        a different key for the same data.  The year is that of the end date,
        so a range crossing New Year accumulates from the new year.
        """
        end = self.end_date
        for candidate in (
            PeriodId.month(end.year, 1),
            PeriodId.quarter(end.year, 1),
            PeriodId.half(end.year, 1),
            PeriodId.nine_months(end.year),
            PeriodId.year_of(end.year),
        ):
            if candidate.end_date == end:
                return candidate
        return PeriodId.range(date(end.year, 1, 1), end)


def _year_earlier(d: date) -> date:
    if d.month == 2 and d.day == 29:
        return date(d.year - 1, 2, 28)
    return d.replace(year=d.year - 1)


def _parse_compact_date(subject: str, role: str, text: str) -> date:
    if len(text) != 8:
        raise _invalid(subject, f'ngày {role} "{text}" phải có dạng YYYYMMDD (8 chữ số)')
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    return _checked_date(subject, role, f'"{text}"', year, month, day)


def _checked_date(
    subject: str, role: str, shown: str, year: int, month: int, day: int
) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _invalid(
            subject, f"năm của ngày {role} {shown} phải từ {MIN_YEAR} đến {MAX_YEAR}"
        )
    if not 1 <= month <= 12:
        raise _invalid(
            subject, f"ngày {role} {shown} không tồn tại: tháng phải từ 1 đến 12"
        )
    days = _last_day(year, month)
    if not 1 <= day <= days:
        raise _invalid(
            subject,
            f"ngày {role} {shown} không tồn tại: tháng {month}/{year} "
            f"chỉ có {days} ngày",
        )
    return date(year, month, day)


# -- Vietnamese labels ------------------------------------------------------

_LABEL_EXAMPLES = (
    '"tháng 7/2023", "quý II/2023", "6 tháng đầu năm 2023", '
    '"6 tháng cuối năm 2023", "9 tháng năm 2023", "năm 2023" hoặc '
    '"từ ngày 01/01/2023 đến ngày 18/06/2023"'
)

_DATE = r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"
_LABEL_PATTERNS = {
    "month": re.compile(r"thang ([0-9]{1,2})(?:/| nam )([0-9]{4})"),
    "quarter": re.compile(r"quy ([ivx]+|[0-9]{1,2})(?:/| nam )([0-9]{4})"),
    "six": re.compile(r"0?6 thang (?:(dau|cuoi) )?nam ([0-9]{4})"),
    "nine": re.compile(r"0?9 thang (?:dau )?nam ([0-9]{4})"),
    "year": re.compile(r"(?:nam )?([0-9]{4})"),
    "range": re.compile(rf"tu (?:ngay )?{_DATE} den (?:ngay )?{_DATE}"),
}


def _fold(text: str) -> str:
    """Reduce a label to lowercase ASCII words so that typing variants match.

    Users type labels without diacritics, with NFD input methods, with double
    spaces or with spaces around "/"; none of these change the meaning.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.lower().split())
    return re.sub(r" ?/ ?", "/", text)


def parse_label(text: str) -> PeriodId:
    """Recognise a period written the way it appears in Vietnamese reports.

    "6 tháng năm 2023" (without "đầu") is read as the first half, as in the
    customary title "Báo cáo 6 tháng năm 2023".
    """
    if not isinstance(text, str):
        raise PeriodError(
            f"Kỳ báo cáo phải là chuỗi ký tự, không phải {type(text).__name__}."
        )
    if not text.strip():
        raise PeriodError("Kỳ báo cáo không được để trống.")
    folded = _fold(text)
    subject = f'Kỳ báo cáo "{text}"'

    def year_of(year_text: str) -> int:
        year = int(year_text)
        reason = _year_reason(year)
        if reason:
            raise _invalid(subject, reason)
        return year

    if match := _LABEL_PATTERNS["month"].fullmatch(folded):
        year = year_of(match.group(2))
        month = int(match.group(1))
        if not 1 <= month <= 12:
            raise _invalid(subject, f"tháng phải từ 1 đến 12 (nhận được {month})")
        return PeriodId.month(year, month)

    if match := _LABEL_PATTERNS["quarter"].fullmatch(folded):
        year = year_of(match.group(2))
        token = match.group(1)
        quarter = int(token) if token.isdigit() else _FROM_ROMAN.get(token)
        if quarter not in _ROMAN:
            raise _invalid(
                subject, f'quý phải từ I đến IV (nhận được "{token.upper()}")'
            )
        return PeriodId.quarter(year, quarter)

    if match := _LABEL_PATTERNS["six"].fullmatch(folded):
        return PeriodId.half(year_of(match.group(2)), 2 if match.group(1) == "cuoi" else 1)

    if match := _LABEL_PATTERNS["nine"].fullmatch(folded):
        return PeriodId.nine_months(year_of(match.group(1)))

    if match := _LABEL_PATTERNS["year"].fullmatch(folded):
        return PeriodId.year_of(year_of(match.group(1)))

    if match := _LABEL_PATTERNS["range"].fullmatch(folded):
        d1, m1, y1, d2, m2, y2 = (int(g) for g in match.groups())
        start = _checked_date(subject, "bắt đầu", f"{d1:02d}/{m1:02d}/{y1}", y1, m1, d1)
        end = _checked_date(subject, "kết thúc", f"{d2:02d}/{m2:02d}/{y2}", y2, m2, d2)
        if start > end:
            raise _invalid(
                subject,
                f"ngày bắt đầu {_ddmmyyyy(start)} sau ngày kết thúc {_ddmmyyyy(end)}",
            )
        return PeriodId.range(start, end)

    raise PeriodError(
        f'Không nhận dạng được kỳ báo cáo "{text}": hãy ghi theo mẫu {_LABEL_EXAMPLES}.'
    )


def periods_between(
    type: PeriodType | str, first: PeriodId, last: PeriodId
) -> list[PeriodId]:
    """Every period of ``type`` from ``first`` to ``last`` inclusive.

    The endpoints may be of another type (e.g. the quarters of a year): they
    are then replaced by the period of ``type`` containing ``first``'s start
    and ``last``'s end, so the series covers both endpoints.
    """
    kind = _coerce_type(type)
    if kind is PeriodType.RANGE:
        raise PeriodError(
            "Không thể liệt kê các khoảng ngày: khoảng ngày do người dùng tự chọn."
        )
    if first.type is not kind:
        first = PeriodId.containing(kind, first.start_date)
    if last.type is not kind:
        last = PeriodId.containing(kind, last.end_date)
    if first.start_date > last.start_date:
        raise PeriodError(
            f"Kỳ đầu {first.label()} nằm sau kỳ cuối {last.label()}: "
            "hãy đổi thứ tự hai kỳ."
        )
    result = [first]
    while result[-1] != last:
        result.append(result[-1].next())
    return result
