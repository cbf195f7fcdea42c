"""The filtered tasks as an Excel appendix; an empty list to fill in."""

import io
from datetime import date

import openpyxl
import pytest

from .conftest import make_task


@pytest.fixture
def tasks(small):
    make_task(small["a"], [("Quý I/2024", date(2024, 3, 20)), ("Tháng 6", None)], title="Nhiệm vụ của Cục A",
              document=small["plan"], sector=small["postal"], order="1")
    make_task(small["b"], [("Quý II/2024", None)], title="Nhiệm vụ của Vụ B", document=small["plan"], order="2")


def rows_of(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]


def test_export_of_the_filtered_list(client, small, tasks):
    client.force_login(small["analyst"])
    response = client.get("/nhiem-vu/xuat-excel/", {"don-vi": "CUC_A", "ngay": "30/04/2024"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="nhiem-vu_20240430.xlsx"'
    assert rows_of(response) == [
        ["1", "Nhiệm vụ của Cục A", "Kết quả 1", "Quý I/2024", "Cục A", None, "Bưu chính", "Hoàn thành đúng hạn",
         "20/03/2024", None],
        [None, None, "Kết quả 2", "Tháng 6", None, None, None, "Chưa thực hiện", None, None],
    ]


def test_the_empty_template_and_who_may_export(client, small, tasks):
    client.force_login(small["analyst"])
    response = client.get("/nhiem-vu/xuat-excel/", {"mau": "1"})
    assert response.status_code == 200 and rows_of(response) == []
    client.force_login(small["reporter_so"])
    assert client.get("/nhiem-vu/xuat-excel/").status_code == 403
