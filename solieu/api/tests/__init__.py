"""Helpers of the API tests (constants, clients, counts); the fixtures are in conftest.py."""

import json

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from solieu.accounts.models import Membership
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
