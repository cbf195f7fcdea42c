"""Schemathesis against /api/openapi.json through the WSGI app: every operation, with a unit's
API token and with a signed-in session, never answers 5xx. Data generated from the schema (and
outside it: wrong types, missing fields) must always get a 2xx or a 4xx with a reason."""

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings

from solieu.accounts.models import ApiToken, Membership, Role
from solieu.catalog.models import ReportingUnit
from solieu.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
OPERATIONS = sum(1 for _ in schema.get_all_operations())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The raw WSGI app closes the database connection after each request, as in production;
    inside a test transaction that ends the test (Django's test client does the same as this)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["token", "session"])
def credentials(request, catalog, db):
    unit = ReportingUnit.objects.get(code="SKHCN-01")
    if request.param == "token":
        _, key = ApiToken.issue(unit, "Kiểm thử schemathesis")
        return {"headers": {"Authorization": f"Bearer {key}"}}
    user = get_user_model().objects.create_user("st-admin", password="mat-khau-dai-123")
    Membership.objects.create(user=user, role=Role.ADMIN, unit=None)
    client = Client()
    client.force_login(user)
    csrf = "c" * 32  # an unmasked CSRF secret is a valid token too: unsafe methods get past the check
    return {"cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
            "headers": {"X-CSRFToken": csrf}}


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@pytest.mark.django_db
def test_no_operation_answers_5xx(case, credentials):
    if "cookies" in credentials and case.headers:
        case.headers.pop("Authorization", None)  # the schema's bearer scheme, generated empty
    response = case.call(**credentials)
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, case.body,
                                        response.status_code, response.text[:500])


def test_the_schema_lists_the_operations():
    assert OPERATIONS >= 10
