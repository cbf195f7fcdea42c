"""Markup typed into free-text fields is text everywhere: escaped in pages, literal in DOCX and PDF.

Fields: value comments, narratives, task titles and evidence, unit names, return reasons, ad-hoc
request texts (fact-check document names: factcheck/tests/test_hostile_files.py). A page must
never contain the markup raw, and must show it escaped; a DOCX or PDF must read back the literal
text with no markup injected.
"""

import html
import io
import zipfile
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone

from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.catalog.periods import PeriodId
from solieu.collection import entry
from solieu.collection.models import AdHocRequest, Submission, SubmissionStatus
from solieu.collection.tests.factories import user_with
from solieu.reports.assemble import paragraphs_of
from solieu.reports.document import Cell, Paragraph, Run, Section, Table
from solieu.reports.sample import sample_report

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PAYLOADS = [SCRIPT, '<img src=x onerror="alert(2)">', "</textarea><b>đậm</b>", "{{ 7*7 }} &amp; ${x}"]


def assert_escaped(response, payload=SCRIPT):
    assert response.status_code == 200
    raw = response.content.decode()
    assert payload not in raw, "markup appears raw"
    assert html.escape(payload) in raw or html.escape(payload, quote=False) in raw, "text missing"


# --- documents: DOCX and PDF read back -------------------------------------------------------


def hostile_report():
    report = sample_report()
    narrative = Section("Khó khăn, vướng mắc", 3, paragraphs_of("\n".join(
        [PAYLOADS[0], "- " + PAYLOADS[1], "+ " + PAYLOADS[2], PAYLOADS[3]])))
    table = Table(columns=["Chỉ tiêu", "Ghi chú"], rows=[[Cell([Run(PAYLOADS[1])]), Cell([Run(SCRIPT)])]],
                  caption=PAYLOADS[2])
    report.sections = [*report.sections, Section(PAYLOADS[0], 2, [narrative, table, Paragraph([Run(SCRIPT)])])]
    return replace(report, title=f"{report.title} {PAYLOADS[2]}")


@pytest.fixture(scope="module")
def report():
    return hostile_report()


def test_docx_holds_the_literal_text(report):
    from docx import Document

    from solieu.reports.renderers.docx import render_docx

    data = render_docx(report)
    word = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells)
    for payload in PAYLOADS:
        assert payload in text, payload
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "<script" not in xml and "<img" not in xml and "<b>" not in xml
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml


def test_pdf_holds_the_literal_text(report):
    import pypdf

    from solieu.reports.renderers.pdf import render_html, render_pdf

    html = render_html(report)
    assert SCRIPT not in html and ESCAPED in html and "<img src=x" not in html
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(report))).pages)
    text = " ".join(text.split())
    for payload in (SCRIPT, "</textarea><b>đậm</b>", "{{ 7*7 }} &amp; ${x}"):
        assert payload in text, payload


def test_a_report_assembled_from_the_database_keeps_typed_markup_as_text(figures):
    """Narratives written by staff go from the database into the documents as text."""
    from docx import Document

    import pypdf

    from solieu.reports.assemble import ReportRequest, build_report
    from solieu.reports.models import Narrative
    from solieu.reports.renderers.docx import render_docx
    from solieu.reports.renderers.pdf import render_html, render_pdf

    from solieu.catalog.models import Sector

    Narrative.objects.create(period_code="2024S1", scope_code="VN", part=Narrative.Part.LEGAL, text=SCRIPT)
    Narrative.objects.create(period_code="2024S1", scope_code="VN", sector=Sector.objects.get(code="postal"),
                             part=Narrative.Part.DIFFICULTIES, text=f"- {PAYLOADS[1]}")
    report = build_report(ReportRequest(PeriodId.parse("2024S1")), link=lambda f, r: "")

    data = render_docx(report)
    word = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs)
    assert SCRIPT in text and PAYLOADS[1] in text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "<script" not in xml and "<img" not in xml and ESCAPED in xml

    html = render_html(report)
    assert SCRIPT not in html and ESCAPED in html and "<img src=x" not in html
    pdf = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(report))).pages)
                   .split())
    assert SCRIPT in pdf


# --- pages -----------------------------------------------------------------------------------


@pytest.fixture
def month_submission(catalog, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    form = Form.objects.get(code="BC-SO-THANG")
    unit = ReportingUnit.objects.get(code="SKHCN-01")
    period = Period.objects.for_id(PeriodId.containing("month", timezone.localdate()))
    reporter = user_with("h-so01", "reporter", "SKHCN-01")
    return entry.submission_for(form, unit, period), reporter


def entry_url(submission):
    return f"/bao-cao/{submission.form.code}/{submission.unit.code}/{submission.period.code}/"


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "img", "textarea", "template"])
def test_value_comments(client, month_submission, payload):
    submission, reporter = month_submission
    entry.save_cell(reporter, submission, "4", "TOTAL", "5", comment=payload)
    client.force_login(reporter)
    response = client.get(entry_url(submission))
    assert response.status_code == 200
    raw = response.content.decode()
    assert payload not in raw
    assert html.escape(payload) in raw or html.escape(payload, quote=False) in raw


def test_unit_names(client, month_submission):
    submission, reporter = month_submission
    ReportingUnit.objects.filter(pk=submission.unit_id).update(name=f"Sở {SCRIPT}", short_name=f"Sở {SCRIPT}")
    client.force_login(reporter)
    for url in (entry_url(submission), "/cong-viec/"):
        response = client.get(url)
        assert SCRIPT not in response.content.decode(), url
        assert html.escape(SCRIPT) in response.content.decode(), url


def test_return_reasons(client, month_submission):
    submission, reporter = month_submission
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RETURNED, return_reason=SCRIPT)
    client.force_login(reporter)
    assert_escaped(client.get(entry_url(submission)))


def test_adhoc_request_texts(client, month_submission):
    submission, reporter = month_submission
    analyst = user_with("h-tonghop", "analyst")
    period = Period.objects.for_id(PeriodId.containing("month", timezone.localdate()))
    request = AdHocRequest.objects.create(code="DX-<b>1</b>", title=SCRIPT, reason=PAYLOADS[1], form=submission.form,
                                          period=period, deadline=timezone.localdate() + timedelta(days=10),
                                          created_by=analyst, override_reason=PAYLOADS[2])
    request.units.add(submission.unit)
    client.force_login(analyst)
    response = client.get("/bao-cao-dot-xuat/")
    assert_escaped(response)
    assert "<img src=x" not in response.content.decode() and "DX-<b>1</b>" not in response.content.decode()


def test_task_titles_and_evidence(client, catalog, db, settings):
    from solieu.assignments.tests.conftest import make_task

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    unit = ReportingUnit.objects.get(code="VU_BC")
    task = make_task(unit, [("Quý I/2024", date(2024, 3, 20))], title=SCRIPT)
    result = task.results.get()
    result.description, result.evidence = PAYLOADS[1], PAYLOADS[2]
    result.save()
    client.force_login(user_with("h-tonghop2", "analyst"))
    for url in ("/nhiem-vu/", f"/nhiem-vu/{task.pk}/"):
        response = client.get(url)
        assert_escaped(response)
        assert "<img src=x" not in response.content.decode() and "</textarea><b>" not in response.content.decode()


def test_narratives_in_the_report_page(client, people, figures):
    client.force_login(people["analyst"])
    response = client.post("/tong-hop/noi-dung/?period=2024S1", {
        "postal-difficulties": SCRIPT + "\n- " + PAYLOADS[1], "postal-difficulties-revision": "0"})
    assert response.status_code == 302
    page = client.get("/tong-hop/?period=2024S1")
    assert_escaped(page)
    assert "<img src=x" not in page.content.decode()
    editor = client.get("/tong-hop/noi-dung/?period=2024S1")
    assert_escaped(editor)
