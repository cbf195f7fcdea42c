"""Figures as reported: one current value per key, and the trail of every change to it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from solieu.catalog.models import DisaggregationOption, Form, Indicator, Period, ReportingUnit


class ValueStatus(models.TextChoices):
    """The reports say "ước đạt" for estimates and "đạt" for final figures (regime.md)."""

    ESTIMATE = "estimate", "Ước tính"
    PRELIMINARY = "preliminary", "Sơ bộ"
    OFFICIAL = "official", "Chính thức"


class Channel(models.TextChoices):
    """How a value reached the system, kept on the value and on every audit entry."""

    WEB = "web", "Nhập trên web"
    EXCEL = "excel", "Tệp Excel"
    API = "api", "API"
    DHIS2 = "dhis2", "API chuẩn DHIS2"
    HISTORY = "history", "Số liệu lịch sử từ báo cáo cũ"
    DEMO = "demo", "Dữ liệu mẫu"
    ADMIN = "admin", "Quản trị"
    SYSTEM = "system", "Hệ thống"


class DataValueQuerySet(models.QuerySet):
    def current(self):
        return self.filter(deleted_at__isnull=True)


class DataValue(models.Model):
    """Số liệu: indicator x disaggregation option x reporting unit x period -> value.

    The form and its version record which form carried the value; they are provenance, not
    part of the key, so a figure has one current value whichever form it came through. The
    database enforces that uniqueness among values not deleted. `revision` grows with every
    change so that concurrent editors are detected (optimistic locking).
    """

    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="values", verbose_name="chỉ tiêu")
    option = models.ForeignKey(DisaggregationOption, models.PROTECT, related_name="+", verbose_name="phân tổ")
    unit = models.ForeignKey(ReportingUnit, models.PROTECT, related_name="values", verbose_name="đơn vị báo cáo")
    period = models.ForeignKey(Period, models.PROTECT, related_name="values", verbose_name="kỳ")
    value = models.DecimalField("giá trị", max_digits=24, decimal_places=6)
    status = models.CharField("tình trạng số liệu", max_length=12, choices=ValueStatus, default=ValueStatus.OFFICIAL)
    comment = models.TextField("ghi chú", blank=True)
    followup = models.BooleanField("cần kiểm tra lại", default=False)
    form = models.ForeignKey(Form, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="biểu mẫu")
    form_version = models.PositiveSmallIntegerField("phiên bản biểu", null=True, blank=True)
    channel = models.CharField("kênh", max_length=10, choices=Channel, default=Channel.WEB)
    source = models.CharField("nguồn", max_length=300, blank=True)
    revision = models.PositiveIntegerField("lần sửa", default=1)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="người tạo"
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="người cập nhật",
    )
    deleted_at = models.DateTimeField("xóa lúc", null=True, blank=True)

    objects = DataValueQuerySet.as_manager()

    class Meta:
        verbose_name = "số liệu"
        verbose_name_plural = "số liệu"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "option", "unit", "period"],
                condition=Q(deleted_at__isnull=True),
                name="uniq_current_data_value",
            )
        ]
        indexes = [
            models.Index(fields=["period", "indicator"], name="datavalue_period_ind"),
            models.Index(fields=["unit", "period"], name="datavalue_unit_period"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.unit.code} {self.period.code} = {self.value}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Nhật ký thay đổi chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise PermissionError("Nhật ký thay đổi chỉ được ghi thêm, không được xóa.")


class DataValueAudit(models.Model):
    """Append-only trail: who changed which figure, when, from what to what, by which channel.

    The key is copied so that the trail reads on its own, even for a value later deleted.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Sửa"
        DELETE = "delete", "Xóa"
        RESTORE = "restore", "Khôi phục"
        CONFLICT = "conflict", "Xung đột (bị từ chối)"

    data_value = models.ForeignKey(DataValue, models.PROTECT, related_name="audits", verbose_name="số liệu")
    action = models.CharField("thao tác", max_length=10, choices=Action)
    indicator_code = models.CharField("mã chỉ tiêu", max_length=64)
    option_code = models.CharField("mã phân tổ", max_length=40)
    unit_code = models.CharField("mã đơn vị", max_length=40)
    period_code = models.CharField("mã kỳ", max_length=20)
    old_value = models.DecimalField("giá trị cũ", max_digits=24, decimal_places=6, null=True, blank=True)
    new_value = models.DecimalField("giá trị mới", max_digits=24, decimal_places=6, null=True, blank=True)
    old_status = models.CharField("tình trạng cũ", max_length=12, blank=True)
    new_status = models.CharField("tình trạng mới", max_length=12, blank=True)
    revision = models.PositiveIntegerField("lần sửa")
    channel = models.CharField("kênh", max_length=10, choices=Channel)
    source = models.CharField("nguồn", max_length=300, blank=True)
    note = models.TextField("ghi chú", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="người thực hiện"
    )
    at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "nhật ký thay đổi số liệu"
        verbose_name_plural = "nhật ký thay đổi số liệu"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.indicator_code} {self.unit_code} {self.period_code}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Nhật ký thay đổi chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Nhật ký thay đổi chỉ được ghi thêm, không được xóa.")
