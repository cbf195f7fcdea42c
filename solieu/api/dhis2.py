"""DHIS2-compatible /api/dataValueSets: import and export in DHIS2's JSON and CSV forms.

Identifiers follow idScheme=CODE: dataElement = indicator code, orgUnit = reporting unit code,
categoryOptionCombo = disaggregation option code ("", "default" or "TOTAL" = the undivided
value), dataSet = form code (optional: without it, the form is found from the indicator, as
for /api/data/values). attributeOptionCombo must be empty or "default".

Import options: dryRun, importStrategy (CREATE, UPDATE, CREATE_AND_UPDATE, DELETE) and the
solieu extension atomic (all or nothing). The reply is DHIS2's import summary (status,
description, importCount, conflicts with the offending object and a Vietnamese reason); status
ERROR answers 409, as DHIS2 does. An empty value, or "deleted": true, deletes (soft) the value.
Re-sending the same payload changes nothing: every value counts as ignored.

Accepted and not acted upon: completeDate (submitting a report goes through the approval
workflow on the web), storedBy (the caller is recorded), created/lastUpdated, followup.
"""

from ninja import Router, Schema
from ninja.errors import HttpError

from solieu.catalog.models import Form
from solieu.collection.models import Channel

from . import data
from .data import Detail, ImportSummaryOut, Item, Summary

router = Router(tags=["DHIS2 dataValueSets"])

CSV_COLUMNS = ["dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby",
               "lastupdated", "comment", "followup"]
CSV_READ_COLUMNS = CSV_COLUMNS + ["deleted"]
CSV_ALIASES = {
    "data_element": "dataelement", "categoryoptioncombo": "catoptcombo", "attributeoptioncombo": "attroptcombo",
    "org_unit": "orgunit", "stored_by": "storedby", "last_updated": "lastupdated",
}
ID_SCHEME_PARAMS = ("idScheme", "dataElementIdScheme", "orgUnitIdScheme", "categoryOptionComboIdScheme",
                    "dataSetIdScheme")
MAX_EXPORT = 500_000
DEFAULT = "default"


class DataValueOut(Schema):
    dataElement: str
    period: str
    orgUnit: str
    categoryOptionCombo: str
    attributeOptionCombo: str
    value: str
    storedBy: str
    created: str
    lastUpdated: str
    comment: str
    followup: bool
    deleted: bool


class DataValueSetOut(Schema):
    dataSet: str | None = None
    period: str | None = None
    orgUnit: str | None = None
    dataValues: list[DataValueOut]


class DataValueIn(Schema):
    dataElement: str
    period: str | None = None
    orgUnit: str | None = None
    categoryOptionCombo: str | None = None
    attributeOptionCombo: str | None = None
    value: str | None = None
    storedBy: str | None = None
    comment: str | None = None
    followup: bool | None = None
    deleted: bool | None = None


class DataValueSetIn(Schema):
    dataSet: str | None = None
    completeDate: str | None = None
    period: str | None = None
    orgUnit: str | None = None
    attributeOptionCombo: str | None = None
    dataValues: list[DataValueIn]


def check_id_scheme(request):
    for name in ID_SCHEME_PARAMS:
        value = request.GET.get(name)
        if value and value.upper() != "CODE":
            raise HttpError(400, f'{name}="{value}" không được hỗ trợ: solieu chỉ dùng mã (idScheme=CODE) cho chỉ '
                                 "tiêu, đơn vị, phân tổ và biểu mẫu.")


def _flag(raw):
    if isinstance(raw, bool):
        return raw
    return isinstance(raw, str) and raw.strip().lower() in ("true", "1", "yes")


def items_from_json(payload):
    if not isinstance(payload, dict):
        raise HttpError(400, 'Dữ liệu JSON phải là một đối tượng dataValueSet {"dataValues": [...]}.')
    values = payload.get("dataValues", [])
    if not isinstance(values, list):
        raise HttpError(400, 'Trường "dataValues" phải là một danh sách.')
    if len(values) > data.MAX_VALUES:
        raise HttpError(400, data.too_many_message(len(values)))
    # Only the top-level fields that are set can fill in a value's; usually none is.
    top = {k: v for k in ("period", "orgUnit", "attributeOptionCombo") if (v := payload.get(k))}
    items = []
    append = items.append
    for index, raw in enumerate(values):
        if not isinstance(raw, dict):
            append(Item(index=index, malformed=(
                "Mỗi phần tử của dataValues phải là một đối tượng {dataElement, period, orgUnit, value...}.")))
            continue
        nested = next((k for k, v in raw.items() if isinstance(v, (dict, list))), None)
        if nested is not None:
            append(Item(index=index, malformed=(
                f'Trường "{nested}" phải là một giá trị đơn, không phải đối tượng hay danh sách.')))
            continue
        unit, period, attribute = raw.get("orgUnit"), raw.get("period"), raw.get("attributeOptionCombo")
        if top:
            if (unit is None or unit == "") and "orgUnit" in top:
                unit = top["orgUnit"]
            if (period is None or period == "") and "period" in top:
                period = top["period"]
            if (attribute is None or attribute == "") and "attributeOptionCombo" in top:
                attribute = top["attributeOptionCombo"]
        deleted = raw.get("deleted")
        append(Item(index, raw.get("dataElement"), raw.get("categoryOptionCombo"), unit, period, raw.get("value"),
                    raw.get("status"), raw.get("comment"), False if deleted is None else _flag(deleted),
                    attribute))
    return items


def items_from_csv(text):
    rows = data.read_csv(text, CSV_READ_COLUMNS, required=["dataelement", "period", "orgunit"],
                         aliases=CSV_ALIASES, header_optional=True)
    return [Item(index=i, indicator=r.get("dataelement"), option=r.get("catoptcombo"), unit=r.get("orgunit"),
                 period=r.get("period"), value=r.get("value"), attribute=r.get("attroptcombo"),
                 comment=r.get("comment") or None, deleted=_flag(r.get("deleted")))
            for i, r in enumerate(rows)]


IMPORT_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": data.inline_schema(DataValueSetIn)},
            "text/csv": {"schema": {"type": "string", "example":
                                    ",".join(CSV_COLUMNS) + "\nPOSTAL_REVENUE,2026Q4,VNPOST,default,default,"
                                    "1234.5,,,,false\n"}},
        },
    }
}


def import_values(request, format=None, dryRun=False, importStrategy=None, atomic=False, dataSet=None):
    with data.no_cycle_collection():  # the parsed items too live until the import ends
        return _import_values(request, format, dryRun, importStrategy, atomic, dataSet)


def _import_values(request, format, dryRun, importStrategy, atomic, dataSet):
    principal = request.auth
    check_id_scheme(request)
    strategy = data.check_strategy(importStrategy)
    body = data.read_body(request)
    text = data.decode_text(request, body)
    if data.body_format(request, format) == "csv":
        items, form_code = items_from_csv(text), dataSet
    else:
        payload = data.load_json(text)
        items = items_from_json(payload)
        form_code = dataSet or (payload.get("dataSet") if isinstance(payload.get("dataSet"), str) else None)
    if form_code and not Form.objects.filter(code=form_code).exists():
        summary = Summary(strategy=strategy, dry_run=dryRun, atomic=atomic, total=len(items), ignored=len(items),
                          note=f'Không lưu giá trị nào: không có biểu mẫu (dataSet) mã "{form_code}".')
        summary.conflicts.append({"object": form_code, "value": f'Không có biểu mẫu (dataSet) mã "{form_code}".',
                                  "indexes": []})
        return summary.response()
    importer = data.Importer(principal, channel=Channel.DHIS2, strategy=strategy, dry_run=dryRun,
                                     atomic=atomic, machine_strings=True, default_form=form_code or None)
    return importer.run(items).response()


def export_values(request, dataSet=None, period=None, orgUnit=None, dataElement=None, startDate=None,
                  endDate=None, includeDeleted=False, format=None):
    principal = request.auth
    check_id_scheme(request)
    forms = data.codes_param(request, "dataSet")
    period_codes = data.codes_param(request, "period")
    units = data.codes_param(request, "orgUnit")
    qs = data.scoped_values(principal, units=units, period_codes=period_codes,
                            indicators=data.codes_param(request, "dataElement"), forms=forms,
                            include_deleted=includeDeleted)
    if startDate:
        qs = qs.filter(period__start_date__gte=startDate)
    if endDate:
        qs = qs.filter(period__end_date__lte=endDate)
    if qs.count() > MAX_EXPORT:
        raise HttpError(400, f"Quá {data.format_number(MAX_EXPORT)} giá trị; hãy lọc theo dataSet, period hoặc "
                             "orgUnit.")
    records = [record(dv) for dv in qs]
    if data.wants_csv(request, format):
        return data.csv_response(CSV_COLUMNS, (
            [r["dataElement"], r["period"], r["orgUnit"], r["categoryOptionCombo"], r["attributeOptionCombo"],
             r["value"], r["storedBy"], r["lastUpdated"], r["comment"], "true" if r["followup"] else "false"]
            for r in records), "dataValueSet.csv")
    body = {}
    for key, codes in (("dataSet", forms), ("period", period_codes), ("orgUnit", units)):
        if len(codes) == 1:
            body[key] = codes[0]
    body["dataValues"] = records
    return data.json_response(body)


def record(dv):
    user = dv.updated_by or dv.created_by
    return {
        "dataElement": dv.indicator.code,
        "period": dv.period.code,
        "orgUnit": dv.unit.code,
        "categoryOptionCombo": DEFAULT if dv.option.code == data.TOTAL else dv.option.code,
        "attributeOptionCombo": DEFAULT,
        "value": data.plain_number(dv.value),
        "storedBy": user.get_username() if user else dv.source,
        "created": dv.created_at.isoformat(),
        "lastUpdated": dv.updated_at.isoformat(),
        "comment": dv.comment,
        "followup": dv.followup,
        "deleted": dv.deleted_at is not None,
    }


IMPORT_DESCRIPTION = (
    "Nhập số liệu theo chuẩn DHIS2 (idScheme=CODE): JSON dataValueSet hoặc CSV (Content-Type: text/csv hoặc "
    "format=csv; cột " + ",".join(CSV_COLUMNS) + "). dryRun=true: kiểm tra, không lưu. importStrategy: CREATE, "
    "UPDATE, CREATE_AND_UPDATE (mặc định), DELETE. Mặc định mỗi giá trị độc lập (kiểu DHIS2); atomic=true: tất cả "
    "hoặc không. Trả về import summary; status ERROR trả mã 409."
)
EXPORT_DESCRIPTION = (
    "Xuất số liệu theo chuẩn DHIS2 (idScheme=CODE), JSON hoặc CSV (format=csv, hoặc đuôi .csv). Lọc: dataSet (mã "
    "biểu), period, orgUnit, dataElement; nhiều mã cách nhau bằng dấu phẩy hoặc lặp tham số; startDate/endDate; "
    "includeDeleted."
)

IMPORT_RESPONSES = {200: ImportSummaryOut, 400: Detail, 409: ImportSummaryOut, 413: Detail, 415: Detail}
EXPORT_RESPONSES = {200: DataValueSetOut, 400: Detail, 403: Detail}


@router.post("/dataValueSets", response=IMPORT_RESPONSES, summary="Nhập dataValueSets (DHIS2)",
             description=IMPORT_DESCRIPTION, openapi_extra=IMPORT_BODY_DOC)
def post_data_value_sets(request, format: str | None = None, dryRun: bool = False,
                         importStrategy: str | None = None, atomic: bool = False, dataSet: str | None = None):
    return import_values(request, format, dryRun, importStrategy, atomic, dataSet)


@router.post("/dataValueSets.json", response=IMPORT_RESPONSES, summary="Nhập dataValueSets JSON (DHIS2)",
             description=IMPORT_DESCRIPTION, openapi_extra=IMPORT_BODY_DOC)
def post_data_value_sets_json(request, dryRun: bool = False, importStrategy: str | None = None,
                              atomic: bool = False, dataSet: str | None = None):
    return import_values(request, "json", dryRun, importStrategy, atomic, dataSet)


@router.post("/dataValueSets.csv", response=IMPORT_RESPONSES, summary="Nhập dataValueSets CSV (DHIS2)",
             description=IMPORT_DESCRIPTION, openapi_extra=IMPORT_BODY_DOC)
def post_data_value_sets_csv(request, dryRun: bool = False, importStrategy: str | None = None,
                             atomic: bool = False, dataSet: str | None = None):
    return import_values(request, "csv", dryRun, importStrategy, atomic, dataSet)


@router.get("/dataValueSets", response=EXPORT_RESPONSES, summary="Xuất dataValueSets (DHIS2)",
            description=EXPORT_DESCRIPTION)
def get_data_value_sets(request, dataSet: str | None = None, period: str | None = None,
                        orgUnit: str | None = None, dataElement: str | None = None, startDate: str | None = None,
                        endDate: str | None = None, includeDeleted: bool = False, format: str | None = None):
    return export_values(request, dataSet, period, orgUnit, dataElement, _date(startDate), _date(endDate),
                         includeDeleted, format)


@router.get("/dataValueSets.json", response=EXPORT_RESPONSES, summary="Xuất dataValueSets JSON (DHIS2)",
            description=EXPORT_DESCRIPTION)
def get_data_value_sets_json(request, dataSet: str | None = None, period: str | None = None,
                             orgUnit: str | None = None, dataElement: str | None = None,
                             startDate: str | None = None, endDate: str | None = None,
                             includeDeleted: bool = False):
    return export_values(request, dataSet, period, orgUnit, dataElement, _date(startDate), _date(endDate),
                         includeDeleted, "json")


@router.get("/dataValueSets.csv", response={200: str, 400: Detail, 403: Detail},
            summary="Xuất dataValueSets CSV (DHIS2)", description=EXPORT_DESCRIPTION)
def get_data_value_sets_csv(request, dataSet: str | None = None, period: str | None = None,
                            orgUnit: str | None = None, dataElement: str | None = None,
                            startDate: str | None = None, endDate: str | None = None,
                            includeDeleted: bool = False):
    return export_values(request, dataSet, period, orgUnit, dataElement, _date(startDate), _date(endDate),
                         includeDeleted, "csv")


def _date(text):
    if not text:
        return None
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HttpError(400, f'Ngày "{text}" không hợp lệ; viết theo dạng YYYY-MM-DD (ví dụ 2026-01-31).')

