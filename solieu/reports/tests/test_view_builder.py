"""The report page: choose, read, and see an approval at once."""

import html
import re

import pytest

from django.contrib.auth import get_user_model

from solieu.collection import workflow
from solieu.collection.models import Submission

from .conftest import put

pytestmark = pytest.mark.django_db
URL = "/tong-hop/"


def text(response):
    """The page as read: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())).split())


def test_the_ministry_reads_the_national_report(client, people, figures):
    client.force_login(people["analyst"])
    response = client.get(URL, {"period": "2024S1"})
    assert response.status_code == 200
    page = text(response)
    assert "Sơ kết công tác 6 tháng đầu năm 2024" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    # 900 + 700 service points, from 2 of the 63 provinces that had to report: a partial sum,
    # so it says so and is not compared with last year (800 + 650) or the plan.
    assert ("Số điểm phục vụ bưu chính đạt 1.600 điểm (mới tổng hợp được số liệu của 2/63 tỉnh, thành phố; "
            "chưa so sánh với cùng kỳ và kế hoạch).") in page
    assert 'class="fig' in response.content.decode() and "/tong-hop/so-lieu/?" in response.content.decode()


def test_a_province_reads_its_own_report_by_default(client, people, figures):
    client.force_login(people["hanoi"])
    page = text(client.get(URL, {"period": "2024S1"}))
    assert "trên địa bàn Thành phố Hà Nội" in page
    assert "Số điểm phục vụ bưu chính đạt 900 điểm, tăng 12,5% so với cùng kỳ năm 2023." in page


def test_a_province_may_not_read_the_nation_or_another_province(client, people, figures):
    client.force_login(people["hanoi"])
    assert client.get(URL, {"period": "2024S1", "scope": "VN"}).status_code == 403
    assert client.get(URL, {"period": "2024S1", "scope": "79@"}).status_code == 403
    client.force_login(people["vnpost"])
    assert client.get(URL).status_code == 403


def test_bad_choices_are_404_not_errors(client, people):
    client.force_login(people["analyst"])
    assert client.get(URL, {"period": "2024X9"}).status_code == 404
    assert client.get(URL, {"scope": "99@"}).status_code == 404
    assert client.get(URL, {"sector": "nope"}).status_code == 404
    assert client.get(URL, {"boundaries": "nope"}).status_code == 404


def test_an_approval_changes_the_next_report_at_once(client, people, figures):
    late = put("POSTAL_SERVICE_POINTS", "STTTT-24", "202406", 100, status="submitted")
    client.force_login(people["analyst"])
    assert "đạt 1.600 điểm" in text(client.get(URL, {"period": "2024S1"}))
    with_submitted = text(client.get(URL, {"period": "2024S1", "submitted": "1"}))
    assert "đạt 1.700 điểm" in with_submitted
    workflow.approve(_superuser(), Submission.objects.get(pk=late.submission_id))
    assert "đạt 1.700 điểm" in text(client.get(URL, {"period": "2024S1"}))


def test_prose_written_by_staff_is_merged(client, people, figures):
    from solieu.catalog.models import Sector
    from solieu.reports.models import Narrative

    Narrative.objects.create(period_code="2024S1", scope_code="VN", sector=Sector.objects.get(code="postal"),
                             part="difficulties", text="- Cạnh tranh với doanh nghiệp nước ngoài.\nĐoạn thứ hai.")
    client.force_login(people["analyst"])
    page = text(client.get(URL, {"period": "2024S1"}))
    assert "Cạnh tranh với doanh nghiệp nước ngoài." in page and "Đoạn thứ hai." in page


def _superuser():
    return get_user_model().objects.create(username="approver", is_superuser=True)
