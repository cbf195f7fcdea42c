"""The national dataset for the benchmarks, deterministic and fast to load.

    python -m bench.generate --profile small|medium|full|national2030 --database-url postgres://...
    python -m bench.generate --profile national2030 --dry-run ...   # counts only, nothing stays

Uses the real catalog (load_catalog) and its forms: provincial departments and ministry units
on every form assigned to them, the catalog's enterprises, plus generated enterprises coded
like the catalog's (POSTAL_0001 on BCCP-02 quarterly, DIGITAL_00001 on CNICT-6T, the digital
technology industry's form, six-monthly in the catalog). Periods run from January of the first
year of history to the last period already due. Submissions due more than 45 days ago are
approved, recent ones are spread over the workflow's states, as in the demo.

Why not load_demo: the demo splits published national figures exactly over ~100 units; at
national scale we need tens of millions of plausible values in minutes. Values are seeded by
names (CRC32) like the demo, so every run gives the same rows for the same profile and date.

Loading: values are streamed to PostgreSQL with COPY (executemany in chunks on SQLite, small
profile), and their creation audit entries are written by one INSERT ... SELECT
(values.audit_created). Everything is one transaction: a failure stores nothing. Into an
empty table with more than LARGE_LOAD values, secondary indexes and foreign keys are dropped
for the load and recreated after it (one sort per index instead of 10^7 random inserts).
A row in `bench_dataset` records what was loaded; generating the same profile again is a no-op.

Profile national2030: the issue's sizing (~30 million values) at the ministry's 2030 target,
100.000 digital technology enterprises reporting *quarterly* as the issue states, 1.000 postal
enterprises, provinces and ministry units as in full. The catalog's CNICT-6T is six-monthly and
a quarterly submission cannot belong to it (the API picks the assigned form whose period type
is the value's), so this profile creates, in the bench database only (never in the catalog
files), CNICT-6T-QUY: a quarterly copy of CNICT-6T (same rows, indicators, deadline rule).
DIGITAL_* enterprises report their history on it; they keep their CNICT-6T assignment, so
bench.bulk_import still imports CNICT-6T's next half-year for them as in full.
"""

import argparse
import json
import random
import sys
import time
import zlib
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from bench import progress_done, progress_line, setup_django

POSTAL_FORM = "BCCP-02"
DIGITAL_FORM = "CNICT-6T"
DIGITAL_QUARTERLY_FORM = "CNICT-6T-QUY"  # bench databases only (profile flag digital_quarterly)
LARGE_LOAD = 500_000
MARKER_TABLE = "bench_dataset"
SOURCE = "Dữ liệu đo hiệu năng (bench.generate)"


@dataclass(frozen=True)
class Profile:
    name: str
    years: int      # of history, ending with the last period due
    postal: int     # generated postal enterprises (BCCP-02, quarterly)
    digital: int    # generated digital technology enterprises (CNICT-6T)
    digital_quarterly: bool = False  # their history quarterly, on DIGITAL_QUARTERLY_FORM


PROFILES = {
    "small": Profile("small", years=1, postal=20, digital=200),
    "medium": Profile("medium", years=5, postal=200, digital=8_000),
    "full": Profile("full", years=5, postal=1_000, digital=80_000),
    "national2030": Profile("national2030", years=5, postal=1_000, digital=100_000, digital_quarterly=True),
}


def profile_record(profile) -> dict:
    """The profile as stored in bench_dataset; without the flag when it is off, so the records
    of databases loaded before the flag existed still match."""
    record = asdict(profile)
    if not record.get("digital_quarterly"):
        record.pop("digital_quarterly", None)
    return record


def stable(*parts) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


# ---------------------------------------------------------------------------------------------
# Units and what they report
# ---------------------------------------------------------------------------------------------


def ensure_enterprises(profile):
    """Generated enterprises and their form assignments, created once, same codes every run."""
    from solieu.catalog.models import Form, FormAssignment, ReportingUnit

    wanted = [(f"POSTAL_{n:04d}", f"Doanh nghiệp bưu chính số {n:04d}", POSTAL_FORM)
              for n in range(1, profile.postal + 1)]
    wanted += [(f"DIGITAL_{n:05d}", f"Doanh nghiệp công nghệ số {n:05d}", DIGITAL_FORM)
               for n in range(1, profile.digital + 1)]
    have = set(ReportingUnit.objects.filter(code__in=[c for c, _, _ in wanted]).values_list("code", flat=True))
    ReportingUnit.objects.bulk_create(
        [ReportingUnit(code=c, name=n, short_name=n, kind=ReportingUnit.Kind.ENTERPRISE)
         for c, n, _ in wanted if c not in have], batch_size=5000)
    units = dict(ReportingUnit.objects.filter(code__in=[c for c, _, _ in wanted]).values_list("code", "id"))
    if profile.digital_quarterly:
        ensure_quarterly_form()
        wanted += [(c, n, DIGITAL_QUARTERLY_FORM) for c, n, f in wanted if f == DIGITAL_FORM]
    forms = {f.code: f for f in Form.objects.filter(
        code__in=[POSTAL_FORM, DIGITAL_FORM, DIGITAL_QUARTERLY_FORM], active=True)}
    assigned = set(FormAssignment.objects.filter(unit_id__in=units.values()).values_list("unit_id", "form_id"))
    FormAssignment.objects.bulk_create(
        [FormAssignment(form=forms[f], unit_id=units[c]) for c, _, f in wanted
         if (units[c], forms[f].id) not in assigned], batch_size=5000)


def ensure_quarterly_form():
    """CNICT-6T-QUY, a quarterly copy of the catalog's six-monthly CNICT-6T, in this database
    only: the issue sizes the digital enterprises' reporting as quarterly."""
    from solieu.catalog.models import Form, FormDeadline, FormRow

    if Form.objects.filter(code=DIGITAL_QUARTERLY_FORM).exists():
        return
    source = Form.objects.prefetch_related("deadlines").get(code=DIGITAL_FORM, active=True)
    form = Form.objects.create(
        code=DIGITAL_QUARTERLY_FORM, version=1, name=f"{source.name} (theo quý, chỉ dùng để đo hiệu năng)",
        sector_id=source.sector_id, regime=source.regime, period_type="quarter",
        receiving_unit_id=source.receiving_unit_id, legal_source=source.legal_source,
        description="Biến thể theo quý của biểu CNICT-6T, do bench.generate tạo trong CSDL đo hiệu năng.",
        on_time_days=source.on_time_days, expiry_days=source.expiry_days)
    FormDeadline.objects.bulk_create([FormDeadline(form=form, tier=d.tier, month_offset=d.month_offset, day=d.day)
                                      for d in source.deadlines.all()])
    copies = {}
    for row in source.rows.order_by("sort_order", "id"):  # parents come before their children
        copies[row.id] = FormRow.objects.create(
            form=form, code=row.code, indicator_id=row.indicator_id, label=row.label,
            parent=copies.get(row.parent_id), is_total=row.is_total, disaggregation_id=row.disaggregation_id,
            required=row.required, sort_order=row.sort_order)


@dataclass
class Row:
    indicator_id: int
    sector_id: int
    code: str
    parent: str | None       # code of the parent row on the form
    options: list            # option ids of the row's disaggregation
    decimals: int
    percent: bool
    rank: bool
    lower: float | None
    upper: float | None
    base: float              # magnitude of a typical unit's figure


def form_rows(form):
    from solieu.catalog.models import Indicator

    rows = []
    for fr in form.rows.filter(indicator__isnull=False).select_related("indicator", "parent").prefetch_related(
            "disaggregation__options").order_by("sort_order", "id"):
        ind = fr.indicator
        rank = ind.value_type == Indicator.ValueType.RANK
        integer = ind.value_type in (Indicator.ValueType.INTEGER, Indicator.ValueType.RANK)
        percent = ind.value_type == Indicator.ValueType.PERCENT or "%" in ind.unit
        rng = random.Random(stable("base", ind.code))
        base = rng.uniform(40, 95) if percent else 10 ** rng.uniform(1.5, 4.5)
        rows.append(Row(
            indicator_id=ind.id, sector_id=ind.sector_id, code=fr.code,
            parent=fr.parent.code if fr.parent_id else None,
            options=[o.id for o in fr.disaggregation.options.all()] if fr.disaggregation_id else [],
            decimals=0 if integer else min(ind.decimals, 6), percent=percent, rank=rank,
            lower=float(ind.min_value) if ind.min_value is not None else None,
            upper=float(ind.max_value) if ind.max_value is not None else None, base=base,
        ))
    return rows


def periods_of(form, first_day, until):
    from solieu.catalog.periods import PeriodId, PeriodType

    pid = PeriodId.containing(PeriodType(form.period_type), first_day)
    while form.deadline_for(pid) <= until:
        yield pid
        pid = pid.next()


@dataclass
class Task:
    """One submission to write: its id, the rows it carries and its state."""

    submission_id: int
    form: object
    rows: list
    unit_id: int
    unit_code: str
    unit_factor: float
    period_id: int
    period_code: str
    step: int                 # how many periods since the first: values grow with it
    value_status: str
    stamp: str                # when the values were entered (UTC)


def plan(profile, until, first_submission_id, pg):
    """Submissions (as rows for the table) and the tasks that fill them, in a fixed order."""
    from solieu.catalog.models import Form, FormAssignment, Period, ReportingUnit
    from solieu.collection.models import SubmissionStatus, ValueStatus

    ministry = {ReportingUnit.Kind.MINISTRY, ReportingUnit.Kind.MINISTRY_DEPARTMENT}
    first_day = date(until.year - profile.years + 1, 1, 1)
    if profile.years == 1:  # the last twelve months rather than one calendar year
        first_day = date(until.year - 1, until.month, 1)
    generated = ("POSTAL_", "DIGITAL_")
    postal_codes = {f"POSTAL_{n:04d}" for n in range(1, profile.postal + 1)}
    digital_codes = {f"DIGITAL_{n:05d}" for n in range(1, profile.digital + 1)}
    if profile.digital_quarterly:  # their history is on the quarterly copy, not on CNICT-6T
        skip = {(DIGITAL_FORM, c) for c in digital_codes}
    else:
        skip = {(DIGITAL_QUARTERLY_FORM, c) for c in digital_codes}
    submissions, tasks = [], []
    periods = {}
    next_id = first_submission_id
    for form in Form.objects.filter(active=True).prefetch_related("deadlines").order_by("code", "version"):
        rows = form_rows(form)
        if not rows:
            continue
        assignments = [a for a in FormAssignment.objects.filter(form=form).select_related("unit")
                       .prefetch_related("unit__sectors").order_by("unit__code")
                       if (not a.unit.code.startswith(generated)
                           or a.unit.code in postal_codes or a.unit.code in digital_codes)
                       and (form.code, a.unit.code) not in skip]
        unit_rows = {}
        for a in assignments:
            if a.unit.kind in ministry:  # a ministry unit fills the rows of its own sectors
                sectors = {s.id for s in a.unit.sectors.all()}
                unit_rows[a.unit.id] = [r for r in rows if r.sector_id in sectors]
            else:
                unit_rows[a.unit.id] = rows
        for step, pid in enumerate(periods_of(form, first_day, until)):
            if pid.code not in periods:
                periods[pid.code] = Period.objects.for_id(pid).id
            deadline = form.deadline_for(pid)
            recent = (until - deadline).days < 45
            estimate = (until - pid.end_date).days < 60 and form.regime == Form.Regime.PERIODIC
            for a in assignments:
                day = pid.end_date
                if not (a.is_valid_on(day) and a.unit.is_valid_on(day)) or not unit_rows[a.unit.id]:
                    continue
                rng = random.Random(stable("submission", form.code, a.unit.code, pid.code))
                sent_day = deadline - timedelta(days=rng.randint(0, 8))
                if rng.random() < 0.06:
                    sent_day = deadline + timedelta(days=rng.randint(1, 12))
                status = SubmissionStatus.APPROVED
                if recent:
                    status = rng.choices([SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED,
                                          SubmissionStatus.RETURNED, SubmissionStatus.DRAFT],
                                         weights=[55, 25, 5, 15])[0]
                sent = status != SubmissionStatus.DRAFT and sent_day <= until
                if not sent:
                    status, sent_day = SubmissionStatus.DRAFT, min(sent_day, until)
                decided = status in (SubmissionStatus.APPROVED, SubmissionStatus.RETURNED)
                stamp = timestamp(sent_day, pg)
                submissions.append((
                    next_id, form.id, a.unit.id, periods[pid.code], status, form.version, stamp, stamp,
                    stamp if sent else None, timestamp(min(sent_day + timedelta(days=3), until), pg) if decided
                    else None, "Đề nghị kiểm tra lại số liệu (dữ liệu đo hiệu năng)." if
                    status == SubmissionStatus.RETURNED else "",
                ))
                tasks.append(Task(
                    next_id, form, unit_rows[a.unit.id], a.unit.id, a.unit.code,
                    random.Random(stable("unit", a.unit.code)).uniform(0.3, 3.0), periods[pid.code], pid.code,
                    step, ValueStatus.ESTIMATE if estimate else ValueStatus.OFFICIAL, stamp,
                ))
                next_id += 1
    return submissions, tasks


def timestamp(day, pg):
    """09:00 in Vietnam, as the database expects a timestamp in UTC."""
    return f"{day.isoformat()} 02:00:00" + ("+00" if pg else "")


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def scaled_text(units: int, decimals: int) -> str:
    if not decimals:
        return str(units)
    sign = "-" if units < 0 else ""
    units = abs(units)
    scale = 10 ** decimals
    return f"{sign}{units // scale}.{units % scale:0{decimals}d}"


def split_units(total: int, weights: list[float]) -> list[int]:
    """Largest remainder on integers (demo.split_exact without Decimals, for speed)."""
    wsum = sum(weights)
    raw = [total * w / wsum for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: max(total - sum(parts), 0)]:
        parts[i] += 1
    return parts


def task_values(task, total_option_id):
    """(indicator id, option id, value text) of one submission, deterministic."""
    rng = random.Random(stable("values", task.unit_code, task.form.code, task.period_code))
    growth = 1.015 ** task.step
    found = []
    made = {}
    for row in task.rows:
        if row.rank:
            x = float(rng.randint(1, 63))
        elif row.parent in made:
            x = made[row.parent] * rng.uniform(0.1, 0.6)
        elif row.percent:
            x = min(row.base * rng.uniform(0.85, 1.1), 100.0)
        else:
            x = row.base * task.unit_factor * growth * rng.uniform(0.9, 1.1)
        if row.lower is not None:
            x = max(x, row.lower)
        if row.upper is not None:
            x = min(x, row.upper)
        units = int(round(x * 10 ** row.decimals))
        made[row.code] = units / 10 ** row.decimals
        found.append((row.indicator_id, total_option_id, scaled_text(units, row.decimals)))
        if row.options:
            weights = [rng.uniform(0.2, 2.0) for _ in row.options]
            for option_id, part in zip(row.options, split_units(units, weights)):
                found.append((row.indicator_id, option_id, scaled_text(part, row.decimals)))
    return found


VALUE_COLUMNS = ["id", "indicator_id", "option_id", "unit_id", "period_id", "value", "status", "comment",
                 "followup", "form_id", "form_version", "channel", "source", "revision", "created_at",
                 "created_by_id", "updated_at", "updated_by_id", "submission_id", "deleted_at"]
SUBMISSION_COLUMNS = ["id", "form_id", "unit_id", "period_id", "status", "form_version", "created_at",
                      "updated_at", "submitted_at", "decided_at", "return_reason"]


def value_rows(tasks, first_id, total_option_id, channel_for):
    """Value tuples in VALUE_COLUMNS order."""
    pk = first_id
    for t in tasks:
        channel = channel_for(t.unit_code)
        for indicator_id, option_id, text in task_values(t, total_option_id):
            yield (pk, indicator_id, option_id, t.unit_id, t.period_id, text, t.value_status, "", False,
                   t.form.id, t.form.version, channel, SOURCE, 1, t.stamp, None, t.stamp, None,
                   t.submission_id, None)
            pk += 1


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _copy_text(row):
    return "\t".join("\\N" if v is None else ("t" if v is True else "f" if v is False else str(v))
                     for v in row) + "\n"


def copy_rows(cursor, table, columns, rows, label, total=None):
    """COPY rows into `table` in ~1 MB writes; returns the count."""
    n = 0
    sql = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
    with cursor.copy(sql) as copy:
        buf = []
        for row in rows:
            buf.append(_copy_text(row))
            n += 1
            if len(buf) == 10_000:
                copy.write("".join(buf))
                buf.clear()
                if label and n % 100_000 == 0:
                    progress_line(label, n, total)
        if buf:
            copy.write("".join(buf))
    if label:
        progress_line(label, n, total)
        progress_done()
    return n


def insert_rows(cursor, table, columns, rows, label, total=None):
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join(["%s"] * len(columns))})'
    n, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == 5000:
            cursor.executemany(sql, chunk)
            n += len(chunk)
            chunk.clear()
            if label:
                progress_line(label, n, total)
    if chunk:
        cursor.executemany(sql, chunk)
        n += len(chunk)
    if label:
        progress_line(label, n, total)
        progress_done()
    return n


def drop_secondary(cursor, tables):
    """Drop the indexes (not the primary keys) and foreign keys of `tables`; returns the SQL
    that recreates them."""
    restore = []
    for table in tables:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s AND NOT EXISTS "
                       "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [table])
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            restore.insert(0, definition)  # indexes before the foreign keys that use them
    return restore


def _max_id(cursor, table):
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
    return cursor.fetchone()[0]


def read_marker(cursor):
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names(cursor):
        return None
    cursor.execute(f"SELECT info FROM {MARKER_TABLE} ORDER BY id DESC LIMIT 1")
    row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_marker(cursor, info):
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names(cursor):
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (id integer PRIMARY KEY, info text NOT NULL)")
    cursor.execute(f"DELETE FROM {MARKER_TABLE}")
    cursor.execute(f"INSERT INTO {MARKER_TABLE} (id, info) VALUES (1, %s)", [json.dumps(info)])


def clear_collection(cursor, pg):
    """Remove every submission and value (bench databases only: the trail goes too)."""
    from solieu.collection.models import DataValue, DataValueAudit, Reminder, Submission, SubmissionEvent

    tables = [m._meta.db_table for m in (DataValueAudit, DataValue, SubmissionEvent, Reminder, Submission)]
    if pg:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
    else:
        for t in tables:
            cursor.execute(f'DELETE FROM "{t}"')


def migrate():
    """All migrations; if one app's fails (work in progress elsewhere), the others still apply,
    so the dataset can load, and the failure is shown."""
    from django.apps import apps
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
    except Exception as exc:  # noqa: BLE001 (reported, then each app on its own)
        sys.stderr.write(f"migrate: {exc!r}; áp dụng từng ứng dụng\n")
        for config in apps.get_app_configs():
            try:
                call_command("migrate", config.label, verbosity=0)
            except Exception as app_exc:  # noqa: BLE001
                sys.stderr.write(f"migrate {config.label}: {app_exc!r}\n")


def _count_by_form(tasks):
    counts = {}
    for t in tasks:
        counts[t.form.code] = counts.get(t.form.code, 0) + len(t.rows) + sum(len(r.options) for r in t.rows)
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def generate(profile="small", *, database_url=None, reset=False, until=None, quiet=False, dry_run=False) -> dict:
    """Load the dataset of `profile` (a name or a Profile) into the database; returns its counts.

    Already loaded with the same profile (and `until`, when given): returns the stored counts
    without work.
    A database holding other values is refused unless `reset`, which clears all collection data.
    `database_url` is used only when Django is not set up yet in this process.
    `dry_run`: plan only and return the counts (values, submissions, units), writing no value;
    the catalog and the generated enterprises it needs stay (the load would make them anyway).
    """
    from django.apps import apps

    if not apps.ready:
        setup_django(database_url)
        migrate()
    from django.db import connection, transaction

    from solieu.catalog.loader import load_catalog
    from solieu.catalog.models import DisaggregationOption, Form
    from solieu.collection.models import Channel, DataValue, DataValueAudit, Submission
    from solieu.collection.values import audit_created

    if isinstance(profile, str):
        profile = PROFILES[profile]
    pg = connection.vendor == "postgresql"
    if not pg and profile.name in ("full", "national2030"):
        raise SystemExit("Bộ dữ liệu full chỉ nạp vào PostgreSQL.")
    with connection.cursor() as cursor:
        marker = read_marker(cursor)
    if marker and not reset and marker.get("profile") == profile_record(profile) and (
            until is None or marker.get("until") == until.isoformat()):
        return marker  # loaded before (without `until`: whatever day it was loaded up to)
    until = until or date.today()
    wanted = {"profile": profile_record(profile), "until": until.isoformat()}
    if DataValue.objects.exists() and not reset:
        raise SystemExit("CSDL đã có số liệu khác; chạy lại với --reset để xóa số liệu và nạp bộ dữ liệu đo.")
    started = time.monotonic()
    if not Form.objects.exists():
        load_catalog(progress=None if quiet else lambda n, total, label: progress_line("danh mục", n, total))
        if not quiet:
            progress_done()
    ensure_enterprises(profile)
    total_option = DisaggregationOption.total()
    value_table, audit_table, sub_table = (DataValue._meta.db_table, DataValueAudit._meta.db_table,
                                           Submission._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if reset:
            clear_collection(cursor, pg)
        if pg:
            cursor.execute(f'LOCK TABLE "{sub_table}", "{value_table}", "{audit_table}" IN EXCLUSIVE MODE')
        first_submission = _max_id(cursor, sub_table) + 1
        submissions, tasks = plan(profile, until, first_submission, pg)
        planned = sum(len(t.rows) + sum(len(r.options) for r in t.rows) for t in tasks)
        if dry_run:
            transaction.set_rollback(True)
            return {**wanted, "dry_run": True, "values": planned, "submissions": len(submissions),
                    "units": len({t.unit_id for t in tasks}),
                    "values_by_form": _count_by_form(tasks), "seconds": round(time.monotonic() - started, 1)}
        first_value = _max_id(cursor, value_table) + 1
        empty = first_value == 1 and _max_id(cursor, audit_table) == 0
        restore = drop_secondary(cursor, [value_table, audit_table]) if pg and empty and planned > LARGE_LOAD \
            else []

        def channel_for(code):
            return Channel.API if code.startswith(("POSTAL_", "DIGITAL_")) else Channel.WEB

        load = copy_rows if pg else insert_rows
        n_sub = load(cursor, sub_table, SUBMISSION_COLUMNS, submissions, None if quiet else "báo cáo",
                     len(submissions))
        rows = value_rows(tasks, first_value, total_option.id, channel_for)
        n_values = load(cursor, value_table, VALUE_COLUMNS, rows, None if quiet else "số liệu", planned)
        if not quiet:
            sys.stderr.write("nhật ký thay đổi (INSERT ... SELECT)...\n")
        n_audit = audit_created(cursor, first_value, first_value + n_values - 1)
        if restore and not quiet:
            sys.stderr.write(f"tạo lại {len(restore)} chỉ mục và khóa ngoại...\n")
        for sql in restore:
            cursor.execute(sql)
        if pg:
            for table in (sub_table, value_table, audit_table):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                               f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))', [table])
        info = {**wanted, "values": n_values, "audit": n_audit, "submissions": n_sub,
                "units": len({t.unit_id for t in tasks}), "seconds": round(time.monotonic() - started, 1),
                "indexes_rebuilt": bool(restore)}
        write_marker(cursor, info)
        # The rows went in by COPY, past values.py: totals built before are stale (sums.py).
        from solieu.analytics import sums

        sums.drop()
    if pg:
        # What autovacuum would do in production (it may be off on a test server, as on the
        # benchmark machine): statistics for every table, the catalog's joins included, or the
        # planner probes 80.000 units one by one; a visibility map for index-only scans.
        with connection.cursor() as cursor:
            for table in (sub_table, value_table, audit_table):
                cursor.execute(f'VACUUM (ANALYZE) "{table}"')
            cursor.execute("ANALYZE")
    return info


def main(argv=None):
    parser = argparse.ArgumentParser(description="Nạp bộ dữ liệu đo hiệu năng toàn quốc.")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
    parser.add_argument("--database-url", help="mặc định: biến môi trường DATABASE_URL")
    parser.add_argument("--reset", action="store_true", help="xóa mọi số liệu, báo cáo rồi nạp lại")
    parser.add_argument("--until", type=date.fromisoformat, help="ngày coi là hôm nay (mặc định: hôm nay)")
    parser.add_argument("--dry-run", action="store_true", help="chỉ đếm số liệu sẽ nạp, không ghi số liệu")
    args = parser.parse_args(argv)
    info = generate(args.profile, database_url=args.database_url, reset=args.reset, until=args.until,
                    dry_run=args.dry_run)
    print(json.dumps(info, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
