"""save_values_bulk gives what save_value gives row by row: values, revisions, audit trail."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError

from solieu.catalog.models import Disaggregation, DisaggregationOption, Period, ReportingUnit
from solieu.collection.models import Channel, DataValue, DataValueAudit, ValueStatus
from solieu.collection.values import BulkRow, Key, save_value, save_values_bulk


@pytest.fixture
def world(indicator, total, unit, db):
    dis = Disaggregation.objects.create(code="POSTAL_SERVICE", name="Loại dịch vụ")
    options = [total] + [DisaggregationOption.objects.create(disaggregation=dis, code=c, name=c, sort_order=n)
                         for n, c in enumerate(["KT1", "DOMESTIC"])]
    other = ReportingUnit.objects.create(code="VIETTEL_POST", name="Viettel Post", kind="enterprise")
    periods = [Period.objects.for_code(c) for c in ("2026Q1", "2026Q2")]
    user = get_user_model().objects.create(username="nhap")
    return {"indicator": indicator, "options": options, "units": [unit, other], "periods": periods, "user": user}


def script(world, unit):
    """Batches of (option, period, value, status, comment) that exercise every outcome."""
    o, p = world["options"], world["periods"]
    first = [(o[0], p[0], "100", "estimate", None), (o[1], p[0], "40", "estimate", "ước"),
             (o[2], p[0], "60", "official", None), (o[0], p[1], "7.5", "official", None)]
    second = [
        (o[0], p[0], "100", "estimate", None),     # unchanged
        (o[1], p[0], "40", "estimate", None),      # unchanged, comment kept
        (o[2], p[0], "61", "official", None),      # value changed
        (o[0], p[1], "7.5", "estimate", "sửa"),    # status and comment changed
        (o[1], p[1], "3", "official", None),       # new
        (o[1], p[1], "4", "official", None),       # the same key again in the batch
        (o[2], p[0], "61.000", "official", "đã kiểm tra"),  # comment only
    ]
    return [[(Key(world["indicator"], opt, unit, per), Decimal(v), st, c) for opt, per, v, st, c in batch]
            for batch in (first, second)]


def state(unit):
    values = sorted(DataValue.objects.filter(unit=unit).values_list(
        "option__code", "period__code", "value", "status", "comment", "revision", "channel", "source",
        "created_by__username", "updated_by__username", "deleted_at"))
    audits = list(DataValueAudit.objects.filter(unit_code=unit.code).order_by("data_value__option__code",
                                                                              "period_code", "revision").values_list(
        "action", "option_code", "period_code", "old_value", "new_value", "old_status", "new_status", "revision",
        "channel", "source", "note", "user__username"))
    return values, audits


def test_bulk_equals_one_at_a_time(world):
    user = world["user"]
    one, bulk = world["units"]
    for batch in script(world, one):
        for key, value, status, comment in batch:
            save_value(key, value, user=user, channel=Channel.API, status=status, comment=comment, source="tệp")
    outcomes = []
    for batch in script(world, bulk):
        outcomes.append([(r.changed, r.created, r.revision) for r in save_values_bulk(
            [BulkRow(key, value, status, comment) for key, value, status, comment in batch],
            user=user, channel=Channel.API, source="tệp")])
    assert state(one) == state(bulk)
    assert outcomes[1] == [(False, False, 1), (False, False, 1), (True, False, 2), (True, False, 2),
                           (True, True, 1), (True, False, 2), (True, False, 3)]
    assert DataValue.objects.get(unit=bulk, option__code="DOMESTIC", period__code="2026Q1").comment == "đã kiểm tra"


def test_an_error_in_row_n_stores_nothing(world):
    one = world["units"][0]
    rows = [BulkRow(key, value, status, comment) for key, value, status, comment in script(world, one)[0]]
    third = Period.objects.for_code("2026Q3")
    rows.append(BulkRow(Key(world["indicator"], world["options"][0], one, third), None))  # NOT NULL refuses it
    with pytest.raises(DatabaseError):
        save_values_bulk(rows, user=world["user"])
    assert not DataValue.objects.exists() and not DataValueAudit.objects.exists()


def test_resending_changes_nothing(world):
    one = world["units"][0]
    rows = [BulkRow(key, value, status, comment) for key, value, status, comment in script(world, one)[0]]
    save_values_bulk(rows, user=world["user"])
    before = state(one)
    again = save_values_bulk(rows, user=world["user"])
    assert not any(r.changed for r in again)
    assert state(one) == before and DataValueAudit.objects.count() == 4


def test_submission_is_recorded_on_the_value(world):
    from solieu.catalog.models import Form, Sector
    from solieu.collection.models import Submission

    sector = Sector.objects.first()
    form = Form.objects.create(code="BCCP-02", name="Biểu", sector=sector, regime="statistical",
                               period_type="quarter")
    one = world["units"][0]
    submission = Submission.objects.create(form=form, unit=one, period=world["periods"][0], form_version=1)
    key = Key(world["indicator"], world["options"][0], one, world["periods"][0])
    save_values_bulk([BulkRow(key, Decimal(5), ValueStatus.OFFICIAL)], user=world["user"])
    save_values_bulk([BulkRow(key, Decimal(5), ValueStatus.OFFICIAL, form=form, submission=submission)])
    dv = DataValue.objects.get()
    assert dv.submission == submission and dv.revision == 1 and DataValueAudit.objects.count() == 1


# --- the import engine: bulk path and one-at-a-time path give the same answer -------------------


def _import(unit_code, payload, use_bulk):
    from solieu.api import data, dhis2
    from solieu.api.auth import Principal

    admin = get_user_model().objects.get_or_create(username="quan-tri", defaults={"is_superuser": True})[0]
    items = dhis2.items_from_json({**payload, "orgUnit": unit_code})
    importer = data.Importer(Principal(user=admin), channel=Channel.DHIS2, machine_strings=True,
                             default_form="BCCP-02")
    importer.use_bulk = use_bulk
    body = importer.run(items).as_dict()
    return body["importCount"], [(c["value"], c["indexes"]) for c in body["conflicts"]], \
        [(w["value"], w["indexes"]) for w in body["warnings"]]


def test_import_bulk_and_one_at_a_time_agree(catalog, db):
    from django.utils import timezone

    from solieu.catalog.models import Indicator
    from solieu.catalog.periods import PeriodId

    quarter = PeriodId.containing("quarter", timezone.localdate())
    revenue = Indicator.objects.get(code="POSTAL_REVENUE")
    total = DisaggregationOption.total()
    units = {code: ReportingUnit.objects.get(code=code) for code in ("VNPOST", "VIETTEL_POST")}
    past = quarter
    for n in range(8):  # history, so that the outlier and year-on-year warnings have something to say
        past = past.previous()
        for unit in units.values():
            save_value(Key(revenue, total, unit, Period.objects.for_id(past)), Decimal(1000 + 10 * n),
                       channel=Channel.HISTORY)

    def values(*pairs):
        return {"dataSet": "BCCP-02", "period": quarter.code, "dataValues": [
            {"dataElement": e, "categoryOptionCombo": c, "value": v} for e, c, v in pairs]}

    first = values(("POSTAL_REVENUE", "default", "5000"), ("POSTAL_REVENUE", "KT1", "120.5"),
                   ("POSTAL_VOLUME", "default", "77"), ("POSTAL_KT1_VOLUME", "default", "-3"),
                   ("POSTAL_LABOUR", "default", "12.5"), ("POSTAL_PROFIT", "default", "10"))
    second = values(("POSTAL_REVENUE", "default", "1040"), ("POSTAL_REVENUE", "KT1", "120.5"),
                    ("POSTAL_VOLUME", "default", ""), ("POSTAL_PROFIT", "default", "11"),
                    ("POSTAL_PROFIT", "default", "12"), ("POSTAL_LABOUR", "default", "13"))
    answers = {}
    for code, use_bulk in (("VIETTEL_POST", False), ("VNPOST", True)):
        answers[code] = [_import(code, payload, use_bulk) for payload in (first, first, second)]
    assert answers["VNPOST"] == answers["VIETTEL_POST"]
    assert answers["VNPOST"][0][2], "the outlier warning is part of the comparison"
    assert answers["VNPOST"][1][0]["ignored"] == 6  # the re-send

    def trail(unit):
        values, audits = state(unit)
        return [v[:-1] + (v[-1] is not None,) for v in values], audits  # deleted: when differs, not whether

    bulk, one = trail(units["VNPOST"]), trail(units["VIETTEL_POST"])
    assert bulk[0] == one[0]
    assert bulk[1] == one[1]
