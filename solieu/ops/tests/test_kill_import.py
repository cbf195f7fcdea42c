"""An import killed with SIGKILL at any moment leaves all of it or none of it, never a part.

A real process (`solieu import_values`, the API's DHIS2 import engine) loads a dataValueSet
of every current province's monthly report into a scratch database and is killed: at fixed
points of its progress line, and after random delays. After each kill the database holds, for
that month, either every value with its audit entry and submission, or nothing; sending the
file again then completes.
"""

import json
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date

import pytest

from solieu.catalog.periods import PeriodId, PeriodType

from .scratch import ROOT, Scratch

pytestmark = pytest.mark.django_db

FORM = "BC-SO-THANG"
UNITS = 15  # x 20 rows: 300 values, a few seconds of writing
SCENARIOS = [("progress", 0.02), ("progress", 0.5), ("progress", 0.97), ("progress", 1.0), ("delay", None),
             ("delay", None), ("delay", None)]
SURVIVED = []


@pytest.fixture(scope="module")
def scratch(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        db = Scratch(tmp_path_factory.mktemp("kill"), "kill").create()
    yield db
    db.drop()


def payload(db, month):
    """Every row of the monthly form for every province whose assignment is open today."""
    units = [u for (u,) in db.query(
        "SELECT u.code FROM catalog_formassignment a JOIN catalog_reportingunit u ON u.id = a.unit_id "
        "JOIN catalog_form f ON f.id = a.form_id WHERE f.code = %s AND a.valid_to IS NULL ORDER BY u.code", [FORM])]
    rows = [c for (c,) in db.query(
        "SELECT i.code FROM catalog_formrow r JOIN catalog_indicator i ON i.id = r.indicator_id "
        "JOIN catalog_form f ON f.id = r.form_id WHERE f.code = %s ORDER BY r.sort_order, r.id", [FORM])]
    values = [{"dataElement": ind, "orgUnit": unit, "categoryOptionCombo": "default",
               "value": str((7 * i + 3 * j) % 90 + 1)}
              for i, unit in enumerate(units[:UNITS]) for j, ind in enumerate(rows)]
    return {"dataSet": FORM, "period": month, "dataValues": values}


def state(db, month):
    values = db.query("SELECT count(*) FROM collection_datavalue v JOIN catalog_period p ON p.id = v.period_id "
                      "WHERE p.code = %s", [month])[0][0]
    audits = db.query("SELECT count(*) FROM collection_datavalueaudit WHERE period_code = %s", [month])[0][0]
    submissions = db.query("SELECT count(*) FROM collection_submission s JOIN catalog_period p ON p.id = s.period_id "
                           "WHERE p.code = %s", [month])[0][0]
    return values, audits, submissions


class Progress:
    """Follows the child's progress line ("\\rnhập [###   ] 120/680 giá trị") on its stderr."""

    def __init__(self, stream):
        self.done = 0
        self.text = b""
        self.changed = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        while chunk := stream.read1(4096):
            with self.changed:
                self.text += chunk
                for part in reversed(self.text.replace(b"\r", b"\n").split(b"\n")):
                    if b" gi\xc3\xa1 tr\xe1\xbb\x8b" in part and b"/" in part:
                        self.done = int(part.split(b"] ")[1].split(b"/")[0])
                        break
                self.changed.notify_all()
        with self.changed:
            self.done = -1
            self.changed.notify_all()

    def wait_for(self, count):
        with self.changed:
            self.changed.wait_for(lambda: self.done >= count or self.done < 0)


def run_import(db, path):
    return db.popen([sys.executable, str(ROOT / "manage.py"), "import_values", str(path), "--user", "quantri"],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigkill_at_any_point_leaves_all_or_nothing(scratch, tmp_path):
    rng = random.Random(20261206)
    month = PeriodId.containing(PeriodType.MONTH, date.today()).next()
    full_run = None
    for n, (kind, point) in enumerate(SCENARIOS):
        month = month.next()
        data = payload(scratch, month.code)
        total = len(data["dataValues"])
        path = tmp_path / f"{month.code}.json"
        path.write_text(json.dumps(data))

        child = run_import(scratch, path)
        progress = Progress(child.stderr)
        if kind == "progress":
            progress.wait_for(max(1, int(total * point)))
        else:
            # Somewhere between start-up and the end of a full run, commit included.
            threading.Event().wait(rng.uniform(0.3, 1.1) * full_run)
        killed_at = progress.done if child.poll() is None else "đã xong"
        child.send_signal(signal.SIGKILL)
        child.wait()
        after_kill = state(scratch, month.code)
        assert after_kill in ((0, 0, 0), (total, total, after_kill[2])), (kind, point, killed_at, after_kill)
        if after_kill[0]:
            assert after_kill[2] == len({v["orgUnit"] for v in data["dataValues"]})

        started = time.monotonic()
        again = run_import(scratch, path)
        out, err = again.communicate()
        full_run = full_run or time.monotonic() - started
        print(f"{kind} {point}: killed at {killed_at}/{total}, re-run {time.monotonic() - started:.1f} s")
        assert again.returncode == 0, err.decode()
        final = state(scratch, month.code)
        assert final[:2] == (total, total)
        assert "0 bỏ qua" in out.decode() or after_kill[0] == total
        SURVIVED.append((kind, point, killed_at, "tất cả" if after_kill[0] else "không có gì"))
    print("\nSIGKILL:", SURVIVED)
    assert len(SURVIVED) == len(SCENARIOS)


def table_counts(db):
    tables = ("collection_datavalue", "collection_datavalueaudit", "collection_submission", "catalog_period")
    return tuple(db.query(f"SELECT count(*) FROM {t}")[0][0] for t in tables)


def test_sigkill_during_restore_leaves_the_old_database_or_the_backup(scratch, tmp_path):
    """`solieu restore` killed at any moment: the database is as before, or as in the backup."""
    rng = random.Random(7)
    archive = tmp_path / "truoc.tar"
    scratch.manage("backup", str(archive))
    saved = table_counts(scratch)
    month = PeriodId.containing(PeriodType.MONTH, date.today())
    for _ in range(len(SCENARIOS) + 2):  # after the months of the import test
        month = month.next()
    path = tmp_path / "them.json"
    path.write_text(json.dumps(payload(scratch, month.code)))
    run_import(scratch, path).communicate()
    changed = table_counts(scratch)
    assert changed != saved

    argv = [sys.executable, str(ROOT / "manage.py"), "restore", "--yes", str(archive)]
    started = time.monotonic()
    scratch.manage("restore", "--yes", str(archive))
    full_run = time.monotonic() - started
    assert table_counts(scratch) == saved
    outcomes = []
    # Killed once the replacement starts (its progress line says so), then after random delays.
    for delay in [0, 0.05, 0.2] + [rng.uniform(0.4, 1.0) * full_run for _ in range(2)]:
        run_import(scratch, path).communicate()  # back to the changed state
        assert table_counts(scratch) == changed
        child = scratch.popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if delay < 0.3:
            marker = "chép vào".encode() if scratch.vendor == "sqlite" else b"pg_restore"
            seen = b""
            while marker not in seen and (chunk := child.stderr.read1(4096)):
                seen += chunk
        threading.Event().wait(delay)
        finished_first = child.poll() is not None
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stderr.close()
        now = table_counts(scratch)
        assert now in (saved, changed), now
        if scratch.vendor == "sqlite":
            assert scratch.query("PRAGMA integrity_check") == [("ok",)]
        outcomes.append("đã xong" if finished_first else "bản sao lưu" if now == saved else "như cũ")
    print("\nSIGKILL khi khôi phục:", outcomes)
    scratch.manage("restore", "--yes", str(archive))
    assert table_counts(scratch) == saved
