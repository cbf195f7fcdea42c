"""Numbers in Vietnamese words, for the "Bằng chữ" line of financial reports.

The spelling follows northern administrative usage: "nghìn" (not "ngàn"),
"linh" (not "lẻ"), "mốt" for 1 and "tư" for 4 after "mươi", "lăm" for 5
after "mươi"/"mười".  Large numbers cycle on "tỷ" (10^12 is "một nghìn tỷ",
10^18 "một tỷ tỷ"), and a group of zeros is skipped while a lower group that
follows non-zero digits is read in full ("một triệu không trăm linh một").
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["number_to_words", "amount_in_words"]

LIMIT = 10**18

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ((10**6, "triệu"), (10**3, "nghìn"), (1, ""))
_BILLION = 10**9


def _triple(n: int, full: bool) -> list[str]:
    """Read 0 < n < 1000; ``full`` means higher digits precede, so "không trăm" is spoken."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
        return words
    words += [_DIGITS[tens], "mươi"]
    if units:
        words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def _below_billion(n: int, full: bool) -> list[str]:
    words: list[str] = []
    for size, name in _SCALES:
        group, n = divmod(n, size)
        if group:
            words += _triple(group, full or bool(words))
            if name:
                words.append(name)
    return words


def _words(n: int, full: bool) -> list[str]:
    high, low = divmod(n, _BILLION)
    words: list[str] = []
    if high:
        words = _words(high, full) + ["tỷ"]
    if low:
        words += _below_billion(low, full or bool(words))
    return words


def _as_int(n) -> int:
    if isinstance(n, bool):
        raise TypeError("Cần số nguyên, không nhận giá trị bool.")
    if isinstance(n, Decimal):
        if not n.is_finite() or n != n.to_integral_value():
            raise ValueError(f"Chỉ đọc được số nguyên thành chữ, nhận {n}.")
        return int(n)
    if not isinstance(n, int):
        raise TypeError(f"Cần số nguyên, không nhận {type(n).__name__}.")
    return n


def number_to_words(n: int) -> str:
    """1234 -> "một nghìn hai trăm ba mươi tư"; negatives start with "âm".

    Accepts int (or an integral Decimal) with |n| <= 10^18.
    """
    n = _as_int(n)
    if abs(n) > LIMIT:
        raise ValueError(f"Số {n} vượt quá giới hạn đọc thành chữ (tối đa 10^18).")
    if n == 0:
        return _DIGITS[0]
    text = " ".join(_words(abs(n), False))
    return f"âm {text}" if n < 0 else text


def amount_in_words(n: int, unit: str = "đồng") -> str:
    """Sentence-style amount: 1200 -> "Một nghìn hai trăm đồng"."""
    text = number_to_words(n)
    unit = (unit or "").strip()
    if unit:
        text = f"{text} {unit}"
    return text[0].upper() + text[1:]
