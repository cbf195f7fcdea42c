"""The tasks in the generated report: sentences with traceable figures, and appendix tables.

`task_blocks(builder, cutoff)` gives what the report prints about the tasks at a cut-off
date, in the wording of `wording.yaml` beside this file ("Tổng số nhiệm vụ đã hoàn thành:
19/79 nhiệm vụ (đạt 24,1%)", "các nhiệm vụ có thời hạn đến tháng 6/2024: 28 nhiệm vụ; đã
hoàn thành 16/28 (57,1%)"). Every number is a `Figure` of the report's builder, with how it
was counted, so the figure sheet lists it like any other; the appendix lists every task with
its results, deadlines, responsible unit and its state at the cut-off.
"""

from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from solieu.reports.assemble import fill
from solieu.reports.document import Cell, Paragraph, Run, Table
from solieu.vi import format_date, format_number

from . import stats
from .models import Task, TaskStatus

WORDING = Path(__file__).parent / "wording.yaml"


def wording() -> dict:
    """The phrases, re-read when the file changes so that an edit shows in the next report."""
    return _read(WORDING.stat().st_mtime)


@lru_cache(maxsize=2)
def _read(mtime):
    return yaml.safe_load(WORDING.read_text("utf-8"))


def task_heading(sector=None) -> str:
    w = wording()
    return w["heading_sector"].format(sector=sector.name) if sector else w["heading"]


def tasks_for(cutoff: date, sector=None, document=None):
    """The tasks of a sector and of a source document; `compute` keeps those assigned by `cutoff`."""
    tasks = Task.objects.all()
    if sector is not None:
        tasks = tasks.filter(sector=sector)
    if document is not None:
        tasks = tasks.filter(document=document)
    return tasks


def task_blocks(builder, cutoff: date, sector=None, document=None, tasks=None) -> list:
    """Paragraphs and tables on the tasks at `cutoff`; `sector`, `document` narrow the tasks
    (or `tasks`, a Task queryset, gives them)."""
    w = wording()
    tasks = tasks if tasks is not None else tasks_for(cutoff, sector, document)
    st = stats.compute(tasks, cutoff)
    t, r = st.tasks, st.results
    where = f" lĩnh vực {sector.name}" if sector else ""
    where += f" theo {document}" if document else ""
    basis = f"tính đến ngày {format_date(cutoff)}{where}"

    def count(n, what, derivation):
        return builder.figure(kind="count", indicator=None, pid=builder.req.pid, value=Decimal(n),
                              text=format_number(n), unit="nhiệm vụ", derivation=f"{derivation}; {basis}",
                              result=None, label=f"Nhiệm vụ{where}: {what} ({basis})")

    def pct(part, whole, what):
        value = stats.percent(part, whole)
        return builder.figure(kind="count", indicator=None, pid=builder.req.pid, value=value,
                              text=stats.percent_text(part, whole), unit="%",
                              derivation=f"{format_number(part)} / {format_number(whole)} x 100, làm tròn một chữ số "
                                         f"thập phân; {basis}", result=None, label=f"Nhiệm vụ{where}: {what} ({basis})")

    label = stats.cutoff_label(cutoff)
    if not t.total:
        return [Paragraph([Run(w["none"].format(cutoff=label))])]
    total = count(t.total, "tổng số nhiệm vụ", "Các nhiệm vụ đã giao, không tính nhiệm vụ đã dừng thực hiện")
    done = count(t.done, "số nhiệm vụ đã hoàn thành", "Nhiệm vụ có mọi kết quả yêu cầu đã hoàn thành")
    blocks = [Paragraph(fill(w["total"], {"done": done, "total": total,
                                          "pct": pct(t.done, t.total, "tỷ lệ nhiệm vụ đã hoàn thành")}), "bullet")]
    if t.due:
        due = count(t.due, f"số nhiệm vụ có thời hạn đến {label}", "Nhiệm vụ có thời hạn (hạn muộn nhất của các "
                    "kết quả yêu cầu) không sau ngày tính")
        blocks.append(Paragraph(fill(w["due"], {
            "cutoff": label, "due": due,
            "due_done": count(t.due_done, "số nhiệm vụ đến hạn đã hoàn thành", "Nhiệm vụ đến hạn, đã hoàn thành"),
            "due_pct": pct(t.due_done, t.due, "tỷ lệ nhiệm vụ đến hạn đã hoàn thành"),
            "on_time": count(t.due_on_time, "số nhiệm vụ đến hạn hoàn thành đúng hạn",
                             "Nhiệm vụ đến hạn, ngày hoàn thành không sau thời hạn"),
            "late": count(t.due_late, "số nhiệm vụ đến hạn hoàn thành quá hạn",
                          "Nhiệm vụ đến hạn, ngày hoàn thành sau thời hạn"),
            "not_done": count(t.due_not_done, "số nhiệm vụ đến hạn chưa hoàn thành",
                              "Nhiệm vụ đến hạn, chưa hoàn thành đến ngày tính"),
        }), "bullet"))
    else:
        blocks.append(Paragraph([Run(w["due_none"].format(cutoff=label))], "bullet"))
    if t.ahead:
        blocks.append(Paragraph(fill(w["ahead"], {
            "ahead": count(t.ahead, "số nhiệm vụ hoàn thành trước hạn",
                           f"Nhiệm vụ hoàn thành sớm hơn thời hạn từ {st.ahead_days} ngày trở lên"),
            "days": str(st.ahead_days)}), "bullet"))
    if t.undated:
        blocks.append(Paragraph(fill(w["undated"], {"undated": count(
            t.undated, "số nhiệm vụ chưa xác định thời hạn", "Nhiệm vụ thường xuyên hoặc theo sự kiện chưa có ngày")}),
            "bullet"))
    if r.total != t.total:
        blocks.append(Paragraph(fill(w["results"], {
            "results": count(r.total, "tổng số kết quả yêu cầu", "Các kết quả, sản phẩm yêu cầu của các nhiệm vụ"),
            "results_done": count(r.done, "số kết quả yêu cầu đã hoàn thành", "Kết quả đã hoàn thành"),
            "results_pct": pct(r.done, r.total, "tỷ lệ kết quả yêu cầu đã hoàn thành")}), "bullet"))
    if t.cancelled:
        blocks.append(Paragraph(fill(w["cancelled"], {"cancelled": count(
            t.cancelled, "số nhiệm vụ đã dừng thực hiện", "Nhiệm vụ dừng thực hiện đến ngày tính")}), "note"))
    def unit_figure(row, what, value, text, unit):
        return builder.figure(kind="count", indicator=None, pid=builder.req.pid, value=Decimal(value), text=text,
                              unit=unit, derivation=f"{row.label}: {what}; {basis}", result=None,
                              label=f"Nhiệm vụ{where}, {row.label}: {what} ({basis})")

    blocks.append(units_table(st, w, unit_figure))
    blocks.append(appendix_table(tasks, cutoff, w))
    return blocks


def units_table(st, w=None, figure=None) -> Table:
    """Per responsible unit; with `figure(row, what, value, text, unit)` each number is a report figure."""
    w = w or wording()

    def cell(row, what, value, text=None, unit="nhiệm vụ"):
        text = text if text is not None else format_number(value)
        fig = figure(row, what, value, text, unit) if figure and value is not None else None
        return Cell([Run(text, fig)], "right")

    rows = [[Cell([Run(row.label)]), cell(row, "tổng số", row.tasks.total), cell(row, "đã hoàn thành", row.tasks.done),
             cell(row, "tỷ lệ hoàn thành", stats.percent(row.tasks.done, row.tasks.total), row.tasks.done_pct, "%"),
             cell(row, "đến hạn", row.tasks.due), cell(row, "đến hạn, đúng hạn", row.tasks.due_on_time),
             cell(row, "đến hạn, quá hạn", row.tasks.due_late), cell(row, "đến hạn, chưa hoàn thành",
                                                                      row.tasks.due_not_done)]
            for row in st.by_unit]
    return Table(columns=list(w["units_columns"]), rows=rows,
                 caption=w["units_caption"].format(day=format_date(st.cutoff)),
                 widths=[3, 1, 1, 1, 1, 1, 1, 1.2])


def state_text(state, w=None) -> str:
    w = w or wording()
    return w["state"][TaskStatus(state.status).value].format(
        done_on=format_date(state.done_on) if state.done_on else "")


def appendix_table(tasks, cutoff: date, w=None) -> Table:
    """One row per required result; the task's own cells only on its first row (as merged)."""
    w = w or wording()
    rows = []
    live = [task for task in tasks.assigned_by(cutoff).with_details().order_by("document_id", "id")
            if task.state_on(cutoff).status != TaskStatus.CANCELLED]
    for n, task in enumerate(live, start=1):
        for i, result in enumerate(task.live_results()):
            note = state_text(result.state_on(cutoff), w)
            if result.evidence and result.done_on and result.done_on <= cutoff:
                note += f": {result.evidence}"
            first = i == 0
            rows.append([
                Cell([Run(task.order or str(n) if first else "")], "center"),
                Cell([Run(task.title if first else "")]),
                Cell([Run(result.description)]),
                Cell([Run(result.deadline_text)], "center"),
                Cell([Run(str(task.responsible_unit) if first else "")]),
                Cell([Run(note)]),
            ])
    return Table(columns=list(w["appendix_columns"]), rows=rows,
                 caption=w["appendix_caption"].format(day=format_date(cutoff)), widths=[0.6, 4, 3, 1.4, 1.8, 2.6])
