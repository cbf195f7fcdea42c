from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solieu.vi import amount_in_words, number_to_words


@pytest.mark.parametrize(
    "n, expected",
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (99, "chín mươi chín"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (1234, "một nghìn hai trăm ba mươi tư"),
        (21_000, "hai mươi mốt nghìn"),
        (1_000_000, "một triệu"),
        (1_000_001, "một triệu không trăm linh một"),
        (1_050_000, "một triệu không trăm năm mươi nghìn"),
        (1_614_206, "một triệu sáu trăm mười bốn nghìn hai trăm linh sáu"),
        (1_000_000_000, "một tỷ"),
        (1_000_000_005, "một tỷ không trăm linh năm"),
        (1_005_000_000, "một tỷ không trăm linh năm triệu"),
        (27_477_000_000_000, "hai mươi bảy nghìn bốn trăm bảy mươi bảy tỷ"),
        (10**12, "một nghìn tỷ"),
        (10**15, "một triệu tỷ"),
        (10**18, "một tỷ tỷ"),
        (-5, "âm năm"),
        (-1_234, "âm một nghìn hai trăm ba mươi tư"),
    ],
)
def test_number_to_words(n, expected):
    assert number_to_words(n) == expected


def test_number_to_words_accepts_integral_decimal():
    assert number_to_words(Decimal("1200")) == "một nghìn hai trăm"
    assert number_to_words(Decimal("1.2E+3")) == "một nghìn hai trăm"


@pytest.mark.parametrize("bad", [10**18 + 1, -(10**18) - 1])
def test_number_to_words_limit(bad):
    with pytest.raises(ValueError):
        number_to_words(bad)


@pytest.mark.parametrize("bad", [1.0, True, "12"])
def test_number_to_words_type(bad):
    with pytest.raises(TypeError):
        number_to_words(bad)


def test_number_to_words_refuses_fraction():
    with pytest.raises(ValueError):
        number_to_words(Decimal("1.5"))


def test_amount_in_words():
    assert amount_in_words(1200) == "Một nghìn hai trăm đồng"
    assert amount_in_words(0) == "Không đồng"
    assert amount_in_words(-5) == "Âm năm đồng"
    assert amount_in_words(2_000_000, "triệu đồng") == "Hai triệu triệu đồng"
    assert amount_in_words(24, "") == "Hai mươi tư"


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_words_are_well_formed(n):
    text = number_to_words(n)
    assert text == text.strip() and "  " not in text
    assert "ngàn" not in text and "lẻ" not in text
    assert "mười mốt" not in text and "mười tư" not in text
    assert text.startswith("âm ") == (n < 0)


_DIGIT_WORDS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4,
    "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
}


def _decode_below_billion(words):
    total = group = digit = 0
    for word in words:
        if word in _DIGIT_WORDS:
            digit = _DIGIT_WORDS[word]
        elif word == "trăm":
            group, digit = group + digit * 100, 0
        elif word == "mươi":
            group, digit = group + digit * 10, 0
        elif word == "mười":
            group += 10
        elif word in ("nghìn", "triệu"):
            total += (group + digit) * (1000 if word == "nghìn" else 10**6)
            group = digit = 0
        else:
            assert word == "linh", word
    return total + group + digit


def _decode(text):
    """An independent reader of the words, so the property checks values, not spelling."""
    words = text.split()
    if words[0] == "âm":
        return -_decode(" ".join(words[1:]))
    if "tỷ" not in words:
        return _decode_below_billion(words)
    last = len(words) - 1 - words[::-1].index("tỷ")
    return _decode(" ".join(words[:last])) * 10**9 + _decode_below_billion(words[last + 1 :])


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_words_decode_back_to_the_number(n):
    assert _decode(number_to_words(n)) == n


@given(st.integers(min_value=1, max_value=999_999_999))
def test_lower_groups_are_read_in_full_after_billions(n):
    text = number_to_words(10**9 + n)
    assert text.startswith("một tỷ ")
    if n < 100:
        assert "không trăm" in text
