"""The ministry's report pages: choose, read on screen, download, trace a figure, write the prose."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solieu.accounts.access import is_ministry_staff, readable_units
from solieu.analytics.compare import compare
from solieu.analytics.scope import BOUNDARY_LABELS
from solieu.catalog.models import Indicator, Sector
from solieu.collection.models import DataValue

from .assemble import build_report, layout
from .jobs import FORMATS, make_report_file
from .models import Narrative, ReportFile
from .params import period_choices, read_request, scope_choices



def _context(request, req):
    return {
        "req": req,
        "query": urlencode(req.params()),
        "period_groups": period_choices(timezone.localdate(), req.pid),
        "scopes": scope_choices(request.user),
        "sectors": Sector.objects.exclude(code="overview") if req.scope.is_national else [],
        "boundary_labels": BOUNDARY_LABELS.items(),
        "formats": [(fmt, label) for fmt, (_, label) in FORMATS.items()],
    }


@login_required
@require_GET
def builder(request):
    """Choose a report and read it on screen, each figure linked to its breakdown."""
    req = read_request(request.GET, request.user, timezone.localdate())
    report = build_report(req)
    context = _context(request, req) | {"report": report, "can_write": is_ministry_staff(request.user)}
    return render(request, "reports/builder.html", context)


@login_required
@require_POST
def generate(request, fmt):
    """Start making a document in the background and go to its progress page."""
    if fmt not in FORMATS:
        raise Http404("Định dạng không hỗ trợ.")
    req = read_request(request.GET, request.user, timezone.localdate())
    file = ReportFile.objects.create(params=req.params(), fmt=fmt, created_by=request.user)
    make_report_file.enqueue(file.pk)
    return redirect("reports:file", file_id=file.pk)


def _own_file(request, file_id):
    file = get_object_or_404(ReportFile.objects.defer("content"), pk=file_id)
    if file.created_by_id != request.user.pk:
        raise Http404("Không có tệp này.")
    return file


@login_required
@require_GET
def file_status(request, file_id):
    """The progress of a document; htmx polls the bar until it is done."""
    file = _own_file(request, file_id)
    context = {"file": file, "label": FORMATS[file.fmt][1], "back": reverse("reports:builder") + "?"
               + urlencode(file.params)}
    if request.headers.get("HX-Request"):
        return render(request, "reports/_file_progress.html", context)
    return render(request, "reports/file.html", context)


@login_required
@require_GET
def file_download(request, file_id):
    file = _own_file(request, file_id)
    if file.status != ReportFile.Status.DONE:
        raise Http404("Tệp chưa lập xong.")
    content = ReportFile.objects.values_list("content", flat=True).get(pk=file.pk)
    response = HttpResponse(bytes(content), content_type=FORMATS[file.fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@login_required
@require_GET
def figure(request):
    """What a figure is made of: the data values, their units, periods and submissions."""
    req = read_request(request.GET, request.user, timezone.localdate())
    indicator = Indicator.objects.filter(code=request.GET.get("indicator", "")).select_related(
        "numerator", "denominator").first()
    if indicator is None:
        raise Http404("Không có chỉ tiêu này.")
    kind = request.GET.get("kind", "value")
    c = compare(indicator, req.pid, req.scope, include_submitted=req.include_submitted)
    periods = [("Kỳ này", req.pid, c.current)]
    if kind in ("previous", "change_pct", "change_pp"):
        periods.append(("Cùng kỳ năm trước", req.pid.same_period_last_year(), c.last_year))
    readable = set(readable_units(request.user).values_list("id", flat=True))
    blocks = []
    for title, pid, result in periods:
        rows = (DataValue.objects.filter(id__in=result.value_ids)
                .select_related("unit", "period", "indicator", "submission", "form", "updated_by")
                .order_by("indicator__code", "unit__code", "period__start_date"))
        visible = [r for r in rows if r.unit_id in readable]
        blocks.append({"title": title, "pid": pid, "result": result, "rows": visible,
                       "hidden": len(result.value_ids) - len(visible)})
    per_1000 = None
    if indicator.aggregation == Indicator.Aggregation.SUM and indicator.code != "OVERVIEW_POPULATION":
        per_1000 = c.per_inhabitants(1000)
    context = {
        "req": req, "indicator": indicator, "kind": kind, "comparison": c, "blocks": blocks, "per_1000": per_1000,
        "back": reverse("reports:builder") + "?" + urlencode(req.params()),
    }
    return render(request, "reports/figure.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def narratives(request):
    """The prose of a report (difficulties, tasks, legal work), written by ministry staff."""
    req = read_request(request.GET, request.user, timezone.localdate())
    if not is_ministry_staff(request.user):
        raise PermissionDenied("Chỉ cán bộ của Bộ được soạn nội dung báo cáo.")
    fields = _narrative_fields(req)
    if request.method == "POST":
        conflicts = _save_narratives(request, req, fields)
        if conflicts:
            messages.error(request, "Nội dung sau đã được người khác sửa trong lúc bạn soạn, chưa lưu gì: "
                           + "; ".join(conflicts) + ". Hãy tải lại trang và soạn lại.")
        else:
            messages.success(request, "Đã lưu nội dung báo cáo.")
            return redirect(reverse("reports:builder") + "?" + urlencode(req.params()))
    return render(request, "reports/narratives.html", {"req": req, "fields": fields,
                                                       "query": urlencode(req.params())})


def _narrative_fields(req):
    existing = {(n.sector_id, n.part): n for n in Narrative.objects.filter(
        period_code=req.pid.code, scope_code=req.scope.code)}
    fields = []
    if req.scope.is_national and req.sector is None:
        fields.append((None, Narrative.Part.LEGAL))
    codes = [e["sector"] for e in layout()["sectors"]]
    for sector in Sector.objects.filter(code__in=codes).order_by("sort_order"):
        if req.sector and sector != req.sector:
            continue
        fields += [(sector, Narrative.Part.DIFFICULTIES), (sector, Narrative.Part.TASKS)]
    result = []
    for sector, part in fields:
        n = existing.get((sector.pk if sector else None, part))
        result.append({
            "name": f"{sector.code if sector else 'chung'}-{part}", "sector": sector, "part": part,
            "label": f"{sector.name + ' - ' if sector else ''}{Narrative.Part(part).label}",
            "text": n.text if n else "", "revision": n.revision if n else 0,
            "by": n.updated_by if n else None, "at": n.updated_at if n else None,
        })
    return result


@transaction.atomic
def _save_narratives(request, req, fields):
    conflicts, changes = [], []
    for f in fields:
        text = request.POST.get(f["name"])
        if text is None:
            continue
        text = text.replace("\r\n", "\n").strip()
        n, _ = Narrative.objects.select_for_update().get_or_create(
            period_code=req.pid.code, scope_code=req.scope.code, sector=f["sector"], part=f["part"])
        if str(n.revision) != request.POST.get(f["name"] + "-revision", "0"):
            conflicts.append(f["label"])
        elif text != n.text:
            changes.append((n, text))
    if conflicts:
        transaction.set_rollback(True)
        return conflicts
    for n, text in changes:
        n.text, n.revision, n.updated_by = text, n.revision + 1, request.user
        n.save()
    return []
