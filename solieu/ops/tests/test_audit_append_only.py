"""The audit trails are append-only everywhere: admin, every route, and (PostgreSQL) the database.

Trails: ops.audit.APPEND_ONLY (figures, workflow steps, task history and notes, accounts).
"""

import json
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse

from solieu.accounts.models import AccountEvent
from solieu.assignments.models import ProgressNote, Task, TaskChange
from solieu.catalog.models import DisaggregationOption, ReportingUnit
from solieu.collection.models import DataValueAudit, SubmissionEvent
from solieu.collection.tests.factories import submission
from solieu.collection.values import Key, save_value
from solieu.ops.audit import APPEND_ONLY, allow_pruning

pytestmark = pytest.mark.usefixtures("catalog")

TRAILS = [apps.get_model(label) for label in APPEND_ONLY]
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers exist on PostgreSQL only")


@pytest.fixture
def rows(db, settings):
    """One entry in every trail, by a user who may later be deleted."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user("nguoi-ghi", password="mat-khau-dai-123")
    sub = submission()
    fr = sub.form.rows.exclude(indicator=None).first()
    dv, _ = save_value(Key(fr.indicator, DisaggregationOption.total(),
                           sub.unit, sub.period), Decimal(5), user=user)
    task = Task.objects.create(title="Nhiệm vụ thử", responsible_unit=ReportingUnit.objects.get(code="SKHCN-01"))
    return {
        DataValueAudit: dv.audits.get(),
        SubmissionEvent: SubmissionEvent.objects.create(submission=sub, action="submit", user=user, note="gửi"),
        TaskChange: TaskChange.objects.create(task=task, field="Tạo nhiệm vụ", new="x", revision=1, user=user),
        ProgressNote: ProgressNote.objects.create(task=task, text="Đã làm", by=user),
        AccountEvent: AccountEvent.objects.create(kind="login", user=user, username=user.username),
        "user": user,
    }


def snapshot():
    return {model: {o.pk: model_to_dict(o) for o in model.objects.all()} for model in TRAILS}


def unchanged_since(before):
    """Every entry that existed is still there, as it was (appending is allowed)."""
    after = snapshot()
    for model, entries in before.items():
        for pk, fields in entries.items():
            assert after[model].get(pk) == fields, (model.__name__, pk)


@pytest.fixture
def superuser_client(db):
    user = get_user_model().objects.create_superuser("sieu-quan-tri", "a@example.invalid", "mat-khau-dai-123")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.user = user
    return client


def test_every_trail_is_registered_read_only_in_the_admin(superuser_client):
    request = RequestFactory().get("/admin/")
    request.user = superuser_client.user
    for model in TRAILS:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert model_admin.get_actions(request) == {}, model


def test_admin_refuses_to_add_change_or_delete(rows, superuser_client):
    before = snapshot()
    for model in TRAILS:
        obj = rows[model]
        info = model._meta.app_label, model._meta.model_name
        change = superuser_client.post(reverse("admin:%s_%s_change" % info, args=[obj.pk]),
                                       {f.name: "sửa" for f in model._meta.concrete_fields})
        delete = superuser_client.post(reverse("admin:%s_%s_delete" % info, args=[obj.pk]), {"post": "yes"})
        add = superuser_client.post(reverse("admin:%s_%s_add" % info), {})
        assert (change.status_code, delete.status_code, add.status_code) == (403, 403, 403), model
        bulk = superuser_client.post(reverse("admin:%s_%s_changelist" % info),
                                     {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
        assert bulk.status_code in (200, 302), model
    unchanged_since(before)


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def api_routes():
    from solieu.api.urls import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                for method in op.methods:
                    yield method, "/api/" + (prefix.strip("/") + "/" if prefix.strip("/") else "") + path.lstrip("/")


def filled(route, value):
    """A route of the URL configuration with every parameter set to `value`."""
    route = re.sub(r"<(?:\w+:)?\w+>", str(value), route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


def test_no_route_edits_a_trail(rows, superuser_client):
    """POST (and the API's PUT, PATCH, DELETE) every route with the ids of trail entries."""
    before = snapshot()
    page_routes = [r for r in walk(get_resolver().url_patterns)
                   if not r.startswith(("admin/", "api/", "static/", "dang-xuat"))]
    calls = []
    for obj in (rows[m] for m in TRAILS):
        calls += [("POST", filled(r, obj.pk)) for r in page_routes]
        calls += [(m, re.sub(r"\{\w+\}", str(obj.pk), path)) for m, path in api_routes() if m != "GET"]
    for method, url in sorted(set(calls)):
        superuser_client.force_login(superuser_client.user)
        superuser_client.generic(method, url, json.dumps({"id": rows[DataValueAudit].pk}),
                                 content_type="application/json")  # any answer will do; a change will not
    assert len(calls) > 50
    unchanged_since(before)


@postgres_only
@pytest.mark.parametrize("model", TRAILS, ids=lambda m: m.__name__)
def test_database_refuses_update_and_delete(rows, model):
    table, pk = model._meta.db_table, rows[model].pk
    for sql in (f"UPDATE {table} SET id = id WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="chỉ được ghi thêm"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [pk])
    assert model.objects.filter(pk=pk).exists()


def test_a_user_named_in_a_trail_is_deactivated_not_deleted(rows, superuser_client):
    """The trails keep their "who": deleting such an account is refused, in the admin too."""
    user = rows["user"]
    with pytest.raises(ProtectedError):
        user.delete()
    page = superuser_client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    assert page.status_code == 200 and "không thể xóa" in page.content.decode().lower()
    assert get_user_model().objects.filter(pk=user.pk).exists()
    for model in TRAILS:
        assert model.objects.filter(pk=rows[model].pk).exists()


@postgres_only
def test_a_change_hidden_behind_a_detached_user_is_refused(rows):
    obj = rows[DataValueAudit]
    with pytest.raises(DatabaseError, match="chỉ được ghi thêm"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE collection_datavalueaudit SET user_id = NULL, new_value = 6 WHERE id = %s",
                           [obj.pk])


@postgres_only
def test_truncate_and_sanctioned_pruning_are_allowed(rows):
    with transaction.atomic():
        allow_pruning()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM collection_submissionevent WHERE id = %s", [rows[SubmissionEvent].pk])
    assert not SubmissionEvent.objects.filter(pk=rows[SubmissionEvent].pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own pending foreign key checks
        cursor.execute("TRUNCATE assignments_progressnote")
    assert not ProgressNote.objects.exists()
