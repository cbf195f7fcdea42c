"""Users with roles and an open reporting period for the collection tests (browser fixtures: solieu/conftest.py)."""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

import solieu.collection.signals  # noqa: F401  (login must remember the previous visit in every test)
from solieu.accounts.models import Membership, Role
from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodId

PASSWORD = "mat-khau-dai-123"


FORM = "BC-SO-THANG"


@pytest.fixture
def fast_passwords(settings):
    """Argon2 is meant to be slow; the entry tests create six users per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def text_of(response):
    """The page as a reader sees it: entities decoded, so messages compare with their quotes."""
    return html.unescape(response.content.decode())


def open_month(today: date) -> PeriodId:
    """A month of BC-SO-THANG (due on the 15th of the month itself) still open and on time today."""
    current = PeriodId.containing("month", today)
    return current if today.day <= 15 else current.next()


def make_user(username, *roles, **extra):
    """A user with (role, unit code or None) memberships and an address for notifications."""
    user = get_user_model().objects.create_user(username, email=f"{username}@example.invalid", password=PASSWORD,
                                                **extra)
    for role, unit in roles:
        Membership.objects.create(user=user, role=role,
                                  unit=ReportingUnit.objects.get(code=unit) if unit else None)
    return user


@pytest.fixture
def users(db, fast_passwords):
    """The cast of the entry tests: Hà Nội's reporter and approver, HCMC's reporter, the ministry."""
    return {
        "reporter": make_user("nhap01", (Role.REPORTER, "SKHCN-01"), first_name="Lan"),
        "approver": make_user("duyet01", (Role.APPROVER, "SKHCN-01"), first_name="Minh"),
        "reporter79": make_user("nhap79", (Role.REPORTER, "SKHCN-79")),
        "analyst": make_user("tonghop", (Role.ANALYST, None)),
        "receiver": make_user("vukhtc", (Role.APPROVER, "VU_KHTC")),
        "admin": make_user("quantri", (Role.ADMIN, None)),
    }


@pytest.fixture
def month(db):
    return open_month(timezone.localdate())


def entry_url(pid, unit="SKHCN-01", form=FORM, action=""):
    code = pid if isinstance(pid, str) else pid.code
    return f"/bao-cao/{form}/{unit}/{code}/" + (f"{action}/" if action else "")


def history(unit_code, row_code, pid, values, form=FORM):
    """Earlier values of one cell, oldest first, ending the month before `pid`, as sent before."""
    from solieu.collection.entry import form_spec
    from solieu.collection.models import Channel
    from solieu.collection.values import Key, save_value

    spec = form_spec(Form.objects.get(code=form))
    fr, option = spec.form_rows[row_code], spec.options[(row_code, "TOTAL")]
    unit = ReportingUnit.objects.get(code=unit_code)
    month = pid
    months = []
    for _ in values:
        month = month.previous()
        months.append(month)
    for m, v in zip(reversed(months), values):
        save_value(Key(fr.indicator, option, unit, Period.objects.for_id(m)), Decimal(v), channel=Channel.HISTORY)
