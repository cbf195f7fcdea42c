"""The import engine's fast path (issue 8) says and stores what the one-value-at-a-time path does.

Importer.use_bulk = False writes every value through entry.save_cell, as before issue 8; the
bulk path memoizes lookups across values and units (place, _lock_verdict), reads numbers
without parse_number, checks cells without building messages and writes with COPY. A batch
mixing every kind of value must come out the same both ways: summary (counts, conflicts,
warnings, in order) and the values and audit entries stored.
"""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from solieu.accounts.models import Membership, Role
from solieu.api import data, dhis2
from solieu.api.auth import Principal
from solieu.catalog.models import DisaggregationOption, Indicator, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection.models import Channel, DataValue, DataValueAudit, Submission, SubmissionStatus
from solieu.collection.values import Key, save_value
from solieu.vi import NumberParseError, parse_number

pytestmark = pytest.mark.django_db

QUARTER = PeriodId.containing("quarter", timezone.localdate())
POSTAL = ["VNPOST", "VIETTEL_POST", "VNEMS", "GHN", "GHTK"]  # all assigned BCCP-02


def dv(unit, element, value, coc="default", **extra):
    return {"dataElement": element, "categoryOptionCombo": coc, "orgUnit": unit, "value": value} | extra


def payload():
    """Valid, invalid, locked (GHN: approved), out of the reporter's scope (GHTK), unknown codes,
    a cell sent twice, a deletion and a value unchanged, over units sharing one assignment."""
    values = []
    for unit in ("VNPOST", "VIETTEL_POST", "VNEMS", "GHN", "GHTK"):
        values += [dv(unit, "POSTAL_REVENUE", "5000"), dv(unit, "POSTAL_REVENUE", "120.5", "KT1"),
                   dv(unit, "POSTAL_VOLUME", "77")]
    values += [
        dv("VNPOST", "POSTAL_KT1_VOLUME", "-3"),            # negative: check_cell refuses
        dv("VNPOST", "POSTAL_VOLUME", "12.5"),              # not an integer
        dv("VNPOST", "POSTAL_VOLUME", "mười hai"),          # not a number
        dv("VNPOST", "POSTAL_REVENUE", "1", "KHONG_CO"),    # no such option on the row
        dv("KHONG_CO", "POSTAL_REVENUE", "1"),               # no such unit
        dv("VNPOST", "KHONG_CO", "1"),                       # no such indicator
        dv("VNPOST", "POSTAL_REVENUE", "1", period="2023Q5"),  # no such period
        dv("VNPOST", "POSTAL_REVENUE", "1", attributeOptionCombo="PLAN"),
        dv("VIETTEL_POST", "POSTAL_PROFIT", "10"),
        dv("VIETTEL_POST", "POSTAL_PROFIT", "11"),           # the same cell again: the later wins
        dv("VIETTEL_POST", "POSTAL_LABOUR", ""),             # deletes the stored value
        dv("VNEMS", "POSTAL_LABOUR", "40"),                  # as stored: unchanged
        dv("VNEMS", "POSTAL_LABOUR", "1e5"),                 # an exponent: refused
        dv("VNEMS", "POSTAL_PROFIT", "12345678901234567890123456789.5"),  # too long
        dv("VNEMS", "POSTAL_PROFIT", 0.0),                   # a float: refused
        dv("VNEMS", "POSTAL_VOLUME", "1234567890123456789"),  # over the storage limit
    ]
    return {"dataSet": "BCCP-02", "period": QUARTER.code, "dataValues": values}


@pytest.fixture
def world(catalog):
    units = {code: ReportingUnit.objects.get(code=code) for code in POSTAL}
    revenue, labour = Indicator.objects.get(code="POSTAL_REVENUE"), Indicator.objects.get(code="POSTAL_LABOUR")
    total = DisaggregationOption.total()
    past = QUARTER
    for n in range(8):  # history: outlier and year-on-year warnings
        past = past.previous()
        for unit in units.values():
            save_value(Key(revenue, total, unit, Period.objects.for_id(past)), Decimal(1000 + 10 * n),
                       channel=Channel.HISTORY)
    period = Period.objects.for_id(QUARTER)
    for code in ("VIETTEL_POST", "VNEMS"):
        save_value(Key(labour, total, units[code], period), Decimal(40), channel=Channel.HISTORY)
    from solieu.catalog.models import Form

    form = Form.objects.get(code="BCCP-02", active=True)
    Submission.objects.create(form=form, unit=units["GHN"], period=period, form_version=form.version,
                              status=SubmissionStatus.APPROVED)
    User = get_user_model()
    admin = User.objects.create(username="quan-tri-nhap", is_superuser=True)
    reporter = User.objects.create(username="nhap-buu-chinh")
    for code in ("VNPOST", "VIETTEL_POST", "VNEMS", "GHN"):  # not GHTK
        Membership.objects.create(user=reporter, role=Role.REPORTER, unit=units[code])
    return {"admin": admin, "reporter": reporter}


def state():
    values = sorted((*v[:-1], v[-1] is None) for v in DataValue.objects.values_list(
        "indicator__code", "option__code", "unit__code", "period__code", "value", "status", "comment", "revision",
        "channel", "source", "form__code", "form_version", "submission__unit__code", "deleted_at"))
    audits = sorted(DataValueAudit.objects.values_list(
        "action", "indicator_code", "option_code", "unit_code", "period_code", "old_value", "new_value",
        "old_status", "new_status", "revision", "channel", "source", "note", "user__username"),
        key=lambda a: tuple("" if v is None else str(v) for v in a))
    return values, audits


def run(user, use_bulk, **options):
    """The summary and the stored state of one import, rolled back after."""
    items = dhis2.items_from_json(data.load_json(json.dumps(payload())))
    importer = data.Importer(Principal(user=get_user_model().objects.get(pk=user.pk)), channel=Channel.DHIS2,
                             machine_strings=True, default_form="BCCP-02", **options)
    importer.use_bulk = use_bulk
    with transaction.atomic():
        answer = importer.run(items).as_dict()
        stored = state()
        transaction.set_rollback(True)
    return answer, stored


@pytest.mark.parametrize("who", ["admin", "reporter"])
@pytest.mark.parametrize("options", [{}, {"atomic": True}, {"strategy": "CREATE"}, {"strategy": "UPDATE"}])
def test_bulk_and_one_at_a_time_agree(world, who, options):
    bulk, one = run(world[who], True, **options), run(world[who], False, **options)
    assert bulk[0] == one[0]
    assert bulk[1] == one[1]
    answer = bulk[0]
    if not options:
        objects = [c["value"] for c in answer["conflicts"]]
        assert any("đã được phê duyệt" in m for m in objects)  # GHN is locked
        assert any("-3 là số âm" in m for m in objects)
        assert answer["warnings"], "the history warnings are part of the comparison"
        assert (who == "reporter") == any("GHTK" in m for m in objects)  # scope


def test_a_refused_placement_is_not_shared_between_units(world):
    """Units sharing an assignment share form_for's answers, never its refusals (they name the unit)."""
    from solieu.catalog.models import FormAssignment

    FormAssignment.objects.filter(unit__code="VNEMS", form__code="BCCP-02").update(valid_to=QUARTER.start_date
                                                                                  - timezone.timedelta(days=1))
    items = dhis2.items_from_json({"dataSet": "BCCP-02", "period": QUARTER.code, "dataValues": [
        dv("VNPOST", "POSTAL_VOLUME", "1"), dv("VNEMS", "POSTAL_VOLUME", "1"), dv("VIETTEL_POST", "POSTAL_VOLUME", "1"),
        dv("VNEMS", "POSTAL_PROFIT", "1")]})
    importer = data.Importer(Principal(user=world["admin"]), channel=Channel.DHIS2, machine_strings=True)
    answer = importer.run(items).as_dict()
    assert answer["importCount"]["imported"] == 2
    assert [(c["object"], c["indexes"]) for c in answer["conflicts"]] == [("VNEMS", [1]), ("VNEMS", [3])]
    assert all("Đơn vị VNEMS không được giao biểu BCCP-02" in c["value"] for c in answer["conflicts"])


@pytest.mark.parametrize("text", [
    "0", "-0", "+0", "-0.000", "007", "1234", "1.234", "1.2340", "1234.5", "-1234.500", "+5", "0.000001",
    "999999999999999999", "1000000000000000000", "12345678901234567890123456.5", "1234567890123456789012345678",
    "12345678901234567890123456789", "0000000000000000000000000000001", "1.5000000000000000000000000001",
])
def test_machine_numbers_read_as_parse_number_reads_them(text):
    """read_number's shortcut (Decimal() for a short plain decimal) against parse_number's answer."""
    for raw in (text, data.NumberText(text)):
        try:
            expected = parse_number(text, prefer="en")
        except NumberParseError as exc:
            with pytest.raises(data.ValueRefused) as refused:
                data.read_number(raw, machine_strings=True)
            assert refused.value.message == exc.message
            continue
        expected = Decimal(0) if expected.is_zero() else expected
        if abs(expected) >= data.MAX_ABS_VALUE:
            with pytest.raises(data.ValueRefused):
                data.read_number(raw, machine_strings=True)
            continue
        got = data.read_number(raw, machine_strings=True)
        assert (got, str(got)) == (expected, str(expected))


def test_json_strings_and_depth_checks_unchanged():
    """The faster string pattern and the shortcut of the NUL/surrogate walk refuse what they refused."""
    from ninja.errors import HttpError

    assert data.json_depth_ok('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[", "b": "\\"[[[[[[[[[[[[[[[[[[[[[[[[["}')
    assert not data.json_depth_ok("[" * 21 + "]" * 21)
    assert data.json_depth_ok("[" * 20 + "]" * 20)
    assert not data.json_depth_ok('["\\\\", ' + "[" * 21 + "]" * 21 + "]")
    for text in ('{"a": "x\\u0000"}', '{"a": ["\\ud800"]}', '{"\\u0000": 1}', '{"a": "\\\\\\u0000"}'):
        with pytest.raises(HttpError):
            data.load_json(text)
    assert data.load_json('{"a": "\\\\u0000"}') == {"a": "\\u0000"}  # an escaped backslash, then text


def test_cycle_collection_paused_during_an_import_then_as_it_was():
    import gc

    assert gc.isenabled()
    with data.no_cycle_collection():
        assert not gc.isenabled()
        with data.no_cycle_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one did not pause it
    assert gc.isenabled()
    gc.disable()
    try:
        with data.no_cycle_collection():
            pass
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_a_nul_in_a_code_parameter_is_a_400(catalog):
    """Found by schemathesis on PostgreSQL: GET /api/dataValueSets.json?dataElement=%00 was a 500."""
    from django.test import Client

    user = get_user_model().objects.create(username="doc-nul", is_superuser=True)
    client = Client()
    client.force_login(user)
    response = client.get("/api/dataValueSets.json", {"dataElement": "\x00"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Tham số dataElement có ký tự NUL (mã 0); hãy bỏ ký tự này rồi gửi lại."
