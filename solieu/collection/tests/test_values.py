"""Every write is audited, re-sends change nothing, concurrent edits are caught."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from solieu.collection.models import Channel, DataValue, DataValueAudit
from solieu.collection.values import ConflictError, Key, delete_value, save_value


@pytest.fixture
def key(indicator, total, unit, period):
    return Key(indicator, total, unit, period)


@pytest.fixture
def users(db):
    User = get_user_model()
    return User.objects.create(username="an"), User.objects.create(username="binh")


def test_create_then_update_is_audited(key, users):
    an, binh = users
    dv, changed = save_value(key, Decimal("4900"), user=an, status="estimate")
    assert changed and dv.revision == 1
    dv, changed = save_value(key, Decimal("4912.5"), user=binh, channel=Channel.EXCEL, expected_revision=1)
    assert changed and dv.revision == 2 and dv.value == Decimal("4912.5")
    trail = list(DataValueAudit.objects.order_by("id").values_list(
        "action", "old_value", "new_value", "old_status", "new_status", "user__username", "channel"))
    assert trail == [
        ("create", None, Decimal("4900"), "", "estimate", "an", "web"),
        ("update", Decimal("4900"), Decimal("4912.5"), "estimate", "official", "binh", "excel"),
    ]


def test_resending_the_same_value_changes_nothing(key, users):
    save_value(key, Decimal("1"), user=users[0])
    dv, changed = save_value(key, Decimal("1.000"), user=users[0])
    assert not changed and dv.revision == 1
    assert DataValueAudit.objects.count() == 1


def test_stale_revision_is_refused_and_recorded(key, users):
    an, binh = users
    save_value(key, Decimal("10"), user=an)
    save_value(key, Decimal("11"), user=an, expected_revision=1)
    with pytest.raises(ConflictError) as err:
        save_value(key, Decimal("12"), user=binh, expected_revision=1)
    assert "đã được an sửa thành 11" in str(err.value)
    assert DataValue.objects.get().value == Decimal("11")
    conflict = DataValueAudit.objects.get(action="conflict")
    assert conflict.user == binh and "Giá trị gửi: 12" in conflict.note


def test_cell_created_meanwhile_is_a_conflict(key, users):
    save_value(key, Decimal("5"), user=users[0])
    with pytest.raises(ConflictError):
        save_value(key, Decimal("6"), user=users[1], expected_revision=0)


def test_write_over_a_deleted_cell_is_a_conflict_kept_in_the_trail(key, users):
    dv, _ = save_value(key, Decimal("5"), user=users[0])
    delete_value(dv, user=users[0])
    with pytest.raises(ConflictError):
        save_value(key, Decimal("6"), user=users[1], expected_revision=1)
    last = DataValueAudit.objects.order_by("-id").first()
    assert (last.action, last.user.username, last.data_value_id) == ("conflict", "binh", dv.pk)
    assert "Giá trị gửi: 6" in last.note and "(đã xóa)" in last.note
    assert not DataValue.objects.current().exists()


def test_one_current_value_per_key_is_enforced_by_the_database(key):
    save_value(key, Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        DataValue.objects.create(indicator=key.indicator, option=key.option, unit=key.unit, period=key.period,
                                 value=Decimal("2"))


def test_soft_delete_keeps_the_row_and_frees_the_key(key, users):
    dv, _ = save_value(key, Decimal("7"))
    delete_value(dv, user=users[0], note="nhập nhầm")
    assert DataValue.objects.current().count() == 0 and DataValue.objects.count() == 1
    dv2, changed = save_value(key, Decimal("8"))
    assert changed and dv2.pk != dv.pk
    assert list(DataValueAudit.objects.order_by("id").values_list("action", flat=True)) == [
        "create", "delete", "create"]


def test_audit_trail_is_append_only(key):
    save_value(key, Decimal("1"))
    entry = DataValueAudit.objects.get()
    entry.note = "sửa lén"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        DataValueAudit.objects.all().update(note="x")
    with pytest.raises(PermissionError):
        DataValueAudit.objects.all().delete()
