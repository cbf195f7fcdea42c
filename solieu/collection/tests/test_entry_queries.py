"""The cell save path stays cheap (issue 8, deadline rush): a query budget, and the batched
reads (cell_values, histories, cell_warnings) answer exactly what the per-cell ones did."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from solieu.catalog.models import Form, Period, ReportingUnit
from solieu.collection import entry, validation
from solieu.collection.models import Submission

from .conftest import entry_url, history

pytestmark = pytest.mark.usefixtures("catalog")

# Measured after the issue 8 changes: 25 to change a value, 28 for a new value, 37 for the
# first value of a report (the submission is created, and checked again inside). Before
# them a change took 35. Raise only with a reason.
SAVE_QUERY_BUDGET = 30
FIRST_SAVE_BUDGET = 40


def _save(client, month, row, value, revision):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(entry_url(month, action="o-so-lieu"), {
            "row": row, "option": "TOTAL", "value": value, "revision": revision, "status": "estimate",
            "comment": ""})
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_a_cell_save_stays_within_its_query_budget(client, users, month):
    history("SKHCN-01", "5", month, ["1.25"] * 14)
    client.force_login(users["reporter"])
    first = _save(client, month, "5", "1,3", 0)
    second = _save(client, month, "5", "1,31", 1)
    other = _save(client, month, "7", "12.345", 0)
    assert first <= FIRST_SAVE_BUDGET, first
    assert max(second, other) <= SAVE_QUERY_BUDGET, (second, other)


def test_batched_reads_match_the_per_cell_ones(users, month):
    form = Form.objects.get(code="BC-SO-THANG")
    spec = entry.form_spec(form)
    history("SKHCN-01", "5", month, [str(Decimal("1.2") + Decimal(i) / 100) for i in range(30)])
    history("SKHCN-01", "7", month, ["100", "120"])
    submission = entry.submission_for(form, ReportingUnit.objects.get(code="SKHCN-01"), Period.objects.for_id(month))
    entry.save_cell(users["reporter"], submission, "5", "TOTAL", "1,5", spec=spec, expected_revision=0)
    submission = Submission.objects.get(pk=submission.pk)
    refs = list(spec.cells())
    batched = entry.histories(submission, spec, refs)
    values, references = entry.current_values(submission, spec), entry.reference_values(submission, spec)
    for ref in refs:
        one_cell = entry._history_rows(submission, spec, ref, entry.HISTORY_LIMIT)
        assert batched[ref] == [value for value, _code, _end in reversed(one_cell)], ref
        dv, one = entry.cell_values(submission, spec, ref)
        assert (dv.pk if dv else None) == (values[ref].pk if ref in values else None)
        for name in ("previous", "last_year"):
            assert one[name].get(ref) == references[name].get(ref), (ref, name)
    assert len(batched[validation.CellRef("5")]) == entry.HISTORY_LIMIT


def test_cell_warnings_find_last_year_as_before(users, month):
    form = Form.objects.get(code="BC-SO-THANG")
    spec = entry.form_spec(form)
    history("SKHCN-01", "5", month, ["1.25"] * 12)  # 12 months back: last year's month is the oldest
    submission = entry.submission_for(form, ReportingUnit.objects.get(code="SKHCN-01"), Period.objects.for_id(month))
    row = next(r for r in spec.rows if r.code == "5")
    issues = entry.cell_warnings(spec, submission, row, "TOTAL", Decimal("5"))
    assert any(i.code == "outlier_yoy" for i in issues)
    assert not entry.cell_warnings(spec, submission, row, "TOTAL", Decimal("1.25"))
