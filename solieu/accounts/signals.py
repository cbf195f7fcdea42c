"""Every sign-in and every change of who may do what becomes an AccountEvent.

Receivers listen to Django's auth signals, axes' lockout and model signals, so the admin,
management commands and the shell are audited the same way as the pages. Connected in
AccountsConfig.ready().
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .events import record
from .middleware import current_request
from .models import AccountEvent, ApiToken, Membership

Kind = AccountEvent.Kind
USER_FLAGS = ("is_active", "is_staff", "is_superuser")


def on_login(sender, request, user, **kwargs):
    record(Kind.LOGIN, user=user, request=request, actor=user,
           second_factor=getattr(request, "solieu_second_factor", None))


def on_logout(sender, request, user, **kwargs):
    record(Kind.LOGOUT, user=user, request=request, actor=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    record(Kind.LOGIN_FAILED, user=user, username=username, request=request, actor=None, step="password")


def on_locked_out(sender, request, username, ip_address, **kwargs):
    user = get_user_model().objects.filter(username=username).first() if username else None
    record(Kind.LOCKED_OUT, user=user, username=username or "", request=request, actor=None, step="password")


def remember_user(sender, instance, raw=False, update_fields=None, **kwargs):
    """Keep the flags as stored, to compare after the save; skip saves that cannot change them
    (last_login at every sign-in)."""
    instance._solieu_old_flags = None
    if raw or instance.pk is None or (update_fields is not None and not set(update_fields) & set(USER_FLAGS)):
        return
    instance._solieu_old_flags = sender.objects.filter(pk=instance.pk).values(*USER_FLAGS).first()


def on_user_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record(Kind.USER_CREATED, user=instance, **{f: getattr(instance, f) for f in USER_FLAGS})
        return
    old = getattr(instance, "_solieu_old_flags", None)
    if old:
        changed = {f: [old[f], getattr(instance, f)] for f in USER_FLAGS if old[f] != getattr(instance, f)}
        if changed:
            record(Kind.USER_FLAGS, user=instance, **changed)
    # set_password() leaves the raw password in _password until the save; a hash upgrade at
    # sign-in clears it first, so it is not mistaken for a change.
    if getattr(instance, "_password", None) is not None:
        by_self = _request_user_pk() == instance.pk
        record(Kind.PASSWORD_CHANGED if by_self else Kind.PASSWORD_RESET, user=instance)


def on_user_deleted(sender, instance, origin=None, **kwargs):
    # No foreign key to a row being deleted: the username and id tell who it was.
    record(Kind.USER_DELETED, username=instance.get_username(), actor=_actor_unless(_deleted_users(origin)),
           user_id=instance.pk, roles=[str(m) for m in instance.memberships.all()])


def on_group_deleted(sender, instance, **kwargs):
    """Deleting a group takes its permissions from every member, without an m2m signal."""
    for user in instance.user_set.all():
        record(Kind.GROUPS_CHANGED, user=user, action="remove", items=[instance.name], group_deleted=True)


def _deleted_users(origin):
    """Ids of the users whose deletion this is, when it is one (a cascade from a user)."""
    user_model = get_user_model()
    if isinstance(origin, user_model):
        return {origin.pk}
    if isinstance(origin, QuerySet) and origin.model is user_model:
        return set(origin.values_list("pk", flat=True))
    return set()


def _actor_unless(deleted):
    """The request's user, or None when that user is being deleted (an administrator deleting
    their own account): an event may not point at a vanishing row."""
    pk = _request_user_pk()
    return None if pk is None or pk in deleted else current_request().user


def _membership(m):
    return {"role": m.role, "unit": m.unit.code if m.unit_id else None}


def remember_membership(sender, instance, raw=False, **kwargs):
    instance._solieu_old = None
    if not raw and instance.pk is not None:
        old = sender.objects.select_related("unit").filter(pk=instance.pk).first()
        instance._solieu_old = _membership(old) if old else None


def on_membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record(Kind.MEMBERSHIP_CREATED, user=instance.user, **_membership(instance))
    elif instance._solieu_old and instance._solieu_old != _membership(instance):
        record(Kind.MEMBERSHIP_CHANGED, user=instance.user, old=instance._solieu_old, new=_membership(instance))


def on_membership_deleted(sender, instance, origin=None, **kwargs):
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    deleted = _deleted_users(origin)
    record(Kind.MEMBERSHIP_DELETED, user=None if instance.user_id in deleted else user,
           username=user.get_username() if user else "", actor=_actor_unless(deleted), **_membership(instance))


def on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Groups of a user, permissions of a user or of a group, from either side of the relation."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    user_model = get_user_model()
    verb = {"post_add": "add", "post_remove": "remove", "pre_clear": "clear"}[action]
    if action == "pre_clear":
        pk_set = _linked_pks(sender, instance, model)
    if not pk_set:
        return
    kind = Kind.GROUPS_CHANGED if sender is user_model.groups.through else Kind.PERMISSIONS_CHANGED
    others = list(model.objects.filter(pk__in=pk_set))
    pairs = [(o, instance) for o in others] if reverse else [(instance, o) for o in others]
    by_owner = {}
    for owner, item in pairs:  # owner: a user or a group; item: a group or a permission
        by_owner.setdefault(owner, []).append(_name(item))
    for owner, names in by_owner.items():
        if isinstance(owner, user_model):
            record(kind, user=owner, action=verb, items=sorted(names))
        else:
            record(kind, action=verb, group=owner.name, items=sorted(names))


def _linked_pks(through, instance, model):
    """Ids of the model's rows linked to instance, read from the through table (before a clear)."""
    own = next(f.name for f in through._meta.fields if f.related_model is type(instance))
    other = next(f.name for f in through._meta.fields if f.related_model is model)
    return set(through.objects.filter(**{own: instance}).values_list(other, flat=True))


def _name(obj):
    if isinstance(obj, Group):
        return obj.name
    if hasattr(obj, "codename"):
        return f"{obj.content_type.app_label}.{obj.codename}"
    return str(obj)


def remember_token(sender, instance, raw=False, **kwargs):
    instance._solieu_was_revoked = True
    if not raw and instance.pk is not None:
        instance._solieu_was_revoked = sender.objects.filter(pk=instance.pk, revoked_at__isnull=False).exists()


def on_token_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    detail = {"unit": instance.unit.code, "name": instance.name, "prefix": instance.prefix}
    if created:
        expires = instance.expires_at.isoformat() if instance.expires_at else None
        kwargs = {} if _request_user_pk() else {"actor": instance.created_by}
        record(Kind.TOKEN_ISSUED, expires_at=expires, **kwargs, **detail)
    elif instance.revoked_at and not instance._solieu_was_revoked:
        record(Kind.TOKEN_REVOKED, **detail)


def _request_user_pk():
    request = current_request()
    user = getattr(request, "user", None) if request is not None else None
    return user.pk if getattr(user, "is_authenticated", False) else None


def connect():
    user_model = get_user_model()
    user_logged_in.connect(on_login, dispatch_uid="solieu_audit_login")
    user_logged_out.connect(on_logout, dispatch_uid="solieu_audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="solieu_audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="solieu_audit_locked_out")
    pre_save.connect(remember_user, sender=user_model, dispatch_uid="solieu_audit_user_pre")
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid="solieu_audit_user")
    pre_delete.connect(on_user_deleted, sender=user_model, dispatch_uid="solieu_audit_user_deleted")
    pre_delete.connect(on_group_deleted, sender=Group, dispatch_uid="solieu_audit_group_deleted")
    pre_save.connect(remember_membership, sender=Membership, dispatch_uid="solieu_audit_membership_pre")
    post_save.connect(on_membership_saved, sender=Membership, dispatch_uid="solieu_audit_membership")
    post_delete.connect(on_membership_deleted, sender=Membership, dispatch_uid="solieu_audit_membership_deleted")
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(on_m2m, sender=through, dispatch_uid=f"solieu_audit_m2m_{through._meta.label}")
    pre_save.connect(remember_token, sender=ApiToken, dispatch_uid="solieu_audit_token_pre")
    post_save.connect(on_token_saved, sender=ApiToken, dispatch_uid="solieu_audit_token")
