"""Hostile input: oversized bodies, too many values, deep nesting, broken encodings. Never a 500."""

import json

import pytest

from . import MONTH, counts, current, post_csv, post_json

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
TOO_BIG = "quá lớn"
TOO_MANY = ("Mỗi lần gửi tối đa 50.000 giá trị; yêu cầu này có 50.001 giá trị. Hãy chia thành nhiều lần gửi.")


def small(n):
    return {"indicator": "POSTAL_SERVICE_POINTS", "unit": "SKHCN-01", "period": MONTH, "value": n}


@pytest.mark.parametrize("url", ["/api/data/values", "/api/dataValueSets"])
def test_bodies_over_5_mb_are_refused_with_413(api01, url):
    before = counts()
    body = json.dumps({"dataValues": [small(1) | {"comment": "x" * (5 * MB)}]})
    response = post_json(api01, url, body)
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"Dữ liệu gửi lên quá lớn ({len(body):,} byte): mỗi lần gửi tối đa 5 MB (5.242.880 byte). "
        "Hãy chia thành nhiều lần gửi.".replace(",", "."))
    response = post_csv(api01, url, "indicator,unit,period,value\n" + "x" * (5 * MB))
    assert response.status_code == 413 and TOO_BIG in response.json()["detail"]
    assert counts() == before


def test_the_api_limit_not_djangos_applies(api01, settings):
    """3 MB is above DATA_UPLOAD_MAX_MEMORY_SIZE (2,5 MB) and below the API's 5 MB: accepted."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 3 * MB
    body = json.dumps([small("12") | {"padding": "x" * (3 * MB)}])
    response = post_json(api01, "/api/data/values", body)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["importCount"]["imported"] == 1
    settings.SOLIEU_API_MAX_BODY = MB
    response = post_json(api01, "/api/data/values", body)
    assert response.status_code == 413
    assert "tối đa 1 MB (1.048.576 byte)" in response.json()["detail"]


def test_more_than_50000_values_are_refused(api01):
    before = counts()
    values = [small(i) for i in range(50_001)]
    response = post_json(api01, "/api/data/values", values)
    assert (response.status_code, response.json()["detail"]) == (400, TOO_MANY)
    response = post_json(api01, "/api/dataValueSets", {"dataValues": [
        {"dataElement": "X", "orgUnit": "SKHCN-01", "period": MONTH, "value": "1"}] * 50_001})
    assert (response.status_code, response.json()["detail"]) == (400, TOO_MANY)
    rows = "".join(f"POSTAL_SERVICE_POINTS,,SKHCN-01,{MONTH},{i},,\n" for i in range(50_001))
    response = post_csv(api01, "/api/data/values", "indicator,option,unit,period,value,status,comment\n" + rows)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Mỗi lần gửi tối đa 50.000 giá trị")
    response = post_csv(api01, "/api/dataValueSets", rows)
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize("depth", [21, 5000, 200_000])
def test_deep_json_is_refused(api01, depth):
    response = post_json(api01, "/api/dataValueSets", "[" * depth + "]" * depth)
    assert (response.status_code, response.json()["detail"]) == (
        400, "Dữ liệu JSON lồng nhau quá sâu (tối đa 20 cấp).")


def test_brackets_inside_strings_are_not_nesting(api01):
    response = post_json(api01, "/api/data/values", [small("3") | {"comment": "[" * 100 + '"{' * 50}])
    assert response.status_code == 200
    assert current("POSTAL_SERVICE_POINTS", "SKHCN-01", MONTH).comment.startswith("[[[")


@pytest.mark.parametrize("body, content_type, status, message", [
    ("", "application/json", 400, "Không có dữ liệu: nội dung yêu cầu đang trống."),
    ("{", "application/json", 400, "Dữ liệu JSON không hợp lệ ở dòng 1, cột 2."),
    ('{"values": 5}', "application/json", 400,
     'Dữ liệu JSON phải là một danh sách giá trị, hoặc một đối tượng {"values": [...]}.'),
    (b"indicator,unit,period,value\n\xff\xfe,1,2,3\n", "text/csv", 400,
     "Dữ liệu không đúng bảng mã UTF-8 (byte thứ 29); hãy lưu tệp với mã hóa UTF-8."),
    ("indicator,unit,period,value\n", "text/csv; charset=klingon", 415,
     'Không hỗ trợ bảng mã "klingon"; hãy gửi dữ liệu mã hóa UTF-8.'),
    ('indicator,unit,period,value\n"abc,1,2\n', "text/csv", 400,
     "Tệp CSV không hợp lệ ở dòng 2: sai cấu trúc (dấu ngoặc kép hoặc dấu phân cách)."),
])
def test_malformed_bodies(api01, body, content_type, status, message):
    response = api01.generic("POST", "/api/data/values", body, content_type=content_type)
    assert (response.status_code, response.json()["detail"]) == (status, message)


def test_csv_fields_too_long(api01):
    response = post_csv(api01, "/api/data/values", 'indicator,unit,period,value\n"' + "x" * 200_000 + '",1,2,3\n')
    assert response.status_code == 400
    assert response.json()["detail"] == "Tệp CSV không hợp lệ ở dòng 2: một ô quá dài."


@pytest.mark.parametrize("body", [
    "null", "5", '"chuỗi"', "[null, 5, [], {}]", '{"dataValues": {"a": 1}}', '{"dataValues": [[1]]}',
    '[{"indicator": 5, "unit": [], "period": 202607, "value": {}}]',
    '[{"indicator": "POSTAL_SERVICE_POINTS", "unit": "SKHCN-01", "period": null, "value": "1"}]',
    '[{"indicator": "POSTAL_SERVICE_POINTS", "unit": "SKHCN-01", "period": "' + MONTH + '", "value": 1, '
    '"status": 5, "comment": 7, "option": false}]',
    '{"dataValues": [{"dataElement": "POSTAL_SERVICE_POINTS", "orgUnit": 5, "period": 5, "value": true, '
    '"deleted": "maybe", "categoryOptionCombo": {"x": 1}}]}',
    '[{"indicator": "POSTAL_SERVICE_POINTS", "unit": "SKHCN-01", "period": "' + MONTH + '", "value": '
    '"' + "9" * 5000 + '"}]',
    '[{"indicator": "POSTAL_SERVICE_POINTS", "unit": "SKHCN-01", "period": "' + MONTH + '", "value": "1",'
    ' "comment": "' + "y" * 6000 + '"}]',
])
@pytest.mark.parametrize("url", ["/api/data/values", "/api/dataValueSets"])
def test_hostile_json_never_breaks_the_server(api01, body, url):
    before = counts()
    response = post_json(api01, url, body)
    assert response.status_code in (200, 400, 409), response.content[:500]
    assert response.json()["detail" if response.status_code == 400 else "status"]
    assert counts() == before
