"""Users with roles and submissions on the national catalog, for the collection tests."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from solieu.accounts.models import Membership
from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodId, PeriodType
from solieu.collection.entry import submission_for


def user_with(username, role, unit_code=None):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.invalid",
                                                password="mat-khau-dai-123")
    unit = ReportingUnit.objects.get(code=unit_code) if unit_code else None
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


def open_month():
    """A month whose deadline is still ahead, whatever today is, so nothing is locked or late."""
    return PeriodId.containing(PeriodType.MONTH, timezone.localdate()).next()


def submission(form_code="BC-SO-THANG", unit_code="SKHCN-01", pid=None):
    pid = pid or open_month()
    return submission_for(Form.objects.get(code=form_code), ReportingUnit.objects.get(code=unit_code),
                          Period.objects.for_id(pid))
