from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solieu.vi import (
    NumberParseError,
    format_amount,
    format_number,
    format_percent,
    is_ambiguous,
    parse_number,
    parse_percent,
)

D = Decimal


# --- format_number ---------------------------------------------------------


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (1614206, None, "1.614.206"),
        (D("8.66"), None, "8,66"),
        (D("8.6"), 2, "8,60"),
        (D("27477.00"), None, "27.477"),
        (D("-1234.5"), None, "-1.234,5"),
        (D("-0"), None, "0"),
        (D("-0.00"), None, "0"),
        (D("-0.001"), 2, "0,00"),
        (D("2.345"), 2, "2,35"),
        (D("2.5"), 0, "3"),
        (D("-2.5"), 0, "-3"),
        (D("999.995"), 2, "1.000,00"),
        (D("1E+3"), None, "1.000"),
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (-1000000, None, "-1.000.000"),
        ("1234.50", None, "1.234,5"),
        (" -12 ", None, "-12"),
        (D("123456789012345678901234.5678"), None, "123.456.789.012.345.678.901.234,5678"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_none_and_grouping_off():
    assert format_number(None) == ""
    assert format_number(1614206, grouping=False) == "1614206"
    assert format_number(D("1234.5"), grouping=False) == "1234,5"


@pytest.mark.parametrize("bad", [1.5, True])
def test_format_number_refuses_float_and_bool(bad):
    with pytest.raises(TypeError):
        format_number(bad)


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity"), "1.234,5", "1e5", "abc"])
def test_format_number_refuses_non_plain(bad):
    with pytest.raises(ValueError):
        format_number(bad)


def test_format_number_refuses_negative_decimals():
    with pytest.raises(ValueError):
        format_number(1, -1)


def test_format_percent_and_amount():
    assert format_percent(D("8.66")) == "8,66%"
    assert format_percent(D("8.6"), 2) == "8,60%"
    assert format_percent(None) == ""
    assert format_amount(D("27477.00"), "tỷ đồng") == "27.477 tỷ đồng"
    assert format_amount(D("1234.567"), "triệu đồng", 1) == "1.234,6 triệu đồng"
    assert format_amount(None, "đồng") == ""


# --- parse_number ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.234,5", D("1234.5")),
        ("1.614.206", D("1614206")),
        ("8,66", D("8.66")),
        ("-1.234", D("-1234")),
        ("+5", D("5")),
        ("1234.5", D("1234.5")),
        ("1234", D("1234")),
        ("1,234.5", D("1234.5")),
        ("  1.234,5  ", D("1234.5")),
        ("1 234,5", D("1234.5")),
        ("1\u00a0234,5", D("1234.5")),
        ("1\u2009234\u2009567", D("1234567")),
        ("1\u202f234,5", D("1234.5")),
        ("1,234", D("1.234")),
        ("1.234", D("1234")),
        ("3.14", D("3.14")),
        ("0.500", D("0.5")),
        ("1.234.567", D("1234567")),
        ("1,234,567", D("1234567")),
        (",5", D("0.5")),
        (".5", D("0.5")),
        (",500", D("0.5")),
        ("-,5", D("-0.5")),
        ("- 5", D("-5")),
        ("\u22125", D("-5")),
        ("007", D("7")),
        ("1.234.567,89", D("1234567.89")),
    ],
)
def test_parse_number_vi(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.234", D("1.234")),
        ("1,234", D("1234")),
        ("1,234.5", D("1234.5")),
        ("1.234,5", D("1234.5")),
        ("1234,5", D("1234.5")),
        ("8,66", D("8.66")),
        ("1,234,567", D("1234567")),
        ("1.234.567", D("1234567")),
        (".500", D("0.5")),
    ],
)
def test_parse_number_en(text, expected):
    assert parse_number(text, prefer="en") == expected


def test_parse_number_negative_zero_is_normalised():
    for text in ("-0", "-0,00", "-0.000", "-000"):
        result = parse_number(text)
        assert result == 0 and not result.is_signed()
    assert not parse_number(D("-0")).is_signed()


def test_parse_number_accepts_int_and_decimal_and_refuses_float():
    assert parse_number(1234) == D("1234")
    assert parse_number(D("8.66")) == D("8.66")
    with pytest.raises(TypeError):
        parse_number(1.5)
    with pytest.raises(ValueError):
        parse_number("1", prefer="fr")


def _message(text, **kwargs):
    with pytest.raises(NumberParseError) as info:
        parse_number(text, **kwargs)
    assert str(info.value) == info.value.message
    assert isinstance(info.value, ValueError)
    return info.value.message


def test_parse_number_exact_messages():
    assert _message("12a") == (
        'Không đọc được số "12a": chỉ được dùng chữ số, dấu chấm phân cách hàng nghìn '
        "và dấu phẩy thập phân."
    )
    assert _message("") == "Không đọc được số: ô nhập đang để trống."
    assert _message("   ") == "Không đọc được số: ô nhập đang để trống."
    assert _message("--5") == 'Không đọc được số "--5": chỉ được có một dấu "+" hoặc "-".'
    assert _message("1e5") == (
        'Không đọc được số "1e5": không chấp nhận cách viết lũy thừa (như "1e5"); '
        "hãy viết đủ các chữ số."
    )
    assert _message("NaN") == (
        'Không đọc được số "NaN": không chấp nhận giá trị NaN hay vô cực (Infinity).'
    )
    assert _message("1" * 29) == (
        f'Không đọc được số "{"1" * 29}": số quá dài (tối đa 28 chữ số có nghĩa).'
    )
    assert _message("1..2") == 'Không đọc được số "1..2": có hai dấu phân cách đứng liền nhau.'
    assert _message("1.2.3,4,5") == (
        'Không đọc được số "1.2.3,4,5": dấu thập phân "," chỉ được xuất hiện một lần.'
    )
    assert _message("1.23.456") == (
        'Không đọc được số "1.23.456": nhóm "23" sau dấu phân cách hàng nghìn phải có đúng 3 chữ số.'
    )
    assert _message(".500") == (
        'Không đọc được số ".500": không rõ dấu "." là phân cách hàng nghìn hay dấu thập phân; '
        'hãy viết "0,500" hoặc "500".'
    )
    assert _message("5%") == 'Không đọc được số "5%": dấu "%" chỉ được dùng khi nhập tỷ lệ phần trăm.'


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1,5a",
        "+-5",
        "-5-",
        "5-",
        "1E5",
        "1.5e-3",
        "nan",
        "-inf",
        "inf",
        "Infinity",
        "-Infinity",
        "1,,2",
        "1.2.3,4,5",
        "1.",
        "1,",
        ".",
        "+",
        "1234.567.890",
        "0.234.567",
        "12.34.567",
        "1.234,567.8",
        "1 234.567.8",
        "1.234 567",
        "1  234",
        "(1.234)",
        "1/2",
        "١٢٣",
        "123456789012345678901234567890",
        ",5.5",
    ],
)
def test_parse_number_refusals(text):
    with pytest.raises(NumberParseError):
        parse_number(text)


def test_leading_separator_refused_when_ambiguous_under_en():
    with pytest.raises(NumberParseError):
        parse_number(",500", prefer="en")
    assert parse_number(",5", prefer="en") == D("0.5")


def test_twenty_eight_significant_digits_are_accepted():
    assert parse_number("9" * 28) == D("9" * 28)
    assert parse_number("0,000" + "1" * 28) == D("0.000" + "1" * 28)


# --- parse_percent and is_ambiguous ---------------------------------------


@pytest.mark.parametrize("text", ["8,66%", "8,66 %", "8,66", " 8,66\u00a0% "])
def test_parse_percent(text):
    assert parse_percent(text) == D("8.66")


def test_parse_percent_refusals():
    for text in ("%", "8,66%%", "8,66 %x"):
        with pytest.raises(NumberParseError):
            parse_percent(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.234", True),
        ("35,892", True),
        ("-1.234", True),
        (".500", True),
        ("1.234.567", False),
        ("1.234,5", False),
        ("1234.567", False),
        ("0.500", False),
        ("8,66", False),
        ("1234", False),
        ("abc", False),
        (None, False),
    ],
)
def test_is_ambiguous(text, expected):
    assert is_ambiguous(text) is expected


# --- properties ------------------------------------------------------------

decimals_4 = st.decimals(
    min_value=D("-999999999999999.9999"),
    max_value=D("999999999999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
_TO_EN = str.maketrans({".": ",", ",": "."})


@given(decimals_4, st.booleans())
def test_round_trip_vietnamese(x, grouping):
    assert parse_number(format_number(x, grouping=grouping)) == x


@given(decimals_4, st.integers(min_value=0, max_value=4))
def test_round_trip_with_fixed_decimals(x, places):
    text = format_number(x, places)
    assert parse_number(text) == x.quantize(D(1).scaleb(-places), rounding="ROUND_HALF_UP")


@given(decimals_4)
def test_round_trip_english_format_under_prefer_en(x):
    assert parse_number(format_number(x).translate(_TO_EN), prefer="en") == x


def _other_reading(x, text, grouping_sep):
    """What an ambiguous text means under the other convention."""
    return x / 1000 if grouping_sep in text else x * 1000


@given(decimals_4)
def test_vietnamese_format_under_prefer_en(x):
    text = format_number(x)
    expected = _other_reading(x, text, ".") if is_ambiguous(text) else x
    assert parse_number(text, prefer="en") == expected


@given(decimals_4)
def test_english_format_under_prefer_vi(x):
    text = format_number(x).translate(_TO_EN)
    expected = _other_reading(x, text, ",") if is_ambiguous(text) else x
    assert parse_number(text) == expected


def test_ambiguous_examples_both_ways():
    assert parse_number("1.234") == 1234 and parse_number("1.234", prefer="en") == D("1.234")
    assert parse_number("35,892") == D("35.892") and parse_number("35,892", prefer="en") == 35892


@given(st.text(max_size=20))
def test_parse_number_only_raises_number_parse_error(text):
    try:
        result = parse_number(text)
    except NumberParseError as error:
        assert error.message.startswith("Không đọc được số")
    else:
        assert isinstance(result, Decimal) and result.is_finite()
