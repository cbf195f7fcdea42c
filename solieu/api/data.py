"""Figures over the API: /api/data/values (JSON, CSV) and the import engine shared with the
DHIS2-compatible /api/dataValueSets (dhis2.py).

Every value is checked as entry.save_cell checks it, with channel API (or DHIS2), so the caller's
scope, the submission's locks and the cell checks of the web grid apply unchanged; the accepted
values are written together (collection.bulk), deletions one by one through entry.save_cell.
A value is written into the form a unit was assigned: the form is found through the indicator's row on the forms
assigned to the unit whose period type is the value's (form_for).

Atomicity (both endpoints): by default each value stands alone, DHIS2-style: good values are
stored, bad ones are listed in `conflicts` and counted as ignored. With ``atomic=true`` it is
all or nothing: one conflict and nothing is stored (status ERROR). ``dryRun=true`` runs every
check and every write, then rolls back: the summary says what would have happened.

Numbers: a JSON number is read exactly as written ("1.5" never goes through a float). A string
is read the Vietnamese way by entry.parse_cell ("1.234,5"; "1.234" is 1234 as on the web grid);
the DHIS2 endpoint reads a plain machine decimal ("1234.5", "1.234") as DHIS2 writes them.
Exports write plain decimals with "." that both readings give back unchanged (a value with
exactly three decimals gets a trailing zero: 1.234 is written "1.2340").

Limits against hostile input: 5 MB of body (413), 50.000 values per request and 20 levels of
JSON nesting (400), all with Vietnamese messages.
"""

import csv
import gc
import io
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from solieu.catalog import periods
from solieu.catalog.models import (
    DisaggregationOption, Form, FormAssignment, FormRow, Indicator, Period, ReportingUnit,
)
from solieu.collection import bulk, entry
from solieu.collection.models import Channel, DataValue, Submission, ValueStatus
from solieu.collection.values import ConflictError, Key
from solieu.exports import safe_row
from solieu.vi import NumberParseError, format_number, parse_number

from .auth import UnitScope

router = Router(tags=["Số liệu"])

TOTAL = DisaggregationOption.TOTAL_CODE
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_VALUES = 50_000
MAX_JSON_DEPTH = 20
# DataValue.value is DecimalField(24, 6): 18 digits before the comma.
MAX_ABS_VALUE = Decimal(10) ** 18

STRATEGIES = ("CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE")
STATUS_CHOICES = {s.value for s in ValueStatus}
CSV_TYPES = ("text/csv", "application/csv", "text/plain")
NATIVE_CSV_COLUMNS = ["indicator", "option", "unit", "period", "value", "status", "comment"]


# ---------------------------------------------------------------------------------------------
# Reading the request body, with limits
# ---------------------------------------------------------------------------------------------


def max_body_bytes():
    return getattr(settings, "SOLIEU_API_MAX_BODY", MAX_BODY_BYTES)


def too_big_message(size=None):
    limit = max_body_bytes()
    got = f" ({format_number(size)} byte)" if size else ""
    return (f"Dữ liệu gửi lên quá lớn{got}: mỗi lần gửi tối đa {format_number(limit // (1024 * 1024))} MB "
            f"({format_number(limit)} byte). Hãy chia thành nhiều lần gửi.")


def too_many_message(count):
    more = f"{format_number(count)}" if count <= MAX_VALUES + 1 else f"hơn {format_number(MAX_VALUES)}"
    return (f"Mỗi lần gửi tối đa {format_number(MAX_VALUES)} giá trị; yêu cầu này có {more} giá trị. "
            "Hãy chia thành nhiều lần gửi.")


def read_body(request) -> bytes:
    """The raw body, refused with 413 above the limit.

    Read from the stream rather than request.body, so that the API's limit (5 MB) applies
    instead of DATA_UPLOAD_MAX_MEMORY_SIZE, and a lying Content-Length cannot make us read more.
    """
    limit = max_body_bytes()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise HttpError(400, "Tiêu đề Content-Length không hợp lệ.")
    if length > limit:
        raise HttpError(413, too_big_message(length))
    data = request.read(limit + 1)
    if len(data) > limit:
        raise HttpError(413, too_big_message())
    if not data.strip():
        raise HttpError(400, "Không có dữ liệu: nội dung yêu cầu đang trống.")
    return data


def body_format(request, fmt=None):
    """"json" or "csv", from ?format= or else the Content-Type."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in ("json", "csv"):
            raise HttpError(400, f'Tham số format="{fmt}" không hợp lệ; dùng "json" hoặc "csv".')
        return fmt
    content_type = (request.content_type or "").lower()
    if content_type in CSV_TYPES:
        return "csv"
    if content_type in ("", "application/json") or content_type.endswith("+json"):
        return "json"
    raise HttpError(415, f'Không hỗ trợ kiểu dữ liệu "{content_type}"; hãy gửi application/json hoặc text/csv.')


def decode_text(request, data: bytes) -> str:
    charset = (getattr(request, "content_params", None) or {}).get("charset") or "utf-8"
    if charset.lower().replace("_", "-") in ("utf-8", "utf8"):
        charset = "utf-8-sig"
    try:
        text = data.decode(charset)
        if "\x00" in text:  # binary, or UTF-16 sent without its charset; PostgreSQL stores no NUL
            raise HttpError(400, f"Dữ liệu có ký tự NUL (mã 0) ở ký tự thứ {format_number(text.index(chr(0)) + 1)}: "
                                 "đây không phải là văn bản JSON hoặc CSV; hãy lưu tệp với mã hóa UTF-8.")
        return text
    except LookupError:
        raise HttpError(415, f'Không hỗ trợ bảng mã "{charset}"; hãy gửi dữ liệu mã hóa UTF-8.')
    except UnicodeDecodeError as exc:
        raise HttpError(400, f"Dữ liệu không đúng bảng mã {charset.replace('-sig', '').upper()} "
                             f"(byte thứ {format_number(exc.start + 1)}); hãy lưu tệp với mã hóa UTF-8.")


class NumberText(str):
    """A JSON number kept as the text it was written as (no float on the way)."""


class ConstantText(str):
    """NaN, Infinity or -Infinity written bare in JSON (Python's json accepts them)."""


# A JSON string, written as "unrolled loop" (runs of plain characters, then one escape):
# the same strings as '"(?:[^"\\]|\\.)*"', about ten times faster on a 5 MB body.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth_ok(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if len(brackets) <= limit:
        return True
    depth = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            if depth > limit:
                return False
        else:
            depth -= 1
    return True


def load_json(text: str):
    if not json_depth_ok(text):
        raise HttpError(400, f"Dữ liệu JSON lồng nhau quá sâu (tối đa {MAX_JSON_DEPTH} cấp).")
    try:
        data = json.loads(text, parse_float=NumberText, parse_int=NumberText, parse_constant=ConstantText)
    except json.JSONDecodeError as exc:
        raise HttpError(400, f"Dữ liệu JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}.")
    except RecursionError:
        raise HttpError(400, f"Dữ liệu JSON lồng nhau quá sâu (tối đa {MAX_JSON_DEPTH} cấp).")
    if "\\u" in text or _UNSTORABLE.search(text):  # else no string of `data` can hold one
        _check_strings(data)
    return data


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _check_strings(node):
    """Escapes can spell what no database stores: "\\u0000" (PostgreSQL) and a lone half of a
    UTF-16 pair such as "\\ud800" (not UTF-8 at all). Refused here rather than as a 500 later."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_strings(key)
            _check_strings(value)
    elif isinstance(node, list):
        for value in node:
            _check_strings(value)
    elif isinstance(node, str) and (found := _UNSTORABLE.search(node)):
        char = found.group()
        raise HttpError(400, f'Dữ liệu JSON có chuỗi chứa ký tự không lưu được ("\\u{ord(char):04x}": '
                             f'{"ký tự NUL" if char == chr(0) else "nửa cặp mã UTF-16 đứng riêng"}); '
                             "hãy bỏ ký tự này rồi gửi lại.")


def read_csv(text: str, columns: list[str], *, required: list[str], aliases=None, header_optional=False):
    """Rows of a CSV as dicts keyed by `columns` names; stops with 400 past MAX_VALUES rows."""
    aliases = aliases or {}
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        header = next(reader, None)
        if header is None:
            raise HttpError(400, "Không có dữ liệu: tệp CSV đang trống.")
        names = [aliases.get(h.strip().lower(), h.strip().lower()) for h in header]
        if any(n in columns for n in names):
            missing = [c for c in required if c not in names]
            if missing:
                raise HttpError(400, "Tệp CSV thiếu cột: " + ", ".join(missing)
                                + ". Dòng tiêu đề cần có: " + ",".join(columns) + ".")
            pending = []
        elif header_optional:
            names, pending = columns, [header]
        else:
            raise HttpError(400, "Tệp CSV phải có dòng tiêu đề: " + ",".join(columns) + ".")
        for row in pending + [r for r in _limited(reader)]:
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= MAX_VALUES:
                raise HttpError(400, too_many_message(MAX_VALUES + 1))
            rows.append({n: (row[i] if i < len(row) else None) for i, n in enumerate(names) if n in columns})
    except csv.Error as exc:
        raise HttpError(400, f"Tệp CSV không hợp lệ ở dòng {format_number(reader.line_num)}: {_csv_reason(exc)}")
    return rows


def _limited(reader):
    for n, row in enumerate(reader):
        if n > MAX_VALUES + 10_000:  # blank lines too are not free
            raise HttpError(400, too_many_message(MAX_VALUES + 1))
        yield row


def _csv_reason(exc):
    text = str(exc)
    if "field larger than field limit" in text:
        return "một ô quá dài."
    return "sai cấu trúc (dấu ngoặc kép hoặc dấu phân cách)."


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

_MACHINE_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_SHORT = 28  # solieu.vi.numbers.MAX_DIGITS: a shorter text has no more significant digits


class ValueRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def read_number(raw, *, machine_strings=False) -> Decimal | None:
    """A Decimal from what the caller sent, None for an empty value; ValueRefused otherwise."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueRefused("Giá trị phải là một số hoặc chuỗi số, không phải true/false.")
    if type(raw) is NumberText and len(raw) <= _SHORT and _MACHINE_DECIMAL.fullmatch(raw):
        value = Decimal(raw)  # what parse_number(prefer="en") reads it as, without its steps
    elif isinstance(raw, (NumberText, ConstantText)):
        try:
            value = parse_number(str(raw), prefer="en")
        except NumberParseError as exc:
            raise ValueRefused(exc.message)
    elif isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        try:
            if machine_strings and _MACHINE_DECIMAL.fullmatch(text):
                # A plain machine decimal: parse_number(prefer="en") reads the one "." as the
                # decimal point and refuses only more than MAX_DIGITS digits, which a text of
                # at most _SHORT characters cannot have. Decimal() is 20 times faster.
                value = Decimal(text) if len(text) <= _SHORT else parse_number(text, prefer="en")
            else:
                value = entry.parse_cell(text)
        except NumberParseError as exc:
            raise ValueRefused(exc.message)
        except entry.EntryError as exc:
            raise ValueRefused(exc.message)
    elif isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    else:
        raise ValueRefused("Giá trị phải là một số hoặc chuỗi số.")
    if not value.is_finite():
        raise ValueRefused(f"Không đọc được số {raw}: không chấp nhận giá trị NaN hay vô cực (Infinity).")
    if value.is_zero():
        value = Decimal(0)  # -0 is 0
    if abs(value) >= MAX_ABS_VALUE:
        raise ValueRefused(f"Giá trị {format_number(value)} vượt quá giới hạn lưu trữ "
                           "(tối đa 18 chữ số ở phần nguyên).")
    return value


def plain_number(value: Decimal) -> str:
    """'1234.5', '1.2340' (three decimals padded so that no reader takes the dot for grouping)."""
    if value.is_zero():
        return "0"
    text = format(value.normalize(), "f")
    if "." in text and len(text.split(".")[1]) == 3:
        text += "0"
    return text


# ---------------------------------------------------------------------------------------------
# The import engine
# ---------------------------------------------------------------------------------------------


@dataclass
class Item:
    """One value as sent, before anything is looked up."""

    index: int
    indicator: object = None
    option: object = None
    unit: object = None
    period: object = None
    value: object = None
    status: object = None
    comment: object = None
    deleted: bool = False
    attribute: object = None
    form: object = None  # a form code (DHIS2 dataSet)
    malformed: str = ""  # the structure is wrong: reported as a conflict, never looked up


class Conflict(Exception):
    def __init__(self, obj, message):
        super().__init__(message)
        self.object = "" if obj is None else str(obj)
        self.message = message


@dataclass
class Summary:
    strategy: str
    dry_run: bool
    atomic: bool
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    total: int = 0
    conflicts: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    rolled_back: bool = False
    unchanged: int = 0  # ignored because already as sent (part of `ignored`)
    note: str = ""  # replaces the description when the whole request failed

    def conflict(self, item, obj, message):
        self.conflicts.append({"object": obj, "value": message, "indexes": [item.index]})

    @property
    def status(self):
        if not self.conflicts:
            return "SUCCESS"
        if self.rolled_back or not (self.imported + self.updated + self.deleted + self.unchanged):
            return "ERROR"
        return "WARNING"

    def description(self):
        if self.note:
            return self.note
        counts = (f"{format_number(self.imported)} tạo mới, {format_number(self.updated)} cập nhật, "
                  f"{format_number(self.deleted)} xóa, {format_number(self.ignored)} bỏ qua")
        prefix = "Chạy thử (dryRun=true), không lưu gì. " if self.dry_run else ""
        if self.rolled_back:
            return (f"{prefix}Không lưu giá trị nào: có {format_number(len(self.conflicts))} xung đột và "
                    "atomic=true (tất cả hoặc không). Hãy sửa các xung đột rồi gửi lại.")
        text = f"{prefix}Đã xử lý {format_number(self.total)} giá trị: {counts}."
        if self.conflicts:
            text += f" Có {format_number(len(self.conflicts))} xung đột, xem danh sách conflicts."
        return text

    def as_dict(self):
        return {
            "responseType": "ImportSummary",
            "status": self.status,
            "description": self.description(),
            "importCount": {"imported": self.imported, "updated": self.updated, "ignored": self.ignored,
                            "deleted": self.deleted},
            "conflicts": self.conflicts,
            "warnings": self.warnings,
            "dryRun": self.dry_run,
            "importOptions": {"importStrategy": self.strategy, "dryRun": self.dry_run, "atomic": self.atomic},
        }

    def response(self):
        body = json.dumps(self.as_dict(), ensure_ascii=False)
        return HttpResponse(body, status=409 if self.status == "ERROR" else 200,
                            content_type="application/json; charset=utf-8")


def _text(raw):
    if type(raw) is str:
        return raw.strip()
    if raw is None:
        return ""
    return str(raw).strip() if isinstance(raw, (str, int, Decimal)) and not isinstance(raw, bool) else None


@contextmanager
def no_cycle_collection():
    """Python's cycle collector paused for an import, then as it was.

    Why: an import keeps its values' objects (items, cells, rows) alive until it ends, and
    every full collection walks all of them again: measured on 100.000 values, 42% of the
    import's CPU went there (issue 8). Reference counting still frees everything that is not
    a cycle; cycles made meanwhile, by this or another thread, are collected after. Nested
    or concurrent imports leave the collector on only when the one that paused it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Importer:
    """Resolves codes (with caches), checks scope, and writes the values through collection.bulk
    (entry.save_cell's checks, one bulk write per BULK_SIZE values); deletions go through
    entry.save_cell. `use_bulk = False` writes every value through entry.save_cell (the reference
    the benchmark compares with).

    Per value, the bulk path does only what differs from value to value (issue 8: ~30.000 values
    a request): codes, scope, form choice (place) and lock verdicts are looked up once per
    distinct code, unit, assignment and report state, and reused."""

    use_bulk = True
    BULK_SIZE = 20_000
    PREFETCH_PERIODS = 100

    def __init__(self, principal, *, channel, strategy="CREATE_AND_UPDATE", dry_run=False, atomic=False,
                 machine_strings=False, default_form=None):
        self.principal = principal
        self.channel = channel
        self.strategy = strategy
        self.dry_run = dry_run
        self.atomic = atomic
        self.machine_strings = machine_strings
        self.default_form = default_form
        self._indicators, self._units, self._periods, self._stored_periods = {}, {}, {}, {}
        self._assignments, self._form_rows, self._specs, self._submissions, self._started = {}, {}, {}, {}, {}
        self._existing, self._editable, self._unlocked = {}, {}, {}
        # Per request, for the values after the first of their kind (issue 8: ~30.000 values a
        # request, a few hundred distinct codes): raw code text -> what the lookups gave.
        self._by_raw = {"indicator": {}, "unit": {}, "period": {}, "option": {}}
        self._writable, self._row_specs, self._form_specs = {}, {}, {}
        self._choices, self._choices_shared = {}, {}  # see place()
        self._pending = []  # checked values waiting for one bulk write (collection.bulk)
        self._prefetched, self._new_submissions = False, []

    # --- lookups -------------------------------------------------------------------------

    def indicator(self, code):
        code = _text(code)
        if code is None:
            raise Conflict("", "Mã chỉ tiêu phải là chuỗi ký tự.")
        if not code:
            raise Conflict(code, "Thiếu mã chỉ tiêu.")
        if code not in self._indicators:
            self._indicators[code] = Indicator.objects.filter(code=code).first()
        if self._indicators[code] is None:
            raise Conflict(code, f'Không có chỉ tiêu mã "{code}" trong danh mục.')
        return self._indicators[code]

    def unit(self, code):
        code = _text(code)
        if code is None:
            raise Conflict("", "Mã đơn vị báo cáo phải là chuỗi ký tự.")
        if not code:
            raise Conflict(code, "Thiếu mã đơn vị báo cáo.")
        if code not in self._units:
            self._units[code] = ReportingUnit.objects.filter(code=code).first()
        if self._units[code] is None:
            raise Conflict(code, f'Không có đơn vị báo cáo mã "{code}" trong danh mục.')
        return self._units[code]

    def period(self, code):
        code = _text(code)
        if code is None:
            raise Conflict("", "Mã kỳ báo cáo phải là chuỗi ký tự.")
        if code not in self._periods:
            try:
                self._periods[code] = periods.PeriodId.parse(code)
            except periods.PeriodError as exc:
                self._periods[code] = exc
        found = self._periods[code]
        if isinstance(found, periods.PeriodError):
            raise Conflict(code, found.message)
        return found

    def stored_period(self, pid):
        if pid.code not in self._stored_periods:
            self._stored_periods[pid.code] = Period.objects.for_id(pid)
        return self._stored_periods[pid.code]

    def assignments(self, unit):
        if unit.pk not in self._assignments:
            self._assignments[unit.pk] = list(FormAssignment.objects.filter(unit=unit).select_related("form"))
        return self._assignments[unit.pk]

    def rows_of(self, form):
        if form.pk not in self._form_rows:
            rows = {}
            for indicator_id, code in form.rows.filter(indicator__isnull=False).order_by(
                    "sort_order", "id").values_list("indicator_id", "code"):
                rows.setdefault(indicator_id, code)
            self._form_rows[form.pk] = rows
        return self._form_rows[form.pk]

    def spec(self, form):
        if form.pk not in self._specs:
            self._specs[form.pk] = entry.form_spec(form)
        return self._specs[form.pk]

    def form_for(self, indicator, unit, pid, form_code=None):
        """The assigned form that carries the value, and the indicator's row code on it.

        Among the forms assigned to the unit with the period's type and a row for the
        indicator (only form `form_code` when given): the one whose assignment covers the
        period, then one the unit already has a submission of for the period, then an active
        form, then the newest version.
        """
        candidates = [
            a for a in self.assignments(unit)
            if a.form.period_type == pid.type.value and indicator.pk in self.rows_of(a.form)
            and (not form_code or a.form.code == form_code)
        ]
        if not candidates:
            on = f" {form_code}" if form_code else " nào"
            raise Conflict(indicator.code, f"Chỉ tiêu {indicator.code} không có trong biểu mẫu{on} được giao cho "
                                           f"đơn vị {unit.code} với kỳ {pid.code}.")

        def covers(a):
            return ((a.valid_from is None or a.valid_from <= pid.end_date)
                    and (a.valid_to is None or a.valid_to >= pid.start_date))

        started = self._started_forms(unit, pid, candidates)
        best = max(candidates, key=lambda a: (covers(a), a.form_id in started, a.form.active, a.form.version))
        if not covers(best):
            dates = " ".join(part for part in (
                f"từ {best.valid_from:%d/%m/%Y}" if best.valid_from else "",
                f"đến {best.valid_to:%d/%m/%Y}" if best.valid_to else "") if part)
            raise Conflict(unit.code, f"Đơn vị {unit.code} không được giao biểu {best.form.code} trong kỳ {pid.code} "
                                      f"({pid.label()}); phân công có hiệu lực {dates}.")
        return best.form, self.rows_of(best.form)[indicator.pk]

    def place(self, indicator, unit, pid, period_code, form_code, option_code):
        """form_for, then the option's check on the form's specification: (form, row code,
        spec, option), or the Conflict. Memoized for the values after the first of their kind.

        form_for's answer for a unit with at most one candidate assignment depends only on
        that assignment (form, validity dates), the period and the indicator, not on the unit:
        units with the same assignment share their answers (an import of 10.000 enterprises
        of one form chooses the form a handful of times). With several candidates the answer
        also depends on the unit's own submissions, and stays per unit. Refusals are not kept:
        their message names the unit, and they are computed again each time (rare)."""
        key = (unit.id, period_code, form_code)
        chosen = self._choices.get(key)
        if chosen is None:
            kind = pid.type.value
            candidates = [a for a in self.assignments(unit)
                          if a.form.period_type == kind and (not form_code or a.form.code == form_code)]
            if len(candidates) <= 1:
                signature = (period_code, form_code, tuple((a.form_id, a.valid_from, a.valid_to) for a in candidates))
                chosen = self._choices_shared.setdefault(signature, {})
            else:
                chosen = {}
            self._choices[key] = chosen
        placed = chosen.get(indicator.id)
        if placed is None:
            placed = chosen[indicator.id] = self.form_for(indicator, unit, pid, form_code)
        form, row_code = placed
        spec = self._form_specs.get(form.id)
        if spec is None:
            spec = self._form_specs[form.id] = self.spec(form)
            self._row_specs[form.id] = {r.code: r for r in spec.rows}
        return form, row_code, spec, self._option(indicator, form, spec, row_code, option_code)

    @staticmethod
    def _option(indicator, form, spec, row_code, option_code):
        option = spec.options.get((row_code, option_code))
        if option is None:
            valid = [oc for (rc, oc) in spec.options if rc == row_code]
            raise Conflict(option_code, f'Chỉ tiêu {indicator.code} trên biểu {form.code} không có phân '
                                        f'tổ "{option_code}"; các mã phân tổ hợp lệ: {", ".join(valid)}.')
        return option

    def _started_forms(self, unit, pid, candidates):
        if len(candidates) < 2:
            return set()
        key = (unit.pk, pid.code)
        if key not in self._started:
            self._started[key] = set(Submission.objects.filter(unit=unit, period__code=pid.code)
                                     .values_list("form_id", flat=True))
        return self._started[key]

    def existing(self, unit, pid):
        """The unit's current values for the period, (indicator id, option id) -> (value, status,
        comment), kept up to date as the request writes."""
        key = (unit.pk, pid.code)
        if key not in self._existing:
            self._existing[key] = {
                (i, o): (v, st, c) for i, o, v, st, c in DataValue.objects.current().filter(
                    unit=unit, period__code=pid.code).values_list("indicator_id", "option_id", "value", "status",
                                                                  "comment")}
        return self._existing[key]

    def ensure_editable(self, unit, submission):
        """entry.ensure_editable once per submission: scope (reporters) and locks.

        A key or an admin is no reporter of the unit: their scope was checked by Principal, and
        entry is asked about the locks only, in the name of a reporter of the unit (UnitScope)."""
        key = (submission.form_id, submission.unit_id, submission.period_id)  # new ones have no pk yet
        if key not in self._editable:
            self._editable[key] = self._lock_verdict(unit, submission, shared=self.use_bulk)
        if self._editable[key] is not None:
            raise self._editable[key]

    def _lock_verdict(self, unit, submission, shared=True):
        """entry.ensure_editable's answer (None or the EntryError), asked once per kind of report.

        A key or an admin is asked about as UnitScope(unit), a reporter of exactly that unit:
        the scope part passes for every unit alike, so reports of the same form and period in
        the same state (status, reopening, ad hoc request) share the answer. An import of a
        thousand enterprises' reports asks once instead of a thousand times (the deadline is
        computed each time). A user who is a reporter of the unit is asked per unit."""
        own = self.principal.entry_checks_scope(unit)
        key = (unit.pk if own or not shared else "scope", submission.form_id, submission.period_id,
               submission.adhoc_request_id, submission.status, submission.reopened_until)
        if key not in self._unlocked or not shared:
            editor = self.principal.user if own else UnitScope(unit)
            try:
                entry.ensure_editable(editor, submission)
                self._unlocked[key] = None
            except entry.EntryError as exc:
                self._unlocked[key] = exc
        return self._unlocked[key]

    def submission(self, form, unit, period):
        key = (form.pk, unit.pk, period.pk)
        if key not in self._submissions:
            if self._prefetched and self.use_bulk:  # created with the next bulk write (flush), all at once
                self._submissions[key] = Submission(form=form, unit=unit, period=period, form_version=form.version)
                self._new_submissions.append(self._submissions[key])
            else:
                self._submissions[key] = entry.submission_for(form, unit, period)
        return self._submissions[key]

    def prefetch(self, items):
        """Look up the codes, assignments, current values and submissions of the whole request
        at once: one query per kind and 2.000 units instead of five per unit. Values and
        submissions only for requests of at most PREFETCH_PERIODS periods (a hostile request
        with thousands of periods falls back to reading them per unit and period)."""
        unit_codes = sorted({c for c in (_text(i.unit) for i in items) if c})
        unknown = sorted({c for c in (_text(i.indicator) for i in items) if c} - set(self._indicators))
        for n in range(0, len(unknown), 2000):
            found = {i.code: i for i in Indicator.objects.filter(code__in=unknown[n:n + 2000])}
            for code in unknown[n:n + 2000]:
                self._indicators[code] = found.get(code)
        pids = {}
        for code in sorted({c for c in (_text(i.period) for i in items) if c})[:self.PREFETCH_PERIODS + 1]:
            try:
                pids[code] = periods.PeriodId.parse(code)
            except periods.PeriodError:
                pass
        if len(pids) > self.PREFETCH_PERIODS:
            pids = {}
        self._prefetched = bool(pids)  # every existing submission of the request is known
        for period in Period.objects.filter(code__in=list(pids)):
            self._stored_periods[period.code] = period
        forms = {}
        for n in range(0, len(unit_codes), 2000):
            chunk = unit_codes[n:n + 2000]
            units = {u.pk: u for u in ReportingUnit.objects.filter(code__in=chunk)}
            for code in chunk:
                self._units.setdefault(code, None)
            for u in units.values():
                self._units[u.code] = u
                self._assignments[u.pk] = []
                for code in pids:
                    self._existing[(u.pk, code)] = {}
            for a in FormAssignment.objects.filter(unit_id__in=list(units)).select_related("form"):
                a.form = forms.setdefault(a.form_id, a.form)
                self._assignments[a.unit_id].append(a)
            for unit_id, code, i, o, v, st, c in DataValue.objects.current().filter(
                    unit_id__in=list(units), period__code__in=list(pids)).values_list(
                    "unit_id", "period__code", "indicator_id", "option_id", "value", "status", "comment"):
                self._existing[(unit_id, code)][(i, o)] = (v, st, c)
            for sub in Submission.objects.filter(unit_id__in=list(units), period__code__in=list(pids)):
                sub.form = forms.setdefault(sub.form_id, sub.form)
                self._submissions[(sub.form_id, sub.unit_id, sub.period_id)] = sub
        prefetch_related_objects(list(forms.values()), "deadlines")  # lock checks: no query per report

    def save_new_submissions(self):
        new, self._new_submissions = self._new_submissions, []
        try:
            with transaction.atomic():
                Submission.objects.bulk_create(new)
        except IntegrityError:  # one was created meanwhile by another request: take it
            for sub in new:
                stored = entry.submission_for(sub.form, sub.unit, sub.period)
                sub.pk, sub.status, sub.reopened_until = stored.pk, stored.status, stored.reopened_until

    # --- one value -----------------------------------------------------------------------

    def option_code(self, raw):
        code = _text(raw)
        if code is None:
            raise Conflict(raw, "Mã phân tổ phải là chuỗi ký tự.")
        return TOTAL if code in ("", "default", TOTAL) else code

    def status(self, raw):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        text = _text(raw)
        if text not in STATUS_CHOICES:
            raise Conflict(raw, f'Tình trạng số liệu "{raw}" không hợp lệ; dùng estimate (ước tính), '
                                'preliminary (sơ bộ) hoặc official (chính thức).')
        return text

    def comment(self, raw):
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise Conflict(raw, "Ghi chú phải là chuỗi ký tự.")
        if len(raw) > 5000:
            raise Conflict(raw[:60] + "…", "Ghi chú quá dài (tối đa 5.000 ký tự).")
        return raw

    def _once(self, kind, raw, resolve):
        """resolve(raw), remembered per distinct text of the request (a refusal is not)."""
        known = self._by_raw[kind]
        if type(raw) is str and raw in known:
            return known[raw]
        found = resolve(raw)
        if type(raw) is str:
            known[raw] = found
        return found

    def _period_and_code(self, raw):
        pid = self.period(raw)
        return pid, pid.code

    def process(self, item, summary):
        if item.malformed:
            raise Conflict(f"#{item.index}", item.malformed)
        indicator = self._once("indicator", item.indicator, self.indicator)
        unit = self._once("unit", item.unit, self.unit)
        pid, period_code = self._once("period", item.period, self._period_and_code)
        writable = self._writable.get(unit.id)
        if writable is None:
            writable = self._writable[unit.id] = self.principal.can_write(unit)
        if not writable:
            raise Conflict(unit.code, self.principal.write_denied(unit))
        if item.attribute is not None:
            attribute = _text(item.attribute)
            if attribute not in ("", "default"):
                raise Conflict(item.attribute, f'Không hỗ trợ attributeOptionCombo "{item.attribute}"; '
                                               'để trống hoặc ghi "default".')
        option_code = self._once("option", item.option, self.option_code)
        form_code = _text(item.form) or self.default_form if item.form is not None else self.default_form
        if self.use_bulk:
            form, row_code, spec, option = self.place(indicator, unit, pid, period_code, form_code, option_code)
        else:  # the reference path stays as it was before issue 8, without place()'s memo
            form, row_code = self.form_for(indicator, unit, pid, form_code)
            spec = self.spec(form)
            option = self._option(indicator, form, spec, row_code, option_code)
        status = self.status(item.status)
        comment = self.comment(item.comment)
        delete = self.strategy == "DELETE" or item.deleted is True
        value = None
        if not delete:
            try:
                value = read_number(item.value, machine_strings=self.machine_strings)
            except ValueRefused as exc:
                raise Conflict(item.value, exc.message)
            if value is None:
                if self.strategy == "CREATE":
                    raise Conflict(indicator.code, "Thiếu giá trị: không có gì để tạo mới.")
                delete = True  # an empty value deletes, as on the web grid
        existing = self._existing.get((unit.id, period_code))
        if existing is None:
            existing = self.existing(unit, pid)
        stored = existing.get((indicator.id, option.id))
        exists = stored is not None
        where = f"{indicator.code}/{option_code}/{unit.code}/{period_code}"
        if delete and not exists:
            return "unchanged"
        if not delete and exists and self.strategy == "CREATE":
            raise Conflict(where, "Đã có số liệu cho ô này; importStrategy=CREATE không ghi đè "
                                  "(dùng CREATE_AND_UPDATE để cập nhật).")
        if not delete and not exists and self.strategy == "UPDATE":
            raise Conflict(where, "Chưa có số liệu để cập nhật; importStrategy=UPDATE không tạo mới "
                                  "(dùng CREATE_AND_UPDATE).")
        period = self._stored_periods.get(period_code) or self.stored_period(pid)
        submission = self._submissions.get((form.id, unit.id, period.id)) or self.submission(form, unit, period)
        try:
            self.ensure_editable(unit, submission)
            if not delete and exists and stored == (value, status or ValueStatus.OFFICIAL,
                                                    stored[2] if comment is None else comment):
                return "unchanged"  # what save_value would conclude, without its queries
            if not delete and self.use_bulk:
                # The cell as entry.cell_key would name it, from what was looked up above;
                # `value` is what entry.parse_cell gives (read_number checks the same).
                cell = bulk.prepare_value(
                    self._row_specs[form.id][row_code], Key(indicator, option, unit, period), option_code,
                    value, submission, form, status=status, current_status=stored[1] if stored else None,
                    comment=comment, tag=(item, where, "updated" if exists else "imported"))
                self._pending.append(cell)
                existing[(indicator.id, option.id)] = (cell.row.value, cell.row.status,
                                                       stored[2] if comment is None and stored else comment or "")
                if len(self._pending) >= self.BULK_SIZE:
                    self.flush(summary)
                return cell.tag[2]
            self.flush(summary)  # a deletion comes after the values queued before it
            # Only the write itself in a savepoint: the period and submission created above
            # stay for the next values even when this one is refused.
            with transaction.atomic():
                result = entry.save_cell(
                    self.principal.audit_user, submission, row_code, option_code, value, spec=spec, status=status,
                    comment=comment, channel=self.channel, source=self.principal.source, check_access=False,
                )
        except entry.EntryError as exc:
            obj = item.value if exc.code in ("parse", "type", "decimals", "range") else where
            raise Conflict(obj, exc.message)
        except ConflictError as exc:
            raise Conflict(where, str(exc))
        except DatabaseError:
            raise Conflict(where, "Lỗi cơ sở dữ liệu khi lưu giá trị này; hãy gửi lại sau.")
        if result.changed and delete:
            existing.pop((indicator.id, option.id), None)
        elif result.changed:
            existing[(indicator.id, option.id)] = (result.value, status or ValueStatus.OFFICIAL,
                                                   stored[2] if comment is None and stored else comment or "")
        for issue in result.issues:
            summary.warnings.append({"object": where, "value": issue.message, "indexes": [item.index]})
        if delete:
            return "deleted" if result.changed else "unchanged"
        if not result.changed:
            return "unchanged"
        return "updated" if exists else "imported"

    # --- the whole request ---------------------------------------------------------------

    def run(self, items) -> Summary:
        summary = Summary(strategy=self.strategy, dry_run=self.dry_run, atomic=self.atomic, total=len(items))
        with no_cycle_collection(), transaction.atomic():
            if self.use_bulk:
                self.prefetch(items)
            for item in items:
                try:
                    outcome = self.process(item, summary)
                except Conflict as exc:
                    summary.conflict(item, exc.object, exc.message)
                    summary.ignored += 1
                    continue
                if outcome == "unchanged":
                    summary.unchanged += 1
                    outcome = "ignored"
                setattr(summary, outcome, getattr(summary, outcome) + 1)
            if not (self.atomic and summary.conflicts):  # else all is rolled back anyway
                self.flush(summary)
            if self.atomic and summary.conflicts:
                summary.rolled_back = True
                summary.imported = summary.updated = summary.deleted = summary.unchanged = 0
                summary.ignored = summary.total
            if self.dry_run or summary.rolled_back:
                transaction.set_rollback(True)
        return summary

    # --- the bulk write (collection.bulk) ---------------------------------------------------

    def flush(self, summary):
        """Write the queued values together; if the batch is refused (a value created meanwhile
        by another writer), each is written on its own through entry.save_cell."""
        if self._new_submissions:
            self.save_new_submissions()
        cells, self._pending = self._pending, []
        if not cells:
            return
        try:
            with transaction.atomic():
                bulk.save_cells(cells, user=self.principal.audit_user, channel=self.channel,
                                source=self.principal.source)
        except DatabaseError:
            for cell in cells:
                self._replay(cell, summary)
            return
        for cell in cells:
            self._settle(cell, summary, cell.result.created, cell.result.changed, cell.issues)

    def _replay(self, cell, summary):
        item, where, predicted = cell.tag
        try:
            with transaction.atomic():
                result = entry.save_cell(
                    self.principal.audit_user, cell.submission, cell.spec_row.code, cell.option_code,
                    cell.row.value, spec=self.spec(cell.submission.form), status=cell.row.status,
                    comment=cell.row.comment, channel=self.channel, source=self.principal.source, check_access=False)
        except (entry.EntryError, ConflictError, DatabaseError) as exc:
            _recount(summary, predicted, None)
            summary.ignored += 1
            summary.conflict(item, where, getattr(exc, "message", None) or str(exc))
            return
        self._settle(cell, summary, result.changed and result.revision == 1, result.changed, result.issues)

    @staticmethod
    def _settle(cell, summary, created, changed, issues):
        item, where, predicted = cell.tag
        _recount(summary, predicted, "imported" if created else "updated" if changed else "unchanged")
        for issue in issues:
            summary.warnings.append({"object": where, "value": issue.message, "indexes": [item.index]})


def _recount(summary, before, after):
    """Move one value from the outcome predicted when it was queued to the one it had."""
    if before == after:
        return
    for name, step in ((before, -1), (after, 1)):
        if name == "unchanged":
            summary.unchanged += step
            summary.ignored += step
        elif name:
            setattr(summary, name, getattr(summary, name) + step)


def check_write_scope(principal, items):
    """403 before anything is stored when a value names an existing unit outside the caller's scope."""
    seen = set()
    for item in items:
        code = _text(item.unit)
        if not code or code in seen:
            continue
        seen.add(code)
        unit = ReportingUnit.objects.filter(code=code).first()
        if unit is not None and not principal.can_write(unit):
            raise HttpError(403, principal.write_denied(unit))


def check_strategy(value):
    strategy = (value or "CREATE_AND_UPDATE").upper()
    if strategy == "NEW_AND_UPDATES":  # the old DHIS2 name
        strategy = "CREATE_AND_UPDATE"
    if strategy not in STRATEGIES:
        raise HttpError(400, f'importStrategy="{value}" không hợp lệ; dùng một trong: {", ".join(STRATEGIES)}.')
    return strategy


# ---------------------------------------------------------------------------------------------
# Reading figures: scope and filters shared with the DHIS2 export
# ---------------------------------------------------------------------------------------------


def codes_param(request, *names):
    """Values of a query parameter, repeated or comma-separated."""
    found = []
    for name in names:
        for value in request.GET.getlist(name):
            if "\x00" in value:  # PostgreSQL compares no text holding NUL: a 400, not a 500
                raise HttpError(400, f'Tham số {name} có ký tự NUL (mã 0); hãy bỏ ký tự này rồi gửi lại.')
            found += [v.strip() for v in value.split(",") if v.strip()]
    return list(dict.fromkeys(found))


def scoped_values(principal, *, units=(), period_codes=(), indicators=(), forms=(), include_deleted=False):
    """DataValues the caller may read, filtered by codes; 400 for unknown codes, 403 outside scope."""
    qs = DataValue.objects.all() if include_deleted else DataValue.objects.current()
    if units:
        found = {u.code: u for u in ReportingUnit.objects.filter(code__in=units)}
        unknown = [c for c in units if c not in found]
        if unknown:
            raise HttpError(400, f'Không có đơn vị báo cáo mã "{unknown[0]}" trong danh mục.')
        for unit in found.values():
            if not principal.can_read(unit):
                raise HttpError(403, principal.read_denied(unit))
        qs = qs.filter(unit__in=list(found.values()))
    qs = principal.readable(qs)
    if period_codes:
        for code in period_codes:
            try:
                periods.PeriodId.parse(code)
            except periods.PeriodError as exc:
                raise HttpError(400, exc.message)
        qs = qs.filter(period__code__in=period_codes)
    if indicators:
        known = set(Indicator.objects.filter(code__in=indicators).values_list("code", flat=True))
        unknown = [c for c in indicators if c not in known]
        if unknown:
            raise HttpError(400, f'Không có chỉ tiêu mã "{unknown[0]}" trong danh mục.')
        qs = qs.filter(indicator__code__in=indicators)
    if forms:
        known = set(Form.objects.filter(code__in=forms).values_list("code", flat=True))
        unknown = [c for c in forms if c not in known]
        if unknown:
            raise HttpError(400, f'Không có biểu mẫu mã "{unknown[0]}".')
        qs = qs.filter(indicator_id__in=FormRow.objects.filter(form__code__in=forms).values("indicator_id"))
    return qs.select_related("indicator", "option", "unit", "period", "form", "updated_by", "created_by").order_by(
        "unit__code", "period__start_date", "period__code", "indicator__code", "option__code", "id")


def wants_csv(request, fmt):
    if fmt:
        fmt = fmt.lower()
        if fmt not in ("json", "csv"):
            raise HttpError(400, f'Tham số format="{fmt}" không hợp lệ; dùng "json" hoặc "csv".')
        return fmt == "csv"
    accept = request.headers.get("Accept", "")
    return "text/csv" in accept and "application/json" not in accept


def csv_response(header, rows, filename):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; so a text with a bare "\r" is quoted too
    writer.writerow(header)
    writer.writerows(safe_row(row) for row in rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(data, status=200):
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")


# ---------------------------------------------------------------------------------------------
# /api/data/values
# ---------------------------------------------------------------------------------------------


class ValueOut(Schema):
    indicator: str
    option: str
    unit: str
    period: str
    value: str
    status: str
    comment: str
    form: str | None
    revision: int
    channel: str
    updated_at: str


class ValuesOut(Schema):
    count: int
    offset: int
    limit: int
    values: list[ValueOut]


class ValueIn(Schema):
    indicator: str
    option: str = TOTAL
    unit: str
    period: str
    value: str | float | int | None
    status: str | None = None
    comment: str | None = None


class ImportCount(Schema):
    imported: int
    updated: int
    ignored: int
    deleted: int


class ConflictOut(Schema):
    object: str
    value: str
    indexes: list[int]


class ImportSummaryOut(Schema):
    responseType: str
    status: str
    description: str
    importCount: ImportCount
    conflicts: list[ConflictOut]
    warnings: list[ConflictOut]
    dryRun: bool
    importOptions: dict


class Detail(Schema):
    detail: str


def native_record(dv):
    return {
        "indicator": dv.indicator.code, "option": dv.option.code, "unit": dv.unit.code, "period": dv.period.code,
        "value": plain_number(dv.value), "status": dv.status, "comment": dv.comment,
        "form": dv.form.code if dv.form_id else None, "revision": dv.revision, "channel": dv.channel,
        "updated_at": dv.updated_at.isoformat(),
    }


@router.get(
    "/values", response={200: ValuesOut, 400: Detail, 403: Detail},
    summary="Đọc số liệu (JSON hoặc CSV)",
    description=(
        "Số liệu hiện hành trong phạm vi của người gọi (khóa API: chỉ đơn vị của khóa). Lọc theo mã: unit, period, "
        "indicator, form (các chỉ tiêu có trên biểu); mỗi tham số nhận nhiều mã cách nhau bằng dấu phẩy. "
        "format=csv (hoặc Accept: text/csv) trả về CSV với dòng tiêu đề indicator,option,unit,period,value,status,"
        "comment. Giá trị viết dạng số thập phân dấu chấm (\"1234.5\")."
    ),
)
def list_values(request, unit: str | None = None, period: str | None = None, indicator: str | None = None,
                form: str | None = None, format: str | None = None, limit: int = MAX_VALUES, offset: int = 0):
    principal = request.auth
    if limit < 1 or limit > MAX_VALUES or offset < 0:
        raise HttpError(400, f"limit phải từ 1 đến {format_number(MAX_VALUES)}, offset không âm.")
    qs = scoped_values(principal, units=codes_param(request, "unit"), period_codes=codes_param(request, "period"),
                       indicators=codes_param(request, "indicator"), forms=codes_param(request, "form"))
    total = qs.count()
    page = list(qs[offset:offset + limit])
    if wants_csv(request, format):
        response = csv_response(NATIVE_CSV_COLUMNS, (
            [dv.indicator.code, dv.option.code, dv.unit.code, dv.period.code, plain_number(dv.value), dv.status,
             dv.comment] for dv in page), "solieu-values.csv")
        response["X-Total-Count"] = str(total)
        return response
    return json_response({"count": total, "offset": offset, "limit": limit,
                          "values": [native_record(dv) for dv in page]})


def inline_schema(model):
    """A model's JSON schema with nested models inlined (openapi_extra cannot add components)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(defs[ref.split("/")[-1]])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


NATIVE_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {
                "oneOf": [
                    {"type": "array", "items": inline_schema(ValueIn)},
                    {"type": "object", "properties": {"values": {"type": "array", "items": inline_schema(ValueIn)}}},
                ]}},
            "text/csv": {"schema": {"type": "string", "example":
                                    "indicator,option,unit,period,value,status,comment\n"
                                    "POSTAL_SERVICE_POINTS,TOTAL,SKHCN-01,202611,\"1.234\",official,\n"}},
        },
    }
}


@router.post(
    "/values", response={200: ImportSummaryOut, 400: Detail, 403: Detail, 409: ImportSummaryOut, 413: Detail},
    summary="Gửi số liệu (JSON hoặc CSV)",
    openapi_extra=NATIVE_BODY_DOC,
    description=(
        "Danh sách giá trị {indicator, option (mặc định TOTAL), unit, period, value, status (estimate|preliminary|"
        "official), comment}. Giá trị là số JSON hoặc chuỗi viết kiểu Việt Nam (\"1.234,5\"). Mỗi giá trị được ghi "
        "vào biểu mẫu được giao cho đơn vị có chỉ tiêu đó với cùng loại kỳ. Mặc định mỗi giá trị độc lập (giá trị lỗi "
        "được liệt kê trong conflicts); atomic=true: tất cả hoặc không; dryRun=true: chỉ kiểm tra. Một giá trị thuộc "
        "đơn vị ngoài phạm vi làm cả yêu cầu bị từ chối (403). Tối đa 5 MB và 50.000 giá trị mỗi lần gửi."
    ),
)
def post_values(request, format: str | None = None, dryRun: bool = False, atomic: bool = False,
                importStrategy: str | None = None):
    principal = request.auth
    strategy = check_strategy(importStrategy)
    data = read_body(request)
    text = decode_text(request, data)
    if body_format(request, format) == "csv":
        rows = read_csv(text, NATIVE_CSV_COLUMNS, required=["indicator", "unit", "period", "value"])
        items = [Item(index=i, indicator=r.get("indicator"), option=r.get("option"), unit=r.get("unit"),
                      period=r.get("period"), value=r.get("value"), status=r.get("status"),
                      comment=r.get("comment") or None) for i, r in enumerate(rows)]
    else:
        payload = load_json(text)
        if isinstance(payload, dict) and isinstance(payload.get("values"), list):
            payload = payload["values"]
        if not isinstance(payload, list):
            raise HttpError(400, 'Dữ liệu JSON phải là một danh sách giá trị, hoặc một đối tượng {"values": [...]}.')
        if len(payload) > MAX_VALUES:
            raise HttpError(400, too_many_message(len(payload)))
        items = [native_item(i, v) for i, v in enumerate(payload)]
    check_write_scope(principal, items)
    return run_items(principal, items, channel=Channel.API, strategy=strategy, dry_run=dryRun, atomic=atomic)



def native_item(index, raw):
    if not isinstance(raw, dict):
        return Item(index=index,
                    malformed="Mỗi giá trị phải là một đối tượng JSON {indicator, unit, period, value...}.")
    nested = [k for k, v in raw.items() if isinstance(v, (dict, list))]
    if nested:
        return Item(index=index, malformed=f'Trường "{nested[0]}" phải là một giá trị đơn, '
                                           "không phải đối tượng hay danh sách.")
    return Item(index=index, indicator=raw.get("indicator"), option=raw.get("option"), unit=raw.get("unit"),
                period=raw.get("period"), value=raw.get("value"), status=raw.get("status"),
                comment=raw.get("comment"))


def run_items(principal, items, **options):
    return Importer(principal, **options).run(items).response()
