"""Template helpers for pages outside this app: the "Nhiệm vụ của đơn vị" block of the work
page and the navigation link, so that those pages' views need not know about tasks."""

from django import template
from django.utils import timezone

from solieu.catalog.models import ReportingUnit

from .. import access, stats
from ..models import Task

register = template.Library()


@register.filter
def sees_all_tasks(user):
    return access.sees_all(user)


@register.simple_tag
def unit_tasks(user):
    """Per unit the user reports or approves for: its open tasks (and those done in the last 30
    days), soonest deadline first, with their state today and the overdue/due-soon flags."""
    today = timezone.localdate()
    unit_ids = access.member_unit_ids(user)
    if not unit_ids:
        return []
    soon = stats.due_soon_days()
    blocks = {}
    tasks = Task.objects.filter(responsible_unit_id__in=unit_ids, cancelled_on__isnull=True).with_details()
    for task in tasks:
        state = task.state_on(today)
        if state.is_done and (today - state.done_on).days > 30:
            continue
        upcoming = task.next_deadline(today)
        late = task.overdue_results(today)
        line = {"task": task, "state": state, "next_deadline": upcoming, "late": late,
                "due_soon": not late and upcoming is not None and (upcoming - today).days <= soon}
        blocks.setdefault(task.responsible_unit_id, []).append(line)
    units = ReportingUnit.objects.in_bulk(blocks)
    far = today.replace(year=today.year + 100)
    return [{"unit": units[unit_id], "lines": sorted(lines, key=lambda l: (
        l["state"].is_done, l["next_deadline"] or far, l["task"].pk))} for unit_id, lines in
        sorted(blocks.items(), key=lambda item: units[item[0]].code)]
