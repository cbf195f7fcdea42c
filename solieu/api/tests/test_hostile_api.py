"""Hostile API input beyond test_limits.py: unstorable characters, wrong content types and
encodings, numbers no one should store, injection payloads kept as text; and properties over
random values and CSV rows. Every refusal has its exact Vietnamese message and stores nothing."""

import csv
import io
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from solieu.api.data import read_number, ValueRefused

from . import MONTH, counts, current, post_json

pytestmark = pytest.mark.django_db

POINTS = "POSTAL_SERVICE_POINTS"          # integer, not negative
RATE = "TELECOM_FIXED_BROADBAND_PER100"  # decimal
URLS = ["/api/data/values", "/api/dataValueSets"]
NATIVE, DHIS2 = URLS


def native(indicator=POINTS, value="1", **extra):
    return {"indicator": indicator, "unit": "SKHCN-01", "period": MONTH, "value": value, **extra}


def dhis2(indicator=POINTS, value="1", **extra):
    return {"dataElement": indicator, "orgUnit": "SKHCN-01", "period": MONTH, "value": value, **extra}


def body_for(url, items):
    return json.dumps([native(**i) for i in items] if url == NATIVE else {"dataValues": [dhis2(**i) for i in items]})


def detail(response, status=400):
    assert response.status_code == status, response.content[:500]
    return response.json()["detail"]


def conflicts(response):
    assert response.status_code == 409, response.content[:500]
    return [(c["object"], c["value"]) for c in response.json()["conflicts"]]


# --- characters no database stores -----------------------------------------------------------

NUL = 'Dữ liệu JSON có chuỗi chứa ký tự không lưu được ("\\u0000": ký tự NUL); hãy bỏ ký tự này rồi gửi lại.'
SURROGATE = ('Dữ liệu JSON có chuỗi chứa ký tự không lưu được ("\\ud800": nửa cặp mã UTF-16 đứng riêng); hãy bỏ '
             "ký tự này rồi gửi lại.")


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("escape, message", [("\\u0000", NUL), ("\\ud800", SURROGATE),
                                             ("\\udfff", SURROGATE.replace("ud800", "udfff"))],
                         ids=["nul", "high-surrogate", "low-surrogate"])
@pytest.mark.parametrize("where", ["comment", "indicator", "key"])
def test_unstorable_escapes_are_refused(api01, url, escape, message, where):
    """A lone surrogate was a 500 on both databases, a NUL a 500 on PostgreSQL."""
    items = body_for(url, [{"comment": "COMMENT"}])
    if where == "comment":
        body = items.replace("COMMENT", f"a{escape}b")
    elif where == "indicator":
        body = items.replace(POINTS, f"{POINTS}{escape}")
    else:
        body = items.replace('"comment"', f'"x{escape}"')
    before = counts()
    assert detail(post_json(api01, url, body)) == message
    assert counts() == before


@pytest.mark.parametrize("url", URLS)
def test_a_valid_surrogate_pair_is_an_emoji(api01, url):
    response = post_json(api01, url, body_for(url, [{"comment": "COMMENT"}]).replace("COMMENT", "\\ud83d\\ude00"))
    assert response.status_code == 200
    assert current(POINTS, "SKHCN-01", MONTH).comment == "\U0001F600"


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("body, at", [
    ("indicator,unit,period,value\n".encode("utf-16-le"), "2"),
    (b"indicator,unit,period,value\n" + POINTS.encode() + b",SKHCN-01," + MONTH.encode() + b",1\x00\n", "68"),
], ids=["utf16-without-bom", "nul-in-csv"])
def test_nul_bytes_in_text(api01, url, body, at):
    before = counts()
    assert detail(api01.generic("POST", url, body, content_type="text/csv")) == (
        f"Dữ liệu có ký tự NUL (mã 0) ở ký tự thứ {at}: đây không phải là văn bản JSON hoặc CSV; hãy lưu tệp với "
        "mã hóa UTF-8.")
    assert counts() == before


# --- content types and encodings -------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("content_type", ["text/html", "application/xml", "multipart/form-data; boundary=x",
                                          "application/x-www-form-urlencoded", "application/octet-stream",
                                          "image/png"])
def test_wrong_content_types(api01, url, content_type):
    shown = content_type.split(";")[0]
    response = api01.generic("POST", url, b'[{"a": 1}]', content_type=content_type)
    assert detail(response, 415) == (f'Không hỗ trợ kiểu dữ liệu "{shown}"; hãy gửi application/json hoặc '
                                     "text/csv.")


def test_format_parameter_other_than_json_or_csv(api01):
    response = post_json(api01, NATIVE + "?format=xml", "[]")
    assert detail(response) == 'Tham số format="xml" không hợp lệ; dùng "json" hoặc "csv".'


CSV_ROW = f"indicator,unit,period,value,comment\n{POINTS},SKHCN-01,{MONTH},7,Mưa Đà\n"


@pytest.mark.parametrize("url", [NATIVE])
@pytest.mark.parametrize("body, message", [
    (CSV_ROW.encode("utf-16"), "Dữ liệu không đúng bảng mã UTF-8 (byte thứ 1); hãy lưu tệp với mã hóa UTF-8."),
    (CSV_ROW.encode("cp1258"), "Dữ liệu không đúng bảng mã UTF-8 (byte thứ 78); hãy lưu tệp với mã hóa UTF-8."),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)), "Dữ liệu không đúng bảng mã UTF-8 (byte thứ 1); hãy lưu tệp "
                                                   "với mã hóa UTF-8."),
    ("indicator,unit,period,value\n".encode() + "Mư".encode("utf-8")[:-1] + b"\n",
     "Dữ liệu không đúng bảng mã UTF-8 (byte thứ 30); hãy lưu tệp với mã hóa UTF-8."),
], ids=["utf16-with-bom", "cp1258", "binary", "truncated-utf8"])
def test_csv_in_another_encoding_is_refused(api01, url, body, message):
    before = counts()
    assert detail(api01.generic("POST", url, body, content_type="text/csv")) == message
    assert counts() == before


@pytest.mark.parametrize("charset, encoding", [("utf-16", "utf-16"), ("windows-1258", "cp1258")])
def test_csv_in_a_declared_encoding_is_read(api01, charset, encoding):
    response = api01.generic("POST", NATIVE, CSV_ROW.encode(encoding), content_type=f"text/csv; charset={charset}")
    assert response.status_code == 200, response.content
    stored = current(POINTS, "SKHCN-01", MONTH)
    assert stored.value == 7 and stored.comment == "Mưa Đà"


# --- numbers ---------------------------------------------------------------------------------

EXPONENT = 'Không đọc được số "{}": không chấp nhận cách viết lũy thừa (như "1e5"); hãy viết đủ các chữ số.'
NON_FINITE = 'Không đọc được số "{}": không chấp nhận giá trị NaN hay vô cực (Infinity).'


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("literal, object_, message", [
    ("1e309", "1e309", EXPONENT.format("1e309")),
    ("-1E309", "-1E309", EXPONENT.format("-1E309")),
    ("1e-400", "1e-400", EXPONENT.format("1e-400")),
    ("Infinity", "Infinity", NON_FINITE.format("Infinity")),
    ("NaN", "NaN", NON_FINITE.format("NaN")),
    ('"Infinity"', "Infinity", NON_FINITE.format("Infinity")),
    ('"-nan"', "-nan", NON_FINITE.format("-nan")),
    ('"1e309"', "1e309", EXPONENT.format("1e309")),
], ids=["1e309", "-1E309", "1e-400", "Infinity", "NaN", "Infinity-string", "nan-string", "1e309-string"])
def test_numbers_no_one_should_store(api01, url, literal, object_, message):
    body = body_for(url, [{"value": "VALUE"}]).replace('"VALUE"', literal)
    before = counts()
    assert conflicts(post_json(api01, url, body)) == [(object_, message)]
    assert counts() == before


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("literal", ["-0", "-0.0", '"-0"', "0E-10".lower().replace("e-10", ".0000000000")])
def test_minus_zero_is_zero(api01, url, literal):
    response = post_json(api01, url, body_for(url, [{"value": "VALUE"}]).replace('"VALUE"', literal))
    assert response.status_code == 200, response.content
    value = current(POINTS, "SKHCN-01", MONTH).value
    assert value == 0 and not value.is_signed()


LONG = "0." + "1" * 40


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("literal", [LONG, f'"{LONG}"', '"0,' + "1" * 40 + '"'], ids=["number", "string", "vi"])
def test_very_long_decimals(api01, url, literal):
    if url == DHIS2 and literal.startswith('"0,'):
        pytest.skip("DHIS2 reads machine decimals only")
    before = counts()
    [(_, message)] = conflicts(post_json(api01, url, body_for(url, [{"indicator": RATE, "value": "VALUE"}])
                                         .replace('"VALUE"', literal)))
    assert message.startswith(f'Không đọc được số "{literal.strip(chr(34))[:40]}')
    assert counts() == before


def test_seven_decimals_on_a_two_decimal_indicator(api01):
    response = post_json(api01, NATIVE, body_for(NATIVE, [{"indicator": RATE, "value": "VALUE"}])
                         .replace('"VALUE"', "12.3456789"))
    [(obj, message)] = conflicts(response)
    assert obj == "12.3456789" and "chữ số thập phân" in message


# --- injection payloads are text, kept as sent ---------------------------------------------

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>", "'; DROP TABLE collection_datavalue; --", "{{ 7*7 }}", "${7*7}"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("payload", PAYLOADS, ids=["hyperlink", "plus", "minus", "at", "script", "img", "sql",
                                                   "template", "el"])
def test_payloads_in_comments_are_stored_as_sent(api01, url, payload):
    response = post_json(api01, url, body_for(url, [{"comment": payload}]))
    assert response.status_code == 200, response.content
    assert current(POINTS, "SKHCN-01", MONTH).comment == payload
    listed = api01.get("/api/data/values", {"period": MONTH}).json()["values"]
    assert [v["comment"] for v in listed] == [payload]
    rows = list(csv.DictReader(io.StringIO(api01.get("/api/data/values", {"period": MONTH, "format": "csv"})
                                           .content.decode(), newline="")))
    assert rows[0]["comment"] == (("'" + payload) if payload[0] in "=+-@" else payload)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("field", ["indicator", "unit", "period", "option"])
def test_payloads_in_codes_are_conflicts_echoed_as_json(api01, url, field):
    payload = "<script>alert(1)</script>"
    item = native(**{field: payload}) if url == NATIVE else dhis2(**{
        {"indicator": "dataElement", "unit": "orgUnit", "period": "period", "option": "categoryOptionCombo"}[field]:
        payload})
    body = json.dumps([item] if url == NATIVE else {"dataValues": [item]})
    before = counts()
    response = post_json(api01, url, body)
    assert response["Content-Type"].startswith("application/json")
    [(obj, message)] = conflicts(response)
    assert payload in obj + message
    assert counts() == before


@pytest.mark.parametrize("params", [{"limit": "1e309"}, {"limit": "-1"}, {"offset": "-5"}, {"limit": "NaN"},
                                    {"period": "<script>"}, {"unit": "'; --"}, {"format": "xlsx"}])
def test_hostile_query_parameters(api01, params):
    response = api01.get(NATIVE, params)
    assert response.status_code in (200, 400, 422), response.content
    assert response.status_code < 500


# --- properties ------------------------------------------------------------------------------

json_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**25, max_value=10**25),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.text(alphabet="0123456789.,-+eE ", max_size=30), st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def expected_value(raw, machine):
    try:
        return read_number(raw, machine_strings=machine)
    except ValueRefused:
        return "refused"


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values, url=st.sampled_from(URLS), atomic=st.booleans())
def test_any_json_value_is_a_clean_conflict_or_stored_exactly(api01, value, url, atomic):
    body = body_for(url, [{"value": "VALUE"}, {"indicator": RATE, "value": "2,5" if url == NATIVE else "2.5"}])
    body = body.replace('"VALUE"', json.dumps(value))
    before = current(POINTS, "SKHCN-01", MONTH)
    response = post_json(api01, url + ("?atomic=true" if atomic else ""), body)
    assert response.status_code in (200, 400, 409), response.content[:300]
    summary = response.json()
    stored = current(POINTS, "SKHCN-01", MONTH)
    if response.status_code == 400:  # a character no database stores: the whole request refused
        assert summary["detail"] and (stored.value if stored else None) == (before.value if before else None)
    elif summary["conflicts"]:
        assert all(c["value"] for c in summary["conflicts"])
        assert (stored.value if stored else None) == (before.value if before else None)
        if atomic:
            assert summary["importCount"]["imported"] + summary["importCount"]["updated"] == 0
    elif value is None or (isinstance(value, str) and not value.strip()):
        assert stored is None
    else:
        assert stored is not None and stored.value == Decimal(str(stored.value))


csv_cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=12)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(csv_cells, min_size=0, max_size=8), max_size=4), url=st.sampled_from(URLS))
def test_any_csv_is_a_clean_answer_never_a_500(api01, rows, url):
    out = io.StringIO()
    writer = csv.writer(out)
    if url == NATIVE:
        writer.writerow(["indicator", "unit", "period", "value", "comment"])
    writer.writerows(rows)
    before = counts()
    response = api01.post(url + "?atomic=true", out.getvalue().encode(), content_type="text/csv")
    assert response.status_code in (200, 400, 409), response.content[:300]
    if response.status_code != 200:
        assert counts() == before  # atomic: a refusal stores nothing
