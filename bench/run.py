"""Run every benchmark on one dataset and write the results with the machine they ran on.

    python -m bench.run --profile small|medium|full|national2030 [--database-url postgres://...] [--smoke]
                        [--reporters 50 200]   # the rush's concurrent reporters (default 50 200 500)

1. bench.generate loads the profile's dataset (a no-op when it is already there);
2. bench.bulk_import, bench.consolidation and bench.rush each get `run(ctx) -> dict`, with
   ctx = {"database_url", "profile", "smoke", "results_dir"}; a module that is missing is
   recorded as skipped, one that fails as its error, and the others still run;
3. bench/results/<profile>-<date>.json and .md: the machine (CPU, cores, RAM, PostgreSQL,
   Python, git commit), then each benchmark's figures. Each figure is a ratio against a
   reference measured in the same run, because the machine is shared and noisy.

--smoke (CI, bin/test): the small profile, the shortest settings, results in a temporary
directory unless --results-dir is given. Nothing asserts a time; a benchmark that fails makes
the command exit 1.
"""

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from bench.generate import PROFILES

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BENCHMARKS = ("bulk_import", "consolidation", "rush")


def machine(database_url):
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    try:
        import psycopg

        with psycopg.connect(database_url) as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # noqa: BLE001 (a description, not a requirement)
        info["postgresql"] = f"? ({exc.__class__.__name__})"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True)
        info["git_commit"] = commit.stdout.strip() + (" (modified)" if dirty.stdout.strip() else "")
    except OSError:
        info["git_commit"] = "?"
    info["load_average"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return info


def run(profile, database_url, *, smoke=False, results_dir=None, only=None, reporters=None):
    results_dir = Path(results_dir or (tempfile.mkdtemp(prefix="bench-smoke-") if smoke else RESULTS))
    results_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc)
    report = {"profile": profile, "smoke": smoke, "started": started.isoformat(timespec="seconds"),
              "machine": machine(database_url), "benchmarks": {}}
    sys.stderr.write(f"bench: nạp bộ dữ liệu {profile}...\n")
    t0 = time.monotonic()
    gen = subprocess.run([sys.executable, "-m", "bench.generate", "--profile", profile, "--database-url",
                          database_url], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if gen.returncode:
        report["dataset"] = {"error": f"bench.generate exited {gen.returncode}"}
    else:
        report["dataset"] = {**json.loads(gen.stdout), "ensure_seconds": round(time.monotonic() - t0, 1)}
    ctx = {"database_url": database_url, "profile": profile, "smoke": smoke, "results_dir": str(results_dir)}
    if reporters:
        ctx["reporters"] = reporters
    failed = "error" in report["dataset"]
    for name in only or BENCHMARKS:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.{name}":
                raise
            report["benchmarks"][name] = {"skipped": "module not present"}
            continue
        sys.stderr.write(f"bench: {name}...\n")
        t0 = time.monotonic()
        try:
            result = module.run(dict(ctx))
        except Exception:  # noqa: BLE001 (recorded; the other benchmarks still run)
            result = {"error": traceback.format_exc(limit=5)}
            failed = True
        result["wall_seconds"] = round(time.monotonic() - t0, 1)
        report["benchmarks"][name] = result
    stem = f"{profile}-{started:%Y%m%d-%H%M}" + ("-smoke" if smoke else "")
    (results_dir / f"{stem}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    (results_dir / f"{stem}.md").write_text(markdown(report))
    sys.stderr.write(f"bench: kết quả ở {results_dir / stem}.json và .md\n")
    return report, failed


# --- the Markdown summary ----------------------------------------------------------------------


def markdown(report):
    m = report["machine"]
    lines = [f"# Benchmark {report['profile']}{' (smoke)' if report['smoke'] else ''}, {report['started']}", "",
             "| machine | |", "| --- | --- |"]
    for key in ("cpu", "cores", "ram_gib", "postgresql", "python", "platform", "git_commit", "load_average"):
        lines.append(f"| {key} | {m.get(key, '')} |")
    d = report.get("dataset", {})
    lines += ["", f"Dataset: {d.get('values', '?')} values, {d.get('audit', '?')} audit entries, "
                  f"{d.get('submissions', '?')} submissions, {d.get('units', '?')} units, until {d.get('until', '?')}.",
              ""]
    for name, result in report["benchmarks"].items():
        lines += [f"## {name}", ""]
        if name == "bulk_import" and "copy" in result:
            lines += bulk_table(result)
        else:
            lines += ["| figure | value |", "| --- | --- |"]
            lines += [f"| {k} | {v} |" for k, v in flatten(result) if len(str(v)) < 200]
        lines.append("")
    return "\n".join(lines) + "\n"


def bulk_table(r):
    rows = ["| path | values | seconds | values/s | peak RSS (MB) | vs COPY |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    copy = (r.get("copy") or {}).get("values_per_s")
    names = {"copy": "COPY into a bare logged table (reference)", "dhis2": "DHIS2 import, bulk path (after)",
             "dhis2_rowwise": "DHIS2 import, one value at a time (before)"}
    for key, label in names.items():
        x = r.get(key) or {}
        if "error" in x:
            rows.append(f"| {label} | error: {x['error']} | | | | |")
            continue
        ratio = f"{x['values_per_s'] / copy:.4f}" if copy and x.get("values_per_s") else ""
        rows.append(f"| {label} | {x.get('values')} | {x.get('seconds')} | {x.get('values_per_s')} | "
                    f"{x.get('rss_peak_mb')} | {ratio} |")
    if "ratio" in r:
        rows += ["", f"Target: import ≥ {r['target_ratio']} × COPY: **{'met' if r['target_met'] else 'missed'}** "
                     f"(ratio {r['ratio']}; bulk path {r.get('speedup_over_rowwise', '?')}× the one-at-a-time path)."]
    return rows


def flatten(value, prefix=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from flatten(v, f"{prefix}{k}.")
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            yield from flatten(v, f"{prefix}{i}.")
    else:
        yield prefix.rstrip("."), value


def main(argv=None):
    parser = argparse.ArgumentParser(description="Chạy mọi phép đo hiệu năng và ghi kết quả.")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
    parser.add_argument("--database-url", default=os.environ.get("SOLIEU_BENCH_DATABASE_URL")
                        or os.environ.get("DATABASE_URL"))
    parser.add_argument("--smoke", action="store_true", help="CI: hồ sơ small, cấu hình ngắn nhất")
    parser.add_argument("--results-dir")
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS)
    parser.add_argument("--reporters", nargs="+", type=int,
                        help="rush: số người báo cáo đồng thời (mặc định 50 200 500)")
    args = parser.parse_args(argv)
    if not args.database_url or not args.database_url.startswith("postgres"):
        parser.error("cần một CSDL PostgreSQL: --database-url postgres://... (phép đo so với COPY của PostgreSQL)")
    profile = "small" if args.smoke else args.profile
    _, failed = run(profile, args.database_url, smoke=args.smoke, results_dir=args.results_dir, only=args.only,
                    reporters=args.reporters)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
