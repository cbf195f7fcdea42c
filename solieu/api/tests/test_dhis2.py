"""DHIS2-compatible dataValueSets: import summaries, dry runs, strategies, export in both formats."""

from decimal import Decimal

import pytest
from django.test import Client

from solieu.catalog.periods import PeriodError, PeriodId
from solieu.collection.models import DataValue, DataValueAudit, Submission

from . import MONTH, QUARTER, counts, current, post_csv, post_json

pytestmark = pytest.mark.django_db

URL = "/api/dataValueSets"
CSV_HEADER = "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup"


def value_set(*values, **top):
    return {"dataSet": "BCCP-02", "period": QUARTER, "orgUnit": "VNPOST", "completeDate": "2026-01-05",
            "dataValues": list(values)} | top


def dv(element="POSTAL_REVENUE", value="1234.5", coc=None, **extra):
    item = {"dataElement": element, "value": value, "storedBy": "he-thong-vnpost", "followup": False}
    if coc is not None:
        item["categoryOptionCombo"] = coc
    return item | extra


def summary(response):
    body = response.json()
    return body["status"], body["importCount"]


def conflicts(response):
    return [(c["object"], c["value"]) for c in response.json()["conflicts"]]


FIRST = value_set(
    dv("POSTAL_REVENUE", "1234.5", "default", comment="Quý này có Tết"),
    dv("POSTAL_REVENUE", "1.234", "KT1"),  # a DHIS2 value: "." is the decimal point
    dv("POSTAL_VOLUME", "5000", "", attributeOptionCombo="default"),
    dv("POSTAL_LABOUR", "41000", "TOTAL"),
)


def test_json_import_counts_and_resend_changes_nothing(api_vnpost):
    response = post_json(api_vnpost, URL, FIRST)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["importCount"]) == (
        "SUCCESS", {"imported": 4, "updated": 0, "ignored": 0, "deleted": 0})
    assert body["conflicts"] == [] and body["dryRun"] is False and body["responseType"] == "ImportSummary"
    assert body["description"] == "Đã xử lý 4 giá trị: 4 tạo mới, 0 cập nhật, 0 xóa, 0 bỏ qua."
    revenue = current("POSTAL_REVENUE", "VNPOST", QUARTER)
    assert (revenue.value, revenue.comment, revenue.channel, revenue.form.code) == (
        Decimal("1234.5"), "Quý này có Tết", "dhis2", "BCCP-02")
    assert current("POSTAL_REVENUE", "VNPOST", QUARTER, "KT1").value == Decimal("1.234")

    before = counts()
    response = post_json(api_vnpost, URL, FIRST)
    assert summary(response) == ("SUCCESS", {"imported": 0, "updated": 0, "ignored": 4, "deleted": 0})
    assert counts() == before

    changed = value_set(dv("POSTAL_REVENUE", "1300"), *FIRST["dataValues"][1:])
    assert summary(post_json(api_vnpost, URL, changed)) == (
        "SUCCESS", {"imported": 0, "updated": 1, "ignored": 3, "deleted": 0})
    assert current("POSTAL_REVENUE", "VNPOST", QUARTER).value == 1300


def test_conflicts_name_the_object_and_the_reason(api_vnpost):
    with pytest.raises(PeriodError) as bad_period:
        PeriodId.parse("2023Q5")
    before = counts()
    response = post_json(api_vnpost, URL, value_set(
        dv("POSTAL_REVENUE", "10"),
        dv("KHONG_CO", "1"),
        dv("POSTAL_VOLUME", "1", orgUnit="KHONG-CO"),
        dv("POSTAL_VOLUME", "1", period="2023Q5"),
        dv("POSTAL_VOLUME", "mười hai"),
        dv("POSTAL_SERVICE_POINTS", "1", orgUnit="SKHCN-01", period=MONTH),
        dv("POSTAL_VOLUME", "1", attributeOptionCombo="PLAN"),
    ))
    assert response.status_code == 200
    assert summary(response) == ("WARNING", {"imported": 1, "updated": 0, "ignored": 6, "deleted": 0})
    assert conflicts(response) == [
        ("KHONG_CO", 'Không có chỉ tiêu mã "KHONG_CO" trong danh mục.'),
        ("KHONG-CO", 'Không có đơn vị báo cáo mã "KHONG-CO" trong danh mục.'),
        ("2023Q5", bad_period.value.message),
        ("mười hai", 'Không đọc được số "mười hai": chỉ được dùng chữ số, dấu chấm phân cách hàng nghìn và dấu phẩy '
                     "thập phân."),
        ("SKHCN-01", "Khóa API của đơn vị VNPOST không được ghi số liệu của đơn vị SKHCN-01."),
        ("PLAN", 'Không hỗ trợ attributeOptionCombo "PLAN"; để trống hoặc ghi "default".'),
    ]
    assert [c["indexes"] for c in response.json()["conflicts"]] == [[1], [2], [3], [4], [5], [6]]
    assert counts() == (before[0] + 1, before[1] + 1)


def test_session_scope_is_a_conflict_too(reporter01):
    response = post_json(reporter01, URL, {"period": MONTH, "dataValues": [
        {"dataElement": "POSTAL_SERVICE_POINTS", "orgUnit": "SKHCN-79", "value": "5"},
        {"dataElement": "POSTAL_SERVICE_POINTS", "orgUnit": "SKHCN-01", "value": "5"},
    ]})
    assert summary(response) == ("WARNING", {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0})
    assert conflicts(response) == [("SKHCN-79", "Bạn không có quyền ghi số liệu của đơn vị SKHCN-79.")]


def test_all_conflicts_is_an_error_409(api_vnpost):
    response = post_json(api_vnpost, URL, value_set(dv("KHONG_CO")))
    assert response.status_code == 409
    assert summary(response) == ("ERROR", {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0})


def test_unknown_data_set(api_vnpost):
    before = counts()
    response = post_json(api_vnpost, URL, value_set(dv(), dv("POSTAL_VOLUME", "1"), dataSet="BCCP-99"))
    assert response.status_code == 409
    assert summary(response) == ("ERROR", {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0})
    assert conflicts(response) == [("BCCP-99", 'Không có biểu mẫu (dataSet) mã "BCCP-99".')]
    assert counts() == before


def test_data_set_must_carry_the_element(api_vnpost):
    response = post_json(api_vnpost, URL, value_set(dv("POSTAL_REVENUE"), dataSet="BCVT-QUY"))
    assert conflicts(response) == [("POSTAL_REVENUE", "Chỉ tiêu POSTAL_REVENUE không có trong biểu mẫu BCVT-QUY được "
                                                      f"giao cho đơn vị VNPOST với kỳ {QUARTER}.")]


def test_csv_import_with_and_without_header(api_vnpost):
    text = (
        CSV_HEADER + "\n"
        f'POSTAL_REVENUE,{QUARTER},VNPOST,default,default,1234.5,vnpost,,"Ghi chú, có dấu phẩy",false\n'
        f"POSTAL_REVENUE,{QUARTER},VNPOST,KT1,,\"1.234,5\",,,,\n"
        f"POSTAL_VOLUME,{QUARTER},VNPOST,,,5000,,,,\n"
        f"KHONG_CO,{QUARTER},VNPOST,,,1,,,,\n"
    )
    response = post_csv(api_vnpost, URL, text)
    assert response.status_code == 200, response.content
    assert summary(response) == ("WARNING", {"imported": 3, "updated": 0, "ignored": 1, "deleted": 0})
    assert conflicts(response) == [("KHONG_CO", 'Không có chỉ tiêu mã "KHONG_CO" trong danh mục.')]
    assert current("POSTAL_REVENUE", "VNPOST", QUARTER).comment == "Ghi chú, có dấu phẩy"
    assert current("POSTAL_REVENUE", "VNPOST", QUARTER, "KT1").value == Decimal("1234.5")

    headerless = f"POSTAL_LABOUR,{QUARTER},VNPOST,,,41000,,,,false\n"
    response = api_vnpost.post(URL + "?format=csv", headerless, content_type="application/octet-stream")
    assert summary(response) == ("SUCCESS", {"imported": 1, "updated": 0, "ignored": 0, "deleted": 0})
    # re-sending changes nothing
    before = counts()
    response = post_csv(api_vnpost, URL + ".csv", text)
    assert summary(response)[1] == {"imported": 0, "updated": 0, "ignored": 4, "deleted": 0}
    assert counts() == before


def test_dry_run_stores_nothing_but_says_what_would_happen(api_vnpost):
    before = counts()
    submissions = Submission.objects.count()
    response = post_json(api_vnpost, URL + "?dryRun=true", FIRST)
    body = response.json()
    assert (body["status"], body["importCount"], body["dryRun"]) == (
        "SUCCESS", {"imported": 4, "updated": 0, "ignored": 0, "deleted": 0}, True)
    assert body["description"].startswith("Chạy thử (dryRun=true), không lưu gì.")
    assert counts() == before and Submission.objects.count() == submissions

    post_json(api_vnpost, URL, FIRST)
    before = counts()
    response = post_json(api_vnpost, URL + "?dryRun=true", value_set(dv("POSTAL_REVENUE", "999"), dv("KHONG_CO")))
    assert summary(response) == ("WARNING", {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0})
    response = post_csv(api_vnpost, URL + "?dryRun=true&importStrategy=DELETE",
                        CSV_HEADER + f"\nPOSTAL_REVENUE,{QUARTER},VNPOST,,,,,,,\n")
    assert summary(response) == ("SUCCESS", {"imported": 0, "updated": 0, "ignored": 0, "deleted": 1})
    assert counts() == before
    assert current("POSTAL_REVENUE", "VNPOST", QUARTER).value == Decimal("1234.5")


def test_atomic_import_stores_nothing_on_a_conflict(api_vnpost):
    before = counts()
    response = post_json(api_vnpost, URL + "?atomic=true", value_set(*FIRST["dataValues"], dv("KHONG_CO")))
    assert response.status_code == 409
    assert summary(response) == ("ERROR", {"imported": 0, "updated": 0, "ignored": 5, "deleted": 0})
    assert counts() == before
    assert summary(post_json(api_vnpost, URL + "?atomic=true", FIRST))[0] == "SUCCESS"
    assert counts()[0] == before[0] + 4


def test_import_strategies(api_vnpost):
    post_json(api_vnpost, URL, FIRST)
    response = post_json(api_vnpost, URL + "?importStrategy=CREATE", value_set(dv("POSTAL_REVENUE", "1"),
                                                                                 dv("POSTAL_PROFIT", "7")))
    assert summary(response) == ("WARNING", {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0})
    assert conflicts(response) == [(f"POSTAL_REVENUE/TOTAL/VNPOST/{QUARTER}", "Đã có số liệu cho ô này; "
                                    "importStrategy=CREATE không ghi đè (dùng CREATE_AND_UPDATE để cập nhật).")]
    response = post_json(api_vnpost, URL + "?importStrategy=UPDATE", value_set(dv("POSTAL_REVENUE", "2"),
                                                                                 dv("POSTAL_STATE_BUDGET", "3")))
    assert summary(response) == ("WARNING", {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0})
    assert conflicts(response)[0][1].startswith("Chưa có số liệu để cập nhật")
    response = post_json(api_vnpost, URL + "?importStrategy=MERGE", FIRST)
    assert response.status_code == 400
    assert response.json()["detail"] == ('importStrategy="MERGE" không hợp lệ; dùng một trong: CREATE, UPDATE, '
                                         "CREATE_AND_UPDATE, DELETE.")


def test_delete_is_a_soft_delete(api_vnpost):
    post_json(api_vnpost, URL, FIRST)
    values_before = DataValue.objects.count()
    response = post_json(api_vnpost, URL + "?importStrategy=DELETE", FIRST)
    assert summary(response) == ("SUCCESS", {"imported": 0, "updated": 0, "ignored": 0, "deleted": 4})
    assert DataValue.objects.count() == values_before  # rows stay, with their trail
    assert DataValue.objects.current().filter(unit__code="VNPOST").count() == 0
    assert DataValueAudit.objects.filter(action="delete", unit_code="VNPOST").count() == 4
    again = post_json(api_vnpost, URL + "?importStrategy=DELETE", FIRST)
    assert summary(again) == ("SUCCESS", {"imported": 0, "updated": 0, "ignored": 4, "deleted": 0})
    # and the key is free for a new value
    assert summary(post_json(api_vnpost, URL, FIRST))[1]["imported"] == 4
    # "deleted": true on one value, or an empty value, deletes that value only
    response = post_json(api_vnpost, URL, value_set(dv("POSTAL_REVENUE", "1234.5", deleted=True),
                                                     dv("POSTAL_VOLUME", "")))
    assert summary(response) == ("SUCCESS", {"imported": 0, "updated": 0, "ignored": 0, "deleted": 2})
    exported = api_vnpost.get(URL, {"orgUnit": "VNPOST", "includeDeleted": "true"}).json()["dataValues"]
    assert sum(1 for v in exported if v["deleted"]) == 6


def test_export_returns_what_was_imported_in_both_formats(api_vnpost):
    post_json(api_vnpost, URL, FIRST)
    response = api_vnpost.get(URL, {"dataSet": "BCCP-02", "period": QUARTER, "orgUnit": "VNPOST"})
    assert response.status_code == 200
    body = response.json()
    assert (body["dataSet"], body["period"], body["orgUnit"]) == ("BCCP-02", QUARTER, "VNPOST")
    got = {(v["dataElement"], v["categoryOptionCombo"]): v for v in body["dataValues"]}
    assert {k: v["value"] for k, v in got.items()} == {
        ("POSTAL_REVENUE", "default"): "1234.5", ("POSTAL_REVENUE", "KT1"): "1.2340",
        ("POSTAL_VOLUME", "default"): "5000", ("POSTAL_LABOUR", "default"): "41000",
    }
    revenue = got[("POSTAL_REVENUE", "default")]
    assert revenue | {"created": None, "lastUpdated": None, "storedBy": None} == {
        "dataElement": "POSTAL_REVENUE", "period": QUARTER, "orgUnit": "VNPOST", "categoryOptionCombo": "default",
        "attributeOptionCombo": "default", "value": "1234.5", "storedBy": None, "created": None,
        "lastUpdated": None, "comment": "Quý này có Tết", "followup": False, "deleted": False,
    }
    assert revenue["storedBy"].startswith("API: khóa Phần mềm thống kê VNPost")
    before = counts()
    assert summary(post_json(api_vnpost, URL, body))[1] == {"imported": 0, "updated": 0, "ignored": 4, "deleted": 0}

    csv_response = api_vnpost.get(URL, {"dataSet": "BCCP-02", "period": QUARTER, "orgUnit": "VNPOST",
                                        "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode().splitlines()
    assert lines[0] == CSV_HEADER and len(lines) == 5
    assert any(line.startswith(f"POSTAL_REVENUE,{QUARTER},VNPOST,KT1,default,1.2340,") for line in lines)
    assert api_vnpost.get(URL + ".csv", {"dataSet": "BCCP-02"}).content == csv_response.content
    assert summary(post_csv(api_vnpost, URL, csv_response.content.decode()))[1]["ignored"] == 4
    assert counts() == before
    assert current("POSTAL_REVENUE", "VNPOST", QUARTER, "KT1").value == Decimal("1.234")

    assert api_vnpost.get(URL, {"dataSet": "BC-SO-THANG"}).json()["dataValues"] == []
    assert len(api_vnpost.get(URL + ".json", {"dataElement": "POSTAL_LABOUR"}).json()["dataValues"]) == 1


def test_dhis2_options_refused_with_messages(api_vnpost):
    response = api_vnpost.get(URL, {"idScheme": "UID"})
    assert (response.status_code, response.json()["detail"]) == (
        400, 'idScheme="UID" không được hỗ trợ: solieu chỉ dùng mã (idScheme=CODE) cho chỉ tiêu, đơn vị, phân tổ và '
             "biểu mẫu.")
    response = api_vnpost.post(URL, "<dataValueSet/>", content_type="application/xml")
    assert (response.status_code, response.json()["detail"]) == (
        415, 'Không hỗ trợ kiểu dữ liệu "application/xml"; hãy gửi application/json hoặc text/csv.')
    response = post_json(api_vnpost, URL, [dv()])
    assert (response.status_code, response.json()["detail"]) == (
        400, 'Dữ liệu JSON phải là một đối tượng dataValueSet {"dataValues": [...]}.')
    response = api_vnpost.get(URL, {"startDate": "31/12/2026"})
    assert response.status_code == 400 and response.json()["detail"].startswith('Ngày "31/12/2026" không hợp lệ')


def test_anonymous_import_is_refused(catalog, db):
    response = post_json(Client(), URL, FIRST)
    assert response.status_code == 401
