"""The generated report gives the growth and plan shares the ministry wrote by hand.

The figures of seed 002 section A (first half of 2022, with 2021 and the 2022 plan) and of
seed 000 section III (first half of 2023, with their bases) are loaded as data; the report is
generated from them and compared, at the seed's own precision. Where the seed's arithmetic is
wrong, the test names the cell and checks that the report gives the right value instead.
"""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from solieu.analytics.compare import is_rate
from solieu.catalog.models import DisaggregationOption, Indicator, Period, ReportingUnit, Target
from solieu.catalog.periods import PeriodId
from solieu.collection.models import Channel, DataValue
from solieu.reports.assemble import ReportRequest, build_report

DATA = yaml.safe_load((Path(__file__).parent / "seed_reproduction.yaml").read_text("utf-8"))

# Cells where the seed's own figures don't give what it states: (indicator, column) -> why.
SEED_002_WRONG = {
    ("OVERVIEW_ENTERPRISES", "plan_share"): "59.123 / 61.854 = 95,6%, the seed says 49%",
    ("OVERVIEW_LABOUR", "plan_share"): "1.502.066 / 1.510.027 = 99,5%, the seed says 85%",
}
SEED_000_WRONG = {
    ("PUBLISH_PRINTING_REVENUE", "growth"): "39.935 / 35.892 = +11,26%, the seed says 11,2% (cut, not rounded)",
}
# The seed words a change of a rate in percent; the report says percentage points, as it must.
SEED_000_RATE_IN_PERCENT = {"TELECOM_FTTH_HOUSEHOLD_RATE", "ICT_MAKE_IN_VIETNAM_RATE", "TELECOM_IPV6_RATE",
                            "BROADCAST_TAKEDOWN_RATE"}


def rounded_like(value, example):
    places = Decimal(1).scaleb(Decimal(str(example)).as_tuple().exponent)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def store(unit, code, period, value, status="official"):
    indicator = Indicator.objects.select_related("numerator", "denominator").get(code=code)
    value = Decimal(str(value))
    if indicator.is_ratio:
        # A rate is stored as its numerator, over the denominator when the seed gives it (Make
        # in Viet Nam over ICT revenue), else over a round one.
        existing = DataValue.objects.filter(indicator=indicator.denominator, unit=unit, period__code=period).first()
        denominator = existing.value if existing else Decimal(1_000_000)
        if not existing:
            store(unit, indicator.denominator.code, period, denominator, status)
        store(unit, indicator.numerator.code, period, value * denominator / indicator.factor, status)
        return
    DataValue.objects.update_or_create(
        indicator=indicator, option=DisaggregationOption.total(), unit=unit,
        period=Period.objects.for_code(period),
        defaults={"value": value, "status": status, "channel": Channel.HISTORY, "source": "seed"},
    )


def load(rows, extra=()):
    unit = ReportingUnit.objects.get(code="VU_KHTC")
    for code, period, value in extra:
        store(unit, code, period, value)
    ratios_last = sorted(rows, key=lambda r: Indicator.objects.get(code=r["indicator"]).is_ratio)
    for r in ratios_last:
        pid = PeriodId.parse(r["period"])
        store(unit, r["indicator"], r["period"], r["value"], "estimate" if r.get("estimate") else "official")
        if "last_year" in r:
            store(unit, r["indicator"], pid.same_period_last_year().code, r["last_year"])
        if "plan" in r:
            Target.objects.update_or_create(indicator=Indicator.objects.get(code=r["indicator"]), year=pid.year,
                                            province=None, defaults={"value": Decimal(str(r["plan"]))})


def figures_of(report, code):
    return {f.kind: f for f in report.figures if f.indicator_code == code}


def check(report, rows, wrong):
    mismatched = {}
    for r in rows:
        found = figures_of(report, r["indicator"])
        for column, kinds in (("growth", ("change_pct", "change_pp")), ("plan_share", ("plan_share",))):
            if column not in r:
                continue
            fig = next((found[k] for k in kinds if k in found), None)
            assert fig is not None, f"{r['indicator']}: no {column} in the report ({r['source']})"
            got = rounded_like(fig.value, r[column])
            if got != Decimal(str(r[column])):
                mismatched[(r["indicator"], column)] = (got, r[column])
    assert set(mismatched) == set(wrong), mismatched
    return mismatched


@pytest.mark.django_db
def test_seed_002_overview_table(catalog):
    rows = DATA["seed_002_section_a"]
    load(rows)
    report = build_report(ReportRequest(PeriodId.parse("2022S1")), link=lambda f, r: "")
    mismatched = check(report, rows, SEED_002_WRONG)
    # The right shares, in the report instead of the seed's.
    assert mismatched[("OVERVIEW_ENTERPRISES", "plan_share")][0] == Decimal("96")
    assert mismatched[("OVERVIEW_LABOUR", "plan_share")][0] == Decimal("99")
    table = next(b for _, b in report.walk() if hasattr(b, "columns"))
    assert [c.text for c in table.rows[0][:2]] == ["1", "Doanh thu toàn ngành TTTT (tỷ đồng)"]
    assert [row[1].text.split(" (")[0] for row in table.rows] == [
        Indicator.objects.get(code=r["indicator"]).name for r in rows]
    revenue = table.rows[0]
    assert [c.text for c in revenue[2:]] == ["1.833.162", "1.568.141", "16,9%", "3.754.723", "48,82%"]


@pytest.mark.django_db
def test_seed_000_first_half_2023(catalog):
    rows = DATA["seed_000_section_iii"]
    population = DATA["population_2023S1"]["value"]
    load(rows, extra=[("OVERVIEW_POPULATION", "2023S1", population)])
    report = build_report(ReportRequest(PeriodId.parse("2023S1")), link=lambda f, r: "")
    check(report, rows, SEED_000_WRONG)
    assert len(rows) >= 30
    text = "\n".join(b.text for _, b in report.walk() if hasattr(b, "runs"))
    # The sentence of the issue, word for word.
    assert ("Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng, tăng 5,48% so với cùng kỳ năm 2022 "
            "và đạt 43,78% kế hoạch năm 2023.") in text
    assert "giảm 18,56% so với cùng kỳ năm 2022 và đạt 39,47% kế hoạch năm 2023." in text
    # Subscribers with their density per 100 inhabitants, as the seed writes them.
    assert "đạt 22,14 triệu thuê bao (tương ứng với tỷ lệ 22,26 thuê bao/100 dân), tăng 8% so với" in text
    assert "(tương ứng với tỷ lệ 86,17 thuê bao/100 dân)" in text
    # A plan exceeded is said so, with the plan.
    assert "Tỷ lệ người sử dụng Internet đạt 78,59%" in text
    assert "vượt kế hoạch năm 2023 (kế hoạch năm 2023 là 76,00%)" in text
    # Rates change in percentage points, worded as such.
    for code in SEED_000_RATE_IN_PERCENT:
        assert is_rate(Indicator.objects.get(code=code)) or Indicator.objects.get(code=code).is_ratio
        assert "change_pp" in figures_of(report, code), code
    assert "tăng 5,7 điểm phần trăm so với cùng kỳ năm 2022 và đạt 91,8% kế hoạch năm 2023" in text
    # "ước đạt" for estimates, "đạt" for official figures.
    assert "Sản lượng bưu gửi KT1 phục vụ cơ quan Đảng, Nhà nước đạt 576.374 bưu gửi, giảm 1,04%" in text


@pytest.mark.django_db
def test_every_number_in_the_text_is_a_figure(catalog):
    """No number is printed as plain text: each is a figure run printing its figure's own text,
    so the figure sheet and the breakdown links cover the whole report."""
    from .test_demo_report import numbers_in

    rows = DATA["seed_000_section_iii"]
    load(rows)
    report = build_report(ReportRequest(PeriodId.parse("2023S1")), link=lambda f, r: "")
    keys, plain, figures = {f.key for f in report.figures}, [], 0
    for _, block in report.walk():
        for run in getattr(block, "runs", []):
            if run.figure is None:
                plain += numbers_in(run.text)
            else:
                figures += 1
                assert run.figure.key in keys and run.text == run.figure.text
    assert plain == [] and figures > 60
