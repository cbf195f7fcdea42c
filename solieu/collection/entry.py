"""Entering figures into a submission: the one path shared by the web grid, Excel and the API.

It checks scope and locks, parses Vietnamese number input, validates the cell, and writes
through values.save_value (audit, conflict detection). Nothing is stored when a check fails.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from solieu.accounts import access
from solieu.catalog.models import CatalogStamp, DisaggregationOption, Form, Period
from solieu.vi import NumberParseError, format_number, parse_number

from . import validation
from .models import Channel, DataValue, Submission, SubmissionStatus, ValidationRule, ValueStatus
from .values import ConflictError, Key, delete_value, save_value

TOTAL = DisaggregationOption.TOTAL_CODE


class EntryError(Exception):
    """A refusal with a precise Vietnamese message; nothing was stored."""

    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class CellResult:
    value: Decimal | None
    revision: int
    changed: bool
    issues: list = field(default_factory=list)
    # The stored value and the cell's reference values ({"previous": {ref: value}, "last_year":
    # ...}) when the save already read them; None when a caller must ask cell_values.
    data_value: DataValue | None = None
    references: dict | None = None


@dataclass(frozen=True)
class FormSpec:
    """A form as validation sees it, with the model objects needed to store values.

    Shared by the threads of a process (form_spec caches it): read it, never change it or
    the model objects in it. Containers are read-only to make that hard to get wrong.
    """

    form: Form
    rows: tuple           # validation.RowSpec, in form order
    rules: tuple          # validation.Rule
    form_rows: Mapping    # row code -> FormRow
    options: Mapping      # (row code, option code) -> DisaggregationOption
    layout: tuple = ()    # every FormRow in form order, headings included (the grid)
    deadlines: tuple = ()  # the form's FormDeadline rules

    def cells(self):
        for row in self.rows:
            yield validation.CellRef(row.code, TOTAL)
            for option in row.options:
                yield validation.CellRef(row.code, option)


# form pk -> ((form version, catalog token), FormSpec). One entry a form: a changed catalog
# replaces it. Plain dict operations are atomic, so the threads of a gthread worker share it
# without a lock; two of them missing at once both build, and either result is right.
_specs = {}


def form_spec(form: Form, *, stamp=None) -> FormSpec:
    """The form's specification, built once per process and catalog state.

    Rebuilding it took 4 to 5 queries per cell save, a third of the save's queries during
    the deadline rush. The cache is keyed by the catalog's token (CatalogStamp, renewed by a
    database trigger on any change to forms, rows, indicators, disaggregations, deadlines
    or rules), so a change made by any process is seen by the next request of every other.
    `stamp`: the token when the caller read it in one of its own queries; else one query
    reads it. The token is read before the catalog, so that a spec built during a change is
    filed under the older token and rebuilt at the next request.
    """
    token = CatalogStamp.current() if stamp is None else stamp
    key = (form.version, token)
    hit = _specs.get(form.pk)
    if hit is not None and hit[0] == key and token is not None:
        spec = hit[1]
    else:
        spec = _build_spec(form)
        if token is not None and form.pk is not None:
            _specs[form.pk] = (key, spec)
    return spec if spec.form is form else replace(spec, form=form)


def _build_spec(form: Form) -> FormSpec:
    total = DisaggregationOption.total()
    rows, form_rows, options, layout = [], {}, {}, []
    for fr in (form.rows.select_related("indicator", "parent", "disaggregation")
               .prefetch_related("disaggregation__options").order_by("sort_order", "id")):
        layout.append(fr)
        if fr.indicator_id is None:
            continue
        ind = fr.indicator
        opts = list(fr.disaggregation.options.all()) if fr.disaggregation_id else []
        form_rows[fr.code] = fr
        options[(fr.code, TOTAL)] = total
        for o in opts:
            options[(fr.code, o.code)] = o
        rows.append(validation.RowSpec(
            code=fr.code, label=fr.title, value_type=ind.value_type,
            # Input may be more precise than the display, up to what the database keeps.
            decimals=0 if ind.value_type in ("integer", "rank") else 6,
            required=fr.required, min_value=ind.min_value, max_value=ind.max_value,
            options=tuple(o.code for o in opts), parent=fr.parent.code if fr.parent_id else None,
            is_total=fr.is_total, change_warning_pct=ind.change_warning_pct,
        ))
    rules = [
        validation.Rule(code=r.code, left=r.left, operator=r.operator, right=r.right, missing=r.missing,
                        level=r.level, message=r.message)
        for r in ValidationRule.objects.filter(form=form)
    ]
    return FormSpec(form, tuple(rows), tuple(rules), MappingProxyType(form_rows), MappingProxyType(options),
                    tuple(layout), tuple(form.deadlines.all()))


def attach_deadlines(form: Form, spec: FormSpec) -> Form:
    """Let `form.deadline_for` answer from the specification's deadlines instead of a query.

    The grid asks a submission's deadline five times (lock, lateness, estimate or official);
    each asked the database. This is what prefetch_related("deadlines") leaves on the form,
    built from the cached rules; a form that already has them keeps its own.
    """
    cache = form.__dict__.setdefault("_prefetched_objects_cache", {})
    if "deadlines" not in cache:
        rules = form.deadlines.all()  # not evaluated: filled below as a prefetch would
        rules._result_cache, rules._prefetch_done = list(spec.deadlines), True
        cache["deadlines"] = rules
    return form


def submission_for(form, unit, period, *, adhoc_request=None) -> Submission:
    submission, _ = Submission.objects.get_or_create(
        form=form, unit=unit, period=period,
        defaults={"form_version": form.version, "adhoc_request": adhoc_request},
    )
    return submission


def is_period_locked(submission, today=None):
    """The period locks `expiry_days` after the deadline unless the approver reopened it."""
    today = today or timezone.localdate()
    if submission.reopened_until and today <= submission.reopened_until:
        return False
    return today > submission.deadline() + timedelta(days=submission.form.expiry_days)


def ensure_editable(user, submission, *, today=None):
    if not access.can_enter(user, submission.unit):
        raise EntryError(f"Bạn không có quyền nhập số liệu cho {submission.unit}.", "forbidden")
    ensure_unlocked(submission, today=today)


def ensure_unlocked(submission, *, today=None):
    """Approved, sent-and-waiting, and expired periods take no changes."""
    if submission.status == SubmissionStatus.APPROVED:
        raise EntryError("Báo cáo đã được phê duyệt nên đã khóa; đề nghị người phê duyệt mở lại nếu cần sửa.",
                         "locked")
    if submission.status == SubmissionStatus.SUBMITTED:
        raise EntryError("Báo cáo đã gửi, đang chờ phê duyệt; chỉ sửa được khi bị trả lại.", "locked")
    if is_period_locked(submission, today):
        raise EntryError(
            f"Kỳ báo cáo {submission.period.label} đã khóa (quá hạn {submission.form.expiry_days} ngày); "
            "đề nghị người phê duyệt mở lại.", "locked")


MAX_INTEGER_DIGITS = 18  # DecimalField(24, 6)


def parse_cell(raw) -> Decimal | None:
    """A cell's input as a Decimal that fits the database, or None for an empty cell."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
        value = Decimal(raw)
        if not value.is_finite():
            raise EntryError(f'"{raw}" không phải là một số.', "parse")
    else:
        try:
            value = parse_number(str(raw))
        except NumberParseError as exc:
            raise EntryError(exc.message, "parse") from exc
    if value == 0:
        value = abs(value)  # no negative zero
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        raise EntryError(f"Giá trị {format_number(value)} vượt quá giới hạn lưu trữ "
                         f"(tối đa {MAX_INTEGER_DIGITS} chữ số ở phần nguyên).", "range")
    return value


def cell_key(spec: FormSpec, submission, row_code, option_code=TOTAL):
    fr = spec.form_rows.get(row_code)
    option = spec.options.get((row_code, option_code))
    if fr is None or option is None:
        raise EntryError(f'Biểu {spec.form.code} không có ô "{row_code}"'
                         f'{"" if option_code == TOTAL else " / " + option_code}.', "unknown_cell")
    return Key(fr.indicator, option, submission.unit, submission.period)


def save_cell(user, submission, row_code, option_code, raw, *, spec=None, expected_revision=None,
              status=None, comment=None, channel=Channel.WEB, source="", check_access=True) -> CellResult:
    """Store one cell; an empty input deletes the value. Raises EntryError or ConflictError."""
    spec = spec or form_spec(submission.form)
    if check_access:
        ensure_editable(user, submission)
    key = cell_key(spec, submission, row_code, option_code)
    value = parse_cell(raw)
    row = next(r for r in spec.rows if r.code == row_code)
    if value is not None:
        errors = [i for i in validation.check_cell(row, value, option_code) if i.level == "error"]
        if errors:
            raise EntryError(errors[0].message, errors[0].code)
    if value is None:
        with transaction.atomic():
            current = DataValue.objects.current().filter(
                indicator=key.indicator, option=key.option, unit=key.unit, period=key.period).first()
            if current is None:
                return CellResult(None, 0, False)
            if expected_revision is not None and expected_revision != current.revision:
                raise ConflictError(current)
            delete_value(current, user=user, channel=channel, note="Xóa ô số liệu")
            return CellResult(None, current.revision, True)
    if status is None:  # an edit keeps the value's status (an estimate stays an estimate)
        status = DataValue.objects.current().filter(
            indicator=key.indicator, option=key.option, unit=key.unit, period=key.period,
        ).values_list("status", flat=True).first() or ValueStatus.OFFICIAL
    # Not inside an atomic block of our own: a refused write must leave its CONFLICT entry
    # in the audit trail (save_value commits it before raising).
    dv, changed = save_value(
        key, value, user=user, channel=channel, status=status, comment=comment,
        expected_revision=expected_revision, form=submission.form, source=source, submission=submission,
    )
    issues, references = _warnings_and_references(spec, submission, row, option_code, dv.value)
    return CellResult(dv.value, dv.revision, changed, issues, data_value=dv, references=references)


def current_values(submission, spec=None) -> dict:
    """CellRef -> DataValue for the submission's cells."""
    spec = spec or form_spec(submission.form)
    return _values_for(spec, submission.unit, submission.period)


def _values_for(spec, unit, period):
    by_key = {(fr.indicator_id, o.id): (code, o.code) for (code, oc), o in spec.options.items()
              for fr in [spec.form_rows[code]]}
    result = {}
    qs = DataValue.objects.current().filter(
        unit=unit, period=period, indicator_id__in={fr.indicator_id for fr in spec.form_rows.values()})
    for dv in qs:
        ref = by_key.get((dv.indicator_id, dv.option_id))
        if ref:
            result[validation.CellRef(*ref)] = dv
    return result


def reference_values(submission, spec=None):
    """Values of the previous period and of the same period last year, shown beside each cell."""
    spec = spec or form_spec(submission.form)
    pid = submission.pid
    result = {}
    for name, other in (("previous", pid.previous()), ("last_year", pid.same_period_last_year())):
        period = Period.objects.filter(code=other.code).first()
        values = _values_for(spec, submission.unit, period) if period else {}
        result[name] = {ref: dv.value for ref, dv in values.items()}
    return result


def cell_values(submission, spec, ref):
    """One cell's current DataValue and its reference values, in one query.

    Answering a cell save needs only that cell; current_values and reference_values read
    the whole form in five queries, which is most of the cost of a save under load.
    Returns (DataValue or None, {"previous": {ref: value}, "last_year": {ref: value}}).
    """
    fr, option = spec.form_rows[ref.row], spec.options[(ref.row, ref.option)]
    pid = submission.pid
    names = {}
    for name, other in (("previous", pid.previous()), ("last_year", pid.same_period_last_year())):
        names.setdefault(other.code, []).append(name)
    found, current = {}, None
    qs = (DataValue.objects.current().filter(indicator_id=fr.indicator_id, option=option, unit=submission.unit)
          .filter(Q(period_id=submission.period_id) | Q(period__code__in=list(names)))
          .select_related("period"))
    for dv in qs:
        if dv.period_id == submission.period_id:
            current = dv
        for name in names.get(dv.period.code, ()):
            found[name] = dv.value
    return current, {name: ({ref: found[name]} if name in found else {}) for name in ("previous", "last_year")}


def _history_rows(submission, spec, ref, limit):
    fr = spec.form_rows[ref.row]
    option = spec.options[(ref.row, ref.option)]
    return list(DataValue.objects.current()
                .filter(indicator=fr.indicator, option=option, unit=submission.unit,
                        period__type=submission.period.type, period__end_date__lt=submission.period.start_date)
                .order_by("-period__end_date").values_list("value", "period__code", "period__end_date")[:limit])


HISTORY_LIMIT = 24


def histories(submission, spec, refs, limit=HISTORY_LIMIT):
    """The unit's own earlier values of each cell, oldest first, for outlier checks: one query
    for the form instead of one per cell."""
    keys = {}
    for ref in refs:
        keys.setdefault((spec.form_rows[ref.row].indicator_id, spec.options[(ref.row, ref.option)].id), []).append(ref)
    if not keys:
        return {}
    qs = (DataValue.objects.current()
          .filter(unit=submission.unit, indicator_id__in={i for i, _o in keys},
                  period__type=submission.period.type, period__end_date__lt=submission.period.start_date)
          .order_by("-period__end_date").values_list("indicator_id", "option_id", "value"))
    newest_first = {}
    for indicator_id, option_id, value in qs:
        past = newest_first.setdefault((indicator_id, option_id), [])
        if len(past) < limit:
            past.append(value)
    return {ref: list(reversed(newest_first.get(key, []))) for key, cell_refs in keys.items() for ref in cell_refs}


def _from_history(rows, other, submission):
    """(True, value or None) when the history rows must contain period `other` (same type,
    earlier, not older than the oldest row read), else (False, None)."""
    covered = other.end_date < submission.period.start_date and (
        len(rows) < HISTORY_LIMIT or other.end_date > rows[-1][2])
    if not covered:
        return False, None
    return True, next((v for v, code, _end in rows if code == other.code), None)


def _warnings_and_references(spec, submission, row, option_code, value):
    """History warnings of one saved cell, and its reference values when the same rows hold them.

    Last year's value and the previous period's are taken from the history rows when they
    must contain them: one query instead of three (cell_warnings, then cell_values). The
    references are None when the rows cannot tell (then the caller asks cell_values).
    """
    ref = validation.CellRef(row.code, option_code)
    rows = _history_rows(submission, spec, ref, HISTORY_LIMIT)
    pid = submission.pid
    has_last, last_year = _from_history(rows, pid.same_period_last_year(), submission)
    has_previous, previous = _from_history(rows, pid.previous(), submission)
    if not has_last:
        fr, option = spec.form_rows[ref.row], spec.options[(ref.row, ref.option)]
        last_year = (DataValue.objects.current()
                     .filter(indicator=fr.indicator, option=option, unit=submission.unit,
                             period__code=pid.same_period_last_year().code)
                     .values_list("value", flat=True).first())
    issues = validation.check_history(row, ref, value, [v for v, _c, _e in reversed(rows)], last_year)
    references = None
    if has_previous:
        references = {name: ({ref: v} if v is not None else {})
                      for name, v in (("previous", previous), ("last_year", last_year))}
    return issues, references


def cell_warnings(spec, submission, row, option_code, value):
    """History warnings of one saved cell.

    Last year's value is taken from the history rows when they must contain it (same period
    type, earlier, and not older than the oldest row read): one query instead of two.
    """
    return _warnings_and_references(spec, submission, row, option_code, value)[0]


def grid_values(submission, spec):
    """What the grid shows and checks, in two queries instead of six: (current_values,
    reference_values, histories of every cell)."""
    values = current_values(submission, spec)
    pid, period = submission.pid, submission.period
    names = {}
    for name, other in (("previous", pid.previous()), ("last_year", pid.same_period_last_year())):
        names.setdefault(other.code, []).append(name)
    by_key = {(fr.indicator_id, o.id): (code, o.code) for (code, oc), o in spec.options.items()
              for fr in [spec.form_rows[code]]}
    cells = {}
    for ref in spec.cells():
        cells.setdefault((spec.form_rows[ref.row].indicator_id, spec.options[(ref.row, ref.option)].id), []).append(ref)
    refs = {"previous": {}, "last_year": {}}
    newest_first = {}
    earlier = Q(period__type=period.type, period__end_date__lt=period.start_date)
    qs = (DataValue.objects.current()
          .filter(Q(period__code__in=list(names)) | earlier, unit=submission.unit,
                  indicator_id__in={fr.indicator_id for fr in spec.form_rows.values()})
          .order_by("-period__end_date")
          .values_list("indicator_id", "option_id", "value", "period__code", "period__type", "period__end_date"))
    for indicator_id, option_id, value, code, ptype, end in qs:
        key = (indicator_id, option_id)
        ref = by_key.get(key)
        if ref:
            for name in names.get(code, ()):
                refs[name][validation.CellRef(*ref)] = value
        if key in cells and ptype == period.type and end < period.start_date:
            past = newest_first.setdefault(key, [])
            if len(past) < HISTORY_LIMIT:
                past.append(value)
    past = {ref: list(reversed(newest_first.get(key, []))) for key, cell_refs in cells.items() for ref in cell_refs}
    return values, refs, past


def validate_submission(submission, spec=None, *, values=None, refs=None, past=None):
    """All issues of the submission: form rules and totals, then history warnings per cell.

    `values` (current_values), `refs` (reference_values) and `past` (histories) may be passed
    by a caller that needs them too, such as the grid page (grid_values), so that they are
    read once.
    """
    spec = spec or form_spec(submission.form)
    values = current_values(submission, spec) if values is None else values
    plain = {ref: dv.value for ref, dv in values.items()}
    issues = list(validation.check_form(spec.rows, plain, spec.rules))
    for issue in issues:  # a rule's warning is explained by a comment on any of its cells
        issue.commented = any(ref in values and values[ref].comment.strip() for ref in issue.cells)
    rows = {r.code: r for r in spec.rows}
    refs = (reference_values(submission, spec) if refs is None else refs)["last_year"]
    past = histories(submission, spec, values) if past is None else past
    for ref, dv in values.items():
        for issue in validation.check_history(rows[ref.row], ref, dv.value, past.get(ref, []), refs.get(ref)):
            issue.commented = bool(dv.comment.strip())
            issues.append(issue)
    return issues


def describe(value):
    return "" if value is None else format_number(value)
