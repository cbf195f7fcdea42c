"""Fixtures of the API tests: units, tokens and signed-in clients of the national catalog."""

import pytest

from solieu.accounts.models import ApiToken, Role
from solieu.catalog.models import ReportingUnit

from . import PASSWORD, bearer, session_client  # noqa: F401


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
