"""Deadlines as documents write them: a day, a period, an event, or none."""

from datetime import date

import pytest

from solieu.assignments.deadlines import DeadlineError, parse_deadline


@pytest.mark.parametrize("text, kind, day", [
    ("30/6/2024", "date", date(2024, 6, 30)),
    ("30.06.2024", "date", date(2024, 6, 30)),
    ("Trước ngày 15/4", "date", date(2024, 4, 15)),          # no year: the document's
    ("Trước ngày 15/4/2025", "date", date(2025, 4, 15)),
    ("Quý II/2024", "period", date(2024, 6, 30)),
    ("quý 3", "period", date(2024, 9, 30)),
    ("dự kiến quý 3", "period", date(2024, 9, 30)),
    ("Tháng 6", "period", date(2024, 6, 30)),
    ("Trong tháng 12/2023", "period", date(2023, 12, 31)),
    ("6 tháng đầu năm", "period", date(2024, 6, 30)),
    ("6 tháng cuối năm 2024", "period", date(2024, 12, 31)),
    ("Năm 2025", "period", date(2025, 12, 31)),
    ("Trước quý III/2024", "period", date(2024, 6, 30)),     # "before" a period: the day before it
    ("Khi Luật Dữ liệu có hiệu lực (01/7/2025)", "event", date(2025, 7, 1)),
    ("Kỳ họp thứ 8 Quốc hội khóa XV", "event", None),
    ("Thường xuyên", "ongoing", None),
    ("Hằng năm", "ongoing", None),
])
def test_reading(text, kind, day):
    deadline = parse_deadline(text, 2024)
    assert (deadline.kind, deadline.date, deadline.text) == (kind, day, text)


@pytest.mark.parametrize("text, message", [
    ("31/02/2024", 'Ngày "31/02/2024" không hợp lệ: tháng 2 năm 2024 chỉ có 29 ngày.'),
    ("Tháng 13/2024", 'Thời hạn "Tháng 13/2024" không hợp lệ: tháng phải từ 1 đến 12 (nhận được 13).'),
    ("Khi Luật có hiệu lực (30/02/2025)", 'Ngày "30/02/2025" không hợp lệ: tháng 2 năm 2025 chỉ có 28 ngày.'),
    ("", "Chưa ghi thời gian hoàn thành."),
])
def test_impossible_deadlines_are_refused_with_the_reason(text, message):
    with pytest.raises(DeadlineError) as info:
        parse_deadline(text, 2024)
    assert info.value.message == message


def test_a_missing_year_needs_the_document_date():
    with pytest.raises(DeadlineError, match="không ghi năm"):
        parse_deadline("Trước ngày 15/4")
    with pytest.raises(DeadlineError, match="không ghi năm"):
        parse_deadline("Quý II")
