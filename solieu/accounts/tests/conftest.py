"""Users and authenticators for the account tests; small, without the national catalog."""

import pytest
from django.contrib.auth import get_user_model

from solieu.accounts import totp, twofactor
from solieu.accounts.models import Membership
from solieu.catalog.models import ReportingUnit

PASSWORD = "mat-khau-dai-123"


def wrong_code(secret):
    """A six-digit code valid at no step near now."""
    near = {totp.hotp(secret, totp.step_at() + d) for d in range(-3, 4)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


@pytest.fixture
def approver(db):
    unit = ReportingUnit.objects.create(code="SKHCN-TEST", name="Sở KH&CN thử", kind="enterprise")
    user = get_user_model().objects.create_user("lanhdao", password=PASSWORD)
    Membership.objects.create(user=user, role="approver", unit=unit)
    return user


@pytest.fixture
def reporter(db):
    return get_user_model().objects.create_user("so01", password=PASSWORD)


@pytest.fixture
def enrolled(approver, rf):
    """The approver with a confirmed authenticator; its recovery codes on .codes."""
    device = twofactor.start_enrolment(approver)
    request = rf.post("/")
    request.user = approver
    device.codes = twofactor.confirm(request, device, totp.code_at(device.secret))
    device.refresh_from_db()
    device.last_step = 0  # the confirming code is not being replayed in the tests
    device.save()
    return device
