import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solieu.formats.vi import formats
from solieu.vi import (
    DateParseError,
    add_working_days,
    date_phrase,
    format_date,
    is_working_day,
    parse_date,
    place_date_line,
    vietnam_public_holidays,
)
from solieu.vi.dates import LUNAR_TABLE_YEARS

# --- format / parse ---------------------------------------------------------


def test_format_date():
    assert format_date(date(2023, 7, 5)) == "05/07/2023"
    assert format_date(date(2023, 12, 31)) == "31/12/2023"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    "text", ["5/7/2023", "05/07/2023", "05-07-2023", "05.07.2023", "2023-07-05", " 5/07/2023 "]
)
def test_parse_date(text):
    assert parse_date(text) == date(2023, 7, 5)


def test_parse_date_leap_day():
    assert parse_date("29/02/2024") == date(2024, 2, 29)


def _message(text, **kwargs):
    with pytest.raises(DateParseError) as info:
        parse_date(text, **kwargs)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == info.value.message
    return info.value.message


def test_parse_date_exact_messages():
    assert _message("31/02/2023") == (
        'Ngày "31/02/2023" không hợp lệ: tháng 2 năm 2023 chỉ có 28 ngày.'
    )
    assert _message("29/02/2023") == (
        'Ngày "29/02/2023" không hợp lệ: tháng 2 năm 2023 chỉ có 28 ngày.'
    )
    assert _message("01/13/2023") == 'Ngày "01/13/2023" không hợp lệ: tháng phải từ 1 đến 12.'
    assert _message("00/01/2023") == (
        'Ngày "00/01/2023" không hợp lệ: tháng 1 năm 2023 chỉ có 31 ngày.'
    )
    assert _message("05/07/23") == (
        'Không đọc được ngày "05/07/23": năm phải viết đủ 4 chữ số, ví dụ 05/07/2023.'
    )
    assert _message("ngày mai") == (
        'Không đọc được ngày "ngày mai": hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/07/2023.'
    )
    assert _message("") == "Chưa nhập ngày: ô nhập đang để trống."
    assert _message("01/01/0000") == 'Ngày "01/01/0000" không hợp lệ: năm phải từ 1 đến 9999.'


@pytest.mark.parametrize(
    "text",
    ["5/7", "05/07-2023", "2023/07/05", "5/7/202", "5/7/20233", "a5/07/2023", "2023-02-30", "1/1/1e3"],
)
def test_parse_date_refusals(text):
    with pytest.raises(DateParseError):
        parse_date(text)


def test_two_digit_year_only_when_allowed():
    assert parse_date("05/07/23", allow_two_digit_year=True) == date(2023, 7, 5)
    assert parse_date("05/07/68", allow_two_digit_year=True) == date(2068, 7, 5)
    assert parse_date("05/07/69", allow_two_digit_year=True) == date(1969, 7, 5)
    # Same pivot as strptime's %y, which Django uses for "%d/%m/%y".
    assert datetime.strptime("05/07/69", "%d/%m/%y").year == 1969


def test_parse_date_refuses_non_string():
    with pytest.raises(TypeError):
        parse_date(date(2023, 7, 5))


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_date_round_trip(d):
    assert parse_date(format_date(d)) == d
    assert parse_date(d.isoformat()) == d


# --- administrative phrases -----------------------------------------------


@pytest.mark.parametrize(
    "d, expected",
    [
        (date(2023, 7, 5), "ngày 05 tháng 7 năm 2023"),
        (date(2023, 2, 5), "ngày 05 tháng 02 năm 2023"),
        (date(2023, 1, 15), "ngày 15 tháng 01 năm 2023"),
        (date(2023, 6, 30), "ngày 30 tháng 6 năm 2023"),
        (date(2023, 11, 15), "ngày 15 tháng 11 năm 2023"),
        (date(2023, 3, 9), "ngày 09 tháng 3 năm 2023"),
        (date(2023, 12, 10), "ngày 10 tháng 12 năm 2023"),
    ],
)
def test_date_phrase(d, expected):
    assert date_phrase(d) == expected


def test_place_date_line():
    assert place_date_line("Hà Nội", date(2023, 6, 30)) == "Hà Nội, ngày 30 tháng 6 năm 2023"


# --- holidays and working days ---------------------------------------------


def test_holidays_2023():
    expected = {
        date(2023, 1, 1),
        date(2023, 1, 21),  # last day of the lunar year
        date(2023, 1, 22),  # Tết
        date(2023, 1, 23),
        date(2023, 1, 24),
        date(2023, 1, 25),
        date(2023, 4, 29),  # Hùng Kings
        date(2023, 4, 30),
        date(2023, 5, 1),
        date(2023, 9, 1),
        date(2023, 9, 2),
    }
    assert vietnam_public_holidays(2023) == expected


@pytest.mark.parametrize(
    "year, tet, hung_kings",
    [
        (2020, date(2020, 1, 25), date(2020, 4, 2)),
        (2023, date(2023, 1, 22), date(2023, 4, 29)),
        (2024, date(2024, 2, 10), date(2024, 4, 18)),
        (2025, date(2025, 1, 29), date(2025, 4, 7)),
        (2026, date(2026, 2, 17), date(2026, 4, 26)),
        (2030, date(2030, 2, 2), date(2030, 4, 12)),  # UTC+7: one day before China
    ],
)
def test_lunar_holidays(year, tet, hung_kings):
    days = vietnam_public_holidays(year)
    assert hung_kings in days
    assert {tet + timedelta(days=k) for k in range(-1, 4)} <= days
    assert tet - timedelta(days=2) not in days and tet + timedelta(days=4) not in days


def test_national_day_second_day_from_2021():
    assert date(2020, 9, 1) not in vietnam_public_holidays(2020)
    assert date(2021, 9, 1) in vietnam_public_holidays(2021)


def test_every_table_year_has_eleven_distinct_holidays():
    for year in LUNAR_TABLE_YEARS:
        days = vietnam_public_holidays(year)
        assert all(d.year == year for d in days)
        assert len(days) == (10 if year == 2020 else 11)


def test_holidays_returns_a_copy():
    vietnam_public_holidays(2023).clear()
    assert vietnam_public_holidays(2023)


def test_year_outside_table_is_refused():
    with pytest.raises(ValueError):
        vietnam_public_holidays(2019)
    with pytest.raises(ValueError):
        is_working_day(date(2036, 3, 3))


def test_is_working_day():
    assert is_working_day(date(2023, 7, 5))  # Wednesday
    assert not is_working_day(date(2023, 7, 8))  # Saturday
    assert not is_working_day(date(2023, 7, 9))  # Sunday
    assert not is_working_day(date(2023, 5, 1))  # Monday, Labour Day
    assert not is_working_day(date(2024, 2, 12))  # Monday in Tết


def test_add_working_days():
    assert add_working_days(date(2023, 7, 7), 1) == date(2023, 7, 10)  # Fri -> Mon
    assert add_working_days(date(2023, 7, 10), -1) == date(2023, 7, 7)
    assert add_working_days(date(2023, 7, 8), 0) == date(2023, 7, 8)
    # 28/4/2023 (Fri) +1 skips the weekend, 29/4 and 30/4 holidays and 1/5 (Mon).
    assert add_working_days(date(2023, 4, 28), 1) == date(2023, 5, 2)
    # Tết 2024: Thu 8/2 is a working day, 9-13/2 are holidays or weekend.
    assert add_working_days(date(2024, 2, 8), 1) == date(2024, 2, 14)


@given(
    st.dates(min_value=date(2021, 1, 1), max_value=date(2034, 12, 31)),
    st.integers(min_value=-40, max_value=40),
)
def test_add_working_days_inverse(d, n):
    later = add_working_days(d, n)
    assert n == 0 or is_working_day(later)
    if is_working_day(d):
        assert add_working_days(later, -n) == d


# --- Django format module ----------------------------------------------------


def test_django_format_module():
    assert formats.DECIMAL_SEPARATOR == ","
    assert formats.THOUSAND_SEPARATOR == "."
    assert formats.NUMBER_GROUPING == 3
    assert formats.DATE_FORMAT == formats.SHORT_DATE_FORMAT == "d/m/Y"
    assert formats.DATETIME_FORMAT == formats.SHORT_DATETIME_FORMAT == "H:i d/m/Y"
    assert formats.YEAR_MONTH_FORMAT == "m/Y"
    assert formats.FIRST_DAY_OF_WEEK == 1
    assert formats.DATE_INPUT_FORMATS == ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


def test_django_input_formats_agree_with_format_date():
    d = date(2023, 7, 5)
    # Django widgets render initial values with the first input format.
    assert d.strftime(formats.DATE_INPUT_FORMATS[0]) == format_date(d)
    for fmt in formats.DATE_INPUT_FORMATS:
        assert parse_date(d.strftime(fmt), allow_two_digit_year=True) == d
    moment = datetime(2023, 7, 5, 14, 30, 15)
    for fmt in formats.DATETIME_INPUT_FORMATS:
        parsed = datetime.strptime(moment.strftime(fmt), fmt)
        assert parsed.date() == d and (parsed.hour, parsed.minute) == (14, 30)


_DJANGO_CHECK = """
import django
from datetime import date
from django.conf import settings
settings.configure(USE_I18N=True, USE_TZ=False, FORMAT_MODULE_PATH=["solieu.formats"])
django.setup()
from django.utils import formats, translation
with translation.override("vi"):
    print(formats.number_format(1614206, use_l10n=True, force_grouping=True))
    print(formats.number_format("1234.5", decimal_pos=2, use_l10n=True, force_grouping=True))
    print(formats.date_format(date(2023, 7, 5), use_l10n=True))
    print(formats.get_format("DATE_INPUT_FORMATS", "vi")[0])
"""


def test_django_renders_with_format_module():
    """Run in a subprocess so that configuring Django here cannot leak into other tests."""
    pytest.importorskip("django")
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", _DJANGO_CHECK], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["1.614.206", "1.234,50", "05/07/2023", "%d/%m/%Y"]
