"""Every export keeps formula-like text as text (formula or CSV injection), and numbers as numbers.

XLSX: the file holds no formula at all (no <f> element in any sheet) and the text reads back as
a string cell, exactly as typed. CSV: the text comes back behind a single quote.
"""

import csv
import io
import re
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from solieu.api.tests import MONTH, bearer, post_json
from solieu.catalog.models import Form, FormRow, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.exports import is_formula_like, safe_row, safe_text

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1",
            "=cmd|' /C calc'!A0"]
PAYLOAD_IDS = ["hyperlink", "plus", "minus", "at", "tab", "cr", "dde"]


@pytest.mark.parametrize("text", PAYLOADS, ids=PAYLOAD_IDS)
def test_safe_text_quotes_formula_like_text(text):
    assert is_formula_like(text)
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", ["-2", "-2.5", "+3", "-0.001", "12", "Doanh thu", "", "a=b", "'=x",
                                   -2, Decimal("-2.5"), None, 3.5])
def test_numbers_and_plain_text_are_left_alone(value):
    assert not is_formula_like(value)
    assert safe_text(value) == value
    assert safe_row([value]) == [value]


def formulas_in(data: bytes) -> list[str]:
    """Every <f> element of every sheet of an xlsx file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [name for name in archive.namelist() if name.startswith("xl/worksheets/")
                and re.search(rb"<f[ >]", archive.read(name))]


def string_cells(data: bytes) -> dict[str, str]:
    """Text of every string cell -> its data type, over all sheets (openpyxl, as Excel would read it)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found[cell.value] = cell.data_type
    return found


def assert_text_cells(data: bytes, texts):
    assert formulas_in(data) == []
    cells = string_cells(data)
    for text in texts:
        text = text.replace("\r", "_x000D_").casefold()  # how XlsxWriter escapes a carriage return
        holding = {value: kind for value, kind in cells.items() if text in value.casefold()}
        assert holding, f"{text!r} not in the file"
        assert set(holding.values()) == {"s"}, holding


# --- XLSX exports ----------------------------------------------------------------------------


def test_report_figure_sheet():
    from solieu.reports.renderers.xlsx import render_figure_sheet
    from solieu.reports.sample import sample_report

    report = sample_report()
    figures = [replace(f, label=PAYLOADS[i % len(PAYLOADS)], scope=PAYLOADS[(i + 1) % len(PAYLOADS)],
                       derivation=PAYLOADS[(i + 2) % len(PAYLOADS)], value=Decimal("-2.5"))
               for i, f in enumerate(report.figures)]
    report = replace(report, figures=figures, title=PAYLOADS[0])
    data = render_figure_sheet(report)
    assert_text_cells(data, PAYLOADS)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.cell(5, 5).value == -2.5 and sheet.cell(5, 5).data_type == "n"  # a number stays a number


def test_factcheck_findings():
    from solieu.factcheck.checks import Finding
    from solieu.factcheck.export import findings_xlsx
    from solieu.factcheck.statements import Statement

    statements = [Statement(document=text, line=1, quote=text) for text in PAYLOADS]
    findings = [Finding("conflict", text, Decimal(5), statements, expected=Decimal("-2"), stated=Decimal(3))
                for i, text in enumerate(PAYLOADS)]
    data = findings_xlsx(findings, title=PAYLOADS[0])
    assert_text_cells(data, PAYLOADS)


@pytest.mark.django_db
def test_task_list():
    from solieu.assignments import excel
    from solieu.assignments.tests.conftest import make_task

    unit = ReportingUnit.objects.create(code="CUC_X", name=PAYLOADS[1], kind="ministry_department")
    tasks = [make_task(unit, [("Quý I/2024", date(2024, 3, 20)), ("Tháng 6/2024", None)], title=text, order=str(i))
             for i, text in enumerate(PAYLOADS)]
    tasks[0].note = PAYLOADS[2]
    tasks[0].save()
    result = tasks[1].results.first()
    result.description, result.evidence = PAYLOADS[3], PAYLOADS[4]
    result.save()
    data = excel.build_task_list(tasks, date(2024, 4, 30), title=PAYLOADS[5])
    assert_text_cells(data, PAYLOADS)


@pytest.fixture
def poisoned(catalog, db):
    """A form, a unit and a row whose names are formulas."""
    form = Form.objects.get(code="BC-SO-THANG")
    unit = ReportingUnit.objects.get(code="SKHCN-01")
    Form.objects.filter(pk=form.pk).update(name=PAYLOADS[0], legal_source=PAYLOADS[6])
    ReportingUnit.objects.filter(pk=unit.pk).update(name=PAYLOADS[1])
    row = FormRow.objects.filter(form=form, indicator__isnull=False).order_by("sort_order").first()
    FormRow.objects.filter(pk=row.pk).update(label=PAYLOADS[2])
    return Form.objects.get(pk=form.pk), ReportingUnit.objects.get(pk=unit.pk)


def test_excel_templates(poisoned):
    from solieu.collection import entry, excel

    form, unit = poisoned
    period = Period.objects.for_id(PeriodId.containing("month", timezone.localdate()))
    data = excel.build_template(entry.submission_for(form, unit, period))
    assert_text_cells(data, PAYLOADS[:3])
    data = excel.build_form_template(form, period)
    assert_text_cells(data, PAYLOADS[1:3])


# --- CSV exports -----------------------------------------------------------------------------


def csv_rows(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))


@pytest.fixture
def commented(catalog, db):
    from solieu.accounts.models import ApiToken

    _, key = ApiToken.issue(ReportingUnit.objects.get(code="SKHCN-01"), "Hệ thống thử")
    client = bearer(key)
    rows = ["1", "2", "3", "4", "5", "6", "7"]
    codes = list(FormRow.objects.filter(form__code="BC-SO-THANG", indicator__isnull=False)
                 .order_by("sort_order").values_list("indicator__code", flat=True)[:len(rows)])
    items = [{"indicator": code, "unit": "SKHCN-01", "period": MONTH, "value": "-0" if i == 0 else str(i + 1),
              "comment": PAYLOADS[i % len(PAYLOADS)]} for i, code in enumerate(codes)]
    response = post_json(client, "/api/data/values", items)
    assert response.status_code == 200, response.content[:500]
    assert response.json()["importCount"]["imported"] == len(items)
    return client, {item["indicator"]: item["comment"] for item in items}


def test_api_values_csv(commented):
    client, comments = commented
    rows = csv_rows(client.get("/api/data/values", {"format": "csv", "period": MONTH}))
    assert {row["indicator"]: row["comment"] for row in rows} == {k: "'" + v for k, v in comments.items()}
    assert all(re.fullmatch(r"-?[0-9.]+", row["value"]) for row in rows)


def test_dhis2_csv(commented):
    client, comments = commented
    rows = csv_rows(client.get("/api/dataValueSets.csv", {"period": MONTH, "orgUnit": "SKHCN-01"}))
    assert {row["dataelement"]: row["comment"] for row in rows} == {k: "'" + v for k, v in comments.items()}


def test_json_exports_keep_the_text_as_sent(commented):
    """JSON has types: nothing to neutralise, and the comment is returned exactly."""
    client, comments = commented
    values = client.get("/api/data/values", {"period": MONTH}).json()["values"]
    assert {v["indicator"]: v["comment"] for v in values} == comments
