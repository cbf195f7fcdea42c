"""The account trail: sign-ins, lockouts and every change of who may do what, append-only,
with the administrator who made the change as actor."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission

from solieu.accounts.middleware import _current

from solieu.accounts.models import AccountEvent, ApiToken, Membership
from solieu.catalog.models import ReportingUnit

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
Kind = AccountEvent.Kind


def kinds():
    return list(AccountEvent.objects.order_by("id").values_list("kind", flat=True))


def test_the_trail_is_append_only(reporter):
    event = AccountEvent.objects.filter(kind=Kind.USER_CREATED).get()
    event.detail = {"sửa": True}
    with pytest.raises(PermissionError, match="chỉ được ghi thêm"):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AccountEvent.objects.update(username="khac")
    with pytest.raises(PermissionError):
        AccountEvent.objects.all().delete()
    assert AccountEvent.objects.get().username == "so01"


def test_sign_in_sign_out_and_failures(client, reporter):
    client.post("/dang-nhap/", {"username": "so01", "password": "sai"}, HTTP_USER_AGENT="Trình duyệt " + "x" * 400)
    client.post("/dang-nhap/", {"username": "khong-co", "password": "sai"})
    client.post("/dang-nhap/", {"username": "so01", "password": PASSWORD})
    client.post("/dang-xuat/")
    events = list(AccountEvent.objects.exclude(kind=Kind.USER_CREATED).order_by("id"))
    assert [e.kind for e in events] == [Kind.LOGIN_FAILED, Kind.LOGIN_FAILED, Kind.LOGIN, Kind.LOGOUT]
    failed, unknown, login, logout = events
    assert failed.user == reporter and failed.actor is None and failed.ip == "127.0.0.1"
    assert len(failed.user_agent) == 255 and failed.user_agent.startswith("Trình duyệt")
    assert "password" not in str(failed.detail) or failed.detail == {"step": "password"}
    assert unknown.user is None and unknown.username == "khong-co"
    assert login.user == reporter == login.actor and login.detail == {"second_factor": None}
    assert logout.user == reporter


def test_lockout_is_recorded(client, reporter):
    for _ in range(5):
        client.post("/dang-nhap/", {"username": "so01", "password": "sai"})
    assert client.post("/dang-nhap/", {"username": "so01", "password": PASSWORD}).status_code == 429
    locked = AccountEvent.objects.filter(kind=Kind.LOCKED_OUT)
    assert locked.exists() and locked.first().user == reporter and locked.first().detail == {"step": "password"}
    assert not AccountEvent.objects.filter(kind=Kind.LOGIN).exists()


def test_a_proxy_header_that_is_no_address_is_not_trusted(client, settings, reporter):
    settings.BEHIND_PROXY = True
    client.post("/dang-nhap/", {"username": "so01", "password": "sai"}, HTTP_X_REAL_IP="không phải IP")
    client.post("/dang-nhap/", {"username": "so01", "password": "sai"}, HTTP_X_REAL_IP="203.0.113.9")
    assert list(AccountEvent.objects.filter(kind=Kind.LOGIN_FAILED).order_by("id").values_list("ip", flat=True)) == [
        "127.0.0.1", "203.0.113.9"]


def test_user_created_flags_and_password_by_an_administrator(admin_client, admin_user, reporter):
    response = admin_client.post(f"/admin/auth/user/{reporter.pk}/change/", {
        "username": "so01", "is_active": "on", "is_staff": "on", "date_joined_0": "01/01/2025",
        "date_joined_1": "08:00:00", "initial-date_joined_0": "01/01/2025", "initial-date_joined_1": "08:00:00"})
    assert response.status_code == 302, response.content.decode()[:3000]
    flags = AccountEvent.objects.get(kind=Kind.USER_FLAGS)
    assert flags.user == reporter and flags.actor == admin_user and flags.detail == {"is_staff": [False, True]}
    response = admin_client.post(f"/admin/auth/user/{reporter.pk}/password/", {
        "password1": "mat-khau-moi-456", "password2": "mat-khau-moi-456", "set_usable_password": "true"})
    assert response.status_code == 302
    reset = AccountEvent.objects.get(kind=Kind.PASSWORD_RESET)
    assert reset.user == reporter and reset.actor == admin_user
    created = AccountEvent.objects.filter(kind=Kind.USER_CREATED, user=reporter).get()
    assert created.detail == {"is_active": True, "is_staff": False, "is_superuser": False}


def test_own_password_change_and_rehash_at_sign_in(client, rf, reporter):
    request = rf.post("/")
    request.user = reporter
    token = _current.set(request)  # as CurrentRequestMiddleware does
    try:
        reporter.set_password("mat-khau-moi-456")
        reporter.save()
    finally:
        _current.reset(token)
    assert AccountEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=reporter, actor=reporter).count() == 1
    # an old PBKDF2 hash upgraded to argon2 at sign-in is not a password change
    get_user_model().objects.filter(pk=reporter.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    client.post("/dang-nhap/", {"username": "so01", "password": PASSWORD})
    assert get_user_model().objects.get(pk=reporter.pk).password.startswith("argon2")
    assert AccountEvent.objects.filter(kind__in=[Kind.PASSWORD_CHANGED, Kind.PASSWORD_RESET]).count() == 1


def test_memberships_granted_changed_revoked(admin_client, admin_user, reporter):
    unit = ReportingUnit.objects.create(code="SKHCN-TEST", name="Sở KH&CN thử", kind="enterprise")
    response = admin_client.post("/admin/accounts/membership/add/", {"user": reporter.pk, "role": "reporter",
                                                                     "unit": unit.pk})
    assert response.status_code == 302
    membership = Membership.objects.get()
    membership.role = "approver"
    membership.save()
    membership.save()  # no change, no entry
    admin_client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    events = list(AccountEvent.objects.filter(kind__startswith="membership").order_by("id"))
    assert [(e.kind, e.user) for e in events] == [
        (Kind.MEMBERSHIP_CREATED, reporter), (Kind.MEMBERSHIP_CHANGED, reporter), (Kind.MEMBERSHIP_DELETED, reporter)]
    assert events[0].actor == admin_user and events[0].detail == {"role": "reporter", "unit": "SKHCN-TEST"}
    assert events[1].actor is None  # changed from the shell
    assert events[1].detail == {"old": {"role": "reporter", "unit": "SKHCN-TEST"},
                                "new": {"role": "approver", "unit": "SKHCN-TEST"}}
    assert events[2].actor == admin_user


def test_deleting_a_user_keeps_the_trail(admin_client, reporter):
    Membership.objects.create(user=reporter, role="analyst")
    response = admin_client.post(f"/admin/auth/user/{reporter.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not get_user_model().objects.filter(username="so01").exists()
    deleted = AccountEvent.objects.get(kind=Kind.USER_DELETED)
    assert deleted.username == "so01" and deleted.user is None and deleted.detail["user_id"] == reporter.pk
    revoked = AccountEvent.objects.get(kind=Kind.MEMBERSHIP_DELETED)
    assert revoked.username == "so01" and revoked.user is None
    assert AccountEvent.objects.filter(username="so01", user__isnull=True).count() >= 3  # created included


def test_groups_and_permissions_from_either_side(reporter):
    group = Group.objects.create(name="Biên tập")
    perm = Permission.objects.get(codename="change_membership")
    reporter.groups.add(group)
    group.user_set.remove(reporter)
    reporter.user_permissions.add(perm)
    reporter.user_permissions.clear()
    group.permissions.add(perm)
    perm.group_set.remove(group)
    events = AccountEvent.objects.filter(kind__in=[Kind.GROUPS_CHANGED, Kind.PERMISSIONS_CHANGED]).order_by("id")
    assert [(e.kind, e.user, e.detail) for e in events] == [
        (Kind.GROUPS_CHANGED, reporter, {"action": "add", "items": ["Biên tập"]}),
        (Kind.GROUPS_CHANGED, reporter, {"action": "remove", "items": ["Biên tập"]}),
        (Kind.PERMISSIONS_CHANGED, reporter, {"action": "add", "items": ["accounts.change_membership"]}),
        (Kind.PERMISSIONS_CHANGED, reporter, {"action": "clear", "items": ["accounts.change_membership"]}),
        (Kind.PERMISSIONS_CHANGED, None, {"action": "add", "group": "Biên tập", "items": ["accounts.change_membership"]}),
        (Kind.PERMISSIONS_CHANGED, None, {"action": "remove", "group": "Biên tập",
                                          "items": ["accounts.change_membership"]}),
    ]


def test_api_tokens_issued_and_revoked(admin_client, admin_user):
    unit = ReportingUnit.objects.create(code="VNPOST", name="Bưu điện", kind="enterprise")
    token, _key = ApiToken.issue(unit, "Hệ thống thử", user=admin_user)
    admin_client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    token.save()  # already revoked: no second entry
    issued, revoked = AccountEvent.objects.filter(kind__startswith="token").order_by("id")
    assert issued.kind == Kind.TOKEN_ISSUED and issued.actor == admin_user
    assert issued.detail == {"unit": "VNPOST", "name": "Hệ thống thử", "prefix": token.prefix, "expires_at": None}
    assert revoked.kind == Kind.TOKEN_REVOKED and revoked.actor == admin_user and revoked.detail["prefix"] == token.prefix


def test_admin_lists_and_filters_but_never_edits(admin_client, reporter):
    event = AccountEvent.objects.get(kind=Kind.USER_CREATED, user=reporter)
    page = admin_client.get("/admin/accounts/accountevent/?kind=user_created")
    assert page.status_code == 200 and "so01" in page.content.decode()
    assert admin_client.get("/admin/accounts/accountevent/add/").status_code == 403
    assert admin_client.get(f"/admin/accounts/accountevent/{event.pk}/delete/").status_code == 403
    admin_client.post(f"/admin/accounts/accountevent/{event.pk}/change/", {"username": "khac"})
    assert AccountEvent.objects.get(pk=event.pk).username == "so01"
    assert kinds().count(Kind.USER_CREATED) == 2  # the reporter and the administrator


def test_an_administrator_deleting_their_own_account(admin_client, admin_user, reporter):
    Membership.objects.create(user=admin_user, role="admin")
    response = admin_client.post("/admin/auth/user/", {"action": "delete_selected", "post": "yes",
                                                        "_selected_action": [admin_user.pk, reporter.pk]})
    assert response.status_code == 302 and not get_user_model().objects.exists()
    deleted = AccountEvent.objects.filter(kind=Kind.USER_DELETED).order_by("username")
    assert [(e.username, e.user, e.actor) for e in deleted] == [("admin", None, None), ("so01", None, None)]
    revoked = AccountEvent.objects.get(kind=Kind.MEMBERSHIP_DELETED)
    assert revoked.username == "admin" and revoked.user is None and revoked.actor is None


def test_deleting_a_group_is_recorded_for_its_members(reporter):
    group = Group.objects.create(name="Biên tập")
    reporter.groups.add(group)
    group.delete()
    last = AccountEvent.objects.filter(kind=Kind.GROUPS_CHANGED).latest("id")
    assert last.user == reporter and last.detail == {"action": "remove", "items": ["Biên tập"], "group_deleted": True}


def test_clearing_from_the_other_side(reporter):
    group = Group.objects.create(name="Biên tập")
    reporter.groups.add(group)
    group.user_set.clear()
    last = AccountEvent.objects.filter(kind=Kind.GROUPS_CHANGED).latest("id")
    assert last.user == reporter and last.detail == {"action": "clear", "items": ["Biên tập"]}
