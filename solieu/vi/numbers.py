"""Vietnamese number formatting and parsing.

Vietnamese official documents write thousands with "." and decimals with ","
(1.614.206 and 8,66).  Users, however, paste figures from spreadsheets and
web pages that use the international convention (1,234.5), so parsing has to
accept both and must refuse, with a precise Vietnamese message, anything it
cannot read without guessing.  Money is never handled as float: everything is
``decimal.Decimal`` (or ``int``) in and ``Decimal`` out.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "NumberParseError",
    "format_number",
    "format_percent",
    "format_amount",
    "parse_number",
    "parse_percent",
    "is_ambiguous",
]

MAX_DIGITS = 28  # the default decimal context precision; more is a typo, not a statistic

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_TOKEN = re.compile(r"[0-9]+|[., ]")
_ALLOWED = re.compile(r"[0-9., ]*")
_NON_FINITE = re.compile(r"[+-]?\s*(?:s?nan|inf(?:inity)?)", re.IGNORECASE)
_EXPONENT = re.compile(r"[+-]?[0-9., ]*[0-9]\s*e\s*[+-]?[0-9]+", re.IGNORECASE)
_GROUPING = {"vi": ".", "en": ","}
_ECHO_LIMIT = 60


class NumberParseError(ValueError):
    """Raised when user input is not a number we can read without guessing.

    ``message`` is a complete Vietnamese sentence meant to be shown as-is next
    to the form field or spreadsheet cell.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _fail(text: str, reason: str) -> NumberParseError:
    shown = text if len(text) <= _ECHO_LIMIT else text[:_ECHO_LIMIT] + "…"
    return NumberParseError(f'Không đọc được số "{shown}": {reason}')


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------


def _to_decimal(value) -> Decimal:
    """Accept int, Decimal or a plain numeric string ("1234.5"); never float."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(
            f"Cần int, Decimal hoặc chuỗi số, không nhận {type(value).__name__} "
            "(số thực float làm sai lệch số liệu tiền tệ)."
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"Không định dạng được giá trị {value}: không phải số hữu hạn.")
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _PLAIN.fullmatch(text):
            raise ValueError(
                f'Không định dạng được chuỗi "{value}": cần số viết thường như "1234.5"; '
                "hãy dùng parse_number cho số do người dùng nhập."
            )
        return Decimal(text)
    raise TypeError(f"Cần int, Decimal hoặc chuỗi số, không nhận {type(value).__name__}.")


def _group(digits: str, sep: str = ".") -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def format_number(value, decimals: int | None = None, *, grouping: bool = True) -> str:
    """Format ``value`` the Vietnamese way: "1.614.206", "8,66", "-1.234,5".

    ``decimals=None`` keeps the value's own digits but drops trailing zeros
    after the comma ("27477.00" -> "27.477"), because stored values often
    carry a database scale that is not meaningful precision.  With an integer
    ``decimals`` the value is rounded half-up (the rule taught in Vietnamese
    schools and used by the statistics office) and padded.  ``None`` gives ""
    so templates can pass missing cells straight through.  Negative zero,
    including values that round to zero, is written without a sign.
    """
    if value is None:
        return ""
    number = _to_decimal(value)
    if decimals is not None:
        if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
            raise ValueError(f"Số chữ số thập phân phải là số nguyên không âm, nhận {decimals!r}.")
        with localcontext() as ctx:
            ctx.prec = max(MAX_DIGITS, max(number.adjusted(), 0) + decimals + 2)
            number = number.quantize(Decimal((0, (1,), -decimals)), rounding=ROUND_HALF_UP)
    if number.is_zero():
        number = number.copy_abs()
    text = format(number, "f")
    sign = "-" if text.startswith("-") else ""
    integer, _, fraction = text.lstrip("-").partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    if grouping:
        integer = _group(integer)
    return f"{sign}{integer},{fraction}" if fraction else f"{sign}{integer}"


def format_percent(value, decimals: int | None = None) -> str:
    """Format a value already in percent units: 8.66 -> "8,66%" (no space, as in GSO tables)."""
    if value is None:
        return ""
    return format_number(value, decimals) + "%"


def format_amount(value, unit: str, decimals: int | None = None) -> str:
    """Number, a space, then the unit: "27.477 tỷ đồng"."""
    if value is None:
        return ""
    number = format_number(value, decimals)
    unit = (unit or "").strip()
    return f"{number} {unit}" if unit else number


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


def _valid_first_group(digits: str) -> bool:
    """A leading thousands group: 1-3 digits, and no leading zero ("0.234" is not 234)."""
    return 1 <= len(digits) <= 3 and digits[0] != "0"


def _split(text: str, body: str) -> tuple[list[str], list[str], bool]:
    """Split ``body`` into digit runs and single separators, refusing malformed runs."""
    if not _ALLOWED.fullmatch(body):
        if "%" in body:
            raise _fail(text, 'dấu "%" chỉ được dùng khi nhập tỷ lệ phần trăm.')
        raise _fail(
            text,
            "chỉ được dùng chữ số, dấu chấm phân cách hàng nghìn và dấu phẩy thập phân.",
        )
    tokens = _TOKEN.findall(body)
    if not any(t[0].isdigit() for t in tokens):
        raise _fail(text, "không có chữ số nào.")
    runs: list[str] = []
    seps: list[str] = []
    previous_was_sep = False
    for token in tokens:
        is_sep = not token[0].isdigit()
        if is_sep and previous_was_sep:
            raise _fail(text, "có hai dấu phân cách đứng liền nhau.")
        (seps if is_sep else runs).append(token)
        previous_was_sep = is_sep
    if previous_was_sep:
        raise _fail(text, "số không được kết thúc bằng dấu phân cách.")
    leading = not tokens[0][0].isdigit()
    return runs, seps, leading


def parse_number(text, *, prefer: str = "vi") -> Decimal:
    """Read a number typed in a form or pasted from a spreadsheet.

    Accepted: "1.234,5", "1.614.206", "8,66", "-1.234", "+5" (Vietnamese),
    "1234.5", "1,234.5" (international), and spaces, non-breaking spaces or
    thin spaces as thousands separators ("1 234,5").  A Unicode minus "−" is
    read as "-".

    How "." and "," are told apart (``prefer`` is "vi" or "en"):

    * Both appear: the last one is the decimal separator and may appear only
      once; the other one is the thousands separator.
    * Spaces are used for grouping: a single "." or "," after them is decimal.
    * One kind appears several times ("1.234.567"): it is grouping, because a
      decimal separator can occur only once.
    * One kind appears once and is followed by exactly 3 digits, after a
      valid leading group ("1.234", "35,892"): truly ambiguous, so ``prefer``
      decides.  Under "vi" "." groups and "," is decimal (1.234 -> 1234,
      1,234 -> 1.234); under "en" the reverse.  ``is_ambiguous`` lets a form
      warn about such input.
    * Otherwise a single separator is decimal ("3.14", "1234.5", "8,66",
      "0.500").
    * A leading separator (",5", ".5") is read as 0,5 only when the separator
      cannot be a thousands separator under ``prefer``; ".500" under "vi" is
      refused.

    Thousands groups must be valid (first 1-3 digits without a leading zero,
    then exactly 3 digits).  Refused with ``NumberParseError``: empty input,
    letters, "%" (see ``parse_percent``), more than one sign, exponents
    ("1e5"), NaN/Infinity, doubled or trailing separators and more than 28
    significant digits.  Negative zero is returned as ``Decimal("0")``.
    """
    if prefer not in _GROUPING:
        raise ValueError(f'prefer phải là "vi" hoặc "en", nhận {prefer!r}.')
    if isinstance(text, (int, Decimal)) and not isinstance(text, bool):
        number = _to_decimal(text)
        return number.copy_abs() if number.is_zero() else number
    if not isinstance(text, str):
        raise TypeError(f"Cần chuỗi ký tự, không nhận {type(text).__name__}.")

    shown = text.strip()
    if not shown:
        raise NumberParseError("Không đọc được số: ô nhập đang để trống.")
    s = shown.replace("\u2212", "-")
    if _NON_FINITE.fullmatch(s):
        raise _fail(shown, "không chấp nhận giá trị NaN hay vô cực (Infinity).")
    if _EXPONENT.fullmatch(s):
        raise _fail(shown, 'không chấp nhận cách viết lũy thừa (như "1e5"); hãy viết đủ các chữ số.')

    signs = s.count("+") + s.count("-")
    if signs > 1:
        raise _fail(shown, 'chỉ được có một dấu "+" hoặc "-".')
    negative = False
    if signs == 1:
        if s[0] not in "+-":
            raise _fail(shown, 'dấu "+" hoặc "-" phải đứng ở đầu số.')
        negative = s[0] == "-"
        s = s[1:].strip()
    body = re.sub(r"\s", " ", s)

    runs, seps, leading = _split(shown, body)
    group_char = _GROUPING[prefer]
    decimal_sep: str | None = None

    if leading:
        if len(seps) != 1 or seps[0] == " ":
            raise _fail(shown, "số không được bắt đầu bằng dấu phân cách.")
        if seps[0] == group_char and len(runs[0]) == 3:
            point = "," if prefer == "vi" else "."
            raise _fail(
                shown,
                f'không rõ dấu "{seps[0]}" là phân cách hàng nghìn hay dấu thập phân; '
                f'hãy viết "0{point}{runs[0]}" hoặc "{runs[0]}".',
            )
        runs.insert(0, "0")
        decimal_sep = seps[0]
    elif " " in seps:
        marks = [i for i, sep in enumerate(seps) if sep != " "]
        if len(marks) > 1:
            raise _fail(shown, "dùng lẫn khoảng trắng và dấu chấm, dấu phẩy để phân cách hàng nghìn.")
        if marks:
            if marks[0] != len(seps) - 1:
                raise _fail(shown, "phần thập phân không được có khoảng trắng.")
            decimal_sep = seps[-1]
    elif len(set(seps)) == 2:
        decimal_sep = seps[-1]
        if seps.count(decimal_sep) > 1:
            raise _fail(shown, f'dấu thập phân "{decimal_sep}" chỉ được xuất hiện một lần.')
    elif len(seps) == 1:
        looks_grouped = len(runs[1]) == 3 and _valid_first_group(runs[0])
        if not (looks_grouped and seps[0] == group_char):
            decimal_sep = seps[0]

    if decimal_sep is not None:
        integer_groups, fraction = runs[:-1], runs[-1]
    else:
        integer_groups, fraction = runs, ""
    if len(integer_groups) > 1:
        first = integer_groups[0]
        if len(first) > 3:
            raise _fail(shown, f'nhóm đầu tiên "{first}" có quá 3 chữ số.')
        if first[0] == "0":
            raise _fail(shown, f'nhóm đầu tiên "{first}" không được bắt đầu bằng chữ số 0.')
        for group in integer_groups[1:]:
            if len(group) != 3:
                raise _fail(shown, f'nhóm "{group}" sau dấu phân cách hàng nghìn phải có đúng 3 chữ số.')

    integer = "".join(integer_groups)
    if len((integer + fraction).lstrip("0")) > MAX_DIGITS:
        raise _fail(shown, f"số quá dài (tối đa {MAX_DIGITS} chữ số có nghĩa).")
    number = Decimal(f"{integer}.{fraction}" if fraction else integer)
    if negative and not number.is_zero():
        number = -number
    return number


def parse_percent(text, *, prefer: str = "vi") -> Decimal:
    """Read "8,66%", "8,66 %" or "8,66" as Decimal("8.66") (percent units, not a fraction)."""
    if isinstance(text, str):
        stripped = text.strip()
        if stripped.endswith("%"):
            stripped = stripped[:-1].rstrip()
            if not stripped:
                raise NumberParseError(f'Không đọc được tỷ lệ "{text.strip()}": thiếu con số trước dấu "%".')
        text = stripped
    return parse_number(text, prefer=prefer)


def is_ambiguous(text) -> bool:
    """True when ``text`` has a single "." or "," followed by exactly three digits.

    "1.234" and "35,892" read differently under Vietnamese and English
    conventions, so a form can ask the user to confirm.  Anything that is not
    shaped like that, including invalid input, gives False.
    """
    if not isinstance(text, str):
        return False
    match = re.fullmatch(r"[+\-\u2212]?\s*([0-9]*)([.,])([0-9]{3})", text.strip())
    if not match:
        return False
    head = match.group(1)
    return head == "" or _valid_first_group(head)
