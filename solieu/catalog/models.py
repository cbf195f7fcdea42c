"""The reporting catalog: what is reported (indicators on forms), by whom (reporting units
with their history), for when (periods) and against which plan (targets).

Modelled on the aggregate data model of DHIS2 (data element x disaggregation x org unit x
period) and on the Vietnamese regime (Thông tư 04/2022, Thông tư 02/2023, Nghị định 09/2019).
Codes are stable and readable because integrators exchange them (exchange.md).
"""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from . import periods


PERIOD_TYPE_LABELS = {
    periods.PeriodType.MONTH: "Tháng",
    periods.PeriodType.QUARTER: "Quý",
    periods.PeriodType.SIX_MONTHS: "6 tháng",
    periods.PeriodType.NINE_MONTHS: "9 tháng",
    periods.PeriodType.YEAR: "Năm",
    periods.PeriodType.RANGE: "Khoảng thời gian",
}
PERIOD_TYPE_CHOICES = [(t.value, label) for t, label in PERIOD_TYPE_LABELS.items()]


class Sector(models.Model):
    """Lĩnh vực: the chapters of every report, in the ministry's order."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=120)
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """Chỉ tiêu, with the rules that make its consolidation correct.

    Aggregation across units and over time are separate because they differ: subscribers
    are summed over provinces but not over months. Ratios are always recomputed from their
    numerator and denominator, never averaged (regime.md).
    """

    class ValueType(models.TextChoices):
        INTEGER = "integer", "Số nguyên"
        DECIMAL = "decimal", "Số thập phân"
        PERCENT = "percent", "Tỷ lệ phần trăm"
        RANK = "rank", "Thứ hạng"

    class Aggregation(models.TextChoices):
        SUM = "sum", "Cộng"
        AVERAGE = "average", "Trung bình"
        NONE = "none", "Không cộng gộp"
        RATIO = "ratio", "Tính lại từ tử số và mẫu số"

    class TimeAggregation(models.TextChoices):
        FLOW = "flow", "Lưu lượng (cộng các tháng)"
        STOCK = "stock", "Thời điểm (giá trị cuối kỳ)"
        RATIO = "ratio", "Tỷ số (tính lại)"

    code = models.CharField("mã", max_length=64, unique=True)
    sector = models.ForeignKey(Sector, models.PROTECT, related_name="indicators", verbose_name="lĩnh vực")
    name = models.CharField("tên chỉ tiêu", max_length=300)
    short_name = models.CharField("tên ngắn", max_length=120, blank=True)
    unit = models.CharField("đơn vị tính", max_length=60)
    value_type = models.CharField("kiểu giá trị", max_length=10, choices=ValueType, default=ValueType.DECIMAL)
    decimals = models.PositiveSmallIntegerField("số chữ số thập phân", default=0)
    aggregation = models.CharField("cộng gộp theo đơn vị", max_length=10, choices=Aggregation, default=Aggregation.SUM)
    time_aggregation = models.CharField(
        "cộng gộp theo thời gian", max_length=10, choices=TimeAggregation, default=TimeAggregation.FLOW
    )
    numerator = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="tử số"
    )
    denominator = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="mẫu số"
    )
    factor = models.DecimalField("hệ số", max_digits=20, decimal_places=6, default=1)
    increase_is_good = models.BooleanField("tăng là tốt", null=True, blank=True)
    description = models.TextField("mô tả", blank=True)
    legal_source = models.CharField("căn cứ pháp lý", max_length=300, blank=True)
    aliases = models.JSONField("tên gọi khác", default=list, blank=True)
    min_value = models.DecimalField("giá trị nhỏ nhất", max_digits=24, decimal_places=6, null=True, blank=True)
    max_value = models.DecimalField("giá trị lớn nhất", max_digits=24, decimal_places=6, null=True, blank=True)
    change_warning_pct = models.DecimalField(
        "ngưỡng cảnh báo thay đổi so với cùng kỳ (%)", max_digits=8, decimal_places=2, null=True, blank=True,
        help_text="Để trống: 50%.",
    )
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["sector__sort_order", "code"]

    def __str__(self):
        return f"{self.code} - {self.name}"

    @property
    def is_ratio(self):
        return self.aggregation == self.Aggregation.RATIO

    def clean(self):
        if self.is_ratio and not (self.numerator_id and self.denominator_id):
            raise ValidationError("Chỉ tiêu tỷ số phải có tử số và mẫu số.")
        if self.is_ratio != (self.time_aggregation == self.TimeAggregation.RATIO):
            raise ValidationError("Chỉ tiêu tỷ số phải được tính lại theo cả đơn vị và thời gian.")
        if self.value_type == self.ValueType.PERCENT and self.aggregation in (
            self.Aggregation.SUM,
            self.Aggregation.AVERAGE,
        ):
            raise ValidationError("Không được cộng hay lấy trung bình các tỷ lệ phần trăm.")


class Disaggregation(models.Model):
    """A dimension that breaks an indicator down on a form (công nghệ 2G/3G/4G/5G...)."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=120)

    class Meta:
        verbose_name = "phân tổ"
        verbose_name_plural = "phân tổ"
        ordering = ["code"]

    def __str__(self):
        return self.name


class DisaggregationOption(models.Model):
    """One value of a dimension. The reserved option TOTAL (no dimension) keys the
    undivided value, so the uniqueness of a data value can be enforced without NULLs."""

    TOTAL_CODE = "TOTAL"

    disaggregation = models.ForeignKey(
        Disaggregation, models.CASCADE, related_name="options", verbose_name="phân tổ"
    )
    code = models.CharField("mã", max_length=40)
    name = models.CharField("tên", max_length=120)
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "giá trị phân tổ"
        verbose_name_plural = "giá trị phân tổ"
        ordering = ["disaggregation", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["disaggregation", "code"], name="uniq_option_code")]

    def __str__(self):
        return self.name

    @classmethod
    def total(cls):
        option, _ = cls.objects.get_or_create(
            code=cls.TOTAL_CODE,
            disaggregation=Disaggregation.objects.get_or_create(
                code=cls.TOTAL_CODE, defaults={"name": "Tổng số"}
            )[0],
            defaults={"name": "Tổng số"},
        )
        return option


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self):
        from django.utils import timezone

        return self.valid_on(timezone.localdate())


class Validity(models.Model):
    """Dates between which a unit existed; both ends inclusive, open when empty."""

    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")


class Province(Validity):
    """Tỉnh, thành phố trực thuộc trung ương, with its validity.

    A code is not an identity across time: from 2025-07-01 code 24 is the new Bắc Ninh
    (Bắc Giang + Bắc Ninh), so a province is its code *and* its validity. Provinces the
    2025 reform left untouched continue as the same record.
    """

    code = models.CharField("mã", max_length=3)
    name = models.CharField("tên", max_length=120)
    is_city = models.BooleanField("thành phố trực thuộc TW", default=False)

    class Meta:
        verbose_name = "tỉnh, thành phố"
        verbose_name_plural = "tỉnh, thành phố"
        ordering = ["code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="uniq_province_code_from")]

    def __str__(self):
        return self.name

    def former_provinces(self):
        """The provinces this one was formed from, with their dates, back to the earliest."""
        result = []
        for link in self.predecessor_links.select_related("predecessor").order_by("predecessor__code"):
            result.append(link.predecessor)
        return result

    def constituents_on(self, day: date):
        """The provinces valid on `day` that make up this province's territory.

        The same period of 2024 for a province formed in 2025 is the sum of these.
        """
        if self.is_valid_on(day):
            return [self]
        found = []
        for predecessor in self.former_provinces():
            found.extend(p for p in predecessor.constituents_on(day) if p not in found)
        return found


class Succession(models.Model):
    """A link from a unit that ended to one that took over, on a date.

    Several links from one predecessor express a split; several into one successor a merger.
    """

    class Kind(models.TextChoices):
        MERGER = "merger", "Hợp nhất, sáp nhập"
        SPLIT = "split", "Chia tách"
        RENAME = "rename", "Đổi tên"
        TRANSFER = "transfer", "Chuyển giao nhiệm vụ"

    kind = models.CharField("hình thức", max_length=10, choices=Kind, default=Kind.MERGER)
    effective = models.DateField("ngày hiệu lực")
    legal_source = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        abstract = True


class ProvinceSuccession(Succession):
    predecessor = models.ForeignKey(Province, models.CASCADE, related_name="successor_links", verbose_name="tỉnh cũ")
    successor = models.ForeignKey(Province, models.CASCADE, related_name="predecessor_links", verbose_name="tỉnh mới")

    class Meta:
        verbose_name = "kế thừa tỉnh"
        verbose_name_plural = "kế thừa tỉnh"
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="uniq_province_succession")]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective:%d/%m/%Y})"


class ReportingUnit(Validity):
    """Đơn vị báo cáo: who submits figures, with parent, seat and history."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", "Bộ"
        MINISTRY_DEPARTMENT = "ministry_department", "Đơn vị thuộc Bộ"
        PROVINCIAL_DEPARTMENT = "provincial_department", "Sở"
        OTHER_MINISTRY = "other_ministry", "Bộ, ngành khác"
        ENTERPRISE = "enterprise", "Doanh nghiệp"
        PUBLISHER = "publisher", "Nhà xuất bản"
        PRESS_ORGAN = "press_organ", "Cơ quan báo chí"

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=250)
    short_name = models.CharField("tên ngắn", max_length=120, blank=True)
    kind = models.CharField("loại", max_length=30, choices=Kind)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="đơn vị cấp trên"
    )
    province = models.ForeignKey(
        Province, models.PROTECT, null=True, blank=True, related_name="units", verbose_name="tỉnh, thành phố"
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="units", verbose_name="lĩnh vực")
    email = models.EmailField("thư điện tử", blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "đơn vị báo cáo"
        verbose_name_plural = "đơn vị báo cáo"
        ordering = ["kind", "code"]

    def __str__(self):
        return self.short_name or self.name

    def predecessors(self):
        return [link.predecessor for link in self.predecessor_links.select_related("predecessor")]

    def successors(self):
        return [link.successor for link in self.successor_links.select_related("successor")]


class UnitSuccession(Succession):
    predecessor = models.ForeignKey(
        ReportingUnit, models.CASCADE, related_name="successor_links", verbose_name="đơn vị cũ"
    )
    successor = models.ForeignKey(
        ReportingUnit, models.CASCADE, related_name="predecessor_links", verbose_name="đơn vị mới"
    )

    class Meta:
        verbose_name = "kế thừa đơn vị"
        verbose_name_plural = "kế thừa đơn vị"
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="uniq_unit_succession")]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective:%d/%m/%Y})"


class PeriodManager(models.Manager):
    def for_code(self, code: str) -> "Period":
        """The stored period for an identifier (202307, 2023Q2, 2023S1, 2023...), created on first use."""
        return self.for_id(periods.PeriodId.parse(code))

    def for_id(self, pid: periods.PeriodId) -> "Period":
        period, _ = self.get_or_create(
            code=pid.code,
            defaults={"type": pid.type.value, "start_date": pid.start_date, "end_date": pid.end_date},
        )
        return period


class Period(models.Model):
    """Kỳ báo cáo, stored once so data values point at a small integer key.

    The dates are the calendar bounds; the cut-off window depends on the form's regime
    (Period.window).
    """

    code = models.CharField("mã kỳ", max_length=20, unique=True)
    type = models.CharField("loại kỳ", max_length=12, choices=PERIOD_TYPE_CHOICES)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")

    objects = PeriodManager()

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["start_date", "-end_date"]
        indexes = [models.Index(fields=["type", "start_date"])]

    def __str__(self):
        return self.label

    @property
    def pid(self) -> periods.PeriodId:
        return periods.PeriodId.parse(self.code)

    @property
    def label(self):
        return self.pid.label()

    def window(self, regime):
        return self.pid.window(regime)


class Form(models.Model):
    """Biểu mẫu: the paper form a unit fills for a period, with its deadlines."""

    class Regime(models.TextChoices):
        STATISTICAL = "statistical", "Chế độ báo cáo thống kê"
        PERIODIC = "periodic", "Báo cáo định kỳ"
        AD_HOC = "ad_hoc", "Báo cáo đột xuất"

    code = models.CharField("mã biểu", max_length=40)
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    name = models.CharField("tên biểu", max_length=300)
    sector = models.ForeignKey(Sector, models.PROTECT, related_name="forms", verbose_name="lĩnh vực")
    regime = models.CharField("chế độ", max_length=12, choices=Regime)
    period_type = models.CharField(
        "loại kỳ",
        max_length=12,
        choices=PERIOD_TYPE_CHOICES[:-1],
    )
    receiving_unit = models.ForeignKey(
        ReportingUnit, models.PROTECT, null=True, blank=True, related_name="received_forms", verbose_name="đơn vị nhận"
    )
    legal_source = models.CharField("căn cứ", max_length=300, blank=True)
    description = models.TextField("hướng dẫn", blank=True)
    on_time_days = models.PositiveSmallIntegerField("số ngày sau hạn vẫn tính đúng hạn", default=0)
    expiry_days = models.PositiveSmallIntegerField("số ngày sau hạn thì khóa kỳ", default=30)
    active = models.BooleanField("đang dùng", default=True)
    assigned_units = models.ManyToManyField(
        ReportingUnit, through="FormAssignment", related_name="assigned_forms", verbose_name="đơn vị phải báo cáo"
    )

    class Meta:
        verbose_name = "biểu mẫu"
        verbose_name_plural = "biểu mẫu"
        ordering = ["sector__sort_order", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_form_version")]

    def __str__(self):
        return f"{self.code} - {self.name}"

    def deadline_for(self, period, tier="reporter") -> date:
        # From the prefetched rules when the caller prefetched them (bulk imports), else one query.
        rule = next((d for d in self.deadlines.all() if d.tier == tier), None)
        if rule is None:
            raise FormDeadline.DoesNotExist(f"Biểu {self.code} không có hạn gửi cho cấp {tier}.")
        return rule.date_for(period.pid if isinstance(period, Period) else period)


class FormDeadline(models.Model):
    """Hạn gửi: a day of a month counted from the period's last month.

    One rule covers the regime's deadlines: "15th of the reporting month" is (0, 15),
    "10th of the month after the quarter" (1, 10), "25/11" for a year (-1, 25),
    "15 March of the next year" (3, 15).
    """

    class Tier(models.TextChoices):
        REPORTER = "reporter", "Đơn vị báo cáo gửi đơn vị nhận"
        MINISTRY_UNIT = "ministry_unit", "Đơn vị thuộc Bộ gửi Bộ"

    form = models.ForeignKey(Form, models.CASCADE, related_name="deadlines", verbose_name="biểu mẫu")
    tier = models.CharField("cấp", max_length=15, choices=Tier, default=Tier.REPORTER)
    month_offset = models.SmallIntegerField("số tháng sau tháng cuối kỳ", default=0)
    day = models.PositiveSmallIntegerField("ngày")

    class Meta:
        verbose_name = "hạn gửi"
        verbose_name_plural = "hạn gửi"
        constraints = [models.UniqueConstraint(fields=["form", "tier"], name="uniq_deadline_tier")]

    def __str__(self):
        return self.describe()

    def date_for(self, pid: periods.PeriodId) -> date:
        end = pid.end_date
        months = end.year * 12 + (end.month - 1) + self.month_offset
        year, month = divmod(months, 12)
        month += 1
        last_day = calendar.monthrange(year, month)[1]
        return date(year, month, min(self.day, last_day))

    def describe(self):
        where = {
            0: "tháng cuối kỳ",
            1: "tháng sau kỳ báo cáo",
            -1: "tháng trước tháng cuối kỳ",
        }.get(self.month_offset, f"tháng thứ {self.month_offset} sau tháng cuối kỳ")
        return f"Ngày {self.day} {where}"


class FormRow(models.Model):
    """A line of the form: an indicator with its row code, or a heading."""

    form = models.ForeignKey(Form, models.CASCADE, related_name="rows", verbose_name="biểu mẫu")
    code = models.CharField("mã dòng", max_length=20)
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, null=True, blank=True, related_name="form_rows", verbose_name="chỉ tiêu"
    )
    label = models.CharField("nhãn (nếu khác tên chỉ tiêu)", max_length=300, blank=True)
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name="thuộc dòng"
    )
    is_total = models.BooleanField("dòng tổng", default=False)
    disaggregation = models.ForeignKey(
        Disaggregation, models.PROTECT, null=True, blank=True, verbose_name="phân tổ (cột)"
    )
    required = models.BooleanField("bắt buộc", default=False)
    sort_order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "dòng biểu"
        verbose_name_plural = "dòng biểu"
        ordering = ["form", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="uniq_form_row_code")]

    def __str__(self):
        return f"{self.code}. {self.title}"

    @property
    def title(self):
        return self.label or (self.indicator.name if self.indicator_id else "")

    @property
    def is_heading(self):
        return self.indicator_id is None


class FormAssignment(Validity):
    """Which unit must report on which form, from when to when."""

    form = models.ForeignKey(Form, models.CASCADE, related_name="assignments", verbose_name="biểu mẫu")
    unit = models.ForeignKey(ReportingUnit, models.CASCADE, related_name="assignments", verbose_name="đơn vị")

    class Meta:
        verbose_name = "phân công báo cáo"
        verbose_name_plural = "phân công báo cáo"
        constraints = [models.UniqueConstraint(fields=["form", "unit"], name="uniq_form_assignment")]

    def __str__(self):
        return f"{self.unit} - {self.form.code}"


class Target(models.Model):
    """Kế hoạch năm: the annual plan value of an indicator, national or for one province."""

    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="targets", verbose_name="chỉ tiêu")
    year = models.PositiveSmallIntegerField("năm")
    province = models.ForeignKey(
        Province, models.PROTECT, null=True, blank=True, related_name="targets",
        verbose_name="tỉnh (để trống: toàn quốc)",
    )
    value = models.DecimalField("giá trị kế hoạch", max_digits=24, decimal_places=6)
    source = models.CharField("nguồn (văn bản giao kế hoạch)", max_length=300, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "kế hoạch năm"
        verbose_name_plural = "kế hoạch năm"
        ordering = ["year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], condition=Q(province__isnull=True), name="uniq_national_target"
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "province"],
                condition=Q(province__isnull=False),
                name="uniq_province_target",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"


class CatalogStamp(models.Model):
    """One row whose token changes with every change to what a form's specification is made of.

    Why: each server process keeps the specifications it built (collection/entry.py), and a
    cell save must not pay for rebuilding one. Reading this token (one row, usually inside a
    query the request makes anyway) tells every process whether the catalog changed since.
    Database triggers write it (migration 0003), so that no write escapes: saves, the admin,
    QuerySet.update, loaders and raw SQL alike. The token is random, not a counter, so that a
    rolled-back change cannot bring back a token that another state of the catalog had.
    """

    ID = 1
    token = models.CharField("dấu phiên bản danh mục", max_length=64)

    class Meta:
        verbose_name = "dấu phiên bản danh mục"
        verbose_name_plural = "dấu phiên bản danh mục"

    def __str__(self):
        return self.token

    @classmethod
    def current(cls):
        """The token, or None when there is none (a flushed test database): then nothing is cached."""
        return cls.objects.filter(pk=cls.ID).values_list("token", flat=True).first()
