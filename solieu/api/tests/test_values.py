"""/api/data/values: JSON and CSV, written through the entry service and read back unchanged."""

from decimal import Decimal

import pytest

from solieu.catalog.periods import PeriodError, PeriodId
from solieu.catalog.models import Period
from solieu.collection.models import DataValueAudit, Submission, SubmissionStatus

from . import MONTH, QUARTER, counts, current, post_csv, post_json

pytestmark = pytest.mark.django_db

URL = "/api/data/values"
POINTS = "POSTAL_SERVICE_POINTS"  # integer, row 4 of BC-SO-THANG
BROADBAND = "TELECOM_FIXED_BROADBAND_SUBSCRIBERS"  # decimal, row 5 of BC-SO-THANG


def period_error(code):
    with pytest.raises(PeriodError) as caught:
        PeriodId.parse(code)
    return caught.value.message


def one(indicator=POINTS, v="120", **extra):
    return {"indicator": indicator, "unit": "SKHCN-01", "period": MONTH, "value": v, **extra}


def conflicts(response):
    return [(c["object"], c["value"]) for c in response.json()["conflicts"]]


def test_json_round_trip_with_vietnamese_numbers(api01):
    payload = [
        one(POINTS, "1.614.206", comment="Số liệu của Bưu điện TP"),
        {"indicator": BROADBAND, "option": "TOTAL", "unit": "SKHCN-01", "period": MONTH, "value": "1.234,5",
         "status": "estimate"},
        one("OVERVIEW_COMMUNES", 526),
        one("TELECOM_FTTH_HOUSEHOLD_RATE", "8,66"),
    ]
    response = post_json(api01, URL, payload)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "SUCCESS"
    assert body["importCount"] == {"imported": 4, "updated": 0, "ignored": 0, "deleted": 0}
    assert current(POINTS, "SKHCN-01", MONTH).value == 1614206
    assert current(BROADBAND, "SKHCN-01", MONTH).value == Decimal("1234.5")
    assert current("TELECOM_FTTH_HOUSEHOLD_RATE", "SKHCN-01", MONTH).value == Decimal("8.66")

    read = api01.get(URL, {"unit": "SKHCN-01", "period": MONTH}).json()
    assert read["count"] == 4
    by_code = {v["indicator"]: v for v in read["values"]}
    assert by_code[POINTS]["value"] == "1614206" and by_code[POINTS]["comment"] == "Số liệu của Bưu điện TP"
    assert by_code[BROADBAND] | {"updated_at": None} == {
        "indicator": BROADBAND, "option": "TOTAL", "unit": "SKHCN-01", "period": MONTH, "value": "1234.5",
        "status": "estimate", "comment": "", "form": "BC-SO-THANG", "revision": 1, "channel": "api",
        "updated_at": None,
    }
    assert by_code["TELECOM_FTTH_HOUSEHOLD_RATE"]["value"] == "8.66"

    # what was read, sent back, changes nothing
    before = counts()
    again = post_json(api01, URL, read).json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 4, "deleted": 0}
    assert again["status"] == "SUCCESS" and counts() == before


def test_json_numbers_are_read_exactly(api01):
    payload = [one(BROADBAND, None) | {"value": 1.234}, one(POINTS, None) | {"value": -0}]
    response = post_json(api01, URL, payload)
    assert response.json()["importCount"]["imported"] == 2, response.content
    assert current(BROADBAND, "SKHCN-01", MONTH).value == Decimal("1.234")  # never 1234, never a float
    assert current(POINTS, "SKHCN-01", MONTH).value == 0
    # written so that the Vietnamese reading gives it back: "1.234" would read 1234
    values = {v["indicator"]: v["value"] for v in api01.get(URL).json()["values"]}
    assert values == {BROADBAND: "1.2340", POINTS: "0"}
    assert post_json(api01, URL, api01.get(URL).json()).json()["importCount"]["ignored"] == 2
    assert current(BROADBAND, "SKHCN-01", MONTH).value == Decimal("1.234")


def test_csv_round_trip(api01):
    text = (
        "indicator,option,unit,period,value,status,comment\n"
        f'{POINTS},TOTAL,SKHCN-01,{MONTH},"1.234",official,"Gồm cả điểm BĐ-VHX, đại lý"\n'
        f'{BROADBAND},,SKHCN-01,{MONTH},"35,25",estimate,\n'
        f'OVERVIEW_POPULATION,TOTAL,SKHCN-01,{MONTH},8 587 100,,\n'
    )
    response = post_csv(api01, URL, text)
    assert response.status_code == 200, response.content
    assert response.json()["importCount"] == {"imported": 3, "updated": 0, "ignored": 0, "deleted": 0}
    assert current(POINTS, "SKHCN-01", MONTH).comment == "Gồm cả điểm BĐ-VHX, đại lý"
    assert current(BROADBAND, "SKHCN-01", MONTH).value == Decimal("35.25")
    assert current("OVERVIEW_POPULATION", "SKHCN-01", MONTH).value == 8587100

    response = api01.get(URL, {"format": "csv", "period": MONTH})
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Total-Count"] == "3"
    lines = response.content.decode().splitlines()
    assert lines[0] == "indicator,option,unit,period,value,status,comment"
    assert f'{POINTS},TOTAL,SKHCN-01,{MONTH},1234,official,"Gồm cả điểm BĐ-VHX, đại lý"' in lines
    assert f"{BROADBAND},TOTAL,SKHCN-01,{MONTH},35.25,estimate," in lines
    assert api01.get(URL, {"period": MONTH}, headers={"Accept": "text/csv"}).content == response.content

    before = counts()
    again = post_csv(api01, URL, response.content.decode())
    assert again.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}
    assert counts() == before


def test_csv_with_semicolons_and_a_bom(api01):
    text = "\ufeffindicator;unit;period;value\n" f"{BROADBAND};SKHCN-01;{MONTH};1.234,5\n"
    response = post_csv(api01, URL, text)
    assert response.json()["importCount"]["imported"] == 1, response.content
    assert current(BROADBAND, "SKHCN-01", MONTH).value == Decimal("1234.5")


def test_csv_needs_a_header_and_its_columns(api01):
    response = post_csv(api01, URL, f"{POINTS},TOTAL,SKHCN-01,{MONTH},5,,\n")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Tệp CSV phải có dòng tiêu đề: indicator,option,unit,period,value,status,comment.")
    response = post_csv(api01, URL, "indicator,unit,value\nX,SKHCN-01,5\n")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Tệp CSV thiếu cột: period.")


def test_updates_count_and_keep_the_trail(api01):
    post_json(api01, URL, [one(v="100")])
    response = post_json(api01, URL, [one(v="105", status="estimate")])
    assert response.json()["importCount"] == {"imported": 0, "updated": 1, "ignored": 0, "deleted": 0}
    stored = current(POINTS, "SKHCN-01", MONTH)
    assert (stored.value, stored.status, stored.revision) == (105, "estimate", 2)
    assert stored.form.code == "BC-SO-THANG"
    assert stored.submission.form.code == "BC-SO-THANG" and stored.submission.period.code == MONTH
    assert [(a.action, a.channel) for a in stored.audits.order_by("id")] == [
        (DataValueAudit.Action.CREATE, "api"), (DataValueAudit.Action.UPDATE, "api")]
    # an empty value deletes, as on the web grid
    response = post_json(api01, URL, [one(v="")])
    assert response.json()["importCount"]["deleted"] == 1
    assert current(POINTS, "SKHCN-01", MONTH) is None


@pytest.mark.parametrize("sent, message", [
    ("abc", 'Không đọc được số "abc": chỉ được dùng chữ số, dấu chấm phân cách hàng nghìn và dấu phẩy thập phân.'),
    ("1e309", 'Không đọc được số "1e309": không chấp nhận cách viết lũy thừa (như "1e5"); hãy viết đủ các chữ số.'),
    ("NaN", 'Không đọc được số "NaN": không chấp nhận giá trị NaN hay vô cực (Infinity).'),
    ("12,5", 'Dòng 4 "Số điểm phục vụ bưu chính": 12,5 không hợp lệ; chỉ tiêu này phải là số nguyên.'),
    ("-3", 'Dòng 4 "Số điểm phục vụ bưu chính": -3 là số âm; chỉ tiêu này không nhận giá trị âm.'),
    ("1.000.000.000.000.000.000", "Giá trị 1.000.000.000.000.000.000 vượt quá giới hạn lưu trữ "
                                  "(tối đa 18 chữ số ở phần nguyên)."),
    (True, "Giá trị phải là một số hoặc chuỗi số, không phải true/false."),
])
def test_bad_values_are_conflicts_with_the_reason(api01, sent, message):
    before = counts()
    response = post_json(api01, URL, [one(v=sent)])
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "ERROR"
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0}
    assert conflicts(response) == [(str(sent), message)]
    assert counts() == before


@pytest.mark.parametrize("literal, message", [
    ("1e309", 'Không đọc được số "1e309": không chấp nhận cách viết lũy thừa (như "1e5"); hãy viết đủ các chữ số.'),
    ("NaN", 'Không đọc được số "NaN": không chấp nhận giá trị NaN hay vô cực (Infinity).'),
    ("-Infinity", 'Không đọc được số "-Infinity": không chấp nhận giá trị NaN hay vô cực (Infinity).'),
    ("1" + "0" * 40, "số quá dài"),
])
def test_bad_json_number_literals(api01, literal, message):
    body = f'[{{"indicator": "{POINTS}", "unit": "SKHCN-01", "period": "{MONTH}", "value": {literal}}}]'
    response = post_json(api01, URL, body)
    assert response.status_code == 409
    assert message in conflicts(response)[0][1]


def test_minus_zero_is_stored_as_zero(api01):
    response = post_json(api01, URL, f'[{{"indicator": "{BROADBAND}", "unit": "SKHCN-01", "period": "{MONTH}", '
                                     f'"value": -0.0}}, {{"indicator": "{POINTS}", "unit": "SKHCN-01", '
                                     f'"period": "{MONTH}", "value": "-0"}}]')
    assert response.json()["importCount"]["imported"] == 2
    assert str(current(BROADBAND, "SKHCN-01", MONTH).value) in ("0", "0E-6", "0.000000")
    assert not current(POINTS, "SKHCN-01", MONTH).value.is_signed()


def test_values_must_belong_to_an_assigned_form(api01, api_vnpost):
    response = post_json(api01, URL, [one("POSTAL_REVENUE", "5")])
    assert conflicts(response) == [("POSTAL_REVENUE", f"Chỉ tiêu POSTAL_REVENUE không có trong biểu mẫu nào được "
                                                      f"giao cho đơn vị SKHCN-01 với kỳ {MONTH}.")]
    # the monthly form does not take a quarter
    response = post_json(api01, URL, [one(period=QUARTER)])
    assert conflicts(response) == [(POINTS, f"Chỉ tiêu {POINTS} không có trong biểu mẫu nào được giao cho đơn vị "
                                            f"SKHCN-01 với kỳ {QUARTER}.")]
    # VNPost's quarterly BCCP-02, with its disaggregation by service
    base = {"indicator": "POSTAL_REVENUE", "unit": "VNPOST", "period": QUARTER}
    response = post_json(api_vnpost, URL, [base | {"value": "1.000,5"}, base | {"option": "KT1", "value": "120"},
                                           base | {"option": "4G", "value": "1"}])
    assert response.json()["status"] == "WARNING"
    assert response.json()["importCount"] == {"imported": 2, "updated": 0, "ignored": 1, "deleted": 0}
    assert conflicts(response) == [("4G", 'Chỉ tiêu POSTAL_REVENUE trên biểu BCCP-02 không có phân tổ "4G"; các mã '
                                          "phân tổ hợp lệ: TOTAL, PUBLIC_UTILITY, KT1, DOMESTIC, INTERNATIONAL.")]
    assert current("POSTAL_REVENUE", "VNPOST", QUARTER, "KT1").form.code == "BCCP-02"


def test_unknown_codes_and_status(api01):
    response = post_json(api01, URL, [
        one("KHONG_CO"), one() | {"unit": "SKHCN-99"}, one(period="2023Q5"), one(status="final"),
        "không phải đối tượng", one() | {"value": {"v": 1}},
    ])
    assert conflicts(response) == [
        ("KHONG_CO", 'Không có chỉ tiêu mã "KHONG_CO" trong danh mục.'),
        ("SKHCN-99", 'Không có đơn vị báo cáo mã "SKHCN-99" trong danh mục.'),
        ("2023Q5", period_error("2023Q5")),
        ("final", 'Tình trạng số liệu "final" không hợp lệ; dùng estimate (ước tính), preliminary (sơ bộ) hoặc '
                  "official (chính thức)."),
        ("#4", "Mỗi giá trị phải là một đối tượng JSON {indicator, unit, period, value...}."),
        ("#5", 'Trường "value" phải là một giá trị đơn, không phải đối tượng hay danh sách.'),
    ]
    assert [c["indexes"] for c in response.json()["conflicts"]] == [[0], [1], [2], [3], [4], [5]]


def test_locked_submissions_refuse_values(api01):
    post_json(api01, URL, [one(v="10")])
    Submission.objects.filter(unit__code="SKHCN-01", period__code=MONTH).update(status=SubmissionStatus.APPROVED)
    response = post_json(api01, URL, [one(v="11")])
    assert conflicts(response) == [(f"{POINTS}/TOTAL/SKHCN-01/{MONTH}", "Báo cáo đã được phê duyệt nên đã khóa; đề "
                                                                        "nghị người phê duyệt mở lại nếu cần sửa.")]
    assert current(POINTS, "SKHCN-01", MONTH).value == 10


def test_atomic_is_all_or_nothing_and_dry_run_stores_nothing(api01):
    before = counts()
    payload = [one(v="10"), one(BROADBAND, "abc")]
    response = post_json(api01, URL + "?atomic=true", payload)
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "ERROR" and body["importOptions"]["atomic"] is True
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0}
    assert body["description"].startswith("Không lưu giá trị nào: có 1 xung đột và atomic=true")
    assert counts() == before

    response = post_json(api01, URL + "?dryRun=true", payload)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "WARNING" and body["dryRun"] is True
    assert body["importCount"] == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    assert counts() == before

    response = post_json(api01, URL, payload)  # DHIS2 style: the good value goes in
    assert response.json()["importCount"]["imported"] == 1
    assert current(POINTS, "SKHCN-01", MONTH).value == 10


def test_filters(api01, api_vnpost):
    post_json(api01, URL, [one(v="1"), one(BROADBAND, "2")])
    assert api01.get(URL, {"indicator": BROADBAND}).json()["count"] == 1
    assert api01.get(URL, {"indicator": f"{BROADBAND},{POINTS}"}).json()["count"] == 2
    assert api01.get(URL, {"form": "BC-SO-THANG"}).json()["count"] == 2
    assert api01.get(URL, {"form": "BCCP-02"}).json()["count"] == 1  # POSTAL_SERVICE_POINTS is on both
    assert api01.get(URL, {"limit": 1, "offset": 1}).json()["values"][0]["indicator"] == BROADBAND
    for params, message in [
        ({"period": "2023Q5"}, period_error("2023Q5")),
        ({"unit": "KHONG-CO"}, 'Không có đơn vị báo cáo mã "KHONG-CO" trong danh mục.'),
        ({"indicator": "KHONG_CO"}, 'Không có chỉ tiêu mã "KHONG_CO" trong danh mục.'),
        ({"form": "KHONG-CO"}, 'Không có biểu mẫu mã "KHONG-CO".'),
        ({"format": "xml"}, 'Tham số format="xml" không hợp lệ; dùng "json" hoặc "csv".'),
    ]:
        response = api01.get(URL, params)
        assert (response.status_code, response.json()["detail"]) == (400, message)


def test_a_refused_first_value_does_not_break_the_next_ones(api01):
    """The period and the submission created for a refused value must survive for the next value."""
    Submission.objects.filter(unit__code="SKHCN-01", period__code=MONTH).delete()
    Period.objects.filter(code=MONTH, values__isnull=True, submissions__isnull=True).delete()
    response = post_json(api01, URL, [one(v="-5"), one(BROADBAND, "7"), one("OVERVIEW_COMMUNES", "-1"),
                                      one("OVERVIEW_COMMUNES", "526")])
    assert response.status_code == 200, response.content
    assert response.json()["importCount"] == {"imported": 2, "updated": 0, "ignored": 2, "deleted": 0}
    stored = current(BROADBAND, "SKHCN-01", MONTH)
    assert stored.period.code == MONTH and stored.submission.period_id == stored.period_id
    from django.db import connection
    connection.check_constraints()  # no value points at a period or submission rolled back
