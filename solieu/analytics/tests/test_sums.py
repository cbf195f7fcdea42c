"""The kind totals equal the live engine after any sequence of real changes (decision 19).

Random sequences of writes through the product's own paths (cell saves into reports, deletes,
bulk imports, history loads, submit / approve / return / reopen, a unit's lifetime changed)
and, after each step, every national figure of every period read both ways."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from solieu.analytics import sums
from solieu.analytics.aggregate import national_bulk, national_live
from solieu.analytics.models import BuiltTotal, KindTotal
from solieu.catalog.models import DisaggregationOption, Form, FormRow, Indicator, Period, ReportingUnit, Sector
from solieu.catalog.periods import PeriodId
from solieu.collection import workflow
from solieu.collection.entry import EntryError
from solieu.collection.models import Submission, SubmissionStatus
from solieu.collection.values import BulkRow, Key, delete_value, save_value, save_values_bulk

YEAR = 2026
PIDS = [PeriodId.parse(c) for c in (
    f"{YEAR}01", f"{YEAR}02", f"{YEAR}03", f"{YEAR}06", f"{YEAR}Q1", f"{YEAR}Q2", f"{YEAR}S1", f"{YEAR}N9", f"{YEAR}",
)] + [PeriodId.parse(f"{YEAR}05").year_to_date()]
WRITTEN = [f"{YEAR}01", f"{YEAR}02", f"{YEAR}03", f"{YEAR}04", f"{YEAR}05", f"{YEAR}06", f"{YEAR}Q1", f"{YEAR}Q2",
           f"{YEAR}S1"]


@pytest.fixture
def world(db, monkeypatch):
    # Who may send and whether the period is still open are not what is tested here.
    monkeypatch.setattr(workflow, "ensure_editable", lambda user, submission: None)
    sector = Sector.objects.create(code="digital", name="Công nghiệp số")
    mk = lambda code, **kw: Indicator.objects.create(code=code, sector=sector, name=code.title(), unit="x", **kw)  # noqa: E731
    ind = {
        "revenue": mk("REV"),
        "stock": mk("STOCK", time_aggregation="stock"),
        "avg": mk("AVG", aggregation="average"),
        "one": mk("ONE", aggregation="none", time_aggregation="stock"),
    }
    ind["ratio"] = mk("RATIO", aggregation="ratio", time_aggregation="ratio", numerator=ind["revenue"],
                      denominator=ind["stock"], factor=100)
    form = Form.objects.create(code="F", name="Biểu", sector=sector, regime="periodic", period_type="month")
    for n, key in enumerate(["revenue", "stock", "avg", "one"], 1):
        FormRow.objects.create(form=form, code=str(n), indicator=ind[key])
    units = [
        ReportingUnit.objects.create(code="S-1", name="Sở 1", kind="provincial_department"),
        ReportingUnit.objects.create(code="S-2", name="Sở 2", kind="provincial_department",
                                     valid_to=date(YEAR, 4, 30)),
        ReportingUnit.objects.create(code="DN-1", name="DN 1", kind="enterprise"),
        ReportingUnit.objects.create(code="DN-2", name="DN 2", kind="enterprise"),
        ReportingUnit.objects.create(code="DN-3", name="DN 3", kind="enterprise", valid_from=date(YEAR, 2, 1)),
    ]
    admin = get_user_model().objects.create(username="admin", is_superuser=True, is_staff=True)
    return {"ind": ind, "form": form, "units": units, "admin": admin}


def compare_all(world):
    indicators = list(Indicator.objects.filter(pk__in=[i.pk for i in world["ind"].values()])
                      .select_related("numerator", "denominator"))
    for include_submitted in (False, True):
        fast = national_bulk(indicators, PIDS, include_submitted=include_submitted)
        slow = national_live(indicators, PIDS, include_submitted=include_submitted)
        for i in indicators:
            for p in PIDS:
                a, b = fast[i.pk][p.code], slow[i.pk][p.code]
                where = f"{i.code} {p.code} submitted={include_submitted}"
                assert (a.value, a.units, a.estimate, a.provisional, a.kinds) == \
                       (b.value, b.units, b.estimate, b.provisional, b.kinds), where
                assert len(a.value_ids) == len(b.value_ids), where
                assert sorted(a.value_ids) == sorted(b.value_ids), where


def _submission(world, unit, code):
    sub, _ = Submission.objects.get_or_create(form=world["form"], unit=unit, period=Period.objects.for_code(code),
                                              defaults={"form_version": 1})
    return sub


def _key(world, indicator, unit, code):
    return Key(indicator, DisaggregationOption.total(), unit, Period.objects.for_code(code))


def step(world, rng, done):
    ind = rng.choice([world["ind"][k] for k in ("revenue", "stock", "avg", "one")])
    unit = rng.choice(world["units"])
    code = rng.choice(WRITTEN)
    value = Decimal(rng.randint(1, 50))
    sub = _submission(world, unit, code)
    action = rng.choice(["save", "save", "save", "history", "bulk", "delete", "submit", "submit", "approve",
                         "approve", "return", "reopen"])
    try:
        if action == "save":
            save_value(_key(world, ind, unit, code), value, user=world["admin"], submission=sub,
                       status=rng.choice(["official", "estimate"]), comment="Đã giải trình")
        elif action == "history":
            save_value(_key(world, ind, unit, code), value, user=world["admin"])
        elif action == "bulk":
            rows = [BulkRow(_key(world, rng.choice(list(world["ind"].values())[:4]), u, code), Decimal(rng.randint(1, 50)),
                            comment="Đã giải trình", submission=_submission(world, u, code)) for u in rng.sample(world["units"], 3)]
            save_values_bulk(rows, user=world["admin"])
        elif action == "delete":
            dv = sub.values.filter(deleted_at__isnull=True).first()
            if dv is None:
                return
            delete_value(dv, user=world["admin"])
        else:
            wanted = {"submit": [SubmissionStatus.DRAFT, SubmissionStatus.RETURNED],
                      "approve": [SubmissionStatus.SUBMITTED], "return": [SubmissionStatus.SUBMITTED],
                      "reopen": [SubmissionStatus.APPROVED]}[action]
            candidates = Submission.objects.filter(status__in=wanted, values__deleted_at__isnull=True)
            sub = rng.choice(list(candidates.distinct().order_by("pk")) or [sub])
            if action == "submit":
                workflow.submit(world["admin"], sub)
            elif action == "approve":
                workflow.approve(world["admin"], sub)
            elif action == "return":
                workflow.return_(world["admin"], sub, "Sai số liệu")
            else:
                workflow.reopen(world["admin"], sub, "Sửa lại")
    except EntryError:
        return
    done[action] = done.get(action, 0) + 1


@pytest.mark.parametrize("seed", range(6))
def test_kind_totals_equal_the_live_engine_after_every_change(world, seed):
    rng = random.Random(seed)
    compare_all(world)                     # builds the totals while empty: what follows are deltas
    assert BuiltTotal.objects.count() > 0
    done = {}
    for _ in range(50):
        step(world, rng, done)
        compare_all(world)
    # and one report through its whole life, whatever the dice gave
    sub = next(s for s in Submission.objects.filter(status=SubmissionStatus.DRAFT).order_by("pk")
               if s.values.filter(deleted_at__isnull=True).exists())
    for act in (lambda: workflow.submit(world["admin"], sub), lambda: workflow.approve(world["admin"], sub),
                lambda: workflow.reopen(world["admin"], sub, "Sửa lại"),
                lambda: workflow.submit(world["admin"], sub), lambda: workflow.return_(world["admin"], sub, "Sai")):
        act()
        compare_all(world)
    assert {"save", "history", "bulk"} <= set(done), done
    assert KindTotal.objects.exists()
    # what the changes left equals a fresh build (PostgreSQL: the SQL build), and a rebuild the live engine
    call_command("check_totals")
    sums.drop()
    compare_all(world)


def test_a_unit_lifetime_change_moves_the_totals(world):
    unit = world["units"][0]
    sub = _submission(world, unit, f"{YEAR}06")
    save_value(_key(world, world["ind"]["stock"], unit, f"{YEAR}06"), Decimal(7), submission=sub)
    workflow.submit(world["admin"], sub)
    workflow.approve(world["admin"], sub)
    compare_all(world)
    assert BuiltTotal.objects.filter(kind="provincial_department").exists()
    built = BuiltTotal.objects.count()
    unit.valid_to = date(YEAR, 5, 31)      # the Sở ended before June: its June stock no longer counts
    unit.save()
    assert BuiltTotal.objects.count() == built
    compare_all(world)
    unit.valid_to = None
    unit.save()
    compare_all(world)


def test_a_unit_moved_to_another_kind_drops_both_kinds(world):
    unit = world["units"][2]
    save_value(_key(world, world["ind"]["revenue"], unit, f"{YEAR}Q1"), Decimal(5))
    compare_all(world)
    unit.kind = "publisher"
    unit.save()
    assert not BuiltTotal.objects.filter(kind__in=["enterprise", "publisher"]).exists()
    compare_all(world)


def test_a_large_kind_is_read_live_until_the_worker_builds_it(world, settings, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    settings.SOLIEU_KIND_TOTALS_SYNC_UNITS = 2          # the 3 enterprises are "many"
    save_value(_key(world, world["ind"]["revenue"], world["units"][2], f"{YEAR}Q1"), Decimal(5))
    with django_capture_on_commit_callbacks() as callbacks:
        compare_all(world)
    assert callbacks                                  # a build was queued for the worker
    assert not BuiltTotal.objects.filter(kind="enterprise").exists()
    assert BuiltTotal.objects.filter(kind="provincial_department").exists()
    call_command("build_totals")
    assert BuiltTotal.objects.filter(kind="enterprise").exists()
    compare_all(world)


def test_a_draft_save_skips_the_totals(world, monkeypatch):
    """The grid's saves into a draft cannot change a total: they must not pay for tracking,
    while a save over a counted value (history, no report) must."""
    touched = []
    original = sums.Tracker.touch
    monkeypatch.setattr(sums.Tracker, "touch", lambda self, pairs: touched.append(list(pairs)) or original(self, pairs))
    unit = world["units"][2]
    sub = _submission(world, unit, f"{YEAR}Q1")
    compare_all(world)
    save_value(_key(world, world["ind"]["revenue"], unit, f"{YEAR}Q1"), Decimal(3), submission=sub)
    save_value(_key(world, world["ind"]["revenue"], unit, f"{YEAR}Q1"), Decimal(4), submission=sub)
    assert touched == []
    compare_all(world)
    save_value(_key(world, world["ind"]["revenue"], unit, f"{YEAR}Q2"), Decimal(5))   # no report: counts
    assert len(touched) == 1
    compare_all(world)


def test_drop_everything_then_rebuild(world):
    unit = world["units"][3]
    save_value(_key(world, world["ind"]["revenue"], unit, f"{YEAR}Q1"), Decimal(5))   # history: counts
    compare_all(world)
    sums.drop()
    assert not BuiltTotal.objects.exists() and not KindTotal.objects.exists()
    compare_all(world)


def test_check_totals_finds_and_repairs_a_difference(world):
    from django.core.management import call_command

    unit = world["units"][3]
    save_value(_key(world, world["ind"]["revenue"], unit, f"{YEAR}Q1"), Decimal(5))
    compare_all(world)
    call_command("check_totals")                       # all equal: no exit
    KindTotal.objects.filter(kind="enterprise", with_submitted=False, units__gt=0).update(total=Decimal(999))
    with pytest.raises(SystemExit):
        call_command("check_totals")
    call_command("check_totals", "--repair")
    call_command("check_totals")
    compare_all(world)


def test_an_import_of_many_units_locks_their_kind_once(world, monkeypatch):
    """Thousands of per-unit locks would fill PostgreSQL's lock table: many units take the
    kind's lock instead; the totals come out the same."""
    monkeypatch.setattr(sums, "MANY_UNITS", 1)
    compare_all(world)
    code = f"{YEAR}Q1"
    rows = [BulkRow(_key(world, world["ind"]["revenue"], u, code), Decimal(n + 1)) for n, u in enumerate(world["units"])]
    save_values_bulk(rows, user=world["admin"])
    compare_all(world)
