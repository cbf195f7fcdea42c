"""What ministry staff write into a generated report: the prose the figures can't say."""

from django.conf import settings
from django.db import models

from solieu.catalog.models import Sector


class Narrative(models.Model):
    """A section of prose for one report (period and scope), per sector or for the whole report.

    Lines starting with "- " become the ministry's dash bullets; other lines are paragraphs.
    `revision` detects two people editing the same text at once.
    """

    class Part(models.TextChoices):
        LEGAL = "legal", "Công tác xây dựng văn bản quy phạm pháp luật"
        DIFFICULTIES = "difficulties", "Khó khăn, vướng mắc và giải pháp"
        TASKS = "tasks", "Nhiệm vụ trọng tâm kỳ tới"

    period_code = models.CharField("kỳ báo cáo", max_length=20)
    scope_code = models.CharField("phạm vi", max_length=40, default="VN")
    sector = models.ForeignKey(Sector, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="lĩnh vực")
    part = models.CharField("phần", max_length=20, choices=Part)
    text = models.TextField("nội dung", blank=True)
    revision = models.PositiveIntegerField("lần sửa", default=0)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="người cập nhật")

    class Meta:
        verbose_name = "nội dung báo cáo do chuyên viên viết"
        verbose_name_plural = "nội dung báo cáo do chuyên viên viết"
        constraints = [
            models.UniqueConstraint(fields=["period_code", "scope_code", "sector", "part"], name="uniq_narrative"),
            models.UniqueConstraint(fields=["period_code", "scope_code", "part"], condition=models.Q(sector=None),
                                    name="uniq_narrative_general"),
        ]

    def __str__(self):
        return f"{self.period_code} {self.scope_code} {self.sector or ''} {self.get_part_display()}"


class ReportFile(models.Model):
    """A document being made in the background (DOCX, PDF, XLSX): a national report takes
    seconds to consolidate, draw and lay out, longer than a page should wait."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang lập"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    params = models.JSONField("lựa chọn báo cáo")
    fmt = models.CharField("định dạng", max_length=5)
    status = models.CharField("trạng thái", max_length=8, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    stage = models.CharField("bước", max_length=120, blank=True)
    filename = models.CharField("tên tệp", max_length=120, blank=True)
    content = models.BinaryField("nội dung", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+",
                                   verbose_name="người yêu cầu")
    created_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tệp báo cáo"
        verbose_name_plural = "tệp báo cáo"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename or self.fmt} ({self.get_status_display()})"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def advance(self, progress, stage):
        """Progress is written straight to the row so the polling page sees it mid-job."""
        ReportFile.objects.filter(pk=self.pk).update(progress=progress, stage=stage)
