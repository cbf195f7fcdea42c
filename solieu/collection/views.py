"""Pages of data entry: my work, the entry grid and its cells, the workflow buttons,
completeness and ad-hoc requests.

Every view is scoped through solieu.accounts.access. A unit, submission or request outside
the user's scope answers 404, so that its existence is not even confirmed; an action the
user's role does not allow on something they may see answers 403.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from solieu.accounts import access
from solieu.analytics import completeness as comp
from solieu.catalog.models import CatalogStamp, Form, FormAssignment, Period, ReportingUnit
from solieu.catalog.periods import PeriodError, PeriodId, PeriodType, periods_between
from solieu.vi import format_date, format_number

from . import adhoc, entry, signals, validation, workflow
from .models import AdHocRequest, DataValue, Submission, SubmissionEvent, SubmissionStatus, ValueStatus
from .values import ConflictError

TOTAL = entry.TOTAL

# ---------------------------------------------------------------------------
# Looking things up within the user's scope
# ---------------------------------------------------------------------------


def _form_or_404(code):
    """The form version in use: the newest active one, else the newest (old submissions)."""
    form = (Form.objects.filter(code=code, active=True).order_by("-version").first()
            or Form.objects.filter(code=code).order_by("-version").first())
    if form is None:
        raise Http404("Không có biểu mẫu này.")
    return form


def _readable_unit_or_404(user, code):
    unit = ReportingUnit.objects.filter(code=code).first()
    if unit is None or not access.can_read_unit(user, unit):
        raise Http404("Không có đơn vị này trong phạm vi của bạn.")
    return unit


def _current_pid(ptype, day):
    """The period of `ptype` containing `day`; nine-month periods stop at September."""
    try:
        return PeriodId.containing(ptype, day)
    except PeriodError:
        return PeriodId.nine_months(day.year)


@dataclass
class Target:
    """What an entry URL points at; `submission` is unsaved until someone writes to it.

    `stamp`: the catalog's token read with the submission (entry.form_spec), None if not read.
    """

    form: Form
    unit: ReportingUnit
    period: Period
    submission: Submission
    exists: bool
    stamp: str | None = None

    def spec(self):
        """The form's specification, its deadlines put on the form (no query for each deadline)."""
        spec = entry.form_spec(self.form, stamp=self.stamp)
        entry.attach_deadlines(self.form, spec)
        return spec


def _target(user, form_code, unit_code, period_code) -> Target:
    """Resolve an entry URL, or 404.

    A period is acceptable when a submission already exists (ad-hoc ranges included) or when
    it is a period of the form's type for which the unit is assigned the form, no later than
    the next one: nobody reports for 2030 by mistyping a URL. Opening a grid creates no
    submission, so a look does not show up as "Đang nhập" in completeness.

    An existing submission is found first, with its form, unit, period and the catalog's
    token in one query (every cell save comes here); the answers are those of the
    step-by-step path below, which the other cases take.
    """
    found = _existing_target(user, form_code, unit_code, period_code)
    if found is not None:
        return found
    unit = _readable_unit_or_404(user, unit_code)
    form = _form_or_404(form_code)
    try:
        pid = PeriodId.parse(period_code)
    except PeriodError:
        raise Http404("Mã kỳ báo cáo không hợp lệ.") from None
    period = Period.objects.filter(code=pid.code).first()
    submission = None
    if period is not None:
        submission = (Submission.objects.filter(form__code=form.code, unit=unit, period=period)
                      .select_related("form", "unit", "period", "adhoc_request", "submitted_by", "decided_by")
                      .first())
    if submission is not None:
        return Target(submission.form, unit, period, submission, True)
    if pid.type.value != form.period_type:
        raise Http404("Kỳ báo cáo không đúng loại kỳ của biểu.")
    assignment = FormAssignment.objects.filter(form=form, unit=unit).first()
    if assignment is None or not assignment.is_valid_on(pid.end_date) or not unit.is_valid_on(pid.end_date):
        raise Http404("Đơn vị không phải báo cáo biểu này cho kỳ này.")
    if pid.start_date > _current_pid(pid.type, timezone.localdate()).next().start_date:
        raise Http404("Chưa đến kỳ báo cáo này.")
    period = Period.objects.for_id(pid)
    return Target(form, unit, period, Submission(form=form, unit=unit, period=period, form_version=form.version),
                  False)


def _existing_target(user, form_code, unit_code, period_code):
    try:
        code = PeriodId.parse(period_code).code
    except PeriodError:
        return None
    submission = (Submission.objects.filter(form__code=form_code, unit__code=unit_code, period__code=code)
                  .select_related("form", "unit", "period", "adhoc_request", "submitted_by", "decided_by")
                  .annotate(catalog_stamp=Subquery(
                      CatalogStamp.objects.filter(pk=CatalogStamp.ID).values("token")[:1]))
                  .first())
    if submission is None:
        return None
    if not access.can_read_unit(user, submission.unit):
        raise Http404("Không có đơn vị này trong phạm vi của bạn.")
    return Target(submission.form, submission.unit, submission.period, submission, True, submission.catalog_stamp)


def _entry_url(form_code, unit_code, period_code):
    return reverse("collection:entry", args=[form_code, unit_code, period_code])


def _page(request, template, context, status=200):
    """Render a full page; the sub-navigation offers ad-hoc requests to the ministry only."""
    context["show_adhoc"] = access.reads_everything(request.user)
    return render(request, template, context, status=status)


def _who(user):
    return (user.get_full_name() or user.get_username()) if user else ""


# ---------------------------------------------------------------------------
# Công việc của tôi
# ---------------------------------------------------------------------------

WORK_LABELS = {
    "missing": "Chưa nhập", "draft": "Đang nhập", "submitted": "Đã gửi", "returned": "Bị trả lại",
    "approved": "Đã phê duyệt", "overdue": "Quá hạn",
}


def work_status(submission, deadline, on_time_days, today):
    """A reporter's view of where a report stands: overdue matters more than "draft"."""
    if submission is not None and submission.status != SubmissionStatus.DRAFT:
        return submission.status
    if today > deadline + timedelta(days=on_time_days):
        return "overdue"
    has_values = getattr(submission, "has_values", None)
    if has_values is None and submission is not None:
        has_values = submission.values.filter(deleted_at__isnull=True).exists()
    return "draft" if has_values else "missing"


def _work_line(form, unit, pid, submission, today):
    deadline = submission.deadline() if submission else form.deadline_for(pid)
    status = work_status(submission, deadline, form.on_time_days, today)
    return {
        "form": form, "unit": unit, "period_label": pid.label_title(), "deadline": format_date(deadline),
        "status": status, "status_label": WORK_LABELS[status],
        "url": _entry_url(form.code, unit.code, pid.code),
    }


UPCOMING_DAYS = 31


@login_required
def my_work(request):
    """The reporter's to-do list, the approver's queue and what changed since the last visit.

    Reporters see the current and previous period of every form assigned to their units
    today (the previous one is often the one due), plus open ad-hoc requests. The next
    period is listed too when its deadline is less than a month away: periodic-regime
    forms are due before their period ends (December's monthly report on 15/12).
    """
    user, today = request.user, timezone.localdate()
    entry_units = ReportingUnit.objects.filter(pk__in=access.entry_unit_ids(user)).order_by("code")
    units = []
    # The deadline season's most visited page: one query per kind of thing, not per line.
    assignments = list(FormAssignment.objects.valid_on(today).filter(unit__in=entry_units, form__active=True)
                       .exclude(form__regime=Form.Regime.AD_HOC).select_related("form")
                       .prefetch_related("form__deadlines").order_by("form__code"))
    wanted = {}
    for a in assignments:
        current = _current_pid(a.form.period_type, today)
        pids = [current, current.previous()]
        if a.form.deadline_for(current.next()) <= today + timedelta(days=UPCOMING_DAYS):
            pids.insert(0, current.next())
        wanted[a.pk] = pids
    found = {}
    codes = {p.code for pids in wanted.values() for p in pids}
    if assignments:
        for sub in (Submission.objects.filter(unit__in=entry_units, form__in={a.form_id for a in assignments},
                                              period__code__in=codes)
                    .select_related("period")
                    .annotate(has_values=Exists(DataValue.objects.filter(submission=OuterRef("pk"),
                                                                         deleted_at__isnull=True)))):
            found[(sub.form_id, sub.unit_id, sub.period.code)] = sub
    for unit in entry_units:
        lines = []
        for a in (a for a in assignments if a.unit_id == unit.pk):
            for pid in wanted[a.pk]:
                submission = found.get((a.form_id, unit.pk, pid.code))
                if submission is not None:
                    submission.form = a.form
                lines.append(_work_line(a.form, unit, pid, submission, today))
        for submission in (Submission.objects.filter(unit=unit, adhoc_request__isnull=False)
                           .exclude(status=SubmissionStatus.APPROVED)
                           .select_related("form", "period", "adhoc_request").order_by("adhoc_request__deadline")):
            line = _work_line(submission.form, unit, submission.pid, submission, today)
            line["adhoc"] = submission.adhoc_request
            lines.append(line)
        units.append({"unit": unit, "lines": lines})

    approver_units, received = access.approver_unit_ids(user), access.received_form_ids(user)
    waiting = Submission.objects.filter(status=SubmissionStatus.SUBMITTED)
    if not access.is_admin(user):
        waiting = waiting.filter(Q(unit_id__in=approver_units) | Q(form_id__in=received))
    waiting = list(waiting.select_related("form", "unit", "period", "submitted_by").order_by("submitted_at"))
    for s in waiting:
        s.url = _entry_url(s.form.code, s.unit.code, s.period.code)
        s.late = s.is_late(today)

    previous = signals.previous_login(request)
    mine = access.entry_unit_ids(user) | approver_units
    events = (SubmissionEvent.objects
              .filter(Q(submission__unit_id__in=mine) | Q(submission__form_id__in=received))
              .exclude(user=user).select_related("submission__form", "submission__unit", "submission__period", "user"))
    events = list((events.filter(at__gt=previous) if previous else events)[:50])
    for e in events:
        s = e.submission
        e.url = _entry_url(s.form.code, s.unit.code, s.period.code)
        e.who = _who(e.user)
    return _page(request, "collection/work.html", {
        "units": units, "waiting": waiting, "is_approver": bool(approver_units) or access.is_admin(user),
        "events": events, "previous_login": previous, "today": today,
        "first_login": signals.SESSION_KEY in request.session and previous is None,
    })


# ---------------------------------------------------------------------------
# The entry grid
# ---------------------------------------------------------------------------


def _dom_id(row, option):
    return "o-" + re.sub(r"[^0-9A-Za-z]", "_", row) + "-" + re.sub(r"[^0-9A-Za-z]", "_", option)


@dataclass
class Cell:
    """One input of the grid as its template needs it."""

    id: str
    row: str
    option: str
    label: str
    url: str
    editable: bool
    value: str = ""
    revision: int = 0
    comment: str = ""
    status_label: str = ""
    previous: str = ""
    last_year: str = ""
    parent: str = ""
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    explained: list = field(default_factory=list)
    conflict: str = ""
    saved: bool = False


def default_value_status(submission):
    """Figures sent before the period ends are estimates ("ước đạt"); after, official."""
    return ValueStatus.ESTIMATE if submission.deadline() < submission.period.end_date else ValueStatus.OFFICIAL


def _cell_url(target):
    return reverse("collection:cell", args=[target.form.code, target.unit.code, target.period.code])


def _make_cell(target, spec, row_code, option_code, dv, refs, editable, issues=(), url=None):
    """`url`: the save URL when the caller computed it once for a whole grid."""
    fr = spec.form_rows[row_code]
    option = spec.options[(row_code, option_code)]
    ref = validation.CellRef(row_code, option_code)
    cell = Cell(
        id=_dom_id(row_code, option_code), row=row_code, option=option_code,
        label=f"Dòng {row_code} {fr.title}" + ("" if option_code == TOTAL else f", {option.name}"),
        url=url or _cell_url(target), editable=editable, parent=fr.parent.code if fr.parent_id else "",
        previous=entry.describe(refs["previous"].get(ref)), last_year=entry.describe(refs["last_year"].get(ref)),
    )
    if dv is not None:
        cell.value, cell.revision, cell.comment = format_number(dv.value), dv.revision, dv.comment
        if dv.status != ValueStatus.OFFICIAL:
            cell.status_label = dv.get_status_display()
    for issue in issues:
        if issue.level == "error":
            cell.errors.append(issue.message)
        elif getattr(issue, "commented", False) or (dv is not None and dv.comment.strip()):
            cell.explained.append(issue.message)
        else:
            cell.warnings.append(issue.message)
    return cell


def _grid(target, spec, editable, issues, values, refs):
    """Rows shaped like the paper form, each with its TOTAL cell and its option cells."""
    by_cell = {}
    for issue in issues:
        if issue.code != "required" and issue.cells:
            by_cell.setdefault(issue.cells[0], []).append(issue)
    parents = {fr.parent_id for fr in spec.form_rows.values() if fr.parent_id}
    specs = {r.code: r for r in spec.rows}
    url = _cell_url(target)
    rows = []
    for fr in spec.layout:
        if fr.is_heading:
            rows.append({"heading": True, "code": fr.code, "title": fr.title})
            continue
        rs = specs[fr.code]

        def cell(option_code):
            ref = validation.CellRef(fr.code, option_code)
            return _make_cell(target, spec, fr.code, option_code, values.get(ref), refs, editable,
                              by_cell.get(ref, ()), url=url)

        additive = rs.value_type in ("integer", "decimal")
        rows.append({
            "heading": False, "code": fr.code, "title": fr.title, "unit": fr.indicator.unit,
            "child": bool(fr.parent_id), "total": cell(TOTAL),
            "options": [(spec.options[(fr.code, o)].name, cell(o)) for o in rs.options],
            "sum_options": additive and bool(rs.options),
            "sum_children": additive and fr.is_total and fr.pk in parents,
        })
    return rows


def _grid_context(request, target, *, failure=None):
    user, submission = request.user, target.submission
    spec = target.spec()
    try:
        entry.ensure_editable(user, submission)
        editable, why = True, ""
    except entry.EntryError as exc:
        editable, why = False, exc.message
    values, refs, past = entry.grid_values(submission, spec)
    issues = entry.validate_submission(submission, spec, values=values, refs=refs, past=past)
    if failure is not None:
        listed = [{"message": i.message, "level": i.level,
                   "anchor": _dom_id(i.cells[0].row, i.cells[0].option) if i.cells else ""}
                  for i in failure.issues]
        failure = {"message": failure.message, "issues": listed}
    can_approve = access.can_approve(user, submission)
    status = submission.status
    locked = entry.is_period_locked(submission)
    default_status = default_value_status(submission)
    rows = _grid(target, spec, editable, issues, values, refs)
    return {
        "t": target, "form": target.form, "unit": target.unit, "period": target.period,
        "submission": submission, "status_label": submission.get_status_display(),
        "deadline": format_date(submission.deadline()), "late": submission.is_late(),
        "editable": editable, "why_readonly": why, "rows": rows,
        "has_options": any(row.get("options") for row in rows),
        "value_statuses": [(v, label, v == default_status) for v, label in ValueStatus.choices],
        "failure": failure,
        "can_submit": editable and access.can_enter(user, target.unit),
        "can_decide": can_approve and status == SubmissionStatus.SUBMITTED,
        "can_reopen": can_approve and (status in (SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED) or locked),
        "events": list(submission.events.select_related("user")) if target.exists else [],
        "submitted_by": _who(submission.submitted_by), "decided_by": _who(submission.decided_by),
        "can_see_completeness": _can_see_completeness(user, target.form),
        "urls": {name: reverse(f"collection:{name}", args=[target.form.code, target.unit.code, target.period.code])
                 for name in ("submit", "approve", "return", "reopen")},
    }


@login_required
def entry_grid(request, form_code, unit_code, period_code):
    """The form as on paper, one input per cell; read-only when it cannot be edited, saying why."""
    target = _target(request.user, form_code, unit_code, period_code)
    return _page(request, "collection/entry.html", _grid_context(request, target))


def _parse_revision(text):
    try:
        value = int(text)
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


@login_required
@require_POST
def save_cell(request, form_code, unit_code, period_code):
    """Store one cell and answer with the cell re-rendered (htmx swaps it in place).

    200: saved (with any warnings); 422: the input was refused, nothing stored; 409: someone
    else changed the figure since the page was loaded, nothing overwritten.
    """
    user = request.user
    target = _target(user, form_code, unit_code, period_code)
    if not access.can_enter(user, target.unit):
        raise PermissionDenied("Bạn không có quyền nhập số liệu cho đơn vị này.")
    post = request.POST
    row, option = post.get("row", ""), post.get("option") or TOTAL
    raw = post.get("value", "")
    spec = target.spec()
    if (row, option) not in spec.options:
        raise Http404("Biểu không có ô này.")
    submission = target.submission
    try:
        # Checked before the submission is created: a refused write leaves no trace in completeness.
        entry.ensure_editable(user, submission)
    except entry.EntryError as exc:
        return _cell_response(request, target, spec, row, option, raw=raw, error=exc.message, status=422)
    status = post.get("status")
    if status not in ValueStatus.values:
        status = default_value_status(submission)
    conflict = result = None
    try:
        # The submission is created with the first value: a refused input rolls it back, so
        # completeness does not count a unit as "Đang nhập" for a letter typed by mistake. A
        # conflict is caught inside, so that its audit entry is committed with the block.
        with transaction.atomic():
            if not target.exists:
                submission = entry.submission_for(target.form, target.unit, target.period)
            try:
                # A stored submission was checked just above, on this same object; one created
                # here (or found created by a colleague meanwhile) is checked inside.
                result = entry.save_cell(user, submission, row, option, raw, spec=spec,
                                         expected_revision=_parse_revision(post.get("revision")),
                                         status=status, comment=post.get("comment"),
                                         check_access=not target.exists)
            except ConflictError as exc:
                conflict = exc
    except entry.EntryError as exc:
        return _cell_response(request, target, spec, row, option, raw=raw, error=exc.message, status=422)
    target.submission, target.exists = submission, True
    if conflict is not None:
        note = f" Giá trị bạn vừa nhập ({raw.strip() or 'ô trống'}) chưa được lưu."
        return _cell_response(request, target, spec, row, option, conflict=str(conflict) + note, status=409)
    return _cell_response(request, target, spec, row, option, issues=result.issues, saved=True, result=result)


def _cell_response(request, target, spec, row, option, *, raw=None, error="", conflict="", issues=(), saved=False,
                   status=200, result=None):
    """The cell re-rendered; from what the save read when it read everything (result)."""
    if result is not None and result.references is not None:
        dv, refs = result.data_value, result.references
    else:
        dv, refs = entry.cell_values(target.submission, spec, validation.CellRef(row, option))
    cell = _make_cell(target, spec, row, option, dv, refs, True, issues)
    if error:
        cell.errors.append(error)
        cell.value = raw
    cell.conflict, cell.saved = conflict, saved
    return render(request, "collection/_cell.html", {"c": cell}, status=status)


# ---------------------------------------------------------------------------
# Workflow
# ---------------------------------------------------------------------------


def _workflow(request, form_code, unit_code, period_code, step, done, may_create=None, allowed=None):
    """Run one workflow step; on refusal show the grid again with the reasons.

    Only submitting (an empty report, refused with its reasons) and reopening a locked
    period the unit never started may create the submission; deciding needs one. `allowed`
    is checked first, so that someone without the right hears 403, not what else is wrong.
    """
    target = _target(request.user, form_code, unit_code, period_code)
    unsaved = target.submission  # the stored one when it exists
    if not target.exists and (may_create is None or not may_create(request.user, unsaved)):
        raise Http404("Báo cáo chưa được lập.")
    if allowed is not None and not allowed(request.user, unsaved):
        raise PermissionDenied(f"Bạn không có quyền phê duyệt báo cáo của {target.unit}.")
    try:
        with transaction.atomic():  # a refused step leaves no new submission behind
            if not target.exists:
                target.submission = entry.submission_for(target.form, target.unit, target.period)
            step(request.user, target.submission)
    except entry.EntryError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from exc
        error = exc if isinstance(exc, workflow.WorkflowError) else workflow.WorkflowError(exc.message)
        if target.exists:
            target.submission.refresh_from_db()
        else:
            target.submission = unsaved
        return _page(request, "collection/entry.html", _grid_context(request, target, failure=error), status=422)
    messages.success(request, done)
    return redirect(_entry_url(target.form.code, target.unit.code, target.period.code))


@login_required
@require_POST
def submit(request, form_code, unit_code, period_code):
    """Gửi báo cáo: errors block it, warnings need a comment on their cell."""
    return _workflow(request, form_code, unit_code, period_code, workflow.submit,
                     "Đã gửi báo cáo; người phê duyệt đã được thông báo.",
                     may_create=lambda user, s: access.can_enter(user, s.unit))


@login_required
@require_POST
def approve(request, form_code, unit_code, period_code):
    return _workflow(request, form_code, unit_code, period_code, workflow.approve, "Đã phê duyệt báo cáo.",
                     allowed=access.can_approve)


@login_required
@require_POST
def return_(request, form_code, unit_code, period_code):
    """Trả lại: the reason is mandatory and goes to the reporters by e-mail."""
    reason = request.POST.get("reason", "")
    return _workflow(request, form_code, unit_code, period_code,
                     lambda user, s: workflow.return_(user, s, reason), "Đã trả lại báo cáo để đơn vị sửa.",
                     allowed=access.can_approve)


@login_required
@require_POST
def reopen(request, form_code, unit_code, period_code):
    """Mở lại: an approved report, or a period locked after its expiry, for a few more days."""
    reason = request.POST.get("reason", "")
    return _workflow(request, form_code, unit_code, period_code,
                     lambda user, s: workflow.reopen(user, s, reason), "Đã mở lại báo cáo để đơn vị sửa.",
                     may_create=lambda user, s: access.can_approve(user, s) and entry.is_period_locked(s),
                     allowed=access.can_approve)


# ---------------------------------------------------------------------------
# Completeness
# ---------------------------------------------------------------------------

RATE_LABELS = [
    ("EXPECTED_REPORTS", "Số báo cáo phải gửi"),
    ("ACTUAL_REPORTS", "Số báo cáo đã gửi"),
    ("ACTUAL_REPORTS_ON_TIME", "Số báo cáo gửi đúng hạn"),
    ("REPORTING_RATE", "Tỷ lệ báo cáo (%)"),
    ("REPORTING_RATE_ON_TIME", "Tỷ lệ báo cáo đúng hạn (%)"),
]
MAX_PERIODS = 36


def _can_see_completeness(user, form):
    """The ministry's analysts, and the approvers of the receiving unit (or of its successor)."""
    return access.reads_everything(user) or access.receives(user, form)


def _period_range(form, tu, den, today):
    """The periods asked for (?tu=&den=), else the last six; with a Vietnamese error if refused."""
    ptype = PeriodType(form.period_type)
    last = _current_pid(ptype, today)
    first = last
    for _ in range(5):
        first = first.previous()
    error = ""
    if tu or den:
        try:
            a = PeriodId.parse(tu) if tu else first
            b = PeriodId.parse(den) if den else last
            if a.type is not ptype or b.type is not ptype:
                raise PeriodError(f"Biểu {form.code} báo cáo theo kỳ {form.get_period_type_display().lower()}; "
                                  "hãy chọn kỳ cùng loại.")
            pids = periods_between(ptype, a, b)
            if len(pids) > MAX_PERIODS:
                raise PeriodError(f"Chỉ xem được tối đa {MAX_PERIODS} kỳ một lần.")
            return pids, ""
        except PeriodError as exc:
            error = exc.message
    return periods_between(ptype, first, last), error


@login_required
def completeness(request, form_code):
    """Who reported what and when: units x periods, with the rates of each period.

    For the ministry's analysts and for the approvers of the unit receiving the form.
    """
    form = _form_or_404(form_code)
    if not _can_see_completeness(request.user, form):
        raise PermissionDenied("Chỉ chuyên viên tổng hợp và người phê duyệt của đơn vị nhận báo cáo được xem.")
    today = timezone.localdate()
    pids, error = _period_range(form, request.GET.get("tu", "").strip(), request.GET.get("den", "").strip(), today)
    matrix = comp.matrix(form, pids, today)
    rows = []
    for unit in sorted(matrix, key=lambda u: u.code):
        cells = []
        for pid in pids:
            c = matrix[unit].get(pid.code)
            if c is None:
                cells.append(None)
                continue
            cells.append({"status": c.status, "label": comp.CellStatus.LABELS[c.status], "on_time": c.on_time,
                          "url": _entry_url(form.code, unit.code, pid.code)})
        rows.append({"unit": unit, "cells": cells})
    rates = [comp.rates(form, pid, today) for pid in pids]
    measures = []
    for name, label in RATE_LABELS:
        shown = []
        for r in rates:
            v = r[name]
            shown.append("–" if v is None else (format_number(v, 1) if name.startswith("REPORTING_RATE")
                                                else format_number(v)))
        measures.append({"name": name, "label": label, "values": shown})
    return _page(request, "collection/completeness.html", {
        "form": form, "periods": [{"code": p.code, "label": p.label_title()} for p in pids], "rows": rows,
        "measures": measures, "error": error, "tu": pids[0].code, "den": pids[-1].code,
        "legend": [(s, comp.CellStatus.LABELS[s]) for s in ("missing", "draft", "submitted", "late", "returned",
                                                            "approved")],
    })


# ---------------------------------------------------------------------------
# Ad-hoc requests
# ---------------------------------------------------------------------------


def _is_leader(user):
    """Only a leader may take an ad-hoc request over the quota: an admin or a superuser."""
    return access.is_admin(user)


class AdHocForm(forms.Form):
    code = forms.CharField(label="Số hiệu", max_length=40)
    title = forms.CharField(label="Nội dung yêu cầu", max_length=300)
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}))
    form = forms.ModelChoiceField(label="Biểu mẫu", queryset=Form.objects.none())
    cutoff = forms.DateField(label="Ngày chốt số liệu (dd/mm/yyyy)")
    deadline = forms.DateField(label="Hạn gửi (dd/mm/yyyy)")
    units = forms.ModelMultipleChoiceField(label="Đơn vị được yêu cầu", queryset=ReportingUnit.objects.none(),
                                           widget=forms.SelectMultiple(attrs={"size": 12}))
    override_reason = forms.CharField(label="Lý do vượt hạn mức (lãnh đạo quyết định)", required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = Form.objects.filter(active=True).order_by("code", "-version")
        self.fields["units"].queryset = ReportingUnit.objects.current().order_by("kind", "code")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if AdHocRequest.objects.filter(code=code).exists():
            raise forms.ValidationError(f"Số hiệu {code} đã được dùng cho một yêu cầu khác.")
        return code

    def clean(self):
        data = super().clean()
        if data.get("cutoff") and data.get("deadline") and data["deadline"] <= data["cutoff"]:
            self.add_error("deadline", "Hạn gửi phải sau ngày chốt số liệu.")
        return data


@login_required
def adhoc_list(request):
    """The ministry's ad-hoc requests, with who asked, why, and any override of the quota.

    For the ministry's analysts and admins; a unit finds the requests addressed to it among
    its reports in "Công việc của tôi".
    """
    if not access.reads_everything(request.user):
        raise PermissionDenied("Chỉ chuyên viên tổng hợp của Bộ được xem danh sách yêu cầu báo cáo đột xuất.")
    requests = AdHocRequest.objects.select_related("form", "period", "created_by", "override_by")
    items = []
    for r in requests.prefetch_related("units"):
        units = list(r.units.all())
        items.append({"r": r, "deadline": format_date(r.deadline), "count": len(units),
                      "who": _who(r.created_by), "override_by": _who(r.override_by),
                      "links": [(u, _entry_url(r.form.code, u.code, r.period.code)) for u in units[:10]],
                      "more": max(0, len(units) - 10)})
    return _page(request, "collection/adhoc_list.html", {"items": items})


@login_required
def adhoc_new(request):
    """Issue a request, after seeing each target unit's quota; over it, only a leader may go on."""
    user = request.user
    if not access.reads_everything(user):
        raise PermissionDenied("Chỉ chuyên viên tổng hợp của Bộ được gửi yêu cầu báo cáo đột xuất.")
    leader = _is_leader(user)
    form = AdHocForm(request.POST or None)
    context = {"f": form, "leader": leader, "lines": None, "error": ""}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = adhoc.quota_check(data["units"], data["deadline"].year)
        context["lines"] = [{"unit": line.unit, "periodic": line.periodic, "adhoc": line.adhoc, "over": line.over,
                             "ratio": "–" if line.ratio_pct is None else format_number(line.ratio_pct, 1) + "%"}
                            for line in lines]
        context["over"] = any(line.over for line in lines)
        context["quota"] = format_number(adhoc.quota_pct())
        context["year"] = data["deadline"].year
        if "gui" in request.POST:
            override = data["override_reason"].strip() if leader else ""
            try:
                created, _ = adhoc.issue_request(
                    user=user, code=data["code"], title=data["title"], reason=data["reason"], form=data["form"],
                    cutoff=data["cutoff"], deadline=data["deadline"], units=data["units"],
                    override_reason=override, leader=user if override else None)
            except entry.EntryError as exc:
                context["error"] = exc.message
                return _page(request, "collection/adhoc_new.html", context, status=422)
            messages.success(request, f"Đã gửi yêu cầu báo cáo đột xuất {created.code} tới "
                                      f"{format_number(len(data['units']))} đơn vị.")
            return redirect("collection:adhoc-list")
    return _page(request, "collection/adhoc_new.html", context)
