"""Many cells of submissions at once: entry.save_cell's checks, values.save_values_bulk's writes.

For imports (API, DHIS2) that send thousands of values: each cell is checked as save_cell
checks it (cell key, parse_cell, validation.check_cell) when it is prepared, so a refused cell
is reported on its own; the accepted ones are then written together, and their history
warnings computed from one query per 500 units instead of two per cell. Scope and locks stay
with the caller (entry.ensure_editable once per submission), as for save_cell(check_access=False).
"""

from dataclasses import dataclass, field
from decimal import Decimal

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
                 comment=None, tag=None) -> Cell:
    """The checks of entry.save_cell for a value (not a deletion); raises EntryError."""
    key = cell_key(spec, submission, row_code, option_code)
    value = parse_cell(raw)
    if value is None:
        raise EntryError("Thiếu giá trị.", "parse")
    row = next(r for r in spec.rows if r.code == row_code)
    errors = [i for i in validation.check_cell(row, value, option_code) if i.level == "error"]
    if errors:
        raise EntryError(errors[0].message, errors[0].code)
    status = status or current_status or ValueStatus.OFFICIAL  # an edit keeps the value's status
    return Cell(BulkRow(key, value, status, comment, submission.form, submission), row, option_code, submission,
                tag)


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
    """validation.check_history for each changed cell, as entry.cell_warnings, after the write."""
    changed = [c for c in cells if c.result.changed]
    by_type = {}
    for c in changed:
        by_type.setdefault(c.row.key.period.type, []).append(c)
    last_year_of = {}
    for period_type, group in by_type.items():
        units = sorted({c.row.key.unit.pk for c in group})
        indicators = sorted({c.row.key.indicator.pk for c in group})
        latest = max(c.row.key.period.start_date for c in group)
        past = {}
        for i in range(0, len(units), 500):
            for ind, opt, unit, end, code, value in (
                    DataValue.objects.current()
                    .filter(unit_id__in=units[i:i + 500], indicator_id__in=indicators, period__type=period_type,
                            period__end_date__lt=latest)
                    .order_by("period__end_date")
                    .values_list("indicator_id", "option_id", "unit_id", "period__end_date", "period__code",
                                 "value")):
                past.setdefault((ind, opt, unit), []).append((end, code, value))
        for c in group:
            k = c.row.key
            series = past.get((k.indicator.pk, k.option.pk, k.unit.pk), [])
            start = k.period.start_date
            history = [v for end, _, v in series if end < start][-HISTORY_LIMIT:]
            if k.period.code not in last_year_of:
                last_year_of[k.period.code] = PeriodId.parse(k.period.code).same_period_last_year().code
            last_year_code = last_year_of[k.period.code]
            last_year = next((v for _, code, v in series if code == last_year_code), None)
            c.issues = validation.check_history(c.spec_row, validation.CellRef(c.spec_row.code, c.option_code),
                                                Decimal(c.row.value), history, last_year)
