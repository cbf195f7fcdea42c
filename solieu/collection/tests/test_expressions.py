"""The rule expression language: precedence, cells, functions, missing cells, errors."""

from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solieu.collection.expressions import (
    CONTEXT,
    CellRef,
    ExpressionError,
    compile_expression,
    compile_list,
    unknown_references,
)

D = Decimal
C = CellRef


def value(text, **cells):
    """Evaluate with cells given as keyword arguments: r3=2 is [3], r3_4G=5 is [3:4G]."""
    values = {}
    for name, number in cells.items():
        row, _, option = name[1:].partition("_")
        values[C(row.replace("p", "."), option or "TOTAL")] = D(number)
    return compile_expression(text).evaluate(values)


# --- arithmetic ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 + 2 * 3", D(7)),
        ("(1 + 2) * 3", D(9)),
        ("10 - 4 - 3", D(3)),  # left associative
        ("10 - (4 - 3)", D(9)),
        ("12 / 4 / 3", D(1)),
        ("12 / (4 / 2)", D(6)),
        ("-2 * 3", D(-6)),
        ("2 * -3", D(-6)),
        ("- - 4", D(4)),
        ("-(1 + 2) * 2", D(-6)),
        ("+5 - -5", D(10)),
        ("0.5 * 3", D("1.5")),
        ("1 / 3 * 3", D("0.9999999999999999999999999999999999")),  # Decimal, 34 digits, no float
        ("sum(1, 2, 3) * 2", D(12)),
        ("SUM(1)", D(1)),
        ("abs(2 - 5)", D(3)),
        ("abs(-(2 - 5)) + sum(abs(-1), (2))", D(6)),
        ("((((7))))", D(7)),
    ],
)
def test_arithmetic(text, expected):
    assert compile_expression(text).evaluate({}) == expected


def test_cells_and_options():
    expression = compile_expression("[3.1] + [3.2] * [3:4G] - [Di động]")
    assert expression.cells == {C("3.1"), C("3.2"), C("3", "4G"), C("Di động")}
    assert expression.references == (C("3.1"), C("3.2"), C("3", "4G"), C("Di động"))
    values = {C("3.1"): D(1), C("3.2"): D(2), C("3", "4G"): D(10), C("Di động"): D(5)}
    assert expression.evaluate(values) == D(16)


def test_cell_codes_are_trimmed_and_repeated_cells_counted_once():
    expression = compile_expression("[ 3 : 4G ] + [3:4G]")
    assert expression.references == (C("3", "4G"),)
    assert str(C("3", "4G")) == "[3:4G]" and str(C("3")) == "[3]"


def test_missing_cell_gives_none_unless_counted_as_zero():
    expression = compile_expression("[1] + [2]")
    assert expression.evaluate({C("1"): D(5)}) is None
    assert expression.evaluate({C("1"): D(5)}, missing_as_zero=True) == D(5)


@pytest.mark.parametrize("text", ["1 / 0", "[1] / [2]", "[1] / ([1] - [1] * 1)", "abs(1 / (2 - 2))"])
def test_division_by_zero_gives_none(text):
    assert compile_expression(text).evaluate({C("1"): D(3), C("2"): D(0)}) is None


def test_division_by_a_missing_cell_counted_as_zero_gives_none():
    assert compile_expression("[1] / [2]").evaluate({C("1"): D(3)}, missing_as_zero=True) is None


def test_literal_places_are_recorded_for_rounding_comparisons():
    assert compile_expression("[5] * 0.50").places == 1
    assert compile_expression("[5] * 100").places == 0
    assert compile_expression("[5] * 0.125").places == 3


def test_result_does_not_depend_on_the_callers_context():
    with localcontext() as ctx:
        ctx.prec = 5
        assert compile_expression("[1] + 1").evaluate({C("1"): D("123456789")}) == D("123456790")


def test_compile_list_splits_top_level_commas_only():
    items = compile_list("[3], sum([4], [5:4G]) ,[6]")
    assert [item.source for item in items] == ["[3]", "sum([4], [5:4G])", "[6]"]
    assert items[1].references == (C("4"), C("5", "4G"))


# --- errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("[3] + * 2",
         'Biểu thức "[3] + * 2" sai ở vị trí 7: gặp "*" nhưng cần một số, một ô [mã dòng] hoặc dấu "(".'),
        ("", 'Biểu thức "" sai ở vị trí 1: biểu thức trống.'),
        ("[3] +",
         'Biểu thức "[3] +" sai ở vị trí 6: biểu thức chưa kết thúc; cần thêm một số, một ô [mã dòng] '
         'hoặc dấu "(".'),
        ("[3] # 2", 'Biểu thức "[3] # 2" sai ở vị trí 5: ký tự "#" không được dùng trong biểu thức.'),
        ("[3] + [4", 'Biểu thức "[3] + [4" sai ở vị trí 7: thiếu dấu "]" đóng ô.'),
        ("[] + 1", 'Biểu thức "[] + 1" sai ở vị trí 1: ô [] chưa có mã dòng.'),
        ("[3:]", 'Biểu thức "[3:]" sai ở vị trí 1: ô [3:] thiếu hoặc sai mã phân tổ sau dấu ":".'),
        ("([3] + 1", 'Biểu thức "([3] + 1" sai ở vị trí 9: thiếu dấu ")" đóng dấu "(" ở vị trí 1, '
                     "gặp cuối biểu thức."),
        ("[3] 4", 'Biểu thức "[3] 4" sai ở vị trí 5: thừa "4" sau khi biểu thức đã kết thúc.'),
        ("max([1], [2])",
         'Biểu thức "max([1], [2])" sai ở vị trí 1: không có hàm "max"; chỉ dùng được sum(...) và abs(...).'),
        ("thuebao + 1",
         'Biểu thức "thuebao + 1" sai ở vị trí 1: không hiểu "thuebao"; ô phải viết trong ngoặc vuông, '
         "như [3] hoặc [3:4G]."),
        ("abs([1], [2])", 'Biểu thức "abs([1], [2])" sai ở vị trí 1: hàm abs cần đúng 1 tham số, đang có 2.'),
        ("sum()", 'Biểu thức "sum()" sai ở vị trí 5: gặp ")" nhưng cần một số, một ô [mã dòng] hoặc dấu "(".'),
        ("1.5.2", 'Biểu thức "1.5.2" sai ở vị trí 4: số viết sai; số thập phân trong quy tắc dùng dấu chấm '
                  "và không phân cách hàng nghìn, như 0.5."),
        ("[3] * 0,5",
         'Biểu thức "[3] * 0,5" sai ở vị trí 8: dấu phẩy chỉ dùng để ngăn cách tham số của hàm hoặc các ô '
         "của quy tắc cặp; số thập phân trong quy tắc dùng dấu chấm, như 0.5."),
        ("1e5", 'Biểu thức "1e5" sai ở vị trí 2: thừa "e5" sau khi biểu thức đã kết thúc.'),
        ("__import__('os')", 'Biểu thức "__import__(\'os\')" sai ở vị trí 12: ký tự "\'" không được dùng '
                             "trong biểu thức."),
    ],
)
def test_syntax_errors_point_at_the_position(text, message):
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text)
    assert caught.value.message == message
    assert isinstance(caught.value, ValueError)


def test_unknown_references():
    expression = compile_expression("[3:6G] + [9] + [3:4G] + [3]")
    assert unknown_references(expression, ["3"], {"3": ("4G",)}) == [
        'Ô [3:6G] trong biểu thức "[3:6G] + [9] + [3:4G] + [3]": dòng 3 không có phân tổ 6G.',
        'Ô [9] trong biểu thức "[3:6G] + [9] + [3:4G] + [3]": biểu không có dòng 9.',
    ]


# --- the evaluator agrees with Decimal arithmetic ---------------------------

CELLS = (C("1"), C("2.1"), C("3", "4G"), C("Di động"))
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3}

literals = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
leaves = st.one_of(
    st.tuples(st.just("num"), literals),
    st.tuples(st.just("cell"), st.sampled_from(CELLS)),
)


def _extend(children):
    return st.one_of(
        st.tuples(st.just("bin"), st.sampled_from("+-*/"), children, children),
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("sum"), st.lists(children, min_size=1, max_size=3)),
        st.tuples(st.just("abs"), children),
        st.tuples(st.just("paren"), children),
    )


trees = st.recursive(leaves, _extend, max_leaves=12)


def _precedence(node):
    if node[0] == "bin":
        return PRECEDENCE[node[1]]
    return PRECEDENCE["neg"] if node[0] == "neg" else 4


def _render(node) -> str:
    """Rule text with only the parentheses precedence needs (plus the "paren" nodes)."""
    kind = node[0]
    if kind == "num":
        return format(node[1], "f")
    if kind == "cell":
        return str(node[1])
    if kind == "paren":
        return f"({_render(node[1])})"
    if kind == "neg":
        inner = _render(node[1])
        return f"-({inner})" if _precedence(node[1]) < PRECEDENCE["neg"] else f"-{inner}"
    if kind in ("sum", "abs"):
        args = node[1] if kind == "sum" else [node[1]]
        return f"{kind}({', '.join(_render(arg) for arg in args)})"
    _, op, left, right = node
    left_text, right_text = _render(left), _render(right)
    if _precedence(left) < PRECEDENCE[op]:
        left_text = f"({left_text})"
    if _precedence(right) <= PRECEDENCE[op]:  # equal too: a - (b - c), and rounding order matters
        right_text = f"({right_text})"
    return f"{left_text} {op} {right_text}"


class _Missing(Exception):
    pass


def _compute(node, values):
    """The same expression computed directly with Decimal operators in the evaluator's context."""
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "cell":
        if node[1] not in values:
            raise _Missing
        return values[node[1]]
    if kind == "paren":
        return _compute(node[1], values)
    if kind == "neg":
        return -_compute(node[1], values)
    if kind == "abs":
        return abs(_compute(node[1], values))
    if kind == "sum":
        return sum((_compute(arg, values) for arg in node[1]), Decimal(0))
    _, op, left, right = node
    a, b = _compute(left, values), _compute(right, values)
    if op == "/" and b == 0:
        raise ZeroDivisionError
    return {"+": a + b, "-": a - b, "*": a * b}[op] if op != "/" else a / b


cell_values = st.dictionaries(
    st.sampled_from(CELLS),
    st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=300, deadline=None)
@given(tree=trees, values=cell_values, missing_as_zero=st.booleans())
def test_evaluator_agrees_with_decimal_arithmetic(tree, values, missing_as_zero):
    text = _render(tree)
    oracle_values = {**{cell: Decimal(0) for cell in CELLS}, **values} if missing_as_zero else values
    with localcontext(CONTEXT):
        try:
            expected = _compute(tree, oracle_values)
        except (_Missing, ZeroDivisionError):
            expected = None
    assert compile_expression(text).evaluate(values, missing_as_zero) == expected, text
