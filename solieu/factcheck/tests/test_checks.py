"""Each check on statements written by hand from the seeds: what the ministry's own reports get wrong."""

from decimal import Decimal as D

from solieu.factcheck.checks import check_all, check_parts, check_statement, fits, half_step
from solieu.factcheck.statements import Statement


def st(doc, line, code, period, value, **kw):
    return Statement(document=doc, line=line, quote="", indicator_code=code, period_code=period, value=D(str(value)),
                     **{k: (D(str(v)) if isinstance(v, (int, float)) else v) for k, v in kw.items()})


def overview_002():
    """Seed 002, section A: this half-year, 2021, growth, plan 2022, share of plan."""
    rows = [("OVERVIEW_REVENUE", 1833162, 1568141, 17, 3754723, 49),
            ("OVERVIEW_PROFIT", 137276, 121193, 13, 285986, 48),
            ("OVERVIEW_STATE_BUDGET", 62957, 61158, 3, 136770, 46),
            ("OVERVIEW_GDP_CONTRIBUTION", 461900, 398827, 16, 926580, 50),
            ("OVERVIEW_ENTERPRISES", 59123, 53858, 10, 61854, 49),
            ("OVERVIEW_LABOUR", 1502066, 1413966, 6, 1510027, 85)]
    return [st("002", 17 + i, c, "2022S1", v, previous_value=p, change=g, change_kind="percent", plan_value=pl,
               plan_share=sh, kind="table") for i, (c, v, p, g, pl, sh) in enumerate(rows)]


def postal_002():
    rows = [("POSTAL_REVENUE", 27000, 23500, 15), ("POSTAL_VOLUME", 870, 700, 25), ("POSTAL_PROFIT", 1180, 780, 50),
            ("POSTAL_STATE_BUDGET", 1890, 1620, 17), ("POSTAL_ENTERPRISES", 780, 638, 20),
            ("POSTAL_LABOUR", 106500, 85700, 24)]
    return [st("002", 58 + i, c, "2022S1", v, previous_value=p, change=g, change_kind="percent", kind="table")
            for i, (c, v, p, g) in enumerate(rows)]


def first_half_000():
    rows = [("OVERVIEW_REVENUE", 1614206, -8.66), ("OVERVIEW_STATE_BUDGET", 45405, -8.8),
            ("OVERVIEW_GDP_CONTRIBUTION", 389792, -7.2), ("OVERVIEW_LABOUR", 1512144, 1.96),
            ("POSTAL_REVENUE", 27477, 5.48), ("POSTAL_VOLUME", 1098, 20), ("TELECOM_REVENUE", 74473, 7.9)]
    return [st("000", 25, c, "2023S1", v, change=g, change_kind="percent") for c, v, g in rows]


def test_precision_is_that_of_the_last_digit():
    assert half_step(D("17")) == D("0.5") and half_step(D("5.48")) == D("0.005") and half_step(D("8.8")) == D("0.05")
    assert fits(D("16.9"), D("17")) and not fits(D("16.4"), D("17"))


def test_wrong_plan_shares_of_the_overview_table():
    found = [f for s in overview_002() for f in check_statement(s)]
    assert {(f.kind, f.statements[0].indicator_code) for f in found} == {
        ("plan_share", "OVERVIEW_ENTERPRISES"), ("plan_share", "OVERVIEW_LABOUR")}
    enterprises = next(f for f in found if f.statements[0].indicator_code == "OVERVIEW_ENTERPRISES")
    assert "59.123 / 61.854 = 95,58% kế hoạch, văn bản ghi 49%" in enterprises.message


def test_growth_of_the_postal_table_that_does_not_match_its_values():
    found = [f for s in postal_002() for f in check_statement(s)]
    assert sorted(f.statements[0].indicator_code for f in found) == ["POSTAL_ENTERPRISES", "POSTAL_PROFIT",
                                                                     "POSTAL_VOLUME"]
    assert all(f.kind == "change" for f in found)


def test_bases_implied_by_2023_against_what_2022_published():
    found = [f for f in check_all(first_half_000() + overview_002() + postal_002()) if f.kind == "implied_base"]
    assert {f.statements[0].indicator_code for f in found} == {
        "OVERVIEW_REVENUE", "OVERVIEW_STATE_BUDGET", "OVERVIEW_GDP_CONTRIBUTION", "OVERVIEW_LABOUR",
        "POSTAL_REVENUE", "POSTAL_VOLUME"}
    revenue = next(f for f in found if f.statements[0].indicator_code == "OVERVIEW_REVENUE")
    assert "khoảng 1.767.249,84" in revenue.message and "002:17 đã công bố 1.833.162" in revenue.message


def test_a_stated_base_against_the_published_one():
    kt1_2023 = st("000", 54, "POSTAL_KT1_VOLUME", "2023S1", 576374, change=-1.04, change_kind="percent",
                  previous_value=582432)
    kt1_2022 = st("002", 78, "POSTAL_KT1_VOLUME", "2022S1", 578828)
    found = check_all([kt1_2023, kt1_2022])
    assert [f.kind for f in found] == ["implied_base"] and "578.828" in found[0].message


def test_same_figure_with_different_values_but_rounding_is_no_conflict():
    a = st("a", 1, "TELECOM_FIXED_BROADBAND_SUBSCRIBERS", "2023S1", 22.14)
    b = st("b", 2, "TELECOM_FIXED_BROADBAND_SUBSCRIBERS", "2023S1", 22.1)
    c = st("c", 3, "TELECOM_FIXED_BROADBAND_SUBSCRIBERS", "2023S1", 21.9)
    assert [f.kind for f in check_all([a, b])] == []
    assert [f.kind for f in check_all([a, c])] == ["conflict"]


def test_rates_change_in_points():
    s = st("000", 85, "TELECOM_FTTH_HOUSEHOLD_RATE", "2023S1", 77.1, previous_value=71.4, change=5.7,
           change_kind="points")
    assert check_statement(s) == []
    s.change = D("6.7")
    assert [f.kind for f in check_statement(s)] == ["change"]


def test_counts_of_units_against_their_number():
    s = dict(unit_text="nền tảng")
    whole = st("002", 428, "X", "2022S1", 35, part=35, whole=35, **s)
    parts = [st("002", 428, "X", "2022S1", 32, part=32, whole=35, **s),
             st("002", 428, "X", "2022S1", 3, part=3, whole=35, **s)]
    assert check_parts([whole] + parts) == []
    parts[1].part = 2
    assert [f.kind for f in check_parts([whole] + parts)] == ["parts"]
    ratio = st("000", 100, "TELECOM_GOV_IPV6_PLAN_UNITS", "2023S1", 80, part=80, whole=85, share=94)
    assert check_statement(ratio) == []
    ratio.share = D("90")
    assert [f.kind for f in check_statement(ratio)] == ["ratio"]


def test_findings_are_ranked_by_size():
    found = check_all(overview_002() + postal_002())
    sizes = [f.size for f in found]
    assert sizes == sorted(sizes, reverse=True) and found[0].statements[0].indicator_code == "OVERVIEW_ENTERPRISES"
