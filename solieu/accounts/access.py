"""Scopes: every query of figures goes through these, so that a user never sees or changes a
unit's figures outside their scope, whatever URL or API call they try."""

from django.db.models import Q

from solieu.catalog.models import Form, ReportingUnit, UnitSuccession

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


def received_form_ids(user):
    """Forms whose receiving unit (or its successor) the user approves for."""
    mine = approver_unit_ids(user)
    if not mine:
        return set()
    return {f.id for f in Form.objects.exclude(receiving_unit=None) if receiving_unit_ids(f) & mine}


def readable_units(user):
    """Reporting units whose figures the user may read."""
    if reads_everything(user):
        return ReportingUnit.objects.all()
    own = entry_unit_ids(user) | approver_unit_ids(user)
    return ReportingUnit.objects.filter(
        Q(id__in=own) | Q(assigned_forms__id__in=received_form_ids(user))
    ).distinct()


def can_read_unit(user, unit):
    """Own units (entered or approved for) are answered without a query: every cell save asks."""
    if reads_everything(user) or unit.pk in entry_unit_ids(user) | approver_unit_ids(user):
        return True
    return readable_units(user).filter(pk=unit.pk).exists()


def can_enter(user, unit):
    return unit.pk in entry_unit_ids(user)


def receiving_unit_ids(form):
    """The form's receiving unit and the units that took over its tasks (2025 reorganisation)."""
    found, todo = set(), [form.receiving_unit_id] if form.receiving_unit_id else []
    while todo:
        unit_id = todo.pop()
        if unit_id in found:
            continue
        found.add(unit_id)
        todo.extend(UnitSuccession.objects.filter(predecessor_id=unit_id).values_list("successor_id", flat=True))
    return found


def receives(user, form):
    """A user who approves for no unit receives nothing: reporters skip the successions' queries."""
    mine = approver_unit_ids(user)
    return bool(mine) and bool(receiving_unit_ids(form) & mine)


def can_approve(user, submission):
    mine = approver_unit_ids(user)
    return is_admin(user) or submission.unit_id in mine or receives(user, submission.form)


def visible_submissions(user, queryset):
    if reads_everything(user):
        return queryset
    mine = entry_unit_ids(user) | approver_unit_ids(user)
    return queryset.filter(Q(unit_id__in=mine) | Q(form_id__in=received_form_ids(user)))


MINISTRY_KINDS = (ReportingUnit.Kind.MINISTRY, ReportingUnit.Kind.MINISTRY_DEPARTMENT)


def is_ministry_staff(user):
    """Analysts, administrators and members of the ministry's own departments: they read the
    national consolidation and write the prose of the ministry's reports."""
    if reads_everything(user):
        return True
    if not hasattr(user, "_solieu_ministry_staff"):  # the menu asks twice a page; kept like roles()
        units = {u for _, u in roles(user) if u}
        user._solieu_ministry_staff = bool(units) and ReportingUnit.objects.filter(
            pk__in=units, kind__in=MINISTRY_KINDS).exists()
    return user._solieu_ministry_staff


def own_provinces(user):
    """Today's provinces whose consolidated figures the user may read: those of the Sở they
    report or approve for (a Sở of a merged province reads its successor's territory)."""
    from solieu.analytics.scope import current_successor

    units = {u for _, u in roles(user) if u}
    provinces = {}
    for unit in ReportingUnit.objects.filter(pk__in=units, kind=ReportingUnit.Kind.PROVINCIAL_DEPARTMENT,
                                             province__isnull=False).select_related("province"):
        p = current_successor(unit.province)
        provinces[p.pk] = p
    return sorted(provinces.values(), key=lambda p: p.code)


def can_read_scope(user, scope):
    """May the user see consolidated figures (reports, dashboard, breakdowns) for `scope`?"""
    if is_ministry_staff(user):
        return True
    if scope.province is None:
        return False
    from solieu.analytics.scope import current_successor

    return current_successor(scope.province) in own_provinces(user)
