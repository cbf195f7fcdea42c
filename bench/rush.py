"""The deadline rush: N reporters saving cells and submitting through HTTP, against gunicorn.

Issue 8 asks how the production setup (docs/deploy.md: gunicorn, 5 workers x 4 threads on 2 cores,
DEBUG off, settings from the environment) holds when every unit enters its report on the
last day. This module:

1. prepares the bench database (never the demo or test ones): one reporter user per unit
   that must submit an open period's form (provinces on BC-SO-THANG, enterprises on their
   quarterly form; synthetic enterprises `RUSH-DN-nnnn` are added when there are too few),
   and a plan of values per unit that passes the form's checks (warnings get a comment);
2. starts gunicorn as documented on a free 127.0.0.1 port and always stops it;
3. runs the load client (bench/rush_client.py, its own process, asyncio + aiohttp);
4. reads the database back: every value the server acknowledged must be stored, every
   submission acknowledged must be "submitted" (`lost` counts mismatches, must be 0);
5. writes latency percentiles, throughput, errors and memory peaks to a JSON file.

Django is only imported in the subprocesses that prepare and check (`--internal`), so that
`run(ctx)` works from any caller, whatever database that caller's Django points at.

    python -m bench.rush --database-url postgres://postgres@127.0.0.1:5432/solieu_rush_data \
        --reporters 50,200,500 --duration 120
    python -m bench.rush --smoke --database-url ...
"""

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "rush-mat-khau-2026"  # the bench's reporters only, in the bench database
THINK = (1.0, 3.0)               # seconds between two cells, uniform, seeded per reporter
SECRET_KEY = secrets.token_urlsafe(50)  # one per bench process: sessions made by prepare work on the server
WORKERS = 5                      # docs/deploy.md: 2 x cores + 1 on a 2-core server
THREADS = 4                      # docs/deploy.md: gthread, 4 threads a worker
ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s'
STATIC_ROOT = Path(tempfile.gettempdir()) / "solieu-rush-static"  # kept: collectstatic is incremental
COMMENT = "Số liệu thử tải (bench rush): đã kiểm tra lại với đơn vị."


# ---------------------------------------------------------------------------
# Orchestration (no Django here)
# ---------------------------------------------------------------------------


def _python():
    return sys.executable


def _internal(step, database_url, payload, timeout):
    """Run a Django step in a subprocess against `database_url`; returns its JSON answer."""
    with tempfile.TemporaryDirectory(prefix="rush-") as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(json.dumps(payload), encoding="utf-8")
        env = _server_env(database_url, Path(tmp), STATIC_ROOT)
        subprocess.run([_python(), "-m", "bench.rush", "--internal", step, str(src), str(dst)],
                       cwd=ROOT, env=env, check=True, timeout=timeout)
        return json.loads(dst.read_text(encoding="utf-8"))


def _server_env(database_url, data_dir, static_root=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOLIEU_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update({
        "DATABASE_URL": database_url,
        "SOLIEU_SECRET_KEY": SECRET_KEY,
        "SOLIEU_ALLOW_GENERATED_KEY": "0",
        "SOLIEU_HTTPS": "0",             # loopback without TLS; production has nginx + TLS in front
        "SOLIEU_AXES": "1",              # the production default: every login also goes through axes
        "SOLIEU_DATA_DIR": str(data_dir),
        "SOLIEU_STATIC_ROOT": str(static_root or Path(data_dir) / "static"),
        "SOLIEU_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SOLIEU_LOG_LEVEL": "WARNING",
    })
    return env


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree_rss_kb(pid):
    """RSS of a process and its descendants, from /proc (kB)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


class Sampler(threading.Thread):
    """Samples the RSS of a process tree every `every` seconds; keeps the peak."""

    def __init__(self, pid, every=0.25):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kb, self.samples = pid, every, 0, 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            self.samples += 1
            self._stop_event.wait(self.every)

    def stop(self):
        self._stop_event.set()
        self.join(5)


class Server:
    """gunicorn as docs/deploy.md runs it, on a free loopback port; `stop()` always ends it."""

    def __init__(self, database_url, workdir, workers=WORKERS, threads=THREADS):
        self.database_url, self.workdir, self.workers, self.threads = database_url, Path(workdir), workers, threads
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def command(self):
        return [_python(), "-m", "gunicorn", "solieu.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--timeout", "120",
                *(["--threads", str(self.threads)] if self.threads > 1 else []),
                "--access-logfile", str(self.workdir / "access.log"),
                "--error-logfile", str(self.workdir / "error.log"),
                # the documented format plus %(L)s, the request time in seconds, for the results
                "--access-logformat", ACCESS_FORMAT]

    def start(self, static_root):
        env = _server_env(self.database_url, self.workdir, static_root)
        self.proc = subprocess.Popen(self.command(), cwd=self.workdir, env={**env, "PYTHONPATH": str(ROOT)},
                                     stdout=open(self.workdir / "stdout.log", "wb"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {self.workdir}/error.log")
            try:
                with urllib.request.urlopen(self.base_url + "/suc-khoe/", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /suc-khoe/ within 60 s")

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of master and workers
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def install(database_url, static_root, data_dir):
    """`migrate` the bench database and `collectstatic` (hashed, compressed files), as the
    deployment does before starting gunicorn."""
    env = _server_env(database_url, data_dir, static_root)
    done = subprocess.run([_python(), "-m", "solieu.cli", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                          timeout=600, capture_output=True, text=True)
    if done.returncode:  # e.g. a migration still being written in the work tree: go on, say so
        print("warning: migrate failed, running on the schema as it is:", done.stderr.strip()[-300:], flush=True)
    if not _static_fresh(static_root):
        subprocess.run([_python(), "-m", "solieu.cli", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True, timeout=600)


def _static_fresh(static_root):
    """The collected files are newer than every static source: hashing them all again takes
    tens of seconds on a busy machine, which the smoke run cannot afford."""
    manifest = Path(static_root) / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [f for d in (ROOT / "solieu").glob("*/static") for f in d.rglob("*") if f.is_file()]
    return all(f.stat().st_mtime < manifest.stat().st_mtime for f in sources)


def percentiles(values):
    if not values:
        return {"count": 0}
    v = sorted(values)

    def p(q):
        return round(v[min(len(v) - 1, int(q * len(v)))] * 1000, 1)

    return {"count": len(v), "p50_ms": p(0.50), "p95_ms": p(0.95), "p99_ms": p(0.99),
            "max_ms": round(v[-1] * 1000, 1), "mean_ms": round(sum(v) / len(v) * 1000, 1)}


def _route(path):
    """The route of a request path, without codes: /bao-cao/*/o-so-lieu/ for every cell save."""
    if path.startswith("/static/"):
        return "/static/"
    if path.startswith("/bao-cao/"):
        tail = path.rstrip("/").split("/")
        return "/bao-cao/*/" + (tail[-1] + "/" if len(tail) > 5 else "")
    return path.split("?")[0]


def server_times(access_log):
    """Server-side time per route from gunicorn's access log (the %(L)s field)."""
    times = {}
    try:
        lines = Path(access_log).read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return {}
    for line in lines:
        try:
            request = line.split('"')[1]
            path = request.split()[1]
            seconds = float(line.rsplit(" ", 1)[1])
        except (IndexError, ValueError):
            continue
        times.setdefault(_route(path), []).append(seconds)
    return {route: {**percentiles(v), "total_s": round(sum(v), 1)} for route, v in sorted(times.items())}


def summarize(client):
    rows = client["requests"]
    phases = {}
    for phase, _start, latency, _status, kind in rows:
        ph = phases.setdefault(phase, {"lat": [], "errors": {}})
        if kind == "ok":
            ph["lat"].append(latency)
        else:
            ph["errors"][kind] = ph["errors"].get(kind, 0) + 1
    wall = client["wall_seconds"] or 1
    out = {}
    for phase, ph in phases.items():
        stats = percentiles(ph["lat"])
        stats["errors"] = ph["errors"]
        out[phase] = stats
    starts = [r[1] for r in rows]
    window = (max(starts) - min(starts)) if starts else 0
    saves = [r for r in rows if r[0] == "save"]
    save_window = (max(r[1] for r in saves) - min(r[1] for r in saves)) if len(saves) > 1 else 0
    errors = {}
    for *_x, kind in rows:
        if kind != "ok":
            errors[kind] = errors.get(kind, 0) + 1
    return {
        "phases": out,
        "requests": len(rows),
        "throughput_rps": round(len(rows) / window, 1) if window else None,
        "save_throughput_rps": round(len(saves) / save_window, 1) if save_window else None,
        "errors_total": sum(v for k, v in errors.items() if k != "conflict"),
        "conflicts": errors.get("conflict", 0),
        "errors": errors,
        "wall_seconds": round(wall, 1),
        "unfinished_reporters": client["unfinished"],
        "client_exceptions": client["client_exception_count"],
    }


def run_one(database_url, n, *, duration, think, seed, run_id, workdir, static_root, smoke=False,
            cells_limit=None, label="", ramp=None, logged_in=False, workers=WORKERS, threads=THREADS):
    """One rush of `n` reporters; returns the result dict (also written under workdir)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if ramp is None:  # reporters start spread over the ramp: logins (argon2) are the costliest requests
        ramp = 2.0 if smoke else min(60.0, duration / 3)
    t_prep = time.monotonic()
    plan = _internal("prepare", database_url, {"reporters": n, "seed": seed, "run_id": run_id,
                                               "cells_limit": cells_limit, "logged_in": logged_in}, timeout=1800)
    prepare_seconds = time.monotonic() - t_prep
    server = Server(database_url, workdir, workers, threads)
    sampler = None
    try:
        server.start(static_root)
        sampler = Sampler(server.proc.pid)
        sampler.start()
        client_plan = {"base_url": server.base_url, "reporters": plan["reporters"], "seed": seed,
                       "think": list(think) if think else None, "ramp": ramp, "deadline": duration}
        plan_path, out_path = workdir / f"plan-{n}.json", workdir / f"client-{n}.json"
        plan_path.write_text(json.dumps(client_plan), encoding="utf-8")
        proc = subprocess.Popen([_python(), "-m", "bench.rush_client", str(plan_path), str(out_path)], cwd=ROOT)
        client_sampler = Sampler(proc.pid)
        client_sampler.start()
        started = time.monotonic()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except ChildProcessError:
            status, usage = 0, None
        client_wall = time.monotonic() - started
        client_sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"load client failed ({proc.returncode})")
    finally:
        if sampler is not None:
            sampler.stop()
        server.stop()
    client = json.loads(out_path.read_text(encoding="utf-8"))
    check = _internal("check", database_url, {"outcomes": client["outcomes"], "plan": plan["reporters"]},
                      timeout=900)
    result = {
        "label": label, "n": n, "database": database_url.split("@")[-1], "smoke": smoke,
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "logged_in_before": logged_in,
        "think_seconds": list(think) if think else None, "duration_cap_seconds": duration,
        "ramp_seconds": ramp,
        "gunicorn": " ".join(server.command()[1:]).replace(str(workdir), "$WORKDIR"),
        "cells_planned": sum(len(r["cells"]) for r in plan["reporters"]),
        "forms": plan["forms"], "prepare_seconds": round(prepare_seconds, 1),
        **summarize(client),
        "server_rss_peak_mb": round(sampler.peak_kb / 1024, 1) if sampler else None,
        "client_rss_peak_mb": round(client_sampler.peak_kb / 1024, 1),
        "client_maxrss_mb": round(usage.ru_maxrss / 1024, 1) if usage else None,
        "client_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1) if usage else None,
        "client_cpu_share_of_one_core": round((usage.ru_utime + usage.ru_stime) / client_wall, 3) if usage else None,
        "server_time_by_route": server_times(workdir / "access.log"),
        "check": check,
        "lost": check["lost"],
        "loadavg_after": os.getloadavg(),
    }
    (workdir / f"result-{n}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return result


def run(ctx) -> dict:
    """Entry point for bench/run.py.

    ctx: database_url (required), profile (recorded), reporters (list, default [50, 200, 500]),
    duration (s, default 120), think ((lo, hi) or None), seed, smoke (bool), results_dir.
    """
    database_url = ctx["database_url"]
    smoke = bool(ctx.get("smoke"))
    reporters = [5] if smoke else list(ctx.get("reporters") or [50, 200, 500])
    duration = 45.0 if smoke else float(ctx.get("duration") or 120)
    think = ctx.get("think", (0.05, 0.2) if smoke else THINK)
    seed = str(ctx.get("seed", "rush"))
    results_dir = Path(ctx.get("results_dir") or ROOT / "bench" / "results")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    workroot = Path(tempfile.mkdtemp(prefix="solieu-rush-"))
    static_root = STATIC_ROOT
    install(database_url, static_root, workroot)
    runs = []
    for i, n in enumerate(reporters):
        res = run_one(database_url, n, duration=duration, think=think, seed=seed, run_id=f"{stamp}-{i}",
                      workdir=workroot / f"n{n}", static_root=static_root, smoke=smoke,
                      cells_limit=3 if smoke else ctx.get("cells_limit"), label=ctx.get("label", ""),
                      ramp=ctx.get("ramp"), logged_in=bool(ctx.get("logged_in")),
                      workers=int(ctx.get("workers") or WORKERS), threads=int(ctx.get("threads") or THREADS))
        res["profile"] = ctx.get("profile")
        runs.append(res)
        _print_line(res)
    summary = {"bench": "rush", "profile": ctx.get("profile"), "runs": runs, "workdir": str(workroot),
               "note": "2 shared cores; five other helpers may have been running: expect noise."}
    results_dir.mkdir(parents=True, exist_ok=True)
    name = f"rush-{stamp}{'-smoke' if smoke else ''}{'-' + ctx['label'] if ctx.get('label') else ''}.json"
    (results_dir / name).write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    summary["results_file"] = str(results_dir / name)
    if smoke:
        assert all(r["lost"] == 0 for r in runs), "smoke: values were lost"
        assert all(r["check"]["acknowledged"] > 0 for r in runs), "smoke: nothing was saved"
    return summary


def _print_line(r):
    s = r["phases"].get("save", {})
    sub = r["phases"].get("submit", {})
    print(f"N={r['n']}: saves {s.get('count', 0)} p50/p95/p99 {s.get('p50_ms')}/{s.get('p95_ms')}/"
          f"{s.get('p99_ms')} ms, submit p95 {sub.get('p95_ms')} ms, {r['save_throughput_rps']} saves/s, "
          f"errors {r['errors_total']} {r['errors']}, lost {r['lost']}, unfinished {r['unfinished_reporters']}, "
          f"server RSS {r['server_rss_peak_mb']} MB, client CPU {r['client_cpu_share_of_one_core']}", flush=True)


# ---------------------------------------------------------------------------
# Django steps (subprocesses): prepare and check
# ---------------------------------------------------------------------------


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solieu.settings")
    import django

    django.setup()


def _synthetic_units(count):
    """Enterprises `RUSH-DN-nnnn` on the quarterly forms, created once, deterministically."""
    from datetime import date

    from solieu.catalog.models import Form, FormAssignment, ReportingUnit

    forms = list(Form.objects.filter(active=True, period_type="quarter").exclude(regime="ad_hoc")
                 .order_by("code", "-version"))
    forms = list({f.code: f for f in reversed(forms)}.values())
    for i in range(1, count + 1):
        unit, _ = ReportingUnit.objects.get_or_create(
            code=f"RUSH-DN-{i:04d}",
            defaults={"name": f"Doanh nghiệp thử tải {i:04d}", "short_name": f"DN thử tải {i:04d}",
                      "kind": ReportingUnit.Kind.ENTERPRISE, "valid_from": date(2020, 1, 1)})
        FormAssignment.objects.get_or_create(form=forms[i % len(forms)], unit=unit,
                                             defaults={"valid_from": date(2020, 1, 1)})


def _candidates(today):
    """(unit, form) pairs: provinces on the monthly form, then enterprises on a quarterly form."""
    from solieu.catalog.models import FormAssignment, ReportingUnit

    seen, pairs = set(), []
    qs = (FormAssignment.objects.valid_on(today).filter(form__active=True, unit__in=ReportingUnit.objects.current())
          .select_related("form", "unit"))
    provinces = qs.filter(form__code="BC-SO-THANG", unit__kind=ReportingUnit.Kind.PROVINCIAL_DEPARTMENT)
    enterprises = qs.filter(form__period_type="quarter", unit__kind=ReportingUnit.Kind.ENTERPRISE).exclude(
        form__regime="ad_hoc")
    for a in [*provinces.order_by("unit__code"), *enterprises.order_by("unit__code", "form__code")]:
        if a.unit_id not in seen:
            seen.add(a.unit_id)
            pairs.append((a.unit, a.form))
    return pairs


def _open_period(form, unit, today):
    """The current period of the form, or the next one when the current is already locked."""
    from solieu.catalog.models import Period
    from solieu.catalog.periods import PeriodType
    from solieu.collection import entry
    from solieu.collection.models import Submission
    from solieu.collection.views import _current_pid

    pid = _current_pid(PeriodType(form.period_type), today)
    for candidate in (pid, pid.next()):
        period = Period.objects.for_id(candidate)
        probe = Submission(form=form, unit=unit, period=period, form_version=form.version)
        if not entry.is_period_locked(probe, today):
            return period
    raise RuntimeError(f"no open period for {form.code} {unit.code}")


def _plan_values(spec, submission, rng):
    """Values for every cell that pass check_form: near last period's figure when there is one,
    totals equal to their parts, rule parts below their wholes; comments where history warns."""
    from decimal import ROUND_HALF_UP, Decimal

    from solieu.collection import entry, validation
    from solieu.vi import format_number

    refs = entry.reference_values(submission, spec)
    children = {}
    for row in spec.rows:
        if row.parent:
            children.setdefault(row.parent, []).append(row)
    places = {code: (0 if r.value_type in ("integer", "rank") else min(spec.form_rows[code].indicator.decimals or 1, 6))
              for code, r in ((r.code, r) for r in spec.rows)}

    def q(code, x):
        return Decimal(x).quantize(Decimal(1).scaleb(-places[code]), rounding=ROUND_HALF_UP)

    def clamp(row, v):
        lo = row.min_value if row.min_value is not None else Decimal(0)
        hi = row.max_value if row.max_value is not None else (Decimal(100) if row.value_type == "percent" else None)
        v = max(v, lo)
        return min(v, hi) if hi is not None else v

    def fresh(row, ref):
        base = refs["previous"].get(ref) or refs["last_year"].get(ref)
        if base is not None and base > 0:
            v = base * Decimal(str(1 + rng.uniform(-0.02, 0.02)))
        elif row.value_type == "percent":
            v = Decimal(str(rng.uniform(20, 95)))
        elif row.value_type == "rank":
            v = Decimal(rng.randint(1, 20))
        else:
            v = Decimal(rng.randint(1_000, 900_000))
        return clamp(row, q(row.code, v))

    plan = {}
    for row in spec.rows:
        for option in row.options:
            plan[validation.CellRef(row.code, option)] = fresh(row, validation.CellRef(row.code, option))
        plan[validation.CellRef(row.code)] = fresh(row, validation.CellRef(row.code))
    additive = ("integer", "decimal")
    for row in reversed(spec.rows):  # children come after their parent: sum bottom-up
        if row.value_type not in additive:
            continue
        kids = children.get(row.code, [])
        if row.is_total and kids:
            for option in (validation.TOTAL, *row.options):
                if all(option == validation.TOTAL or option in k.options for k in kids):
                    plan[validation.CellRef(row.code, option)] = sum(
                        (plan[validation.CellRef(k.code, option)] for k in kids), Decimal(0))
        if row.options:
            plan[validation.CellRef(row.code)] = sum(
                (plan[validation.CellRef(row.code, o)] for o in row.options), Decimal(0))
    single = re.compile(r"^\[([^\]:]+)\]$")
    for _ in range(5):
        errors = [i for i in validation.check_form(spec.rows, plan, spec.rules) if i.level == "error"]
        if not errors:
            break
        for rule in spec.rules:
            left, right = single.match(rule.left.strip()), single.match(rule.right.strip())
            if rule.operator in ("<=", "<") and left and right:
                lref, rref = validation.CellRef(left.group(1)), validation.CellRef(right.group(1))
                if plan[lref] > plan[rref] or (rule.operator == "<" and plan[lref] == plan[rref]):
                    plan[lref] = q(left.group(1), plan[rref] * Decimal("0.8"))
    else:
        raise RuntimeError(f"plan for {submission.unit.code} fails the checks of {spec.form.code}: {errors}")
    rows = {r.code: r for r in spec.rows}
    past = entry.histories(submission, spec, list(spec.cells()))
    cells = []
    for ref in spec.cells():
        value = plan[ref]
        warns = validation.check_history(rows[ref.row], ref, value, past.get(ref, []), refs["last_year"].get(ref))
        cells.append({"row": ref.row, "option": ref.option, "value": str(value),
                      "text": format_number(value, places[ref.row]) if places[ref.row] else format_number(value),
                      "comment": COMMENT if warns else ""})
    return cells


def _session_for(user):
    """A session as a login earlier in the day leaves it (sessions last 8 hours)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {"name": settings.SESSION_COOKIE_NAME, "value": store.session_key}


def prepare(payload):
    """Users, memberships, open submissions and value plans for `reporters` units."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone as djtz

    from solieu.accounts.models import Membership, Role
    from solieu.collection import entry
    from solieu.collection.models import Submission, SubmissionStatus

    n, seed, run_id = payload["reporters"], payload["seed"], payload["run_id"]
    today = djtz.localdate()
    User = get_user_model()
    with transaction.atomic():
        pairs = _candidates(today)
        if len(pairs) < n:
            _synthetic_units(n - len(pairs) + sum(1 for u, _f in pairs if u.code.startswith("RUSH-DN-")))
            pairs = _candidates(today)
        pairs = pairs[:n]
        hashed = make_password(PASSWORD)  # one argon2 hash for all: creating 500 users stays fast
        reporters, forms = [], {}
        for unit, form in pairs:
            username = "rush-" + unit.code.lower()
            user, created = User.objects.get_or_create(username=username, defaults={
                "password": hashed, "first_name": "Thử tải", "last_name": unit.code})
            if not created and not user.check_password(PASSWORD):
                user.password = hashed
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, role=Role.REPORTER, unit=unit)
            period = _open_period(form, unit, today)
            # A rerun starts from a draft again (bench database only): the values of the
            # previous run stay, with their revisions, as after a "trả lại".
            Submission.objects.filter(form__code=form.code, unit=unit, period=period).exclude(
                status=SubmissionStatus.DRAFT).update(status=SubmissionStatus.DRAFT, submitted_at=None,
                                                      submitted_by=None, decided_at=None, decided_by=None)
            probe = (Submission.objects.filter(form__code=form.code, unit=unit, period=period).first()
                     or Submission(form=form, unit=unit, period=period, form_version=form.version))
            spec = entry.form_spec(form)
            rng = random.Random(f"{seed}|{run_id}|{unit.code}")
            cells = _plan_values(spec, probe, rng)
            if payload.get("cells_limit"):
                cells = cells[: payload["cells_limit"]]
            args = [form.code, unit.code, period.code]
            session = _session_for(user) if payload.get("logged_in") else None
            reporters.append({"session": session,
                "username": username, "password": PASSWORD, "unit": unit.code, "form": form.code,
                "period": period.code, "work_url": reverse("collection:work"),
                "grid_url": reverse("collection:entry", args=args),
                "submit_url": reverse("collection:submit", args=args), "cells": cells})
            forms[form.code] = forms.get(form.code, 0) + 1
    return {"reporters": reporters, "forms": forms}


def check(payload):
    """Compare what the server acknowledged with what the database holds."""
    from decimal import Decimal

    from solieu.catalog.models import Form, Period, ReportingUnit
    from solieu.collection import entry, validation
    from solieu.collection.models import Submission, SubmissionStatus

    plan = {r["username"]: r for r in payload["plan"]}
    acknowledged = lost = sent = unacknowledged_not_stored = submitted_ok = lost_submissions = 0
    examples = []
    for out in payload["outcomes"]:
        r = plan[out["username"]]
        form = Form.objects.filter(code=r["form"], active=True).order_by("-version").first()
        unit, period = ReportingUnit.objects.get(code=r["unit"]), Period.objects.get(code=r["period"])
        spec = entry.form_spec(form)
        submission = Submission.objects.filter(form__code=form.code, unit=unit, period=period).first()
        stored = entry.current_values(submission, spec) if submission else {}
        acked = {(row, opt) for row, opt, _v in out["saved"]}
        for row, opt, value in out["sent"]:
            sent += 1
            dv = stored.get(validation.CellRef(row, opt))
            ok = dv is not None and dv.value == Decimal(value)
            if (row, opt) in acked:
                acknowledged += 1
                if not ok:
                    lost += 1
                    if len(examples) < 10:
                        examples.append([r["unit"], row, opt, value, str(dv.value) if dv else None])
            elif not ok:
                unacknowledged_not_stored += 1
        if out["submitted"]:
            submitted_ok += 1
            if submission is None or submission.status != SubmissionStatus.SUBMITTED:
                lost_submissions += 1
    return {"sent": sent, "acknowledged": acknowledged, "lost": lost + lost_submissions, "lost_values": lost,
            "lost_submissions": lost_submissions, "unacknowledged_not_stored": unacknowledged_not_stored,
            "submitted": submitted_ok, "examples": examples}


def profile_queries(payload):
    """Queries and time of one cell save through Django's test client (the server's code path)."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.rush_client import CELL_RE

    prep = prepare({"reporters": payload.get("reporters", 1), "seed": "profile", "run_id": payload["run_id"],
                    "cells_limit": None})
    r = prep["reporters"][0]
    from django.contrib.auth import get_user_model

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=r["username"]))
    with CaptureQueriesContext(connection) as grid_ctx:
        grid = client.get(r["grid_url"]).content.decode()

    cells = {(m.group(3), m.group(4)): (m.group(2), m.group(5)) for m in CELL_RE.finditer(grid)}
    counts, times, cpu, prof = [], [], [], cProfile.Profile()
    for c in r["cells"]:
        url, revision = cells[(c["row"], c["option"])]
        with CaptureQueriesContext(connection) as ctx:
            t, t_cpu = time.perf_counter(), time.process_time()
            prof.enable()
            resp = client.post(url, {"row": c["row"], "option": c["option"], "revision": revision,
                                     "value": c["text"], "comment": c["comment"], "status": "estimate"},
                               HTTP_HX_REQUEST="true")
            prof.disable()
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - t_cpu)
        assert resp.status_code == 200, resp.status_code
        counts.append(len(ctx.captured_queries))
    with CaptureQueriesContext(connection) as submit_ctx:
        submitted = client.post(r["submit_url"])
    assert submitted.status_code == 302, submitted.status_code
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
    return {"unit": r["unit"], "form": r["form"], "cells": len(counts), "queries_per_save": counts,
            "mean_queries": round(sum(counts) / len(counts), 1),
            "grid_queries": len(grid_ctx.captured_queries), "submit_queries": len(submit_ctx.captured_queries), "mean_ms": round(sum(times) / len(times) * 1000, 1),
            "mean_cpu_ms_with_cprofile": round(sum(cpu) / len(cpu) * 1000, 1),
            "last_queries": [f'{q["time"]} {q["sql"][:160]}' for q in ctx.captured_queries], "cprofile": buf.getvalue()}


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def main(argv=None):
    p = argparse.ArgumentParser(description="Deadline rush: N reporters through gunicorn on loopback.")
    p.add_argument("--internal", nargs=3, metavar=("STEP", "IN", "OUT"), help=argparse.SUPPRESS)
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    p.add_argument("--reporters", default="50,200,500", help="comma-separated N, e.g. 50,200,500")
    p.add_argument("--duration", type=float, default=120, help="cap of one rush, seconds")
    p.add_argument("--think", default="1,3", help="think time between cells 'lo,hi' seconds, or 0 for none")
    p.add_argument("--seed", default="rush")
    p.add_argument("--ramp", type=float, default=None, help="start reporters over this many seconds "
                   "(default: a third of the duration, at most 60)")
    p.add_argument("--profile", default="", help="dataset profile name, recorded only")
    p.add_argument("--label", default="")
    p.add_argument("--results-dir", default=str(ROOT / "bench" / "results"))
    p.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers (docs/deploy.md: 5)")
    p.add_argument("--threads", type=int, default=THREADS, help="gunicorn threads per worker (docs/deploy.md: 4; 1: sync)")
    p.add_argument("--logged-in", action="store_true",
                   help="reporters logged in earlier in the day (sessions made by prepare): no login in the rush")
    p.add_argument("--smoke", action="store_true", help="5 reporters x 3 cells, no timing assertions")
    p.add_argument("--profile-queries", action="store_true", help="query count and cProfile of cell saves")
    a = p.parse_args(argv)
    if a.internal:
        step, src, dst = a.internal
        _setup_django()
        payload = json.loads(Path(src).read_text(encoding="utf-8"))
        answer = {"prepare": prepare, "check": check, "profile": profile_queries}[step](payload)
        Path(dst).write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
        return 0
    if not a.database_url:
        p.error("--database-url (or DATABASE_URL) is required")
    if a.profile_queries:
        ans = _internal("profile", a.database_url, {"run_id": str(time.time())}, timeout=900)
        print(json.dumps({k: v for k, v in ans.items() if k != "cprofile"}, indent=1, ensure_ascii=False))
        print(ans["cprofile"])
        return 0
    think = None if a.think in ("0", "") else tuple(float(x) for x in a.think.split(","))
    ctx = {"database_url": a.database_url, "profile": a.profile, "duration": a.duration, "seed": a.seed,
           "reporters": [int(x) for x in a.reporters.split(",")], "results_dir": a.results_dir,
           "smoke": a.smoke, "label": a.label, "ramp": a.ramp, "logged_in": a.logged_in,
           "workers": a.workers, "threads": a.threads}
    if not a.smoke:
        ctx["think"] = think
    summary = run(ctx)
    print("results:", summary["results_file"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
