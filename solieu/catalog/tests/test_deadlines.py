"""Deadline rules of the regime (regime.md) expressed as (month offset, day)."""

from datetime import date

import pytest

from solieu.catalog.models import FormDeadline, Period
from solieu.catalog.periods import PeriodId


@pytest.mark.parametrize(
    "code, offset, day, expected",
    [
        ("202307", 0, 15, date(2023, 7, 15)),    # monthly: 15th of the reporting month
        ("202307", 0, 16, date(2023, 7, 16)),    # ministry units: 16th
        ("2023Q2", 0, 6, date(2023, 6, 6)),      # quarterly: 6th of the quarter's last month
        ("2023Q4", 0, 8, date(2023, 12, 8)),
        ("2023S1", 0, 6, date(2023, 6, 6)),      # six months: 06/06
        ("2023S1", 0, 8, date(2023, 6, 8)),      # 08/06
        ("2023", -1, 25, date(2023, 11, 25)),    # annual: 25/11
        ("2023", -1, 27, date(2023, 11, 27)),
        ("2023Q4", 1, 10, date(2024, 1, 10)),    # statistical quarterly: 10th of the next month
        ("2023", 3, 15, date(2024, 3, 15)),      # statistical annual: 15 March of the next year
        ("202401", 1, 30, date(2024, 2, 29)),    # day beyond the month's end: last day (leap year)
        ("202301", 1, 30, date(2023, 2, 28)),
    ],
)
def test_deadline_rule(code, offset, day, expected):
    assert FormDeadline(month_offset=offset, day=day).date_for(PeriodId.parse(code)) == expected


def test_deadline_descriptions_read_like_the_regime():
    assert FormDeadline(month_offset=0, day=15).describe() == "Ngày 15 tháng cuối kỳ"
    assert FormDeadline(month_offset=1, day=10).describe() == "Ngày 10 tháng sau kỳ báo cáo"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["202307", "2023Q2", "2023S1", "2023S2", "2023N9", "2023", "20230101_20230618"])
def test_periods_are_stored_once_with_calendar_dates(code):
    period = Period.objects.for_code(code)
    assert Period.objects.for_code(code) == period
    pid = PeriodId.parse(code)
    assert (period.start_date, period.end_date, period.type) == (pid.start_date, pid.end_date, pid.type.value)
    assert period.label == pid.label()


@pytest.mark.django_db
def test_period_window_depends_on_the_regime():
    period = Period.objects.for_code("202301")
    assert period.window("statistical") == (date(2023, 1, 1), date(2023, 1, 31))
    assert period.window("periodic") == (date(2022, 12, 15), date(2023, 1, 14))
