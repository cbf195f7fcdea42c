"""Rows for PostgreSQL's COPY, written as text by us rather than field by field by psycopg.

Why: copy.write_row converts each field through psycopg's dumpers, ~10 µs a row, a tenth of
a bulk import's time (values.save_values_bulk, issue 8). The rows of a batch are alike
column by column (ids, the same status, the same timestamp), so the text is made a column at
a time, mostly by str() mapped in C, and joined into lines at the end.

Only the types the bulk rows hold are written: None, int, bool, str (backslash, tab and line
breaks escaped as COPY's text format wants), Decimal (str(), read exactly by numeric) and
aware datetimes (ISO 8601 with the offset). Anything else is refused (TypeError), rather than
written in a form PostgreSQL might read differently.
"""

import re
from datetime import datetime
from decimal import Decimal
from enum import Enum

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def copy_text(copy, rows, chunk=5000):
    """Write `rows` (a list of tuples, one type per column apart from None) into `copy`."""
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        columns = [_column(values) for values in zip(*part)]
        copy.write("\n".join(map("\t".join, zip(*columns))) + "\n")


def _column(values):
    kinds = set(map(type, values))
    if len(kinds) == 1:
        kind = next(iter(kinds))
        if kind is int or kind is Decimal:
            return list(map(str, values))
        if kind is str:
            return values if not _SPECIAL.search("".join(values)) else [v.translate(_ESCAPES) for v in values]
        if kind is type(None):
            return [NULL] * len(values)
        first = values[0]
        if values.count(first) == len(values):  # one timestamp, one status for the whole batch
            return [field(first)] * len(values)
    memo = {}
    out = []
    for v in values:
        if type(v) is Decimal:  # equal Decimals may differ in scale: never from the memo
            out.append(str(v))
            continue
        text = memo.get((type(v), v))
        if text is None:
            text = memo[(type(v), v)] = field(v)
        out.append(text)
    return out


def field(v):
    """One value as COPY's text format writes it."""
    if v is None:
        return NULL
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, Enum):  # the choices of the models (TextChoices, IntegerChoices)
        v = v.value
    if isinstance(v, datetime):
        if v.tzinfo is None:
            raise TypeError("COPY: ngày giờ không có múi giờ.")
        return v.isoformat()
    if isinstance(v, (int, Decimal)):
        return str(int(v) if isinstance(v, int) else v)
    if isinstance(v, str):
        return str.translate(v, _ESCAPES)
    raise TypeError(f"COPY: không ghi được kiểu {type(v).__name__}.")
