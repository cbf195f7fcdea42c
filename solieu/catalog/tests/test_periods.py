from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solieu.catalog.periods import (
    PeriodError,
    PeriodId,
    PeriodType,
    Regime,
    parse_label,
    periods_between,
)

P = PeriodId.parse

# -- strategies ---------------------------------------------------------------

years = st.integers(min_value=1990, max_value=2100)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def ranges(draw):
    # Up to ten years long, so that the previous range stays within the supported years.
    a = draw(dates)
    return PeriodId.range(a, a + timedelta(days=draw(st.integers(0, 3660))))


named_periods = st.one_of(
    st.builds(PeriodId.month, years, st.integers(1, 12)),
    st.builds(PeriodId.quarter, years, st.integers(1, 4)),
    st.builds(PeriodId.half, years, st.integers(1, 2)),
    st.builds(PeriodId.nine_months, years),
    st.builds(PeriodId.year_of, years),
)
all_periods = st.one_of(named_periods, ranges())


# -- codes --------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, code",
    [
        (PeriodId.month(2023, 7), "202307"),
        (PeriodId.month(2023, 12), "202312"),
        (PeriodId.quarter(2023, 2), "2023Q2"),
        (PeriodId.half(2023, 1), "2023S1"),
        (PeriodId.half(2023, 2), "2023S2"),
        (PeriodId.nine_months(2023), "2023N9"),
        (PeriodId.year_of(2023), "2023"),
        (PeriodId.range(date(2023, 1, 1), date(2023, 6, 18)), "20230101_20230618"),
        (PeriodId.range(date(2022, 12, 15), date(2023, 1, 14)), "20221215_20230114"),
    ],
)
def test_code_examples(period, code):
    assert period.code == code
    assert str(period) == code
    assert P(code) == period


@given(all_periods)
def test_code_round_trip(period):
    assert P(period.code) == period
    assert P(period.code).code == period.code


def test_parse_fields():
    assert P("2023Q2") == PeriodId(PeriodType.QUARTER, 2023, 2)
    assert P("2023N9").index == 1
    assert P("2023").index == 1
    r = P("20221201_20230105")
    assert (r.type, r.year, r.index) == (PeriodType.RANGE, 2022, 0)
    assert (r.start, r.end) == (date(2022, 12, 1), date(2023, 1, 5))


def test_periods_are_hashable_and_sortable():
    months = [P("202303"), P("202212"), P("202301")]
    assert sorted(months) == [P("202212"), P("202301"), P("202303")]
    assert len({P("2023Q1"), PeriodId.quarter(2023, 1)}) == 1
    assert repr(P("2023Q1")) == "PeriodId.parse('2023Q1')"


def test_type_given_as_string_is_coerced():
    assert PeriodId("quarter", 2023, 1).type is PeriodType.QUARTER


@pytest.mark.parametrize(
    "code, message",
    [
        ("2023Q0", 'Mã kỳ báo cáo "2023Q0" không hợp lệ: quý phải từ 1 đến 4.'),
        ("2023Q5", 'Mã kỳ báo cáo "2023Q5" không hợp lệ: quý phải từ 1 đến 4.'),
        ("2023Q01", 'Mã kỳ báo cáo "2023Q01" không hợp lệ: quý phải từ 1 đến 4.'),
        ("202313", 'Mã kỳ báo cáo "202313" không hợp lệ: tháng phải từ 01 đến 12.'),
        ("202300", 'Mã kỳ báo cáo "202300" không hợp lệ: tháng phải từ 01 đến 12.'),
        (
            "2023S3",
            'Mã kỳ báo cáo "2023S3" không hợp lệ: kỳ 6 tháng phải là S1 '
            "(6 tháng đầu năm) hoặc S2 (6 tháng cuối năm).",
        ),
        ("2023N8", 'Mã kỳ báo cáo "2023N8" không hợp lệ: kỳ 9 tháng phải ghi là "N9".'),
        (
            "20230230_20230301",
            'Mã kỳ báo cáo "20230230_20230301" không hợp lệ: ngày bắt đầu '
            '"20230230" không tồn tại: tháng 2/2023 chỉ có 28 ngày.',
        ),
        (
            "20230101_20230229",
            'Mã kỳ báo cáo "20230101_20230229" không hợp lệ: ngày kết thúc '
            '"20230229" không tồn tại: tháng 2/2023 chỉ có 28 ngày.',
        ),
        (
            "21000101_21000229",
            'Mã kỳ báo cáo "21000101_21000229" không hợp lệ: ngày kết thúc '
            '"21000229" không tồn tại: tháng 2/2100 chỉ có 28 ngày.',
        ),
        (
            "20231301_20231302",
            'Mã kỳ báo cáo "20231301_20231302" không hợp lệ: ngày bắt đầu '
            '"20231301" không tồn tại: tháng phải từ 1 đến 12.',
        ),
        (
            "20230618_20230101",
            'Mã kỳ báo cáo "20230618_20230101" không hợp lệ: ngày bắt đầu '
            "18/06/2023 sau ngày kết thúc 01/01/2023.",
        ),
        (
            "2023011_20230618",
            'Mã kỳ báo cáo "2023011_20230618" không hợp lệ: ngày bắt đầu '
            '"2023011" phải có dạng YYYYMMDD (8 chữ số).',
        ),
        ("23Q1", 'Mã kỳ báo cáo "23Q1" không hợp lệ: năm phải gồm đủ 4 chữ số.'),
        ("", "Mã kỳ báo cáo không được để trống."),
        (
            "2023q1",
            'Mã kỳ báo cáo "2023q1" không hợp lệ: ký hiệu loại kỳ phải viết hoa ("Q").',
        ),
        (
            "2023H1",
            'Mã kỳ báo cáo "2023H1" không hợp lệ: ký hiệu loại kỳ "H" không được '
            "hỗ trợ; chỉ dùng Q (quý), S (6 tháng) hoặc N (9 tháng).",
        ),
        (" 2023Q1", 'Mã kỳ báo cáo " 2023Q1" không hợp lệ: không được chứa khoảng trắng.'),
        (
            "1899",
            'Mã kỳ báo cáo "1899" không hợp lệ: năm phải từ 1900 đến 2999 (nhận được 1899).',
        ),
        (
            "3000Q1",
            'Mã kỳ báo cáo "3000Q1" không hợp lệ: năm phải từ 1900 đến 2999 (nhận được 3000).',
        ),
        (
            "23",
            'Mã kỳ báo cáo "23" không hợp lệ: mã chỉ gồm chữ số phải có 4 chữ số '
            '(năm, ví dụ "2023") hoặc 6 chữ số (tháng, ví dụ "202307").',
        ),
        (
            "2023-07",
            'Mã kỳ báo cáo "2023-07" không hợp lệ: không đúng định dạng nào trong '
            '"2023" (năm), "202307" (tháng), "2023Q2" (quý), "2023S1"/"2023S2" '
            '(6 tháng), "2023N9" (9 tháng), "20230101_20230618" (khoảng ngày).',
        ),
        (
            "２０２３",  # full-width digits look right but are not a code
            'Mã kỳ báo cáo "２０２３" không hợp lệ: không đúng định dạng nào trong '
            '"2023" (năm), "202307" (tháng), "2023Q2" (quý), "2023S1"/"2023S2" '
            '(6 tháng), "2023N9" (9 tháng), "20230101_20230618" (khoảng ngày).',
        ),
    ],
)
def test_parse_rejects_with_precise_message(code, message):
    with pytest.raises(PeriodError) as excinfo:
        P(code)
    assert excinfo.value.message == message
    assert str(excinfo.value) == message
    assert isinstance(excinfo.value, ValueError)


def test_parse_rejects_non_string():
    with pytest.raises(PeriodError, match="phải là chuỗi ký tự"):
        P(202307)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: PeriodId.month(2023, 13), "tháng phải từ 1 đến 12 (nhận được 13)"),
        (lambda: PeriodId.quarter(2023, 0), "quý phải từ 1 đến 4 (nhận được 0)"),
        (lambda: PeriodId.half(2023, 3), "kỳ 6 tháng phải là 1"),
        (lambda: PeriodId(PeriodType.NINE_MONTHS, 2023, 9), "kỳ 9 tháng chỉ có chỉ số 1"),
        (lambda: PeriodId.year_of(1899), "năm phải từ 1900 đến 2999"),
        (lambda: PeriodId.month(True, 1), "năm phải là số nguyên"),
        (
            lambda: PeriodId.range(date(2023, 6, 18), date(2023, 1, 1)),
            "ngày bắt đầu 18/06/2023 sau ngày kết thúc 01/01/2023",
        ),
        (
            lambda: PeriodId.range(datetime(2023, 1, 1), date(2023, 1, 2)),
            "kiểu date",
        ),
        (
            lambda: PeriodId(PeriodType.RANGE, 2022, 0, date(2023, 1, 1), date(2023, 1, 2)),
            "năm của khoảng ngày phải là 2023",
        ),
        (
            lambda: PeriodId(PeriodType.MONTH, 2023, 1, date(2023, 1, 1), date(2023, 1, 2)),
            "chỉ khoảng ngày",
        ),
        (lambda: PeriodId("week", 2023, 1), 'Loại kỳ "week" không hợp lệ'),
    ],
)
def test_constructors_validate(build, message):
    with pytest.raises(PeriodError) as excinfo:
        build()
    assert message in excinfo.value.message


# -- calendar bounds and windows -------------------------------------------------


@pytest.mark.parametrize(
    "code, start, end",
    [
        ("202307", date(2023, 7, 1), date(2023, 7, 31)),
        ("202402", date(2024, 2, 1), date(2024, 2, 29)),
        ("202302", date(2023, 2, 1), date(2023, 2, 28)),
        ("210002", date(2100, 2, 1), date(2100, 2, 28)),
        ("200002", date(2000, 2, 1), date(2000, 2, 29)),
        ("2023Q1", date(2023, 1, 1), date(2023, 3, 31)),
        ("2023Q2", date(2023, 4, 1), date(2023, 6, 30)),
        ("2023Q3", date(2023, 7, 1), date(2023, 9, 30)),
        ("2023Q4", date(2023, 10, 1), date(2023, 12, 31)),
        ("2023S1", date(2023, 1, 1), date(2023, 6, 30)),
        ("2023S2", date(2023, 7, 1), date(2023, 12, 31)),
        ("2023N9", date(2023, 1, 1), date(2023, 9, 30)),
        ("2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("20230101_20230618", date(2023, 1, 1), date(2023, 6, 18)),
    ],
)
def test_calendar_bounds_and_statistical_window(code, start, end):
    period = P(code)
    assert (period.start_date, period.end_date) == (start, end)
    assert period.window(Regime.STATISTICAL) == (start, end)
    assert period.window("statistical") == (start, end)
    assert period.window(Regime.AD_HOC) == (start, end)


@pytest.mark.parametrize(
    "code, start, end",
    [
        ("202301", date(2022, 12, 15), date(2023, 1, 14)),
        ("202307", date(2023, 6, 15), date(2023, 7, 14)),
        ("202312", date(2023, 11, 15), date(2023, 12, 14)),
        ("202403", date(2024, 2, 15), date(2024, 3, 14)),
        ("2023Q1", date(2022, 12, 15), date(2023, 3, 14)),
        ("2023Q2", date(2023, 3, 15), date(2023, 6, 14)),
        ("2023Q3", date(2023, 6, 15), date(2023, 9, 14)),
        ("2023Q4", date(2023, 9, 15), date(2023, 12, 14)),
        ("2023S1", date(2022, 12, 15), date(2023, 6, 14)),
        ("2023S2", date(2023, 6, 15), date(2023, 12, 14)),
        ("2023N9", date(2022, 12, 15), date(2023, 9, 14)),
        ("2023", date(2022, 12, 15), date(2023, 12, 14)),
        # A range's dates are explicit, so no regime moves them.
        ("20230101_20230618", date(2023, 1, 1), date(2023, 6, 18)),
    ],
)
def test_periodic_window(code, start, end):
    assert P(code).window(Regime.PERIODIC) == (start, end)
    assert P(code).window("periodic") == (start, end)


@given(named_periods)
def test_periodic_windows_tile_without_gaps(period):
    _, end = period.window(Regime.PERIODIC)
    if period.type is PeriodType.NINE_MONTHS:
        return  # nine-month periods overlap from year to year by design
    next_start, _ = period.next().window(Regime.PERIODIC)
    assert next_start == end + timedelta(days=1)


@given(named_periods)
def test_calendar_windows_tile_without_gaps(period):
    if period.type is PeriodType.NINE_MONTHS:
        return
    assert period.next().start_date == period.end_date + timedelta(days=1)


def test_unknown_regime_is_rejected():
    with pytest.raises(PeriodError) as excinfo:
        P("202301").window("weekly")
    assert excinfo.value.message == (
        'Chế độ báo cáo "weekly" không hợp lệ: phải là một trong '
        "statistical, periodic, ad_hoc."
    )


# -- labels ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, label, title",
    [
        ("202307", "tháng 7/2023", "Tháng 7/2023"),
        ("202312", "tháng 12/2023", "Tháng 12/2023"),
        ("2023Q1", "quý I/2023", "Quý I/2023"),
        ("2023Q2", "quý II/2023", "Quý II/2023"),
        ("2023Q3", "quý III/2023", "Quý III/2023"),
        ("2023Q4", "quý IV/2023", "Quý IV/2023"),
        ("2023S1", "6 tháng đầu năm 2023", "6 tháng đầu năm 2023"),
        ("2023S2", "6 tháng cuối năm 2023", "6 tháng cuối năm 2023"),
        ("2023N9", "9 tháng năm 2023", "9 tháng năm 2023"),
        ("2023", "năm 2023", "Năm 2023"),
        (
            "20230101_20230618",
            "từ ngày 01/01/2023 đến ngày 18/06/2023",
            "Từ ngày 01/01/2023 đến ngày 18/06/2023",
        ),
    ],
)
def test_labels(code, label, title):
    assert P(code).label() == label
    assert P(code).label_title() == title


@pytest.mark.parametrize(
    "text, code",
    [
        ("tháng 7/2023", "202307"),
        ("Tháng 07/2023", "202307"),
        ("tháng 7 năm 2023", "202307"),
        ("THÁNG 7 / 2023", "202307"),
        ("thang 7/2023", "202307"),
        ("quý II/2023", "2023Q2"),
        ("quý 2/2023", "2023Q2"),
        ("Quý II năm 2023", "2023Q2"),
        ("quy II/2023", "2023Q2"),
        ("QUY iv nam 2023", "2023Q4"),
        ("6 tháng đầu năm 2023", "2023S1"),
        ("06 tháng đầu năm 2023", "2023S1"),
        ("6 tháng cuối năm 2023", "2023S2"),
        ("6 thang dau nam 2023", "2023S1"),
        ("6 THANG CUOI NAM 2023", "2023S2"),
        ("6 tháng năm 2023", "2023S1"),
        ("9 tháng năm 2023", "2023N9"),
        ("9 tháng đầu năm 2023", "2023N9"),
        ("09 thang dau nam 2023", "2023N9"),
        ("năm 2023", "2023"),
        ("Năm 2023", "2023"),
        ("nam 2023", "2023"),
        ("2023", "2023"),
        ("  tháng   7/2023  ", "202307"),
        ("tháng\u00a07/2023", "202307"),  # non-breaking space from Word
        ("từ ngày 01/01/2023 đến ngày 18/06/2023", "20230101_20230618"),
        ("tu 1/1/2023 den 18/6/2023", "20230101_20230618"),
    ],
)
def test_parse_label(text, code):
    assert parse_label(text) == P(code)


def test_parse_label_accepts_decomposed_unicode():
    import unicodedata

    assert parse_label(unicodedata.normalize("NFD", "Quý II/2023")) == P("2023Q2")


@given(all_periods)
def test_label_round_trip(period):
    assert parse_label(period.label()) == period
    assert parse_label(period.label_title()) == period


@pytest.mark.parametrize(
    "text, message",
    [
        ("tháng 13/2023", 'Kỳ báo cáo "tháng 13/2023" không hợp lệ: tháng phải từ 1 đến 12 (nhận được 13).'),
        ("tháng 0/2023", 'Kỳ báo cáo "tháng 0/2023" không hợp lệ: tháng phải từ 1 đến 12 (nhận được 0).'),
        ("quý V/2023", 'Kỳ báo cáo "quý V/2023" không hợp lệ: quý phải từ I đến IV (nhận được "V").'),
        ("quý 5/2023", 'Kỳ báo cáo "quý 5/2023" không hợp lệ: quý phải từ I đến IV (nhận được "5").'),
        ("năm 1899", 'Kỳ báo cáo "năm 1899" không hợp lệ: năm phải từ 1900 đến 2999 (nhận được 1899).'),
        (
            "từ ngày 30/02/2023 đến ngày 01/03/2023",
            'Kỳ báo cáo "từ ngày 30/02/2023 đến ngày 01/03/2023" không hợp lệ: ngày bắt đầu '
            "30/02/2023 không tồn tại: tháng 2/2023 chỉ có 28 ngày.",
        ),
        (
            "từ ngày 18/06/2023 đến ngày 01/01/2023",
            'Kỳ báo cáo "từ ngày 18/06/2023 đến ngày 01/01/2023" không hợp lệ: ngày bắt đầu '
            "18/06/2023 sau ngày kết thúc 01/01/2023.",
        ),
        ("", "Kỳ báo cáo không được để trống."),
        ("   ", "Kỳ báo cáo không được để trống."),
    ],
)
def test_parse_label_rejects_invalid_values(text, message):
    with pytest.raises(PeriodError) as excinfo:
        parse_label(text)
    assert excinfo.value.message == message


@pytest.mark.parametrize(
    "text",
    ["tháng 7/23", "quý II", "6 tháng giữa năm 2023", "8 tháng năm 2023", "2023Q2", "hôm qua"],
)
def test_parse_label_rejects_unrecognised_text(text):
    with pytest.raises(PeriodError) as excinfo:
        parse_label(text)
    assert excinfo.value.message.startswith(f'Không nhận dạng được kỳ báo cáo "{text}": hãy ghi theo mẫu')
    assert '"quý II/2023"' in excinfo.value.message


# -- navigation -------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, previous",
    [
        ("202301", "202212"),
        ("202307", "202306"),
        ("2023Q1", "2022Q4"),
        ("2023Q3", "2023Q2"),
        ("2023S1", "2022S2"),
        ("2023S2", "2023S1"),
        ("2023N9", "2022N9"),
        ("2023", "2022"),
        ("20230101_20230110", "20221222_20221231"),
        ("20240301_20240301", "20240229_20240229"),
    ],
)
def test_previous_and_next(code, previous):
    assert P(code).previous() == P(previous)
    assert P(previous).next() == P(code)


@pytest.mark.parametrize(
    "code, last_year",
    [
        ("202301", "202201"),
        ("2023Q4", "2022Q4"),
        ("2023S1", "2022S1"),
        ("2023N9", "2022N9"),
        ("2023", "2022"),
        ("20230101_20230618", "20220101_20220618"),
        ("20240229_20240229", "20230228_20230228"),
        ("20231215_20240229", "20221215_20230228"),
    ],
)
def test_same_period_last_year(code, last_year):
    assert P(code).same_period_last_year() == P(last_year)


def test_navigation_reports_year_bounds():
    with pytest.raises(PeriodError, match="năm phải từ 1900 đến 2999"):
        P("190001").previous()


@given(all_periods)
def test_previous_then_next_is_identity(period):
    assert period.previous().next() == period
    assert period.next().previous() == period


@given(ranges())
def test_previous_range_has_same_length_and_touches(period):
    before = period.previous()
    assert before.end_date + timedelta(days=1) == period.start_date
    assert before.end_date - before.start_date == period.end_date - period.start_date


# -- months, containment, year to date --------------------------------------------


def test_months():
    assert P("2023Q2").months() == [P("202304"), P("202305"), P("202306")]
    assert len(P("2023").months()) == 12
    assert len(P("2023N9").months()) == 9
    assert P("202307").months() == [P("202307")]
    assert P("20221215_20230105").months() == [P("202212"), P("202301")]


@given(all_periods)
def test_months_cover_the_period(period):
    months = period.months()
    assert months[0].start_date <= period.start_date
    assert months[-1].end_date >= period.end_date
    assert all(b == a.next() for a, b in zip(months, months[1:]))


def test_contains():
    assert P("2023").contains(P("2023Q2"))
    assert P("2023S1").contains(P("202306"))
    assert not P("2023S1").contains(P("202307"))
    assert P("2023N9").contains(P("2023Q3"))
    assert not P("2023Q1").contains(P("20221231_20230105"))
    assert P("2023Q1").contains(P("20230105_20230110"))
    assert P("202307").is_within(P("2023S2"))
    assert P("2023").contains(P("2023"))


@pytest.mark.parametrize(
    "code, ytd",
    [
        ("202301", "202301"),
        ("202303", "2023Q1"),
        ("202305", "20230101_20230531"),
        ("202402", "20240101_20240229"),
        ("202306", "2023S1"),
        ("202309", "2023N9"),
        ("202311", "20230101_20231130"),
        ("202312", "2023"),
        ("2023Q1", "2023Q1"),
        ("2023Q2", "2023S1"),
        ("2023Q3", "2023N9"),
        ("2023Q4", "2023"),
        ("2023S1", "2023S1"),
        ("2023S2", "2023"),
        ("2023N9", "2023N9"),
        ("2023", "2023"),
        ("20230301_20230415", "20230101_20230415"),
        ("20221201_20230115", "20230101_20230115"),
        ("20230301_20230630", "2023S1"),
    ],
)
def test_year_to_date(code, ytd):
    assert P(code).year_to_date() == P(ytd)


@given(all_periods)
def test_year_to_date_runs_from_new_year_to_the_end(period):
    ytd = period.year_to_date()
    assert ytd.start_date == date(period.end_date.year, 1, 1)
    assert ytd.end_date == period.end_date


def test_containing():
    d = date(2023, 8, 20)
    assert PeriodId.containing(PeriodType.MONTH, d) == P("202308")
    assert PeriodId.containing("quarter", d) == P("2023Q3")
    assert PeriodId.containing(PeriodType.SIX_MONTHS, d) == P("2023S2")
    assert PeriodId.containing(PeriodType.NINE_MONTHS, d) == P("2023N9")
    assert PeriodId.containing(PeriodType.YEAR, d) == P("2023")
    with pytest.raises(PeriodError, match="không thuộc kỳ 9 tháng nào"):
        PeriodId.containing(PeriodType.NINE_MONTHS, date(2023, 10, 1))
    with pytest.raises(PeriodError):
        PeriodId.containing(PeriodType.RANGE, d)


@given(dates, st.sampled_from([t for t in PeriodType if t not in (PeriodType.RANGE, PeriodType.NINE_MONTHS)]))
def test_containing_contains_the_date(d, kind):
    period = PeriodId.containing(kind, d)
    assert period.start_date <= d <= period.end_date


# -- periods_between ----------------------------------------------------------------


def test_periods_between():
    assert periods_between(PeriodType.MONTH, P("202211"), P("202302")) == [
        P("202211"), P("202212"), P("202301"), P("202302"),
    ]
    assert periods_between("quarter", P("2023Q2"), P("2023Q2")) == [P("2023Q2")]
    assert periods_between(PeriodType.SIX_MONTHS, P("2022S2"), P("2023S2")) == [
        P("2022S2"), P("2023S1"), P("2023S2"),
    ]
    assert periods_between(PeriodType.NINE_MONTHS, P("2021N9"), P("2023N9")) == [
        P("2021N9"), P("2022N9"), P("2023N9"),
    ]
    # Endpoints of another type are widened to the periods that contain them.
    assert periods_between(PeriodType.QUARTER, P("2023"), P("2023")) == [
        P("2023Q1"), P("2023Q2"), P("2023Q3"), P("2023Q4"),
    ]
    assert periods_between(PeriodType.YEAR, P("202211"), P("2023Q1")) == [P("2022"), P("2023")]


def test_periods_between_rejects_reversed_and_range():
    with pytest.raises(PeriodError, match="nằm sau kỳ cuối"):
        periods_between(PeriodType.MONTH, P("202302"), P("202301"))
    with pytest.raises(PeriodError):
        periods_between(PeriodType.RANGE, P("202301"), P("202302"))


@given(named_periods)
def test_periods_between_a_year_of_months(period):
    months = periods_between(PeriodType.MONTH, period, period)
    assert months == period.months()
