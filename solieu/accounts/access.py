"""Scopes: every query of figures goes through these, so that a user never sees or changes a
unit's figures outside their scope, whatever URL or API call they try."""

from django.db.models import Q

from solieu.catalog.models import ReportingUnit

from .models import Role


def roles(user):
    if not getattr(user, "is_authenticated", False):
        return []
    if not hasattr(user, "_solieu_roles"):
        user._solieu_roles = list(user.memberships.values_list("role", "unit_id"))
    return user._solieu_roles


def is_admin(user):
    return getattr(user, "is_superuser", False) or any(r == Role.ADMIN for r, _ in roles(user))


def reads_everything(user):
    return is_admin(user) or any(r == Role.ANALYST for r, _ in roles(user))


def entry_unit_ids(user):
    """Units whose figures the user may enter."""
    return {u for r, u in roles(user) if r == Role.REPORTER and u}


def approver_unit_ids(user):
    return {u for r, u in roles(user) if r == Role.APPROVER and u}


def readable_units(user):
    """Reporting units whose figures the user may read."""
    if reads_everything(user):
        return ReportingUnit.objects.all()
    own = entry_unit_ids(user) | approver_unit_ids(user)
    received = approver_unit_ids(user)
    return ReportingUnit.objects.filter(
        Q(id__in=own) | Q(assigned_forms__receiving_unit_id__in=received)
    ).distinct()


def can_read_unit(user, unit):
    return reads_everything(user) or readable_units(user).filter(pk=unit.pk).exists()


def can_enter(user, unit):
    return unit.pk in entry_unit_ids(user)


def can_approve(user, submission):
    mine = approver_unit_ids(user)
    return is_admin(user) or submission.unit_id in mine or submission.form.receiving_unit_id in mine


def visible_submissions(user, queryset):
    if reads_everything(user):
        return queryset
    mine = entry_unit_ids(user) | approver_unit_ids(user)
    return queryset.filter(Q(unit_id__in=mine) | Q(form__receiving_unit_id__in=approver_unit_ids(user)))
