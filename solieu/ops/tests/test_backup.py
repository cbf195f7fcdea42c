"""`solieu backup` and `solieu restore`: a round trip gives back every row of every table.

The database under test (SQLite or PostgreSQL) gets the national catalog, users with groups and
permissions, a session, figures with their audit trail (a conflict, a deletion), a workflow step
and task history; it is backed up, changed, restored, and compared table by table, row by row,
with what it held at backup time. A broken archive, one of another engine and one of a newer
schema are refused with a Vietnamese message, and nothing changes.
"""

import io
import json
import tarfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from solieu.accounts.models import Membership, Role
from solieu.assignments.changes import record
from solieu.assignments.models import Task
from solieu.catalog.models import DisaggregationOption, Indicator, ReportingUnit
from solieu.collection import entry, workflow
from solieu.collection.models import DataValue
from solieu.collection.tests.factories import submission
from solieu.collection.values import ConflictError, Key, save_value
from solieu.ops import backup

pytestmark = pytest.mark.django_db(transaction=True)

OTHER = {"sqlite": "postgresql", "postgresql": "sqlite"}


def every_row():
    """All rows of every model (auto-created many-to-many tables too), in primary-key order."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.db_table] = list(model._base_manager.order_by("pk").values_list(*fields))
    return rows


def run(name, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue()


def fill():
    """Something in every kind of table the round trip must give back."""
    user = get_user_model().objects.create_user("nhap01", email="a@example.invalid", password="mat-khau-dai-123")
    Membership.objects.create(user=user, role=Role.REPORTER, unit=ReportingUnit.objects.get(code="SKHCN-01"))
    group = Group.objects.create(name="Nhóm thử")
    group.permissions.add(Permission.objects.first())
    user.groups.add(group)
    Client().force_login(user)  # a session row, and a sign-in in the account trail
    sub = submission()
    spec = entry.form_spec(sub.form)
    for row, raw in (("1", "8.435.700"), ("2", "2.500.000"), ("3", "126"), ("5", "1,234567")):
        entry.save_cell(user, sub, row, "TOTAL", raw, spec=spec, expected_revision=0)
    with pytest.raises(ConflictError):
        entry.save_cell(user, sub, "1", "TOTAL", "1", spec=spec, expected_revision=0)
    entry.save_cell(user, sub, "3", "TOTAL", "", spec=spec)  # a deletion (soft)
    workflow.submit(user, sub)
    task = Task.objects.create(title="Nhiệm vụ thử", responsible_unit=sub.unit)
    record(task, user, "Tạo nhiệm vụ", "", "Nhiệm vụ thử")
    return user, sub


def change_everything(user, sub):
    key = Key(Indicator.objects.get(code="OVERVIEW_POPULATION"), DisaggregationOption.total(), sub.unit,
              sub.period)
    save_value(key, Decimal(9_000_000), user=user)
    get_user_model().objects.create_user("moi", password="mat-khau-dai-123")
    Group.objects.all().delete()
    Indicator.objects.filter(code="OVERVIEW_POPULATION").update(name="Đã đổi tên")
    ReportingUnit.objects.filter(code="SKHCN-79").update(name="Đã đổi tên")
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    with connection.cursor() as cursor:  # a table the backup does not have (a later release's)
        cursor.execute("CREATE TABLE ops_bang_moi (id integer)")


def test_round_trip_gives_back_every_table(tmp_path):
    from solieu.catalog.loader import load_catalog

    load_catalog()
    user, sub = fill()
    saved = every_row()
    archive = tmp_path / "sao-luu.tar"

    out = run("backup", str(archive))
    assert "Đã sao lưu cơ sở dữ liệu" in out and str(archive) in out
    assert "Bản sao lưu" in run("backup", str(archive), verify=True)
    manifest = backup.read_manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"]["collection_datavalueaudit"]["rows"] == 6  # 4 created, 1 conflict, 1 deleted
    assert "ops" in manifest["migrations"]

    change_everything(user, sub)
    assert every_row() != saved

    out = run("restore", str(archive), yes=True)
    assert "Đã khôi phục" in out and "khớp với bản sao lưu" in out
    restored = every_row()
    assert "ops_bang_moi" not in connection.introspection.table_names()
    assert sorted(restored) == sorted(saved)
    for table in saved:
        assert restored[table] == saved[table], table
    # The restored database works: the next value gets a fresh id.
    save_value(Key(Indicator.objects.get(code="POSTAL_SERVICE_POINTS"), DisaggregationOption.total(), sub.unit,
                   sub.period), Decimal(1), user=user)
    assert DataValue.objects.count() == len(saved["collection_datavalue"]) + 1


# ---------------------------------------------------------------------------------------------
# Refusals: nothing changes
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def archive(tmp_path, sector, indicator, unit, period, total):
    """A small real archive of the database under test."""
    save_value(Key(indicator, total, unit, period), Decimal("1234.5"))
    path = tmp_path / "nho.tar"
    backup.create(path)
    return path


def rewritten(path, target, change):
    """A copy of the archive with its manifest changed (the dump untouched)."""
    with tarfile.open(path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        change(manifest)
        with tarfile.open(target, "w") as out:
            data = json.dumps(manifest).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
            member = tar.getmember(manifest["dump"]["name"])
            out.addfile(member, tar.extractfile(member))
    return target


def refused(path, *messages, verify=True):
    """restore (and backup --verify, which judges the archive alone) fail with the messages."""
    before = every_row()
    for command, options in (("restore", {"yes": True}), ("backup", {"verify": True}))[:2 if verify else 1]:
        with pytest.raises(CommandError) as exc:
            run(command, str(path), **options)
        for message in messages:
            assert message in str(exc.value)
    assert every_row() == before


def test_truncated_archive_is_refused(archive):
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    refused(archive, "không phải bản sao lưu solieu hợp lệ hoặc đã bị hỏng", "Cơ sở dữ liệu không bị thay đổi")


def test_corrupted_dump_is_refused(archive):
    with tarfile.open(archive) as tar:
        dump = tar.getmember(backup.read_manifest(archive)["dump"]["name"])
    data = bytearray(archive.read_bytes())
    middle = dump.offset_data + dump.size // 2
    data[middle:middle + 16] = bytes(b ^ 0xFF for b in data[middle:middle + 16])
    archive.write_bytes(bytes(data))
    refused(archive, "không khớp tổng kiểm SHA-256", "Cơ sở dữ liệu không bị thay đổi")


def test_not_an_archive_is_refused(tmp_path, db):
    path = tmp_path / "bang-tinh.tar"
    path.write_text("Đây không phải bản sao lưu")
    refused(path, "không phải bản sao lưu solieu hợp lệ")


def test_archive_of_another_engine_is_refused(archive, tmp_path):
    other = rewritten(archive, tmp_path / "khac.tar", lambda m: m.update(engine=OTHER[connection.vendor]))
    refused(other, "là của cơ sở dữ liệu", "không khôi phục được", verify=False)


def test_archive_of_a_newer_schema_is_refused(archive, tmp_path):
    newer = rewritten(archive, tmp_path / "moi.tar",
                      lambda m: m["migrations"]["collection"].append("9999_tu_tuong_lai"))
    refused(newer, "cấu trúc dữ liệu mới hơn", "collection.9999_tu_tuong_lai", verify=False)


def test_restore_asks_first(archive, monkeypatch):
    before = every_row()
    monkeypatch.setattr("builtins.input", lambda prompt: "khong")
    with pytest.raises(CommandError, match="Đã hủy"):
        run("restore", str(archive))
    assert every_row() == before
