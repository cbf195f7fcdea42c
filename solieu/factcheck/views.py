"""Pages of the fact-check: upload past reports, review what was read, import, see findings."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solieu.accounts.access import is_ministry_staff
from solieu.catalog.models import Indicator
from solieu.catalog.periods import PeriodError, PeriodId
from solieu.vi.numbers import NumberParseError, parse_number

from .against_data import check_against_data
from .checks import check_all
from .export import findings_xlsx
from .models import ExtractedStatement, SourceDocument
from .read import ReadError
from .service import import_confirmed, store_document

MAX_FILES = 10


def staff_only(view):
    def wrapped(request, *args, **kwargs):
        if not is_ministry_staff(request.user):
            raise PermissionDenied("Chỉ cán bộ của Bộ được kiểm tra báo cáo cũ.")
        return view(request, *args, **kwargs)
    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return login_required(wrapped)


@staff_only
@require_http_methods(["GET", "POST"])
def index(request):
    """The documents read so far, and the upload of new ones (.txt, .docx, .pdf)."""
    if request.method == "POST":
        files = request.FILES.getlist("files")[:MAX_FILES]
        if not files:
            messages.error(request, "Chưa chọn tệp nào.")
        for upload in files:
            try:
                document, created = store_document(upload.name, upload.read(), request.user)
            except ReadError as exc:
                messages.error(request, f"{upload.name}: {exc}")
                continue
            count = document.statements.count()
            messages.success(request, f"{upload.name}: đọc được {count} số liệu." if created
                             else f"{upload.name}: văn bản này đã được tải lên trước đây ({document.name}).")
        return redirect("factcheck:index")
    documents = SourceDocument.objects.all()
    return render(request, "factcheck/index.html", {"documents": documents})


@staff_only
@require_GET
def document(request, doc_id):
    """Every statement with its quote and place, to confirm, correct or reject."""
    doc = get_object_or_404(SourceDocument, pk=doc_id)
    statements = doc.statements.select_related("indicator", "data_value")
    counts = {r: statements.filter(review=r).count() for r in ExtractedStatement.Review.values}
    return render(request, "factcheck/document.html", {"doc": doc, "statements": statements, "counts": counts})


@staff_only
@require_POST
def review(request, st_id):
    """Confirm, reject or correct one statement; htmx swaps its row."""
    st = get_object_or_404(ExtractedStatement.objects.select_related("document", "indicator"), pk=st_id)
    if st.review == ExtractedStatement.Review.IMPORTED:
        error = "Số liệu này đã được nhập, không sửa được nữa."
    else:
        error = _apply(st, request.POST, request.user)
    if request.headers.get("HX-Request"):
        return render(request, "factcheck/_statement_row.html", {"st": st, "error": error})
    if error:
        messages.error(request, error)
    return redirect("factcheck:document", doc_id=st.document_id)


def _apply(st, data, user):
    action = data.get("action")
    if action == "reject":
        st.review = ExtractedStatement.Review.REJECTED
    elif action in ("confirm", "correct"):
        if action == "correct":
            error = _correct(st, data)
            if error:
                return error
        if st.indicator_id is None or st.value is None or not st.period_code:
            return "Cần có chỉ tiêu, giá trị và kỳ trước khi xác nhận."
        st.review = ExtractedStatement.Review.CONFIRMED
    else:
        return "Thao tác không hợp lệ."
    st.reviewed_by, st.reviewed_at = user, timezone.now()
    st.save()
    return ""


def _correct(st, data):
    """The analyst's reading replaces the extractor's, which is kept in `original`."""
    indicator = Indicator.objects.filter(code=data.get("indicator", "").strip()).first()
    if indicator is None:
        return f"Không có chỉ tiêu mã “{data.get('indicator', '')}”."
    try:
        value = parse_number(data.get("value", ""))
        pid = PeriodId.parse(data.get("period", "").strip())
    except NumberParseError as exc:
        return exc.message
    except (PeriodError, InvalidOperation) as exc:
        return f"Kỳ không hợp lệ: {exc}"
    if st.original is None:
        st.original = {"indicator": st.indicator.code if st.indicator_id else None,
                       "value": None if st.value is None else str(st.value), "period": st.period_code}
    st.indicator, st.value, st.period_code = indicator, Decimal(value), pid.code
    return ""


@staff_only
@require_POST
def confirm_clean(request, doc_id):
    """Confirm at once what the extractor read without any doubt."""
    doc = get_object_or_404(SourceDocument, pk=doc_id)
    clean = [st for st in doc.statements.filter(review=ExtractedStatement.Review.PENDING, indicator__isnull=False,
                                                 value__isnull=False).exclude(period_code="")
             if not st.flags and st.match_score >= 0.8]
    for st in clean:
        st.review, st.reviewed_by, st.reviewed_at = ExtractedStatement.Review.CONFIRMED, request.user, timezone.now()
    ExtractedStatement.objects.bulk_update(clean, ["review", "reviewed_by", "reviewed_at"])
    messages.success(request, f"Đã xác nhận {len(clean)} số liệu không có cảnh báo.")
    return redirect("factcheck:document", doc_id=doc.pk)


@staff_only
@require_POST
def import_history(request, doc_id):
    doc = get_object_or_404(SourceDocument, pk=doc_id)
    result = import_confirmed(doc, request.user)
    messages.success(request, f"Đã nhập {len(result.created)} số liệu lịch sử từ {doc.name}.")
    for st, reason in result.skipped:
        messages.warning(request, f"Dòng {st.line} ({st.indicator_text or st.quote[:40]}): không nhập vì {reason}.")
    return redirect("factcheck:document", doc_id=doc.pk)


def _findings(request):
    ids = [int(i) for i in request.GET.getlist("doc") if i.isdigit()]
    docs = SourceDocument.objects.filter(pk__in=ids) if ids else SourceDocument.objects.all()
    statements = [st.as_statement() for st in ExtractedStatement.objects.filter(document__in=docs).exclude(
        review=ExtractedStatement.Review.REJECTED).select_related("document", "indicator")]
    found = check_all(statements)
    if request.GET.get("du_lieu") == "1":
        found = sorted(found + check_against_data(statements), key=lambda f: -f.size)
    return docs, found


@staff_only
@require_GET
def findings(request):
    """Disagreements inside and across the documents (and with the data when asked)."""
    docs, found = _findings(request)
    return render(request, "factcheck/findings.html", {
        "docs": docs, "all_docs": SourceDocument.objects.all(), "findings": found,
        "selected": {d.pk for d in docs}, "against_data": request.GET.get("du_lieu") == "1",
        "query": request.GET.urlencode()})


@staff_only
@require_GET
def findings_download(request):
    _, found = _findings(request)
    response = HttpResponse(findings_xlsx(found),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="kiem-tra-so-lieu.xlsx"'
    return response
