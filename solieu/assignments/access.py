"""Who sees and changes which task.

* The ministry's staff (analysts, administrators, members of the ministry's departments) see
  every task, the overview and the statistics, and export them.
* Analysts and administrators import task lists: they keep the ministry's list of tasks.
* Members (reporters, approvers) of a task's responsible unit update it; members of a
  co-operating unit read it. A unit that took over another's tasks in a reorganisation (unit
  succession) acts for its predecessor's tasks.
* Anyone else gets 404 for a task, so that its existence is not even confirmed.
"""

from django.db.models import Q

from solieu.accounts import access
from solieu.accounts.models import Role
from solieu.catalog.models import UnitSuccession


def sees_all(user) -> bool:
    return access.is_ministry_staff(user)


def can_import(user) -> bool:
    return access.reads_everything(user)


def linked_units(unit_ids, *, towards: str) -> set[int]:
    """The units and, through successions, all their "predecessor"s or "successor"s."""
    other = "successor" if towards == "predecessor" else "predecessor"
    found = frontier = set(unit_ids)
    while frontier:
        step = UnitSuccession.objects.filter(**{f"{other}_id__in": frontier}).values_list(f"{towards}_id", flat=True)
        frontier = set(step) - found
        found = found | frontier
    return found


def member_unit_ids(user) -> set[int]:
    """Units the user reports or approves for, and the units those took over from."""
    own = {u for r, u in access.roles(user) if r in (Role.REPORTER, Role.APPROVER) and u}
    return linked_units(own, towards="predecessor")


def visible_tasks(user, queryset):
    if sees_all(user):
        return queryset
    mine = member_unit_ids(user)
    if not mine:
        return queryset.none()
    return queryset.filter(Q(responsible_unit_id__in=mine) | Q(cooperating_units__id__in=mine)).distinct()


def can_update(user, task) -> bool:
    return access.is_admin(user) or task.responsible_unit_id in member_unit_ids(user)
