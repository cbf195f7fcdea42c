"""The one way figures are written: every path (web, Excel, API, history, demo) goes
through here so that each change is audited and concurrent edits are caught."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from solieu.vi import format_number

from .models import Channel, DataValue, DataValueAudit, ValueStatus


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
):
    """Create or change the current value of `key`; returns (data_value, changed).

    `expected_revision` is the revision the editor saw (0 for an empty cell). If the stored
    value moved on meanwhile, the attempt is audited as a conflict and ConflictError raised.
    Writing the same value and status again changes nothing, which makes re-sends idempotent.
    """
    with transaction.atomic():
        outcome = _save_value(key, value, user=user, channel=channel, status=status, comment=comment,
                              expected_revision=expected_revision, form=form, source=source)
    if isinstance(outcome, ConflictError):
        # Raised after the block commits, so that the conflict stays in the audit trail.
        raise outcome
    return outcome


def _save_value(key, value, *, user, channel, status, comment, expected_revision, form, source):
    current = (
        DataValue.objects.current()
        .select_for_update()
        .filter(indicator=key.indicator, option=key.option, unit=key.unit, period=key.period)
        .first()
    )
    if current is None:
        if expected_revision not in (None, 0):
            return ConflictError(_deleted_placeholder(key))
        dv = DataValue(
            indicator=key.indicator, option=key.option, unit=key.unit, period=key.period,
            value=value, status=status, comment=comment or "", channel=channel, source=source,
            form=form, form_version=getattr(form, "version", None), created_by=user, updated_by=user,
        )
        try:
            with transaction.atomic():
                dv.save()
        except IntegrityError:
            # Another writer created the same cell between our read and our insert.
            return ConflictError(DataValue.objects.current().get(
                indicator=key.indicator, option=key.option, unit=key.unit, period=key.period))
        _audit(dv, DataValueAudit.Action.CREATE, None, None, user, channel, source).save()
        return dv, True

    if expected_revision is not None and expected_revision != current.revision:
        _audit(current, DataValueAudit.Action.CONFLICT, current.value, current.status, user, channel, source,
               note=f"Giá trị gửi: {value}; đã đọc lần sửa {expected_revision}, hiện tại {current.revision}").save()
        return ConflictError(current)

    new_comment = current.comment if comment is None else comment
    if current.value == value and current.status == status and current.comment == new_comment:
        return current, False
    old_value, old_status = current.value, current.status
    current.value, current.status, current.comment = value, status, new_comment
    current.channel, current.source, current.updated_by = channel, source or current.source, user
    if form is not None:
        current.form, current.form_version = form, form.version
    current.revision += 1
    current.save()
    _audit(current, DataValueAudit.Action.UPDATE, old_value, old_status, user, channel, source).save()
    return current, True


@transaction.atomic
def delete_value(data_value: DataValue, *, user=None, channel=Channel.WEB, note=""):
    """Soft delete: the row stays, with its trail, and the key is free for a new value."""
    data_value.deleted_at = timezone.now()
    data_value.updated_by = user
    data_value.revision += 1
    data_value.save()
    _audit(data_value, DataValueAudit.Action.DELETE, data_value.value, data_value.status, user, channel,
           note=note).save()


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
