"""Vietnamese conventions for solieu: numbers, numbers in words, dates, holidays."""

from .dates import (
    DateParseError,
    add_working_days,
    date_phrase,
    format_date,
    is_working_day,
    parse_date,
    place_date_line,
    vietnam_public_holidays,
)
from .numbers import (
    NumberParseError,
    format_amount,
    format_number,
    format_percent,
    is_ambiguous,
    parse_number,
    parse_percent,
)
from .words import amount_in_words, number_to_words

__all__ = [
    "DateParseError",
    "NumberParseError",
    "add_working_days",
    "amount_in_words",
    "date_phrase",
    "format_amount",
    "format_date",
    "format_number",
    "format_percent",
    "is_ambiguous",
    "is_working_day",
    "number_to_words",
    "parse_date",
    "parse_number",
    "parse_percent",
    "place_date_line",
    "vietnam_public_holidays",
]
