"""The demo tasks load once, over the national catalog, with overdue, due-soon and done tasks."""

from datetime import date

import pytest
from django.core.management import call_command

from solieu.assignments import stats
from solieu.assignments.models import SourceDocument, Task

pytestmark = [pytest.mark.usefixtures("catalog"), pytest.mark.django_db]


def test_demo_tasks_load_once(capsys):
    call_command("load_demo_tasks", "--today", "2026-11-23")
    assert "Đã nạp 41 nhiệm vụ mẫu (3 văn bản giao mới)" in capsys.readouterr().out
    call_command("load_demo_tasks", "--today", "2026-11-23")
    assert "Đã nạp 0 nhiệm vụ mẫu (0 văn bản giao mới); bỏ qua 41" in capsys.readouterr().out
    assert Task.objects.count() == 41 and SourceDocument.objects.count() == 3
    st = stats.compute(Task.objects.all(), date(2026, 11, 23))
    assert st.tasks.due_not_done > 0 and st.tasks.done > 0 and st.tasks.not_due > 0
    seed = Task.objects.with_details().get(document__number="DEMO-2023/BC-BTTTT", order="1")
    assert [r.deadline_date for r in seed.results.all()] == [date(2023, 9, 30), date(2023, 12, 31)]
