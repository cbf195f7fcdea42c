"""Checks of figures: one cell, one form (required rows, totals, rules), one cell's history."""

from decimal import Decimal

import pytest

from solieu.collection.expressions import ExpressionError
from solieu.collection.validation import (
    CellRef,
    RowSpec,
    Rule,
    check_cell,
    check_form,
    check_history,
    validate_rule,
)

D = Decimal
C = CellRef

MOBILE = RowSpec("3", "Số thuê bao di động", "integer", 0, required=True, is_total=True)
PREPAID = RowSpec("3.1", "Thuê bao trả trước", "integer", 0, parent="3")
POSTPAID = RowSpec("3.2", "Thuê bao trả sau", "integer", 0, parent="3")
M2M = RowSpec("3.3", "Thuê bao M2M", "integer", 0, parent="3")
TECH = RowSpec("4", "Thuê bao di động theo công nghệ", "integer", 0, options=("2G", "3G", "4G", "5G"))
BROADBAND = RowSpec("5", "Số thuê bao băng rộng cố định", "integer", 0)
REVENUE = RowSpec("6", "Doanh thu viễn thông", "decimal", 2)
SHARE = RowSpec("7", "Tỷ lệ hộ gia đình có Internet", "percent", 2)
RANKING = RowSpec("8", "Xếp hạng chỉ số phát triển CNTT-TT", "rank", 0)
GROWTH = RowSpec("9", "Tốc độ tăng doanh thu", "percent", 1, min_value=D(-100), max_value=D(1000))
ROWS = [MOBILE, PREPAID, POSTPAID, M2M, TECH, BROADBAND, REVENUE, SHARE, RANKING, GROWTH]


def messages(issues):
    return [issue.message for issue in issues]


def valid_values():
    return {
        C("3"): D(1250), C("3.1"): D(1000), C("3.2"): D(200), C("3.3"): D(50),
        C("4"): D(1250), C("4", "2G"): D(50), C("4", "3G"): D(100), C("4", "4G"): D(1000), C("4", "5G"): D(100),
        C("5"): D(500), C("6"): D("27477.10"), C("7"): D("4"), C("8"): D(2), C("9"): D("-3.5"),
    }


# --- check_cell --------------------------------------------------------------


@pytest.mark.parametrize(
    "row, value, code, message",
    [
        (MOBILE, D("1250.5"), "type",
         'Dòng 3 "Số thuê bao di động": 1.250,5 không hợp lệ; chỉ tiêu này phải là số nguyên.'),
        (RANKING, D(0), "type",
         'Dòng 8 "Xếp hạng chỉ số phát triển CNTT-TT": 0 không hợp lệ; thứ hạng phải là số nguyên dương (1, 2, 3...).'),
        (RANKING, D("2.5"), "type",
         'Dòng 8 "Xếp hạng chỉ số phát triển CNTT-TT": 2,5 không hợp lệ; thứ hạng phải là số nguyên dương (1, 2, 3...).'),
        (REVENUE, D("27477.125"), "decimals",
         'Dòng 6 "Doanh thu viễn thông": 27.477,125 có 3 chữ số thập phân; chỉ được nhập tối đa 2 chữ số thập phân.'),
        (RowSpec("6", "Doanh thu viễn thông", "decimal", 0), D("27477.5"), "decimals",
         'Dòng 6 "Doanh thu viễn thông": 27.477,5 có 1 chữ số thập phân; chỉ được nhập số nguyên.'),
        (SHARE, D("8.666"), "decimals",
         'Dòng 7 "Tỷ lệ hộ gia đình có Internet": 8,666% có 3 chữ số thập phân; chỉ được nhập tối đa 2 chữ số thập phân.'),
        (BROADBAND, D(-500), "range",
         'Dòng 5 "Số thuê bao băng rộng cố định": -500 là số âm; chỉ tiêu này không nhận giá trị âm.'),
        (SHARE, D("100.5"), "range",
         'Dòng 7 "Tỷ lệ hộ gia đình có Internet": 100,5% lớn hơn giá trị tối đa cho phép là 100%.'),
        (GROWTH, D(-120), "range",
         'Dòng 9 "Tốc độ tăng doanh thu": -120% nhỏ hơn giá trị tối thiểu cho phép là -100%.'),
        (RowSpec("5", "Số thuê bao băng rộng cố định", "integer", 0, max_value=D(10_000_000)), D(12_500_000), "range",
         'Dòng 5 "Số thuê bao băng rộng cố định": 12.500.000 lớn hơn giá trị tối đa cho phép là 10.000.000.'),
    ],
)
def test_check_cell_messages(row, value, code, message):
    issues = check_cell(row, value)
    assert [(i.level, i.code, i.message, i.cells) for i in issues] == [("error", code, message, (C(row.code),))]


@pytest.mark.parametrize(
    "row, value",
    [
        (MOBILE, D("1250.000000")),  # the database's scale is not a decimal part
        (MOBILE, D(0)),
        (REVENUE, D("27477.100000")),
        (SHARE, D(100)),
        (SHARE, D("8.66")),
        (RANKING, D(1)),
        (GROWTH, D("-99.5")),
        (GROWTH, D(450)),  # max_value overrides the 100% default
    ],
)
def test_check_cell_accepts(row, value):
    assert check_cell(row, value) == []


def test_check_cell_names_the_column_of_an_option():
    (issue,) = check_cell(TECH, D(-1), "4G")
    assert issue.cells == (C("4", "4G"),)
    assert issue.message == 'Dòng 4 "Thuê bao di động theo công nghệ", cột 4G: -1 là số âm; chỉ tiêu này không nhận giá trị âm.'


def test_check_cell_reports_type_and_range_together():
    assert [i.code for i in check_cell(MOBILE, D("-1.5"))] == ["type", "range"]


# --- check_form: cells, required, totals ------------------------------------------


def test_a_consistent_form_has_no_issue():
    assert check_form(ROWS, valid_values(), []) == []


def test_check_form_checks_every_cell_and_treats_none_as_empty():
    values = valid_values() | {C("3"): None, C("4", "4G"): D("999.5")}
    assert [(i.code, i.cells) for i in check_form(ROWS, values, [])] == [
        ("required", (C("3"),)),
        ("type", (C("4", "4G"),)),
        ("total", (C("4"), C("4", "2G"), C("4", "3G"), C("4", "4G"), C("4", "5G"))),
    ]
    assert messages(check_form(ROWS, values, []))[0] == (
        'Dòng 3 "Số thuê bao di động" là dòng bắt buộc nhưng chưa được nhập.'
    )


def test_cells_the_form_does_not_have():
    values = valid_values() | {C("99"): D(1), C("5", "4G"): D(1)}
    assert messages(check_form(ROWS, values, [])) == [
        "Ô [99]: biểu không có dòng 99.",
        'Dòng 5 "Số thuê bao băng rộng cố định" không có cột 4G.',
    ]


def test_total_row_must_equal_the_sum_of_its_children():
    values = valid_values() | {C("3.3"): D(40)}
    (issue,) = check_form(ROWS, values, [])
    assert issue.code == "total" and issue.level == "error"
    assert issue.cells == (C("3"), C("3.1"), C("3.2"), C("3.3"))
    assert issue.message == (
        'Dòng 3 "Số thuê bao di động" phải bằng tổng các dòng 3.1, 3.2, 3.3: đang là 1.250, tổng là 1.240.'
    )


def test_total_row_is_not_judged_while_a_child_is_empty():
    values = valid_values()
    del values[C("3.3")]
    assert check_form(ROWS, values, []) == []


def test_total_of_a_row_must_equal_the_sum_of_its_columns():
    values = valid_values() | {C("4", "4G"): D(1100)}
    (issue,) = check_form(ROWS, values, [])
    assert issue.cells == (C("4"), C("4", "2G"), C("4", "3G"), C("4", "4G"), C("4", "5G"))
    assert issue.message == (
        'Dòng 4 "Thuê bao di động theo công nghệ" (tổng số) phải bằng tổng các cột 2G, 3G, 4G, 5G: '
        "đang là 1.250, tổng là 1.350."
    )
    del values[C("4", "5G")]
    assert check_form(ROWS, values, []) == []


def test_totals_are_checked_column_by_column_and_never_for_percentages():
    rows = [
        RowSpec("1", "Doanh thu", "decimal", 1, is_total=True, options=("DNNN", "DNTN")),
        RowSpec("1.1", "Doanh thu dịch vụ", "decimal", 1, parent="1", options=("DNNN", "DNTN")),
        RowSpec("1.2", "Doanh thu thiết bị", "decimal", 1, parent="1", options=("DNNN",)),
        RowSpec("2", "Tỷ lệ phủ sóng", "percent", 1, options=("4G", "5G")),
    ]
    values = {
        C("1"): D("9.5"), C("1", "DNNN"): D(6), C("1", "DNTN"): D("3.5"),
        C("1.1"): D("8.5"), C("1.1", "DNNN"): D(4), C("1.1", "DNTN"): D("4.5"),
        C("1.2"): D(1), C("1.2", "DNNN"): D(1),
        C("2"): D("99.8"), C("2", "4G"): D("99.8"), C("2", "5G"): D("40.2"),
    }
    # DNTN is not a column of 1.2, so only TOTAL and DNNN are summed over the children.
    assert messages(check_form(rows, values, [])) == [
        'Dòng 1 "Doanh thu", cột DNNN phải bằng tổng các dòng 1.1, 1.2: đang là 6, tổng là 5.'
    ]


# --- check_form: rules -------------------------------------------------------------


def test_rule_message_names_both_sides_and_their_values():
    rows = [RowSpec("Di động", "Tổng thuê bao di động", "integer", 0),
            RowSpec("4G", "Thuê bao 4G", "integer", 0)]
    values = {C("Di động"): D(80000), C("4G"): D(85700)}
    (issue,) = check_form(rows, values, [Rule("R1", "[4G]", "<=", "[Di động]")])
    assert issue.code == "rule:R1" and issue.level == "error"
    assert issue.cells == (C("4G"), C("Di động"))
    assert issue.message == "Quy tắc R1: [4G] (85.700) phải nhỏ hơn hoặc bằng [Di động] (80.000)."


@pytest.mark.parametrize(
    "operator, words, failing, passing",
    [
        ("==", "phải bằng", (1, 2), (2, 2)),
        ("!=", "phải khác", (2, 2), (1, 2)),
        (">", "phải lớn hơn", (2, 2), (3, 2)),
        (">=", "phải lớn hơn hoặc bằng", (1, 2), (2, 2)),
        ("<", "phải nhỏ hơn", (2, 2), (1, 2)),
        ("<=", "phải nhỏ hơn hoặc bằng", (3, 2), (2, 2)),
    ],
)
def test_every_operator(operator, words, failing, passing):
    rows = [RowSpec("20", "Dòng 20", "integer", 0), RowSpec("21", "Dòng 21", "integer", 0)]
    rule = Rule("R", "[20]", operator, "[21]")
    issues = check_form(rows, {C("20"): D(failing[0]), C("21"): D(failing[1])}, [rule])
    assert messages(issues) == [f"Quy tắc R: [20] ({failing[0]}) {words} [21] ({failing[1]})."]
    assert check_form(rows, {C("20"): D(passing[0]), C("21"): D(passing[1])}, [rule]) == []


def test_author_message_and_warning_level():
    rule = Rule("R2", "[3.2]", "<", "[3.1] / 2", level="warning",
                message="Thuê bao trả sau thường ít hơn một nửa thuê bao trả trước.")
    values = valid_values() | {C("3.1"): D(300), C("3.2"): D(900), C("3"): D(1250)}
    issues = [i for i in check_form(ROWS, values, [rule]) if i.code == "rule:R2"]
    assert [(i.level, i.message) for i in issues] == [(
        "warning",
        "Quy tắc R2: Thuê bao trả sau thường ít hơn một nửa thuê bao trả trước: [3.2] là 900, [3.1] / 2 là 150.",
    )]


def test_constant_side_is_written_as_a_number():
    (issue,) = check_form(ROWS, valid_values() | {C("5"): D(0)}, [Rule("R3", "[5]", ">", "0")])
    assert issue.message == "Quy tắc R3: [5] (0) phải lớn hơn 0."


RATIO = Rule("R4", "[3] + [3.1]", ">=", "[5] * 10")  # reads [3], [3.1] and [5]


def test_skip_if_any_missing():
    values = valid_values()
    del values[C("5")]
    assert [i for i in check_form(ROWS, values, [RATIO]) if i.code == "rule:R4"] == []
    judged = [i for i in check_form(ROWS, valid_values(), [RATIO]) if i.code == "rule:R4"]
    assert messages(judged) == ["Quy tắc R4: [3] + [3.1] (2.250) phải lớn hơn hoặc bằng [5] * 10 (5.000)."]


def test_skip_if_all_missing_counts_some_missing_as_zero():
    rule = Rule("R5", "[10]", "==", "[11] + [12]", missing="skip_if_all_missing")
    rows = [RowSpec(code, f"Dòng {code}", "integer", 0) for code in ("10", "11", "12")]
    assert check_form(rows, {}, [rule]) == []
    (issue,) = check_form(rows, {C("10"): D(7), C("11"): D(5)}, [rule])
    assert issue.cells == (C("10"), C("11"), C("12"))
    assert issue.message == "Quy tắc R5: [10] (7) phải bằng [11] + [12] (5). Ô chưa nhập được tính là 0: [12]."
    assert check_form(rows, {C("10"): D(5), C("11"): D(5)}, [rule]) == []


def test_never_skip_judges_an_empty_form():
    rule = Rule("R6", "[10]", ">", "0", missing="never_skip")
    rows = [RowSpec("10", "Số doanh nghiệp", "integer", 0)]
    assert messages(check_form(rows, {}, [rule])) == [
        "Quy tắc R6: [10] (0) phải lớn hơn 0. Ô chưa nhập được tính là 0: [10]."
    ]
    assert check_form(rows, {C("10"): D(1)}, [rule]) == []


def test_sides_are_compared_at_the_precision_of_the_figures():
    rule = Rule("R7", "[7]", "==", "[3.3] / [3] * 100")  # 50 / 150 * 100 = 33,333...
    values = valid_values() | {C("3"): D(150), C("3.1"): D(60), C("3.2"): D(40), C("3.3"): D(50)}
    assert check_form(ROWS, values | {C("7"): D("33.33")}, [rule]) == []
    (issue,) = check_form(ROWS, values | {C("7"): D("33.3")}, [rule])
    assert issue.message == "Quy tắc R7: [7] (33,3) phải bằng [3.3] / [3] * 100 (33,33)."


def test_literals_keep_their_decimals_in_comparisons():
    rule = Rule("R8", "[3.2]", "<=", "0.5 * [3.1]")
    values = valid_values() | {C("3.1"): D(201), C("3.2"): D(101), C("3.3"): D(948)}
    (issue,) = check_form(ROWS, values, [rule])
    assert issue.message == "Quy tắc R8: [3.2] (101) phải nhỏ hơn hoặc bằng 0.5 * [3.1] (100,5)."


def test_division_by_zero_skips_the_rule():
    rule = Rule("R9", "[3.1] / [3.3]", "<", "10", missing="never_skip")
    assert check_form(ROWS, valid_values() | {C("3.3"): D(0), C("3.1"): D(1050)}, [rule]) == []


def test_a_broken_rule_is_loud():
    with pytest.raises(ExpressionError):
        check_form(ROWS, valid_values(), [Rule("R", "[3] +", "==", "[4]")])


# --- pairs ---------------------------------------------------------------------------

PAIR_ROWS = [RowSpec(code, f"Dòng {code}", "integer", 0) for code in ("20", "21", "22")]


def test_compulsory_pair():
    rule = Rule("P1", "[20]", "compulsory_pair", "[21],[22]")
    assert check_form(PAIR_ROWS, {}, [rule]) == []
    assert check_form(PAIR_ROWS, {C("20"): D(3), C("22"): D(1)}, [rule]) == []
    (issue,) = check_form(PAIR_ROWS, {C("20"): D(1200)}, [rule])
    assert issue.code == "rule:P1" and issue.cells == (C("20"), C("21"), C("22"))
    assert issue.message == "Quy tắc P1: [20] và [21],[22] phải được nhập cùng nhau: đã nhập [20] (1.200) nhưng [21],[22] còn trống."
    (issue,) = check_form(PAIR_ROWS, {C("21"): D(5), C("22"): D(6)}, [rule])
    assert issue.message == "Quy tắc P1: [20] và [21],[22] phải được nhập cùng nhau: đã nhập [21] (5), [22] (6) nhưng [20] còn trống."


def test_exclusive_pair():
    rule = Rule("P2", "[20]", "exclusive_pair", "[21]", level="warning", message="Chỉ nhập một trong hai dòng.")
    assert check_form(PAIR_ROWS, {C("20"): D(1)}, [rule]) == []
    assert check_form(PAIR_ROWS, {C("21"): D(1)}, [rule]) == []
    (issue,) = check_form(PAIR_ROWS, {C("20"): D(1), C("21"): D(2500)}, [rule])
    assert (issue.level, issue.message) == (
        "warning", "Quy tắc P2: Chỉ nhập một trong hai dòng: đã nhập [20] (1) và [21] (2.500).")


# --- validate_rule -----------------------------------------------------------------------


def test_validate_rule_accepts_a_good_rule():
    assert validate_rule(Rule("R1", "[4:4G]", "<=", "[3]"), ["3", "4"], {"4": ("4G", "5G")}) == []


def test_validate_rule_reports_everything_wrong():
    rule = Rule("", "[4:6G] + [99]", "=<", "[3] +", missing="skip", level="fatal")
    assert validate_rule(rule, ["3", "4"], {"4": ("4G", "5G")}) == [
        "Quy tắc chưa có mã.",
        'Phép so sánh "=<" không có; dùng một trong: ==, !=, >, >=, <, <=, compulsory_pair, exclusive_pair.',
        'Cách xử lý ô trống "skip" không có; dùng một trong: skip_if_any_missing, skip_if_all_missing, never_skip.',
        'Mức độ "fatal" không có; dùng "error" (lỗi) hoặc "warning" (cảnh báo).',
        'Vế trái: Ô [4:6G] trong biểu thức "[4:6G] + [99]": dòng 4 không có phân tổ 6G.',
        'Vế trái: Ô [99] trong biểu thức "[4:6G] + [99]": biểu không có dòng 99.',
        'Vế phải: Biểu thức "[3] +" sai ở vị trí 6: biểu thức chưa kết thúc; cần thêm một số, '
        'một ô [mã dòng] hoặc dấu "(".',
    ]


def test_validate_rule_pairs_take_lists_of_cells():
    assert validate_rule(Rule("P", "[3],[4]", "compulsory_pair", "[5]"), ["3", "4", "5"], {}) == []
    assert validate_rule(Rule("P", "[3], 1", "exclusive_pair", "[5]"), ["3", "5"], {}) == [
        'Vế trái: "1" không phải là ô; quy tắc cặp chỉ xét các ô.'
    ]


# --- check_history -------------------------------------------------------------------------

STEADY = [D(v) for v in (1000, 1010, 990, 1020, 1005, 995, 1000, 1012, 985, 1003, 1008, 997)]  # median 1.001,5, MAD 6,5


def test_spike_is_an_outlier_by_modified_z_score():
    (issue,) = check_history(BROADBAND, C("5"), D(2500), STEADY, None)
    assert (issue.level, issue.code, issue.cells) == ("warning", "outlier_mad", (C("5"),))
    assert issue.message == (
        'Dòng 5 "Số thuê bao băng rộng cố định": 2.500 cao bất thường so với 12 kỳ trước của đơn vị '
        "(trung vị 1.001,5, điểm z hiệu chỉnh 155,5 vượt ngưỡng 3,5); hãy kiểm tra lại hoặc ghi chú giải thích."
    )


def test_dip_is_an_outlier_too():
    (issue,) = check_history(TECH, C("4", "5G"), D(500), STEADY, None)
    assert issue.message == (
        'Dòng 4 "Thuê bao di động theo công nghệ", cột 5G: 500 thấp bất thường so với 12 kỳ trước của đơn vị '
        "(trung vị 1.001,5, điểm z hiệu chỉnh -52,0 vượt ngưỡng 3,5); hãy kiểm tra lại hoặc ghi chú giải thích."
    )


def test_modified_z_score_threshold_is_three_and_a_half():
    assert check_history(BROADBAND, C("5"), D(1034), STEADY, None) == []  # z = 3,37
    assert [i.code for i in check_history(BROADBAND, C("5"), D(1036), STEADY, None)] == ["outlier_mad"]  # z = 3,58


def test_modified_z_score_needs_six_values_and_a_spread():
    assert check_history(BROADBAND, C("5"), D(2500), STEADY[:5], None) == []
    assert check_history(BROADBAND, C("5"), D(2500), [D(1000)] * 12, None) == []


def test_change_against_the_same_period_last_year():
    (issue,) = check_history(BROADBAND, C("5"), D(1200), [], D(500))
    assert (issue.level, issue.code) == ("warning", "outlier_yoy")
    assert issue.message == (
        'Dòng 5 "Số thuê bao băng rộng cố định": 1.200 tăng 140,0% so với cùng kỳ năm trước (500); '
        "hãy kiểm tra lại hoặc ghi chú giải thích."
    )
    (issue,) = check_history(REVENUE, C("6"), D("1000.5"), [], D("2500.75"))
    assert issue.message == (
        'Dòng 6 "Doanh thu viễn thông": 1.000,5 giảm 60,0% so với cùng kỳ năm trước (2.500,75); '
        "hãy kiểm tra lại hoặc ghi chú giải thích."
    )


def test_change_threshold_is_per_row_and_exclusive():
    assert check_history(BROADBAND, C("5"), D(750), [], D(500)) == []  # exactly +50%
    strict = RowSpec("5", "Số thuê bao băng rộng cố định", "integer", 0, change_warning_pct=D(20))
    assert [i.code for i in check_history(strict, C("5"), D(625), [], D(500))] == ["outlier_yoy"]


def test_percentages_change_in_percentage_points():
    (issue,) = check_history(SHARE, C("7"), D("25.5"), [], D("12.5"))
    assert issue.message == (
        'Dòng 7 "Tỷ lệ hộ gia đình có Internet": 25,5% tăng 13 điểm phần trăm (tức tăng 104,0%) '
        "so với cùng kỳ năm trước (12,5%); hãy kiểm tra lại hoặc ghi chú giải thích."
    )


def test_no_change_warning_from_zero_or_for_ranks():
    assert check_history(BROADBAND, C("5"), D(1200), [], D(0)) == []
    assert check_history(RANKING, C("8"), D(9), [], D(2)) == []


def test_no_false_positive_on_steady_five_percent_growth():
    series = [(D(1000) * D("1.05") ** year).quantize(D(1)) for year in range(20)]
    for n in range(6, len(series)):
        assert check_history(BROADBAND, C("5"), series[n], series[:n], series[n - 1]) == [], n
