"""Properties of the number parser beyond test_numbers.py: any text at all, both conventions,
the entry layer's parse_cell and the API's read_number, the full stored range (18 integer digits,
6 decimals). Whatever comes in: a finite Decimal, never -0, or the parser's own error."""

from decimal import Decimal

import pytest
from hypothesis import example, given, strategies as st

from solieu.vi import NumberParseError, format_number, parse_number
from solieu.vi.numbers import parse_percent

STORED = st.decimals(min_value=Decimal("-999999999999999999.999999"), max_value=Decimal("999999999999999999.999999"),
                     places=6, allow_nan=False, allow_infinity=False)
NUMBERISH = st.text(alphabet="0123456789.,-+ eE%\u00a0\u2009\u2212nNaAiIfF", max_size=40)
ANY_TEXT = st.one_of(st.text(max_size=60), NUMBERISH)
HOSTILE = ["1e309", "-1e309", "NaN", "-nan", "sNaN", "Infinity", "-inf", "∞", "-0", "+0", "-0,0", "0e0",
           "1" * 400, "0," + "1" * 400, "١٢٣", "１２３", "1_000", "0x10", "1/2", "½", "1.2.3,4,5", "--1", "+-1",
           "\x00", "1\x00", " ", "1 000 000", "1\u00a0000", "1,234.5", "1.234,5", "−5"]


def check_result(value):
    assert isinstance(value, Decimal) and value.is_finite()
    assert not (value.is_zero() and value.is_signed()), "negative zero"


@given(ANY_TEXT, st.sampled_from(["vi", "en"]))
@pytest.mark.parametrize("hostile", HOSTILE)
def test_parse_number_gives_a_number_or_its_own_error(hostile, text, prefer):
    for candidate in (hostile, text):
        try:
            value = parse_number(candidate, prefer=prefer)
        except NumberParseError as error:
            assert type(error) is NumberParseError and error.message.startswith("Không đọc được số")
        else:
            check_result(value)


@given(ANY_TEXT)
@example("1e309")
@example("NaN")
@example("-0")
@example("9" * 19)
def test_parse_cell_gives_a_storable_number_or_an_entry_error(text):
    from solieu.collection.entry import EntryError, parse_cell

    try:
        value = parse_cell(text)
    except EntryError as error:
        assert error.message and error.code in ("parse", "range")
    else:
        if value is not None:
            check_result(value)
            assert value.adjusted() < 18


@given(ANY_TEXT)
def test_parse_percent_only_raises_the_parsers_error(text):
    try:
        check_result(parse_percent(text))
    except NumberParseError as error:
        assert error.message.startswith("Không đọc được")


@given(STORED, st.booleans())
def test_every_storable_value_round_trips_through_vietnamese_text(x, grouping):
    assert parse_number(format_number(x, grouping=grouping)) == x


@given(STORED)
def test_every_storable_value_round_trips_through_plain_text(x):
    """The plain form the API exports ("1234.5") reads back under prefer="en"."""
    from solieu.api.data import plain_number

    assert parse_number(plain_number(x), prefer="en") == x


@given(NUMBERISH)
def test_reading_is_idempotent(text):
    """A number read, printed the Vietnamese way and read again is the same number."""
    try:
        value = parse_number(text)
    except NumberParseError:
        return
    assert parse_number(format_number(value)) == value


json_like = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                      st.decimals(allow_nan=True, allow_infinity=True), ANY_TEXT,
                      st.lists(st.integers(), max_size=2))


@given(json_like, st.booleans())
def test_api_read_number_refuses_cleanly(raw, machine):
    from solieu.api.data import MAX_ABS_VALUE, NumberText, ValueRefused, read_number

    for candidate in (raw, NumberText(str(raw)) if isinstance(raw, (int, Decimal)) else raw):
        try:
            value = read_number(candidate, machine_strings=machine)
        except ValueRefused as error:
            assert error.message
        else:
            if value is not None:
                check_result(value)
                assert abs(value) < MAX_ABS_VALUE
