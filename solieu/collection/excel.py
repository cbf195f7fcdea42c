"""Excel round-trip of forms: templates shaped like the paper form, and uploads read back.

Two kinds of workbook, both written with XlsxWriter and read with openpyxl:

* ``build_template``: one submission (form x unit x period). A sheet shaped like the paper
  form: title, unit, period and deadline; columns A mã dòng, B chỉ tiêu, C đơn vị tính, then
  "Tổng số" and one column per disaggregation option used by the form's rows, then the
  read-only reference columns "Kỳ trước" and "Cùng kỳ năm trước". Labels are locked (sheet
  protection without password), only value cells are unlocked, pre-filled with the current
  values, with number formats and data validation.
* ``build_form_template``: a whole form for many units in one long sheet (one line per unit
  and cell: Mã đơn vị, Tên đơn vị, Mã dòng, Chỉ tiêu, Phân tổ, Giá trị), for the receiving
  unit that collects spreadsheets from enterprises.

Parsing never depends on labels: a hidden column holds the row codes and a hidden row the
option codes (``submission``), or hidden columns hold the codes (``form``). A very hidden
sheet ``_solieu`` names the format, template version, form, form version, unit and period,
lists every cell with the stored value it held when the template was made (value id and
revision), and carries an HMAC-SHA256 signature (keyed by settings.SECRET_KEY) over all of
it and the hidden codes, so a file edited there, or a template of another form, unit or
period, is refused with a precise message.

A cell the user left as it was in the template changes nothing, even if the stored figure
moved on since: an old template never reverts a colleague's work. A cell the user changed
whose stored figure also moved on since is a conflict, refused with who changed it and when.

``read_submission_upload`` / ``read_form_upload`` store nothing: they return an ``Upload``
listing exactly the changed cells (old -> new), the blocking errors and the warnings of
``validation``. ``dump_upload`` signs the changes for the confirm step, and
``confirm_submission_upload`` / ``confirm_form_upload`` re-check everything against the
current figures (revisions, locks, validation) and store all changes in one transaction
through ``entry.save_cell`` with channel EXCEL, or nothing.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Context, Decimal

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from solieu.catalog.models import FormAssignment, ReportingUnit
from solieu.catalog.periods import PeriodError, PeriodId
from solieu.exports import xlsx_workbook
from solieu.vi import format_date, format_number, is_ambiguous

from . import entry, validation
from .entry import TOTAL, EntryError
from .models import Channel, Submission, SubmissionStatus
from .validation import CellRef
from .values import ConflictError

__all__ = [
    "ExcelError", "Change", "Upload", "MAX_BYTES", "XLSX_CONTENT_TYPE",
    "build_template", "build_form_template", "template_filename", "form_template_filename",
    "read_submission_upload", "read_form_upload", "dump_upload",
    "confirm_submission_upload", "confirm_form_upload", "max_bytes",
]

FORMAT_MARKER = "solieu-template"
TEMPLATE_VERSION = 1
META_SHEET = "_solieu"
KIND_SUBMISSION = "submission"
KIND_FORM = "form"
KIND_NAMES = {KIND_SUBMISSION: "mẫu của một báo cáo", KIND_FORM: "mẫu nhiều đơn vị"}
SIGNED_KEYS = ("format", "template_version", "kind", "form_code", "form_version", "unit_code", "period_code",
               "sheet", "code_row", "code_col")
SIGNATURE_SALT = "solieu.collection.excel.template"
UPLOAD_SALT = "solieu.collection.excel.upload"
UPLOAD_MAX_AGE = 2 * 3600  # seconds between preview and confirmation

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a 5 MB zip expanding beyond this is a zip bomb, not a form
MAX_ROWS = 50_000
MAX_COLUMNS = 500  # a template's value columns and its hidden code column
MAX_INTEGER_DIGITS = 18  # DataValue.value is DecimalField(24, 6)
EXCEL_DIGITS = Context(prec=15)  # Excel keeps 15 significant digits

# Sheet layout of the submission template (0-based rows for XlsxWriter).
CODE_ROW = 6
HEADER_ROW = 7
FIRST_ROW = 8
FIXED_COLUMNS = 3  # A mã dòng, B chỉ tiêu, C đơn vị tính
BASE_ROW = 20  # in _solieu, 0-based: one line per cell with the value it had when the template was made

# Columns of the long format, keyed by what the hidden code row says.
LONG_COLUMNS = (
    ("unit", "Mã đơn vị", 14),
    ("unit_name", "Tên đơn vị", 34),
    ("row", "Mã dòng", 8),
    ("label", "Chỉ tiêu", 50),
    ("option_name", "Phân tổ", 22),
    ("value", "Giá trị", 18),
    ("measure", "Đơn vị tính", 14),
    ("option", "Mã phân tổ", 12),
)
LONG_KEYS = tuple(key for key, _, _ in LONG_COLUMNS)
LONG_HIDDEN = {"option"}
LONG_SHEET = "Số liệu"


def max_bytes() -> int:
    return int(getattr(settings, "SOLIEU_EXCEL_MAX_BYTES", MAX_BYTES))


class ExcelError(EntryError):
    """The file was refused as a whole; ``message`` says why, in Vietnamese. Nothing stored."""

    def __init__(self, message, code="excel", messages=None):
        super().__init__(message, code)
        self.messages = list(messages or [message])


@dataclass
class Change:
    """One cell whose value in the file differs from the stored one."""

    unit_code: str
    ref: CellRef
    cell: str            # "D12": where the value is in the file
    row_label: str
    column_label: str
    old: Decimal | None
    old_revision: int    # 0 when the cell is empty in the database
    new: Decimal | None  # None: the cell was emptied, the value will be deleted
    old_status: str = ""

    @property
    def action(self):
        if self.old is None:
            return "create"
        return "delete" if self.new is None else "update"

    @property
    def action_label(self):
        return {"create": "Thêm", "update": "Sửa", "delete": "Xóa"}[self.action]

    @property
    def old_text(self):
        return entry.describe(self.old)

    @property
    def new_text(self):
        return entry.describe(self.new)


@dataclass
class Upload:
    """What an uploaded file would change, before anything is stored."""

    kind: str
    form: object
    period: object
    unit: object = None          # the submission's unit (kind "submission")
    filename: str = ""
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)    # block the confirmation
    warnings: list = field(default_factory=list)  # shown; the values can still be stored
    notices: list = field(default_factory=list)   # problems of cells the file does not change
    cells_read: int = 0
    units: dict = field(default_factory=dict)     # unit code -> ReportingUnit

    @property
    def ok(self):
        return not self.errors

    @property
    def can_confirm(self):
        return self.ok and bool(self.changes)


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _sign(meta: dict, layout: str, base: list) -> str:
    text = "\n".join(f"{key}={meta.get(key, '')}" for key in SIGNED_KEYS) + "\nlayout=" + layout
    text += "\nbase=" + "\n".join("|".join(item) for item in base)
    return salted_hmac(SIGNATURE_SALT, text, algorithm="sha256").hexdigest()


def _token(dv) -> str:
    """Which stored value a cell held when the template was made: id and revision, "0" if empty."""
    return f"{dv.pk}.{dv.revision}" if dv is not None else "0"


def _base_item(unit_code, ref, dv):
    return (unit_code, ref.row, ref.option, _token(dv), "" if dv is None else _plain(dv.value))


def _plain(value: Decimal) -> str:
    """A Decimal as plain text parse_number reads back ("1000", "0.5"; never "1E+3")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _from_float(number: float) -> Decimal:
    """A number read from a cell: Excel keeps 15 significant digits, so does this."""
    value = Decimal(repr(number))
    if len(value.as_tuple().digits) > 15:
        value = EXCEL_DIGITS.plus(value)
    return value


def _same(old: Decimal | None, new: Decimal | None) -> bool:
    """Unchanged, including a stored value that Excel could only hold rounded to 15 digits."""
    if old is None or new is None:
        return old is None and new is None
    return old == new or _from_float(float(old)) == new


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _period_label(code: str) -> str:
    try:
        return PeriodId.parse(code).label()
    except (PeriodError, ValueError, TypeError):
        return code


def _unit_label(code: str) -> str:
    unit = ReportingUnit.objects.filter(code=code).first()
    return f"{unit.name} ({code})" if unit else code


def _deadline(form, pid):
    try:
        return form.deadline_for(pid)
    except Exception:  # no reporter deadline for this form
        return None


def _number_format(fr) -> str:
    ind = fr.indicator
    if ind.value_type in ("integer", "rank") or not ind.decimals:
        return "#,##0"
    return "#,##0." + "0" * min(ind.decimals, 6)


def _bounds(row):
    lower = row.min_value if row.min_value is not None else (Decimal(1) if row.value_type == "rank" else Decimal(0))
    upper = row.max_value if row.max_value is not None else (Decimal(100) if row.value_type == "percent" else None)
    return lower, upper


def _num(value: Decimal):
    """A number for XlsxWriter: int when whole, so that "0" is written, not "0.0"."""
    return int(value) if value == value.to_integral_value() else float(value)


def _validation_options(row, fr, where: str) -> dict:
    """Data validation of a value cell, with a Vietnamese input message and error message."""
    whole = row.value_type in ("integer", "rank")
    lower, upper = _bounds(row)
    kind = "số nguyên" if whole else "số"
    if upper is not None:
        span = f"từ {format_number(lower)} đến {format_number(upper)}"
        options = {"criteria": "between", "minimum": _num(lower), "maximum": _num(upper)}
    else:
        span = f"từ {format_number(lower)} trở lên"
        options = {"criteria": ">=", "value": _num(lower)}
    decimals = fr.indicator.decimals
    hint = "" if whole or not decimals else f", tối đa {format_number(row.decimals)} chữ số thập phân"
    unit = fr.indicator.unit
    message = f"Nhập {kind} {span}{hint}. Đơn vị tính: {unit}. Không nhập công thức."
    error = f"{where} chỉ nhận {kind} {span}{hint}. Ô để trống nếu không có số liệu."
    options.update({
        "validate": "integer" if whole else "decimal",
        "ignore_blank": True,
        "input_title": _short(where, 32),
        "input_message": _short(message, 250),
        "error_title": "Giá trị không hợp lệ",
        "error_message": _short(error, 250),
        "error_type": "stop",
    })
    return options


def _column_options(spec):
    """Value columns: Tổng số, then every option used by a row of the form, in form order."""
    columns = [(TOTAL, "Tổng số")]
    seen = {TOTAL}
    for row in spec.rows:
        for code in row.options:
            if code not in seen:
                seen.add(code)
                columns.append((code, spec.options[(row.code, code)].name))
    return columns


def _rows_in_order(form):
    return list(form.rows.select_related("indicator", "parent").order_by("sort_order", "id"))


def assigned(form, unit, period) -> bool:
    """The unit must report this form for (part of) the period."""
    return FormAssignment.objects.filter(form=form, unit=unit).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end_date),
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start_date),
    ).exists()


def assigned_units(form, period=None):
    day_from = period.start_date if period else timezone.localdate()
    day_to = period.end_date if period else day_from
    return list(ReportingUnit.objects.filter(
        assignments__form=form,
    ).filter(
        Q(assignments__valid_from__isnull=True) | Q(assignments__valid_from__lte=day_to),
        Q(assignments__valid_to__isnull=True) | Q(assignments__valid_to__gte=day_from),
        Q(valid_from__isnull=True) | Q(valid_from__lte=day_to),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day_from),
    ).distinct().order_by("code"))


def template_filename(submission) -> str:
    return f"{submission.form.code}_{submission.unit.code}_{submission.period.code}.xlsx"


def form_template_filename(form, period=None) -> str:
    return f"{form.code}_nhieu-don-vi{'_' + period.code if period else ''}.xlsx"


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


class _Formats:
    def __init__(self, workbook):
        self.workbook = workbook
        add = workbook.add_format
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
        self.base = base
        self.title = add({**base, "bold": True, "font_size": 14})
        self.info = add({**base})
        self.note = add({**base, "italic": True, "font_size": 11, "text_wrap": True, "valign": "top",
                         "font_color": "#404040"})
        self.header = add({**base, "bold": True, "border": 1, "text_wrap": True, "align": "center",
                           "bg_color": "#DDE4EE"})
        self.code = add({**base, "border": 1, "align": "center"})
        self.code_heading = add({**base, "border": 1, "align": "center", "bold": True, "bg_color": "#F2F2F2"})
        self.label = add({**base, "border": 1, "text_wrap": True})
        self.label_child = add({**base, "border": 1, "text_wrap": True, "indent": 2})
        self.heading = add({**base, "border": 1, "bold": True, "bg_color": "#F2F2F2"})
        self.measure = add({**base, "border": 1, "align": "center", "text_wrap": True})
        self.na = add({**base, "border": 1, "pattern": 1, "bg_color": "#BFBFBF"})
        self.hidden = add({**base, "num_format": "@"})
        self.text = add({**base, "border": 1, "text_wrap": True})
        self._values = {}
        self._refs = {}

    def value(self, num_format):
        if num_format not in self._values:
            self._values[num_format] = self.workbook.add_format({
                **self.base, "border": 1, "locked": False, "num_format": num_format, "bg_color": "#FFFFFF"})
        return self._values[num_format]

    def ref(self, num_format):
        if num_format not in self._refs:
            self._refs[num_format] = self.workbook.add_format({
                **self.base, "border": 1, "italic": True, "font_color": "#595959", "bg_color": "#F2F2F2",
                "num_format": num_format})
        return self._refs[num_format]


def _workbook(buffer, title):
    workbook = xlsx_workbook(buffer)
    workbook.set_properties({"title": title, "author": "solieu", "company": "Bộ Khoa học và Công nghệ",
                             "comments": "Mẫu Excel do hệ thống solieu tạo; không sửa trang ẩn _solieu."})
    return workbook


def _write_meta(workbook, meta: dict, layout: str, base: list):
    """The very hidden sheet: identity of the template, then the figures it was made with."""
    sheet = workbook.add_worksheet(META_SHEET)
    meta = {**meta, "signature": _sign(meta, layout, base)}
    notes = {
        "format": "Dấu hiệu mẫu Excel của solieu",
        "template_version": "Phiên bản mẫu",
        "kind": "Loại mẫu",
        "form_code": "Mã biểu",
        "form_version": "Phiên bản biểu",
        "unit_code": "Mã đơn vị báo cáo",
        "period_code": "Mã kỳ báo cáo",
        "sheet": "Trang số liệu",
        "code_row": "Dòng chứa mã cột (ẩn)",
        "code_col": "Cột chứa mã dòng (ẩn)",
        "signature": "Chữ ký HMAC-SHA256 (không sửa)",
    }
    for i, key in enumerate((*SIGNED_KEYS, "signature")):
        sheet.write_string(i, 0, key)
        sheet.write_string(i, 1, str(meta.get(key, "")))
        sheet.write_string(i, 2, notes[key])
    sheet.write_string(BASE_ROW - 1, 0, "Số liệu lúc tạo mẫu: mã đơn vị, mã dòng, mã phân tổ, lần sửa, giá trị")
    for i, item in enumerate(base):
        sheet.write_string(BASE_ROW + i, 0, "cell")
        for j, text in enumerate(item):
            sheet.write_string(BASE_ROW + i, 1 + j, text)
    sheet.protect()
    sheet.very_hidden()


def _print_setup(sheet, header_row, last_col, title):
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.set_header(f"&L&8{title}")
    sheet.set_footer("&C&8Trang &P/&N")


def _protect(sheet):
    sheet.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                       "select_unlocked_cells": True})


def build_template(submission, spec=None) -> bytes:
    """The xlsx template of one submission, pre-filled with its current values."""
    from xlsxwriter.utility import xl_col_to_name

    form, unit, period = submission.form, submission.unit, submission.period
    spec = spec or entry.form_spec(form)
    rows = {row.code: row for row in spec.rows}
    columns = _column_options(spec)
    current = entry.current_values(submission, spec)
    references = entry.reference_values(submission, spec)
    pid = submission.pid
    deadline = submission.deadline() if submission.adhoc_request_id else _deadline(form, pid)

    buffer = io.BytesIO()
    workbook = _workbook(buffer, f"Biểu {form.code} - {unit.code} - {pid.label()}")
    fmt = _Formats(workbook)
    sheet_name = _sheet_name(form.code)
    sheet = workbook.add_worksheet(sheet_name)

    n = len(columns)
    prev_col, last_year_col = FIXED_COLUMNS + n, FIXED_COLUMNS + n + 1
    code_col = last_year_col + 1
    last_visible = last_year_col

    sheet.merge_range(0, 0, 0, last_visible, f"BIỂU {form.code}: {form.name.upper()}", fmt.title)
    sheet.merge_range(1, 0, 1, last_visible, f"Đơn vị báo cáo: {unit.name} ({unit.code})", fmt.info)
    line = f"Kỳ báo cáo: {pid.label()} (mã kỳ {period.code})"
    if deadline:
        line += f"  ·  Hạn gửi: {format_date(deadline)}"
    sheet.merge_range(2, 0, 2, last_visible, line, fmt.info)
    receiver = f"Đơn vị nhận: {form.receiving_unit}" if form.receiving_unit_id else ""
    legal = f"Căn cứ: {form.legal_source}" if form.legal_source else ""
    sheet.merge_range(3, 0, 3, last_visible,
                      "  ·  ".join(x for x in (receiver, legal, f"Phiên bản biểu: {form.version}") if x), fmt.info)
    sheet.merge_range(4, 0, 4, last_visible, (
        "Hướng dẫn: chỉ nhập số vào các ô nền trắng (cột Tổng số và các cột phân tổ); không nhập công thức. "
        "Ô để trống là không có số liệu; xóa số trong một ô đang có số liệu là xóa số liệu đó. Hai cột "
        "Kỳ trước và Cùng kỳ năm trước chỉ để đối chiếu. Không thêm, xóa hay đổi chỗ dòng, cột. Khi tải tệp "
        "lên, hệ thống liệt kê các ô thay đổi để bạn xác nhận trước khi lưu."), fmt.note)
    sheet.set_row(4, 48)

    # Hidden row of option codes, header row.
    sheet.set_row(CODE_ROW, None, fmt.hidden, {"hidden": True})
    headers = ["Mã dòng", "Chỉ tiêu", "Đơn vị tính"] + [label for _, label in columns] + [
        f"Kỳ trước\n({pid.previous().label()})", f"Cùng kỳ năm trước\n({pid.same_period_last_year().label()})"]
    for col, text in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, text, fmt.header)
    sheet.write_string(HEADER_ROW, code_col, "Mã dòng (hệ thống)", fmt.hidden)
    layout_cols = []
    for i, (key, _) in enumerate(columns):
        col = FIXED_COLUMNS + i
        sheet.write_string(CODE_ROW, col, key, fmt.hidden)
        layout_cols.append(f"{xl_col_to_name(col)}:{key}")
    sheet.set_row(HEADER_ROW, 48)

    layout_rows, base = [], []
    r = FIRST_ROW
    for fr in _rows_in_order(form):
        if fr.indicator_id is None:
            sheet.write_string(r, 0, fr.code, fmt.code_heading)
            sheet.merge_range(r, 1, r, last_visible, fr.title, fmt.heading)
            r += 1
            continue
        row = rows.get(fr.code)
        if row is None:
            continue
        num_format = _number_format(fr)
        sheet.write_string(r, 0, fr.code, fmt.code)
        sheet.write_string(r, 1, fr.title, fmt.label_child if fr.parent_id else fmt.label)
        sheet.write_string(r, 2, fr.indicator.unit, fmt.measure)
        for i, (key, label) in enumerate(columns):
            col = FIXED_COLUMNS + i
            if (fr.code, key) not in spec.options:
                sheet.write_blank(r, col, None, fmt.na)
                continue
            dv = current.get(CellRef(fr.code, key))
            base.append(_base_item(unit.code, CellRef(fr.code, key), dv))
            if dv is not None:
                sheet.write_number(r, col, float(dv.value), fmt.value(num_format))
            else:
                sheet.write_blank(r, col, None, fmt.value(num_format))
            where = f"Dòng {fr.code}, cột {label}"
            sheet.data_validation(r, col, r, col, _validation_options(row, fr, where))
        for col, name in ((prev_col, "previous"), (last_year_col, "last_year")):
            value = references[name].get(CellRef(fr.code))
            if value is not None:
                sheet.write_number(r, col, float(value), fmt.ref(num_format))
            else:
                sheet.write_blank(r, col, None, fmt.ref(num_format))
        sheet.write_string(r, code_col, fr.code, fmt.hidden)
        layout_rows.append(f"{r + 1}:{fr.code}")
        sheet.set_row(r, 30 if len(fr.title) > 60 else None)
        r += 1

    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 55)
    sheet.set_column(2, 2, 14)
    sheet.set_column(FIXED_COLUMNS, FIXED_COLUMNS + n - 1, 16)
    sheet.set_column(prev_col, last_year_col, 16)
    sheet.set_column(code_col, code_col, 12, fmt.hidden, {"hidden": True})
    sheet.freeze_panes(FIRST_ROW, FIXED_COLUMNS)
    _print_setup(sheet, HEADER_ROW, last_visible, f"Biểu {form.code} - {unit.code} - {pid.label()}")
    sheet.print_area(0, 0, max(r - 1, FIRST_ROW), last_visible)
    _protect(sheet)
    sheet.activate()

    meta = {
        "format": FORMAT_MARKER, "template_version": str(TEMPLATE_VERSION), "kind": KIND_SUBMISSION,
        "form_code": form.code, "form_version": str(form.version), "unit_code": unit.code,
        "period_code": period.code, "sheet": sheet_name, "code_row": str(CODE_ROW + 1),
        "code_col": xl_col_to_name(code_col),
    }
    _write_meta(workbook, meta, _layout(layout_rows, layout_cols), base)
    workbook.close()
    return buffer.getvalue()


def _sheet_name(code):
    name = "".join("-" if ch in '[]:*?/\\' else ch for ch in code)[:31]
    return name if name and name != META_SHEET else "Biểu"


def _layout(rows, cols):
    return "rows=" + ",".join(rows) + ";cols=" + ",".join(cols)


def build_form_template(form, period=None, spec=None) -> bytes:
    """The long-format template of a form for all its assigned units (pre-filled if a period is given)."""
    from xlsxwriter.utility import xl_col_to_name

    spec = spec or entry.form_spec(form)
    rows = {row.code: row for row in spec.rows}
    units = assigned_units(form, period)
    pid = period.pid if period else None

    buffer = io.BytesIO()
    title = f"Biểu {form.code} - nhiều đơn vị" + (f" - {pid.label()}" if pid else "")
    workbook = _workbook(buffer, title)
    fmt = _Formats(workbook)
    sheet = workbook.add_worksheet(LONG_SHEET)
    last_visible = len(LONG_COLUMNS) - 2

    sheet.merge_range(0, 0, 0, last_visible, f"BIỂU {form.code}: {form.name.upper()}", fmt.title)
    sheet.merge_range(1, 0, 1, last_visible, "Mẫu nhập số liệu của nhiều đơn vị báo cáo"
                      + (f" · Đơn vị nhận: {form.receiving_unit}" if form.receiving_unit_id else ""), fmt.info)
    if pid:
        deadline = _deadline(form, pid)
        line = f"Kỳ báo cáo: {pid.label()} (mã kỳ {period.code})"
        if deadline:
            line += f"  ·  Hạn gửi của đơn vị: {format_date(deadline)}"
    else:
        line = "Kỳ báo cáo: chọn khi tải tệp lên (mẫu chưa có số liệu)."
    sheet.merge_range(2, 0, 2, last_visible, line, fmt.info)
    sheet.merge_range(3, 0, 3, last_visible, f"Phiên bản biểu: {form.version}"
                      + (f"  ·  Căn cứ: {form.legal_source}" if form.legal_source else ""), fmt.info)
    sheet.merge_range(4, 0, 4, last_visible, (
        "Hướng dẫn: mỗi dòng là một ô số liệu của một đơn vị; chỉ nhập số vào cột Giá trị (nền trắng), không "
        "nhập công thức. Ô Giá trị để trống: giữ nguyên số liệu đã có của đơn vị (muốn xóa số liệu, hãy dùng "
        "trang nhập liệu). Không sửa các cột mã. Tệp được nhận tất cả hoặc không nhận dòng nào: chỉ một dòng "
        "sai là cả tệp bị từ chối, kèm số dòng cần sửa."), fmt.note)
    sheet.set_row(4, 48)

    sheet.set_row(CODE_ROW, None, fmt.hidden, {"hidden": True})
    for col, (key, label, width) in enumerate(LONG_COLUMNS):
        sheet.write_string(CODE_ROW, col, key, fmt.hidden)
        sheet.write_string(HEADER_ROW, col, label, fmt.header)
        if key in LONG_HIDDEN:
            sheet.set_column(col, col, width, fmt.hidden, {"hidden": True})
        else:
            sheet.set_column(col, col, width)
    sheet.set_row(HEADER_ROW, 30)

    r, base = FIRST_ROW, []
    value_col = LONG_KEYS.index("value")
    form_rows = [fr for fr in _rows_in_order(form) if fr.indicator_id and fr.code in rows]
    for unit in units:
        current = {}
        if period is not None:
            current = entry._values_for(spec, unit, period)
        for fr in form_rows:
            row = rows[fr.code]
            num_format = _number_format(fr)
            for option in (TOTAL, *row.options):
                name = "Tổng số" if option == TOTAL else spec.options[(fr.code, option)].name
                cells = {"unit": unit.code, "unit_name": unit.name, "row": fr.code, "label": fr.title,
                         "option_name": name, "measure": fr.indicator.unit, "option": option}
                for col, key in enumerate(LONG_KEYS):
                    if key == "value":
                        dv = current.get(CellRef(fr.code, option))
                        if period is not None:
                            base.append(_base_item(unit.code, CellRef(fr.code, option), dv))
                        if dv is not None:
                            sheet.write_number(r, col, float(dv.value), fmt.value(num_format))
                        else:
                            sheet.write_blank(r, col, None, fmt.value(num_format))
                    elif key in LONG_HIDDEN:
                        sheet.write_string(r, col, cells[key], fmt.hidden)
                    else:
                        sheet.write_string(r, col, cells[key], fmt.text)
                where = f"{unit.code}, dòng {fr.code}" + ("" if option == TOTAL else f", {name}")
                sheet.data_validation(r, value_col, r, value_col, _validation_options(row, fr, _short(where, 32)))
                r += 1

    sheet.freeze_panes(FIRST_ROW, 0)
    sheet.autofilter(HEADER_ROW, 0, max(r - 1, HEADER_ROW), last_visible)
    _print_setup(sheet, HEADER_ROW, last_visible, title)
    _protect(sheet)
    sheet.activate()
    meta = {
        "format": FORMAT_MARKER, "template_version": str(TEMPLATE_VERSION), "kind": KIND_FORM,
        "form_code": form.code, "form_version": str(form.version), "unit_code": "",
        "period_code": period.code if period else "", "sheet": LONG_SHEET, "code_row": str(CODE_ROW + 1),
        "code_col": "",
    }
    _write_meta(workbook, meta, _layout([], [f"{xl_col_to_name(c)}:{k}" for c, k in enumerate(LONG_KEYS)]), base)
    workbook.close()
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

NOT_XLSX = ("Tệp {name} không phải là tệp Excel .xlsx. Hãy tải lên đúng tệp mẫu đã tải về từ hệ thống "
            "(định dạng Excel Workbook .xlsx).")


def check_file(data: bytes, name: str = "") -> None:
    """Refuse, with the reason, what is not an xlsx file of a reasonable size."""
    shown = f'"{name}"' if name else "đã chọn"
    if len(data) > max_bytes():
        raise too_large(name, len(data))
    if not data:
        raise ExcelError(f"Tệp {shown} rỗng (0 byte).", "empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExcelError(
            f"Tệp {shown} là tệp Excel 97-2003 (.xls) hoặc tệp Excel có mật khẩu mở, hệ thống không đọc được. "
            "Hãy mở tệp bằng Excel, bỏ mật khẩu (nếu có) rồi lưu lại dưới dạng Excel Workbook (.xlsx); tốt "
            "nhất là nhập số liệu vào tệp mẫu tải về từ hệ thống.", "xls")
    if data.startswith(b"%PDF"):
        raise ExcelError(f"Tệp {shown} là tệp PDF, không phải tệp Excel .xlsx. Hãy tải lên tệp mẫu Excel "
                         "đã nhập số liệu.", "pdf")
    if not data.startswith(b"PK\x03\x04"):
        raise ExcelError(NOT_XLSX.format(name=shown), "not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            # Declared sizes first: nothing is inflated before the zip bomb check.
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise ExcelError(f"Tệp {shown} khi giải nén quá lớn so với một biểu mẫu; hệ thống không "
                                 "nhận.", "too_large")
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                raise ExcelError(
                    f"Tệp {shown} là bảng tính OpenDocument (.ods). Hãy lưu lại dưới dạng Excel 2007-365 "
                    "(.xlsx) rồi tải lên.", "ods")
            if "xl/workbook.xml" not in names:
                raise ExcelError(NOT_XLSX.format(name=shown), "not_xlsx")
            _refuse_active_content(archive, names, shown)
    except zipfile.BadZipFile:
        raise ExcelError(NOT_XLSX.format(name=shown), "not_xlsx") from None


def _refuse_active_content(archive, names, shown):
    """Links to other files and macros have no place in a form's figures: refused, not ignored."""
    lowered = [name.lower() for name in names]
    if any(name.startswith("xl/externallinks/") for name in lowered):
        raise ExcelError(
            f"Tệp {shown} có liên kết tới tệp bên ngoài (external links); hệ thống không nhận tệp có liên kết. "
            "Hãy nhập số vào tệp mẫu tải về từ hệ thống, không dán công thức tham chiếu tệp khác.", "links")
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if (any(name.endswith("vbaproject.bin") or name.startswith("xl/macrosheets/") for name in lowered)
            or b"macroenabled" in types.lower()):
        raise ExcelError(
            f"Tệp {shown} có macro (VBA hoặc Excel 4.0); hệ thống không nhận tệp có macro. Hãy lưu lại dưới dạng "
            "Excel Workbook (.xlsx) không có macro, tốt nhất là nhập số liệu vào tệp mẫu tải về từ hệ thống.",
            "macros")


def megabytes(size) -> str:
    """A size in MB the Vietnamese way: "5", "5,3"."""
    return format_number(Decimal(size) / Decimal(1024 * 1024), 1).removesuffix(",0")


def too_large(name, size) -> ExcelError:
    shown = f'"{name}"' if name else "đã chọn"
    return ExcelError(
        f"Tệp {shown} có dung lượng {megabytes(size)} MB, vượt quá giới hạn {megabytes(max_bytes())} MB. "
        "Hãy tải lên tệp mẫu của hệ thống, bỏ các trang, hình ảnh không cần thiết.", "too_large")


def _load(data: bytes, name: str):
    import openpyxl

    check_file(data, name)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:
        raise _broken(name) from None


def _broken(name) -> ExcelError:
    """A file openpyxl cannot read: damaged, forged, or an XML bomb that expat refused."""
    return ExcelError(NOT_XLSX.format(name=f'"{name}"' if name else "đã chọn")
                      + " (openpyxl không mở được tệp: tệp hỏng hoặc sai định dạng.)", "not_xlsx")


def _read_meta(workbook, form, expected_kind, upload_url_hint):
    if META_SHEET not in workbook.sheetnames:
        raise ExcelError(
            "Tệp Excel này không phải là mẫu do hệ thống tạo (không có trang thông tin ẩn _solieu). Hãy tải "
            f"mẫu Excel {upload_url_hint}, nhập số liệu vào đó rồi tải lên.", "not_template")
    meta, base = {}, []
    for i, line in enumerate(workbook[META_SHEET].iter_rows(max_col=6, values_only=True)):
        if i > MAX_ROWS:
            raise _tampered()
        line = ["" if v is None else str(v).strip() for v in (*line, *[None] * 6)[:6]]
        if i >= BASE_ROW and line[0] == "cell":
            base.append(tuple(line[1:6]))
        elif i < BASE_ROW and line[0]:
            meta[line[0]] = line[1]
    meta["_base"] = base
    if meta.get("format") != FORMAT_MARKER:
        raise ExcelError("Trang thông tin ẩn của tệp không có dấu hiệu mẫu solieu; hãy tải mẫu mới.",
                         "not_template")
    if meta.get("template_version") != str(TEMPLATE_VERSION):
        raise ExcelError(
            f"Tệp là mẫu Excel phiên bản {meta.get('template_version') or '(không rõ)'}, hệ thống hiện dùng mẫu "
            f"phiên bản {TEMPLATE_VERSION}. Hãy tải mẫu mới và nhập lại số liệu.", "template_version")
    if meta.get("kind") != expected_kind:
        other = KIND_NAMES.get(meta.get("kind"), "mẫu loại khác")
        where = ("trang Tải lên Excel nhiều đơn vị của biểu" if meta.get("kind") == KIND_FORM
                 else "trang Tải lên Excel của từng báo cáo")
        raise ExcelError(f"Tệp là {other} của biểu {meta.get('form_code')}, không tải lên ở đây được; "
                         f"hãy tải lên ở {where}.", "wrong_kind")
    return meta


def _tampered():
    return ExcelError(
        "Thông tin ẩn của mẫu (trang _solieu, cột mã dòng hoặc dòng mã cột) đã bị sửa, hoặc đã thêm, xóa "
        "dòng, cột trong mẫu, nên hệ thống không nhận tệp này. Hãy tải mẫu mới và nhập lại số liệu.",
        "signature")


def _check_signature(meta, layout):
    """Checks the signature; returns the figures the template was made with, by (unit, row, option)."""
    if not constant_time_compare(meta.get("signature", ""), _sign(meta, layout, meta["_base"])):
        raise _tampered()
    base = {}
    for unit_code, row, option, token, value in meta["_base"]:
        base[(unit_code, CellRef(row, option))] = (token, Decimal(value) if value else None)
    return base


def _check_identity(meta, form, unit=None, period=None):
    if meta.get("form_code") != form.code:
        raise ExcelError(f"Tệp là mẫu của biểu {meta.get('form_code')}, không phải biểu {form.code}. Hãy tải "
                         f"mẫu của biểu {form.code} và nhập số liệu vào đó.", "wrong_form")
    if meta.get("form_version") != str(form.version):
        raise ExcelError(
            f"Tệp là mẫu của biểu {form.code} phiên bản {meta.get('form_version')}, nhưng biểu đang dùng là "
            f"phiên bản {form.version}. Hãy tải mẫu mới và nhập lại số liệu.", "form_version")
    if unit is not None and meta.get("unit_code") != unit.code:
        raise ExcelError(f"Tệp là mẫu của đơn vị {_unit_label(meta.get('unit_code'))}, không phải của đơn vị "
                         f"{unit.name} ({unit.code}).", "wrong_unit")
    if period is not None and meta.get("period_code") and meta.get("period_code") != period.code:
        raise ExcelError(f"Tệp là mẫu của kỳ {_period_label(meta.get('period_code'))} (mã {meta['period_code']}), "
                         f"không phải kỳ {period.label} (mã {period.code}).", "wrong_period")
    if period is not None and unit is not None and not meta.get("period_code"):
        raise ExcelError("Tệp không ghi kỳ báo cáo; hãy tải mẫu mới.", "wrong_period")


def _grid(sheet, max_col):
    """(row, column) -> cell, 1-based, for every cell with content up to ``max_col``.

    The sheet's declared dimension is not trusted: "A1:XFD1048576" would make openpyxl pad
    every row to 16.384 cells.
    """
    if not 0 < max_col <= MAX_COLUMNS:
        raise _tampered()
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    grid = {}
    for i, row in enumerate(sheet.iter_rows(max_col=max_col), start=1):
        if i > MAX_ROWS:
            raise ExcelError(f"Trang số liệu có hơn {format_number(MAX_ROWS)} dòng; đây không phải là mẫu của "
                             "hệ thống.", "too_many_rows")
        for cell in row:
            if getattr(cell, "value", None) is not None:
                grid[(cell.row, cell.column)] = cell
    return grid


def _raw(cell, where_cell: str, where: str):
    """(Decimal | None, error message | None, warning | None) for a value cell as the user left it."""
    if cell is None:
        return None, None, None
    value = cell.value
    kind = getattr(cell, "data_type", None)
    if kind == "f" or (hasattr(value, "text") and not isinstance(value, str)):
        text = value if isinstance(value, str) else getattr(value, "text", "") or ""
        text = text if str(text).startswith("=") else f"={text}"
        return None, (f"Ô {where_cell} chứa công thức {_short(text, 50)}; hãy nhập giá trị số "
                      f"({where})."), None
    if kind == "e":
        return None, f"Ô {where_cell} ({where}) chứa lỗi {value}; hãy nhập giá trị số.", None
    if isinstance(value, bool):
        return None, f'Ô {where_cell} ({where}): "{"TRUE" if value else "FALSE"}" không phải là số.', None
    if isinstance(value, (datetime, date, time)):
        return None, (f"Ô {where_cell} ({where}) chứa ngày tháng, không phải là số; hãy định dạng ô là số "
                      "rồi nhập lại."), None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, f"Ô {where_cell} ({where}): giá trị không phải là số hữu hạn.", None
        return _from_float(value), None, None
    if isinstance(value, int):
        return Decimal(value), None, None
    if isinstance(value, Decimal):
        return value, None, None
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return None, None, None
    if text.startswith("="):
        return None, f"Ô {where_cell} chứa công thức {_short(text, 50)}; hãy nhập giá trị số ({where}).", None
    try:
        number = entry.parse_cell(text)
    except EntryError as exc:
        if not any(ch.isdigit() for ch in text):
            return None, f'Ô {where_cell} ({where}): "{_short(text, 40)}" không phải là số.', None
        return None, f"Ô {where_cell} ({where}): {exc.message}", None
    warning = None
    if is_ambiguous(text):
        warning = (f'Ô {where_cell} ({where}): chữ "{text}" được đọc là {format_number(number)} theo cách viết '
                   "Việt Nam (dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân); hãy kiểm tra.")
    return number, None, warning


def _cell_errors(row, value, option, where_cell, where):
    """Errors of check_cell, located in the file."""
    messages = []
    digits = value.adjusted() + 1 if value else 0
    if digits > MAX_INTEGER_DIGITS:
        messages.append(f"Ô {where_cell} ({where}): {format_number(value)} quá lớn (tối đa "
                        f"{MAX_INTEGER_DIGITS} chữ số phần nguyên).")
        return messages
    prefix = f'Dòng {row.code} "{row.label}"' + ("" if option == TOTAL else f", cột {option}") + ": "
    for issue in validation.check_cell(row, value, option):
        if issue.level != "error":
            continue
        text = issue.message[len(prefix):] if issue.message.startswith(prefix) else issue.message
        messages.append(f"Ô {where_cell} ({where}): {text}")
    return messages


def _where(row_code, label, column_label, unit_code=None):
    text = f'dòng {row_code} "{_short(label, 40)}", cột {column_label}'
    return f"đơn vị {unit_code}, {text}" if unit_code else text


def _review(upload, spec, unit, period, current, changes, submission=None):
    """Form rules and history on the figures as they would be after the upload."""
    values = {ref: dv.value for ref, dv in current.items()}
    for change in changes:
        if change.new is None:
            values.pop(change.ref, None)
        else:
            values[change.ref] = change.new
    changed = {change.ref for change in changes}
    rows = {row.code: row for row in spec.rows}
    prefix = f"{unit.code}: " if upload.kind == KIND_FORM else ""
    for issue in validation.check_form(spec.rows, values, spec.rules):
        touches = bool(changed.intersection(issue.cells))
        if issue.code in ("type", "decimals", "range") and touches:
            continue  # already reported with its cell
        if issue.level == "error" and touches:
            upload.errors.append(prefix + issue.message)
        elif issue.level == "warning" and touches:
            upload.warnings.append(prefix + issue.message)
        else:
            upload.notices.append(prefix + issue.message)
    sub = submission or Submission(form=spec.form, unit=unit, period=period, form_version=spec.form.version)
    last_year = entry.reference_values(sub, spec)["last_year"]
    written = [change for change in changes if change.new is not None]
    past = entry.histories(sub, spec, [change.ref for change in written])
    for change in written:
        for issue in validation.check_history(rows[change.ref.row], change.ref, change.new,
                                              past.get(change.ref, []), last_year.get(change.ref)):
            upload.warnings.append(prefix + issue.message)


def _hint(form, unit=None, period=None):
    if unit is not None:
        return f"của báo cáo {form.code} - {unit.code} - {period.label}"
    return f"nhiều đơn vị của biểu {form.code}"


def read_submission_upload(data: bytes, submission, *, filename="", spec=None) -> Upload:
    """Read an uploaded template of one submission; nothing is stored.

    Raises ExcelError when the file is refused as a whole (not xlsx, another form, unit or
    period, edited hidden sheet...). Cell problems are listed in ``Upload.errors``.
    """
    from openpyxl.utils import column_index_from_string, get_column_letter

    form, unit, period = submission.form, submission.unit, submission.period
    spec = spec or entry.form_spec(form)
    workbook = _load(data, filename)
    try:
        meta = _read_meta(workbook, form, KIND_SUBMISSION, _hint(form, unit, period))
        try:
            sheet = workbook[meta.get("sheet", "")]
            code_row = int(meta.get("code_row", ""))
            code_col = column_index_from_string(meta.get("code_col", ""))
        except (KeyError, ValueError):
            raise _tampered() from None
        grid = _grid(sheet, code_col)
    except ExcelError:
        raise
    except Exception:  # read-only mode parses the sheets here, not in load_workbook
        raise _broken(filename) from None
    finally:
        workbook.close()

    # The header row follows the code row; data rows follow the header.
    row_at = {r: str(cell.value).strip() for (r, c), cell in grid.items() if c == code_col and r > code_row + 1}
    col_at = {c: str(cell.value).strip() for (r, c), cell in grid.items() if r == code_row and c != code_col}
    layout = _layout([f"{r}:{code}" for r, code in sorted(row_at.items())],
                     [f"{get_column_letter(c)}:{key}" for c, key in sorted(col_at.items())])
    base = _check_signature(meta, layout)
    _check_identity(meta, form, unit, period)

    upload = Upload(KIND_SUBMISSION, form, period, unit=unit, filename=filename, units={unit.code: unit})
    rows = {row.code: row for row in spec.rows}
    labels = dict(_column_options(spec))
    current = entry.current_values(submission, spec)
    changes = []
    for r, row_code in sorted(row_at.items()):
        row = rows.get(row_code)
        if row is None:
            upload.errors.append(f"Dòng {r} của tệp là dòng {row_code}, biểu {form.code} hiện không có dòng này; "
                                 "hãy tải mẫu mới.")
            continue
        for c, key in sorted(col_at.items()):
            coord = f"{get_column_letter(c)}{r}"
            label = labels.get(key, key)
            where = _where(row_code, row.label, label)
            number, error, warning = _raw(grid.get((r, c)), coord, where)
            if (row_code, key) not in spec.options:
                if number is not None or error:
                    upload.errors.append(f"Ô {coord}: dòng {row_code} không có cột {label}; hãy để trống ô này.")
                continue
            upload.cells_read += 1
            if error:
                upload.errors.append(error)
                continue
            if warning:
                upload.warnings.append(warning)
            if number is not None:
                problems = _cell_errors(row, number, key, coord, where)
                if problems:
                    upload.errors.extend(problems)
                    continue
            ref = CellRef(row_code, key)
            dv = current.get(ref)
            if _unchanged(upload, base.get((unit.code, ref)), dv, number, coord, where):
                continue
            changes.append(Change(unit.code, ref, coord, row.label, label, dv.value if dv else None,
                                  dv.revision if dv else 0, number, dv.status if dv else ""))
    upload.changes = changes
    if not upload.errors:
        _review(upload, spec, unit, period, current, changes, submission)
    return upload


def read_form_upload(data: bytes, form, period, *, filename="", spec=None) -> Upload:
    """Read an uploaded long-format template of a form for many units; nothing is stored."""
    from openpyxl.utils import get_column_letter

    spec = spec or entry.form_spec(form)
    workbook = _load(data, filename)
    try:
        meta = _read_meta(workbook, form, KIND_FORM, _hint(form))
        try:
            sheet = workbook[meta.get("sheet", "")]
            code_row = int(meta.get("code_row", ""))
        except (KeyError, ValueError):
            raise _tampered() from None
        grid = _grid(sheet, max_col=len(LONG_KEYS) + 5)
    except ExcelError:
        raise
    except Exception:  # read-only mode parses the sheets here, not in load_workbook
        raise _broken(filename) from None
    finally:
        workbook.close()

    col_at = {c: str(cell.value).strip() for (r, c), cell in grid.items() if r == code_row}
    base = _check_signature(meta, _layout([], [f"{get_column_letter(c)}:{k}" for c, k in sorted(col_at.items())]))
    _check_identity(meta, form, None, period)
    column = {key: c for c, key in col_at.items()}

    upload = Upload(KIND_FORM, form, period, filename=filename)
    rows = {row.code: row for row in spec.rows}
    header_row = code_row + 1
    by_row = {}
    for (r, c), cell in grid.items():
        if r > header_row:
            by_row.setdefault(r, {})[c] = cell
    seen = {}
    parsed = {}  # unit code -> [(ref, number, coord, row label, column label, where)]
    units = {}
    for r in sorted(by_row):
        cells = by_row[r]

        def text(key):
            cell = cells.get(column[key])
            return "" if cell is None or cell.value is None else str(cell.value).strip()

        unit_code, row_code = text("unit"), text("row")
        value_coord = f"{get_column_letter(column['value'])}{r}"
        value_cell = cells.get(column["value"])
        if not unit_code and not row_code:
            if value_cell is not None and str(value_cell.value).strip():
                upload.errors.append(f"Dòng {r}: có giá trị ở ô {value_coord} nhưng thiếu mã đơn vị và mã dòng.")
            continue
        if not unit_code:
            upload.errors.append(f"Dòng {r}: thiếu mã đơn vị.")
            continue
        if unit_code not in units:
            unit = ReportingUnit.objects.filter(code=unit_code).first()
            units[unit_code] = unit
            if unit is None:
                upload.errors.append(f'Dòng {r}: không có đơn vị báo cáo mã "{_short(unit_code, 40)}".')
            elif not assigned(form, unit, period):
                upload.errors.append(
                    f"Dòng {r}: đơn vị {unit.name} ({unit.code}) không được phân công báo cáo biểu {form.code} "
                    f"kỳ {period.label}; hãy xóa các dòng của đơn vị này.")
                units[unit_code] = None
        unit = units[unit_code]
        if unit is None:
            continue
        row = rows.get(row_code)
        if row is None:
            upload.errors.append(f'Dòng {r}: biểu {form.code} không có dòng "{_short(row_code, 20)}".')
            continue
        option = text("option") if "option" in column else ""
        option_name = text("option_name")
        if not option:
            option = _option_from_name(spec, row, option_name)
        if option is None or (row.code, option) not in spec.options:
            upload.errors.append(f'Dòng {r}: dòng {row.code} của biểu không có phân tổ '
                                 f'"{_short(option_name or option or "", 40)}".')
            continue
        label = "Tổng số" if option == TOTAL else spec.options[(row.code, option)].name
        ref = CellRef(row.code, option)
        if (unit.code, ref) in seen:
            upload.errors.append(f"Dòng {r} trùng ô với dòng {seen[(unit.code, ref)]} (đơn vị {unit.code}, "
                                 f"dòng {row.code}, {label}); mỗi ô chỉ được có một dòng.")
            continue
        seen[(unit.code, ref)] = r
        where = _where(row.code, row.label, label, unit.code)
        number, error, warning = _raw(value_cell, value_coord, where)
        upload.cells_read += 1
        if error:
            upload.errors.append(error)
            continue
        if warning:
            upload.warnings.append(warning)
        if number is None:
            continue  # empty: keep what is stored
        problems = _cell_errors(row, number, option, value_coord, where)
        if problems:
            upload.errors.extend(problems)
            continue
        parsed.setdefault(unit.code, []).append((ref, number, value_coord, row.label, label, where))
        upload.units[unit.code] = unit

    for unit_code, items in parsed.items():
        unit = upload.units[unit_code]
        existing = Submission.objects.filter(form=form, unit=unit, period=period).first()
        submission = existing or Submission(form=form, unit=unit, period=period, form_version=form.version)
        problem = _locked(submission)
        if problem:
            upload.errors.append(problem)
            continue
        current = entry.current_values(submission, spec)
        changes = []
        for ref, number, coord, row_label, label, where in items:
            dv = current.get(ref)
            if _unchanged(upload, base.get((unit_code, ref)), dv, number, coord, where):
                continue
            changes.append(Change(unit_code, ref, coord, row_label, label, dv.value if dv else None,
                                  dv.revision if dv else 0, number, dv.status if dv else ""))
        upload.changes.extend(changes)
        if changes and not upload.errors:
            _review(upload, spec, unit, period, current, changes, existing)
    return upload


def _unchanged(upload, base, dv, number, coord, where) -> bool:
    """Whether a cell of the file changes nothing; a conflict is recorded as an error.

    With the figure the template was made with (``base``), a cell the user left as it was
    is no change even if someone changed the stored figure since: an old template never
    reverts a colleague's work. A cell the user did change, whose stored figure also moved
    on since the template was made, is a conflict.
    """
    old = dv.value if dv else None
    if base is None:
        return _same(old, number)
    token, base_value = base
    if _same(base_value, number) or _same(old, number):
        return True
    if _token(dv) != token:
        if dv is not None:
            what = str(ConflictError(dv)).removeprefix("Ô số liệu ")
            upload.errors.append(f"Ô {coord} ({where}): sau khi bạn tải mẫu, số liệu {what} Tệp ghi "
                                 f"{entry.describe(number) or '(trống)'}; hãy tải mẫu mới rồi nhập lại.")
        else:
            upload.errors.append(f"Ô {coord} ({where}): sau khi bạn tải mẫu, số liệu đã bị xóa. Tệp ghi "
                                 f"{entry.describe(number) or '(trống)'}; hãy tải mẫu mới rồi nhập lại.")
        return True
    return False


def _option_from_name(spec, row, name):
    folded = " ".join(name.split()).casefold()
    if folded in ("", "tổng số", "tong so", "total"):
        return TOTAL
    for code in row.options:
        option = spec.options[(row.code, code)]
        if folded in (option.name.casefold(), code.casefold()):
            return code
    return None


def _locked(submission):
    """Why a receiving unit cannot enter this submission's figures, or None."""
    unit = submission.unit
    if submission.status == SubmissionStatus.APPROVED:
        return (f"Báo cáo của {unit.name} ({unit.code}) kỳ {submission.period.label} đã được phê duyệt nên đã khóa; "
                "hãy mở lại báo cáo trước khi nhập số liệu.")
    if submission.status == SubmissionStatus.SUBMITTED:
        return (f"Báo cáo của {unit.name} ({unit.code}) kỳ {submission.period.label} đã gửi, đang chờ phê duyệt; "
                "hãy trả lại hoặc phê duyệt trước khi nhập thay số liệu.")
    if entry.is_period_locked(submission):
        return (f"Kỳ báo cáo {submission.period.label} của {unit.name} ({unit.code}) đã khóa (quá hạn "
                f"{submission.form.expiry_days} ngày); hãy mở lại báo cáo trước.")
    return None


# ---------------------------------------------------------------------------
# From preview to confirmation
# ---------------------------------------------------------------------------


def dump_upload(upload: Upload, user) -> str:
    """The changes of a previewed upload, signed, for the hidden field of the confirm form."""
    return signing.dumps({
        "v": TEMPLATE_VERSION, "kind": upload.kind, "form": upload.form.code, "form_version": upload.form.version,
        "unit": upload.unit.code if upload.unit else "", "period": upload.period.code, "file": upload.filename,
        "user": user.pk,
        "changes": [[c.unit_code, c.ref.row, c.ref.option, c.old_revision, None if c.new is None else _plain(c.new)]
                    for c in upload.changes],
    }, salt=UPLOAD_SALT, compress=True)


def _load_payload(token, user, kind, form, period, unit=None):
    try:
        payload = signing.loads(token or "", salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.SignatureExpired:
        raise ExcelError("Phiên xem trước đã quá 2 giờ nên hết hiệu lực; hãy tải tệp lên lại.", "expired") from None
    except signing.BadSignature:
        raise ExcelError("Dữ liệu xác nhận không hợp lệ (đã bị sửa); hãy tải tệp lên lại.", "bad_payload") from None
    if (payload.get("kind") != kind or payload.get("form") != form.code or payload.get("user") != user.pk
            or payload.get("period") != period.code or payload.get("unit") != (unit.code if unit else "")):
        raise ExcelError("Dữ liệu xác nhận không thuộc trang này; hãy tải tệp lên lại.", "bad_payload")
    if payload.get("form_version") != form.version:
        raise ExcelError(f"Biểu {form.code} vừa được đổi sang phiên bản {form.version}; hãy tải mẫu mới.",
                         "form_version")
    return payload


def _rebuild(payload, spec, upload, current_by_unit):
    """Changes of the payload against the figures stored now; conflicts are refused."""
    rows = {row.code: row for row in spec.rows}
    labels = dict(_column_options(spec))
    conflicts = []
    for unit_code, row_code, option, revision, new in payload["changes"]:
        ref = CellRef(row_code, option)
        if row_code not in rows or (row_code, option) not in spec.options:
            raise ExcelError(f"Biểu {spec.form.code} không còn ô {ref}; hãy tải mẫu mới.", "unknown_cell")
        dv = current_by_unit[unit_code].get(ref)
        now = dv.revision if dv else 0
        label = labels.get(option, option)
        if now != revision:
            where = _where(row_code, rows[row_code].label, label, unit_code if upload.kind == KIND_FORM else None)
            if dv is not None:
                conflicts.append(f"Ô {where}: {ConflictError(dv)}")
            else:
                conflicts.append(f"Ô {where}: số liệu vừa bị người khác xóa; hãy xem lại trước khi lưu.")
            continue
        upload.changes.append(Change(unit_code, ref, "", rows[row_code].label, label, dv.value if dv else None,
                                     now, None if new is None else Decimal(new), dv.status if dv else ""))
    if conflicts:
        head = "Số liệu đã bị thay đổi sau khi bạn tải tệp lên nên không ô nào được lưu."
        tail = "Hãy tải mẫu mới (có số liệu mới nhất) và nhập lại."
        raise ExcelError(" ".join([head, *conflicts, tail]), "conflict", messages=[head, *conflicts, tail])


def _not_stored(errors):
    head = "Số liệu hiện tại cùng các thay đổi trong tệp có lỗi nên không ô nào được lưu:"
    return ExcelError(" ".join([head, *errors]), "invalid", messages=[head, *errors])


def _store(user, submission, spec, changes, filename):
    for change in changes:
        try:
            entry.save_cell(
                user, submission, change.ref.row, change.ref.option,
                None if change.new is None else _plain(change.new), spec=spec,
                expected_revision=change.old_revision, status=change.old_status or None,
                channel=Channel.EXCEL, source=_short(f"Tệp Excel: {filename}", 300), check_access=False,
            )
        except ConflictError as exc:
            raise ExcelError(f"Không ô nào được lưu: ô {change.ref} vừa bị thay đổi. {exc}", "conflict") from None


def confirm_submission_upload(user, submission, token) -> Upload:
    """Store the previewed changes of one submission, all in one transaction, or none."""
    form, unit, period = submission.form, submission.unit, submission.period
    payload = _load_payload(token, user, KIND_SUBMISSION, form, period, unit)
    spec = entry.form_spec(form)
    with transaction.atomic():
        submission = entry.submission_for(form, unit, period)
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        entry.ensure_editable(user, submission)
        upload = Upload(KIND_SUBMISSION, form, period, unit=unit, filename=payload.get("file", ""),
                        units={unit.code: unit})
        current = entry.current_values(submission, spec)
        _rebuild(payload, spec, upload, {unit.code: current})
        _review(upload, spec, unit, period, current, upload.changes, submission)
        if upload.errors:
            raise _not_stored(upload.errors)
        _store(user, submission, spec, upload.changes, upload.filename)
    return upload


def confirm_form_upload(user, form, period, token) -> Upload:
    """Store the previewed changes of many units, all in one transaction, or none.

    The caller has checked that ``user`` approves for the form's receiving unit (or is an
    admin); each unit's values go into that unit's submission, stored with check_access=False.
    """
    payload = _load_payload(token, user, KIND_FORM, form, period)
    spec = entry.form_spec(form)
    with transaction.atomic():
        upload = Upload(KIND_FORM, form, period, filename=payload.get("file", ""))
        submissions, current = {}, {}
        for unit_code in dict.fromkeys(c[0] for c in payload["changes"]):
            unit = ReportingUnit.objects.filter(code=unit_code).first()
            if unit is None or not assigned(form, unit, period):
                raise ExcelError(f"Đơn vị {unit_code} không còn được phân công báo cáo biểu {form.code}.",
                                 "not_assigned")
            submission = entry.submission_for(form, unit, period)
            submission = Submission.objects.select_for_update().get(pk=submission.pk)
            problem = _locked(submission)
            if problem:
                raise ExcelError(problem, "locked")
            upload.units[unit_code] = unit
            submissions[unit_code] = submission
            current[unit_code] = entry.current_values(submission, spec)
        _rebuild(payload, spec, upload, current)
        for unit_code, submission in submissions.items():
            changes = [c for c in upload.changes if c.unit_code == unit_code]
            _review(upload, spec, submission.unit, period, current[unit_code], changes, submission)
        if upload.errors:
            raise _not_stored(upload.errors)
        for unit_code, submission in submissions.items():
            _store(user, submission, spec, [c for c in upload.changes if c.unit_code == unit_code],
                   upload.filename)
    return upload


__all__ += ["assigned", "assigned_units", "check_file", "megabytes", "too_large"]
