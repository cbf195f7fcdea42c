"""Statistics of tasks at any cut-off date, for the overview, the statistics page and the report.

At a cut-off date C, counting tasks (and, the same way, required results):

* total: tasks assigned by C (`assigned_on` empty or not after C) and not cancelled by C;
  tasks cancelled by C are counted apart (`cancelled`);
* done: all live results done on or before C; a task is done on the day its last result was;
* due: its deadline (the latest of its results') is on or before C. Of those: done on time
  (done by C, not after the deadline), done late (done by C, after the deadline), not done;
* not yet due: a deadline after C; `not_due_done` are those already done (ahead of time);
* ahead: done by C at least AHEAD_DAYS days before the deadline (settings
  SOLIEU_TASK_AHEAD_DAYS, 30 by default): "hoàn thành trước hạn";
* undated: no deadline date (an event of unknown day, ongoing work): in the total and in
  done, never in due.

Percentages are rounded half-up to one decimal, written the Vietnamese way (24,1%).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from solieu.vi import format_number

from .models import TaskStatus

NO_SECTOR = "Chưa phân lĩnh vực"


def ahead_days() -> int:
    return int(getattr(settings, "SOLIEU_TASK_AHEAD_DAYS", 30))


def due_soon_days() -> int:
    return int(getattr(settings, "SOLIEU_TASK_DUE_SOON_DAYS", 14))


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent_text(part: int, whole: int) -> str:
    """"24,1", "57,1", "50" (a whole percentage is written without ",0")."""
    value = percent(part, whole)
    return "" if value is None else format_number(value, 1).removesuffix(",0")


@dataclass
class Tally:
    total: int = 0
    done: int = 0
    done_on_time: int = 0
    done_late: int = 0
    due: int = 0
    due_on_time: int = 0
    due_late: int = 0
    due_not_done: int = 0
    not_due: int = 0
    not_due_done: int = 0
    ahead: int = 0
    undated: int = 0
    cancelled: int = 0

    def add(self, state, cutoff: date, ahead: int):
        if state.status == TaskStatus.CANCELLED:
            self.cancelled += 1
            return
        self.total += 1
        done = state.is_done
        deadline = state.deadline
        if done:
            self.done += 1
            if state.status == TaskStatus.DONE_LATE:
                self.done_late += 1
            else:
                self.done_on_time += 1
            if deadline is not None and state.done_on <= deadline - timedelta(days=ahead):
                self.ahead += 1
        if deadline is None:
            self.undated += 1
        elif deadline <= cutoff:
            self.due += 1
            if not done:
                self.due_not_done += 1
            elif state.status == TaskStatus.DONE_LATE:
                self.due_late += 1
            else:
                self.due_on_time += 1
        else:
            self.not_due += 1
            self.not_due_done += done

    @property
    def open(self):
        return self.total - self.done

    @property
    def due_done(self):
        return self.due_on_time + self.due_late

    @property
    def done_pct(self):
        return percent_text(self.done, self.total)

    @property
    def due_done_pct(self):
        return percent_text(self.due_done, self.due)


@dataclass
class Row:
    key: str
    label: str
    tasks: Tally = field(default_factory=Tally)
    results: Tally = field(default_factory=Tally)


@dataclass
class Statistics:
    cutoff: date
    tasks: Tally
    results: Tally
    by_unit: list[Row]
    by_sector: list[Row]
    ahead_days: int

    @property
    def cutoff_label(self):
        """"tháng 6/2024" on a month's last day, else "ngày 15/06/2024"."""
        return cutoff_label(self.cutoff)


def cutoff_label(day: date) -> str:
    if (day + timedelta(days=1)).day == 1:
        return f"tháng {day.month}/{day.year}"
    return f"ngày {day.day:02d}/{day.month:02d}/{day.year}"


def compute(tasks, cutoff: date) -> Statistics:
    """Statistics of `tasks` (a queryset; prefetching is added here) at the cut-off date."""
    ahead = ahead_days()
    total, results = Tally(), Tally()
    units: dict[int, Row] = {}
    sectors: dict[str, Row] = {}
    order = {}
    for task in tasks.assigned_by(cutoff).with_details():
        state = task.state_on(cutoff)
        unit = task.responsible_unit
        unit_row = units.setdefault(unit.pk, Row(unit.code, str(unit)))
        sector_key = task.sector.code if task.sector_id else ""
        sector_row = sectors.setdefault(sector_key, Row(sector_key, task.sector.name if task.sector_id else NO_SECTOR))
        order[sector_key] = (task.sector.sort_order if task.sector_id else 10**6, sector_key)
        for tally in (total, unit_row.tasks, sector_row.tasks):
            tally.add(state, cutoff, ahead)
        cancelled = state.status == TaskStatus.CANCELLED
        for result in task.results.all():
            r_state = result.state_on(cutoff)
            if cancelled and r_state.status != TaskStatus.CANCELLED:
                r_state = type(r_state)(TaskStatus.CANCELLED, r_state.deadline, None)
            for tally in (results, unit_row.results, sector_row.results):
                tally.add(r_state, cutoff, ahead)
    by_unit = sorted(units.values(), key=lambda r: (r.label.lower(), r.key))
    by_sector = sorted(sectors.values(), key=lambda r: order[r.key])
    return Statistics(cutoff, total, results, by_unit, by_sector, ahead)
