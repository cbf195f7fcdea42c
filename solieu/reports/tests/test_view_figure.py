"""A figure's breakdown: which units, periods and submissions make it up."""

import html

import pytest

pytestmark = pytest.mark.django_db
URL = "/tong-hop/so-lieu/"


def test_breakdown_lists_the_values_and_their_submissions(client, people, figures):
    client.force_login(people["analyst"])
    response = client.get(URL, {"indicator": "POSTAL_SERVICE_POINTS", "period": "2024S1", "kind": "change_pct"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Số điểm phục vụ bưu chính" in page
    assert "1.600" in page and "1.450" in page            # this year and last year
    assert "Sở TTTT Hà Nội" in page or "STTTT-01" in page
    assert "/bao-cao/BC-SO-THANG/STTTT-01/202406/" in page   # to the submission itself
    assert "Đã phê duyệt" in page
    assert "Kỳ trước (6 tháng cuối năm 2023)" in page and "Năm trước (2023)" in page


def test_breakdown_gives_the_figure_per_1000_inhabitants(client, people, figures):
    from .conftest import put

    put("OVERVIEW_POPULATION", "STTTT-01", "202406", 8_000_000)
    put("OVERVIEW_POPULATION", "STTTT-79", "202406", 8_000_000)
    client.force_login(people["analyst"])
    page = html.unescape(client.get(URL, {"indicator": "POSTAL_SERVICE_POINTS", "period": "2024S1"}).content.decode())
    assert "Bình quân trên 1.000 dân" in page and "0,1" in page      # 1.600 / 16.000.000 x 1.000


def test_a_province_sees_only_its_own_values(client, people, figures):
    client.force_login(people["hanoi"])
    response = client.get(URL, {"indicator": "POSTAL_SERVICE_POINTS", "period": "2024S1", "scope": "01@"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "900" in page and "/STTTT-79/" not in page


def test_unknown_indicator_is_404(client, people):
    client.force_login(people["analyst"])
    assert client.get(URL, {"indicator": "NOPE", "period": "2024S1"}).status_code == 404
