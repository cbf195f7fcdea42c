"""Small units, sectors and a way to write a task as a document does, for the task tests."""

import html
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from solieu.accounts.models import Membership
from solieu.assignments import changes
from solieu.assignments.deadlines import parse_deadline
from solieu.assignments.models import ResultStatus, SourceDocument
from solieu.catalog.models import ReportingUnit, Sector

PASSWORD = "mat-khau-dai-123"


def text_of(response):
    return html.unescape(response.content.decode())


def make_task(unit, results, *, title="Nhiệm vụ", sector=None, document=None, order="", cancelled_on=None,
              assigned_on=None, cooperating=()):
    """`results`: (deadline as written, done_on or None[, "cancelled"]) each."""
    year = document.year if document else None
    parsed = [(f"Kết quả {i}", parse_deadline(spec[0], year), spec[1], "")
              for i, spec in enumerate(results, start=1)]
    task = changes.create_task(None, title=title, responsible_unit=unit, results=parsed, document=document,
                               order=order, sector=sector, cooperating=cooperating)
    for spec, result in zip(results, task.results.order_by("position")):
        if len(spec) > 2 and spec[2] == "cancelled":
            result.status = ResultStatus.CANCELLED
            result.save()
    if cancelled_on or assigned_on:
        task.cancelled_on = cancelled_on
        task.assigned_on = assigned_on or task.assigned_on
        task.save()
    return task


def make_user(username, role, unit=None, **extra):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.invalid", password=PASSWORD,
                                                **extra)
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small(db, fast_passwords):
    """Two ministry departments, a Sở, two sectors, a plan of 15/01/2024 and the people."""
    a = ReportingUnit.objects.create(code="CUC_A", name="Cục A", kind="ministry_department")
    b = ReportingUnit.objects.create(code="VU_B", name="Vụ B", kind="ministry_department")
    so = ReportingUnit.objects.create(code="SO_X", name="Sở X", kind="provincial_department")
    postal = Sector.objects.create(code="postal", name="Bưu chính", sort_order=20)
    telecom = Sector.objects.create(code="telecom", name="Viễn thông", sort_order=30)
    plan = SourceDocument.objects.create(kind="plan", number="12/KH-BTTTT", issued_on=date(2024, 1, 15),
                                         title="Kế hoạch thực hiện nhiệm vụ năm 2024")
    return {
        "a": a, "b": b, "so": so, "postal": postal, "telecom": telecom, "plan": plan,
        "reporter_a": make_user("nv-a", "reporter", a, first_name="Hà"),
        "approver_a": make_user("duyet-a", "approver", a),
        "reporter_b": make_user("nv-b", "reporter", b),
        "reporter_so": make_user("nv-so", "reporter", so),
        "analyst": make_user("tonghop", "analyst"),
        "admin": make_user("quantri", "admin"),
    }
