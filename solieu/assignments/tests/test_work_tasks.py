"""The "Nhiệm vụ của đơn vị" block of the work page: the unit's open tasks, soonest first."""

from datetime import timedelta

from django.utils import timezone

from solieu.vi import format_date

from .conftest import make_task, text_of


def test_a_unit_sees_its_open_tasks_on_its_work_page(client, small):
    today = timezone.localdate()
    day = lambda n: format_date(today + timedelta(days=n))  # noqa: E731
    late = make_task(small["a"], [(day(-2), None)], title="Báo cáo quá hạn")
    soon = make_task(small["a"], [(day(4), None), (day(40), None)], title="Thông tư sắp đến hạn")
    make_task(small["a"], [(day(-100), today - timedelta(days=90))], title="Việc xong từ lâu")
    make_task(small["b"], [(day(3), None)], title="Việc của Vụ B")
    client.force_login(small["reporter_a"])
    text = text_of(client.get("/cong-viec/"))
    block = text.split('<section class="work-tasks" data-unit="CUC_A">')[1].split("</section>")[0]
    assert "Nhiệm vụ của đơn vị: Cục A" in block
    assert block.index("Báo cáo quá hạn") < block.index("Thông tư sắp đến hạn")
    assert f'data-task="{late.pk}" class="tk-row-overdue"' in block
    assert f'data-task="{soon.pk}" class="tk-row-soon"' in block and day(4) in block
    assert "Việc xong từ lâu" not in block and "Việc của Vụ B" not in text
    assert f'href="/nhiem-vu/{soon.pk}/">Cập nhật kết quả' in block


def test_no_block_without_tasks(client, small):
    client.force_login(small["analyst"])
    assert "Nhiệm vụ của đơn vị" not in text_of(client.get("/cong-viec/"))
