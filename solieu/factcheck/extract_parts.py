"""Mark the statements that give a part of an indicator's figure, not the figure itself.

A report often breaks a figure down: "Bộ TT&TT đã công bố 50 nền tảng số, trong đó có:" followed by
one line per kind of platform, "(Facebook: 1.572 bài (91%); Google: 5.597 videos (95%); ...)", a
table of "Trong nước" and "Nước ngoài" rows under the caption "Doanh thu dịch vụ Truyền hình trả
tiền OTTTV", a list of "+ Facebook ... (tỷ lệ 90%)", "+ Google ... (tỷ lệ 91%)", or "22/22 bộ" and
"60/63 tỉnh" for an indicator that counts ministries and provinces together. Each part matches the
indicator as well as the total does, so without a mark the cross-document checks would compare
the parts with the total and report disagreements that are not there.

Every mark says "thành phần" in its flag: the checks (`checks.NOT_THE_FIGURE`) leave such a
statement out of the comparisons between statements, and a person sees why.
"""

from __future__ import annotations

import re

from solieu.factcheck.extract_sentences import Draft
from solieu.factcheck.names import Catalog, fold
from solieu.factcheck.statements import Statement

__all__ = ["flag_parts", "flag_table_parts"]

PART = "thành phần"
Pair = tuple[Statement, Draft]


def flag_parts(pairs: list[Pair], lines: list[str]) -> None:
    """Mark the parts among the sentence statements of one document (``lines``: its text as read)."""
    sentences = [(s, d) for s, d in pairs if s.kind == "sentence" and s.indicator_code]
    _same_sentence(sentences)
    sentences = [(s, d) for s, d in sentences if s.value is not None]
    _listed_under(sentences, lines)
    _list_items(sentences, lines)
    _fractions([s for s, _ in sentences])


def flag_table_parts(pairs: list[Pair], catalog: Catalog, sector) -> None:
    """Rows of one table that give the same indicator and period: those whose label does not name
    the indicator without the caption ("Trong nước", "Facebook") are its parts."""
    groups: dict[tuple, list[Pair]] = {}
    for statement, draft in pairs:
        if statement.indicator_code and statement.value is not None:
            groups.setdefault((statement.indicator_code, statement.period_code), []).append((statement, draft))
    for (code, _), group in groups.items():
        if len({s.line for s, _ in group}) < 2:
            continue
        for statement, draft in group:
            label = draft.phrases[-1] if len(draft.phrases) > 1 else ""
            if label and catalog.match(label, sector=sector, unit=draft.unit or None).code != code:
                _mark(statement, f'Dòng "{label}" là một {PART} của {code} trong bảng, không phải tổng.')


def _mark(statement: Statement, flag: str) -> None:
    if not any(PART in f or "nhiều số liệu cho cùng chỉ tiêu" in f for f in statement.flags):
        statement.flags.append(flag)


def _same_sentence(pairs: list[Pair]) -> None:
    """Several figures of one indicator and period in one sentence: the later are likely parts, and
    so is the first when it too sits in the parenthesis that lists them."""
    groups: dict[tuple, list[Pair]] = {}
    for statement, draft in pairs:
        key = (statement.line, statement.quote, statement.indicator_code, statement.period_code)
        groups.setdefault(key, []).append((statement, draft))
    for group in groups.values():
        first, first_draft = group[0]
        later = [(s, d) for s, d in group[1:] if s.value != first.value and s.value is not None]
        for statement, _ in later:
            if not any(PART in flag for flag in statement.flags):
                statement.flags.append(
                    f"Câu có nhiều số liệu cho cùng chỉ tiêu {statement.indicator_code} và kỳ {statement.period_code}: "
                    f"đây có thể là số liệu {PART} (chi tiết), không phải tổng."
                )
        if later and first_draft.bracketed and any(d.bracketed for _, d in later):
            _mark(first, f"Số liệu trong ngoặc, liệt kê cùng các số liệu khác của {first.indicator_code}: "
                         f"số liệu {PART}, không phải tổng.")


_INTRODUCES = re.compile(r"(?:trong do(?: co| gom)?|bao gom|gom(?: co)?)\s*:\s*$")


def _next_lines(lines: list[str], line: int):
    """The non-blank lines after ``line`` (1-based), in order."""
    for number in range(line + 1, len(lines) + 1):
        if lines[number - 1].strip():
            yield number


def _listed_under(pairs: list[Pair], lines: list[str]) -> None:
    """ "Bộ TT&TT đã công bố 50 nền tảng số, trong đó có:" and then a line per kind: the lines that
    follow, while they give the same indicator and period, are its parts."""
    by_line: dict[int, list[Statement]] = {}
    for statement, _ in pairs:
        by_line.setdefault(statement.line, []).append(statement)
    for line, statements in by_line.items():
        if not _INTRODUCES.search(fold(lines[line - 1].rstrip(" *"))):
            continue
        total = statements[-1]
        for number in _next_lines(lines, line):
            parts = [s for s in by_line.get(number, []) if (s.indicator_code, s.period_code)
                     == (total.indicator_code, total.period_code)]
            if not parts:
                break
            for statement in parts:
                _mark(statement, f"Số liệu {PART} của {total.indicator_code}, liệt kê sau dòng {total.line} "
                                 f"(tổng {total.value_text}), không phải tổng.")


_SUB_ITEM = re.compile(r"^\W*?\+\s")     # "+ Facebook ...", "- + Đã công bố ...": an item of a sub-list


def _list_items(pairs: list[Pair], lines: list[str]) -> None:
    """Sub-list items next to each other that give the same indicator and period with different
    values ("+ Facebook ... (tỷ lệ 90%)", "+ Google ... (tỷ lệ 91%)") list its parts."""
    by_line: dict[int, list[Statement]] = {}
    for statement, _ in pairs:
        if _SUB_ITEM.match(lines[statement.line - 1]) and not any(PART in flag for flag in statement.flags):
            by_line.setdefault(statement.line, []).append(statement)
    for line, statements in by_line.items():
        following = next(_next_lines(lines, line), None)
        for statement in statements:
            key = (statement.indicator_code, statement.period_code)
            neighbours = [s for s in by_line.get(following, []) if (s.indicator_code, s.period_code) == key]
            if any(s.value != statement.value for s in neighbours):
                for item in [statement, *neighbours]:
                    _mark(item, f"Các dòng liền nhau cùng ghi {item.indicator_code} kỳ {item.period_code} với số "
                                f"khác nhau: số liệu {PART} của từng nhóm, không phải tổng.")


def _fractions(statements: list[Statement]) -> None:
    """ "22/22 bộ" and "60/63 tỉnh" of an indicator counting ministries and provinces together: each
    counts a group, unless its whole is the sum of the others'."""
    groups: dict[tuple, list[Statement]] = {}
    for statement in statements:
        if statement.whole:
            groups.setdefault((statement.indicator_code, statement.period_code), []).append(statement)
    for group in groups.values():
        wholes = {s.whole for s in group}
        if len(wholes) < 2:
            continue
        for statement in group:
            if statement.whole != sum(wholes - {statement.whole}):
                _mark(statement, f"{statement.indicator_code} được nêu trên các tổng khác nhau "
                                 f"({', '.join(str(w) for w in sorted(wholes))}): {statement.part}/{statement.whole} "
                                 f"là số liệu {PART} của một nhóm, không phải tổng.")
