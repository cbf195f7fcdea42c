"""Expressions of validation rules: "[3.1] + [3.2] + [3.3]", "[3:4G] / [3] * 100", "sum([1],[2])".

A form's author writes rules in the admin, so the text is untrusted input: it is read by a
small tokenizer and recursive-descent parser, never by ``eval`` or Python's ``ast``.  The
grammar is deliberately tiny::

    list    := expr ("," expr)*                 (sides of compulsory and exclusive pairs)
    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := ("-" | "+") unary | primary
    primary := NUMBER | "[" row [":" option] "]" | NAME "(" expr ("," expr)* ")" | "(" expr ")"

Numbers use "." as the decimal separator (rule text is code, not a figure typed by a
reporter).  Functions: ``sum`` and ``abs``, case-insensitive.  Everything is computed with
``Decimal`` in one fixed context (``CONTEXT``) so a result never depends on the caller's
thread context.  A missing cell or a division by zero makes the result ``None``: the rule
cannot be judged, and the caller decides what that means (validation skips it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Context, Decimal, ROUND_HALF_EVEN
from functools import lru_cache
from typing import Callable, Mapping

__all__ = [
    "CONTEXT",
    "CellRef",
    "Expression",
    "ExpressionError",
    "compile_expression",
    "compile_list",
    "decimal_places",
    "unknown_references",
]

TOTAL = "TOTAL"

#: Precision of decimal128: room for DecimalField(24, 6) products without rounding surprises.
CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True, order=True)
class CellRef:
    """A cell of a form: row code and disaggregation option ("TOTAL" for the undivided value)."""

    row: str
    option: str = TOTAL

    def __str__(self) -> str:
        """The rule syntax, so messages show cells the way authors write them: [3], [3:4G]."""
        return f"[{self.row}]" if self.option == TOTAL else f"[{self.row}:{self.option}]"


class ExpressionError(ValueError):
    """Rule text that cannot be read; ``message`` is a Vietnamese sentence for the admin form."""

    def __init__(self, source: str, position: int, reason: str):
        self.source = source
        self.position = position  # 1-based, counted in characters of ``source``
        self.reason = reason
        self.message = f'Biểu thức "{source}" sai ở vị trí {position}: {reason}'
        super().__init__(self.message)


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<cell>\[[^\[\]]*\]?)"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<op>[-+*/(),])"
    r"|(?P<other>\S)"
    r")"
)
_REF_PART = re.compile(r"[^\[\]:,\s]+(?:\s+[^\[\]:,\s]+)*")  # codes may hold inner spaces, not edges


@dataclass(frozen=True)
class _Token:
    kind: str  # "number" | "cell" | "name" | "op" | "end"
    text: str
    position: int  # 1-based


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(source):
        match = _TOKEN.match(source, index)
        if match.lastgroup is None:  # only trailing spaces remain
            break
        kind, text, start = match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup)
        position = start + 1
        if kind == "other":
            raise ExpressionError(source, position, f'ký tự "{text}" không được dùng trong biểu thức.')
        if kind == "cell" and not text.endswith("]"):
            raise ExpressionError(source, position, 'thiếu dấu "]" đóng ô.')
        if kind == "number" and match.end() < len(source) and source[match.end()] == ".":
            raise ExpressionError(
                source, match.end() + 1,
                'số viết sai; số thập phân trong quy tắc dùng dấu chấm và không phân cách hàng nghìn, như 0.5.',
            )
        tokens.append(_Token(kind, text, position))
        index = match.end()
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


def _cell(source: str, token: _Token) -> CellRef:
    inner = token.text[1:-1]
    row, colon, option = inner.partition(":")
    row, option = row.strip(), option.strip()
    if not row:
        raise ExpressionError(source, token.position, f"ô {token.text} chưa có mã dòng.")
    if not _REF_PART.fullmatch(row):
        raise ExpressionError(source, token.position, f'mã dòng "{row}" trong ô {token.text} không hợp lệ.')
    if colon and not _REF_PART.fullmatch(option):
        raise ExpressionError(
            source, token.position, f'ô {token.text} thiếu hoặc sai mã phân tổ sau dấu ":".'
        )
    return CellRef(row, option if colon else TOTAL)


# ---------------------------------------------------------------------------
# Syntax tree: each node computes a Decimal or raises _Undefined
# ---------------------------------------------------------------------------


class _Undefined(Exception):
    """A needed cell is missing or a divisor is zero: the expression has no value."""


Lookup = Callable[[CellRef], Decimal]


@dataclass(frozen=True)
class _Number:
    value: Decimal

    def compute(self, lookup: Lookup) -> Decimal:
        return self.value


@dataclass(frozen=True)
class _Cell:
    ref: CellRef

    def compute(self, lookup: Lookup) -> Decimal:
        return lookup(self.ref)


@dataclass(frozen=True)
class _Negate:
    operand: object

    def compute(self, lookup: Lookup) -> Decimal:
        return CONTEXT.minus(self.operand.compute(lookup))


@dataclass(frozen=True)
class _Binary:
    op: str
    left: object
    right: object

    def compute(self, lookup: Lookup) -> Decimal:
        a, b = self.left.compute(lookup), self.right.compute(lookup)
        if self.op == "+":
            return CONTEXT.add(a, b)
        if self.op == "-":
            return CONTEXT.subtract(a, b)
        if self.op == "*":
            return CONTEXT.multiply(a, b)
        if b.is_zero():
            raise _Undefined
        return CONTEXT.divide(a, b)


@dataclass(frozen=True)
class _Call:
    name: str
    args: tuple

    def compute(self, lookup: Lookup) -> Decimal:
        values = [arg.compute(lookup) for arg in self.args]
        if self.name == "abs":
            return CONTEXT.abs(values[0])
        total = Decimal(0)
        for value in values:
            total = CONTEXT.add(total, value)
        return total


_ARITY = {"sum": (1, None), "abs": (1, 1)}


# ---------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.tokens = _tokenize(source)
        self.index = 0
        self.refs: list[CellRef] = []
        self.places = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def fail(self, reason: str, token: _Token | None = None):
        token = token or self.current
        raise ExpressionError(self.source, token.position, reason)

    def take(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def accept(self, *ops: str) -> _Token | None:
        if self.current.kind == "op" and self.current.text in ops:
            return self.take()
        return None

    def parse_list(self) -> list["Expression"]:
        items = []
        while True:
            start = self.current.position
            self.refs, self.places = [], 0
            root = self.expr()
            text = self.source[start - 1 : self.current.position - 1].strip()
            items.append(Expression(text, tuple(self.refs), self.places, root))
            if not self.accept(","):
                break
        self.finish()
        return items

    def parse_single(self):
        node = self.expr()
        if self.current.kind == "op" and self.current.text == ",":
            self.fail(
                'dấu phẩy chỉ dùng để ngăn cách tham số của hàm hoặc các ô của quy tắc cặp; '
                'số thập phân trong quy tắc dùng dấu chấm, như 0.5.'
            )
        self.finish()
        return node

    def finish(self):
        if self.current.kind != "end":
            self.fail(f'thừa "{self.current.text}" sau khi biểu thức đã kết thúc.')

    def expr(self):
        node = self.term()
        while op := self.accept("+", "-"):
            node = _Binary(op.text, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while op := self.accept("*", "/"):
            node = _Binary(op.text, node, self.unary())
        return node

    def unary(self):
        if op := self.accept("-", "+"):
            operand = self.unary()
            return _Negate(operand) if op.text == "-" else operand
        return self.primary()

    def primary(self):
        token = self.current
        if token.kind == "number":
            self.take()
            value = Decimal(token.text)
            self.places = max(self.places, decimal_places(value))
            return _Number(value)
        if token.kind == "cell":
            self.take()
            ref = _cell(self.source, token)
            if ref not in self.refs:
                self.refs.append(ref)
            return _Cell(ref)
        if token.kind == "name":
            return self.call()
        if self.accept("("):
            node = self.expr()
            self.close(token)
            return node
        if token.kind == "end":
            self.fail("biểu thức chưa kết thúc; cần thêm một số, một ô [mã dòng] hoặc dấu \"(\"."
                      if self.index else "biểu thức trống.")
        self.fail(f'gặp "{token.text}" nhưng cần một số, một ô [mã dòng] hoặc dấu "(".')

    def call(self):
        token = self.take()
        name = token.text.lower()
        if name not in _ARITY:
            if self.current.text == "(":
                self.fail(f'không có hàm "{token.text}"; chỉ dùng được sum(...) và abs(...).', token)
            self.fail(f'không hiểu "{token.text}"; ô phải viết trong ngoặc vuông, như [3] hoặc [3:4G].', token)
        if not self.accept("("):
            self.fail(f'sau tên hàm {name} cần dấu "(".')
        args = [self.expr()]
        while self.accept(","):
            args.append(self.expr())
        self.close(token)
        low, high = _ARITY[name]
        if high is not None and len(args) != high:
            self.fail(f"hàm {name} cần đúng {high} tham số, đang có {len(args)}.", token)
        return _Call(name, tuple(args))

    def close(self, opening: _Token):
        if not self.accept(")"):
            what = f'"{self.current.text}"' if self.current.kind != "end" else "cuối biểu thức"
            self.fail(f'thiếu dấu ")" đóng dấu "{opening.text}" ở vị trí {opening.position}, gặp {what}.')


def decimal_places(value: Decimal) -> int:
    """Meaningful decimal places: trailing zeros (a database scale) are not precision."""
    exponent = value.normalize(CONTEXT).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Expression:
    """A compiled expression.

    ``cells`` is the set of cells it reads, ``references`` the same in order of first
    appearance (for messages), ``places`` the decimal places of its literals (so that
    "[5] <= 0.5 * [3]" is compared at tenths, not rounded away to integers).
    """

    source: str
    references: tuple[CellRef, ...]
    places: int
    _root: object = field(repr=False, compare=False)

    @property
    def cells(self) -> frozenset[CellRef]:
        return frozenset(self.references)

    def evaluate(self, values: Mapping[CellRef, Decimal], missing_as_zero: bool = False) -> Decimal | None:
        """The value, or None when a needed cell is missing (unless counted as 0) or a divisor is 0."""

        def lookup(ref: CellRef) -> Decimal:
            value = values.get(ref)
            if value is None:
                if not missing_as_zero:
                    raise _Undefined
                return Decimal(0)
            return value

        try:
            return self._root.compute(lookup)
        except _Undefined:
            return None

    def __str__(self) -> str:
        return self.source


@lru_cache(maxsize=2048)
def compile_expression(source: str) -> Expression:
    """Parse one expression; raises ExpressionError.  Cached: a grid re-checks the same rules."""
    parser = _Parser(source.strip())
    root = parser.parse_single()
    return Expression(source.strip(), tuple(parser.refs), parser.places, root)


@lru_cache(maxsize=2048)
def compile_list(source: str) -> tuple[Expression, ...]:
    """Parse a comma-separated list of expressions ("[3],[4]"), the sides of pair rules."""
    return tuple(_Parser(source.strip()).parse_list())


def unknown_references(
    expression: Expression, row_codes, option_codes_by_row: Mapping[str, object]
) -> list[str]:
    """Vietnamese messages for cells naming a row or option the form does not have."""
    rows = set(row_codes)
    problems = []
    for ref in expression.references:
        if ref.row not in rows:
            problems.append(f"Ô {ref} trong biểu thức \"{expression}\": biểu không có dòng {ref.row}.")
        elif ref.option != TOTAL and ref.option not in set(option_codes_by_row.get(ref.row, ())):
            problems.append(
                f"Ô {ref} trong biểu thức \"{expression}\": dòng {ref.row} không có phân tổ {ref.option}."
            )
    return problems
