"""Many processes and threads write the same submission's cells at once; no value is lost.

8 processes x 3 threads of one reporter save cells of one submission through the real path
(entry.save_cell: scope, locks, checks, values.save_value) with the revision they read, and
retry on ConflictError as a person would after reading the new value. Afterwards, on a scratch
database of the engine under test (a SQLite file in WAL mode, or PostgreSQL):

* each cell holds the value of its last accepted write, at the revision that write was given;
* the audit trail holds exactly the accepted writes (value and revision), nothing else;
* every refused write is in the trail as a conflict.

Run as a module, this file is the worker: `python -m solieu.collection.tests.test_stress_writers`.
"""

import json
import random
import subprocess
import sys
import threading
from collections import defaultdict
from decimal import Decimal

import pytest

from solieu.ops.tests.scratch import Scratch

PROCESSES, THREADS, WRITES = 8, 3, 6
ROWS = ["1", "2", "3", "4", "5", "7", "9", "11"]  # few cells for 24 writers: they collide often
UNIT, FORM, USER = "SKHCN-01", "BC-SO-THANG", "nhap01"


# ---------------------------------------------------------------------------------------------
# The worker (a child process)
# ---------------------------------------------------------------------------------------------


def _submission():
    from solieu.collection.tests.factories import open_month, submission

    return submission(FORM, UNIT, open_month())


def setup_cells():
    """The reporter, the submission and a first value in every cell (revision 1)."""
    from django.contrib.auth import get_user_model

    from solieu.accounts.models import Membership, Role
    from solieu.catalog.models import ReportingUnit
    from solieu.collection import entry

    user = get_user_model().objects.create_user(USER, password="mat-khau-dai-123")
    Membership.objects.create(user=user, role=Role.REPORTER, unit=ReportingUnit.objects.get(code=UNIT))
    sub = _submission()
    for row in ROWS:
        entry.save_cell(user, sub, row, "TOTAL", "1", expected_revision=0)
    print(json.dumps({"submission": sub.pk}))


def write_cells(worker):
    from django.contrib.auth import get_user_model
    from django.db import connections

    from solieu.collection import entry
    from solieu.collection.values import ConflictError

    user = get_user_model().objects.get(username=USER)
    results = {"accepted": [], "conflicts": 0, "errors": []}
    lock = threading.Lock()

    def thread(t):
        rng = random.Random(worker * 100 + t)
        try:
            sub = _submission()
            spec = entry.form_spec(sub.form)
            for seq in range(WRITES):
                row = rng.choice(ROWS)
                value = worker * 10_000 + t * 1_000 + seq + 2  # unique: an audit entry names its write
                while True:
                    dv = entry.current_values(sub, spec).get(entry.validation.CellRef(row, "TOTAL"))
                    try:
                        result = entry.save_cell(user, sub, row, "TOTAL", str(value), spec=spec,
                                                 expected_revision=dv.revision)
                    except ConflictError:
                        with lock:
                            results["conflicts"] += 1
                        continue
                    with lock:
                        results["accepted"].append([row, value, result.revision])
                    break
        except Exception as exc:  # reported to the test, which fails with it
            with lock:
                results["errors"].append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=thread, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(results))


if __name__ == "__main__":
    import django

    django.setup()
    setup_cells() if sys.argv[1] == "setup" else write_cells(int(sys.argv[2]))
    sys.exit(0)


# ---------------------------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        db = Scratch(tmp_path_factory.mktemp("stress"), "stress").create()
    yield db
    db.drop()


def worker(db, *args):
    return db.popen([sys.executable, "-m", "solieu.collection.tests.test_stress_writers", *args],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process):
    out, err = process.communicate()
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db
def test_concurrent_writers_lose_nothing(scratch):
    if scratch.vendor == "sqlite":
        assert scratch.query("PRAGMA journal_mode")[0][0] == "wal"
    submission = finished(worker(scratch, "setup"))["submission"]
    results = [finished(p) for p in [worker(scratch, "write", str(w)) for w in range(PROCESSES)]]
    assert [e for r in results for e in r["errors"]] == []
    accepted = [tuple(a) for r in results for a in r["accepted"]]
    conflicts = sum(r["conflicts"] for r in results)
    assert len(accepted) == PROCESSES * THREADS * WRITES

    codes = dict(scratch.query(
        "SELECT r.code, i.code FROM catalog_formrow r JOIN catalog_indicator i ON i.id = r.indicator_id "
        "JOIN catalog_form f ON f.id = r.form_id WHERE f.code = %s", [FORM]))
    by_cell = defaultdict(list)
    for row, value, revision in accepted:
        by_cell[codes[row]].append((revision, value))

    final = {ind: (Decimal(str(v)), rev) for ind, v, rev in scratch.query(
        "SELECT i.code, v.value, v.revision FROM collection_datavalue v JOIN catalog_indicator i "
        "ON i.id = v.indicator_id WHERE v.submission_id = %s AND v.deleted_at IS NULL", [submission])}
    for indicator, writes in by_cell.items():
        revisions = sorted(rev for rev, _ in writes)
        assert revisions == list(range(2, len(writes) + 2)), indicator  # one revision per accepted write
        last_revision, last_value = max(writes)
        assert final[indicator] == (Decimal(last_value), last_revision)

    audit = scratch.query(
        "SELECT indicator_code, action, new_value, revision FROM collection_datavalueaudit "
        "WHERE unit_code = %s AND action IN ('update', 'conflict')", [UNIT])
    updates = sorted((ind, int(Decimal(str(v))), rev) for ind, action, v, rev in audit if action == "update")
    assert updates == sorted((codes[row], value, revision) for row, value, revision in accepted)
    assert sum(1 for a in audit if a[1] == "conflict") == conflicts
    print(f"\n{len(accepted)} lần ghi được nhận, {conflicts} xung đột, tất cả có trong nhật ký")
