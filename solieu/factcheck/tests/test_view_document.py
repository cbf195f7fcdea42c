"""Review of what was read, then import: history the report uses for "same period last year"."""

from decimal import Decimal

import pytest

from solieu.catalog.models import DisaggregationOption, Indicator, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection.models import Channel, DataValue
from solieu.factcheck.models import ExtractedStatement
from solieu.factcheck.service import store_document
from solieu.reports.assemble import ReportRequest, build_report

from .conftest import seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(people):
    return store_document(*seed("002"), people["analyst"])[0]


def revenue_row(doc):
    return doc.statements.get(indicator__code="OVERVIEW_REVENUE", kind="table")


def test_review_page_lists_quotes_and_places(client, people, doc):
    client.force_login(people["analyst"])
    page = client.get(f"/kiem-tra-so-lieu/van-ban/{doc.pk}/").content.decode()
    assert "Doanh thu" in page and "OVERVIEW_REVENUE" in page and 'hx-post="/kiem-tra-so-lieu/so-lieu/' in page


def test_confirm_reject_and_correct(client, people, doc):
    client.force_login(people["analyst"])
    st = revenue_row(doc)
    row = client.post(f"/kiem-tra-so-lieu/so-lieu/{st.pk}/", {"action": "confirm"}, headers={"HX-Request": "true"})
    assert row.content.decode().lstrip().startswith(f'<tr id="st-{st.pk}"')
    st.refresh_from_db()
    assert st.review == "confirmed" and st.reviewed_by == people["analyst"]
    client.post(f"/kiem-tra-so-lieu/so-lieu/{st.pk}/", {"action": "correct", "indicator": "OVERVIEW_REVENUE",
                                                       "value": "1.833.000", "period": "2022S1"})
    st.refresh_from_db()
    assert st.value == Decimal("1833000") and st.original["value"].startswith("1833162")
    bad = client.post(f"/kiem-tra-so-lieu/so-lieu/{st.pk}/", {"action": "correct", "indicator": "NOPE",
                                                             "value": "1", "period": "2022S1"},
                      headers={"HX-Request": "true"})
    assert "Không có chỉ tiêu mã" in bad.content.decode()


def test_imported_history_is_used_as_the_same_period_last_year(client, people, doc):
    client.force_login(people["analyst"])
    client.post(f"/kiem-tra-so-lieu/van-ban/{doc.pk}/xac-nhan/")
    assert doc.statements.filter(review="confirmed").count() > 10
    client.post(f"/kiem-tra-so-lieu/van-ban/{doc.pk}/nhap/")
    revenue = revenue_row(doc)
    revenue.refresh_from_db()
    assert revenue.review == "imported" and revenue.data_value.channel == Channel.HISTORY
    assert revenue.data_value.source == f"{doc.name}:{revenue.line}" and revenue.data_value.value == 1833162
    # This year's figure, reported the normal way; the report compares it with the imported history.
    DataValue.objects.create(indicator=Indicator.objects.get(code="OVERVIEW_REVENUE"),
                             option=DisaggregationOption.total(), unit=ReportingUnit.objects.get(code="VU_KHTC"),
                             period=Period.objects.for_code("2023S1"), value=Decimal("1614206"))
    report = build_report(ReportRequest(PeriodId.parse("2023S1")), link=lambda f, r: "")
    text = "\n".join(b.text for _, b in report.walk() if hasattr(b, "runs"))
    assert "doanh thu toàn ngành TTTT đạt 1.614.206 tỷ đồng, giảm 11,94% so với cùng kỳ năm 2022" in text


def test_approved_figures_are_never_overwritten(client, people, doc):
    from solieu.collection.models import Submission

    unit = ReportingUnit.objects.get(code="VU_KHTC")
    from solieu.catalog.models import Form

    sub = Submission.objects.create(form=Form.objects.get(code="BC-TONGHOP-6T"), unit=unit,
                                    period=Period.objects.for_code("2022S1"), form_version=1, status="approved")
    DataValue.objects.create(indicator=Indicator.objects.get(code="OVERVIEW_REVENUE"),
                             option=DisaggregationOption.total(), unit=unit, period=sub.period,
                             value=Decimal("1800000"), submission=sub)
    st = revenue_row(doc)
    st.review = ExtractedStatement.Review.CONFIRMED
    st.save()
    client.force_login(people["analyst"])
    page = client.post(f"/kiem-tra-so-lieu/van-ban/{doc.pk}/nhap/", follow=True).content.decode()
    st.refresh_from_db()
    assert st.review == "confirmed" and st.data_value is None
    assert "đã có số liệu đã phê duyệt" in page
    assert DataValue.objects.filter(indicator__code="OVERVIEW_REVENUE").count() == 1
