"""Read-only catalog endpoints: what integrators need to know the codes to send."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from solieu.catalog import periods
from solieu.catalog.models import Form, Indicator, ReportingUnit

router = Router(tags=["Danh mục"])


class IndicatorOut(Schema):
    code: str
    name: str
    sector: str
    unit: str
    value_type: str
    decimals: int
    aggregation: str
    time_aggregation: str
    numerator: str | None
    denominator: str | None


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    province: str | None
    parent: str | None
    valid_from: date | None
    valid_to: date | None


class FormRowOut(Schema):
    code: str
    label: str
    indicator: str | None
    disaggregation: str | None
    options: list[str]


class FormOut(Schema):
    code: str
    version: int
    name: str
    sector: str
    regime: str
    period_type: str
    rows: list[FormRowOut]


class PeriodOut(Schema):
    code: str
    type: str
    label: str
    start: date
    end: date
    window_start: date
    window_end: date


def _indicator(i):
    return IndicatorOut(
        code=i.code, name=i.name, sector=i.sector.code, unit=i.unit, value_type=i.value_type,
        decimals=i.decimals, aggregation=i.aggregation, time_aggregation=i.time_aggregation,
        numerator=i.numerator.code if i.numerator_id else None,
        denominator=i.denominator.code if i.denominator_id else None,
    )


@router.get("/indicators", response=list[IndicatorOut], summary="Danh sách chỉ tiêu")
def list_indicators(request, sector: str | None = None):
    qs = Indicator.objects.select_related("sector", "numerator", "denominator").filter(active=True)
    if sector:
        qs = qs.filter(sector__code=sector)
    return [_indicator(i) for i in qs]


@router.get("/units", response=list[UnitOut], summary="Đơn vị báo cáo (còn hiệu lực vào ngày chỉ định)")
def list_units(request, on: date | None = None, kind: str | None = None):
    qs = ReportingUnit.objects.select_related("province", "parent")
    if on:
        qs = qs.valid_on(on)
    if kind:
        qs = qs.filter(kind=kind)
    return [
        UnitOut(code=u.code, name=u.name, kind=u.kind, province=u.province.code if u.province_id else None,
                parent=u.parent.code if u.parent_id else None, valid_from=u.valid_from, valid_to=u.valid_to)
        for u in qs
    ]


@router.get("/forms/{code}", response=FormOut, summary="Cấu trúc một biểu mẫu (phiên bản mới nhất)")
def form_detail(request, code: str):
    form = Form.objects.filter(code=code).order_by("-version").first()
    if form is None:
        get_object_or_404(Form, code=code)
    rows = form.rows.select_related("indicator", "disaggregation").prefetch_related("disaggregation__options")
    return FormOut(
        code=form.code, version=form.version, name=form.name, sector=form.sector.code, regime=form.regime,
        period_type=form.period_type,
        rows=[
            FormRowOut(
                code=r.code, label=r.title, indicator=r.indicator.code if r.indicator_id else None,
                disaggregation=r.disaggregation.code if r.disaggregation_id else None,
                options=[o.code for o in r.disaggregation.options.all()] if r.disaggregation_id else [],
            )
            for r in rows
        ],
    )


@router.get("/periods/{code}", response=PeriodOut, summary="Giải mã một mã kỳ báo cáo")
def period_detail(request, code: str, regime: str = "statistical"):
    try:
        pid = periods.PeriodId.parse(code)
        window = pid.window(regime)
    except (periods.PeriodError, ValueError) as exc:
        from ninja.errors import HttpError

        raise HttpError(400, getattr(exc, "message", str(exc)))
    return PeriodOut(code=pid.code, type=pid.type.value, label=pid.label(), start=pid.start_date,
                     end=pid.end_date, window_start=window[0], window_end=window[1])
