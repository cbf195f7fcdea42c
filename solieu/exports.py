"""Text in exported files that a spreadsheet must never run (formula or CSV injection).

A comment, a unit's name or a task title is typed by someone; exported, a text starting with
"=", "+", "-", "@", a tab or a carriage return is read by Excel or LibreOffice as a formula
(``=HYPERLINK(...)``, ``-2+3``, ``@SUM(A1)``). One rule for every export:

* CSV has no cell types, so such a text gets a leading single quote (``safe_text``);
* XLSX cells carry their type: every export opens its workbook with ``xlsx_workbook``, which
  turns off XlsxWriter's guessing, so text (also through ``write`` and ``merge_range``) is a
  string cell, never a formula, a number or a link.

Numbers stay numbers: a plain number such as "-2.5" is not text and is left as it is.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                "strings_to_urls": False}

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def is_formula_like(value) -> bool:
    """Whether a spreadsheet would evaluate this text instead of showing it."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not _PLAIN_NUMBER.fullmatch(value))


def safe_text(value):
    """The value for a CSV cell: a formula-like text behind a single quote, anything else as is."""
    return "'" + value if is_formula_like(value) else value


def safe_row(values) -> list:
    return [safe_text(value) for value in values]


def xlsx_workbook(buffer, **options):
    """An XlsxWriter workbook that writes every text as text (see the module's docstring)."""
    import xlsxwriter

    return xlsxwriter.Workbook(buffer, {**XLSX_OPTIONS, **options})
