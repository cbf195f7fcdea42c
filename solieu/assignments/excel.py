"""Task lists in Excel: the appendix tables of the ministry's reports, read and written.

The usual columns are TT, Nhiệm vụ, Kết quả yêu cầu, Thời gian hoàn thành, Cơ quan thực hiện,
Kết quả / ghi chú; columns are found by their heading, in any order, below any title rows,
and Cơ quan phối hợp, Lĩnh vực, Ngày hoàn thành are read when present. A task asking for
several results takes several rows: the rows below it with an empty Nhiệm vụ cell (merged
cells read that way) are its further results. A row with only a heading ("I. Lĩnh vực Bưu
chính") sets the sector of the rows below when it names one.

Reading stores nothing: `read_task_list` returns every task it would create and every error
with its row (and cell); `dump` signs the tasks for the confirm step and `confirm` creates all
of them in one transaction, or none. A task already in the system (same document, same
title) is skipped with a warning, so a list can be uploaded again with new tasks added.

The workbook helpers (file checks, formats) are those of the collection's Excel templates.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core import signing
from django.db import transaction
from django.utils import timezone

from solieu.catalog.models import ReportingUnit, Sector
from solieu.catalog.periods import _fold
from solieu.collection.excel import ExcelError, XLSX_CONTENT_TYPE, _broken, _Formats, _load, _workbook
from solieu.reports.renderers.xlsx import wrapped_lines
from solieu.vi import format_date, format_number
from solieu.vi.dates import DateParseError, parse_date

from . import changes
from .deadlines import Deadline, DeadlineError, describe, parse_deadline
from .models import Priority, SourceDocument, Task

__all__ = ["ExcelError", "XLSX_CONTENT_TYPE", "TaskUpload", "read_task_list", "dump", "confirm", "build_task_list"]

PAYLOAD_SALT = "solieu.assignments.excel.upload"
PAYLOAD_MAX_AGE = 2 * 3600
MAX_ROWS = 5000
MAX_COLUMNS = 60  # read no further: a declared A1:XFD1048576 must not pad every row to 16.384 cells
ORDER_MAX = 20     # Task.order
DEADLINE_MAX = 200  # RequiredResult.deadline_text
HEADER_SEARCH_ROWS = 20
SHEET_TITLE = "Nhiệm vụ"

# key, heading written on export, column width
COLUMNS = (
    ("order", "TT", 6),
    ("title", "Nhiệm vụ", 48),
    ("result", "Kết quả yêu cầu", 40),
    ("deadline", "Thời gian hoàn thành", 18),
    ("unit", "Cơ quan thực hiện", 26),
    ("cooperating", "Cơ quan phối hợp", 26),
    ("sector", "Lĩnh vực", 16),
    ("status", "Tình trạng", 20),
    ("done_on", "Ngày hoàn thành", 14),
    ("note", "Kết quả / ghi chú", 44),
)
HEADINGS = {key: heading for key, heading, _ in COLUMNS}
REQUIRED = ("title", "deadline", "unit")
ROMAN = set("IVXLC")


def column_key(heading) -> str | None:
    """Which column a heading names ("Cơ quan chủ trì" and "Đơn vị thực hiện" are the unit)."""
    text = _fold(str(heading or "")).strip(" .:")
    if not text:
        return None
    if text in ("tt", "stt", "so tt", "so thu tu"):
        return "order"
    rules = (
        ("done_on", ("ngay hoan thanh",)),
        ("result", ("yeu cau", "san pham", "ket qua du kien")),
        ("cooperating", ("phoi hop",)),
        ("unit", ("co quan", "don vi", "chu tri")),
        ("deadline", ("thoi gian", "thoi han", "tien do", "han hoan thanh")),
        ("status", ("tinh trang",)),
        ("sector", ("linh vuc",)),
        ("note", ("ghi chu", "ket qua")),
        ("title", ("nhiem vu", "noi dung")),
    )
    for key, words in rules:
        if any(word in text for word in words):
            return key
    return None


@dataclass
class ParsedResult:
    row: int
    description: str
    deadline: Deadline
    done_on: date | None = None
    note: str = ""

    @property
    def deadline_reading(self):
        return describe(self.deadline.kind, self.deadline.date)


@dataclass
class ParsedTask:
    row: int
    order: str
    title: str
    unit: ReportingUnit | None = None
    cooperating: list = field(default_factory=list)
    sector: Sector | None = None
    note: str = ""
    results: list = field(default_factory=list)
    duplicate_of: Task | None = None
    deadline_refused: bool = False


@dataclass
class TaskUpload:
    filename: str = ""
    document: dict = field(default_factory=dict)
    priority: str = Priority.NORMAL
    tasks: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    rows_read: int = 0

    @property
    def new_tasks(self):
        return [t for t in self.tasks if t.duplicate_of is None]

    @property
    def ok(self):
        return not self.errors

    @property
    def can_confirm(self):
        return self.ok and bool(self.new_tasks)

    @property
    def results_count(self):
        return sum(len(t.results) for t in self.new_tasks)


# --- looking up units and sectors by what people write ------------------------------------

def _strip_unit(text: str) -> str:
    folded = _fold(text).strip(" .;:")
    for prefix in ("chu tri:", "chu tri", "phoi hop:"):
        if folded.startswith(prefix):
            folded = folded[len(prefix):].strip()
    return folded


class UnitIndex:
    """Units by code, name and short name (folded), chosen among those valid on `day`."""

    def __init__(self, day: date):
        self.day = day
        self.names: dict[str, list[ReportingUnit]] = {}
        for unit in ReportingUnit.objects.all():
            for name in {unit.code, unit.name, unit.short_name}:
                if name:
                    self.names.setdefault(_fold(name), []).append(unit)

    def find(self, text: str) -> tuple[ReportingUnit | None, str]:
        """(unit, "") or (None, the reason in Vietnamese)."""
        candidates = self.names.get(_strip_unit(text), [])
        if not candidates:
            return None, (f'không có cơ quan "{text}" trong danh mục đơn vị; hãy ghi đúng tên, tên viết tắt '
                          "hoặc mã đơn vị")
        valid = {u.pk: u for u in candidates if u.is_valid_on(self.day)}
        if len(valid) == 1:
            return next(iter(valid.values())), ""
        if len(valid) > 1:
            codes = ", ".join(sorted(u.code for u in valid.values()))
            return None, f'tên "{text}" ứng với nhiều đơn vị ({codes}); hãy ghi mã đơn vị'
        ends = sorted({format_date(u.valid_to) for u in candidates if u.valid_to})
        ended = f" (hết hiệu lực ngày {', '.join(ends)})" if ends else ""
        return None, (f'cơ quan "{text}" không còn hoặc chưa có hiệu lực vào ngày {format_date(self.day)}{ended}; '
                      "hãy ghi đơn vị đang thực hiện nhiệm vụ")


def find_sector(text: str) -> Sector | None:
    folded = _fold(text).strip(" .:")
    folded = folded.removeprefix("linh vuc ").strip()
    for sector in Sector.objects.all():
        if folded in (_fold(sector.name), sector.code):
            return sector
    return None


def _split_units(text: str) -> list[str]:
    parts = []
    for line in str(text).replace(";", "\n").splitlines():
        if line.strip(" ,.-+"):
            parts.append(line.strip(" ,.-+"))
    return parts


# --- reading ---------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _cell(col: int, row: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row - 1, col)


def _find_header(sheet, errors):
    """(row number, {key: column index}, rows) of the first row naming the required columns.

    A formula is an error of its cell: its text is not what the user saw, and must not become
    a task's title.
    """
    rows = []
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > MAX_ROWS:
            raise ExcelError(f"Bảng có hơn {format_number(MAX_ROWS)} dòng; hãy chia thành nhiều tệp.", "too_many_rows")
        rows.append((number, tuple(getattr(cell, "value", None) for cell in cells)))
        errors.extend(f"Dòng {number}, ô {cell.coordinate}: ô chứa công thức {_short(str(cell.value), 50)}; hãy "
                      "dán giá trị (Paste Special > Values) thay cho công thức." for cell in cells
                      if getattr(cell, "data_type", None) == "f")
    for number, values in rows[:HEADER_SEARCH_ROWS]:
        columns = {}
        for index, value in enumerate(values):
            key = column_key(value)
            if key and key not in columns:
                columns[key] = index
        if all(key in columns for key in REQUIRED):
            return number, columns, rows
    return None, {}, rows


def _is_heading(order: str, title: str, values: dict) -> bool:
    if any(values.get(k) for k in ("result", "deadline", "unit", "cooperating", "done_on", "note")):
        return False
    token = order.strip(" .").upper()
    return bool(title) and (not token or set(token) <= ROMAN or (len(token) == 1 and token.isalpha()))


def _done_on(value, where: str, errors: list, today: date) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = parse_date(_text(value))
        except DateParseError as exc:
            errors.append(f"{where}: {exc.message}")
            return None
    if day > today:
        errors.append(f"{where}: ngày hoàn thành {format_date(day)} sau hôm nay.")
        return None
    return day


def read_task_list(data: bytes, *, filename="", document: dict | None = None, sector: Sector | None = None,
                   priority=Priority.NORMAL, today: date | None = None) -> TaskUpload:
    """Everything the file would create, with its errors by row; nothing is stored.

    `document` is the source document as entered on the upload page (kind, number, issued_on
    as a date, issuer, title): its year completes deadlines written without one, and the units
    are those in office on its date (today when it has none).
    """
    today = today or timezone.localdate()
    document = document or {}
    issued_on = document.get("issued_on")
    year = issued_on.year if issued_on else None
    upload = TaskUpload(filename=filename, document=document, priority=priority)
    workbook = _load(data, filename)
    try:
        sheet = next((s for s in workbook.worksheets if getattr(s, "sheet_state", "visible") == "visible"), None)
        header, columns, rows = _find_header(sheet, upload.errors) if sheet is not None else (None, {}, [])
    except ExcelError:
        raise
    except Exception:  # read-only mode parses the sheet here, not in load_workbook
        raise _broken(filename) from None
    finally:
        workbook.close()
    if header is None:
        raise ExcelError(
            "Không tìm thấy dòng tiêu đề của bảng nhiệm vụ trong 20 dòng đầu của trang tính đầu tiên: bảng phải có "
            'các cột "Nhiệm vụ", "Thời gian hoàn thành" và "Cơ quan thực hiện" (và thường có "TT", "Kết quả yêu '
            'cầu", "Kết quả / ghi chú").', "no_header")
    units = UnitIndex(issued_on or today)
    errors = upload.errors
    current_sector = sector
    task = None
    for number, values in rows[header:]:
        cells = {key: values[index] if index < len(values) else None for key, index in columns.items()}
        text = {key: _text(value) for key, value in cells.items()}
        if not any(text.values()):
            continue
        upload.rows_read += 1
        order, title = text.get("order", ""), text.get("title", "")
        where = f"Dòng {number}"
        if _is_heading(order, title, text):
            found = find_sector(title)
            current_sector = found or current_sector
            if found is None and not order:
                upload.warnings.append(f'{where}: "{_short(title)}" chỉ có tên, không có cơ quan và thời hạn nên được '
                                       "coi là dòng tiêu đề nhóm, không nhập thành nhiệm vụ.")
            task = None
            continue
        if title:
            task = ParsedTask(number, order, title, sector=current_sector)
            upload.tasks.append(task)
            if len(order) > ORDER_MAX:
                errors.append(f'{where}, ô {_cell(columns["order"], number)}: số thứ tự "{_short(order, 30)}" dài '
                              f"quá {ORDER_MAX} ký tự.")
            _read_units(task, text, columns, number, units, errors)
            if text.get("sector"):
                found = find_sector(text["sector"])
                if found is None:
                    errors.append(f'{where}, ô {_cell(columns["sector"], number)}: không có lĩnh vực '
                                  f'"{text["sector"]}" trong danh mục.')
                task.sector = found or task.sector
        elif task is None:
            errors.append(f'{where}: chưa ghi tên nhiệm vụ (cột {_column_letter(columns["title"])} '
                          f'"{HEADINGS["title"]}") và không có nhiệm vụ nào ở trên để ghi thêm kết quả.')
            continue
        elif text.get("unit") and task.unit is not None:
            found, _ = units.find(_split_units(text["unit"])[0])
            if found is not None and found != task.unit:
                errors.append(f"{where}: kết quả thuộc nhiệm vụ ở dòng {task.row} nhưng ghi cơ quan thực hiện "
                              f'"{text["unit"]}" khác với cơ quan của nhiệm vụ ({task.unit}).')
        if text.get("result") or text.get("deadline"):
            _read_result(task, cells, text, columns, number, year, errors, today, upload.warnings)
        elif title:
            task.note = text.get("note", "")
        else:
            errors.append(f"{where}: dòng có nội dung nhưng không ghi kết quả yêu cầu hay thời gian hoàn thành.")
    for task in upload.tasks:
        if not task.results and not task.deadline_refused:
            errors.append(f'Dòng {task.row}: nhiệm vụ "{_short(task.title)}" chưa ghi thời gian hoàn thành (cột '
                          f'{_column_letter(columns["deadline"])} "{HEADINGS["deadline"]}").')
    if not upload.tasks and not errors:
        errors.append("Bảng không có nhiệm vụ nào dưới dòng tiêu đề.")
    _mark_duplicates(upload)
    errors.sort(key=_row_of)
    return upload


def _row_of(message: str) -> int:
    head = message.split(":", 1)[0].split(",")[0]
    digits = "".join(ch for ch in head if ch.isdigit())
    return int(digits) if digits else 0


def _column_letter(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _read_units(task, text, columns, number, units, errors):
    names = _split_units(text.get("unit", ""))
    where = f"Dòng {number}"
    if not names:
        errors.append(f'{where}: nhiệm vụ "{_short(task.title)}" chưa ghi cơ quan thực hiện (cột '
                      f'{_column_letter(columns["unit"])} "{HEADINGS["unit"]}").')
    for i, name in enumerate(names):
        unit, reason = units.find(name)
        if unit is None:
            errors.append(f'{where}, ô {_cell(columns["unit"], number)}: {reason}.')
        elif i == 0:
            task.unit = unit
        elif unit not in task.cooperating and unit != task.unit:
            task.cooperating.append(unit)
    for name in _split_units(text.get("cooperating", "")):
        unit, reason = units.find(name)
        if unit is None:
            errors.append(f'{where}, ô {_cell(columns["cooperating"], number)}: {reason}.')
        elif unit not in task.cooperating and unit != task.unit:
            task.cooperating.append(unit)


def _read_result(task, cells, text, columns, number, year, errors, today, warnings):
    where = f"Dòng {number}"
    raw = cells.get("deadline")
    if raw in (None, ""):
        errors.append(f'{where}: chưa ghi thời gian hoàn thành (cột {_column_letter(columns["deadline"])} '
                      f'"{HEADINGS["deadline"]}").')
        return
    try:
        deadline = parse_deadline(raw.date() if isinstance(raw, datetime) else raw, year)
    except DeadlineError as exc:
        errors.append(f'{where}, ô {_cell(columns["deadline"], number)} "{HEADINGS["deadline"]}": {exc.message}')
        task.deadline_refused = True
        return
    if len(deadline.text) > DEADLINE_MAX:
        errors.append(f'{where}, ô {_cell(columns["deadline"], number)} "{HEADINGS["deadline"]}": dài '
                      f"{format_number(len(deadline.text))} ký tự, tối đa {DEADLINE_MAX} ký tự.")
        task.deadline_refused = True
        return
    done_on = None
    if "done_on" in columns:
        done_on = _done_on(cells.get("done_on"), f'{where}, ô {_cell(columns["done_on"], number)}', errors, today)
    note = text.get("note", "")
    if done_on is None and _fold(note).startswith("da hoan thanh"):
        warnings.append(f'{where}: ghi "đã hoàn thành" nhưng không có ngày hoàn thành; kết quả được nhập là chưa '
                        "hoàn thành, đơn vị cập nhật ngày hoàn thành sau.")
    if deadline.date is None and deadline.kind == "event":
        warnings.append(f'{where}: thời hạn "{deadline.text}" là sự kiện chưa có ngày; kết quả không được tính vào '
                        "số nhiệm vụ đến hạn cho đến khi có ngày.")
    task.results.append(ParsedResult(number, text.get("result", ""), deadline, done_on, note))


def _same_title(a: str, b: str) -> bool:
    return _fold(a) == _fold(b)


def _mark_duplicates(upload: TaskUpload):
    doc = upload.document
    existing = Task.objects.filter(cancelled_on__isnull=True)
    if doc.get("number"):
        existing = existing.filter(document__number=doc["number"], document__kind=doc.get("kind", ""))
    else:
        existing = existing.filter(document__isnull=True) if not doc.get("title") else existing.filter(
            document__title=doc["title"])
    known = list(existing.only("id", "title", "responsible_unit_id"))
    for task in upload.tasks:
        task.duplicate_of = next((t for t in known if _same_title(t.title, task.title)
                                  and (task.unit is None or t.responsible_unit_id == task.unit.pk)), None)
        if task.duplicate_of is not None:
            upload.warnings.append(f'Dòng {task.row}: nhiệm vụ "{_short(task.title)}" đã có trong hệ thống '
                                   f"(mã {task.duplicate_of.pk}); bỏ qua, không nhập lại.")


# --- confirming ------------------------------------------------------------------------------

def dump(upload: TaskUpload, user) -> str:
    """The tasks of a previewed upload, signed, for the hidden field of the confirm form."""
    doc = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in upload.document.items()}
    tasks = [{
        "row": t.row, "order": t.order, "title": t.title, "unit": t.unit.pk,
        "coop": [u.pk for u in t.cooperating], "sector": t.sector.pk if t.sector else None, "note": t.note,
        "results": [[r.description, r.deadline.kind, r.deadline.date.isoformat() if r.deadline.date else None,
                     r.deadline.text, r.done_on.isoformat() if r.done_on else None, r.note] for r in t.results],
    } for t in upload.new_tasks]
    return signing.dumps({"v": 1, "user": user.pk, "file": upload.filename, "document": doc, "tasks": tasks,
                          "priority": upload.priority}, salt=PAYLOAD_SALT, compress=True)


def _document(doc: dict) -> SourceDocument | None:
    issued_on = date.fromisoformat(doc["issued_on"]) if doc.get("issued_on") else None
    if not (doc.get("number") or doc.get("title")):
        return None
    fields = {"kind": doc.get("kind") or SourceDocument.Kind.OTHER, "number": doc.get("number", ""),
              "issued_on": issued_on}
    found = SourceDocument.objects.filter(**fields).first() if fields["number"] else None
    return found or SourceDocument.objects.create(**fields, issuer=doc.get("issuer", ""),
                                                  title=doc.get("title", ""))


def confirm(user, token) -> tuple[list, TaskUpload]:
    """Create the previewed tasks, all in one transaction, or none; returns (tasks, upload)."""
    try:
        payload = signing.loads(token or "", salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.SignatureExpired:
        raise ExcelError("Phiên xem trước đã quá 2 giờ nên hết hiệu lực; hãy tải tệp lên lại.", "expired") from None
    except signing.BadSignature:
        raise ExcelError("Dữ liệu xác nhận không hợp lệ (đã bị sửa); hãy tải tệp lên lại.", "bad_payload") from None
    if payload.get("user") != user.pk:
        raise ExcelError("Dữ liệu xác nhận thuộc người dùng khác; hãy tải tệp lên lại.", "bad_payload")
    upload = TaskUpload(filename=payload.get("file", ""), document=payload["document"],
                        priority=payload.get("priority") or Priority.NORMAL)
    unit_ids = {t["unit"] for t in payload["tasks"]} | {u for t in payload["tasks"] for u in t["coop"]}
    units = ReportingUnit.objects.in_bulk(unit_ids)
    sectors = Sector.objects.in_bulk({t["sector"] for t in payload["tasks"] if t["sector"]})
    missing = sorted(unit_ids - set(units))
    if missing:
        raise ExcelError("Có đơn vị vừa bị xóa khỏi danh mục nên không nhiệm vụ nào được nhập; hãy tải tệp lên "
                         "lại.", "unknown_unit")
    created = []
    source = f"Tệp Excel: {upload.filename}"[:200]
    with transaction.atomic():
        document = _document(payload["document"])
        for item in payload["tasks"]:
            results = [(description, Deadline(kind, date.fromisoformat(day) if day else None, text),
                        date.fromisoformat(done) if done else None, note)
                       for description, kind, day, text, done, note in item["results"]]
            task = changes.create_task(
                user, title=item["title"], responsible_unit=units[item["unit"]], results=results, document=document,
                order=item["order"], sector=sectors.get(item["sector"]), cooperating=[units[u] for u in item["coop"]],
                priority=upload.priority, note=item["note"], source=source)
            created.append(task)
    return created, upload


# --- writing ---------------------------------------------------------------------------------

def _result_note(result) -> str:
    return "; ".join(x for x in (result.evidence, result.evidence_link) if x)


def _put(sheet, row, col, text, fmt):
    """A text cell; an empty one stays blank (with its border), not an empty string."""
    if text:
        sheet.write_string(row, col, text, fmt)
    else:
        sheet.write_blank(row, col, None, fmt)


WIDTHS = {key: width for key, _, width in COLUMNS}
LINE_HEIGHT = 16    # points per line of the 12 pt Times New Roman of these sheets


def _fit_heights(sheet, first, task_cells, rows):
    """Rows tall enough for their wrapped text; a task's merged cells spread over its result rows."""
    lines = [max(wrapped_lines(text, WIDTHS[key]) for key, text in values.items()) for values in rows]
    task_lines = max(wrapped_lines(text, WIDTHS[key]) for key, text in task_cells.items())
    lines[-1] += max(task_lines - sum(lines), 0)
    for offset, n in enumerate(lines):
        if n > 1:
            sheet.set_row(first + offset, LINE_HEIGHT * n)


def build_task_list(tasks, day: date | None = None, title="") -> bytes:
    """The tasks in the appendix layout, one row per required result, the task's cells merged."""
    day = day or timezone.localdate()
    buffer = io.BytesIO()
    workbook = _workbook(buffer, title or "Danh sách nhiệm vụ")
    f = _Formats(workbook)
    wrap = workbook.add_format({**f.base, "border": 1, "text_wrap": True, "valign": "top"})
    center = workbook.add_format({**f.base, "border": 1, "align": "center", "valign": "top", "text_wrap": True})
    sheet = workbook.add_worksheet(SHEET_TITLE)
    sheet.write_string(0, 0, (title or "DANH SÁCH NHIỆM VỤ").upper(), f.title)
    sheet.merge_range(1, 0, 1, len(COLUMNS) - 1, f"Tình hình thực hiện tính đến ngày {format_date(day)}", f.note)
    header = 3
    for col, (_, heading, width) in enumerate(COLUMNS):
        sheet.write_string(header, col, heading, f.header)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(header + 1, 0)
    row = header + 1
    for n, task in enumerate(tasks, start=1):
        results = list(task.results.all()) or [None]
        state = task.state_on(day)
        task_cells = {
            "order": task.order or str(n), "title": task.title, "unit": task.responsible_unit.name,
            "cooperating": "; ".join(u.name for u in task.cooperating_units.all()),
            "sector": task.sector.name if task.sector_id else "",
        }
        rows = [{
            "result": result.description if result else "", "deadline": result.deadline_text if result else "",
            "status": (result.state_on(day) if result else state).label,
            "done_on": format_date(result.done_on) if result else "",
            "note": "; ".join(x for x in ((task.note if i == 0 else ""), _result_note(result) if result else "") if x),
        } for i, result in enumerate(results)]
        _fit_heights(sheet, row, task_cells, rows)
        for i, values in enumerate(rows):
            for col, (key, _, _) in enumerate(COLUMNS):
                if key in task_cells:
                    if i == 0 and len(rows) > 1:
                        sheet.merge_range(row, col, row + len(rows) - 1, col, task_cells[key],
                                          center if key == "order" else wrap)
                    elif len(rows) == 1:
                        _put(sheet, row, col, task_cells[key], center if key == "order" else wrap)
                else:
                    _put(sheet, row, col, values[key], center if key in ("done_on", "deadline") else wrap)
            row += 1
    sheet.autofilter(header, 0, max(row - 1, header), len(COLUMNS) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header)
    workbook.close()
    return buffer.getvalue()
