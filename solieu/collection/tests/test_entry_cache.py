"""The form specification is built once per process and catalog state (issue 8, deadline rush).

Any write to what a specification is made of (forms, rows, indicators, disaggregations and
their options, deadlines, rules) renews the catalog's token in the database, by trigger, so
that every server process rebuilds at its next request: the next save and the next grid see
the change, however it was written (model save, QuerySet.update, delete).
"""

import dataclasses
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from solieu.catalog.models import (
    CatalogStamp, Disaggregation, DisaggregationOption, Form, FormDeadline, FormRow, Indicator,
)
from solieu.catalog.periods import PeriodId
from solieu.collection import entry
from solieu.collection.models import ValidationRule

from .conftest import FORM, entry_url, text_of

pytestmark = pytest.mark.usefixtures("catalog")


def _form():
    return Form.objects.get(code=FORM)


def _save(client, month, row, value, revision=0):
    return client.post(entry_url(month, action="o-so-lieu"),
                       {"row": row, "option": "TOTAL", "value": value, "revision": revision})


def test_a_built_spec_costs_one_query_then_none_with_the_token(db):
    form = _form()
    first = entry.form_spec(form)
    with CaptureQueriesContext(connection) as ctx:
        again = entry.form_spec(form)
    assert len(ctx.captured_queries) == 1  # the token
    assert again.rows is first.rows and again.form_rows is first.form_rows
    with CaptureQueriesContext(connection) as ctx:
        entry.form_spec(form, stamp=CatalogStamp.current())
    assert len(ctx.captured_queries) == 1  # only the token read by the caller
    other = Form.objects.get(pk=form.pk)
    assert entry.form_spec(other).form is other  # each caller gets its own form object


def test_the_spec_cannot_be_changed_by_a_caller(db):
    spec = entry.form_spec(_form())
    assert isinstance(spec.rows, tuple) and isinstance(spec.rules, tuple) and isinstance(spec.layout, tuple)
    with pytest.raises(TypeError):
        spec.options[("1", "X")] = None
    with pytest.raises(TypeError):
        spec.form_rows["99"] = None
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.rows = ()


@pytest.mark.parametrize("write", [
    lambda: Form.objects.filter(code=FORM).update(name="Biểu đổi tên"),
    lambda: FormRow.objects.filter(form__code=FORM, code="4").update(label="Nhãn mới"),
    lambda: FormDeadline.objects.filter(form__code=FORM, tier="reporter").update(day=20),
    lambda: Indicator.objects.filter(form_rows__form__code=FORM, form_rows__code="4").update(max_value=10),
    lambda: Disaggregation.objects.create(code="THU", name="Phân tổ thử"),
    lambda: DisaggregationOption.objects.filter(code="TOTAL").update(name="Tổng"),
    lambda: ValidationRule.objects.filter(form__code=FORM, code="R1").delete(),
], ids=["form", "row", "deadline", "indicator", "disaggregation", "option", "rule"])
def test_every_catalog_table_renews_the_token(db, write):
    """Triggers, not signals: QuerySet.update and delete count too. (On SQLite a migration that
    rebuilds one of these tables drops its triggers; this test then fails.)"""
    before = CatalogStamp.current()
    assert before
    write()
    assert CatalogStamp.current() not in (None, before)


def test_a_changed_row_is_seen_by_the_next_spec(db):
    form = _form()
    assert entry.form_spec(form).form_rows["4"].title != "Điểm phục vụ (nhãn mới)"
    FormRow.objects.filter(form=form, code="4").update(label="Điểm phục vụ (nhãn mới)")
    spec = entry.form_spec(form)
    assert spec.form_rows["4"].title == "Điểm phục vụ (nhãn mới)"
    assert next(r for r in spec.rows if r.code == "4").label == "Điểm phục vụ (nhãn mới)"


def test_a_rolled_back_change_is_not_served_later(db):
    """The token is random: the one a rolled-back change had never comes back for another."""
    form = _form()
    original = entry.form_spec(form).form_rows["4"].title

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        FormRow.objects.filter(form=form, code="4").update(label="Nhãn bị hủy")
        assert entry.form_spec(form).form_rows["4"].title == "Nhãn bị hủy"
        raise Undo
    assert entry.form_spec(form).form_rows["4"].title == original
    FormRow.objects.filter(form=form, code="4").update(label="Nhãn sau cùng")
    assert entry.form_spec(form).form_rows["4"].title == "Nhãn sau cùng"


def test_deadlines_come_from_the_spec(db):
    form = _form()
    pid = PeriodId.parse("202603")
    expected = form.deadline_for(pid)
    entry.attach_deadlines(form, entry.form_spec(form))
    with CaptureQueriesContext(connection) as ctx:
        assert form.deadline_for(pid) == expected == date(2026, 3, 15)
    assert not ctx.captured_queries
    FormDeadline.objects.filter(form=form, tier="reporter").update(day=20)
    fresh = _form()
    entry.attach_deadlines(fresh, entry.form_spec(fresh))
    assert fresh.deadline_for(pid) == date(2026, 3, 20)


def test_a_new_limit_reaches_the_next_save(client, users, month):
    client.force_login(users["reporter"])
    assert _save(client, month, "4", "500").status_code == 200  # the spec is cached now
    Indicator.objects.filter(form_rows__form__code=FORM, form_rows__code="4").update(max_value=100)
    response = _save(client, month, "4", "600", revision=1)
    assert response.status_code == 422
    assert "msg-error" in text_of(response) and "100" in text_of(response)


def test_a_new_row_reaches_the_next_save_and_the_grid(client, users, month):
    client.force_login(users["reporter"])
    assert _save(client, month, "4", "12").status_code == 200
    assert _save(client, month, "4B", "3").status_code == 404
    form = _form()
    indicator = Indicator.objects.get(form_rows__form=form, form_rows__code="4")
    FormRow.objects.create(form=form, code="4B", label="Điểm phục vụ thử", indicator=Indicator.objects.create(
        code="TEST_NEW_ROW", sector=indicator.sector, name="Chỉ tiêu thử", unit=indicator.unit,
        value_type=indicator.value_type), sort_order=FormRow.objects.get(form=form, code="4").sort_order)
    assert _save(client, month, "4B", "3").status_code == 200
    assert "Điểm phục vụ thử" in text_of(client.get(entry_url(month)))


def test_a_new_or_changed_rule_reaches_the_grid(client, users, month):
    client.force_login(users["reporter"])
    assert _save(client, month, "3", "100").status_code == 200
    assert _save(client, month, "4", "500").status_code == 200
    message = "Số điểm phục vụ không lớn hơn số xã"
    assert message not in text_of(client.get(entry_url(month)))
    ValidationRule.objects.create(form=_form(), code="R9", left="[4]", operator="<=", right="[3]", message=message)
    assert message in text_of(client.get(entry_url(month)))
    ValidationRule.objects.filter(form__code=FORM, code="R9").update(message="Quy tắc thử đã sửa")
    page = text_of(client.get(entry_url(month)))
    assert "Quy tắc thử đã sửa" in page and message not in page
    ValidationRule.objects.filter(form__code=FORM, code="R9").delete()
    assert "Quy tắc thử đã sửa" not in text_of(client.get(entry_url(month)))
