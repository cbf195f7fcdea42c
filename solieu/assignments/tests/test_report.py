"""The report's sentences on tasks, with the issue's own numbers, and the appendix tables."""

from datetime import date

import pytest

from solieu.assignments.report import task_blocks
from solieu.catalog.periods import PeriodId
from solieu.reports.assemble import Builder, ReportRequest
from solieu.reports.document import Paragraph, Table

from .conftest import make_task


@pytest.fixture
def seventy_nine(small):
    """79 tasks: 28 due by June (12 done on time, 4 late, 12 not done), 3 done ahead of a later
    deadline, 48 not yet due and open: 19/79 done."""
    a, b, plan = small["a"], small["b"], small["plan"]
    for n in range(28):
        done = date(2024, 5, 20) if n < 12 else date(2024, 6, 10) if n < 16 else None
        make_task(a if n % 2 else b, [("Tháng 5/2024", done)], title=f"Đến hạn {n}", document=plan,
                  sector=small["postal"])
    for n in range(3):
        make_task(a, [("Quý IV/2024", date(2024, 6, 1)), ("Tháng 9", date(2024, 6, 2))], title=f"Sớm {n}",
                  document=plan, sector=small["telecom"])
    for n in range(48):
        make_task(b, [("Năm 2024", None)], title=f"Chưa đến hạn {n}", document=plan, sector=small["telecom"])


def test_sentences_with_traceable_figures(seventy_nine):
    builder = Builder(ReportRequest(pid=PeriodId.parse("2024S1")))
    blocks = task_blocks(builder, date(2024, 6, 30))
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert texts[0] == "Tổng số nhiệm vụ đã hoàn thành: 19/79 nhiệm vụ (đạt 24,1%)."
    assert texts[1] == ("Các nhiệm vụ có thời hạn đến tháng 6/2024: 28 nhiệm vụ; đã hoàn thành 16/28 (57,1%), trong "
                        "đó 12 nhiệm vụ hoàn thành đúng hạn, 4 nhiệm vụ hoàn thành quá hạn; 12 nhiệm vụ chưa hoàn "
                        "thành.")
    assert texts[2] == "Có 3 nhiệm vụ hoàn thành trước thời hạn từ 30 ngày trở lên."
    assert texts[3] == "Các nhiệm vụ gồm 82 kết quả, sản phẩm yêu cầu; đã hoàn thành 22/82 (26,8%)."
    first = blocks[0].runs
    figures = [r.figure for r in first if r.figure]
    assert [(f.text, f.unit, f.kind) for f in figures] == [("19", "nhiệm vụ", "count"), ("79", "nhiệm vụ", "count"),
                                                          ("24,1", "%", "count")]
    assert figures[0].label == "Nhiệm vụ: số nhiệm vụ đã hoàn thành (tính đến ngày 30/06/2024)"
    assert figures[2].derivation.startswith("19 / 79 x 100")
    assert all(f.period_code == "2024S1" for f in builder.figures.values())


def test_appendix_tables(seventy_nine, small):
    builder = Builder(ReportRequest(pid=PeriodId.parse("2024S1")))
    tables = [b for b in task_blocks(builder, date(2024, 6, 30), sector=small["telecom"]) if isinstance(b, Table)]
    units, appendix = tables
    assert units.columns[0] == "Đơn vị chủ trì"
    assert [[c.text for c in row] for row in units.rows] == [
        ["Cục A", "3", "3", "100", "0", "0", "0", "0"], ["Vụ B", "48", "0", "0", "0", "0", "0", "0"]]
    assert appendix.columns == ["TT", "Nhiệm vụ", "Kết quả yêu cầu", "Thời gian hoàn thành", "Cơ quan thực hiện",
                                "Kết quả / ghi chú"]
    assert [c.text for c in appendix.rows[0]] == ["1", "Sớm 0", "Kết quả 1", "Quý IV/2024", "Cục A",
                                                  "Đã hoàn thành ngày 01/06/2024"]
    assert [c.text for c in appendix.rows[1]] == ["", "", "Kết quả 2", "Tháng 9", "", "Đã hoàn thành ngày 02/06/2024"]
    assert len(appendix.rows) == 3 * 2 + 48
    assert appendix.caption == "Phụ lục: Danh sách nhiệm vụ và tình hình thực hiện (tính đến ngày 30/06/2024)"


def test_nothing_assigned_yet(small):
    builder = Builder(ReportRequest(pid=PeriodId.parse("2024S1")))
    assert [b.text for b in task_blocks(builder, date(2024, 6, 30))] == [
        "Chưa có nhiệm vụ nào được giao đến tháng 6/2024."]
