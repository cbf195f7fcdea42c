"""Making report documents in the background, with progress the page can show."""

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from .models import ReportFile

logger = logging.getLogger(__name__)

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"),
    "pdf": ("application/pdf", "PDF"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Bảng số liệu (XLSX)"),
}


def render_as(report, fmt) -> bytes:
    if fmt == "docx":
        from .renderers.docx import render_docx

        return render_docx(report)
    if fmt == "pdf":
        from .renderers.pdf import render_pdf

        return render_pdf(report)
    from .renderers.xlsx import render_figure_sheet

    return render_figure_sheet(report)


def filename_for(req, fmt):
    scope = req.scope.code.replace("@", "-").strip("-")
    stem = "bang-so-lieu" if fmt == "xlsx" else "bao-cao"
    return f"{stem}-{req.pid.code}-{scope}.{fmt}"


def make(file: ReportFile) -> ReportFile:
    """Consolidate, word and render one requested document; failures are kept on the row."""
    from .assemble import Builder
    from .params import read_request

    ReportFile.objects.filter(pk=file.pk).update(status=ReportFile.Status.RUNNING, progress=1,
                                                 stage="Tổng hợp số liệu")
    try:
        user = get_user_model().objects.get(pk=file.created_by_id)
        req = read_request(file.params, user, timezone.localdate())

        def progress(done, total):
            file.advance(5 + int(60 * done / max(total, 1)), f"Tổng hợp số liệu ({done}/{total} lĩnh vực)")

        report = Builder(req, link=lambda f, r: "", progress=progress).build()
        file.advance(70, "Vẽ biểu đồ và dàn trang" if file.fmt != "xlsx" else "Ghi bảng số liệu")
        content = render_as(report, file.fmt)
        ReportFile.objects.filter(pk=file.pk).update(
            status=ReportFile.Status.DONE, progress=100, stage="Đã xong", content=content,
            filename=filename_for(req, file.fmt), finished_at=timezone.now())
    except Exception as exc:  # shown to the user on the progress page, with the trace in the log
        logger.exception("Lập tệp báo cáo %s thất bại", file.pk)
        ReportFile.objects.filter(pk=file.pk).update(
            status=ReportFile.Status.FAILED, stage="Lỗi", error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now())
    file.refresh_from_db()
    return file


@task()
def make_report_file(file_id: int):
    make(ReportFile.objects.get(pk=file_id))
