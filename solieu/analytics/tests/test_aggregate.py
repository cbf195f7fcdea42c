"""Each consolidation rule against figures computed by hand.

A tiny world: two provinces A and B that merged into C on 1 July 2025, one Sở each, and a
ministry department. Every expected value below is worked out in the comment beside it.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from solieu.analytics.aggregate import aggregate, national
from solieu.analytics.compare import compare, reporting_count
from solieu.analytics.scope import REPORTED, Scope, by_province, ranking
from solieu.catalog.models import (
    DisaggregationOption, Form, FormAssignment, FormRow, Indicator, Period, Province, ProvinceSuccession,
    ReportingUnit, Sector, Target,
)
from solieu.catalog.periods import PeriodId
from solieu.collection import workflow
from solieu.collection.models import DataValue, Submission, SubmissionStatus

D = Decimal
MERGER = date(2025, 7, 1)


@pytest.fixture
def world(db):
    sector = Sector.objects.create(code="telecom", name="Viễn thông")
    mk = lambda code, **kw: Indicator.objects.create(code=code, sector=sector, name=code.title(), **kw)  # noqa: E731
    ind = {
        "revenue": mk("REVENUE", unit="tỷ đồng"),
        "subs": mk("SUBS", unit="thuê bao", time_aggregation="stock"),
        "households": mk("HOUSEHOLDS", unit="hộ", time_aggregation="stock"),
        "rate": mk("INTERNET_RATE", unit="%", value_type="percent", aggregation="none", time_aggregation="stock"),
    }
    ind["ftth"] = mk("FTTH", unit="hộ", time_aggregation="stock")
    ind["ftth_rate"] = mk("FTTH_RATE", unit="%", aggregation="ratio", time_aggregation="ratio",
                          numerator=ind["ftth"], denominator=ind["households"], factor=100)
    a = Province.objects.create(code="91", name="Tỉnh A", valid_to=date(2025, 6, 30))
    b = Province.objects.create(code="92", name="Tỉnh B", valid_to=date(2025, 6, 30))
    c = Province.objects.create(code="91", name="Tỉnh C", valid_from=MERGER)
    for old in (a, b):
        ProvinceSuccession.objects.create(predecessor=old, successor=c, effective=MERGER)
    units = {
        "A": ReportingUnit.objects.create(code="S-A", name="Sở A", kind="provincial_department", province=a,
                                          valid_to=date(2025, 6, 30)),
        "B": ReportingUnit.objects.create(code="S-B", name="Sở B", kind="provincial_department", province=b,
                                          valid_to=date(2025, 6, 30)),
        "C": ReportingUnit.objects.create(code="S-C", name="Sở C", kind="provincial_department", province=c,
                                          valid_from=MERGER),
        "dept": ReportingUnit.objects.create(code="CUC", name="Cục", kind="ministry_department"),
    }
    form = Form.objects.create(code="F", name="Biểu", sector=sector, regime="periodic", period_type="month")
    FormRow.objects.create(form=form, code="1", indicator=ind["revenue"])
    for key in "ABC":
        u = units[key]
        FormAssignment.objects.create(form=form, unit=u, valid_from=u.valid_from, valid_to=u.valid_to)
    return {"ind": ind, "units": units, "form": form, "A": a, "B": b, "C": c}


def put(world, indicator, unit, code, value, status=SubmissionStatus.APPROVED, value_status="official"):
    period = Period.objects.for_code(code)
    sub, _ = Submission.objects.get_or_create(form=world["form"], unit=world["units"][unit], period=period,
                                              defaults={"form_version": 1, "status": status})
    return DataValue.objects.create(indicator=world["ind"][indicator], option=DisaggregationOption.total(),
                                    unit=world["units"][unit], period=period, value=D(value), submission=sub,
                                    status=value_status)


def months(world, indicator, unit, year, first, values):
    for i, v in enumerate(values):
        put(world, indicator, unit, f"{year}{first + i:02d}", v)


def units(world, *keys):
    return [world["units"][k].pk for k in keys]


def test_flow_sums_the_months(world):
    months(world, "revenue", "A", 2024, 1, [10, 20, 30, 40, 50, 60])
    assert aggregate(world["ind"]["revenue"], PeriodId.parse("2024S1")).value == 210   # 10+...+60
    assert aggregate(world["ind"]["revenue"], PeriodId.parse("2024Q2")).value == 150   # 40+50+60


def test_flow_missing_a_month_gives_nothing_rather_than_too_little(world):
    months(world, "revenue", "A", 2024, 1, [10, 20, 30, 40, 50])
    assert aggregate(world["ind"]["revenue"], PeriodId.parse("2024S1")).value is None


def test_flow_tiles_a_quarter_and_months_and_prefers_months(world):
    put(world, "revenue", "A", "2024Q1", 60)
    months(world, "revenue", "A", 2024, 4, [40, 50, 60])
    put(world, "revenue", "A", "202401", 99)        # with Q1 too: the months of Q1 are incomplete
    assert aggregate(world["ind"]["revenue"], PeriodId.parse("2024S1")).value == 210   # 60 + 40+50+60


def test_a_value_for_the_period_itself_wins(world):
    months(world, "revenue", "A", 2024, 1, [10, 20, 30, 40, 50, 60])
    put(world, "revenue", "A", "2024S1", 215)      # revised six-month figure
    assert aggregate(world["ind"]["revenue"], PeriodId.parse("2024S1")).value == 215


def test_cumulative_since_the_start_of_the_year(world):
    months(world, "revenue", "A", 2024, 1, [10, 20, 30, 40, 50, 60, 70])
    ytd = PeriodId.parse("202407").year_to_date()
    assert aggregate(world["ind"]["revenue"], ytd).value == 280   # 10+...+70


def test_stock_takes_the_value_at_the_end(world):
    months(world, "subs", "A", 2024, 1, [100, 101, 102, 103, 104, 105])
    assert aggregate(world["ind"]["subs"], PeriodId.parse("2024S1")).value == 105
    assert aggregate(world["ind"]["subs"], PeriodId.parse("2024Q1")).value == 102
    # The year: December is not in yet, the latest month (June) stands.
    assert aggregate(world["ind"]["subs"], PeriodId.parse("2024")).value == 105


def test_stock_sums_over_units_at_the_same_date(world):
    months(world, "subs", "A", 2024, 6, [100])
    months(world, "subs", "B", 2024, 6, [50])
    assert aggregate(world["ind"]["subs"], PeriodId.parse("2024S1"), units(world, "A", "B")).value == 150


def test_ratio_is_recomputed_from_numerator_and_denominator_not_averaged(world):
    # A: 30 of 100 households (30%), B: 30 of 300 (10%). Average of rates 20%; right answer 60/400 = 15%.
    for unit, ftth, households in (("A", 30, 100), ("B", 30, 300)):
        put(world, "ftth", unit, "202406", ftth)
        put(world, "households", unit, "202406", households)
    result = aggregate(world["ind"]["ftth_rate"], PeriodId.parse("2024S1"), units(world, "A", "B"))
    assert result.value == 15
    assert len(result.value_ids) == 4


def test_ratio_per_province_is_recomputed_too(world):
    for unit, ftth, households in (("A", 30, 100), ("B", 30, 300)):
        put(world, "ftth", unit, "202406", ftth)
        put(world, "households", unit, "202406", households)
    got = by_province(world["ind"]["ftth_rate"], PeriodId.parse("2024S1"), boundaries=REPORTED)
    assert got == {world["A"]: 30, world["B"]: 10}
    # Within today's boundaries A and B are C: 60/400.
    assert by_province(world["ind"]["ftth_rate"], PeriodId.parse("2024S1")) == {world["C"]: 15}


def test_rates_change_in_percentage_points(world):
    put(world, "rate", "dept", "2023S1", "72")
    put(world, "rate", "dept", "2024S1", "77.1")
    c = compare(world["ind"]["rate"], PeriodId.parse("2024S1"))
    assert c.rate and c.yoy == D("5.1") and c.change_unit == "điểm phần trăm"   # 77,1 - 72


def test_other_figures_change_in_percent(world):
    put(world, "revenue", "dept", "2023S1", 200)
    put(world, "revenue", "dept", "2024S1", 230)
    c = compare(world["ind"]["revenue"], PeriodId.parse("2024S1"))
    assert c.yoy == 15 and c.change_unit == "%"                                    # 230/200 - 1
    Target.objects.create(indicator=world["ind"]["revenue"], year=2024, value=500)
    assert c.plan_share == 46                                                     # 230/500


def test_the_year_of_the_merger_joins_the_old_and_new_units(world):
    # A and B report January to June 2025, C July to December: the year is all twelve months.
    months(world, "revenue", "A", 2025, 1, [1] * 6)
    months(world, "revenue", "B", 2025, 1, [2] * 6)
    months(world, "revenue", "C", 2025, 7, [4] * 6)
    result = aggregate(world["ind"]["revenue"], PeriodId.parse("2025"), units(world, "A", "B", "C"))
    assert result.value == 6 + 12 + 24 and result.units == 3


def test_a_stock_at_the_end_of_the_merger_year_is_the_successors_only(world):
    months(world, "subs", "A", 2025, 6, [100])
    months(world, "subs", "B", 2025, 6, [50])
    months(world, "subs", "C", 2025, 12, [160])
    assert aggregate(world["ind"]["subs"], PeriodId.parse("2025"), units(world, "A", "B", "C")).value == 160


def test_same_period_last_year_within_current_boundaries_is_the_former_provinces(world):
    months(world, "revenue", "A", 2024, 7, [1] * 6)   # 6
    months(world, "revenue", "B", 2024, 7, [2] * 6)   # 12
    months(world, "revenue", "C", 2025, 7, [3] * 6)   # 18
    current = compare(world["ind"]["revenue"], PeriodId.parse("2025S2"), Scope(world["C"]))
    assert current.current.value == 18 and current.last_year.value == 18 and current.yoy == 0
    as_reported = compare(world["ind"]["revenue"], PeriodId.parse("2025S2"), Scope(world["C"], REPORTED))
    assert as_reported.current.value == 18 and as_reported.last_year.value is None


def test_only_approved_figures_count_unless_asked(world):
    put(world, "revenue", "A", "2024S1", 100)
    put(world, "revenue", "B", "2024S1", 50, status=SubmissionStatus.SUBMITTED)
    put(world, "revenue", "C", "2025S2", 7, status=SubmissionStatus.RETURNED)
    pid = PeriodId.parse("2024S1")
    approved = aggregate(world["ind"]["revenue"], pid)
    assert approved.value == 100 and not approved.provisional
    with_submitted = aggregate(world["ind"]["revenue"], pid, include_submitted=True)
    assert with_submitted.value == 150 and with_submitted.provisional
    assert aggregate(world["ind"]["revenue"], PeriodId.parse("2025S2"), include_submitted=True).value is None


def test_an_approval_shows_at_once(world):
    dv = put(world, "revenue", "B", "2024S1", 50, status=SubmissionStatus.SUBMITTED)
    pid = PeriodId.parse("2024S1")
    assert national(world["ind"]["revenue"], pid).value is None
    approver = get_user_model().objects.create(username="approver", is_superuser=True)
    workflow.approve(approver, Submission.objects.get(pk=dv.submission_id))
    assert national(world["ind"]["revenue"], pid).value == 50


def test_values_stored_outside_the_workflow_count(world):
    DataValue.objects.create(indicator=world["ind"]["revenue"], option=DisaggregationOption.total(),
                             unit=world["units"]["A"], period=Period.objects.for_code("2024S1"), value=5)
    assert aggregate(world["ind"]["revenue"], PeriodId.parse("2024S1")).value == 5


def test_estimates_are_marked(world):
    put(world, "revenue", "A", "2024S1", 100, value_status="estimate")
    put(world, "revenue", "B", "2024S1", 50)
    assert aggregate(world["ind"]["revenue"], PeriodId.parse("2024S1")).estimate


def test_ranking_shares_ranks_on_ties_and_counts_reporters(world):
    put(world, "revenue", "A", "2024S1", 10)
    put(world, "revenue", "B", "2024S1", 10)
    ranked = ranking(world["ind"]["revenue"], PeriodId.parse("2024S1"), boundaries=REPORTED)
    assert [(r, p.name) for r, p, _ in ranked] == [(1, "Tỉnh A"), (1, "Tỉnh B")]
    months(world, "revenue", "A", 2024, 6, [3])
    assert reporting_count(world["ind"]["revenue"], PeriodId.parse("202406")) == (1, 2)   # A of A, B
