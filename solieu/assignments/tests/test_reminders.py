"""Reminders before a result's deadline and once overdue, each sent once."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from solieu.assignments.models import TaskReminder
from solieu.assignments.reminders import send_task_reminders

from .conftest import make_task


@pytest.fixture
def tasks(small):
    small["a"].email = "cuc-a@example.invalid"
    small["a"].save()
    return {
        "soon": make_task(small["a"], [("30/06/2024", None), ("30/09/2024", None)], title="Thông tư A"),
        "done": make_task(small["a"], [("28/06/2024", date(2024, 6, 1))], title="Đã xong"),
        "b": make_task(small["b"], [("20/06/2024", None)], title="Việc của Vụ B"),
        "cancelled": make_task(small["b"], [("27/06/2024", None)], title="Đã dừng", cancelled_on=date(2024, 5, 1)),
    }


def test_before_the_deadline_then_overdue_each_once(small, tasks):
    # 24/06: Cục A's result of 30/06 is 6 days away; Vụ B's of 20/06 is 4 days overdue.
    assert send_task_reminders(date(2024, 6, 24)) == 2
    a, b = sorted(mail.outbox, key=lambda m: m.to[0])
    assert a.to == ["cuc-a@example.invalid", "duyet-a@example.invalid", "nv-a@example.invalid"]
    assert a.subject == "[solieu] Nhắc nhiệm vụ: 1 kết quả sắp đến hạn"
    assert "Thông tư A — Kết quả 1" in a.body and "30/06/2024 (30/06/2024), còn 6 ngày" in a.body
    assert f"/nhiem-vu/{tasks['soon'].pk}/" in a.body
    assert b.to == ["nv-b@example.invalid"] and b.subject == "[solieu] Nhắc nhiệm vụ: 1 kết quả quá hạn"
    assert "đã quá hạn 4 ngày" in b.body
    bodies = a.body + b.body
    assert "Đã xong" not in bodies and "Đã dừng" not in bodies and "Kết quả 2" not in bodies
    mail.outbox.clear()
    assert send_task_reminders(date(2024, 6, 25)) == 0 and mail.outbox == []   # each stage once
    assert send_task_reminders(date(2024, 7, 1)) == 1
    assert "đã quá hạn 1 ngày" in mail.outbox[0].body and "Thông tư A" in mail.outbox[0].body
    assert TaskReminder.objects.filter(stage="overdue").count() == 2
    assert send_task_reminders(date(2024, 7, 2)) == 0


def test_long_overdue_results_are_not_mailed_and_the_command_runs(small, tasks, capsys):
    assert send_task_reminders(date(2024, 12, 1)) == 0
    call_command("send_task_reminders", "--today", "2024-06-24")
    assert "thư nhắc về nhiệm vụ" in capsys.readouterr().out
