"""Excel template download and upload.

One submission (form x unit x period): reporters of the unit download the template and upload
it back; a preview lists exactly the changed cells before anything is stored.
A whole form for many units: approvers of the form's receiving unit (or admins) download a
long sheet and upload the figures they collected from the units.
Users outside the scope get 404, never a hint that the report exists.
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from solieu.accounts import access
from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodError, PeriodId
from solieu.vi import format_number

from . import entry, excel
from .models import Submission


def _form(code):
    form = Form.objects.filter(code=code, active=True).order_by("-version").first()
    if form is None:
        raise Http404("Không có biểu mẫu này.")
    return form


def _period(form, code, unit=None):
    """The period of a code, or None; for one unit an ad-hoc submission's period is accepted too."""
    try:
        pid = PeriodId.parse(code)
    except (PeriodError, ValueError, TypeError):
        return None
    if pid.type.value == form.period_type:
        return Period.objects.for_id(pid)
    period = Period.objects.filter(code=pid.code).first()
    if unit is not None and period and Submission.objects.filter(form=form, unit=unit, period=period).exists():
        return period
    return None


def _period_or_404(form, code, unit=None):
    period = _period(form, code, unit)
    if period is None:
        raise Http404("Không có kỳ báo cáo này cho biểu.")
    return period


def _submission(request, form_code, unit_code, period_code, *, upload):
    """The submission named by the URL, if the user may use it; 404 otherwise."""
    form = _form(form_code)
    unit = ReportingUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise Http404("Không có đơn vị này.")
    allowed = access.can_enter(request.user, unit) if upload else (
        access.can_enter(request.user, unit) or access.can_read_unit(request.user, unit))
    if not allowed:
        raise Http404("Không có báo cáo này.")
    period = _period_or_404(form, period_code, unit)
    existing = Submission.objects.filter(form=form, unit=unit, period=period).first()
    if existing is None and not excel.assigned(form, unit, period):
        raise Http404("Đơn vị không phải báo cáo biểu này trong kỳ này.")
    return existing or Submission(form=form, unit=unit, period=period, form_version=form.version)


def _may_receive(user, form):
    return access.is_admin(user) or access.receives(user, form)


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _read_file(request):
    """(bytes, name) of the uploaded file; ExcelError when missing or too large."""
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise excel.ExcelError("Chưa chọn tệp Excel để tải lên.", "no_file")
    name = os.path.basename(uploaded.name or "")[:120]
    limit = excel.max_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise excel.too_large(name, uploaded.size)
    data = uploaded.read(limit + 1)
    return data, name


# ---------------------------------------------------------------------------
# One submission
# ---------------------------------------------------------------------------


@login_required
def template_download(request, form_code, unit_code, period_code):
    submission = _submission(request, form_code, unit_code, period_code, upload=False)
    return _xlsx(excel.build_template(submission), excel.template_filename(submission))


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, form_code, unit_code, period_code):
    submission = _submission(request, form_code, unit_code, period_code, upload=True)
    context = {
        "kind": "submission",
        "form": submission.form, "unit": submission.unit, "period": submission.period,
        "template_url": reverse("excel-template", args=[form_code, unit_code, period_code]),
        "action_url": request.path,
        "max_mb": excel.megabytes(excel.max_bytes()),
    }
    if request.method == "GET":
        return render(request, "collection/excel_upload.html", context)
    if "payload" in request.POST:
        try:
            done = excel.confirm_submission_upload(request.user, submission, request.POST["payload"])
        except entry.EntryError as exc:
            return render(request, "collection/excel_upload.html",
                          {**context, "errors": getattr(exc, "messages", [exc.message])},
                          status=409 if exc.code == "conflict" else 400)
        messages.success(request, _saved_message(done))
        return redirect(request.path)
    try:
        entry.ensure_editable(request.user, submission)
        data, name = _read_file(request)
        result = excel.read_submission_upload(data, submission, filename=name)
    except entry.EntryError as exc:
        return render(request, "collection/excel_upload.html",
                      {**context, "errors": getattr(exc, "messages", [exc.message])}, status=400)
    return _preview(request, context, result)


# ---------------------------------------------------------------------------
# A whole form, many units
# ---------------------------------------------------------------------------


def _receiving_form(request, form_code):
    form = _form(form_code)
    if not _may_receive(request.user, form):
        raise Http404("Không có biểu mẫu này.")
    return form


@login_required
def form_template_download(request, form_code):
    form = _receiving_form(request, form_code)
    code = request.GET.get("ky", "").strip()
    period = _period_or_404(form, code) if code else None
    return _xlsx(excel.build_form_template(form, period), excel.form_template_filename(form, period))


@login_required
@require_http_methods(["GET", "POST"])
def form_upload(request, form_code):
    form = _receiving_form(request, form_code)
    code = (request.POST.get("ky") or request.GET.get("ky") or "").strip()
    period = _period(form, code) if code else None
    context = {
        "kind": "form", "form": form, "period": period, "period_code": code,
        "template_url": reverse("excel-form-template", args=[form_code]) + (f"?ky={period.code}" if period else ""),
        "action_url": request.path + (f"?ky={period.code}" if period else ""),
        "max_mb": excel.megabytes(excel.max_bytes()),
    }
    if request.method == "GET":
        return render(request, "collection/excel_upload.html", context)
    if period is None:
        try:
            example = PeriodId.containing(form.period_type, timezone.localdate()).code
        except PeriodError:
            example = PeriodId.year_of(timezone.localdate().year).code
        problem = (f'Mã kỳ "{code}" không phải là kỳ báo cáo của biểu {form.code} '
                   f"({form.get_period_type_display().lower()})" if code else "Chưa chọn kỳ báo cáo")
        return render(request, "collection/excel_upload.html",
                      {**context, "errors": [f"{problem}; hãy nhập mã kỳ, ví dụ {example}."]}, status=400)
    if "payload" in request.POST:
        try:
            done = excel.confirm_form_upload(request.user, form, period, request.POST["payload"])
        except entry.EntryError as exc:
            return render(request, "collection/excel_upload.html",
                          {**context, "errors": getattr(exc, "messages", [exc.message])},
                          status=409 if exc.code == "conflict" else 400)
        messages.success(request, _saved_message(done))
        return redirect(context["action_url"])
    try:
        data, name = _read_file(request)
        result = excel.read_form_upload(data, form, period, filename=name)
    except entry.EntryError as exc:
        return render(request, "collection/excel_upload.html",
                      {**context, "errors": getattr(exc, "messages", [exc.message])}, status=400)
    return _preview(request, context, result)


def _preview(request, context, result):
    context = {
        **context,
        "upload": result,
        "payload": excel.dump_upload(result, request.user) if result.can_confirm else "",
        "units_count": len({c.unit_code for c in result.changes}),
    }
    return render(request, "collection/excel_preview.html", context, status=200 if result.ok else 400)


def _saved_message(done):
    units = {c.unit_code for c in done.changes}
    text = f"Đã lưu {format_number(len(done.changes))} ô số liệu từ tệp {done.filename or 'Excel'}"
    if done.kind == "form":
        text += f" cho {format_number(len(units))} đơn vị"
    return text + "."


urlpatterns = [
    path("bao-cao/<str:form_code>/<str:unit_code>/<str:period_code>/excel/", template_download,
         name="excel-template"),
    path("bao-cao/<str:form_code>/<str:unit_code>/<str:period_code>/excel/tai-len/", upload,
         name="excel-upload"),
    path("bieu-mau/<str:form_code>/excel/", form_template_download, name="excel-form-template"),
    path("bieu-mau/<str:form_code>/excel/tai-len/", form_upload, name="excel-form-upload"),
]
