"""A figure beside what the ministry compares it with: the same period last year, the previous
period, the end of last year, the annual plan and the population.

Percentages and rates are compared by their difference in percentage points: a rate that
goes from 72% to 77,1% rose by 5,1 points, not by 7%. Everything else by the relative change.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from solieu.catalog.models import FormAssignment, FormRow, Indicator, ReportingUnit, Target
from solieu.catalog.periods import PeriodId
from solieu.collection.models import DataValue

from .aggregate import Result, counted
from .scope import CURRENT, Scope, lineage

POPULATION = "OVERVIEW_POPULATION"
HUNDRED = Decimal(100)


def is_rate(indicator: Indicator) -> bool:
    """A percentage: compared in percentage points, never summed."""
    return indicator.value_type == Indicator.ValueType.PERCENT or indicator.unit.strip() == "%"


def percent_change(current, base) -> Decimal | None:
    if current is None or not base:
        return None
    return (current - base) * HUNDRED / abs(base)


@dataclass
class Comparison:
    indicator: Indicator
    pid: PeriodId
    scope: Scope
    include_submitted: bool = False
    # Given by a caller that fetched many comparisons at once (a report): this period and the
    # same period last year, and the annual plans of the year by indicator id.
    pair: dict[str, Result] | None = None
    targets: dict[int, Target] | None = None

    def _value(self, pid) -> Result:
        return self.scope.value(self.indicator, pid, include_submitted=self.include_submitted)

    @cached_property
    def _pair(self) -> dict[str, Result]:
        if self.pair is not None:
            return self.pair
        last = self.pid.same_period_last_year()
        return self.scope.values(self.indicator, [self.pid, last], include_submitted=self.include_submitted)

    @cached_property
    def current(self) -> Result:
        return self._pair[self.pid.code]

    @cached_property
    def last_year(self) -> Result:
        return self._pair[self.pid.same_period_last_year().code]

    @cached_property
    def previous(self) -> Result:
        return self._value(self.pid.previous())

    @cached_property
    def end_of_last_year(self) -> Result:
        return self._value(PeriodId.year_of(self.pid.year - 1))

    @property
    def rate(self) -> bool:
        return is_rate(self.indicator) or self.indicator.is_ratio and self.indicator.factor == HUNDRED

    def change(self, base: Result) -> Decimal | None:
        """Relative change in percent, or the difference in percentage points for rates."""
        if self.current.value is None or base.value is None:
            return None
        if self.rate:
            return self.current.value - base.value
        return percent_change(self.current.value, base.value)

    @property
    def change_unit(self) -> str:
        return "điểm phần trăm" if self.rate else "%"

    @cached_property
    def yoy(self) -> Decimal | None:
        return self.change(self.last_year)

    @cached_property
    def target(self) -> Target | None:
        if self.targets is not None:
            return self.targets.get(self.indicator.pk)
        province = None if self.scope.province is None else self.scope.province
        return Target.objects.filter(indicator=self.indicator, year=self.pid.year, province=province).first()

    @property
    def plan(self) -> Decimal | None:
        return self.target.value if self.target else None

    @property
    def plan_share(self) -> Decimal | None:
        """Percent of the annual plan reached."""
        if self.current.value is None or not self.plan:
            return None
        return self.current.value * HUNDRED / self.plan

    @cached_property
    def population(self) -> Result:
        return self.scope.value(Indicator.objects.get(code=POPULATION), self.pid, include_submitted=self.include_submitted)

    def per_inhabitants(self, per: int) -> Decimal | None:
        """The value per 100 or per 1.000 inhabitants, from the population reported for the period."""
        if self.current.value is None or not self.population.value:
            return None
        return self.current.value * per / self.population.value


def compare(indicator, pid, scope=None, *, include_submitted=False) -> Comparison:
    return Comparison(indicator, pid, scope or Scope(), include_submitted)


def compare_many(indicators, pid, scope=None, *, include_submitted=False) -> dict[int, Comparison]:
    """`compare` for many indicators from two queries, whatever their number: one for their
    values in the period and the same period last year, one for the year's plans."""
    scope = scope or Scope()
    pids = [pid, pid.same_period_last_year()]
    values = scope.values_bulk(indicators, pids, include_submitted=include_submitted)
    targets = {t.indicator_id: t for t in Target.objects.filter(
        indicator__in=indicators, year=pid.year, province=scope.province)}
    return {i.pk: Comparison(i, pid, scope, include_submitted, values[i.pk], targets) for i in indicators}


def reporting_count(indicator, pid, scope=None, *, kind=ReportingUnit.Kind.PROVINCIAL_DEPARTMENT,
                    include_submitted=False) -> tuple[int, int]:
    """(units that reported it, units that had to): "32/34 tỉnh"."""
    forms = FormRow.objects.filter(indicator=indicator).values_list("form_id", flat=True)
    day = pid.end_date
    expected = FormAssignment.objects.valid_on(day).filter(
        form_id__in=forms, unit__kind=kind).filter(unit__in=ReportingUnit.objects.valid_on(day))
    if scope is not None and scope.province is not None:
        provinces = lineage(scope.province) if scope.boundaries == CURRENT else [scope.province]
        expected = expected.filter(unit__province__in=provinces)
    expected_ids = set(expected.values_list("unit_id", flat=True))
    reported = counted(DataValue.objects.current(), include_submitted).filter(
        indicator=indicator, unit_id__in=expected_ids,
        period__start_date__gte=pid.start_date, period__end_date__lte=pid.end_date,
    ).values_list("unit_id", flat=True).distinct()
    return len(set(reported)), len(expected_ids)
