"""Pages of task tracking: the ministry's overview and statistics, a task with its history and
the responsible unit's update forms, the Excel import and export.

The overview, statistics and export are for the ministry's staff (403 for others); a task
outside the user's scope answers 404 (solieu.assignments.access).
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from solieu.catalog.models import ReportingUnit, Sector
from solieu.catalog.periods import PeriodId
from solieu.collection.excel_views import _read_file, _xlsx
from solieu.vi import format_date, format_number
from solieu.vi.dates import DateParseError, parse_date

from . import access, changes, excel, stats
from .models import Priority, ResultStatus, SourceDocument, Task, TaskStatus

FILTERS = ("don-vi", "linh-vuc", "tinh-trang", "van-ban", "tim")


def _staff_only(user):
    if not access.sees_all(user):
        raise PermissionDenied("Trang này dành cho cán bộ của Bộ theo dõi nhiệm vụ.")


def _day(request, name="ngay"):
    """(the date asked for, or today; the error message when it cannot be read)."""
    text = (request.GET.get(name) or "").strip()
    today = timezone.localdate()
    if not text:
        return today, ""
    try:
        return parse_date(text), ""
    except DateParseError as exc:
        return today, f"{exc.message} Đang tính đến hôm nay ({format_date(today)})."


def _filtered(request):
    """Tasks narrowed by the query string, and what was chosen (for the filter form)."""
    chosen = {name: (request.GET.get(name) or "").strip() for name in FILTERS}
    tasks = Task.objects.all()
    if chosen["don-vi"]:
        tasks = tasks.filter(Q(responsible_unit__code=chosen["don-vi"]) |
                             Q(cooperating_units__code=chosen["don-vi"])).distinct()
    if chosen["linh-vuc"]:
        tasks = tasks.filter(sector__isnull=True) if chosen["linh-vuc"] == "-" else tasks.filter(
            sector__code=chosen["linh-vuc"])
    if chosen["van-ban"].isdigit():
        tasks = tasks.filter(document_id=int(chosen["van-ban"]))
    if chosen["tim"]:
        tasks = tasks.filter(Q(title__icontains=chosen["tim"]) | Q(results__description__icontains=chosen["tim"])
                             ).distinct()
    return tasks, chosen


def _choices(chosen):
    """The filter form's options and what is chosen (names with "_" for the templates)."""
    return {
        "chosen": {name.replace("-", "_"): value for name, value in chosen.items()},
        "units": ReportingUnit.objects.filter(tasks__isnull=False).distinct().order_by("name"),
        "sectors": Sector.objects.all(),
        "documents": SourceDocument.objects.all(),
        "statuses": TaskStatus.choices,
    }


def _rows(tasks, today):
    """Tasks as table rows with their state today, overdue and due-soon flags."""
    soon = today + timedelta(days=stats.due_soon_days())
    rows = []
    for task in tasks.with_details().order_by("document_id", "id"):
        state = task.state_on(today)
        late = task.overdue_results(today)
        upcoming = task.next_deadline(today)
        results = task.live_results()
        rows.append({
            "task": task, "state": state, "late_results": late,
            "due_soon": state.is_open and not late and upcoming is not None and today <= upcoming <= soon,
            "next_deadline": upcoming,
            "done": sum(r.status == ResultStatus.DONE for r in results), "results": len(results),
        })
    return rows


def _query(chosen, **extra):
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in {**chosen, **extra}.items() if v})


@login_required
def overview(request):
    """Every task, filtered; overdue and due-soon first; the statistics at a chosen cut-off."""
    _staff_only(request.user)
    today = timezone.localdate()
    cutoff, day_error = _day(request)
    tasks, chosen = _filtered(request)
    rows = _rows(tasks, today)
    status = chosen["tinh-trang"]
    if status == "due_soon":
        rows = [r for r in rows if r["due_soon"]]
    elif status:
        rows = [r for r in rows if r["state"].status == status or (status == TaskStatus.OVERDUE and r["late_results"])]
    return render(request, "assignments/overview.html", {
        **_choices(chosen), "rows": rows, "today": today, "cutoff": cutoff, "day_error": day_error,
        "overdue": [r for r in rows if r["state"].status == TaskStatus.OVERDUE or r["late_results"]],
        "due_soon": sorted((r for r in rows if r["due_soon"]), key=lambda r: r["next_deadline"]),
        "soon_days": stats.due_soon_days(), "st": stats.compute(tasks, cutoff),
        "export_query": _query(chosen, ngay=format_date(cutoff) if cutoff != today else ""),
        "can_import": access.can_import(request.user),
    })


def report_preview(st_tasks, cutoff):
    """The sentences the generated report prints for these tasks, with its own wording and figures."""
    from solieu.reports.assemble import Builder, ReportRequest
    from solieu.reports.document import Paragraph

    from .report import task_blocks

    builder = Builder(ReportRequest(pid=PeriodId.containing("month", cutoff)), link=lambda fig, req: "")
    blocks = task_blocks(builder, cutoff, tasks=st_tasks)
    return [b.text for b in blocks if isinstance(b, Paragraph)]


@login_required
def statistics(request):
    """The statistics at a cut-off date, by unit and by sector, and the report's sentences."""
    _staff_only(request.user)
    cutoff, day_error = _day(request)
    tasks, chosen = _filtered(request)
    st = stats.compute(tasks, cutoff)
    return render(request, "assignments/statistics.html", {
        **_choices(chosen), "st": st, "cutoff": cutoff, "day_error": day_error,
        "sentences": report_preview(tasks, cutoff), "query": _query(chosen),
        "can_import": access.can_import(request.user),
    })


def _task_or_404(user, pk):
    task = access.visible_tasks(user, Task.objects.with_details()).filter(pk=pk).first()
    if task is None:
        raise Http404("Không có nhiệm vụ này trong phạm vi của bạn.")
    return task


def _detail(request, task, *, error="", status=200, posted=None):
    today = timezone.localdate()
    results = []
    for result in task.results.all():
        results.append({"result": result, "state": result.state_on(today)})
    return render(request, "assignments/detail.html", {
        "task": task, "state": task.state_on(today), "results": results, "today": today,
        "notes": task.notes.select_related("by", "result"), "history": task.changes.select_related("user", "result"),
        "can_update": access.can_update(request.user, task) and not task.cancelled_on,
        "error": error, "posted": posted or {}, "today_text": format_date(today),
        "back": reverse("assignments:overview") if access.sees_all(request.user) else reverse("collection:work"),
    }, status=status)


@login_required
def detail(request, pk):
    return _detail(request, _task_or_404(request.user, pk))


@login_required
@require_POST
def update(request, pk):
    """The responsible unit marks a result done (date, evidence), reopens it, or notes progress."""
    task = _task_or_404(request.user, pk)
    if not access.can_update(request.user, task):
        raise PermissionDenied("Chỉ đơn vị chủ trì cập nhật được nhiệm vụ này.")
    post = request.POST
    action = post.get("action", "")
    revision = post.get("revision") or None
    if revision is not None and not revision.isdigit():
        revision = "0"
    try:
        if action == "done":
            text = (post.get("done_on") or "").strip()
            try:
                done_on = parse_date(text) if text else None
            except DateParseError as exc:
                raise changes.UpdateError(exc.message) from None
            changes.mark_done(request.user, task.pk, post.get("result"), done_on, post.get("evidence", ""),
                              post.get("link", ""), revision=revision)
            message = f"Đã ghi nhận kết quả hoàn thành ngày {format_date(done_on)}."
        elif action == "reopen":
            changes.reopen(request.user, task.pk, post.get("result"), post.get("reason", ""), revision=revision)
            message = "Đã mở lại kết quả."
        elif action == "note":
            changes.add_note(request.user, task.pk, post.get("text", ""), post.get("document", ""),
                             post.get("link", ""), result_id=post.get("result") or None, revision=revision)
            message = "Đã ghi nhận tiến độ."
        else:
            raise changes.UpdateError("Thao tác không hợp lệ.")
    except (changes.UpdateError, ValueError) as exc:
        code = getattr(exc, "code", "invalid")
        text = getattr(exc, "message", "Dữ liệu gửi lên không hợp lệ.")
        task = _task_or_404(request.user, pk)
        return _detail(request, task, error=text, status=409 if code == "conflict" else 400, posted=post)
    messages.success(request, message)
    return redirect("assignments:detail", pk=task.pk)


# --- Excel -------------------------------------------------------------------------------------

def _document_fields(post):
    """The source document typed on the import page, and the errors in it."""
    errors = []
    issued_text = (post.get("issued_on") or "").strip()
    issued_on = None
    if issued_text:
        try:
            issued_on = parse_date(issued_text)
        except DateParseError as exc:
            errors.append(f"Ngày ban hành văn bản: {exc.message}")
    kind = post.get("kind") or SourceDocument.Kind.PLAN
    if kind not in SourceDocument.Kind.values:
        kind = SourceDocument.Kind.OTHER
    document = {"kind": kind, "number": (post.get("number") or "").strip()[:80], "issued_on": issued_on,
                "issuer": (post.get("issuer") or "").strip()[:200], "title": (post.get("title") or "").strip()[:500]}
    return document, errors


@login_required
@require_http_methods(["GET", "POST"])
def import_tasks(request):
    """Upload → preview with every error by row → confirm: all tasks are created, or none."""
    if not access.can_import(request.user):
        raise PermissionDenied("Chỉ chuyên viên tổng hợp và quản trị nhập danh sách nhiệm vụ.")
    context = {"kinds": SourceDocument.Kind.choices, "priorities": Priority.choices, "sectors": Sector.objects.all(),
               "posted": request.POST, "template_url": reverse("assignments:export") + "?mau=1"}
    if request.method == "GET":
        return render(request, "assignments/import.html", context)
    if "payload" in request.POST:
        try:
            created, upload = excel.confirm(request.user, request.POST["payload"])
        except excel.ExcelError as exc:
            return render(request, "assignments/import.html", {**context, "errors": exc.messages}, status=400)
        messages.success(request, f"Đã nhập {format_number(len(created))} nhiệm vụ, "
                                  f"{format_number(sum(t.results.count() for t in created))} kết quả yêu cầu "
                                  f"từ tệp {upload.filename or 'Excel'}.")
        return redirect(reverse("assignments:overview") + (f"?van-ban={created[0].document_id}"
                                                           if created and created[0].document_id else ""))
    document, errors = _document_fields(request.POST)
    sector = Sector.objects.filter(code=request.POST.get("sector") or "").first()
    priority = request.POST.get("priority") if request.POST.get("priority") in Priority.values else Priority.NORMAL
    if errors:
        return render(request, "assignments/import.html", {**context, "errors": errors}, status=400)
    try:
        data, name = _read_file(request)
        upload = excel.read_task_list(data, filename=name, document=document, sector=sector, priority=priority)
    except excel.ExcelError as exc:
        return render(request, "assignments/import.html", {**context, "errors": exc.messages}, status=400)
    return render(request, "assignments/import_preview.html", {
        **context, "upload": upload, "payload": excel.dump(upload, request.user) if upload.can_confirm else "",
        "document_label": str(SourceDocument(**{k: v for k, v in document.items()})) if (
            document["number"] or document["title"]) else "",
    }, status=200 if upload.ok else 400)


@login_required
def export(request):
    """The filtered tasks in the appendix layout; `?mau=1` gives the empty list to fill in."""
    _staff_only(request.user)
    day, _ = _day(request)
    if request.GET.get("mau"):
        content = excel.build_task_list([], day, title="Danh sách nhiệm vụ (mẫu nhập)")
        return _xlsx(content, "mau-danh-sach-nhiem-vu.xlsx")
    tasks, _ = _filtered(request)
    content = excel.build_task_list(tasks.with_details().order_by("document_id", "id"), day)
    return _xlsx(content, f"nhiem-vu_{day:%Y%m%d}.xlsx")
