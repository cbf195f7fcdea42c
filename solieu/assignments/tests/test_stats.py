"""Statistics at three cut-off dates, every number computed by hand below.

Plan 12/KH-BTTTT of 15/01/2024 (so "Tháng 6" and "Trước ngày 15/4" are 2024). Units A, B.

T1 A postal    r1 "Quý I/2024" (31/03) done 20/03; r2 "Tháng 6" (30/06) done 10/07 -> deadline 30/06
T2 A telecom   r1 "Trước ngày 15/4" (15/04) done 01/03            (45 days early: ahead)
T3 B postal    r1 "30/06/2024" not done
T4 B telecom   r1 "Quý III/2024" (30/09) done 15/06               (107 days early: ahead)
T5 B (none)    r1 event without date, done 01/05; r2 "Thường xuyên" not done -> no deadline
T6 A postal    r1 "Tháng 5/2024" (31/05) done 31/05; r2 event "(01/7/2025)" not done -> deadline 01/07/2025
T7 A telecom   r1 "Quý II/2024" not done; task cancelled on 01/05/2024
T8 B postal    assigned 01/08/2024 (plan of that day); r1 "Tháng 10/2024" (31/10) done 30/10
T9 B postal    r1 "Quý I/2024" (31/03) done 02/04 (late); r2 "Tháng 2" cancelled -> deadline 31/03
"""

from datetime import date

import pytest

from solieu.assignments import stats
from solieu.assignments.models import SourceDocument, Task, TaskStatus

from .conftest import make_task


@pytest.fixture
def nine(small):
    s = small
    a, b, postal, telecom, plan = s["a"], s["b"], s["postal"], s["telecom"], s["plan"]
    later = SourceDocument.objects.create(kind="decision", number="99/QĐ-BTTTT", issued_on=date(2024, 8, 1))
    return {
        "T1": make_task(a, [("Quý I/2024", date(2024, 3, 20)), ("Tháng 6", date(2024, 7, 10))], sector=postal,
                        document=plan, title="T1"),
        "T2": make_task(a, [("Trước ngày 15/4", date(2024, 3, 1))], sector=telecom, document=plan, title="T2"),
        "T3": make_task(b, [("30/06/2024", None)], sector=postal, document=plan, title="T3"),
        "T4": make_task(b, [("Quý III/2024", date(2024, 6, 15))], sector=telecom, document=plan, title="T4"),
        "T5": make_task(b, [("Khi Luật Bưu chính (sửa đổi) có hiệu lực", date(2024, 5, 1)), ("Thường xuyên", None)],
                        document=plan, title="T5"),
        "T6": make_task(a, [("Tháng 5/2024", date(2024, 5, 31)), ("Khi Luật Dữ liệu có hiệu lực (01/7/2025)", None)],
                        sector=postal, document=plan, title="T6"),
        "T7": make_task(a, [("Quý II/2024", None)], sector=telecom, document=plan, title="T7",
                        cancelled_on=date(2024, 5, 1)),
        "T8": make_task(b, [("Tháng 10/2024", date(2024, 10, 30))], sector=postal, document=later, title="T8"),
        "T9": make_task(b, [("Quý I/2024", date(2024, 4, 2)), ("Tháng 2", None, "cancelled")], sector=postal,
                        document=plan, title="T9"),
    }


def counts(tally):
    return {name: getattr(tally, name) for name in (
        "total", "done", "done_on_time", "done_late", "due", "due_on_time", "due_late", "due_not_done", "not_due",
        "not_due_done", "ahead", "undated", "cancelled")}


def test_deadlines_read_from_the_document_year(nine):
    assert [t.deadline for t in Task.objects.with_details().order_by("id")] == [
        date(2024, 6, 30), date(2024, 4, 15), date(2024, 6, 30), date(2024, 9, 30), None, date(2025, 7, 1),
        date(2024, 6, 30), date(2024, 10, 31), date(2024, 3, 31)]


def test_at_the_end_of_march(nine):
    st = stats.compute(Task.objects.all(), date(2024, 3, 31))
    # T8 is not assigned yet; T7 is still live. Only T2 is done; only T9 is due (done only on 02/04).
    assert counts(st.tasks) == dict(total=8, done=1, done_on_time=1, done_late=0, due=1, due_on_time=0, due_late=0,
                                    due_not_done=1, not_due=6, not_due_done=1, ahead=1, undated=1, cancelled=0)
    # Results: T1r1 is due and was done on time, T9r1 is due and not done; T9r2 is cancelled.
    assert counts(st.results) == dict(total=11, done=2, done_on_time=2, done_late=0, due=2, due_on_time=1,
                                      due_late=0, due_not_done=1, not_due=7, not_due_done=1, ahead=1, undated=2,
                                      cancelled=1)
    assert st.tasks.done_pct == "12,5"  # 1/8
    assert st.cutoff_label == "tháng 3/2024"


def test_at_the_end_of_june(nine):
    st = stats.compute(Task.objects.all(), date(2024, 6, 30))
    # T7 is cancelled now. Done: T2, T4 (both ahead), T9 (late). Due: T1, T2, T3, T9.
    assert counts(st.tasks) == dict(total=7, done=3, done_on_time=2, done_late=1, due=4, due_on_time=1, due_late=1,
                                    due_not_done=2, not_due=2, not_due_done=1, ahead=2, undated=1, cancelled=1)
    assert counts(st.results) == dict(total=10, done=6, done_on_time=5, done_late=1, due=6, due_on_time=3,
                                      due_late=1, due_not_done=2, not_due=2, not_due_done=1, ahead=2, undated=2,
                                      cancelled=2)
    assert (st.tasks.done_pct, st.tasks.due_done, st.tasks.due_done_pct) == ("42,9", 2, "50")  # 3/7, 2/4


def test_at_the_end_of_the_year_by_unit_and_sector(nine):
    st = stats.compute(Task.objects.all(), date(2024, 12, 31))
    # T1 is done now (late: 10/07 after 30/06); T8 is assigned and done on time.
    assert counts(st.tasks) == dict(total=8, done=5, done_on_time=3, done_late=2, due=6, due_on_time=3, due_late=2,
                                    due_not_done=1, not_due=1, not_due_done=0, ahead=2, undated=1, cancelled=1)
    assert (st.tasks.done_pct, st.tasks.due_done_pct) == ("62,5", "83,3")  # 5/8, 5/6
    units = {row.key: (row.tasks.total, row.tasks.done, row.tasks.cancelled, row.results.total) for row in st.by_unit}
    assert units == {"CUC_A": (3, 2, 1, 5), "VU_B": (5, 3, 0, 6)}
    sectors = [(row.label, row.tasks.total, row.tasks.done, row.tasks.due_not_done) for row in st.by_sector]
    assert sectors == [("Bưu chính", 5, 3, 1), ("Viễn thông", 2, 2, 0), ("Chưa phân lĩnh vực", 1, 0, 0)]


def test_a_cut_off_in_the_middle_of_a_month(nine):
    st = stats.compute(Task.objects.all(), date(2024, 4, 15))
    # T2 is due on 15/04 and was done: on time; T9 was done on 02/04, late.
    assert (st.tasks.due, st.tasks.due_on_time, st.tasks.due_late, st.tasks.due_not_done) == (2, 1, 1, 0)
    assert st.cutoff_label == "ngày 15/04/2024"


def test_ahead_depends_on_the_setting(nine, settings):
    settings.SOLIEU_TASK_AHEAD_DAYS = 60
    st = stats.compute(Task.objects.all(), date(2024, 12, 31))
    assert st.tasks.ahead == 1  # only T4 (107 days early); T2 was 45 days early


def test_states_of_a_task_over_time(nine):
    t1 = Task.objects.with_details().get(title="T1")
    # Before the day a result was done, it counts as under way (it was finished later).
    assert t1.state_on(date(2024, 2, 1)).status == TaskStatus.IN_PROGRESS
    assert t1.state_on(date(2024, 5, 1)).status == TaskStatus.IN_PROGRESS   # r1 done
    assert t1.state_on(date(2024, 7, 1)).status == TaskStatus.OVERDUE
    late = t1.state_on(date(2024, 7, 10))
    assert (late.status, late.done_on) == (TaskStatus.DONE_LATE, date(2024, 7, 10))
    t6 = Task.objects.with_details().get(title="T6")
    # Its own deadline is 2025, but no result is late: in progress, no overdue result.
    assert t6.state_on(date(2024, 8, 1)).status == TaskStatus.IN_PROGRESS
    assert t6.overdue_results(date(2024, 8, 1)) == []
    t3 = Task.objects.with_details().get(title="T3")
    assert t3.state_on(date(2024, 2, 1)).status == TaskStatus.NOT_STARTED
    assert [r.deadline_text for r in t3.overdue_results(date(2024, 7, 1))] == ["30/06/2024"]
    t7 = Task.objects.with_details().get(title="T7")
    assert t7.state_on(date(2024, 4, 30)).status == TaskStatus.NOT_STARTED
    assert t7.state_on(date(2024, 5, 1)).status == TaskStatus.CANCELLED


def test_percentages_are_written_the_vietnamese_way():
    assert stats.percent_text(19, 79) == "24,1"
    assert stats.percent_text(16, 28) == "57,1"
    assert stats.percent_text(1, 2) == "50"
    assert stats.percent_text(0, 0) == ""
