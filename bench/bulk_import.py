"""Bulk import through the product against PostgreSQL COPY of the same rows.

The rows: the next half-year of CNICT-6T (the first not yet due when the dataset was made) for
the first generated digital enterprises, values made by bench.generate's own rule, so they
pass the form's checks; COUNTS[profile] values. Three measurements, each in its own
subprocess (`--child NAME`) so that its peak resident memory (ru_maxrss) is its own:

- copy: the reference. The same rows, codes already resolved to ids, COPY'd into a bare,
  logged table with DataValue's columns (no index, no constraint, no audit). Values per second.
- dhis2: the product's import path as an integrator calls it: DHIS2 dataValueSets JSON payloads
  of 30.000 values (under the API's 5 MB) handed to solieu.api.dhis2.import_values, the
  service behind POST /api/dataValueSets, by an administrator (Principal): codes resolved,
  scope and locks checked, every cell validated, values and audit entries written, history
  warnings computed. The payloads are built before the clock starts; parsing them is timed.
- dhis2_rowwise: the same with Importer.use_bulk = False, every value through entry.save_cell
  (the path before issue 8), on a tenth of the rows, at most ROWWISE_MAX (its rate does not
  depend on the count).

Everything a child writes is rolled back, so the shared dataset stays as generated.
Target (issue 8): the import at least half as fast as the COPY (ratio >= 0.5).
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench import setup_django

ROOT = Path(__file__).resolve().parent.parent
COUNTS = {"small": 2_600, "medium": 100_000, "full": 200_000, "national2030": 200_000}
ROWWISE_SHARE = 10
ROWWISE_MAX = 5_000
CHILDREN = ("copy", "dhis2", "dhis2_rowwise")
TARGET_RATIO = 0.5
PAYLOAD = 30_000  # values per request: 50.000 is the API limit, but 5 MB comes first (~140 bytes a value)


def _rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- the rows ------------------------------------------------------------------------------


def import_rows(count):
    """[(indicator code, option code, unit code, period code, value text, ids...)] deterministic."""
    from solieu.catalog.models import DisaggregationOption, Form, Period, ReportingUnit
    from solieu.catalog.periods import PeriodId, PeriodType

    from bench import generate

    with_marker = _marker() or {}
    until = date.fromisoformat(with_marker.get("until") or date.today().isoformat())
    form = Form.objects.get(code=generate.DIGITAL_FORM, active=True)
    pid = PeriodId.containing(PeriodType(form.period_type), until)
    while form.deadline_for(pid) <= until:
        pid = pid.next()
    period = Period.objects.for_id(pid)
    rows = generate.form_rows(form)
    per_unit = len(rows) + sum(len(r.options) for r in rows)
    units = list(ReportingUnit.objects.filter(code__startswith="DIGITAL_").order_by("code")
                 .values_list("id", "code")[: -(-count // per_unit)])
    total = DisaggregationOption.total()
    codes = {o.id: o.code for o in DisaggregationOption.objects.all()}
    indicators = dict(form.rows.filter(indicator__isnull=False).values_list("indicator_id", "indicator__code"))
    out = []
    for unit_id, code in units:
        factor = random.Random(generate.stable("unit", code)).uniform(0.3, 3.0)
        task = generate.Task(0, form, rows, unit_id, code, factor, period.id, pid.code, 10, "official", "")
        for indicator_id, option_id, text in generate.task_values(task, total.id):
            out.append((indicators[indicator_id], codes[option_id], code, pid.code, text,
                        indicator_id, option_id, unit_id, period.id))
    return out[:count], form


def _marker():
    from django.db import connection

    from bench.generate import read_marker

    with connection.cursor() as cursor:
        return read_marker(cursor)


# --- the children --------------------------------------------------------------------------


def child_copy(count):
    from django.db import connection, transaction
    from django.utils import timezone

    rows, form = import_rows(count)
    now = timezone.now().isoformat()
    lines = [f"{i}\t{ind}\t{opt}\t{unit}\t{per}\t{text}\tofficial\t\tf\t{form.id}\t{form.version}\tdhis2\tAPI\t1\t"
             f"{now}\t\\N\t{now}\t\\N\t\\N\t\\N\n"
             for i, (_, _, _, _, text, ind, opt, unit, per) in enumerate(rows, 1)]
    base = _rss_mb()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_copy_reference (LIKE collection_datavalue INCLUDING DEFAULTS)")
        started = time.perf_counter()
        with cursor.copy("COPY bench_copy_reference (id, indicator_id, option_id, unit_id, period_id, value, status, "
                         "comment, followup, form_id, form_version, channel, source, revision, created_at, "
                         "created_by_id, updated_at, updated_by_id, submission_id, deleted_at) FROM STDIN") as copy:
            for i in range(0, len(lines), 10_000):
                copy.write("".join(lines[i:i + 10_000]))
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"values": len(rows), "seconds": round(seconds, 3), "rss_before_mb": base, "table": "logged, no index"}


def child_dhis2(count, use_bulk=True):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import RequestFactory

    from solieu.api import data, dhis2
    from solieu.api.auth import Principal

    data.Importer.use_bulk = use_bulk
    rows, form = import_rows(count)
    payloads = []
    for i in range(0, len(rows), PAYLOAD):
        payloads.append(json.dumps({"dataSet": form.code, "dataValues": [
            {"dataElement": ind, "categoryOptionCombo": "default" if opt == "TOTAL" else opt, "orgUnit": unit,
             "period": per, "value": text} for ind, opt, unit, per, text, *_ in rows[i:i + PAYLOAD]]}))
    factory = RequestFactory()
    base = _rss_mb()
    counts = {"imported": 0, "updated": 0, "ignored": 0, "conflicts": 0, "warnings": 0}
    with transaction.atomic():
        admin = get_user_model().objects.create(username="bench-import", is_superuser=True)
        principal = Principal(user=admin)
        started = time.perf_counter()
        for n, body in enumerate(payloads, 1):
            request = factory.post("/api/dataValueSets", body, content_type="application/json")
            request.auth = principal
            response = dhis2.import_values(request)
            summary = json.loads(response.content)
            for key in ("imported", "updated", "ignored"):
                counts[key] += summary["importCount"][key]
            counts["conflicts"] += len(summary["conflicts"])
            counts["warnings"] += len(summary["warnings"])
            if summary["conflicts"] and not counts.get("first_conflict"):
                counts["first_conflict"] = summary["conflicts"][0]
            sys.stderr.write(f"\rnhập {n}/{len(payloads)} gói   ")
        seconds = time.perf_counter() - started
        sys.stderr.write("\n")
        transaction.set_rollback(True)
    return {"values": len(rows), "seconds": round(seconds, 3), "rss_before_mb": base, "payloads": len(payloads),
            "use_bulk": use_bulk, **counts}


def child(name, count):
    if name == "copy":
        result = child_copy(count)
    elif name == "dhis2":
        result = child_dhis2(count)
    else:
        result = child_dhis2(min(max(count // ROWWISE_SHARE, 1), ROWWISE_MAX), use_bulk=False)
    result["values_per_s"] = round(result["values"] / result["seconds"]) if result["seconds"] else None
    result["rss_peak_mb"] = _rss_mb()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["process_cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)  # whole child, set-up included
    result["load_average"] = os.getloadavg()[0]
    return result


# --- the parent ----------------------------------------------------------------------------


def _vacuum(url):
    """Every child rolls back what it wrote: without autovacuum (off on the benchmark machine)
    the dead rows of one run slow the next. What autovacuum would have done, before each."""
    if not url.startswith("postgres"):
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("collection_datavalue", "collection_datavalueaudit", "collection_submission"):
            conn.execute(f"VACUUM {table}")


def run(ctx) -> dict:
    """Each measurement in its own subprocess; the ratio to COPY and the target."""
    url = ctx.get("database_url") or os.environ.get("DATABASE_URL", "")
    profile = ctx.get("profile") or "small"
    count = int(ctx.get("count") or COUNTS[profile])
    results = {"benchmark": "bulk_import", "profile": profile, "count": count}
    for name in ctx.get("only") or CHILDREN:
        _vacuum(url)
        sys.stderr.write(f"bulk_import: {name}...\n")
        env = {**os.environ, "DATABASE_URL": url} if url else dict(os.environ)
        proc = subprocess.run([sys.executable, "-m", "bench.bulk_import", "--child", name, "--count", str(count)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode:
            results[name] = {"error": proc.stderr.strip().splitlines()[-1:] or ["?"]}
            continue
        results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    copy, product, rowwise = (results.get(n, {}).get("values_per_s") for n in CHILDREN)
    if copy and product:
        results["ratio"] = round(product / copy, 3)
        results["target_ratio"] = TARGET_RATIO
        results["target_met"] = results["ratio"] >= TARGET_RATIO
    if product and rowwise:
        results["speedup_over_rowwise"] = round(product / rowwise, 1)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description="Đo nhập số liệu hàng loạt so với COPY của PostgreSQL.")
    parser.add_argument("--database-url")
    parser.add_argument("--profile", default="small")
    parser.add_argument("--count", type=int)
    parser.add_argument("--child", choices=CHILDREN)
    parser.add_argument("--only", nargs="*", choices=CHILDREN)
    args = parser.parse_args(argv)
    if args.child:
        setup_django(args.database_url)
        print(json.dumps(child(args.child, args.count or COUNTS["small"])))
        return
    print(json.dumps(run({"database_url": args.database_url, "profile": args.profile, "count": args.count,
                          "only": args.only}),
                     indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
