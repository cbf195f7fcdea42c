"""Figures as reported: one current value per key, and the trail of every change to it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from solieu.catalog.models import DisaggregationOption, Form, Indicator, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.ops.audit import AppendOnlyModel


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

    # Foreign keys without an index of their own where a composite one (Meta) leads with them,
    # or where only a rare catalog or account deletion reads them: each index is written on
    # every insert, and the national import writes millions (issue 8).
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="values", verbose_name="chỉ tiêu",
                                  db_index=False)
    option = models.ForeignKey(DisaggregationOption, models.PROTECT, related_name="+", verbose_name="phân tổ",
                               db_index=False)
    unit = models.ForeignKey(ReportingUnit, models.PROTECT, related_name="values", verbose_name="đơn vị báo cáo",
                             db_index=False)
    period = models.ForeignKey(Period, models.PROTECT, related_name="values", verbose_name="kỳ", db_index=False)
    value = models.DecimalField("giá trị", max_digits=24, decimal_places=6)
    status = models.CharField("tình trạng số liệu", max_length=12, choices=ValueStatus, default=ValueStatus.OFFICIAL)
    comment = models.TextField("ghi chú", blank=True)
    followup = models.BooleanField("cần kiểm tra lại", default=False)
    form = models.ForeignKey(Form, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="biểu mẫu",
                             db_index=False)
    submission = models.ForeignKey(
        "Submission", models.SET_NULL, null=True, blank=True, related_name="values", verbose_name="báo cáo"
    )
    form_version = models.PositiveSmallIntegerField("phiên bản biểu", null=True, blank=True)
    channel = models.CharField("kênh", max_length=10, choices=Channel, default=Channel.WEB)
    source = models.CharField("nguồn", max_length=300, blank=True)
    revision = models.PositiveIntegerField("lần sửa", default=1)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="người tạo",
        db_index=False,
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="người cập nhật", db_index=False,
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


class DataValueAudit(AppendOnlyModel):
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
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="người thực hiện"
    )
    at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)

    trail_name = "Nhật ký thay đổi"

    class Meta:
        verbose_name = "nhật ký thay đổi số liệu"
        verbose_name_plural = "nhật ký thay đổi số liệu"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.indicator_code} {self.unit_code} {self.period_code}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Đang nhập"
    SUBMITTED = "submitted", "Đã gửi"
    RETURNED = "returned", "Bị trả lại"
    APPROVED = "approved", "Đã phê duyệt"


class SubmissionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=SubmissionStatus.APPROVED)


class Submission(models.Model):
    """Báo cáo: one form filled by one unit for one period, and where it is in the workflow."""

    form = models.ForeignKey(Form, models.PROTECT, related_name="submissions", verbose_name="biểu mẫu")
    unit = models.ForeignKey(ReportingUnit, models.PROTECT, related_name="submissions", verbose_name="đơn vị")
    period = models.ForeignKey(Period, models.PROTECT, related_name="submissions", verbose_name="kỳ")
    adhoc_request = models.ForeignKey(
        "AdHocRequest", models.PROTECT, null=True, blank=True, related_name="submissions",
        verbose_name="yêu cầu báo cáo đột xuất",
    )
    status = models.CharField("trạng thái", max_length=10, choices=SubmissionStatus, default=SubmissionStatus.DRAFT)
    form_version = models.PositiveSmallIntegerField("phiên bản biểu")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="người gửi")
    decided_at = models.DateTimeField("phê duyệt/trả lại lúc", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="người phê duyệt/trả lại")
    return_reason = models.TextField("lý do trả lại", blank=True)
    reopened_until = models.DateField("mở lại để sửa đến ngày", null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        constraints = [models.UniqueConstraint(fields=["form", "unit", "period"], name="uniq_submission")]
        indexes = [models.Index(fields=["status", "period"], name="submission_status_period")]

    def __str__(self):
        return f"{self.form.code} - {self.unit} - {self.period}"

    @property
    def pid(self) -> PeriodId:
        return self.period.pid

    def deadline(self):
        if self.adhoc_request_id:
            return self.adhoc_request.deadline
        return self.form.deadline_for(self.pid)

    def on_time_until(self):
        from datetime import timedelta

        return self.deadline() + timedelta(days=self.form.on_time_days)

    def is_late(self, today=None, limit=None):
        """Sent after the deadline plus the form's grace days, or not sent and past it.

        `limit`: that day, when the caller computed it once for many reports (completeness)."""
        from django.utils import timezone

        limit = limit or self.on_time_until()
        if self.submitted_at:
            return timezone.localdate(self.submitted_at) > limit
        return (today or timezone.localdate()) > limit


class SubmissionEvent(AppendOnlyModel):
    """Each workflow step, for the record and for the "what changed since your last visit" list."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Gửi báo cáo"
        APPROVE = "approve", "Phê duyệt"
        RETURN = "return", "Trả lại"
        REOPEN = "reopen", "Mở lại để sửa"

    submission = models.ForeignKey(Submission, models.PROTECT, related_name="events", verbose_name="báo cáo")
    action = models.CharField("thao tác", max_length=10, choices=Action)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="người thực hiện")
    at = models.DateTimeField("lúc", auto_now_add=True)
    note = models.TextField("ghi chú", blank=True)

    trail_name = "Nhật ký xử lý báo cáo"

    class Meta:
        verbose_name = "bước xử lý báo cáo"
        verbose_name_plural = "bước xử lý báo cáo"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.submission}"


class ValidationRule(models.Model):
    """A rule of a form over its row codes (DHIS2 validation rules), e.g. [3:4G] <= [3]."""

    class Operator(models.TextChoices):
        EQ = "==", "bằng"
        NE = "!=", "khác"
        GT = ">", "lớn hơn"
        GE = ">=", "lớn hơn hoặc bằng"
        LT = "<", "nhỏ hơn"
        LE = "<=", "nhỏ hơn hoặc bằng"
        COMPULSORY_PAIR = "compulsory_pair", "phải có cả hai"
        EXCLUSIVE_PAIR = "exclusive_pair", "chỉ được có một"

    class Missing(models.TextChoices):
        SKIP_IF_ANY = "skip_if_any_missing", "Bỏ qua nếu thiếu bất kỳ ô nào"
        SKIP_IF_ALL = "skip_if_all_missing", "Bỏ qua nếu thiếu tất cả các ô"
        NEVER = "never_skip", "Luôn kiểm tra (ô trống tính là 0)"

    class Level(models.TextChoices):
        ERROR = "error", "Lỗi (chặn gửi báo cáo)"
        WARNING = "warning", "Cảnh báo (cần ghi chú)"

    form = models.ForeignKey(Form, models.CASCADE, related_name="rules", verbose_name="biểu mẫu")
    code = models.CharField("mã quy tắc", max_length=20)
    left = models.CharField("vế trái", max_length=500)
    operator = models.CharField("phép so sánh", max_length=16, choices=Operator)
    right = models.CharField("vế phải", max_length=500)
    missing = models.CharField("khi thiếu số liệu", max_length=20, choices=Missing, default=Missing.SKIP_IF_ANY)
    level = models.CharField("mức độ", max_length=8, choices=Level, default=Level.ERROR)
    message = models.CharField("thông báo", max_length=300, blank=True)

    class Meta:
        verbose_name = "quy tắc kiểm tra"
        verbose_name_plural = "quy tắc kiểm tra"
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="uniq_rule_code")]

    def __str__(self):
        return f"{self.form.code} {self.code}: {self.left} {self.operator} {self.right}"


class AdHocRequest(models.Model):
    """Báo cáo đột xuất: the ministry asks some units for figures outside the periodic cycle.

    The minister ordered that ad-hoc reports stay under 10% of periodic ones; a request that
    would take a target unit above the quota needs a leader's recorded override.
    """

    code = models.CharField("số hiệu", max_length=40, unique=True)
    title = models.CharField("nội dung yêu cầu", max_length=300)
    reason = models.TextField("lý do")
    form = models.ForeignKey(Form, models.PROTECT, related_name="adhoc_requests", verbose_name="biểu mẫu")
    period = models.ForeignKey(Period, models.PROTECT, related_name="+", verbose_name="kỳ số liệu (đến ngày chốt)")
    deadline = models.DateField("hạn gửi")
    units = models.ManyToManyField(ReportingUnit, related_name="adhoc_requests", verbose_name="đơn vị được yêu cầu")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                   verbose_name="người yêu cầu")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    override_reason = models.TextField("lý do vượt hạn mức (lãnh đạo quyết định)", blank=True)
    override_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="lãnh đạo cho phép vượt hạn mức")

    class Meta:
        verbose_name = "yêu cầu báo cáo đột xuất"
        verbose_name_plural = "yêu cầu báo cáo đột xuất"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.code}: {self.title}"



class Reminder(models.Model):
    """A reminder sent to a unit for a form and period at one stage around the deadline (once)."""

    form = models.ForeignKey(Form, models.CASCADE, related_name="+", verbose_name="biểu mẫu")
    unit = models.ForeignKey(ReportingUnit, models.CASCADE, related_name="+", verbose_name="đơn vị")
    period = models.ForeignKey(Period, models.CASCADE, related_name="+", verbose_name="kỳ")
    stage = models.SmallIntegerField("số ngày so với hạn")
    sent_at = models.DateTimeField("gửi lúc", auto_now_add=True)
    recipients = models.TextField("người nhận", blank=True)

    class Meta:
        verbose_name = "nhắc nhở báo cáo"
        verbose_name_plural = "nhắc nhở báo cáo"
        constraints = [models.UniqueConstraint(fields=["form", "unit", "period", "stage"], name="uniq_reminder")]
