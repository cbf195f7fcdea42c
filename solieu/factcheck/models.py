"""Past reports read into the system, their figure statements, and what an analyst decided."""

from django.conf import settings
from django.db import models

from solieu.catalog.models import Indicator

from .statements import Statement

DECIMAL = {"max_digits": 24, "decimal_places": 6, "null": True, "blank": True}


class SourceDocument(models.Model):
    """A report as uploaded. Its text is kept so that every quote can be shown in place."""

    name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm", max_length=64, unique=True)
    size = models.PositiveIntegerField("dung lượng (byte)")
    lines = models.JSONField("các dòng văn bản", default=list)
    period_code = models.CharField("kỳ của văn bản", max_length=20, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                    verbose_name="người tải lên")
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "văn bản báo cáo cũ"
        verbose_name_plural = "văn bản báo cáo cũ"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.name


class ExtractedStatement(models.Model):
    """One figure statement, as read and then as reviewed.

    The extractor's reading is kept in `original` when an analyst corrects it, so a corrected
    figure still says what the document said.
    """

    class Review(models.TextChoices):
        PENDING = "pending", "Chờ xem xét"
        CONFIRMED = "confirmed", "Đã xác nhận"
        REJECTED = "rejected", "Loại bỏ"
        IMPORTED = "imported", "Đã nhập thành số liệu lịch sử"

    document = models.ForeignKey(SourceDocument, models.CASCADE, related_name="statements", verbose_name="văn bản")
    line = models.PositiveIntegerField("dòng")
    quote = models.TextField("trích dẫn")
    kind = models.CharField("loại", max_length=10, default="sentence")
    indicator = models.ForeignKey(Indicator, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="chỉ tiêu")
    indicator_text = models.CharField("tên chỉ tiêu trong văn bản", max_length=300, blank=True)
    match_score = models.FloatField("độ khớp tên", default=0)
    value = models.DecimalField("giá trị", **DECIMAL)
    value_text = models.CharField("số như viết", max_length=60, blank=True)
    unit_text = models.CharField("đơn vị như viết", max_length=60, blank=True)
    period_code = models.CharField("kỳ", max_length=20, blank=True)
    estimate = models.BooleanField("ước tính", default=False)
    change = models.DecimalField("thay đổi so với cùng kỳ", **DECIMAL)
    change_kind = models.CharField("kiểu thay đổi", max_length=10, blank=True)
    change_base_period = models.CharField("kỳ so sánh", max_length=20, blank=True, null=True)
    previous_value = models.DecimalField("số cùng kỳ nêu trong văn bản", **DECIMAL)
    plan_share = models.DecimalField("tỷ lệ so với kế hoạch", **DECIMAL)
    plan_value = models.DecimalField("kế hoạch nêu trong văn bản", **DECIMAL)
    part = models.PositiveIntegerField("tử số (x/y)", null=True, blank=True)
    whole = models.PositiveIntegerField("mẫu số (x/y)", null=True, blank=True)
    share = models.DecimalField("tỷ lệ nêu kèm x/y (%)", **DECIMAL)
    flags = models.JSONField("cảnh báo", default=list, blank=True)
    review = models.CharField("xem xét", max_length=10, choices=Review, default=Review.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="người xem xét")
    reviewed_at = models.DateTimeField("xem xét lúc", null=True, blank=True)
    original = models.JSONField("bản đọc ban đầu (khi đã sửa)", null=True, blank=True)
    data_value = models.ForeignKey("collection.DataValue", models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name="số liệu đã nhập")
    note = models.TextField("ghi chú", blank=True)

    FIELDS = ["kind", "indicator_text", "match_score", "value", "value_text", "unit_text", "period_code", "estimate",
              "change", "change_kind", "previous_value", "plan_share", "plan_value", "part", "whole", "flags", "share", "change_base_period"]

    class Meta:
        verbose_name = "số liệu trích từ văn bản"
        verbose_name_plural = "số liệu trích từ văn bản"
        ordering = ["document", "line", "id"]

    def __str__(self):
        return f"{self.document.name}:{self.line} {self.indicator_text}"

    @property
    def location(self):
        return f"{self.document.name}:{self.line}"

    @classmethod
    def from_statement(cls, document, s: Statement, indicators: dict):
        values = {f: getattr(s, f) for f in cls.FIELDS if getattr(s, f) is not None}
        return cls(document=document, line=s.line, quote=s.quote, indicator=indicators.get(s.indicator_code),
                   **values)

    def as_statement(self) -> Statement:
        return Statement(document=self.document.name, line=self.line, quote=self.quote,
                         indicator_code=self.indicator.code if self.indicator_id else None,
                         **{f: getattr(self, f) for f in self.FIELDS})
