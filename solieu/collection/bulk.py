"""Many cells of submissions at once: entry.save_cell's checks, values.save_values_bulk's writes.

For imports (API, DHIS2) that send thousands of values: each cell is checked as save_cell
checks it (cell key, parse_cell, validation.check_cell) when it is prepared, so a refused cell
is reported on its own; the accepted ones are then written together, and their history
warnings computed from one query per 1.000 units instead of two per cell. Scope and locks stay
with the caller (entry.ensure_editable once per submission), as for save_cell(check_access=False).
A caller that has resolved the cell and read the number itself (the API's Importer) uses
prepare_value and skips prepare_cell's lookups.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from solieu.catalog.models import Period
from solieu.catalog.periods import PeriodId

from . import validation
from .entry import HISTORY_LIMIT, EntryError, cell_key, parse_cell
from .models import DataValue, ValueStatus
from .values import BulkRow, save_values_bulk


@dataclass
class Cell:
    """A checked cell waiting to be written; `tag` is the caller's (e.g. the item's index)."""

    row: BulkRow
    spec_row: validation.RowSpec
    option_code: str
    submission: object
    tag: object = None
    issues: list = field(default_factory=list)
    result: object = None


def prepare_cell(spec, submission, row_code, option_code, raw, *, status=None, current_status=None,
                 comment=None, tag=None, row=None) -> Cell:
    """The checks of entry.save_cell for a value (not a deletion); raises EntryError.

    `row`: the RowSpec of `row_code` when the caller has it at hand (saves a scan of the form)."""
    key = cell_key(spec, submission, row_code, option_code)
    value = parse_cell(raw)
    if value is None:
        raise EntryError("Thiếu giá trị.", "parse")
    if row is None:
        row = next(r for r in spec.rows if r.code == row_code)
    return prepare_value(row, key, option_code, value, submission, submission.form, status=status,
                         current_status=current_status, comment=comment, tag=tag)


def prepare_value(row, key, option_code, value, submission, form, *, status=None, current_status=None,
                  comment=None, tag=None) -> Cell:
    """prepare_cell for a caller that has resolved the cell itself: `key` is cell_key's answer
    (the form row's indicator and option, the submission's unit and period) and `value` the
    Decimal parse_cell gives (finite, under 10^18, no negative zero). The cell's checks
    (validation.check_cell) are made here; raises EntryError. Why: an import of 30.000 values
    resolved them once per code, and the model lookups of cell_key cost as much as the checks."""
    errors = validation.check_cell(row, value, option_code)
    if errors:
        errors = [i for i in errors if i.level == "error"]
        if errors:
            raise EntryError(errors[0].message, errors[0].code)
    status = status or current_status or ValueStatus.OFFICIAL  # an edit keeps the value's status
    return Cell(BulkRow(key, value, status, comment, form, submission), row, option_code, submission, tag)


def save_cells(cells, *, user=None, channel, source="") -> list[Cell]:
    """Write prepared cells in one go (all or nothing) and attach results and history warnings."""
    if not cells:
        return cells
    for cell, result in zip(cells, save_values_bulk([c.row for c in cells], user=user, channel=channel,
                                                    source=source)):
        cell.result = result
    _warn(cells)
    return cells


def _warn(cells):
    """validation.check_history for each changed cell, as entry.cell_warnings, after the write.

    Read after the write on purpose: a batch holding two periods of one cell judges the later
    against the earlier, as one save after the other would. The past comes in one query per
    period type and 1.000 units, one row per cell (see _past)."""
    by_type = {}
    for c in cells:
        if c.result.changed:
            by_type.setdefault(c.row.key.period.type, []).append(c)
    last_year_of = {}
    for period_type, group in by_type.items():
        latest = max(c.row.key.period.start_date for c in group)
        periods = dict(Period.objects.filter(type=period_type, end_date__lt=latest).values_list("id", "end_date"))
        if not periods:
            continue
        past = _past(group, periods)
        ids_by_code = {}
        for c in group:
            k = c.row.key
            found = past.get((k.indicator.id, k.option.id, k.unit.id))
            if found is None:
                continue  # no history and no last year: check_history has nothing to say
            period_ids, values = found
            start = k.period.start_date
            if periods[period_ids[-1]] < start:  # ordered by end: all of them are earlier
                history = values[-HISTORY_LIMIT:]
            else:
                history = [v for p, v in zip(period_ids, values) if periods[p] < start][-HISTORY_LIMIT:]
            code = k.period.code
            if code not in last_year_of:
                last_year_of[code] = PeriodId.parse(code).same_period_last_year().code
            last_code = last_year_of[code]
            if last_code not in ids_by_code:
                ids_by_code[last_code] = Period.objects.filter(code=last_code).values_list("id", flat=True).first()
            last_id = ids_by_code[last_code]
            last_year = values[period_ids.index(last_id)] if last_id in period_ids else None
            if len(history) < validation.MIN_HISTORY and last_year is None:
                continue
            value = c.row.value if isinstance(c.row.value, Decimal) else Decimal(c.row.value)
            c.issues = validation.check_history(c.spec_row, validation.CellRef(c.spec_row.code, c.option_code),
                                                value, history, last_year)


PAST_UNITS = 1000


def _past(group, periods):
    """(indicator id, option id, unit id) -> ([period ids], [values]) ordered by the periods'
    end, for the cells of `group`, over `periods` ({id: end date}, all of one type).

    PostgreSQL groups the rows itself: a cell's years of history arrive as one row, not one
    per period, which was most of the cost of the warnings in Python. Elsewhere the same from
    plain rows."""
    wanted = {(c.row.key.indicator.id, c.row.key.option.id, c.row.key.unit.id) for c in group}
    units = sorted({k[2] for k in wanted})
    indicators = sorted({k[0] for k in wanted})
    period_ids = sorted(periods, key=lambda p: (periods[p], p))
    rank = {p: n for n, p in enumerate(period_ids)}
    read = _past_rows_grouped if connection.vendor == "postgresql" else _past_rows_plain
    past = {}
    for i in range(0, len(units), PAST_UNITS):
        for key, ids, values in read(units[i:i + PAST_UNITS], indicators, period_ids):
            if key in wanted:
                ranks = list(map(rank.__getitem__, ids))
                if ranks != sorted(ranks):
                    order = sorted(range(len(ids)), key=ranks.__getitem__)
                    ids, values = [ids[n] for n in order], [values[n] for n in order]
                past[key] = (ids, values)
    return past


def _past_rows_grouped(units, indicators, period_ids):
    """One row per cell: its periods and values as one text "period:value,period:value..."
    (one aggregate keeps each value with its period; numeric's text is what Decimal reads).
    Not ordered by the database: sorting nine periods here is cheaper than a sort per cell there."""
    table = connection.ops.quote_name(DataValue._meta.db_table)
    with connection.cursor() as cursor:
        # The plan is an index scan per unit: compiling it (JIT, above jit_above_cost) takes
        # longer than running it. Off for this query only, then as it was.
        cursor.execute("SELECT current_setting('jit')")
        jit = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('jit', 'off', true)")
        cursor.execute(
            "SELECT v.indicator_id, v.option_id, v.unit_id, string_agg(v.period_id::text || ':' || v.value::text, ',') "
            f"FROM {table} v WHERE v.deleted_at IS NULL AND v.unit_id = ANY(%s) AND v.indicator_id = ANY(%s) "
            "AND v.period_id = ANY(%s) GROUP BY v.indicator_id, v.option_id, v.unit_id",
            [units, indicators, period_ids])
        rows = cursor.fetchall()
        cursor.execute("SELECT set_config('jit', %s, true)", [jit])
    out = []
    for ind, opt, unit, text in rows:
        parts = text.replace(",", ":").split(":")
        out.append(((ind, opt, unit), list(map(int, parts[0::2])), list(map(Decimal, parts[1::2]))))
    return out


def _past_rows_plain(units, indicators, period_ids):
    found = {}
    for ind, opt, unit, period_id, value in (
            DataValue.objects.current()
            .filter(unit_id__in=units, indicator_id__in=indicators, period_id__in=period_ids)
            .values_list("indicator_id", "option_id", "unit_id", "period_id", "value")):
        entry = found.setdefault((ind, opt, unit), ([], []))
        entry[0].append(period_id)
        entry[1].append(value)
    return [(key, ids, values) for key, (ids, values) in found.items()]
