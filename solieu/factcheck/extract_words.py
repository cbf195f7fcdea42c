"""The words around a figure in a sentence: where the words naming it begin and end.

The name of a figure is written before it ("Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng")
or after its unit ("... thành lập 74.521 Tổ CNSCĐ với 348.629 thành viên tham gia Tổ CNSCĐ"); the
connectors before it ("và", "trong đó", "tính đến") and the verbs after it ("ước đạt", "là") are
not part of it. A "so với ..." or "kế hoạch ..." phrase ends at the next comma or clause.
"""

from __future__ import annotations

import re

from solieu.factcheck.extract_numbers import Figure
from solieu.factcheck.names import fold_chars

__all__ = ["PLAN_AFTER", "after_words", "clause_end", "clean_phrase", "parenthesised_after", "percent_in_name"]

PLAN_AFTER = re.compile(r"^\s*(?:so voi\s+)?(?:ke hoach|kh\b|muc tieu|chi tieu)")
_AFTER_STOP = re.compile(
    r"[;()]|\.(?:\s|$)|,\s*(?:tang|giam|dat|so voi|chiem|trong do|voi|bang|tuong ung|gap|cao|xep)\b|"
    r"\s(?:tang|giam|so voi|dat|voi \d|trong do|chiem|tuong ung|bang)\b"
)
_LEADING = re.compile(
    r"^(?:[\s,;:.\-+–•*)]|va\b|voi\b|trong do(?: co)?\b|dong thoi\b|trong\b|tinh den(?: het)?(?: ngay)?\b|"
    r"tu dau nam\b|hien(?: nay)?(?: co)?\b|da co\b|cung\b)+"
)
_TRAILING = re.compile(
    r"(?:[\s,:;\-]|\buoc(?: tinh)?(?: dat)?\b|\bdat(?: duoc)?\b|\bla\b|\bkhoang\b|\bhon\b|\bgan\b|\btren\b|"
    r"\bxap xi\b|\bco\b|\bcon\b|\blen\b|\btoi\b|\bden\b|\bo muc\b|\bduy tri\b|\bvoi\b|\bgom\b|\bcu the\b|"
    r"\bdat muc\b|\bghi nhan\b|\btang len\b|\bcao hon\b|\bthap hon\b|\bxep\b)+$"
)


def clean_phrase(text: str) -> str:
    """Drop connectors before and verbs after the words that name a figure."""
    folded = fold_chars(text)
    m = _LEADING.match(folded)
    cut = m.end() if m else 0
    end = len(folded)
    m = _TRAILING.search(folded[cut:])
    if m:
        end = cut + m.start()
    return " ".join(text[cut:end].split()).strip(" ,;:-")


def after_words(sentence: str, folded: str, figure: Figure, nxt: Figure | None) -> tuple[str, int]:
    """Words naming the figure after it: the unit and what follows, up to the next clause."""
    measured = figure.kind in ("percent", "points", "times", "rank")
    start = figure.end if measured else figure.num_end
    share = re.match(r"\s*\(\s*\d+(?:[.,]\d+)?\s*%\s*\)", sentence[figure.end:])
    begin = figure.end + share.end() if share else figure.end
    if share:
        start = begin
        if nxt is not None and nxt.start < begin:
            nxt = None
    limit = nxt.start if nxt and nxt.start >= begin else len(sentence)
    m = _AFTER_STOP.search(folded, begin, limit)
    stop = m.start() if m else limit
    if figure.kind == "rank":       # "thứ 2 ASEAN, thứ 10 toàn cầu": each rank its own scope
        scope = re.compile(r",|\s(?:va|voi|trong|so voi)\b").search(folded, begin, stop)
        stop = scope.start() if scope else stop
    if measured and sentence[begin:stop].lstrip().startswith(","):
        stop = begin        # "Tiêu cực 23,92%, tích cực 61,68%": what follows the comma is the next one
    words = sentence[start:stop].split()
    if measured and len(words) <= (0 if figure.kind == "rank" else 1):
        return "", figure.end
    text = " ".join(words[:14]).strip(" ,;:")
    return re.sub(r"(?i)\s+(?:ước|ước tính)$", "", text), stop


def percent_in_name(sentence: str, folded: str, figure: Figure, nxt: Figure | None) -> bool:
    """Is ``nxt`` a percentage inside the words naming the count ``figure`` (no verb, comma or
    parenthesis between them, more words after it): "52/63 địa phương hoàn thành 100% đến cấp xã"."""
    return (figure.kind == "" and nxt is not None and nxt.kind == "percent" and nxt.start > figure.end
            and not re.search(r"[()]", sentence[figure.end:nxt.start])
            and bool(re.search(r"[^\W\d_]", sentence[figure.end:nxt.start]))
            and not _AFTER_STOP.search(folded, figure.end, nxt.start)
            and bool(re.match(r"\s+[^\W\d_]", sentence[nxt.end:])) and not PLAN_AFTER.match(folded[nxt.end:]))


def clause_end(folded: str, at: int, nxt: Figure | None) -> int:
    """End of a "so với ..." or "kế hoạch ..." phrase: the next comma, parenthesis or clause."""
    limit = nxt.start if nxt else len(folded)
    m = re.compile(r"[,;()]|\.(?:\s|$)|\s(?:va|dat|tang|giam|trong do)\s").search(folded, at, limit)
    return m.start() if m else limit


def parenthesised_after(sentence: str, at: int, nxt: Figure | None) -> Figure | None:
    """The figure in "(582.432 bưu gửi)" right after a base phrase, if that is all the parenthesis says."""
    m = re.match(r"\s*\(\s*", sentence[at:])
    if not m or nxt is None or nxt.start != at + m.end():
        return None
    rest = sentence[nxt.end:]
    return nxt if re.match(r"\s*\)", rest) else None
