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
batch to wait for. National figures read the same rules' sums kept per kind of unit (sums.py),
current in the transaction of every change. A report asks for all its figures at once (`national_bulk`, `aggregate_bulk`):
one query per kind of unit tried, whatever the number of indicators, reading only the periods
that lie within the ones asked for. Every result keeps the ids of the data values it was computed from, so that
a figure in a report can be traced back to what was submitted.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Q, QuerySet

from solieu.catalog.models import DisaggregationOption, Indicator, Period
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


class _Row(NamedTuple):
    """One counted data value, with what the rules need of its period and unit (a tuple: a
    national report reads tens of thousands of them)."""
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


def _period_ids(pids) -> list[int]:
    """The stored periods that lie within one of `pids`: the only ones a result can use (a
    monthly trend must not read the six-monthly reports of 80.000 enterprises that span it)."""
    bounds = {(p.start_date, p.end_date) for p in pids}
    first, last = min(b[0] for b in bounds), max(b[1] for b in bounds)
    candidates = Period.objects.filter(start_date__gte=first, end_date__lte=last).values_list(
        "id", "start_date", "end_date")
    return [pk for pk, start, end in candidates if any(s <= start and end <= e for s, e in bounds)]


def _rows(indicator_ids, pids, units, option, include_submitted) -> dict[int, list[_Row]]:
    """The counted values of the indicators (all when None) within the periods, per indicator,
    from one query.

    `units` is None (all), a list or queryset of unit ids, or ("kinds", [...]) for the units of
    some kinds (the national sources: a join instead of a list of ids)."""
    # Periods and the total option are looked up first (small tables), so that the planner
    # sees plain ids and uses the (period, indicator) index instead of guessing across joins.
    period_ids = _period_ids(pids)
    if option is None:
        option = DisaggregationOption.objects.filter(
            code=DisaggregationOption.TOTAL_CODE, disaggregation__code=DisaggregationOption.TOTAL_CODE).first()
    found = {pk: [] for pk in indicator_ids or ()}
    if not period_ids or option is None:
        return found
    qs = counted(DataValue.objects.current(), include_submitted).filter(period_id__in=period_ids, option=option)
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=indicator_ids)
    if isinstance(units, tuple):
        qs = qs.filter(unit__kind__in=units[1])
    elif units is not None:
        qs = qs.filter(unit_id__in=units if isinstance(units, QuerySet) else list(units))
    fields = ("indicator_id", "id", "unit_id", "value", "status", "period__code", "period__type",
              "period__start_date", "period__end_date", "submission__status", "unit__valid_from", "unit__valid_to")
    approved = SubmissionStatus.APPROVED
    for r in qs.values_list(*fields):
        found.setdefault(r[0], []).append(_Row(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9] is None or r[9] == approved,
                                r[10], r[11]))
    return found


def _months_alive(pid, valid_from, valid_to):
    """The months of `pid` during which a unit existed (at least one day)."""
    return {
        m.code for m in pid.months()
        if (valid_from is None or valid_from <= m.end_date) and (valid_to is None or m.start_date <= valid_to)
    }


_ORDER = {t.value: i for i, t in enumerate(TYPE_ORDER)}


@lru_cache(maxsize=4096)
def _month_codes(code):
    return [m.code for m in PeriodId.parse(code).months()]


@lru_cache(maxsize=4096)
def _months_between(code, valid_from, valid_to):
    return frozenset(_months_alive(PeriodId.parse(code), valid_from, valid_to))


def _tile(rows, needed):
    """Rows that cover the `needed` months exactly once, finest first; None when none can.

    Backtracks: January alone is no use when February was never reported but Q1 was.
    """
    starting = {}
    for row in sorted(rows, key=lambda r: _ORDER.get(r.type, 99)):
        months = _month_codes(row.code)
        if needed.issuperset(months):
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
    needed = _months_between(pid.code, first.valid_from, first.valid_to)
    return _tile(rows, needed) if needed else None


def aggregate(indicator: Indicator, pid: PeriodId, unit_ids=None, option=None, *,
              include_submitted=False) -> Result:
    """The consolidated value of `indicator` for `pid` over the given units (all when None)."""
    return aggregate_many(indicator, [pid], unit_ids, option, include_submitted=include_submitted)[pid.code]


def aggregate_many(indicator: Indicator, pids, unit_ids=None, option=None, *,
                   include_submitted=False) -> dict[str, Result]:
    """`aggregate` for several periods (a trend, a comparison) from one query."""
    return aggregate_bulk([indicator], pids, unit_ids, option, include_submitted=include_submitted)[indicator.pk]


def aggregate_bulk(indicators, pids, unit_ids=None, option=None, *,
                   include_submitted=False) -> dict[int, dict[str, Result]]:
    """`aggregate_many` for several indicators from one query: all the figures of a report at
    once, rather than a query (and its round trip) per figure. Keyed by indicator id."""
    if not pids:
        return {i.pk: {} for i in indicators}
    rows = _rows(_base_ids(indicators), pids, unit_ids, option, include_submitted)
    return {i.pk: _from_rows(i, pids, rows) for i in indicators}


def _base_ids(indicators) -> set[int]:
    """The indicators whose values are read: a ratio reads its numerator and denominator."""
    ids = set()
    for indicator in indicators:
        if indicator.is_ratio:
            ids |= _base_ids([indicator.numerator, indicator.denominator])
        else:
            ids.add(indicator.pk)
    return ids


def _from_rows(indicator, pids, rows) -> dict[str, Result]:
    """The periods' results from the fetched rows."""
    if indicator.is_ratio:
        num = _from_rows(indicator.numerator, pids, rows)
        den = _from_rows(indicator.denominator, pids, rows)
        return {p.code: _ratio(indicator, num[p.code], den[p.code]) for p in pids}
    mine = rows.get(indicator.pk, [])
    return {p.code: _combine(indicator, p, within(p, mine)) for p in pids}


def used_rows(indicator, pid, rows) -> dict[int, list[_Row]]:
    """Unit id -> the rows its value for `pid` is made of, for the units that have one."""
    by_unit = {}
    for row in rows:
        by_unit.setdefault(row.unit_id, []).append(row)
    used = {}
    for unit_id, unit_rows in by_unit.items():
        chosen = _over_time(indicator, pid, unit_rows)
        if chosen:
            used[unit_id] = chosen
    return used


def within(pid, rows):
    start, end = pid.start_date, pid.end_date
    return [r for r in rows if start <= r.start and r.end <= end]


def _combine(indicator, pid, rows) -> Result:
    used = used_rows(indicator, pid, rows)
    if not used:
        return Result(None)
    parts = {u: sum((r.value for r in rows), Decimal(0)) for u, rows in used.items()}
    all_rows = [r for rows in used.values() for r in rows]
    flags = dict(
        value_ids=[r.id for r in all_rows], parts=parts,
        estimate=any(r.status == "estimate" for r in all_rows),
        provisional=not all(r.approved for r in all_rows),
    )
    return by_rule(indicator, sum(parts.values(), Decimal(0)), len(parts), **flags)


def by_rule(indicator, total, units, **flags) -> Result:
    """The figure over units from the sum of their values, by the indicator's rule: the sum,
    the average, or the single unit's value ("none" over several units gives nothing)."""
    agg = indicator.aggregation
    if agg == Indicator.Aggregation.SUM:
        return Result(total, units=units, **flags)
    if agg == Indicator.Aggregation.AVERAGE:
        return Result(total / units, units=units, **flags)
    return Result(total if units == 1 else None, units=units, **flags)


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
    return national_bulk([indicator], pids, option, include_submitted=include_submitted)[indicator.pk]


def national_bulk(indicators, pids, option=None, *, include_submitted=False) -> dict[int, dict[str, Result]]:
    """`national_many` for several indicators. For the default option the sums come from the
    kind totals kept current on approval (sums.py); this module's rules remain their definition."""
    from . import sums

    if option is None and sums.enabled():
        return sums.national_bulk(indicators, pids, include_submitted=include_submitted, live=national_live)
    return national_live(indicators, pids, option, include_submitted=include_submitted)


def national_live(indicators, pids, option=None, *, include_submitted=False) -> dict[int, dict[str, Result]]:
    """`national_bulk` read from the values: one query per kind of unit tried, for all the
    indicators still without a figure. Kind by kind, as in `national`, so that the values of
    80.000 enterprises are not read when the ministry's departments gave the national figure."""
    results = {i.pk: {} for i in indicators}
    wanted = {p.code for p in pids}
    todo = [i for i in indicators if wanted]
    for kinds in NATIONAL_SOURCES:
        if not todo:
            break
        national_from_kinds(kinds, todo, pids, option, include_submitted, results)
        todo = [i for i in todo if len(results[i.pk]) < len(wanted)]
    return {i.pk: {p.code: results[i.pk].get(p.code) or Result(None) for p in pids} for i in indicators}


def national_from_kinds(kinds, indicators, pids, option, include_submitted, results):
    """One step of `national_live`: the figures the units of `kinds` give, from one query, put
    in `results` (indicator id -> {period code: Result}) where there is none yet."""
    rows = _rows(_base_ids(indicators), pids, ("kinds", kinds), option, include_submitted)
    for indicator in indicators:
        found = results[indicator.pk]
        remaining = [p for p in pids if p.code not in found]
        for code, r in _from_rows(indicator, remaining, rows).items():
            if r.value is not None:
                r.kinds = tuple(kinds)
                found[code] = r
