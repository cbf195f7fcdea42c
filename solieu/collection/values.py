"""The one way figures are written: every path (web, Excel, API, history, demo) goes
through here so that each change is audited and concurrent edits are caught."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from solieu.vi import format_number

from solieu.analytics.sums import Tracker

from .models import Channel, DataValue, DataValueAudit, Submission, SubmissionStatus, ValueStatus


class ConflictError(Exception):
    """The value changed since the editor read it; their write was refused, not lost."""

    def __init__(self, current: DataValue):
        self.current = current
        super().__init__(
            f"Ô số liệu đã được {current.updated_by or 'người khác'} sửa thành {format_number(current.value)} "
            f"lúc {timezone.localtime(current.updated_at):%H:%M %d/%m/%Y}; hãy xem lại trước khi lưu."
        )


@dataclass(frozen=True)
class Key:
    indicator: object
    option: object
    unit: object
    period: object


def _audit(dv, action, old_value, old_status, user, channel, source="", note=""):
    return DataValueAudit(
        data_value=dv,
        action=action,
        indicator_code=dv.indicator.code,
        option_code=dv.option.code,
        unit_code=dv.unit.code,
        period_code=dv.period.code,
        old_value=old_value,
        new_value=None if action == DataValueAudit.Action.DELETE else dv.value,
        old_status=old_status or "",
        new_status=dv.status,
        revision=dv.revision,
        channel=channel,
        source=source,
        note=note,
        user=user,
    )


def save_value(
    key: Key,
    value: Decimal,
    *,
    user=None,
    channel=Channel.WEB,
    status=ValueStatus.OFFICIAL,
    comment=None,
    expected_revision=None,
    form=None,
    source="",
    submission=None,
):
    """Create or change the current value of `key`; returns (data_value, changed).

    `expected_revision` is the revision the editor saw (0 for an empty cell). If the stored
    value moved on meanwhile, the attempt is audited as a conflict and ConflictError raised.
    Writing the same value and status again changes nothing, which makes re-sends idempotent.
    `submission`, when given, is recorded on the value in the same write.
    """
    with transaction.atomic():
        tracker = Tracker()
        outcome = _save_value(key, value, user=user, channel=channel, status=status, comment=comment,
                              expected_revision=expected_revision, form=form, source=source,
                              submission=submission, tracker=tracker)
        tracker.settle()
    if isinstance(outcome, ConflictError):
        # Raised after the block commits, so that the conflict stays in the audit trail.
        raise outcome
    return outcome


def _save_value(key, value, *, user, channel, status, comment, expected_revision, form, source, submission,
                tracker):
    current = (
        DataValue.objects.current()
        .select_for_update()
        .filter(indicator=key.indicator, option=key.option, unit=key.unit, period=key.period)
        .first()
    )
    if current is not None:
        _attach_key(current, key)
    if not _uncounted(submission, current):
        tracker.touch([(key.unit, key.period)])
    if current is None:
        if expected_revision not in (None, 0):
            return _conflict(_deleted_placeholder(key), value, expected_revision, user, channel, source)
        dv = DataValue(
            indicator=key.indicator, option=key.option, unit=key.unit, period=key.period,
            value=value, status=status, comment=comment or "", channel=channel, source=source,
            form=form, form_version=getattr(form, "version", None), created_by=user, updated_by=user,
            submission=submission,
        )
        try:
            with transaction.atomic():
                dv.save()
        except IntegrityError:
            # Another writer created the same cell between our read and our insert.
            winner = _attach_key(DataValue.objects.current().get(
                indicator=key.indicator, option=key.option, unit=key.unit, period=key.period), key)
            return _conflict(winner, value, expected_revision or 0, user, channel, source)
        _audit(dv, DataValueAudit.Action.CREATE, None, None, user, channel, source).save()
        return dv, True

    if expected_revision is not None and expected_revision != current.revision:
        return _conflict(current, value, expected_revision, user, channel, source)

    new_comment = current.comment if comment is None else comment
    if current.value == value and current.status == status and current.comment == new_comment:
        if submission is not None and current.submission_id != submission.pk:
            DataValue.objects.filter(pk=current.pk).update(submission=submission)
            current.submission = submission
        return current, False
    old_value, old_status = current.value, current.status
    current.value, current.status, current.comment = value, status, new_comment
    current.channel, current.source, current.updated_by = channel, source or current.source, user
    if form is not None:
        current.form, current.form_version = form, form.version
    if submission is not None:
        current.submission = submission
    current.revision += 1
    current.save()
    _audit(current, DataValueAudit.Action.UPDATE, old_value, old_status, user, channel, source).save()
    return current, True


def _uncounted(submission, current) -> bool:
    """Whether a write cannot change what a consolidation counts: into a report being drafted
    (or returned), over nothing or over a value of that same report. The cell grid's saves
    during the deadline rush; they skip the kind totals. The report's row is locked (FOR NO KEY
    UPDATE, as submit's FOR UPDATE waits for it), so it cannot be sent before this write commits."""
    if submission is None or (current is not None and current.submission_id != submission.pk):
        return False
    status = (Submission.objects.filter(pk=submission.pk).select_for_update(no_key=True)
              .values_list("status", flat=True).first())
    return status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def _attach_key(dv, key):
    """The key's objects on a stored value: the audit copies their codes, without a query each."""
    dv.indicator, dv.option, dv.unit, dv.period = key.indicator, key.option, key.unit, key.period
    return dv


def _conflict(current, value, expected_revision, user, channel, source):
    """The refused write, kept in the trail against the value it collided with.

    A cell that never had a value (the editor expected one that was never stored) has no row
    to hang the entry on; the refusal still reaches the editor."""
    if current.pk is not None:
        _audit(current, DataValueAudit.Action.CONFLICT, current.value, current.status, user, channel, source,
               note=f"Giá trị gửi: {value}; đã đọc lần sửa {expected_revision}, hiện tại {current.revision}"
                    + (" (đã xóa)" if current.deleted_at else "")).save()
    return ConflictError(current)


@transaction.atomic
def delete_value(data_value: DataValue, *, user=None, channel=Channel.WEB, note=""):
    """Soft delete: the row stays, with its trail, and the key is free for a new value."""
    tracker = Tracker()
    if not _uncounted(data_value.submission, data_value):
        tracker.touch([(data_value.unit, data_value.period)])
    data_value.deleted_at = timezone.now()
    data_value.updated_by = user
    data_value.revision += 1
    data_value.save()
    _audit(data_value, DataValueAudit.Action.DELETE, data_value.value, data_value.status, user, channel,
           note=note).save()
    tracker.settle()


def _deleted_placeholder(key):
    latest = (
        DataValue.objects.filter(indicator=key.indicator, option=key.option, unit=key.unit, period=key.period)
        .order_by("-updated_at")
        .first()
    )
    return latest or DataValue(indicator=key.indicator, option=key.option, unit=key.unit, period=key.period,
                               value=Decimal(0), updated_at=timezone.now())


def bulk_create_values(rows, *, user=None, channel=Channel.DEMO, source=""):
    """Insert many new values at once, each with its creation audit entry; returns the count.

    For loaders of fresh data (demo, history, bulk import) where no current value exists yet.
    Rows are dicts of DataValue fields (model instances for the keys). Plain executemany
    with ids reserved up front is several times faster than bulk_create, which matters at
    national scale. Callers wrap it in a transaction so that a failure stores nothing.
    """
    rows = list(rows)
    if not rows:
        return 0
    tracker = Tracker()
    tracker.touch({(r["unit"], r["period"]) for r in rows})
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    user_id = getattr(user, "pk", None)
    value_ids = _reserve_ids(DataValue, len(rows))
    audit_ids = _reserve_ids(DataValueAudit, len(rows))

    def dec(v):
        return ops.adapt_decimalfield_value(Decimal(v), 24, 6)

    values, audits = [], []
    for pk, audit_pk, r in zip(value_ids, audit_ids, rows):
        form = r.get("form")
        src = r.get("source") or source
        values.append((
            pk, r["indicator"].pk, r["option"].pk, r["unit"].pk, r["period"].pk, dec(r["value"]),
            r.get("status", ValueStatus.OFFICIAL), r.get("comment", ""), False,
            getattr(form, "pk", None), r.get("form_version"), channel, src, 1, now, user_id, now, user_id,
            getattr(r.get("submission"), "pk", None),
        ))
        audits.append((
            audit_pk, pk, DataValueAudit.Action.CREATE, r["indicator"].code, r["option"].code, r["unit"].code,
            r["period"].code, dec(r["value"]), "", r.get("status", ValueStatus.OFFICIAL), 1, channel, src, "",
            user_id, now,
        ))
    value_columns = ["id", "indicator_id", "option_id", "unit_id", "period_id", "value", "status", "comment",
                     "followup", "form_id", "form_version", "channel", "source", "revision", "created_at",
                     "created_by_id", "updated_at", "updated_by_id", "submission_id"]
    audit_columns = ["id", "data_value_id", "action", "indicator_code", "option_code", "unit_code",
                     "period_code", "new_value", "old_status", "new_status", "revision", "channel", "source",
                     "note", "user_id", "at"]
    with connection.cursor() as cursor:
        for model, columns, data in ((DataValue, value_columns, values), (DataValueAudit, audit_columns, audits)):
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                ops.quote_name(model._meta.db_table),
                ", ".join(ops.quote_name(c) for c in columns),
                ", ".join(["%s"] * len(columns)),
            )
            for i in range(0, len(data), 5000):
                cursor.executemany(sql, data[i:i + 5000])
    tracker.settle()
    return len(values)


def _reserve_ids(model, count):
    """`count` primary keys no other writer will take."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
            return [r[0] for r in cursor.fetchall()]
        # SQLite: the write transaction (BEGIN IMMEDIATE) holds the database lock.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def audit_created(cursor, first_id, last_id, *, user=None):
    """Creation entries for the values with ids first_id..last_id, in one INSERT ... SELECT.

    For loaders that write the values themselves (bench.generate, save_values_bulk): the
    entry is built from the stored row, so it cannot disagree with it. Returns the count."""
    if last_id < first_id:
        return 0
    q = connection.ops.quote_name
    from solieu.catalog.models import DisaggregationOption, Indicator, Period, ReportingUnit

    cursor.execute(
        f"INSERT INTO {q(DataValueAudit._meta.db_table)} (data_value_id, action, indicator_code, option_code, "
        "unit_code, period_code, old_value, new_value, old_status, new_status, revision, channel, source, note, "
        "user_id, at) "
        "SELECT v.id, %s, i.code, o.code, u.code, p.code, NULL, v.value, '', v.status, v.revision, v.channel, "
        "v.source, '', v.created_by_id, v.created_at "
        f"FROM {q(DataValue._meta.db_table)} v "
        f"JOIN {q(Indicator._meta.db_table)} i ON i.id = v.indicator_id "
        f"JOIN {q(DisaggregationOption._meta.db_table)} o ON o.id = v.option_id "
        f"JOIN {q(ReportingUnit._meta.db_table)} u ON u.id = v.unit_id "
        f"JOIN {q(Period._meta.db_table)} p ON p.id = v.period_id "
        "WHERE v.id BETWEEN %s AND %s ORDER BY v.id",
        [DataValueAudit.Action.CREATE, first_id, last_id],
    )
    return cursor.rowcount


# ---------------------------------------------------------------------------------------------
# Many values at once: the same outcome as save_value row by row, in a few statements
# ---------------------------------------------------------------------------------------------


@dataclass
class BulkRow:
    """One value for save_values_bulk; `comment` None keeps the stored comment (as save_value)."""

    key: Key
    value: Decimal
    status: str = ValueStatus.OFFICIAL
    comment: str | None = None
    form: object = None
    submission: object = None


@dataclass
class BulkResult:
    data_value_id: int
    revision: int
    changed: bool
    created: bool


VALUE_COLUMNS = ["id", "indicator_id", "option_id", "unit_id", "period_id", "value", "status", "comment",
                 "followup", "form_id", "form_version", "channel", "source", "revision", "created_at",
                 "created_by_id", "updated_at", "updated_by_id", "submission_id"]
AUDIT_COLUMNS = ["data_value_id", "action", "indicator_code", "option_code", "unit_code", "period_code",
                 "old_value", "new_value", "old_status", "new_status", "revision", "channel", "source", "note",
                 "user_id", "at"]
UPDATE_COLUMNS = ["id", "value", "status", "comment", "channel", "source", "form_id", "form_version", "revision",
                  "updated_by_id", "submission_id"]


def save_values_bulk(rows, *, user=None, channel=Channel.API, source="") -> list[BulkResult]:
    """Create or change many current values as save_value would, one row after the other:
    unchanged values are left alone, changed ones get revision + 1, and every change gets its
    audit entry with old and new value. A row's `submission` is recorded on its value (as
    entry.save_cell does). No expected revision: imports write what they are sent.

    Why: per value, save_value costs four statements; an import of 50.000 values then spends
    its time in round trips. Here the current values are read in one query per 500 units
    (locked FOR UPDATE on PostgreSQL), the decisions are taken in Python with save_value's
    rules, and the writes are COPY (PostgreSQL) or executemany (SQLite) plus one UPDATE ... FROM.
    All or nothing: the caller's transaction, or one of our own. A value created meanwhile by
    another writer makes the unique index refuse the whole batch (IntegrityError); the caller
    may retry or fall back to save_value. Results are in the order of `rows`.
    """
    rows = list(rows)
    ids = [_key_ids(r.key) for r in rows]
    results = []
    with transaction.atomic():
        tracker = Tracker()
        tracker.touch({(r.key.unit, r.key.period) for r in rows})
        start = 0
        while start < len(rows):
            seen, end = set(), start
            while end < len(rows) and ids[end] not in seen:  # a repeated key waits its turn
                seen.add(ids[end])
                end += 1
            results += _save_run(rows[start:end], ids[start:end], user, channel, source)
            start = end
        tracker.settle()
    return results


def _key_ids(key):
    return (key.indicator.pk, key.option.pk, key.unit.pk, key.period.pk)


def _current_of(ids):
    """(indicator, option, unit, period) ids -> current value columns, for the keys `ids`."""
    wanted = set(ids)
    units = sorted({k[2] for k in wanted})
    periods = sorted({k[3] for k in wanted})
    indicators = sorted({k[0] for k in wanted})
    found = {}
    for i in range(0, len(units), 500):
        qs = DataValue.objects.current().filter(unit_id__in=units[i:i + 500], period_id__in=periods,
                                                indicator_id__in=indicators)
        if connection.vendor == "postgresql":
            qs = qs.select_for_update()
        for row in qs.values_list("indicator_id", "option_id", "unit_id", "period_id", "id", "value", "status",
                                  "comment", "revision", "source", "form_id", "form_version", "submission_id"):
            if row[:4] in wanted:
                found[row[:4]] = row[4:]
    return found


def _save_run(rows, ids, user, channel, source):
    """Rows with distinct keys (`ids`: their key ids)."""
    ops = connection.ops
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    current = _current_of(ids)
    new_ids = iter(_reserve_ids(DataValue, sum(1 for i in ids if i not in current)))
    inserts, updates, audits, moves, results = [], [], [], [], []
    forms = {None: (None, None)}  # the batch's few forms: id(form) -> (pk, version), read once
    for r, key_ids in zip(rows, ids):
        k = r.key
        codes = (k.indicator.code, k.option.code, k.unit.code, k.period.code)
        form = r.form
        known = forms.get(None if form is None else id(form))
        if known is None:
            known = forms[id(form)] = (getattr(form, "pk", None), getattr(form, "version", None))
        form_id, form_version = known
        submission_id = None if r.submission is None else r.submission.pk
        found = current.get(key_ids)
        if found is None:
            pk = next(new_ids)
            inserts.append((pk, *key_ids, r.value, r.status, r.comment or "", False, form_id, form_version,
                            channel, source, 1, now, user_id, now, user_id, submission_id))
            audits.append((pk, DataValueAudit.Action.CREATE, *codes, None, r.value, "", r.status, 1, channel,
                           source, "", user_id, now))
            results.append(BulkResult(pk, 1, True, True))
            continue
        pk, value, status, comment, revision, old_source, old_form, old_version, old_submission = found
        new_comment = comment if r.comment is None else r.comment
        keep_submission = submission_id if submission_id is not None else old_submission
        if value == r.value and status == r.status and comment == new_comment:
            if keep_submission != old_submission:
                moves.append((keep_submission, pk))
            results.append(BulkResult(pk, revision, False, False))
            continue
        if r.form is not None:
            old_form, old_version = form_id, form_version
        updates.append((pk, r.value, r.status, new_comment, channel, source or old_source, old_form, old_version,
                        revision + 1, user_id, keep_submission))
        audits.append((pk, DataValueAudit.Action.UPDATE, *codes, value, r.value, status, r.status, revision + 1,
                       channel, source, "", user_id, now))
        results.append(BulkResult(pk, revision + 1, True, False))
    _write_rows(DataValue, VALUE_COLUMNS, inserts)
    _update_values(updates, now)
    if moves:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {ops.quote_name(DataValue._meta.db_table)} SET submission_id = %s WHERE id = %s", moves)
    _write_rows(DataValueAudit, AUDIT_COLUMNS, audits)
    return results


def _adapt(row):
    ops = connection.ops
    out = []
    for v in row:
        if isinstance(v, Decimal):
            v = ops.adapt_decimalfield_value(v, 24, 6)
        elif hasattr(v, "tzinfo"):
            v = ops.adapt_datetimefield_value(v)
        out.append(v)
    return out


def _write_rows(model, columns, rows):
    """COPY on PostgreSQL, executemany elsewhere; the table's own defaults give missing ids."""
    if not rows:
        return
    from .copytext import copy_text

    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg's copy() is not wrapped by Django: its errors become Django's here.
            with connection.wrap_database_errors, cursor.copy(
                    f"COPY {table} ({', '.join(q(c) for c in columns)}) FROM STDIN") as copy:
                copy_text(copy, rows)
            return
        sql = f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, [_adapt(r) for r in rows[i:i + 5000]])


def _update_values(updates, now):
    if not updates:
        return
    from .copytext import copy_text

    q = connection.ops.quote_name
    table = q(DataValue._meta.db_table)
    sets = ", ".join(f"{q(c)} = %s" for c in UPDATE_COLUMNS[1:])
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(f"UPDATE {table} SET {sets}, updated_at = %s WHERE id = %s",
                               [_adapt([*u[1:], now, u[0]]) for u in updates])
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS bulk_value_update (id bigint, value numeric(24, 6), "
            "status varchar(12), comment text, channel varchar(10), source varchar(300), form_id bigint, "
            "form_version smallint, revision integer, updated_by_id bigint, submission_id bigint) "
            "ON COMMIT DELETE ROWS")
        cursor.execute("TRUNCATE bulk_value_update")
        with connection.wrap_database_errors, cursor.copy(
                f"COPY bulk_value_update ({', '.join(UPDATE_COLUMNS)}) FROM STDIN") as copy:
            copy_text(copy, updates)
        assignments = ", ".join(f"{q(c)} = u.{c}" for c in UPDATE_COLUMNS[1:])
        cursor.execute(f"UPDATE {table} v SET {assignments}, updated_at = %s FROM bulk_value_update u "
                       "WHERE v.id = u.id", [now])
