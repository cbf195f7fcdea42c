"""A little approved data for the report pages: Hà Nội's postal service points and revenue."""

from decimal import Decimal

import pytest

from solieu.catalog.models import DisaggregationOption, Form, Indicator, Period, ReportingUnit
from solieu.collection.models import Channel, DataValue, Submission
from solieu.collection.tests.factories import user_with

PERIOD = "2024S1"


def put(code, unit_code, period, value, status="approved", form="BC-SO-THANG"):
    unit = ReportingUnit.objects.get(code=unit_code)
    sub, _ = Submission.objects.get_or_create(
        form=Form.objects.get(code=form), unit=unit, period=Period.objects.for_code(period),
        defaults={"form_version": 1, "status": status})
    return DataValue.objects.create(
        indicator=Indicator.objects.get(code=code), option=DisaggregationOption.total(), unit=unit,
        period=sub.period, value=Decimal(value), submission=sub, form=sub.form, form_version=1, channel=Channel.WEB)


@pytest.fixture
def figures(catalog, db):
    """Service points at the end of June: Hà Nội 900 (2023: 800), HCMC 700 (2023: 650)."""
    put("POSTAL_SERVICE_POINTS", "STTTT-01", "202306", 800)
    put("POSTAL_SERVICE_POINTS", "STTTT-79", "202306", 650)
    put("POSTAL_SERVICE_POINTS", "STTTT-01", "202406", 900)
    put("POSTAL_SERVICE_POINTS", "STTTT-79", "202406", 700)


@pytest.fixture
def people(catalog, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return {
        "analyst": user_with("r-tonghop", "analyst"),
        "hanoi": user_with("r-so01", "reporter", "SKHCN-01"),
        "hcmc": user_with("r-so79", "reporter", "SKHCN-79"),
        "vnpost": user_with("r-vnpost", "reporter", "VNPOST"),
    }
