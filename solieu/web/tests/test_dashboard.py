"""The dashboard page with the Django test client, on the national catalog and a few figures
entered here: who may see which scope, the figures as printed, and that an approval shows at
once."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from solieu.accounts.models import Membership, Role
from solieu.analytics.scope import Scope, current_successor
from solieu.catalog.models import DisaggregationOption, Form, FormAssignment, Indicator, Period, ReportingUnit, Target
from solieu.catalog.periods import PeriodId
from solieu.collection import workflow
from solieu.collection.models import DataValue, Submission, SubmissionStatus
from solieu.reports.params import period_choices
from solieu.web.dashboard import figure_link

URL = "/bang-dieu-khien/"
PERIOD = "2026S1"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username, role, unit_code=None, **extra):
    user = get_user_model().objects.create_user(username, password="mat-khau-dai-123", **extra)
    unit = ReportingUnit.objects.get(code=unit_code) if unit_code else None
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


def put(code, unit_code, period_code, value, status=SubmissionStatus.APPROVED, value_status="official"):
    """A value in a report of the unit for the period, in the given workflow state."""
    unit = ReportingUnit.objects.get(code=unit_code)
    assignment = FormAssignment.objects.filter(unit=unit).select_related("form").first()
    form = assignment.form if assignment else Form.objects.get(code="BC-SO-THANG")
    period = Period.objects.for_code(period_code)
    sub, _ = Submission.objects.get_or_create(form=form, unit=unit, period=period,
                                              defaults={"form_version": form.version, "status": status})
    DataValue.objects.create(indicator=Indicator.objects.get(code=code), option=DisaggregationOption.total(),
                             unit=unit, period=period, value=Decimal(value), submission=sub, status=value_status)
    return sub


def page(client, user, **params):
    client.force_login(user)
    response = client.get(URL, {"period": PERIOD, **params})
    return response, html.unescape(response.content.decode())


def card(text, code):
    """The HTML of the key figure card of `code`."""
    found = re.search(rf'<article class="dash-card[^"]*" data-indicator="{code}">(.*?)</article>', text, re.S)
    assert found, f"no card for {code}"
    return found.group(1)


@pytest.fixture
def analyst(catalog, db):
    return make_user("tonghop", Role.ANALYST)


@pytest.fixture
def figures(catalog, db):
    put("POSTAL_REVENUE", "VNPOST", "2025S1", "26049.49")
    put("POSTAL_REVENUE", "VNPOST", "2026S1", "27477", value_status="estimate")
    Target.objects.create(indicator=Indicator.objects.get(code="POSTAL_REVENUE"), year=2026, value=Decimal(62764))
    # Infosec: more attacks is bad news, in red.
    put("INFOSEC_CYBER_ATTACKS", "VNPOST", "2025S1", "5000")
    put("INFOSEC_CYBER_ATTACKS", "VNPOST", "2026S1", "5500")


def test_analyst_sees_national_key_figures(client, analyst, figures):
    response, text = page(client, analyst)
    assert response.status_code == 200
    assert "Bảng điều khiển số liệu" in text and "Toàn quốc" in text
    postal = card(text, "POSTAL_REVENUE")
    assert "Doanh thu dịch vụ bưu chính" in postal
    assert ">27.477<" in postal and "tỷ đồng" in postal
    assert "▲ 5,48%" in postal and "good" in postal           # (27.477 - 26.049,49) / 26.049,49
    assert "43,78% KH năm" in postal                          # 27.477 / 62.764
    assert "ước tính" in postal
    attacks = card(text, "INFOSEC_CYBER_ATTACKS")
    assert "▲ 10%" in attacks and "dash-change bad" in attacks
    assert "Chưa có số liệu đã phê duyệt" in card(text, "TELECOM_REVENUE")


def test_figures_link_to_their_breakdown(client, analyst, figures):
    _, text = page(client, analyst)
    link = figure_link("POSTAL_REVENUE", PeriodId.parse(PERIOD), Scope())
    assert link.startswith(reverse("reports:figure") + "?")
    assert f'href="{link}"' in card(text, "POSTAL_REVENUE")
    assert "indicator=POSTAL_REVENUE" in link and "period=2026S1" in link and "scope=VN" in link
    assert "kind=value" in link and "submitted" not in link
    assert "submitted=1" in figure_link("POSTAL_REVENUE", PeriodId.parse(PERIOD), Scope(), True)


def test_an_approval_changes_the_dashboard_at_once(client, analyst, catalog, db):
    sub = put("TELECOM_REVENUE", "VIETTEL", "2026S1", "88601", status=SubmissionStatus.SUBMITTED)

    _, text = page(client, analyst)
    telecom = card(text, "TELECOM_REVENUE")
    assert "88.601" not in telecom and "Chưa có số liệu đã phê duyệt" in telecom

    _, text = page(client, analyst, submitted="1")
    telecom = card(text, "TELECOM_REVENUE")
    assert ">88.601<" in telecom and "dash-star" in telecom   # provisional: marked *
    assert "Có số liệu đã gửi nhưng chưa được phê duyệt" in text

    admin = make_user("quantri", Role.ADMIN)
    workflow.approve(admin, sub)
    assert Submission.objects.get(pk=sub.pk).status == SubmissionStatus.APPROVED

    _, text = page(client, analyst)
    telecom = card(text, "TELECOM_REVENUE")
    assert ">88.601<" in telecom and "dash-star" not in telecom


def test_province_reporter_sees_only_their_province(client, catalog, db):
    reporter = make_user("nhap01", Role.REPORTER, "SKHCN-01")
    put("POSTAL_SERVICE_POINTS", "SKHCN-01", "202606", "2876")
    province = current_successor(ReportingUnit.objects.get(code="SKHCN-01").province)

    response, _ = page(client, reporter, scope="VN")
    assert response.status_code == 403

    response, text = page(client, reporter, scope=Scope(province).code)
    assert response.status_code == 200
    assert ">2.876<" in card(text, "POSTAL_SERVICE_POINTS")
    assert province.name in text
    assert 'value="VN"' not in text                  # no "Toàn quốc" choice for a Sở

    response, text = page(client, reporter)          # default: their own province
    assert response.status_code == 200 and f"<strong>{province.name}</strong>" in text

    other = Scope(current_successor(ReportingUnit.objects.get(code="SKHCN-79").province)).code
    assert page(client, reporter, scope=other)[0].status_code == 403


def test_enterprise_reporter_may_not_see_consolidated_figures(client, catalog, db):
    reporter = make_user("vnpost01", Role.REPORTER, "VNPOST")
    response, text = page(client, reporter)
    assert response.status_code == 403
    assert "không được xem số liệu tổng hợp" in text


def test_login_required(client, catalog, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_ranking_of_provinces(client, analyst, catalog, db):
    for unit, ftth, households in (("SKHCN-01", 300, 400), ("SKHCN-79", 450, 500)):
        put("TELECOM_FTTH_HOUSEHOLDS", unit, "202606", ftth)
        put("TELECOM_HOUSEHOLDS", unit, "202606", households)
    _, text = page(client, analyst, rank="TELECOM_FTTH_HOUSEHOLD_RATE")
    assert "Xếp hạng các tỉnh, thành phố" in text
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td>\s*<td class="num"><a href="[^"]+">([^<]+)</a>',
                      text)
    hcm = current_successor(ReportingUnit.objects.get(code="SKHCN-79").province).name
    hn = current_successor(ReportingUnit.objects.get(code="SKHCN-01").province).name
    assert rows == [("1", hcm, "90,00"), ("2", hn, "75,00")]
    assert 'id="dashboard-charts"' in text and '"ranking"' in text


def test_rates_change_in_percentage_points(client, analyst, catalog, db):
    for period, ftth in (("202506", 300), ("202606", 320)):
        put("TELECOM_FTTH_HOUSEHOLDS", "SKHCN-01", period, ftth)
        put("TELECOM_HOUSEHOLDS", "SKHCN-01", period, 400)
    province = current_successor(ReportingUnit.objects.get(code="SKHCN-01").province)
    _, text = page(client, analyst, scope=Scope(province).code)
    rate = card(text, "TELECOM_FTTH_HOUSEHOLD_RATE")
    assert ">80,00<" in rate and "▲ 5 điểm %" in rate        # 80% - 75%


def test_trend_chart_data_for_the_page(client, analyst, catalog, db):
    for m, v in enumerate([100, 110, 120], start=1):
        put("POSTAL_REVENUE", "VNPOST", f"2026{m:02d}", v)
        put("POSTAL_REVENUE", "VNPOST", f"2025{m:02d}", v - 10)
    response, text = page(client, analyst, period="2026Q1")
    assert response.status_code == 200
    charts = response.context["dash"].chart_data
    trend = next(c for c in charts.values() if c["title"] == "Doanh thu dịch vụ bưu chính")
    assert trend["categories"] == ["T1", "T2", "T3"]
    assert [s["values"] for s in trend["series"]] == [[90.0, 100.0, 110.0], [100.0, 110.0, 120.0]]
    assert "indicator=POSTAL_REVENUE" in trend["links"][1][0] and "period=202601" in trend["links"][1][0]
    assert f'data-chart="{next(k for k, c in charts.items() if c is trend)}"' in text
    assert "<style" not in text and ' style="' not in text     # the CSP allows no inline style


def test_period_choices_are_ended_periods():
    groups = dict(period_choices(date(2026, 11, 23)))
    assert groups["Tháng"][0] == ("202610", "Tháng 10/2026") and len(groups["Tháng"]) == 18
    assert groups["6 tháng"][0] == ("2026S1", "6 tháng đầu năm 2026")
    assert groups["9 tháng"][0][0] == "2026N9"                  # September is over
    assert dict(period_choices(date(2026, 9, 30)))["9 tháng"][0][0] == "2025N9"
    assert groups["Năm"][0][0] == "2025"
    older = dict(period_choices(date(2026, 11, 23), PeriodId.parse("2023S1")))
    assert ("2023S1", "6 tháng đầu năm 2023") in older["6 tháng"]
