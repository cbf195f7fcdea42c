"""The minister's rule: ad-hoc reports at most 10% of a unit's periodic reports a year."""

from datetime import date

import pytest

from solieu.catalog.models import Form, ReportingUnit
from solieu.collection.adhoc import issue_request, periodic_count, quota_check
from solieu.collection.entry import EntryError
from solieu.collection.models import AdHocRequest, Submission

from .factories import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(catalog):
    return {
        "analyst": user_with("chuyenvien", "analyst"),
        "leader": user_with("thutruong", "admin"),
        "hanoi": ReportingUnit.objects.get(code="SKHCN-01"),
        "form": Form.objects.get(code="CPS-QUY"),
    }


def request(s, n, **extra):
    return issue_request(user=s["analyst"], code=f"DX-{n:02d}", title=f"Số liệu chuyển đổi số đợt {n}",
                         reason="Phục vụ họp Chính phủ", form=s["form"], cutoff=date(2026, 3, 31),
                         deadline=date(2026, 4, 10 + n), units=[s["hanoi"]], **extra)


def test_periodic_reports_of_a_province_in_a_year(setting):
    # monthly form (12) + quarterly CPS-QUY (4) + the annual forms of provinces
    count = periodic_count(setting["hanoi"], 2026)
    assert count >= 16
    assert quota_check([setting["hanoi"]], 2026)[0].periodic == count


def test_requests_until_the_limit_then_refusal_then_override(setting):
    periodic = periodic_count(setting["hanoi"], 2026)
    allowed = periodic // 10  # ad-hoc / periodic <= 10%
    for n in range(1, allowed + 1):
        req, lines = request(setting, n)
        assert Submission.objects.filter(adhoc_request=req, unit=setting["hanoi"]).exists()
    with pytest.raises(EntryError) as err:
        request(setting, allowed + 1)
    assert "vượt hạn mức báo cáo đột xuất 10% báo cáo định kỳ năm 2026" in err.value.message
    assert "Sở KH&CN Hà Nội" in err.value.message and f"{allowed + 1}/{periodic}" in err.value.message
    assert AdHocRequest.objects.count() == allowed

    with pytest.raises(EntryError, match="Cần lãnh đạo quyết định"):
        request(setting, allowed + 1, override_reason="   ", leader=setting["leader"])
    req, lines = request(setting, allowed + 1, override_reason="Chỉ đạo khẩn của Thủ tướng.",
                         leader=setting["leader"])
    assert req.override_by == setting["leader"] and req.override_reason == "Chỉ đạo khẩn của Thủ tướng."
    assert lines[0].over and lines[0].adhoc == allowed + 1
