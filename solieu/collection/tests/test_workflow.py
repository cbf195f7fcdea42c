"""Submit, approve, return, reopen, with scopes, locks and notifications."""

from decimal import Decimal

import pytest
from django.core import mail

from solieu.catalog.models import Period
from solieu.catalog.periods import PeriodId
from solieu.collection import workflow
from solieu.collection.entry import EntryError, save_cell
from solieu.collection.models import DataValue, SubmissionEvent, ValidationRule
from solieu.collection.values import save_value, Key

from .factories import submission, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(catalog):
    return {
        "reporter": user_with("so01", "reporter", "SKHCN-01"),
        "approver": user_with("lanhdao01", "approver", "SKHCN-01"),
        "receiver": user_with("vukhtc", "approver", "VU_KHTC"),
        "other": user_with("so79", "reporter", "SKHCN-79"),
        "other_approver": user_with("lanhdao79", "approver", "SKHCN-79"),
    }


def test_full_cycle_submit_return_fix_approve(people, django_capture_on_commit_callbacks):
    sub = submission()
    save_cell(people["reporter"], sub, "1", "TOTAL", "8.435.700")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(people["reporter"], sub)
    sub.refresh_from_db()
    assert sub.status == "submitted" and sub.submitted_by == people["reporter"]
    assert mail.outbox and "lanhdao01@example.invalid" in mail.outbox[-1].to

    with pytest.raises(EntryError, match="đang chờ phê duyệt"):
        save_cell(people["reporter"], sub, "1", "TOTAL", "1")

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_(people["approver"], sub, "Dân số chưa khớp niên giám.")
    sub.refresh_from_db()
    assert sub.status == "returned" and sub.return_reason == "Dân số chưa khớp niên giám."
    assert "so01@example.invalid" in mail.outbox[-1].to and "Dân số chưa khớp" in mail.outbox[-1].body

    save_cell(people["reporter"], sub, "1", "TOTAL", "8.435.800")
    workflow.submit(people["reporter"], sub)
    workflow.approve(people["approver"], sub)
    sub.refresh_from_db()
    assert sub.status == "approved"
    assert list(sub.events.order_by("id").values_list("action", flat=True)) == [
        "submit", "return", "submit", "approve"]
    with pytest.raises(EntryError, match="đã được phê duyệt nên đã khóa"):
        save_cell(people["reporter"], sub, "1", "TOTAL", "1")


def test_receiving_department_may_approve(people):
    sub = submission()
    save_cell(people["reporter"], sub, "1", "TOTAL", "100")
    workflow.submit(people["reporter"], sub)
    workflow.approve(people["receiver"], sub)
    assert sub.events.filter(action="approve", user=people["receiver"]).exists()


def test_nobody_acts_outside_their_scope(people):
    sub = submission()
    with pytest.raises(EntryError, match="không có quyền nhập số liệu"):
        save_cell(people["other"], sub, "1", "TOTAL", "5")
    save_cell(people["reporter"], sub, "1", "TOTAL", "5")
    with pytest.raises(EntryError, match="không có quyền nhập"):
        workflow.submit(people["other"], sub)
    workflow.submit(people["reporter"], sub)
    with pytest.raises(workflow.WorkflowError, match="không có quyền phê duyệt"):
        workflow.approve(people["other_approver"], sub)
    with pytest.raises(workflow.WorkflowError, match="không có quyền phê duyệt"):
        workflow.approve(people["reporter"], sub)
    assert not SubmissionEvent.objects.filter(action="approve").exists()


def test_return_needs_a_reason(people):
    sub = submission()
    save_cell(people["reporter"], sub, "1", "TOTAL", "5")
    workflow.submit(people["reporter"], sub)
    with pytest.raises(workflow.WorkflowError, match="Phải ghi lý do trả lại"):
        workflow.return_(people["approver"], sub, "  ")


def test_errors_block_submission(people):
    sub = submission()
    assert ValidationRule.objects.filter(form=sub.form, code="R1", left="[9]", right="[2]").exists()  # catalog
    save_cell(people["reporter"], sub, "2", "TOTAL", "1000")
    save_cell(people["reporter"], sub, "9", "TOTAL", "1200")
    with pytest.raises(workflow.WorkflowError) as err:
        workflow.submit(people["reporter"], sub)
    assert "còn 1 lỗi" in err.value.message
    assert "cáp quang" in err.value.issues[0].message
    sub.refresh_from_db()
    assert sub.status == "draft"


def test_warnings_need_a_comment(people):
    sub = submission()
    unit, total_option = sub.unit, None
    spec_cell = sub.form.rows.get(code="4")
    from solieu.catalog.models import DisaggregationOption

    total_option = DisaggregationOption.total()
    pid = sub.pid
    for n in range(1, 13):
        before = PeriodId.month(pid.year, pid.index)
        for _ in range(n):
            before = before.previous()
        save_value(Key(spec_cell.indicator, total_option, unit, Period.objects.for_id(before)),
                   Decimal(1000 + n))
    result = save_cell(people["reporter"], sub, "4", "TOTAL", "5000")
    assert result.issues and result.issues[0].level == "warning"
    with pytest.raises(workflow.WorkflowError, match="cảnh báo cần ghi chú"):
        workflow.submit(people["reporter"], sub)
    save_cell(people["reporter"], sub, "4", "TOTAL", "5000", comment="Mở thêm 4.000 điểm phục vụ mới.")
    workflow.submit(people["reporter"], sub)


def test_old_period_locks_until_reopened(people):
    sub = submission(pid=PeriodId.parse("202301"))
    with pytest.raises(EntryError, match="đã khóa"):
        save_cell(people["reporter"], sub, "1", "TOTAL", "5")
    workflow.reopen(people["approver"], sub, "Bổ sung số liệu theo yêu cầu của Bộ.")
    sub.refresh_from_db()
    save_cell(people["reporter"], sub, "1", "TOTAL", "5")
    assert DataValue.objects.current().filter(unit=sub.unit, period=sub.period).count() == 1
    sub.refresh_from_db()
    assert sub.is_late()  # sent long after the deadline, it still counts as late
