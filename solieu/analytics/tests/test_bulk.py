"""The bulk paths a report uses (many indicators, few queries) give what the one-indicator
functions give, including the national source chosen period by period and ratios."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from solieu.analytics.aggregate import aggregate_bulk, aggregate_many, national_bulk, national_many
from solieu.analytics.compare import compare, compare_many
from solieu.analytics.scope import Scope
from solieu.catalog.models import Target
from solieu.catalog.periods import PeriodId

from .test_aggregate import months, put, units, world  # noqa: F401  (the fixture)

PIDS = [PeriodId.parse("2024S1"), PeriodId.parse("2023S1"), PeriodId.parse("2025S1")]


@pytest.fixture
def data(world):  # noqa: F811
    months(world, "revenue", "A", 2024, 1, [10, 20, 30, 40, 50, 60])
    months(world, "revenue", "B", 2024, 1, [1, 2, 3, 4, 5, 6])
    months(world, "revenue", "A", 2023, 1, [5, 5, 5, 5, 5, 5])
    put(world, "revenue", "dept", "2023S1", 200)             # 2023: the department's own national figure
    put(world, "households", "A", "202406", 1000)
    put(world, "households", "B", "202406", 500)
    put(world, "ftth", "A", "202406", 800)
    put(world, "ftth", "B", "202406", 400)
    put(world, "subs", "C", "202506", 70)
    put(world, "subs", "A", "202405", 9, status="submitted")   # not counted unless asked
    Target.objects.create(indicator=world["ind"]["revenue"], year=2024, value=Decimal(300))
    return world


def same(a, b):
    return (a.value, sorted(a.value_ids), a.units, a.kinds, a.provisional, a.parts) == \
        (b.value, sorted(b.value_ids), b.units, b.kinds, b.provisional, b.parts)


@pytest.mark.parametrize("include_submitted", [False, True])
def test_national_bulk_is_national_many_for_each(data, include_submitted):
    indicators = list(data["ind"].values())
    bulk = national_bulk(indicators, PIDS, include_submitted=include_submitted)
    for indicator in indicators:
        one = national_many(indicator, PIDS, include_submitted=include_submitted)
        assert all(same(bulk[indicator.pk][p.code], one[p.code]) for p in PIDS), indicator.code
    revenue = bulk[data["ind"]["revenue"].pk]
    assert revenue["2024S1"].value == 231 and revenue["2024S1"].kinds == ("provincial_department",)
    assert revenue["2023S1"].value == 200 and revenue["2023S1"].kinds == ("ministry", "ministry_department")
    assert bulk[data["ind"]["ftth_rate"].pk]["2024S1"].value == 80   # 1200 / 1500, not an average


def test_aggregate_bulk_is_aggregate_many_for_each(data):
    indicators = list(data["ind"].values())
    chosen = units(data, "A", "B")
    bulk = aggregate_bulk(indicators, PIDS, chosen)
    for indicator in indicators:
        one = aggregate_many(indicator, PIDS, chosen)
        assert all(same(bulk[indicator.pk][p.code], one[p.code]) for p in PIDS), indicator.code


def test_national_bulk_queries_do_not_grow_with_the_indicators(data):
    indicators = list(data["ind"].values())
    with CaptureQueriesContext(connection) as few:
        national_bulk(indicators[:1], PIDS)
    with CaptureQueriesContext(connection) as many:
        national_bulk(indicators, PIDS)
    # one query per kind of unit tried (and the periods and option looked up for it)
    assert len(many) <= len(few) + 3 * 6


def test_compare_many_is_compare(data):
    pid = PeriodId.parse("2024S1")
    indicators = [data["ind"]["revenue"], data["ind"]["ftth_rate"]]
    many = compare_many(indicators, pid, Scope())
    for indicator in indicators:
        one = compare(indicator, pid, Scope())
        c = many[indicator.pk]
        assert (c.current.value, c.last_year.value, c.yoy, c.plan, c.plan_share) == \
            (one.current.value, one.last_year.value, one.yoy, one.plan, one.plan_share)
    assert many[data["ind"]["revenue"].pk].plan_share == Decimal(77)   # 231 / 300
