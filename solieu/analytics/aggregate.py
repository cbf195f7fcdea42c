"""Consolidation of figures over reporting units and over time, by each indicator's rules.

- over time, per unit: a value reported for the period itself wins; otherwise a flow is
  the sum of the finest reported sub-periods that tile the period, a stock is the value of
  the latest sub-period ending on or before the period's end;
- over units: sum, average, or nothing ("none" gives a value only for a single unit);
- ratios are recomputed as factor x numerator / denominator from the consolidated parts,
  never averaged.

Every result keeps the ids of the data values it was computed from, so that a figure in a
report can be traced back to what was submitted.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from solieu.catalog.models import DisaggregationOption, Indicator
from solieu.catalog.periods import PeriodId, PeriodType
from solieu.collection.models import DataValue

# Finest first: a flow is summed from the finest type that the unit reported.
TYPE_ORDER = [PeriodType.MONTH, PeriodType.QUARTER, PeriodType.SIX_MONTHS, PeriodType.NINE_MONTHS, PeriodType.YEAR]


@dataclass
class Result:
    value: Decimal | None
    units: int = 0
    value_ids: list[int] = field(default_factory=list)
    estimate: bool = False

    def __bool__(self):
        return self.value is not None


def _rows(indicator, pid, unit_ids, option):
    qs = DataValue.objects.current().filter(
        indicator=indicator,
        option=option,
        period__start_date__gte=pid.start_date,
        period__end_date__lte=pid.end_date,
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return qs.values_list("id", "unit_id", "value", "status", "period__code", "period__type", "period__end_date")


def _over_time(indicator, pid, rows):
    """One unit's rows -> (value, ids) for the period, or None when they don't cover it."""
    exact = [r for r in rows if r[4] == pid.code]
    if exact:
        return exact[0][2], [exact[0][0]], exact[0][3]
    if indicator.time_aggregation == Indicator.TimeAggregation.STOCK:
        latest = max(rows, key=lambda r: r[6])
        return latest[2], [latest[0]], latest[3]
    for ptype in TYPE_ORDER:
        chosen = [r for r in rows if r[5] == ptype.value]
        if not chosen:
            continue
        months = sum(len(PeriodId.parse(r[4]).months()) for r in chosen)
        if months == len(pid.months()):
            status = "estimate" if any(r[3] == "estimate" for r in chosen) else chosen[0][3]
            return sum((r[2] for r in chosen), Decimal(0)), [r[0] for r in chosen], status
    return None


def aggregate(indicator: Indicator, pid: PeriodId, unit_ids=None, option=None) -> Result:
    """The consolidated value of `indicator` for `pid` over the given units (all when None)."""
    if indicator.is_ratio:
        return _ratio(indicator, pid, unit_ids, option)
    option = option or DisaggregationOption.total()
    by_unit = {}
    for row in _rows(indicator, pid, unit_ids, option):
        by_unit.setdefault(row[1], []).append(row)
    per_unit = [v for v in (_over_time(indicator, pid, rows) for rows in by_unit.values()) if v is not None]
    if not per_unit:
        return Result(None)
    values = [v for v, _, _ in per_unit]
    ids = [i for _, unit_ids_, _ in per_unit for i in unit_ids_]
    estimate = any(s == "estimate" for _, _, s in per_unit)
    agg = indicator.aggregation
    if agg == Indicator.Aggregation.SUM:
        total = sum(values, Decimal(0))
    elif agg == Indicator.Aggregation.AVERAGE:
        total = sum(values, Decimal(0)) / len(values)
    elif len(values) == 1:
        total = values[0]
    else:
        return Result(None, units=len(values), value_ids=ids)
    return Result(total, units=len(values), value_ids=ids, estimate=estimate)


def _ratio(indicator, pid, unit_ids, option):
    num = aggregate(indicator.numerator, pid, unit_ids, option)
    den = aggregate(indicator.denominator, pid, unit_ids, option)
    if num.value is None or not den.value:
        return Result(None)
    return Result(
        indicator.factor * num.value / den.value,
        units=max(num.units, den.units),
        value_ids=num.value_ids + den.value_ids,
        estimate=num.estimate or den.estimate,
    )


def national(indicator: Indicator, pid: PeriodId, option=None) -> Result:
    """The national figure: as the ministry's departments report it for the nation when they
    did, otherwise consolidated from one kind of unit, the first in NATIONAL_SOURCES that
    reports it (provinces, then enterprises...). Adding two kinds, or the departments to the
    provinces, would count the nation twice."""
    from solieu.catalog.models import ReportingUnit

    for kinds in NATIONAL_SOURCES:
        units = ReportingUnit.objects.filter(kind__in=kinds).values_list("id", flat=True)
        result = aggregate(indicator, pid, units, option)
        if result.value is not None:
            return result
    return Result(None)


NATIONAL_SOURCES = [
    ["ministry", "ministry_department"],
    ["provincial_department"],
    ["enterprise"],
    ["other_ministry"],
    ["publisher"],
    ["press_organ"],
]
