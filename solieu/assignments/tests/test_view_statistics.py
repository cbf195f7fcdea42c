"""Statistics at a cut-off date, by unit and by sector, and the sentences the report prints."""

from datetime import date

import pytest

from .conftest import make_task, text_of

URL = "/nhiem-vu/thong-ke/"


@pytest.fixture
def tasks(small):
    make_task(small["a"], [("Quý I/2024", date(2024, 3, 20))], title="A1", sector=small["postal"],
              document=small["plan"])
    make_task(small["a"], [("Tháng 6", None)], title="A2", sector=small["postal"], document=small["plan"])
    make_task(small["b"], [("Trước ngày 15/4", date(2024, 4, 20)), ("Quý III/2024", None)], title="B1",
              sector=small["telecom"], document=small["plan"])


def test_statistics_at_the_end_of_june(client, small, tasks):
    client.force_login(small["analyst"])
    response = client.get(URL, {"ngay": "30/06/2024"})
    assert response.status_code == 200
    text = text_of(response)
    # A1 done on time; A2 due 30/06, not done; B1's deadline is 30/09 (its latest result).
    assert "Tổng số nhiệm vụ đã hoàn thành: 1/3 nhiệm vụ (đạt 33,3%)." in text
    assert ("Các nhiệm vụ có thời hạn đến tháng 6/2024: 2 nhiệm vụ; đã hoàn thành 1/2 (50%), trong đó 1 nhiệm vụ "
            "hoàn thành đúng hạn, 0 nhiệm vụ hoàn thành quá hạn; 1 nhiệm vụ chưa hoàn thành.") in text
    assert "Các nhiệm vụ gồm 4 kết quả, sản phẩm yêu cầu; đã hoàn thành 2/4 (50%)." in text
    unit_a = text.split('data-by="unit"')[1].split('data-key="CUC_A">')[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in unit_a.split('<td class="num">')[1:]] == \
        ["2", "1", "50", "0", "2", "1", "0", "1", "2", "1"]
    sector = text.split('data-by="sector"')[1]
    assert 'data-key="postal"' in sector and 'data-key="telecom"' in sector


def test_filtered_by_document_and_for_the_ministry_only(client, small, tasks):
    client.force_login(small["analyst"])
    text = text_of(client.get(URL, {"ngay": "31/12/2024", "linh-vuc": "telecom"}))
    assert "Tổng số nhiệm vụ đã hoàn thành: 0/1 nhiệm vụ (đạt 0%)." in text
    client.force_login(small["reporter_so"])
    assert client.get(URL).status_code == 403
