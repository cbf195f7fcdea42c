"""The shortcuts of the bulk import (issue 8) answer as the long ways do.

- validation.check_cell decides with _cell_ok before building any message: for every kind of
  row and value, _cell_ok is True exactly when _cell_issues finds nothing.
- copytext writes COPY's text format itself: what PostgreSQL reads back is what was written.
"""

import datetime
from decimal import Decimal
from itertools import product

import pytest
from django.db import connection, transaction

from solieu.collection import copytext, validation
from solieu.collection.models import DataValueAudit, ValueStatus

VALUES = [Decimal(t) for t in (
    "0", "-0", "0.000", "1", "-1", "0.5", "1.0", "1.000000", "2.50", "99.999", "100", "100.0", "100.0001", "-0.001",
    "12345678901234567", "0.0000001", "7.1234567", "3E+2", "3E-2", "-5.5", "1000000", "1.00000000", "0.1", "42.42",
)]
ROWS = [
    validation.RowSpec(code="1", label="Số", value_type=kind, decimals=decimals, min_value=low, max_value=high)
    for kind, decimals, low, high in product(
        ("integer", "decimal", "percent", "rank", "other"), (0, 2, 6),
        (None, Decimal(-10), Decimal("0.5"), Decimal(1)), (None, Decimal(50), Decimal("99.99")))
]


def test_cell_ok_is_exactly_no_issue():
    for row, value in product(ROWS, VALUES):
        assert validation._cell_ok(row, value) == (validation._cell_issues(row, value, "TOTAL") == []), (row, value)
        assert validation.check_cell(row, value) == validation._cell_issues(row, value, "TOTAL")


def test_copy_fields():
    now = datetime.datetime(2026, 12, 6, 18, 30, 5, 123456, tzinfo=datetime.timezone.utc)
    assert [copytext.field(v) for v in (None, True, False, 7, Decimal("1.50"), "a\\b\tc\nd\re", now,
                                        DataValueAudit.Action.CREATE, ValueStatus.OFFICIAL)] == [
        "\\N", "t", "f", "7", "1.50", "a\\\\b\\tc\\nd\\re", "2026-12-06T18:30:05.123456+00:00", "create", "official"]
    with pytest.raises(TypeError):
        copytext.field(now.replace(tzinfo=None))
    with pytest.raises(TypeError):
        copytext.field(1.5)


class Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text


def test_copy_columns_mixed_and_alike():
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    rows = [(1, None, "x", Decimal("1.0"), now, True), (2, 5, "y\tz", Decimal("1.00"), now, False),
            (3, None, "", Decimal("-0"), now, True)]
    sink = Sink()
    copytext.copy_text(sink, rows, chunk=2)
    assert sink.text == ("1\t\\N\tx\t1.0\t2026-01-01T00:00:00+00:00\tt\n"
                         "2\t5\ty\\tz\t1.00\t2026-01-01T00:00:00+00:00\tf\n"
                         "3\t\\N\t\t-0\t2026-01-01T00:00:00+00:00\tt\n")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_reads_back_what_was_written():
    now = datetime.datetime(2026, 12, 6, 18, 30, 5, 123456, tzinfo=datetime.timezone.utc)
    rows = [
        (1, "thường", Decimal("123456789012345678.123456"), now, True, None),
        (2, "dấu \\ gạch, \t tab, \n dòng, \r về đầu, \\N chữ", Decimal("-0.000001"), now, False, 3),
        (3, "", Decimal("0"), now + datetime.timedelta(hours=7), None, 2 ** 40),
        (4, "😀 ngoài BMP", Decimal("1E+3"), now, True, -1),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copy_probe (id bigint, t text, n numeric(24, 6), "
                       "at timestamptz, b boolean, i bigint) ON COMMIT DROP")
        with cursor.copy("COPY copy_probe FROM STDIN") as copy:
            copytext.copy_text(copy, rows, chunk=3)
        cursor.execute("SELECT id, t, n, at, b, i FROM copy_probe ORDER BY id")
        back = cursor.fetchall()
        transaction.set_rollback(True)
    assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in back] == rows
