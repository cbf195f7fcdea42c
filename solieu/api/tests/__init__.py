"""Shared fixtures of the API tests (imported by each test module: only conftest.py is
collected automatically, and this package has none of its own)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from solieu.accounts.models import ApiToken, Membership, Role
from solieu.catalog.models import ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection.models import DataValue, DataValueAudit

# This month and quarter: their deadlines have not passed, so their submissions are not locked.
MONTH = PeriodId.containing("month", timezone.localdate()).code
QUARTER = PeriodId.containing("quarter", timezone.localdate()).code
PASSWORD = "mat-khau-dai-123"


def bearer(key):
    return Client(headers={"Authorization": f"Bearer {key}"})


def post_json(client, url, payload, **headers):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(url, body, content_type="application/json", **headers)


def post_csv(client, url, text, **headers):
    return client.post(url, text.encode(), content_type="text/csv", **headers)


def counts():
    return DataValue.objects.count(), DataValueAudit.objects.count()


def current(indicator, unit, period, option="TOTAL"):
    return DataValue.objects.current().filter(indicator__code=indicator, unit__code=unit, period__code=period,
                                              option__code=option).first()


def session_client(username, role, unit_code=None, **client_options):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    unit = ReportingUnit.objects.get(code=unit_code) if unit_code else None
    Membership.objects.create(user=user, role=role, unit=unit)
    client = Client(**client_options)
    client.force_login(user)
    return client


@pytest.fixture
def hanoi(catalog, db):
    return ReportingUnit.objects.get(code="SKHCN-01")


@pytest.fixture
def key01(hanoi):
    """A usable key of Sở KH&CN Hà Nội."""
    _, key = ApiToken.issue(hanoi, "Hệ thống báo cáo của Sở KH&CN Hà Nội")
    return key


@pytest.fixture
def api01(key01):
    return bearer(key01)


@pytest.fixture
def key_vnpost(catalog, db):
    _, key = ApiToken.issue(ReportingUnit.objects.get(code="VNPOST"), "Phần mềm thống kê VNPost")
    return key


@pytest.fixture
def api_vnpost(key_vnpost):
    return bearer(key_vnpost)


@pytest.fixture
def reporter01(hanoi):
    return session_client("so-hn", Role.REPORTER, "SKHCN-01")


@pytest.fixture
def analyst(catalog, db):
    return session_client("chuyen-vien", Role.ANALYST)


@pytest.fixture
def admin_client(catalog, db):
    return session_client("quan-tri", Role.ADMIN)
