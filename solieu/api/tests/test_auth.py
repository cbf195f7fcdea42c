"""Who may call the API, and for which units: per-unit keys and web sessions."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from solieu.accounts.models import ApiToken, Role
from solieu.catalog.models import ReportingUnit

from . import MONTH, bearer, counts, current, post_json, session_client

pytestmark = pytest.mark.django_db

INVALID = "Khóa API không hợp lệ, đã hết hạn hoặc đã bị thu hồi."


def value(unit="SKHCN-01", v="120", indicator="POSTAL_SERVICE_POINTS"):
    return [{"indicator": indicator, "unit": unit, "period": MONTH, "value": v}]


def test_docs_and_schema_are_open(catalog):
    client = Client()
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/data/values", "/api/dataValueSets", "/api/catalog/indicators", "/api/tokens"} <= set(paths)
    assert set(schema.json()["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


@pytest.mark.parametrize("url", ["/api/catalog/indicators", "/api/data/values", "/api/dataValueSets"])
def test_every_route_needs_authentication(catalog, url):
    response = Client().get(url)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Chưa xác thực")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_catalog_is_readable_with_a_key_or_a_session(api01, reporter01):
    for client in (api01, reporter01):
        response = client.get("/api/catalog/indicators")
        assert response.status_code == 200
        assert "POSTAL_REVENUE" in {i["code"] for i in response.json()}


def test_key_issue_use_revoke(hanoi):
    token, key = ApiToken.issue(hanoi, "Phần mềm của Sở")
    assert token.key_hash != key and key.startswith(f"sl_{token.prefix}_")
    client = bearer(key)
    assert client.get("/api/catalog/units").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    token.revoke()
    response = client.get("/api/catalog/units")
    assert (response.status_code, response.json()["detail"]) == (401, INVALID)


def test_expired_and_unknown_keys_are_refused(hanoi):
    _, expired = ApiToken.issue(hanoi, "Hết hạn", expires_at=timezone.now() - timedelta(minutes=1))
    _, later = ApiToken.issue(hanoi, "Còn hạn", expires_at=timezone.now() + timedelta(days=30))
    for key in (expired, "sl_deadbeef_khong-co-khoa-nay", ""):
        response = bearer(key).get("/api/data/values")
        assert response.status_code == 401
        if key:
            assert response.json()["detail"] == INVALID
    assert bearer(later).get("/api/data/values").status_code == 200


def test_a_bad_key_is_not_rescued_by_a_session(reporter01):
    response = reporter01.get("/api/data/values", headers={"Authorization": "Bearer sl_sai"})
    assert (response.status_code, response.json()["detail"]) == (401, INVALID)


def test_a_key_writes_and_reads_its_own_unit_only(api01):
    before = counts()
    response = post_json(api01, "/api/data/values", value("SKHCN-79"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Khóa API của đơn vị SKHCN-01 không được ghi số liệu của đơn vị SKHCN-79."
    # one value outside the scope refuses the whole request: nothing stored
    response = post_json(api01, "/api/data/values", value("SKHCN-01") + value("SKHCN-79"))
    assert response.status_code == 403
    assert counts() == before

    response = api01.get("/api/data/values", {"unit": "SKHCN-79"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Khóa API của đơn vị SKHCN-01 không được đọc số liệu của đơn vị SKHCN-79."
    for url in ("/api/dataValueSets?orgUnit=SKHCN-79", "/api/dataValueSets?orgUnit=SKHCN-01,SKHCN-79&format=csv"):
        assert api01.get(url).status_code == 403


def test_a_key_sees_nothing_of_other_units_without_a_filter(api01, admin_client):
    assert post_json(admin_client, "/api/data/values", value("SKHCN-79", "77")).json()["status"] == "SUCCESS"
    assert post_json(api01, "/api/data/values", value("SKHCN-01", "11")).json()["status"] == "SUCCESS"
    units = {v["unit"] for v in api01.get("/api/data/values").json()["values"]}
    assert units == {"SKHCN-01"}
    exported = api01.get("/api/dataValueSets").json()["dataValues"]
    assert {v["orgUnit"] for v in exported} == {"SKHCN-01"}


def test_a_session_reporter_is_scoped_like_a_key(reporter01, admin_client):
    post_json(admin_client, "/api/data/values", value("SKHCN-79", "77"))
    before = counts()
    response = post_json(reporter01, "/api/data/values", value("SKHCN-79"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không có quyền ghi số liệu của đơn vị SKHCN-79."
    assert counts() == before
    response = reporter01.get("/api/data/values", {"unit": "SKHCN-79"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không có quyền xem số liệu của đơn vị SKHCN-79."
    assert reporter01.get("/api/data/values").json()["values"] == []

    response = post_json(reporter01, "/api/data/values", value("SKHCN-01", "1.234"))
    assert response.json()["importCount"]["imported"] == 1
    stored = current("POSTAL_SERVICE_POINTS", "SKHCN-01", MONTH)
    assert stored.value == 1234 and stored.updated_by.username == "so-hn" and stored.channel == "api"


def test_an_analyst_reads_everything_and_writes_nothing(analyst, admin_client):
    post_json(admin_client, "/api/data/values", value("SKHCN-79", "77") + value("SKHCN-01", "11"))
    assert {v["unit"] for v in analyst.get("/api/data/values").json()["values"]} == {"SKHCN-01", "SKHCN-79"}
    assert analyst.get("/api/data/values", {"unit": "SKHCN-79"}).json()["count"] == 1
    response = post_json(analyst, "/api/data/values", value("SKHCN-01"))
    assert (response.status_code, response.json()["detail"]) == (
        403, "Bạn không có quyền ghi số liệu của đơn vị SKHCN-01.")


def test_a_key_value_is_recorded_with_the_key_as_source(api01, key01):
    post_json(api01, "/api/data/values", value("SKHCN-01", "5"))
    stored = current("POSTAL_SERVICE_POINTS", "SKHCN-01", MONTH)
    token = ApiToken.authenticate(key01)
    assert stored.updated_by is None and stored.created_by is None
    assert stored.source == f"API: khóa {token.name} ({token.prefix}…, đơn vị SKHCN-01)"
    assert stored.audits.get().source == stored.source


def test_session_posts_need_the_csrf_token(hanoi):
    client = session_client("so-hn-csrf", Role.REPORTER, "SKHCN-01", enforce_csrf_checks=True)
    assert client.get("/api/data/values").status_code == 200  # safe methods need no token
    response = post_json(client, "/api/data/values", value())
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Kiểm tra CSRF không thành công")
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    response = post_json(client, "/api/data/values", value(), headers={"X-CSRFToken": secret})
    assert response.status_code == 200, response.content
    # a key needs no CSRF token
    _, key = ApiToken.issue(hanoi, "khóa")
    assert post_json(Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"}),
                     "/api/data/values", value(v="7")).status_code == 200


def test_admins_issue_list_and_revoke_keys(admin_client, reporter01, api01):
    response = post_json(admin_client, "/api/tokens", {"unit": "SKHCN-79", "name": "Cổng dữ liệu TP.HCM"})
    assert response.status_code == 201
    issued = response.json()
    assert issued["unit"] == "SKHCN-79" and issued["usable"] and issued["created_by"] == "quan-tri"
    client = bearer(issued["key"])
    assert client.get("/api/data/values").status_code == 200
    listed = admin_client.get("/api/tokens", {"unit": "SKHCN-79"}).json()
    assert [t["prefix"] for t in listed] == [issued["prefix"]] and "key" not in listed[0]

    response = admin_client.post(f"/api/tokens/{issued['id']}/revoke")
    assert response.status_code == 200 and response.json()["revoked_at"] and not response.json()["usable"]
    assert client.get("/api/data/values").status_code == 401

    response = post_json(admin_client, "/api/tokens", {"unit": "KHONG-CO", "name": "x"})
    assert (response.status_code, response.json()["detail"]) == (
        400, 'Không có đơn vị báo cáo mã "KHONG-CO" trong danh mục.')
    response = post_json(reporter01, "/api/tokens", {"unit": "SKHCN-01", "name": "x"})
    assert (response.status_code, response.json()["detail"]) == (
        403, "Chỉ quản trị hệ thống được cấp và thu hồi khóa API.")
    response = api01.get("/api/tokens")
    assert response.status_code == 403 and response.json()["detail"].startswith("Khóa API không được dùng")


def test_an_admin_writes_any_unit(admin_client):
    response = post_json(admin_client, "/api/data/values", value("SKHCN-79", "42"))
    assert response.json()["importCount"]["imported"] == 1
    assert current("POSTAL_SERVICE_POINTS", "SKHCN-79", MONTH).value == 42
    assert ReportingUnit.objects.get(code="SKHCN-79").values.count() == 1
