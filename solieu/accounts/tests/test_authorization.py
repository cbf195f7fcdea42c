"""Every URL and API route, as every role and as a user of another province, against a declared policy.

Routes are introspected: a new route that is missing from POLICY fails this test, so nobody
can add a page or an endpoint without deciding who may use it. The admin site is checked
separately (staff only).
"""

import json

import pytest
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse

from solieu.collection.models import DataValue, DataValueAudit, Submission, SubmissionEvent
from solieu.collection.tests.factories import open_month, user_with

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter", "approver", "receiver", "other", "analyst", "admin"]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
READERS = {"reporter", "approver", "receiver", "analyst", "admin"}   # of SKHCN-01's figures
ENTERERS = {"reporter"}
API_WRITERS = {"reporter", "admin"}
DECIDERS = {"approver", "receiver", "admin"}
OVERSEERS = {"receiver", "analyst", "admin"}
RECEIVERS = {"receiver", "admin"}
MINISTRY = {"analyst", "admin"}

# (route name, method) -> roles allowed. Targets are SKHCN-01's submission of BC-SO-THANG for
# an open month; "other" is the reporter of SKHCN-79, "receiver" approves for Vụ KHTC.
POLICY = {
    ("home", "GET"): SIGNED_IN,
    ("form-detail", "GET"): SIGNED_IN,
    ("login", "GET"): EVERYONE,
    ("login", "POST"): EVERYONE,
    # The second sign-in step: for the half-signed-in (test_view_totp_verify); others are sent on.
    ("totp-verify", "GET"): SIGNED_IN,
    ("totp-verify", "POST"): SIGNED_IN,
    ("account-security", "GET"): SIGNED_IN,
    ("totp-enrol", "GET"): SIGNED_IN,
    ("totp-enrol", "POST"): SIGNED_IN,
    ("totp-disable", "GET"): SIGNED_IN,
    ("totp-disable", "POST"): SIGNED_IN,
    ("logout", "POST"): SIGNED_IN,
    ("health", "GET"): EVERYONE,
    ("collection:work", "GET"): SIGNED_IN,
    ("collection:entry", "GET"): READERS,
    ("collection:cell", "POST"): ENTERERS,
    ("collection:submit", "POST"): ENTERERS,
    ("collection:approve", "POST"): DECIDERS,
    ("collection:return", "POST"): DECIDERS,
    ("collection:reopen", "POST"): DECIDERS,
    ("collection:completeness", "GET"): OVERSEERS,
    ("collection:adhoc-list", "GET"): MINISTRY,
    ("collection:adhoc-new", "GET"): MINISTRY,
    ("collection:adhoc-new", "POST"): MINISTRY,
    ("excel-template", "GET"): READERS,
    ("excel-upload", "GET"): ENTERERS,
    ("excel-upload", "POST"): ENTERERS,
    ("excel-form-template", "GET"): RECEIVERS,
    ("excel-form-upload", "GET"): RECEIVERS,
    ("excel-form-upload", "POST"): RECEIVERS,
    ("api:openapi-json", "GET"): EVERYONE,
    ("api:openapi-view", "GET"): EVERYONE,
    ("api:api-root", "GET"): set(),  # django-ninja's root answers 404 to everyone
    ("api:list_indicators", "GET"): SIGNED_IN,
    ("api:list_units", "GET"): SIGNED_IN,
    ("api:form_detail", "GET"): SIGNED_IN,
    ("api:period_detail", "GET"): SIGNED_IN,
    ("api:list_values", "GET"): READERS,
    ("api:post_values", "POST"): API_WRITERS,
    ("api:get_data_value_sets", "GET"): READERS,
    ("api:post_data_value_sets", "POST"): API_WRITERS,
    ("api:get_data_value_sets_json", "GET"): READERS,
    ("api:post_data_value_sets_json", "POST"): API_WRITERS,
    ("api:get_data_value_sets_csv", "GET"): READERS,
    ("api:post_data_value_sets_csv", "POST"): API_WRITERS,
    ("reports:builder", "GET"): READERS,
    ("reports:generate", "POST"): READERS,
    ("reports:file", "GET"): {"reporter"},            # a document is its requester's own
    ("reports:file-download", "GET"): {"reporter"},
    ("reports:figure", "GET"): READERS,
    ("reports:narratives", "GET"): OVERSEERS,
    ("reports:narratives", "POST"): OVERSEERS,
    ("dashboard", "GET"): READERS,
    ("factcheck:index", "GET"): OVERSEERS,
    ("factcheck:index", "POST"): OVERSEERS,
    ("factcheck:document", "GET"): OVERSEERS,
    ("factcheck:confirm-clean", "POST"): OVERSEERS,
    ("factcheck:import", "POST"): OVERSEERS,
    ("factcheck:review", "POST"): OVERSEERS,
    ("factcheck:findings", "GET"): OVERSEERS,
    ("factcheck:findings-download", "GET"): OVERSEERS,
    ("api:list_tokens", "GET"): {"admin"},
    ("api:issue_token", "POST"): {"admin"},
    ("api:revoke_token", "POST"): {"admin"},
    # Tasks: the target is a task of SKHCN-01 (its members update it, the ministry reads all).
    ("assignments:overview", "GET"): OVERSEERS,
    ("assignments:statistics", "GET"): OVERSEERS,
    ("assignments:export", "GET"): OVERSEERS,
    ("assignments:import", "GET"): MINISTRY,
    ("assignments:import", "POST"): MINISTRY,
    ("assignments:detail", "GET"): READERS,
    ("assignments:update", "POST"): {"reporter", "approver", "admin"},
}
# Routes not meant to be called directly in this walk (none yet); each needs a reason.
EXEMPT = {}


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            yield prefix + str(p.pattern), f"{namespace}{p.name}", p


def routes():
    """(name, method) of every route outside the admin, from the URL configuration itself.

    API routes come with their methods from django-ninja's routers; a page declares its
    methods in POLICY (GET when it is new), so a new page is always reported as missing.
    """
    found = set(api_operations())
    for route, name, pattern in walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "static/")):
            continue
        if name.startswith("api:") and any(n == name for n, _ in found):
            continue
        declared = {m for (n, m) in POLICY if n == name}
        found.update((name, m) for m in (declared or {"GET"}))
    return found


def api_operations():
    from solieu.api.urls import api

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for method in op.methods:
                    yield f"api:{getattr(op, 'url_name', None) or op.view_func.__name__}", method


def test_every_route_is_in_the_policy():
    missing = sorted(r for r in routes() if r not in POLICY and r[0] not in EXEMPT)
    assert missing == [], f"Tuyến chưa có trong bảng phân quyền: {missing}"
    stale = sorted(r for r in POLICY if r not in routes())
    assert stale == [], f"Bảng phân quyền có tuyến không còn tồn tại: {stale}"


@pytest.fixture(scope="module")
def people(catalog, django_db_blocker):
    with django_db_blocker.unblock():
        from django.contrib.auth import get_user_model

        users = {
            "reporter": user_with("az-so01", "reporter", "SKHCN-01"),
            "approver": user_with("az-lanhdao01", "approver", "SKHCN-01"),
            "receiver": user_with("az-vukhtc", "approver", "VU_KHTC"),
            "other": user_with("az-so79", "reporter", "SKHCN-79"),
            "analyst": user_with("az-chuyenvien", "analyst"),
            "admin": get_user_model().objects.create_superuser("az-admin", "az@example.invalid", "mat-khau-dai-123"),
        }
        yield users


def target_kwargs(name):
    pid = open_month()
    kwargs = {"form_code": "BC-SO-THANG", "unit_code": "SKHCN-01", "period_code": pid.code,
              "code": "BC-SO-THANG", "fmt": "xlsx"}
    if name == "api:period_detail":
        kwargs = {"code": pid.code}
    return kwargs


def url_for(name, extra_kwargs=None):
    pattern = next(p for _, n, p in walk(get_resolver().url_patterns) if n == name)
    needed = set(pattern.pattern.converters) | set(getattr(pattern.pattern, "regex").groupindex)
    kwargs = {k: v for k, v in {**target_kwargs(name), **(extra_kwargs or {})}.items() if k in needed}
    url = reverse(name, kwargs=kwargs)
    if name.startswith("api:") and ("values" in name or "data_value_sets" in name) and "post" not in name:
        url += "?unit=SKHCN-01&orgUnit=SKHCN-01&period=" + open_month().code
    if name in ("excel-form-template", "excel-form-upload"):
        url += "?ky=" + open_month().code
    if name.startswith("reports:") or name == "dashboard":
        # Hà Nội's consolidated figures: its Sở and the ministry may read them, HCMC's may not.
        url += "?scope=01@&period=2024S1&indicator=POSTAL_SERVICE_POINTS"
    return url


def body_for(name):
    pid = open_month().code
    value = {"indicator": "OVERVIEW_POPULATION", "unit": "SKHCN-01", "period": pid, "value": "8435700"}
    if name == "api:post_values":
        return json.dumps([value]), "application/json"
    if name.startswith("api:post_data_value_sets"):
        if name.endswith("csv"):
            return f"dataelement,period,orgunit,catoptcombo,attroptcombo,value\nOVERVIEW_POPULATION,{pid},SKHCN-01,,,8435700\n", "text/csv"
        return json.dumps({"dataValues": [{"dataElement": "OVERVIEW_POPULATION", "period": pid,
                                          "orgUnit": "SKHCN-01", "value": "8435700"}]}), "application/json"
    if name == "api:issue_token":
        return json.dumps({"unit": "SKHCN-01", "name": "kiểm thử"}), "application/json"
    if name == "collection:cell":
        return {"row": "1", "option": "TOTAL", "value": "8.435.700", "revision": "0"}, None
    if name == "collection:return":
        return {"reason": "Kiểm thử phân quyền"}, None
    if name == "collection:reopen":
        return {"reason": "Kiểm thử phân quyền"}, None
    if name == "factcheck:review":
        return {"action": "reject"}, None
    if name == "reports:narratives":
        return {"postal-difficulties": "Kiểm thử phân quyền", "postal-difficulties-revision": "0"}, None
    if name == "assignments:update":
        return {"action": "note", "text": "Kiểm thử phân quyền"}, None
    return {}, None


def fingerprint():
    from solieu.assignments.models import TaskChange
    from solieu.factcheck.models import ExtractedStatement
    from solieu.reports.models import Narrative

    return (DataValue.objects.count(), DataValueAudit.objects.count(), SubmissionEvent.objects.count(),
            Submission.objects.exclude(status="draft").count(), Narrative.objects.exclude(text="").count(),
            ExtractedStatement.objects.exclude(review="pending").count(), TaskChange.objects.count())


def request(client, name, method, extra_kwargs=None):
    url = url_for(name, extra_kwargs)
    if method == "GET":
        return client.get(url)
    body, content_type = body_for(name)
    if content_type:
        return client.generic(method, url, body, content_type=content_type)
    return client.post(url, body)


def denied(response, role):
    """Refused: sent to the login page, or 401/403/404; 409 is how DHIS2-style imports refuse
    every value of a request (each value a conflict)."""
    if role == "anonymous":
        return response.status_code in (401, 404) or (
            response.status_code == 302 and "/dang-nhap/" in response.get("Location", ""))
    return response.status_code in (401, 403, 404, 409)


def prepare(name, people):
    """State a route needs to be meaningful: a submission waiting for a decision, a token."""
    if name in ("collection:approve", "collection:return", "collection:reopen"):
        from solieu.collection.tests.factories import submission

        sub = submission()
        sub.status = "submitted"
        sub.save()
    if name in ("reports:file", "reports:file-download"):
        from solieu.reports.models import ReportFile

        file = ReportFile.objects.create(params={"period": "2024S1", "scope": "01@"}, fmt="xlsx", status="done",
                                         content=b"PK", filename="bang-so-lieu.xlsx", created_by=people["reporter"])
        return {"file_id": file.pk}
    if name in ("assignments:detail", "assignments:update"):
        from solieu.assignments.changes import create_task
        from solieu.assignments.deadlines import parse_deadline
        from solieu.catalog.models import ReportingUnit

        task = create_task(None, title="Nhiệm vụ kiểm thử phân quyền", results=[
            ("Báo cáo", parse_deadline("31/12/2030"), None, "")], responsible_unit=ReportingUnit.objects.get(
            code="SKHCN-01"))
        return {"pk": task.pk}
    if name.startswith("factcheck:") and name not in ("factcheck:index", "factcheck:findings",
                                                      "factcheck:findings-download"):
        from solieu.factcheck.models import ExtractedStatement, SourceDocument

        doc, _ = SourceDocument.objects.get_or_create(sha256="0" * 64, defaults={"name": "cu.txt", "size": 1})
        st = ExtractedStatement.objects.create(document=doc, line=1, quote="Dân số 100 người")
        return {"doc_id": doc.pk, "st_id": st.pk}
    if name == "api:revoke_token":
        from solieu.accounts.models import ApiToken
        from solieu.catalog.models import ReportingUnit

        token, _ = ApiToken.issue(ReportingUnit.objects.get(code="SKHCN-01"), "kiểm thử")
        return {"token_id": token.pk}
    return {}


@pytest.mark.parametrize("route", sorted(POLICY), ids=lambda r: f"{r[1]} {r[0]}")
@pytest.mark.parametrize("role", ROLES)
def test_route_as_role(client, people, route, role):
    name, method = route
    if role != "anonymous":
        client.force_login(people[role])
    extra = prepare(name, people)
    before = fingerprint()
    response = request(client, name, method, extra)
    assert response.status_code < 500, response.content[:500]
    if role in POLICY[route]:
        assert not denied(response, role), f"{role} bị từ chối ở {method} {name}: {response.status_code}"
    else:
        assert denied(response, role), f"{role} vào được {method} {name}: {response.status_code}"
        assert fingerprint() == before, f"{role} đã thay đổi dữ liệu qua {method} {name}"


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
@pytest.mark.parametrize("role", ["anonymous", "reporter", "approver", "other", "analyst"])
def test_admin_is_for_staff_only(client, people, model, role):
    if role != "anonymous":
        client.force_login(people[role])
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
