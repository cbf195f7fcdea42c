"""Nhiệm vụ: the tasks the ministry is assigned and assigns, their required results and deadlines.

A task (nhiệm vụ) comes from a source document (a plan, a decision, a conclusion...), is
carried out by one responsible unit with co-operating units, and asks for one or more
required results (kết quả, sản phẩm), each with its own deadline as written in the document.

What is stored and what is computed:

* A required result stores what the unit said: its status (not started, in progress, done,
  cancelled) and, when done, the day it was done. Whether it was on time, late or is overdue
  is computed against a day (`state_on`), so that "overdue" needs no nightly job and the
  statistics can be taken at any cut-off date.
* A task stores no status. Its deadline is the latest deadline of its live (not cancelled)
  results; it is done when all of them are done, on the day the last was done, and on time
  when that day is not after its deadline (`Task.state_on`). A task cancelled on a day is
  left out of every count from that day on.
* Every change goes into TaskChange, append-only like DataValueAudit; `revision` grows with
  each change so that a stale update is refused (optimistic concurrency).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from solieu.catalog.models import ReportingUnit, Sector
from solieu.ops.audit import AppendOnlyModel
from solieu.vi import format_date


class DeadlineKind(models.TextChoices):
    DATE = "date", "Ngày cụ thể"
    PERIOD = "period", "Tháng, quý, năm"
    EVENT = "event", "Theo sự kiện"
    ONGOING = "ongoing", "Thường xuyên"


class ResultStatus(models.TextChoices):
    """What the unit reports about one required result."""

    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"
    CANCELLED = "cancelled", "Dừng thực hiện"


class TaskStatus(models.TextChoices):
    """The state of a task or a result on a given day, computed (see the module docstring)."""

    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE_ON_TIME = "done_on_time", "Hoàn thành đúng hạn"
    DONE_LATE = "done_late", "Hoàn thành quá hạn"
    OVERDUE = "overdue", "Quá hạn, chưa hoàn thành"
    CANCELLED = "cancelled", "Dừng thực hiện"


DONE_STATES = (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE)
OPEN_STATES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE)


STATE_CSS = {TaskStatus.NOT_STARTED: "missing", TaskStatus.IN_PROGRESS: "draft", TaskStatus.DONE_ON_TIME: "approved",
             TaskStatus.DONE_LATE: "late", TaskStatus.OVERDUE: "overdue", TaskStatus.CANCELLED: "none"}


class Priority(models.TextChoices):
    NORMAL = "normal", "Bình thường"
    KEY = "key", "Trọng tâm"
    URGENT = "urgent", "Khẩn"


class SourceDocument(models.Model):
    """Văn bản giao nhiệm vụ: a plan, a decision, the Prime Minister's conclusions..."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Kế hoạch"
        DECISION = "decision", "Quyết định"
        CONCLUSION = "conclusion", "Thông báo kết luận"
        DIRECTIVE = "directive", "Chỉ thị"
        RESOLUTION = "resolution", "Nghị quyết"
        PROGRAMME = "programme", "Chương trình"
        REPORT = "report", "Báo cáo"
        LETTER = "letter", "Công văn"
        OTHER = "other", "Văn bản khác"

    kind = models.CharField("loại văn bản", max_length=12, choices=Kind, default=Kind.PLAN)
    number = models.CharField("số, ký hiệu", max_length=80, blank=True, help_text="Ví dụ 1145/QĐ-BTTTT.")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True,
                                 help_text="Năm của thời hạn ghi thiếu năm (\"Trước ngày 15/4\") lấy theo ngày này.")
    issuer = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    title = models.CharField("trích yếu", max_length=500, blank=True)

    class Meta:
        verbose_name = "văn bản giao nhiệm vụ"
        verbose_name_plural = "văn bản giao nhiệm vụ"
        ordering = ["-issued_on", "number"]

    def __str__(self):
        parts = [self.get_kind_display()]
        if self.number:
            parts.append(f"số {self.number}")
        if self.issued_on:
            parts.append(f"ngày {format_date(self.issued_on)}")
        head = " ".join(parts)
        return f"{head}: {self.title}" if self.title else head

    @property
    def year(self):
        return self.issued_on.year if self.issued_on else None


class TaskQuerySet(models.QuerySet):
    def with_details(self):
        return self.select_related("document", "sector", "responsible_unit").prefetch_related(
            "results", "cooperating_units", "notes")

    def assigned_by(self, day: date):
        return self.filter(Q(assigned_on__isnull=True) | Q(assigned_on__lte=day))


@dataclass(frozen=True)
class State:
    """A task's or a result's state on a day, with the dates it was judged on."""

    status: str
    deadline: date | None
    done_on: date | None

    @property
    def label(self):
        return TaskStatus(self.status).label

    @property
    def css(self):
        """The class of web/entry.css drawing this state (the colours of the report statuses)."""
        return STATE_CSS[self.status]

    @property
    def is_done(self):
        return self.status in DONE_STATES

    @property
    def is_open(self):
        return self.status in OPEN_STATES


class Task(models.Model):
    """Nhiệm vụ. See the module docstring for how its state is computed."""

    document = models.ForeignKey(SourceDocument, models.PROTECT, null=True, blank=True, related_name="tasks",
                                 verbose_name="văn bản giao")
    order = models.CharField("TT", max_length=20, blank=True, help_text="Số thứ tự như trong văn bản giao.")
    title = models.TextField("nhiệm vụ")
    sector = models.ForeignKey(Sector, models.PROTECT, null=True, blank=True, related_name="tasks",
                               verbose_name="lĩnh vực")
    responsible_unit = models.ForeignKey(ReportingUnit, models.PROTECT, related_name="tasks",
                                         verbose_name="cơ quan chủ trì")
    cooperating_units = models.ManyToManyField(ReportingUnit, blank=True, related_name="cooperating_tasks",
                                               verbose_name="cơ quan phối hợp")
    priority = models.CharField("mức ưu tiên", max_length=10, choices=Priority, default=Priority.NORMAL)
    assigned_on = models.DateField("ngày giao", null=True, blank=True,
                                   help_text="Để trống: ngày của văn bản giao. Thống kê đến một ngày chỉ tính "
                                             "các nhiệm vụ đã giao đến ngày đó.")
    cancelled_on = models.DateField("dừng thực hiện từ ngày", null=True, blank=True)
    cancel_reason = models.TextField("lý do dừng", blank=True)
    note = models.TextField("kết quả / ghi chú", blank=True)
    revision = models.PositiveIntegerField("lần sửa", default=1)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="người tạo")
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="người cập nhật")

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["document_id", "id"]

    def __str__(self):
        title = " ".join(self.title.split())
        return title if len(title) <= 90 else title[:89].rstrip() + "…"

    def save(self, *args, **kwargs):
        if self.assigned_on is None and self.document_id and self.document.issued_on:
            self.assigned_on = self.document.issued_on
        super().save(*args, **kwargs)

    # --- computed state (works on prefetched results) -------------------------------------

    def live_results(self):
        return [r for r in self.results.all() if r.status != ResultStatus.CANCELLED]

    @property
    def deadline(self) -> date | None:
        """The latest deadline of its live results; None when none of them has a date."""
        dates = [r.deadline_date for r in self.live_results() if r.deadline_date]
        return max(dates) if dates else None

    @property
    def deadline_text(self) -> str:
        results = self.live_results()
        dated = [r for r in results if r.deadline_date]
        if dated:
            return max(dated, key=lambda r: r.deadline_date).deadline_text
        return results[0].deadline_text if results else ""

    def state_on(self, day: date) -> State:
        if self.cancelled_on and self.cancelled_on <= day:
            return State(TaskStatus.CANCELLED, self.deadline, None)
        results = self.live_results()
        if not results:
            return State(TaskStatus.CANCELLED, None, None)
        deadline = self.deadline
        states = [r.state_on(day) for r in results]
        if all(s.is_done for s in states):
            done_on = max(s.done_on for s in states)
            late = deadline is not None and done_on > deadline
            return State(TaskStatus.DONE_LATE if late else TaskStatus.DONE_ON_TIME, deadline, done_on)
        if deadline is not None and deadline < day:
            return State(TaskStatus.OVERDUE, deadline, None)
        started = any(s.status != TaskStatus.NOT_STARTED for s in states) or any(
            timezone.localtime(n.at).date() <= day for n in self.notes.all())
        return State(TaskStatus.IN_PROGRESS if started else TaskStatus.NOT_STARTED, deadline, None)

    def overdue_results(self, day: date):
        """Live results past their own deadline and not done: an intermediate result can be late
        while the task's own (latest) deadline is still ahead."""
        if self.cancelled_on and self.cancelled_on <= day:
            return []
        return [r for r in self.live_results() if r.state_on(day).status == TaskStatus.OVERDUE]

    def next_deadline(self, day: date) -> date | None:
        """The earliest deadline of a result still open on `day` (for "sắp đến hạn")."""
        dates = [r.deadline_date for r in self.live_results()
                 if r.deadline_date and not r.state_on(day).is_done]
        return min(dates) if dates else None


class RequiredResult(models.Model):
    """Kết quả yêu cầu (sản phẩm) of a task, with its deadline as written and as a date.

    `deadline_text` keeps the words of the document ("Quý II/2024", "Trước ngày 15/4", "Khi
    Luật Dữ liệu có hiệu lực"); `deadline_date` is the day it means (the end of a period, the
    named day, or the event's day when known) and is what the statistics use; a result without
    it (an event of unknown date, ongoing work) is never counted as due.
    """

    task = models.ForeignKey(Task, models.CASCADE, related_name="results", verbose_name="nhiệm vụ")
    position = models.PositiveSmallIntegerField("thứ tự", default=1)
    description = models.TextField("kết quả yêu cầu", blank=True)
    deadline_text = models.CharField("thời gian hoàn thành (như văn bản ghi)", max_length=200)
    deadline_kind = models.CharField("loại thời hạn", max_length=10, choices=DeadlineKind, default=DeadlineKind.DATE)
    deadline_date = models.DateField("hạn (ngày)", null=True, blank=True)
    status = models.CharField("tình trạng", max_length=12, choices=ResultStatus, default=ResultStatus.NOT_STARTED)
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    evidence = models.TextField("kết quả, minh chứng", blank=True,
                                help_text="Văn bản, sản phẩm chứng minh kết quả (số, ngày văn bản...).")
    evidence_link = models.URLField("đường dẫn minh chứng", max_length=500, blank=True)

    class Meta:
        verbose_name = "kết quả yêu cầu"
        verbose_name_plural = "kết quả yêu cầu"
        ordering = ["task_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ResultStatus.DONE, done_on__isnull=False) | (
                    ~Q(status=ResultStatus.DONE) & Q(done_on__isnull=True)),
                name="result_done_has_date",
                violation_error_message="Kết quả đã hoàn thành phải có ngày hoàn thành (và chỉ khi đó).",
            ),
        ]

    def __str__(self):
        return self.description or str(self.task)

    @property
    def label(self):
        """What to show: the description, or the task's title when the document gave none."""
        return self.description or self.task.title

    def state_on(self, day: date) -> State:
        deadline = self.deadline_date
        if self.status == ResultStatus.CANCELLED:
            return State(TaskStatus.CANCELLED, deadline, None)
        if self.status == ResultStatus.DONE and self.done_on <= day:
            late = deadline is not None and self.done_on > deadline
            return State(TaskStatus.DONE_LATE if late else TaskStatus.DONE_ON_TIME, deadline, self.done_on)
        if deadline is not None and deadline < day:
            return State(TaskStatus.OVERDUE, deadline, None)
        started = self.status in (ResultStatus.IN_PROGRESS, ResultStatus.DONE)
        return State(TaskStatus.IN_PROGRESS if started else TaskStatus.NOT_STARTED, deadline, None)


class ProgressNote(AppendOnlyModel):
    """Ghi nhận tiến độ: what was done, with the evidence (a document, a link). Kept like the history."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="notes", verbose_name="nhiệm vụ")
    result = models.ForeignKey(RequiredResult, models.PROTECT, null=True, blank=True, related_name="notes",
                               verbose_name="kết quả")
    text = models.TextField("nội dung")
    document = models.CharField("văn bản, tệp minh chứng", max_length=300, blank=True)
    link = models.URLField("đường dẫn", max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                           verbose_name="người ghi")
    at = models.DateTimeField("lúc", auto_now_add=True)

    trail_name = "Ghi nhận tiến độ"

    class Meta:
        verbose_name = "ghi nhận tiến độ"
        verbose_name_plural = "ghi nhận tiến độ"
        ordering = ["-at", "-id"]

    def __str__(self):
        return self.text[:80]


class TaskChange(AppendOnlyModel):
    """Append-only history of a task: who changed what, when, from what to what.

    The task is protected: a task with history is cancelled, never deleted.
    """

    task = models.ForeignKey(Task, models.PROTECT, related_name="changes", verbose_name="nhiệm vụ")
    result = models.ForeignKey(RequiredResult, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="kết quả")
    field = models.CharField("nội dung thay đổi", max_length=80)
    old = models.TextField("giá trị cũ", blank=True)
    new = models.TextField("giá trị mới", blank=True)
    revision = models.PositiveIntegerField("lần sửa của nhiệm vụ")
    source = models.CharField("nguồn", max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="người thực hiện")
    at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)

    trail_name = "Lịch sử nhiệm vụ"

    class Meta:
        verbose_name = "lịch sử nhiệm vụ"
        verbose_name_plural = "lịch sử nhiệm vụ"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.field}: {self.old} → {self.new}"


class TaskReminder(models.Model):
    """A reminder e-mail about one result at one stage (before the deadline, overdue), sent once."""

    class Stage(models.TextChoices):
        BEFORE = "before", "Sắp đến hạn"
        OVERDUE = "overdue", "Quá hạn"

    result = models.ForeignKey(RequiredResult, models.CASCADE, related_name="reminders", verbose_name="kết quả")
    stage = models.CharField("giai đoạn", max_length=10, choices=Stage)
    sent_at = models.DateTimeField("gửi lúc", auto_now_add=True)
    recipients = models.TextField("người nhận", blank=True)

    class Meta:
        verbose_name = "thư nhắc nhiệm vụ"
        verbose_name_plural = "thư nhắc nhiệm vụ"
        constraints = [models.UniqueConstraint(fields=["result", "stage"], name="uniq_task_reminder")]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.result}"
