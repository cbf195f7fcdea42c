"""Findings on screen and as XLSX, largest first; against the data when asked."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from solieu.catalog.models import DisaggregationOption, Indicator, Period, ReportingUnit
from solieu.collection.models import DataValue
from solieu.factcheck.service import store_document

from .conftest import seed

pytestmark = pytest.mark.django_db
URL = "/kiem-tra-so-lieu/phat-hien/"


@pytest.fixture
def docs(people):
    return [store_document(*seed(p), people["analyst"])[0] for p in ("000", "002")]


def test_findings_page_and_xlsx(client, people, docs):
    client.force_login(people["analyst"])
    page = client.get(URL).content.decode()
    assert "59.123 / 61.854 = 95,58% kế hoạch, văn bản ghi 49%." in page
    sheet = load_workbook(io.BytesIO(client.get(URL + "tai-ve/").content))["Phát hiện"]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(rows) > 20 and rows[0][3] >= rows[-1][3]
    assert any("1.833.162" in (r[2] or "") for r in rows)


def test_a_draft_against_the_data(client, people, docs):
    DataValue.objects.create(indicator=Indicator.objects.get(code="POSTAL_REVENUE"),
                             option=DisaggregationOption.total(), unit=ReportingUnit.objects.get(code="VU_BC"),
                             period=Period.objects.for_code("2023S1"), value=Decimal("27000"))
    client.force_login(people["analyst"])
    page = client.get(URL, {"doc": docs[0].pk, "du_lieu": "1"}).content.decode()
    assert "văn bản ghi giá trị 27.477, số liệu đã phê duyệt cho 27.000." in page
