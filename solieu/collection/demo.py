"""Deterministic demo figures for every form, unit and period from January 2022 to today.

The national totals of the first six months of 2022 and 2023 equal the figures the ministry
published (catalog/data/seed_figures.yaml, from the seed reports): a national series is
built per indicator through those anchors, then split exactly over the units that report
it (provinces by population, enterprises by a fixed market share). Annual plans are set so
that the published "đạt X% kế hoạch" comes out again. Everything else is plausible trend.
"""

import random
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import yaml
from django.db import transaction
from django.utils import timezone

from solieu.catalog.loader import DATA_DIR
from solieu.catalog.models import (
    DisaggregationOption,
    Form,
    FormAssignment,
    Indicator,
    Period,
    ReportingUnit,
    Target,
)
from solieu.catalog.periods import PeriodId, PeriodType
from solieu.ops.audit import allow_pruning

from .models import Channel, DataValue, DataValueAudit, Submission, SubmissionEvent, SubmissionStatus, ValueStatus
from .values import bulk_create_values

FIRST_YEAR = 2022
ANCHOR_YEARS = (2022, 2023)
SOURCE = "Dữ liệu mẫu (solieu load_demo)"
# Seasonality of monthly flows: the second half of the year is busier (Tết in the first).
SEASON = [0.92, 0.84, 1.0, 1.02, 1.08, 1.14, 1.05, 1.06, 1.08, 1.1, 1.12, 1.25]
MINISTRY_KINDS = {ReportingUnit.Kind.MINISTRY, ReportingUnit.Kind.MINISTRY_DEPARTMENT}


def read_seed_figures():
    with open(DATA_DIR / "seed_figures.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def quantum(indicator):
    return Decimal(1).scaleb(-indicator.decimals) if indicator.decimals else Decimal(1)


def q(value, indicator):
    return Decimal(value).quantize(quantum(indicator), rounding=ROUND_HALF_UP)


def stable_random(*parts):
    """A random generator seeded by names, so that a value does not depend on load order."""
    return random.Random(zlib.crc32("|".join(map(str, parts)).encode()))


def split_exact(total: Decimal, weights: list[float], step: Decimal) -> list[Decimal]:
    """Split `total` into parts proportional to `weights`, multiples of `step`, summing exactly.

    Largest-remainder rounding: parts differ from the exact share by less than one step.
    """
    if not weights:
        return []
    units = int((total / step).to_integral_value(rounding=ROUND_HALF_UP))
    weight_sum = sum(weights) or 1.0
    raw = [units * w / weight_sum for w in weights]
    parts = [int(r) for r in raw]
    left = units - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: max(left, 0)]:
        parts[i] += 1
    return [Decimal(p) * step for p in parts]


@dataclass
class Anchor:
    year: int
    value: Decimal


class NationalSeries:
    """An indicator's national figure for any month-aligned period.

    Flows: a yearly level L(year) is the first-half total; months follow SEASON.
    Stocks: the value at the end of June of each anchor year, linear between them and
    compounded by the same growth before and after.
    """

    def __init__(self, indicator, anchors: dict[int, Decimal], magnitude: Decimal | None):
        self.indicator = indicator
        rng = stable_random("growth", indicator.code)
        self.anchors = dict(anchors)
        if len(self.anchors) >= 2:
            a, b = self.anchors[ANCHOR_YEARS[0]], self.anchors[ANCHOR_YEARS[1]]
            growth = float(b / a) - 1 if a else 0.06
        else:
            growth = rng.uniform(0.03, 0.12)
            if indicator.increase_is_good is False:
                growth = -growth / 2
        self.growth = max(-0.15, min(growth, 0.3))
        if not self.anchors:
            base = magnitude if magnitude is not None else default_magnitude(indicator, rng)
            self.anchors[ANCHOR_YEARS[0]] = Decimal(base)

    def level(self, year):
        """First-half flow total, or stock at the end of June, of `year`."""
        if year in self.anchors:
            return float(self.anchors[year])
        known = sorted(self.anchors)
        ref = known[-1] if year > known[-1] else known[0]
        return float(self.anchors[ref]) * (1 + self.growth) ** (year - ref)

    def month_value(self, year, month):
        if self.indicator.time_aggregation == Indicator.TimeAggregation.FLOW:
            h1 = self.level(year)
            return h1 * SEASON[month - 1] / sum(SEASON[:6])
        # Stock at the end of the month: interpolate between the June values.
        if month >= 6:
            this, nxt = self.level(year), self.level(year + 1)
            return this + (nxt - this) * (month - 6) / 12
        prev, this = self.level(year - 1), self.level(year)
        return prev + (this - prev) * (month + 6) / 12

    def cumulative(self, year, month) -> Decimal:
        """Flow since the start of `year` to the end of `month`, rounded to the indicator's unit.

        Periods take differences of these, so months, quarters and halves add up exactly.
        """
        if month == 0:
            return Decimal(0)
        if month == 6 and year in self.anchors:
            return self.anchors[year]
        total = sum(self.month_value(year, m) for m in range(1, month + 1))
        return q(Decimal(repr(total)), self.indicator)

    def value(self, pid: PeriodId) -> Decimal:
        months = pid.months()
        if self.indicator.time_aggregation == Indicator.TimeAggregation.FLOW:
            first, last = months[0], months[-1]
            if first.year != last.year:
                return sum((self.value(PeriodId.month(m.year, m.index)) for m in months), Decimal(0))
            return self.cumulative(last.year, last.index) - self.cumulative(first.year, first.index - 1)
        last = months[-1]
        if last.index == 6 and last.year in self.anchors:
            return self.anchors[last.year]
        return Decimal(str(self.month_value(last.year, last.index)))


def default_magnitude(indicator, rng):
    unit = indicator.unit.lower()
    if indicator.value_type == Indicator.ValueType.RANK:
        return Decimal(rng.randint(20, 80))
    if indicator.value_type == Indicator.ValueType.PERCENT or "%" in unit:
        return Decimal(str(round(rng.uniform(55, 95), 2)))
    if "tỷ" in unit or "triệu" in unit:
        return Decimal(rng.randint(200, 5000))
    return Decimal(rng.randint(300, 30000))


class DemoBuilder:
    def __init__(self, today: date, progress=None):
        self.today = today
        self.progress = progress or (lambda *a: None)
        self.figures = read_seed_figures()
        self.total = DisaggregationOption.total()
        self.population = self._population_weights()
        self._province_population = {}
        self._unit_sectors = {}
        self._spreads = {}
        self.series = {}
        self.rows = {}      # (indicator_id, option_id, unit_id, period_id) -> row dict
        self.periods = {}

    # -- anchors ---------------------------------------------------------------------
    def _anchors(self, indicators):
        """National first-half figures by indicator and year, and a magnitude for the others."""
        anchors, magnitude = {}, {}
        for f in self.figures["figures"]:
            code, pid = f["indicator"], PeriodId.parse(str(f["period"]))
            if f.get("national", True) and pid.year in ANCHOR_YEARS and _is_first_half(pid, indicators[code]):
                anchors.setdefault(code, {}).setdefault(pid.year, Decimal(str(f["value"])))
            magnitude.setdefault(code, Decimal(str(f["value"])))
        return anchors, magnitude

    def build_series(self):
        indicators = {i.code: i for i in Indicator.objects.select_related("numerator", "denominator")}
        anchors, magnitude = self._anchors(indicators)
        derived = self._derive_ratio_parts(indicators, anchors, magnitude)
        for code, ind in indicators.items():
            if ind.is_ratio:
                continue
            merged = {**derived.get(code, {}), **anchors.get(code, {})}
            self.series[ind.id] = NationalSeries(ind, merged, magnitude.get(code))
        self.indicators = indicators
        self._ratio_of_numerator = {i.numerator_id: i for i in indicators.values()
                                    if i.is_ratio and i.numerator_id != i.denominator_id}
        for ratio in self._ratio_of_numerator.values():
            num = self.series[ratio.numerator_id]
            if len([y for y in num.anchors if y in ANCHOR_YEARS]) < 2:
                # A share grows no faster than its whole, so it never passes 100%.
                num.growth = self.series[ratio.denominator_id].growth

    def _derive_ratio_parts(self, indicators, anchors, magnitude):
        """Numerators or denominators implied by published ratios, so that the recomputed
        national ratio gives the published figure back.

        A denominator shared by several ratios (population) gets the candidate value that
        reproduces the most of them: the seeds are not always consistent with each other.
        """
        ratios = [(indicators[c], y, r) for c, by_year in anchors.items() if c in indicators
                  and indicators[c].is_ratio for y, r in by_year.items()]
        known = lambda code, year: anchors.get(code, {}).get(year)  # noqa: E731
        derived = {}
        candidates = {}
        for ind, year, ratio in ratios:
            num, den = ind.numerator, ind.denominator
            if known(num.code, year) is not None and known(den.code, year) is None:
                candidates.setdefault((den.code, year), []).append(q(ind.factor * known(num.code, year) / ratio, den))

        def reproduced(den_code, year, value):
            hits = 0
            for ind, y, ratio in ratios:
                num_v = known(ind.numerator.code, y)
                if y == year and ind.denominator.code == den_code and num_v is not None:
                    places = Decimal(1).scaleb(ratio.as_tuple().exponent)
                    hits += (ind.factor * num_v / value).quantize(places, rounding=ROUND_HALF_UP) == ratio
            return hits

        for (den_code, year), values in candidates.items():
            derived.setdefault(den_code, {})[year] = max(values, key=lambda v: reproduced(den_code, year, v))
        for ind, year, ratio in ratios:
            num, den = ind.numerator, ind.denominator
            den_v = known(den.code, year) or derived.get(den.code, {}).get(year)
            if known(num.code, year) is not None or derived.get(num.code, {}).get(year) is not None:
                continue
            if den_v is None:
                den_v = q(magnitude.get(den.code) or default_magnitude(den, stable_random(den.code)), den)
                derived.setdefault(den.code, {})[year] = den_v
            derived.setdefault(num.code, {})[year] = q(ratio * den_v / ind.factor, num)
        # Ratios nobody published still need parts that make sense together (a share below
        # 100%): the numerator follows from the denominator and a plausible ratio.
        year = ANCHOR_YEARS[0]
        for ind in indicators.values():
            num, den = ind.numerator, ind.denominator
            if not ind.is_ratio or known(num.code, year) is not None or num.code in derived:
                continue
            den_v = known(den.code, year) or derived.get(den.code, {}).get(year) or magnitude.get(den.code) \
                or default_magnitude(den, stable_random(den.code))
            ratio = magnitude.get(ind.code) or default_magnitude(ind, stable_random(ind.code))
            if ind.unit.startswith("%"):
                ratio = min(ratio, Decimal("95"))
            derived.setdefault(den.code, {}).setdefault(year, q(den_v, den))
            derived[num.code] = {year: q(ratio * derived[den.code][year] / ind.factor, num)}
        return derived

    # -- units -------------------------------------------------------------------------
    def _population_weights(self):
        with open(DATA_DIR / "population.yaml", encoding="utf-8") as f:
            return {str(k): float(v) for k, v in yaml.safe_load(f)["population"].items()}

    def weight(self, unit, indicator):
        """A unit's share of the national figure. The numerator of a ratio follows its
        denominator's share closely, so that no province has more FTTH households than
        households."""
        ratio = self._ratio_of_numerator.get(indicator.id)
        if ratio is not None:
            spread = self._ratio_spread(ratio)
            return self.weight(unit, ratio.denominator) * stable_random("num", unit.code, indicator.code).uniform(
                1 - spread, 1.0)
        rng = stable_random("weight", unit.code, indicator.code)
        if unit.kind == ReportingUnit.Kind.PROVINCIAL_DEPARTMENT and unit.province_id:
            return self._population_of(unit.province) * rng.uniform(0.8, 1.2)
        return rng.uniform(0.3, 3.0)

    def _ratio_spread(self, ratio):
        """How far a unit's share may fall below the national one: less when the national
        percentage is close to 100, so that no unit goes past it."""
        if ratio.id not in self._spreads:
            level = float(self.national_value(ratio, PeriodId.half(ANCHOR_YEARS[0], 1)))
            headroom = 1 - level / 100 if ratio.unit.startswith("%") and 0 < level <= 100 else 0.2
            self._spreads[ratio.id] = max(0.0, min(0.1, headroom / 2))
        return self._spreads[ratio.id]

    def _population_of(self, province):
        if province.id not in self._province_population:
            codes = [p.code for p in province.constituents_on(date(2025, 6, 30))] or [province.code]
            self._province_population[province.id] = sum(self.population.get(c, 1000.0) for c in codes)
        return self._province_population[province.id]

    # -- values ------------------------------------------------------------------------
    def period(self, pid):
        if pid.code not in self.periods:
            self.periods[pid.code] = Period.objects.for_id(pid)
        return self.periods[pid.code]

    def form_periods(self, form):
        ptype = PeriodType(form.period_type)
        pid = PeriodId.containing(ptype, date(FIRST_YEAR, 1, 1))
        deadline = next(iter(form.deadlines.all()), None)
        while True:
            due = deadline.date_for(pid) if deadline else pid.end_date
            if due > self.today:
                return
            yield pid
            pid = pid.next()

    def status_for(self, form, pid):
        """Figures sent before the period ends are estimates; older ones have been made official."""
        recent = (self.today - pid.end_date).days < 60
        return ValueStatus.ESTIMATE if recent and form.regime == Form.Regime.PERIODIC else ValueStatus.OFFICIAL

    def add(self, indicator, option, unit, period, value, form, status):
        key = (indicator.id, option.id, unit.id, period.id)
        if key in self.rows:
            return
        self.rows[key] = dict(indicator=indicator, option=option, unit=unit, period=period, value=value,
                              status=status, form=form, form_version=form.version)

    def fill_form(self, form):
        rows = [r for r in form.rows.select_related("indicator", "disaggregation") if r.indicator_id]
        assignments = list(FormAssignment.objects.filter(form=form).select_related("unit__province"))
        for pid in self.form_periods(form):
            day = pid.end_date
            units = [a.unit for a in assignments if a.is_valid_on(day) and a.unit.is_valid_on(day)]
            if not units:
                continue
            period = self.period(pid)
            status = self.status_for(form, pid)
            ministry = [u for u in units if u.kind in MINISTRY_KINDS]
            for row in rows:
                ind = self.indicators[row.indicator.code]
                if ind.is_ratio:
                    continue
                reporters = self._reporters(ind, units, ministry)
                if not reporters:
                    continue
                national = self.series[ind.id].value(pid)
                for unit, part in self._split(ind, national, reporters):
                    self.add(ind, self.total, unit, period, part, form, status)
                    if row.disaggregation_id:
                        self._disaggregate(ind, row.disaggregation, unit, period, part, form, status)
            for row in rows:
                ind = self.indicators[row.indicator.code]
                if ind.is_ratio:
                    for unit in units:
                        self._ratio_value(ind, unit, period, form, status)

    def _reporters(self, ind, units, ministry):
        """Who reports `ind` on this form: a ministry department only for its own sectors."""
        if not ministry:
            return units
        own = [u for u in ministry if ind.sector_id in self._sectors_of(u)]
        if own:
            return own[:1]
        return [] if any(self._sectors_of(u) for u in ministry) else ministry[:1]

    def _sectors_of(self, unit):
        if unit.id not in self._unit_sectors:
            self._unit_sectors[unit.id] = set(unit.sectors.values_list("id", flat=True))
        return self._unit_sectors[unit.id]

    def _split(self, ind, national, reporters):
        if len(reporters) == 1:
            return [(reporters[0], q(national, ind))]
        if ind.aggregation in (Indicator.Aggregation.SUM,):
            parts = split_exact(q(national, ind), [self.weight(u, ind) for u in reporters], quantum(ind))
            return list(zip(reporters, parts))
        result = []
        for u in reporters:  # averages, percentages and ranks: each unit near the national level
            rng = stable_random("level", u.code, ind.code)
            value = national * Decimal(str(rng.uniform(0.85, 1.1)))
            if ind.value_type == Indicator.ValueType.PERCENT or "%" in ind.unit:
                value = min(value, Decimal(100))
            if ind.value_type == Indicator.ValueType.RANK:
                value = Decimal(rng.randint(1, 63))
            result.append((u, q(value, ind)))
        return result

    def _disaggregate(self, ind, disaggregation, unit, period, value, form, status):
        options = list(disaggregation.options.all())
        weights = [stable_random("option", ind.code, o.code).uniform(0.2, 2.0) for o in options]
        for option, part in zip(options, split_exact(value, weights, quantum(ind))):
            self.add(ind, option, unit, period, part, form, status)

    def _ratio_value(self, ind, unit, period, form, status):
        num = self.rows.get((ind.numerator_id, self.total.id, unit.id, period.id))
        den = self.rows.get((ind.denominator_id, self.total.id, unit.id, period.id))
        if num and den and den["value"]:
            self.add(ind, self.total, unit, period, q(ind.factor * num["value"] / den["value"], ind), form, status)

    def national_value(self, ind, pid):
        """The national figure the generated data add up to (ratios recomputed)."""
        if ind.is_ratio:
            num = self.series[ind.numerator_id].value(pid)
            den = self.series[ind.denominator_id].value(pid)
            return ind.factor * num / den
        return self.series[ind.id].value(pid)

    # -- plans -------------------------------------------------------------------------
    def targets(self):
        plans = {}
        for f in self.figures["figures"]:
            pid = PeriodId.parse(str(f["period"]))
            ind = self.indicators.get(f["indicator"])
            if ind is None or not f.get("national", True) or not _is_first_half(pid, ind):
                continue
            if f.get("plan_value") is not None:
                plans[(ind.code, pid.year)] = (Decimal(str(f["plan_value"])), f"{f['source']}: kế hoạch công bố")
            elif f.get("plan_pct"):
                achieved = self.national_value(ind, PeriodId.half(pid.year, 1))
                value = achieved * 100 / Decimal(str(f["plan_pct"]))
                plans[(ind.code, pid.year)] = (
                    _plan_round(value, achieved, Decimal(str(f["plan_pct"])), ind),
                    f"{f['source']}: suy ra từ tỷ lệ {f['plan_pct']}% kế hoạch",
                )
        last_year = self.today.year
        for (code, year), (value, source) in list(plans.items()):
            for later in range(year + 1, last_year + 1):
                if (code, later) not in plans:
                    grown = value * Decimal("1.08") ** (later - year)
                    plans[(code, later)] = (q(grown, self.indicators[code]), "Dữ liệu mẫu: tăng 8%/năm")
        return [
            Target(indicator=self.indicators[code], year=year, province=None, value=value, source=source)
            for (code, year), (value, source) in sorted(plans.items())
        ]


def _is_first_half(pid, indicator):
    """A first-half figure, or for a stock its value at the end of June."""
    if pid.type == PeriodType.SIX_MONTHS:
        return pid.index == 1
    return pid.type == PeriodType.MONTH and pid.index == 6 and not indicator.time_aggregation == "flow"


def _plan_round(value, achieved, pct, ind):
    """The coarsest plan value that still gives the published percentage back."""
    places = abs(pct.as_tuple().exponent)
    for decimals in range(0, 7):
        plan = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if plan and (achieved * 100 / plan).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == pct:
            return plan
    return value


@transaction.atomic
def load_demo(today: date, progress=None):
    """Replace all demo values and plans; values entered by people are left alone."""
    progress = progress or (lambda *a: None)
    allow_pruning()  # the audit entries of generated values go with them (decision 10)
    demo_values = DataValue.objects.filter(channel=Channel.DEMO)
    demo_submissions = set(Submission.objects.filter(values__channel=Channel.DEMO).values_list("pk", flat=True))
    DataValueAudit.objects.filter(data_value__in=demo_values)._raw_delete(DataValueAudit.objects.db)
    demo_values.delete()
    SubmissionEvent.objects.filter(submission__in=demo_submissions)._raw_delete(SubmissionEvent.objects.db)
    Submission.objects.filter(pk__in=demo_submissions, values__isnull=True).delete()
    Target.objects.filter(source__startswith="Dữ liệu mẫu").delete()
    Target.objects.filter(source__contains=".txt:").delete()

    builder = DemoBuilder(today, progress)
    builder.build_series()
    forms = list(Form.objects.filter(active=True).prefetch_related("deadlines"))
    for n, form in enumerate(forms, 1):
        progress(n, len(forms), form.code)
        builder.fill_form(form)
    taken = set(
        DataValue.objects.current().values_list("indicator_id", "option_id", "unit_id", "period_id")
    )
    rows = [r for k, r in builder.rows.items() if k not in taken]
    submissions = demo_submissions_for(rows, today)
    for r in rows:
        r["submission"] = submissions.get((r["form"].id, r["unit"].id, r["period"].id))
    bulk_create_values(rows, channel=Channel.DEMO, source=SOURCE)
    targets = builder.targets()
    Target.objects.bulk_create(targets)
    return {"values": len(rows), "targets": len(targets), "periods": len(builder.periods),
            "submissions": len(submissions)}


def demo_submissions_for(rows, today):
    """One submission per form, unit and period, in a plausible state of the workflow.

    Periods due more than six weeks ago are approved (a few sent late); for recent ones the
    units are spread over approved, submitted, returned and draft, so that the completeness
    pages have something to show.
    """
    keys = {}
    for r in rows:
        keys.setdefault((r["form"].id, r["unit"].id, r["period"].id), (r["form"], r["unit"], r["period"]))
    existing = {(s.form_id, s.unit_id, s.period_id): s for s in Submission.objects.all()}
    created = []
    for key, (form, unit, period) in keys.items():
        if key in existing:
            continue
        pid = period.pid
        deadline = form.deadline_for(pid)
        rng = stable_random("submission", form.code, unit.code, period.code)
        late = rng.random() < 0.06
        sent_day = deadline + timedelta(days=rng.randint(1, 12)) if late else deadline - timedelta(
            days=rng.randint(0, 8))
        recent = (today - deadline).days < 45
        status = SubmissionStatus.APPROVED
        if recent:
            status = rng.choices(
                [SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED,
                 SubmissionStatus.DRAFT], weights=[55, 25, 5, 15])[0]
        sent = status != SubmissionStatus.DRAFT and sent_day <= today
        if not sent:
            status = SubmissionStatus.DRAFT
        created.append(Submission(
            form=form, unit=unit, period=period, form_version=form.version, status=status,
            submitted_at=_at(sent_day) if sent else None,
            decided_at=_at(min(sent_day + timedelta(days=3), today)) if status in (
                SubmissionStatus.APPROVED, SubmissionStatus.RETURNED) else None,
            return_reason="Đề nghị kiểm tra lại số liệu dòng 5 (dữ liệu mẫu)." if status == SubmissionStatus.RETURNED
            else "",
        ))
    Submission.objects.bulk_create(created, batch_size=1000)
    return existing | {(s.form_id, s.unit_id, s.period_id): s for s in created}


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))
