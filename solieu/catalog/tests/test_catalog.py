"""The default national catalog: complete, consistent, and loaded idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command

from solieu.catalog.models import Form, FormRow, Indicator, ReportingUnit, Sector

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    call_command("load_catalog", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_loading_twice_prints_identical_counts(catalog):
    first, second = load(), load()
    assert first == second
    assert "Chỉ tiêu" in first and "Biểu mẫu" in first and "Đơn vị báo cáo" in first
    assert catalog == {line.rsplit(None, 1)[0].strip(): int(line.rsplit(None, 1)[1]) for line in first.splitlines()}


def test_every_sector_has_indicators(catalog):
    assert Sector.objects.count() == 12
    assert Indicator.objects.count() >= 120
    for sector in Sector.objects.all():
        assert sector.indicators.count() >= 5, sector.code


def test_forms_cover_every_sector_with_deadlines(catalog):
    forms = Form.objects.all()
    assert forms.count() >= 8
    covered = set(FormRow.objects.filter(indicator__isnull=False).values_list("indicator__sector__code", flat=True))
    assert covered == set(Sector.objects.values_list("code", flat=True))
    for form in forms:
        assert form.deadlines.filter(tier="reporter").exists(), form.code
        assert form.assignments.exists(), form.code
    assert Form.objects.get(code="BC-SO-THANG").assignments.filter(
        unit__kind="provincial_department").count() == 63 + 52 + 34


def test_ratios_are_recomputable_and_never_averaged(catalog):
    for ind in Indicator.objects.all():
        ind.full_clean(validate_unique=False, validate_constraints=False)
        if ind.value_type == "percent" or ind.unit.startswith("%"):
            assert ind.aggregation in ("ratio", "none"), ind.code
    for row in FormRow.objects.filter(indicator__aggregation="ratio").select_related("indicator"):
        codes = set(row.form.rows.values_list("indicator__code", flat=True))
        assert {row.indicator.numerator.code, row.indicator.denominator.code} <= codes, (row.form.code, row.code)


def test_units_of_every_kind(catalog):
    kinds = set(ReportingUnit.objects.values_list("kind", flat=True))
    assert kinds == {k.value for k in ReportingUnit.Kind}
    assert ReportingUnit.objects.get(code="BTTTT").successors()[0].code == "BKHCN"


def test_indicator_rules_are_sensible_for_known_figures(catalog):
    get = lambda code: Indicator.objects.get(code=code)  # noqa: E731
    assert (get("POSTAL_REVENUE").aggregation, get("POSTAL_REVENUE").time_aggregation) == ("sum", "flow")
    assert get("OVERVIEW_LABOUR").time_aggregation == "stock"
    assert get("TELECOM_FIXED_BROADBAND_SUBSCRIBERS").time_aggregation == "stock"
    per100 = get("TELECOM_FIXED_BROADBAND_PER100")
    assert per100.aggregation == "ratio" and per100.denominator.code == "OVERVIEW_POPULATION"
    assert get("TELECOM_FTTH_HOUSEHOLD_RATE").aggregation == "ratio"
