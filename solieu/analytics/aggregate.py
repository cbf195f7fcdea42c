"""Consolidation of figures over reporting units and over time, by each indicator's rules.

- which figures count: by default only those of approved reports (and values stored outside
  the workflow: history loads, administrators); `include_submitted=True` adds those of reports
  sent but not yet approved, and the result says so (`provisional`);
- over time, per unit: a value reported for the period itself wins; otherwise a flow is the
  sum of reported sub-periods, finest first, that tile the part of the period the unit existed
  (a Sở that ended on 30/6 answers for January to June, its successor for the rest); a stock
  is the value of the latest sub-period ending on or before the period's end, from units that
  still existed at that end (the successor carries the stock, not both);
- over units: sum, average, or nothing ("none" gives a value only for a single unit);
- ratios are recomputed as factor x numerator / denominator from the consolidated parts,
  never averaged.

Queries run on the live tables, so an approval shows in the next figure computed: there is no
batch to wait for. Every result keeps the ids of the data values it was computed from, so that
a figure in a report can be traced back to what was submitted.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from solieu.catalog.models import DisaggregationOption, Indicator, ReportingUnit
from solieu.catalog.periods import PeriodId, PeriodType
from solieu.collection.models import DataValue, SubmissionStatus

# Finest first: a flow is summed from the finest periods that the unit reported.
TYPE_ORDER = [PeriodType.MONTH, PeriodType.QUARTER, PeriodType.SIX_MONTHS, PeriodType.NINE_MONTHS,
              PeriodType.YEAR, PeriodType.RANGE]


@dataclass
class Result:
    value: Decimal | None
    units: int = 0
    value_ids: list[int] = field(default_factory=list)
    estimate: bool = False
    provisional: bool = False
    parts: dict[int, Decimal] = field(default_factory=dict)   # unit id -> its consolidated value
    kinds: tuple[str, ...] = ()   # for a national figure, the kind of units it was consolidated from

    def __bool__(self):
        return self.value is not None


@dataclass(frozen=True)
class _Row:
    id: int
    unit_id: int
    value: Decimal
    status: str
    code: str
    type: str
    start: date
    end: date
    approved: bool
    valid_from: date | None
    valid_to: date | None


def counted_statuses(include_submitted: bool) -> list[str]:
    statuses = [SubmissionStatus.APPROVED]
    if include_submitted:
        statuses.append(SubmissionStatus.SUBMITTED)
    return statuses


def counted(qs, include_submitted=False):
    """Restrict data values to those a consolidation may use."""
    return qs.filter(Q(submission__isnull=True) | Q(submission__status__in=counted_statuses(include_submitted)))


def _rows(indicator, start, end, unit_ids, option, include_submitted):
    qs = counted(DataValue.objects.current(), include_submitted).filter(
        indicator=indicator,
        period__start_date__gte=start,
        period__end_date__lte=end,
    )
    if option is None:
        qs = qs.filter(option__code=DisaggregationOption.TOTAL_CODE,
                       option__disaggregation__code=DisaggregationOption.TOTAL_CODE)
    else:
        qs = qs.filter(option=option)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids))
    fields = ("id", "unit_id", "value", "status", "period__code", "period__type", "period__start_date",
              "period__end_date", "submission__status", "unit__valid_from", "unit__valid_to")
    return [_Row(*r[:8], r[8] in (None, SubmissionStatus.APPROVED), r[9], r[10]) for r in qs.values_list(*fields)]


def _months_alive(pid, valid_from, valid_to):
    """The months of `pid` during which a unit existed (at least one day)."""
    return {
        m.code for m in pid.months()
        if (valid_from is None or valid_from <= m.end_date) and (valid_to is None or m.start_date <= valid_to)
    }


def _tile(rows, needed):
    """Rows that cover the `needed` months exactly once, finest first; None when none can.

    Backtracks: January alone is no use when February was never reported but Q1 was.
    """
    order = {t.value: i for i, t in enumerate(TYPE_ORDER)}
    starting = {}
    for row in sorted(rows, key=lambda r: order.get(r.type, 99)):
        months = [m.code for m in PeriodId.parse(row.code).months()]
        if set(months) <= needed:
            starting.setdefault(months[0], []).append((row, months))
    sequence = sorted(needed)

    def cover(i, chosen):
        if i == len(sequence):
            return chosen
        for row, months in starting.get(sequence[i], []):
            if sequence[i:i + len(months)] == months:
                found = cover(i + len(months), chosen + [row])
                if found is not None:
                    return found
        return None

    return cover(0, [])


def _over_time(indicator, pid, rows):
    """One unit's rows -> the rows its value for `pid` is made of, or None."""
    exact = [r for r in rows if r.code == pid.code]
    if exact:
        return exact
    first = rows[0]
    if indicator.time_aggregation == Indicator.TimeAggregation.STOCK:
        if first.valid_to is not None and first.valid_to < pid.end_date:
            return None
        return [max(rows, key=lambda r: r.end)]
    needed = _months_alive(pid, first.valid_from, first.valid_to)
    return _tile(rows, needed) if needed else None


def aggregate(indicator: Indicator, pid: PeriodId, unit_ids=None, option=None, *,
              include_submitted=False) -> Result:
    """The consolidated value of `indicator` for `pid` over the given units (all when None)."""
    return aggregate_many(indicator, [pid], unit_ids, option, include_submitted=include_submitted)[pid.code]


def aggregate_many(indicator: Indicator, pids, unit_ids=None, option=None, *,
                   include_submitted=False) -> dict[str, Result]:
    """`aggregate` for several periods (a trend, a comparison) from one query per indicator."""
    if indicator.is_ratio:
        num = aggregate_many(indicator.numerator, pids, unit_ids, option, include_submitted=include_submitted)
        den = aggregate_many(indicator.denominator, pids, unit_ids, option, include_submitted=include_submitted)
        return {p.code: _ratio(indicator, num[p.code], den[p.code]) for p in pids}
    rows = _rows(indicator, min(p.start_date for p in pids), max(p.end_date for p in pids), unit_ids, option,
                 include_submitted)
    return {p.code: _combine(indicator, p, [r for r in rows if p.start_date <= r.start and r.end <= p.end_date])
            for p in pids}


def _combine(indicator, pid, rows) -> Result:
    by_unit = {}
    for row in rows:
        by_unit.setdefault(row.unit_id, []).append(row)
    used = {}
    for unit_id, unit_rows in by_unit.items():
        chosen = _over_time(indicator, pid, unit_rows)
        if chosen:
            used[unit_id] = chosen
    if not used:
        return Result(None)
    parts = {u: sum((r.value for r in rows), Decimal(0)) for u, rows in used.items()}
    all_rows = [r for rows in used.values() for r in rows]
    flags = dict(
        units=len(parts), value_ids=[r.id for r in all_rows], parts=parts,
        estimate=any(r.status == "estimate" for r in all_rows),
        provisional=not all(r.approved for r in all_rows),
    )
    values = list(parts.values())
    agg = indicator.aggregation
    if agg == Indicator.Aggregation.SUM:
        return Result(sum(values, Decimal(0)), **flags)
    if agg == Indicator.Aggregation.AVERAGE:
        return Result(sum(values, Decimal(0)) / len(values), **flags)
    if len(values) == 1:
        return Result(values[0], **flags)
    return Result(None, **flags)


def _ratio(indicator, num, den):
    if num.value is None or not den.value:
        return Result(None)
    parts = {
        u: indicator.factor * num.parts[u] / den.parts[u]
        for u in num.parts if den.parts.get(u)
    }
    return Result(
        indicator.factor * num.value / den.value,
        units=max(num.units, den.units),
        value_ids=num.value_ids + den.value_ids,
        estimate=num.estimate or den.estimate,
        provisional=num.provisional or den.provisional,
        parts=parts,
    )


NATIONAL_SOURCES = [
    ["ministry", "ministry_department"],
    ["provincial_department"],
    ["enterprise"],
    ["other_ministry"],
    ["publisher"],
    ["press_organ"],
]


def national(indicator: Indicator, pid: PeriodId, option=None, *, include_submitted=False) -> Result:
    """The national figure: as the ministry's departments report it for the nation when they
    did, otherwise consolidated from one kind of unit, the first in NATIONAL_SOURCES that
    reports it (provinces, then enterprises...). Adding two kinds, or the departments to the
    provinces, would count the nation twice."""
    return national_many(indicator, [pid], option, include_submitted=include_submitted)[pid.code]


def national_many(indicator, pids, option=None, *, include_submitted=False) -> dict[str, Result]:
    results, remaining = {}, list(pids)
    for kinds in NATIONAL_SOURCES:
        got = aggregate_many(indicator, remaining, units_of_kind(kinds), option, include_submitted=include_submitted)
        for code, r in got.items():
            if r.value is not None:
                r.kinds = tuple(kinds)
                results[code] = r
        remaining = [p for p in remaining if p.code not in results]
        if not remaining:
            break
    return results | {p.code: Result(None) for p in remaining}


def units_of_kind(kinds):
    return ReportingUnit.objects.filter(kind__in=kinds).values_list("id", flat=True)
