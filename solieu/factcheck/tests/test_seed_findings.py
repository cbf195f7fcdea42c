"""The checks on the three seed reports, read by the extractor: what the acceptance asks for."""

from pathlib import Path

import pytest

from solieu.factcheck.checks import check_all
from solieu.factcheck.extract import extract
from solieu.factcheck.read import read_document

SEEDS = Path(__file__).parent / "seeds"


@pytest.fixture(scope="module")
def findings():
    statements = []
    for path in sorted(SEEDS.glob("*.txt")):
        statements += extract(read_document(path.name, path.read_bytes()))
    return check_all(statements)


def of(findings, kind):
    return {f.statements[0].indicator_code for f in findings if f.kind == kind}


def test_the_two_wrong_plan_shares_of_the_overview_table(findings):
    wrong = {f.statements[0].indicator_code: f for f in findings
             if f.kind == "plan_share" and f.statements[0].document.startswith("002")}
    assert {"OVERVIEW_ENTERPRISES", "OVERVIEW_LABOUR"} <= set(wrong)
    assert "95,58%" in wrong["OVERVIEW_ENTERPRISES"].message and "49%" in wrong["OVERVIEW_ENTERPRISES"].message


def test_growth_rates_of_the_postal_table_that_do_not_match_their_values(findings):
    postal = {f.statements[0].indicator_code for f in findings
              if f.kind == "change" and f.statements[0].indicator_code.startswith("POSTAL_")
              and f.statements[0].document.startswith("002")}
    assert postal == {"POSTAL_VOLUME", "POSTAL_PROFIT", "POSTAL_ENTERPRISES"}


def test_bases_implied_by_2023_that_differ_from_what_2022_published(findings):
    assert {"OVERVIEW_REVENUE", "OVERVIEW_STATE_BUDGET", "OVERVIEW_GDP_CONTRIBUTION", "OVERVIEW_LABOUR",
            "POSTAL_REVENUE", "POSTAL_VOLUME"} <= of(findings, "implied_base")
    revenue = next(f for f in findings if f.kind == "implied_base"
                   and f.statements[0].indicator_code == "OVERVIEW_REVENUE")
    assert [s.document[:3] for s in revenue.statements] == ["000", "002"]
    assert [s.line for s in revenue.statements] == [25, 17]


def test_rounding_is_never_a_finding(findings):
    # 002's revenue row: 1.833.162 / 1.568.141 = +16,9%, written 17%; share 48,8% written 49%.
    assert "OVERVIEW_REVENUE" not in of(findings, "change") | of(findings, "plan_share")


def test_findings_come_largest_first(findings):
    sizes = [f.size for f in findings]
    assert sizes == sorted(sizes, reverse=True)
