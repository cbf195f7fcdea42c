"""Kind totals: the national figures' sums, kept current in the transaction that changes them.

Why: a national six-month figure of the digital-technology enterprises sums 100.000 units'
quarterly reports; read live (aggregate.py) that is 5 million values a report. Instead, per
(indicator, kind of unit, period, counting mode) we keep Σ of each unit's consolidated value,
computed by aggregate.py's own rules (aggregate.used_rows), so the figure is one small read.

How they stay equal to the live engine (decision 19):
- built the first time a national figure needs a (kind, period): `ensure_built`, one streaming
  pass over that kind's values in the period;
- every write that can change what counts (values.py, workflow.py) runs inside a `Tracker`:
  before the change it computes what the touched units contributed to the built periods that
  contain the changed period, after it what they contribute now, and adds the difference, in
  the same transaction. Serialized per unit (advisory lock) so two writers to one unit cannot
  both subtract the same "before"; builders lock out trackers while they read (table lock);
- a catalog change to a rule the sums depend on (a unit's kind or lifetime, an indicator's
  time rule) drops the built totals it touches (signals.py); they are rebuilt when next asked;
- `solieu check_totals` compares every built total with the live engine, `--repair` rebuilds.

Ids of the values behind a figure are not kept: `LazyIds` knows their count and computes them
live, for all the figures of one call at once, when someone opens a breakdown or the figure sheet.
"""

import zlib
from collections.abc import Sequence
from decimal import Decimal
from itertools import groupby

from django.conf import settings
from django.db import connection, transaction

from solieu.catalog.models import DisaggregationOption, Indicator, Period, ReportingUnit
from solieu.collection.models import DataValue

from .aggregate import (NATIONAL_SOURCES, Result, _base_ids, _period_ids, _ratio, _Row, _rows, by_rule, counted,
                        national_from_kinds, used_rows, within)
from .models import BuiltTotal, KindTotal

KINDS = [k for group in NATIONAL_SOURCES for k in group]
MODES = (False, True)        # with_submitted
_LOCK_CLASS = 8021           # advisory lock namespace: one lock per reporting unit
_KIND_LOCK_CLASS = 8022      # one per kind of unit
MANY_UNITS = 200


def enabled() -> bool:
    return getattr(settings, "SOLIEU_KIND_TOTALS", True)


# --- one unit's contribution -------------------------------------------------------------------


def _add_unit(out, indicator_pk, period_pk, mode, rows):
    v = out.get((indicator_pk, period_pk, mode))
    if v is None:
        v = out[(indicator_pk, period_pk, mode)] = [Decimal(0), 0, 0, 0, 0]
    v[0] += sum((r.value for r in rows), Decimal(0))
    v[1] += 1
    v[2] += len(rows)
    v[3] += any(r.status == "estimate" for r in rows)
    v[4] += not all(r.approved for r in rows)


def _contribute(out, indicator, periods, rows):
    """Add to `out` what one indicator's rows (any units) give each period, in both modes."""
    for period in periods:
        pid = period.pid
        mine = within(pid, rows)
        if not mine:
            continue
        for mode in MODES:
            use = mine if mode else [r for r in mine if r.approved]
            for unit_rows in used_rows(indicator, pid, use).values():
                _add_unit(out, indicator.pk, period.pk, mode, unit_rows)


def _indicators(qs) -> dict[int, Indicator]:
    """The indicators with totals of their own: not the ratios, recomputed from their parts."""
    return {i.pk: i for i in qs if not i.is_ratio}


def contributions(unit_ids, periods) -> dict[tuple, list]:
    """(indicator id, period id, with_submitted) -> [Σ, units, values, estimates, unapproved]
    of the given units to the given periods, now (reads the database)."""
    out = {}
    if not unit_ids or not periods:
        return out
    rows = _rows(None, [p.pid for p in periods], list(unit_ids), None, True)
    indicators = _indicators(Indicator.objects.filter(pk__in=rows))
    for pk, ind_rows in rows.items():
        if pk in indicators:
            _contribute(out, indicators[pk], periods, ind_rows)
    return out


# --- building ------------------------------------------------------------------------------


def _lock_table(mode):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {BuiltTotal._meta.db_table} IN {mode} MODE")


class BuildCatalog:
    """What builds read of the catalog, read once for several builds: the indicators (without
    the ratios, which have no totals of their own) and each kind's unit lifetimes."""

    def __init__(self):
        self.indicators = _indicators(Indicator.objects.all())
        self.total = DisaggregationOption.total()
        self._units = {}

    def units(self, kind):
        if kind not in self._units:
            self._units[kind] = {pk: (f, t) for pk, f, t in ReportingUnit.objects.filter(kind=kind).values_list(
                "id", "valid_from", "valid_to")}
        return self._units[kind]


def _stream(kind, period, catalog):
    """The counted values of one kind within a period, ordered by indicator and unit, as _Rows."""
    periods = {p.pk: p for p in Period.objects.filter(pk__in=_period_ids([period.pid]))}
    if not periods or catalog.total is None:
        return
    total, units = catalog.total, catalog.units(kind)
    qs = (counted(DataValue.objects.current(), True)
          .filter(period_id__in=list(periods), option=total, unit__kind=kind)
          .order_by("indicator_id", "unit_id")
          .values_list("indicator_id", "id", "unit_id", "value", "status", "period_id", "submission__status"))
    for ind, pk, unit_id, value, status, period_id, sub_status in qs.iterator(chunk_size=20_000):
        p = periods[period_id]
        valid_from, valid_to = units[unit_id]
        yield ind, _Row(pk, unit_id, value, status, p.code, p.type, p.start_date, p.end_date,
                        sub_status is None or sub_status == "approved", valid_from, valid_to)


def ensure_built(kinds, periods) -> set[int]:
    """Build the totals of every (kind, period) not built yet, when the kind is small enough to
    do it within the request; returns the ids of the periods still missing a large kind's
    totals (their figures are read live meanwhile, and the worker builds them)."""
    missing = _missing(kinds, periods)
    if not missing:
        return set()
    large = {k for k in {k for k, _ in missing} if _is_large(k)}
    if large:
        later = sorted({p.pk for k, p in missing if k in large})
        transaction.on_commit(lambda: _enqueue_build(sorted(large), later))
    catalog = None
    for kind, period in missing:
        if kind not in large:
            catalog = catalog or BuildCatalog()
            build(kind, period, catalog)
    return {p.pk for k, p in missing if k in large}


def _missing(kinds, periods) -> list[tuple]:
    """The (kind, Period) pairs without built totals."""
    built = set(BuiltTotal.objects.filter(kind__in=kinds, period__in=periods).values_list("kind", "period_id"))
    return [(k, p) for k in kinds for p in periods if (k, p.pk) not in built]


def _is_large(kind) -> bool:
    """Over SOLIEU_KIND_TOTALS_SYNC_UNITS units a kind's totals are built by the worker: reading
    100.000 enterprises' values takes minutes, not a request's second."""
    limit = getattr(settings, "SOLIEU_KIND_TOTALS_SYNC_UNITS", 5000)
    return ReportingUnit.objects.filter(kind=kind).count() > limit


def _enqueue_build(kinds, period_ids):
    from .tasks import build_totals_task

    try:
        build_totals_task.enqueue(kinds, period_ids)
    except Exception:   # no task queue (a shell): the next `solieu build_totals` does it
        pass


def build_all(kinds, periods, progress=None):
    """Build the given (kind, period) totals that are missing; progress(n, total, label)."""
    catalog, todo = BuildCatalog(), _missing(kinds, periods)
    for n, (kind, period) in enumerate(todo, 1):
        if progress:
            progress(n, len(todo), f"{kind} {period.code}")
        build(kind, period, catalog)
    return len(todo)


# The regular units, summed by PostgreSQL: a unit that existed through the whole period and
# reported either the period itself (it wins) or, for a flow, periods of one type only (they
# tile it exactly when their months add up to the period's), or, for a stock, one value at its
# latest end date. Every other (indicator, unit) is "irregular" and goes through used_rows.
_REGULAR_SQL = """
WITH v AS (
    SELECT dv.indicator_id, dv.unit_id, dv.value, dv.status = 'estimate' AS estimate,
           (dv.submission_id IS NULL OR s.status = 'approved') AS approved,
           p.code, p.type, p.end_date,
           (EXTRACT(YEAR FROM p.end_date) * 12 + EXTRACT(MONTH FROM p.end_date))
             - (EXTRACT(YEAR FROM p.start_date) * 12 + EXTRACT(MONTH FROM p.start_date)) + 1 AS months,
           i.time_aggregation AS rule,
           (u.valid_from IS NULL OR u.valid_from <= %(start)s) AND (u.valid_to IS NULL OR u.valid_to >= %(end)s)
             AS whole,
           (u.valid_to IS NULL OR u.valid_to >= %(end)s) AS alive_at_end,
           max(p.end_date) OVER w AS last_end,
           bool_or(p.code = %(code)s) OVER w AS has_exact
    FROM collection_datavalue dv
    JOIN catalog_period p ON p.id = dv.period_id
    JOIN catalog_reportingunit u ON u.id = dv.unit_id
    JOIN catalog_indicator i ON i.id = dv.indicator_id
    LEFT JOIN collection_submission s ON s.id = dv.submission_id
    WHERE dv.deleted_at IS NULL AND dv.option_id = %(option)s AND u.kind = %(kind)s
      AND dv.period_id = ANY(%(periods)s) AND i.time_aggregation IN ('flow', 'stock')
      AND (dv.submission_id IS NULL OR s.status = ANY(%(statuses)s))
    WINDOW w AS (PARTITION BY dv.indicator_id, dv.unit_id)
), chosen AS (
    SELECT * FROM v
    WHERE CASE WHEN has_exact THEN code = %(code)s
               WHEN rule = 'stock' THEN end_date = last_end
               ELSE true END
), g AS (
    SELECT indicator_id, unit_id, bool_and(has_exact) AS exact, min(rule) AS rule, bool_and(whole) AS whole,
           bool_and(alive_at_end) AS alive_at_end, min(type) AS type, count(*) AS n, count(DISTINCT type) AS types, sum(months) AS months, sum(value) AS total,
           bool_or(estimate) AS estimate, bool_and(approved) AS approved
    FROM chosen GROUP BY indicator_id, unit_id
), judged AS (
    SELECT *, CASE
        WHEN exact THEN 'take'
        WHEN rule = 'stock' AND NOT alive_at_end THEN 'none'
        WHEN rule = 'stock' AND n = 1 THEN 'take'
        WHEN rule = 'flow' AND whole AND types = 1 AND type <> 'range' AND months = %(months)s THEN 'take'
        WHEN rule = 'flow' AND whole AND types = 1 AND type <> 'range' AND months < %(months)s THEN 'none'
        ELSE 'irregular' END AS verdict
    FROM g
)
SELECT indicator_id, verdict, sum(total), count(*), sum(n), count(*) FILTER (WHERE estimate),
       count(*) FILTER (WHERE NOT approved), CASE WHEN verdict = 'irregular' THEN array_agg(unit_id) END
FROM judged WHERE verdict <> 'none' GROUP BY indicator_id, verdict
"""


def _computed_sql(kind, period, catalog) -> tuple[dict, dict, int]:
    """PostgreSQL: the regular units' totals per mode, and the irregular (indicator, mode) units."""
    pid = period.pid
    period_ids = _period_ids([pid])
    out, irregular, units = {}, {}, 0
    if not period_ids or catalog.total is None:
        return out, irregular, units
    months = len(pid.months())
    with connection.cursor() as cursor:
        for mode in MODES:
            statuses = ["approved", "submitted"] if mode else ["approved"]
            cursor.execute(_REGULAR_SQL, {"start": pid.start_date, "end": pid.end_date, "code": pid.code,
                                          "option": catalog.total.pk, "kind": kind, "periods": period_ids,
                                          "statuses": statuses, "months": months})
            for ind, verdict, total, n_units, n_values, estimates, unapproved, unit_ids in cursor.fetchall():
                if ind not in catalog.indicators:
                    continue
                if verdict == "take":
                    _merge(out, (ind, period.pk, mode), [total, n_units, n_values, estimates, unapproved])
                    units = max(units, n_units)
                else:
                    irregular.setdefault(mode, {}).setdefault(ind, set()).update(unit_ids)
    return out, irregular, units


def computed(kind, period, catalog=None) -> tuple[dict, int]:
    """What the totals of (kind, period) are by the live rules: (contributions, units read)."""
    catalog = catalog or BuildCatalog()
    if connection.vendor == "postgresql":
        out, irregular, units = _computed_sql(kind, period, catalog)
        for mode, by_indicator in irregular.items():
            unit_ids = sorted({u for us in by_indicator.values() for u in us})
            for i in range(0, len(unit_ids), 2000):
                rows = _rows(list(by_indicator), [period.pid], unit_ids[i:i + 2000], None, True)
                for ind, ind_rows in rows.items():
                    wanted = by_indicator.get(ind, ())
                    mine = [r for r in ind_rows if r.unit_id in wanted]
                    part = {}
                    _contribute(part, catalog.indicators[ind], [period], mine)
                    if (ind, period.pk, mode) in part:
                        _merge(out, (ind, period.pk, mode), part[(ind, period.pk, mode)])
        return out, units
    out, units = {}, set()
    for ind_pk, ind_rows in groupby(_stream(kind, period, catalog), key=lambda x: x[0]):
        indicator = catalog.indicators.get(ind_pk)
        if indicator is None:
            continue
        for unit_id, unit_rows in groupby((r for _, r in ind_rows), key=lambda r: r.unit_id):
            units.add(unit_id)
            _contribute(out, indicator, [period], list(unit_rows))
    return out, len(units)


def stored(kind, period) -> dict:
    return {(t[0], period.pk, t[1]): list(t[2:]) for t in KindTotal.objects.filter(kind=kind, period=period)
            .values_list("indicator_id", "with_submitted", "total", "units", "values", "estimates", "unapproved")
            if any(t[3:])}


def build(kind, period, catalog=None) -> bool:
    """Build the totals of (kind, period) from the values; False when someone else just did."""
    with transaction.atomic():
        _lock_table("SHARE ROW EXCLUSIVE")   # waits for trackers in flight, keeps new ones out
        if BuiltTotal.objects.filter(kind=kind, period=period).exists():
            return False
        out, units = computed(kind, period, catalog)
        KindTotal.objects.bulk_create([
            KindTotal(indicator_id=ind, kind=kind, period_id=per, with_submitted=mode, total=v[0], units=v[1],
                      values=v[2], estimates=v[3], unapproved=v[4])
            for (ind, per, mode), v in out.items()], batch_size=2000)
        BuiltTotal.objects.create(kind=kind, period=period, units=units)
    return True


def drop(kinds=None, indicator_ids=None):
    """Forget built totals (they are rebuilt when next asked): of some kinds, or all those
    holding some indicators, or everything."""
    with transaction.atomic():
        _lock_table("SHARE ROW EXCLUSIVE")
        if indicator_ids is not None:
            pairs = set(KindTotal.objects.filter(indicator_id__in=indicator_ids).values_list("kind", "period_id"))
            for kind, period_id in pairs:
                KindTotal.objects.filter(kind=kind, period_id=period_id).delete()
                BuiltTotal.objects.filter(kind=kind, period_id=period_id).delete()
            return
        totals, built = KindTotal.objects.all(), BuiltTotal.objects.all()
        if kinds is not None:
            totals, built = totals.filter(kind__in=kinds), built.filter(kind__in=kinds)
        totals.delete()
        built.delete()


# --- keeping them current ------------------------------------------------------------------


class Tracker:
    """Around one change of figures: `touch` the (unit, period) pairs before changing them,
    `settle` after; the built totals then move by exactly what the units' values moved."""

    def __init__(self):
        self.active = enabled()
        self.units = {}       # unit id -> kind
        self.periods = {}     # unit id -> {period id: Period}, the built periods it feeds
        self.before = {}      # kind -> contributions before the change
        self.touched = set()  # (unit id, period id)

    def touch(self, pairs):
        """`pairs`: (unit, period) model instances (unit with its kind)."""
        if not self.active:
            return
        new = {}
        for unit, period in pairs:
            if (unit.pk, period.pk) not in self.touched:
                self.touched.add((unit.pk, period.pk))
                new.setdefault((unit.kind, period.pk), (period, set()))[1].add(unit.pk)
                self.units[unit.pk] = unit.kind
        if not new:
            return
        _lock_table("ROW EXCLUSIVE")
        by_kind = {}
        for (kind, _), (period, unit_ids) in new.items():
            if kind not in by_kind:
                by_kind[kind] = (_built_periods(kind), {})
            built, wanted = by_kind[kind]
            feeding = [p for p in built if p.start_date <= period.start_date and period.end_date <= p.end_date]
            for unit_id in unit_ids:
                wanted.setdefault(unit_id, []).extend(feeding)
        for kind, (_, wanted) in by_kind.items():
            self._remember(kind, wanted)

    def touch_unit(self, unit):
        """Before a change to the unit itself (its lifetime): every built period of its kind."""
        if not self.active:
            return
        _lock_table("ROW EXCLUSIVE")
        self.units[unit.pk] = unit.kind
        self._remember(unit.kind, {unit.pk: _built_periods(unit.kind)})

    def _remember(self, kind, wanted):
        """{unit id: [Period]}: what these units give the periods not yet followed, before the change."""
        fresh = {}
        for unit_id, periods in wanted.items():
            known = self.periods.setdefault(unit_id, {})
            for p in periods:
                if p.pk not in known:
                    known[p.pk] = p
                    fresh.setdefault(unit_id, {})[p.pk] = p
        if fresh:
            _lock_units(kind, sorted(fresh))
            before = self.before.setdefault(kind, {})
            for key, v in _contributions_by_unit(fresh).items():
                _merge(before, key, v)

    def settle(self):
        if not self.active or not self.before:
            return
        for kind, before in self.before.items():
            by_unit = {u: self.periods[u] for u, k in self.units.items() if k == kind and self.periods.get(u)}
            after = _contributions_by_unit(by_unit)
            delta = {}
            for key in set(before) | set(after):
                a, b = after.get(key, (Decimal(0), 0, 0, 0, 0)), before.get(key, (Decimal(0), 0, 0, 0, 0))
                d = [x - y for x, y in zip(a, b)]
                if any(d):
                    delta[key] = d
            _apply(kind, delta)
        self.before = {}


def _built_periods(kind) -> list[Period]:
    return list(Period.objects.filter(pk__in=BuiltTotal.objects.filter(kind=kind).values("period_id")).only(
        "id", "code", "type", "start_date", "end_date"))


def _contributions_by_unit(by_unit) -> dict:
    """{unit id: {period id: Period}} -> contributions, periods asked per unit; batched by the
    set of periods (the units of one import share theirs)."""
    out = {}
    groups = {}
    for unit_id, periods in by_unit.items():
        groups.setdefault(tuple(sorted(periods)), []).append(unit_id)
    for period_ids, unit_ids in groups.items():
        periods = list(by_unit[unit_ids[0]].values())
        for i in range(0, len(unit_ids), 500):
            for key, v in contributions(unit_ids[i:i + 500], periods).items():
                _merge(out, key, v)
    return out


def _merge(into, key, v):
    if key in into:
        into[key] = [x + y for x, y in zip(into[key], v)]
    else:
        into[key] = list(v)


def _lock_units(kind, unit_ids):
    """Serialize trackers of the same units. A few units: one lock each, under the kind's lock
    held shared; many (an import of thousands, which would fill PostgreSQL's lock table): the
    kind's lock held exclusively instead."""
    if connection.vendor != "postgresql" or not unit_ids:
        return
    kind_key = zlib.crc32(kind.encode()) & 0x7FFFFFFF
    with connection.cursor() as cursor:
        if len(unit_ids) > MANY_UNITS:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_KIND_LOCK_CLASS, kind_key])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [_KIND_LOCK_CLASS, kind_key])
        cursor.execute("SELECT pg_advisory_xact_lock(%s, u) FROM unnest(%s::int[]) AS u ORDER BY u",
                       [_LOCK_CLASS, list(unit_ids)])


def _apply(kind, delta):
    """Add the differences, creating missing rows (a unit that starts reporting an indicator)."""
    if not delta:
        return
    table = connection.ops.quote_name(KindTotal._meta.db_table)
    rows = [(ind, kind, per, mode, d[0], d[1], d[2], d[3], d[4]) for (ind, per, mode), d in sorted(delta.items())]
    if connection.vendor == "postgresql":
        adapt = list
    else:
        def adapt(r):
            return [*r[:4], connection.ops.adapt_decimalfield_value(r[4], 34, 6), *r[5:]]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (indicator_id, kind, period_id, with_submitted, total, units, \"values\", "
            "estimates, unapproved) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (indicator_id, kind, period_id, with_submitted) DO UPDATE SET "
            f"total = {table}.total + excluded.total, units = {table}.units + excluded.units, "
            f"\"values\" = {table}.\"values\" + excluded.\"values\", "
            f"estimates = {table}.estimates + excluded.estimates, "
            f"unapproved = {table}.unapproved + excluded.unapproved",
            [adapt(r) for r in rows])


# --- reading -------------------------------------------------------------------------------


class LazyIds(Sequence):
    """The ids of the values behind a figure: the count is known, the ids are computed when
    first read (by `fetch`, shared by all the figures of one call)."""

    def __init__(self, count, fetch):
        self._count, self._fetch, self._ids = count, fetch, None

    def _load(self):
        if self._ids is None:
            self._ids = list(self._fetch())
        return self._ids

    def __len__(self):
        return self._count

    def __getitem__(self, i):
        return self._load()[i]

    def __iter__(self):
        return iter(self._load())

    def __contains__(self, pk):
        return pk in self._load()

    def __add__(self, other):
        return LazyIds(self._count + len(other), lambda: list(self) + list(other))

    def __eq__(self, other):
        return list(self) == list(other)

    def __repr__(self):
        return f"LazyIds({self._count})"


def national_bulk(indicators, pids, *, include_submitted=False, live) -> dict[int, dict[str, Result]]:
    """aggregate.national_bulk from the kind totals (default option only). `live` is the live
    engine, used for the ids when they are read."""
    results = {i.pk: {} for i in indicators}
    if not pids:
        return results
    periods = {p.code: p for p in Period.objects.filter(code__in=[p.code for p in pids])}
    for pid in pids:
        if pid.code not in periods:
            periods[pid.code] = Period.objects.for_id(pid)
    traced = {}

    def ids_of(indicator_pk, code):
        if "live" not in traced:
            traced["live"] = live(indicators, pids, include_submitted=include_submitted)
        return traced["live"][indicator_pk][code].value_ids

    todo = list(indicators)
    for kinds in NATIONAL_SOURCES:
        if not todo:
            break
        needed = {p.code for p in pids if any(p.code not in results[i.pk] for i in todo)}
        pending = ensure_built(kinds, [periods[c] for c in needed])
        if pending:   # a large kind not built yet: this group's figures live, this once
            national_from_kinds(kinds, todo, [p for p in pids if periods[p.code].pk in pending], None,
                                include_submitted, results)
            needed = {c for c in needed if periods[c].pk not in pending}
        totals = {}
        for t in KindTotal.objects.filter(
                kind__in=kinds, period_id__in=[periods[c].pk for c in needed], with_submitted=include_submitted,
                indicator_id__in=_base_ids(todo)).values_list(
                "indicator_id", "period_id", "total", "units", "values", "estimates", "unapproved"):
            _merge(totals, t[:2], t[2:])
        for indicator in todo:
            found = results[indicator.pk]
            for code in needed - set(found):
                r = _result(indicator, periods[code].pk, totals, lambda pk=indicator.pk, c=code: ids_of(pk, c))
                if r.value is not None:
                    r.kinds = tuple(kinds)
                    found[code] = r
        todo = [i for i in todo if len(results[i.pk]) < len(pids)]
    return {i.pk: {p.code: results[i.pk].get(p.code) or Result(None) for p in pids} for i in indicators}


def _result(indicator, period_pk, totals, fetch_ids) -> Result:
    if indicator.is_ratio:
        num = _result(indicator.numerator, period_pk, totals, lambda: [])
        den = _result(indicator.denominator, period_pk, totals, lambda: [])
        r = _ratio(indicator, num, den)
        if r.value is not None:
            r.value_ids = LazyIds(len(num.value_ids) + len(den.value_ids), fetch_ids)
        return r
    t = totals.get((indicator.pk, period_pk))
    if not t or not t[1]:
        return Result(None)
    total, units, values, estimates, unapproved = t
    return by_rule(indicator, total, units, value_ids=LazyIds(values, fetch_ids), estimate=estimates > 0,
                   provisional=unapproved > 0)
