"""Cut a report sentence into figure statements (drafts, before the catalog is consulted).

A development sentence has one shape repeated across sectors and years:

    [tên chỉ tiêu] [ước đạt|đạt|là|:] [số] [đơn vị] [(số phụ)], [tăng|giảm] [x%] so với [kỳ gốc]
    [(số kỳ gốc)] và đạt [y%] kế hoạch năm [N] [(kế hoạch năm N là z)].

Each number's role is decided by the words right before it ("tăng", "giảm", "gấp", "bằng", "kế
hoạch ... là") and right after it ("% kế hoạch", "so với ..."), and by parentheses: a number in
parentheses after "so với cùng kỳ năm 2022" is the previous value, "(tương ứng với tỷ lệ 22,26
thuê bao/100 dân)" is a second figure of another indicator, "(94%)" after "80/85" is the share.
Modifiers attach to the last main figure; a parenthesised second figure never takes them over, so
"tăng 8%" after "(tương ứng với tỷ lệ ...)" still belongs to the subscribers.

The words naming a figure are looked for before it (from the end of the previous figure's
clause) and after its unit ("74.521 Tổ CNSCĐ", see `extract_words`); both are kept as candidates,
and the first figure's name is offered as context to the later ones ("... ; tích cực 61,68%"), the
paragraph's earlier sentence to a sentence that names nothing itself ("Việt Nam ... thuộc top 10").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from solieu.catalog.periods import PeriodId
from solieu.factcheck.extract_numbers import Figure, counted_noun, find_figures
from solieu.factcheck.extract_periods import Mention, base_period, find_periods, shift_year
from solieu.factcheck.extract_words import (PLAN_AFTER, after_words, clause_end, clean_phrase,
                                             parenthesised_after, percent_in_name)
from solieu.factcheck.names import fold_chars

__all__ = ["Change", "Draft", "parse_sentence", "split_sentences", "clean_phrase"]


@dataclass
class Change:
    figure: Figure
    sign: int
    kind: str                    # percent | points | ratio | times | absolute
    base_text: str = ""
    previous: Figure | None = None


@dataclass
class Draft:
    line: int
    quote: str
    figure: Figure | None                    # the main value; None when only a change or plan share is said
    phrases: list[str] = field(default_factory=list)
    context_phrases: list[str] = field(default_factory=list)   # tried when ``phrases`` match nothing well
    kind: str = "sentence"
    unit: str = ""                           # unit to match and convert with (the figure's or the row label's)
    period: PeriodId | None = None           # stated for this figure (or a table column)
    period_hint: PeriodId | None = None      # implied by "so với cùng kỳ tháng 6/2022"
    estimate: bool = False
    changes: list[Change] = field(default_factory=list)
    plan_share: Figure | None = None
    plan_value: Figure | None = None
    share: Figure | None = None
    previous: Figure | None = None           # a table's comparison column
    base_override: PeriodId | None = None    # a table's comparison column names its period
    secondary: bool = False
    negated: bool = False                    # "còn 37% ... chưa phê duyệt": counts what is not done
    flags: list[str] = field(default_factory=list)
    nearest: str = ""                        # the words right before the figure, back to a comma
    object_of: str = ""                      # "yêu cầu 04 doanh nghiệp", "của 04 tỉnh": it counts objects
    counted: str = ""                        # "Số thẻ cấp tại ...: 11.600": the thing counted, when no unit is written
    bracketed: bool = False                  # inside parentheses: "(Facebook: 1.572 bài (91%); ...)"


_CHANGE = re.compile(
    r"(?:^|[\s,(])(tang|giam)(?: (?:truong|them|manh|nhe|di|len|xuong))?"
    r"(?: (?:dat|khoang|hon|gan|tren|xap xi|den|toi|it nhat|duoi|nhung|voi|muc))*\s*$"
)
_TIMES = re.compile(r"(?:^|\s)gap(?: (?:khoang|hon|gan|tren|xap xi))?\s*$")
_EQUAL = re.compile(r"(?:^|\s)bang(?: (?:khoang|gan))?\s*$")
_PLAN_BEFORE = re.compile(r"(?:ke hoach|\bkh|muc tieu|chi tieu)(?: nam)?(?: \d{4})?(?: (?:la|dat|de ra))?\s*:?\s*$")
_BASE = re.compile(r"^\s*,?\s*(?:so voi|so cung ky)\s+")
_ESTIMATE = re.compile(r"\buoc(?: tinh)?(?: dat)?(?: khoang| dat duoc)?\s*:?\s*$|\buoc\b[^,;]{0,12}$")
_BOUND = re.compile(r"\b(hon|tren|gan|xap xi|duoi|it nhat|toi thieu|toi da)\s*$")
_BOUND_WORDS = {"hon": "hơn", "tren": "trên", "gan": "gần", "xap xi": "xấp xỉ", "duoi": "dưới",
                "it nhat": "ít nhất", "toi thieu": "tối thiểu", "toi da": "tối đa"}
# Words right before a count that make it the number of objects of an action of the ministry ("làm việc
# với 09 cơ quan báo chí", "yêu cầu 04 Doanh nghiệp") or the owners of what the words before name
# ("tổng số DNCNS của 04 tỉnh"): the count of something else than the sentence's indicator.
_OBJECT_OF = re.compile(
    r"(?:^|[\s,])(cua|yeu cau|lam viec(?: truc tiep)?(?: voi)?|kiem tra|thanh tra|xu ly|xu phat|nhac nho|"
    r"phoi hop(?: voi)?|tap huan(?: cho)?|huong dan|de nghi|chi dao|dinh chi|trao doi voi)\s*$"
)
_BODIES = re.compile(r"(?:doanh nghiep|dn|co quan|don vi|bo|tinh|dia phuong|huyen|xa|to chuc)$")   # who is acted upon
_ABBREVIATIONS = ("TP", "Tp", "tp", "TS", "ThS", "PGS", "GS", "v.v", "St", "Mr", "Ms", "Dr")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph at ". " (or "!", "?") before a capital letter, a bullet or an opening quote."""
    pieces: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?…]+\s+(?=[A-ZÀ-ỸĐ\-+•“\"(]|(?<=[^\d\s][.!?…] )\d)", text):
        word = text[max(0, m.start() - 4):m.start()].split()[-1:] or [""]
        if word[0].rstrip(".") in _ABBREVIATIONS or re.fullmatch(r"\d{1,2}", word[0]):
            continue
        pieces.append(text[start:m.end()].strip())
        start = m.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _paren_open(text: str, at: int) -> int:
    """Index of the unclosed "(" before ``at``, or -1."""
    depth = 0
    for i in range(at - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            if depth == 0:
                return i
            depth -= 1
    return -1


def parse_sentence(sentence: str, line: int, *, year: int | None, convention: str = "vi",
                   previous: list[Draft] | None = None) -> list[Draft]:
    """Drafts for every figure of ``sentence`` (quoted as is, found on ``line``)."""
    folded = fold_chars(sentence)
    mentions = find_periods(sentence, year)
    figures = find_figures(sentence, [(m.start, m.end) for m in mentions], convention)
    if not figures:
        return []
    no_periods = _blank(sentence, [(m.start, m.end) for m in mentions])
    if re.match(r"\s*(?:muc tieu|ke hoach)\b", folded):
        return _targets(figures, previous)
    drafts: list[Draft] = []
    current: Draft | None = None
    parent: Draft | None = None      # the total that "trong đó ..." parts belong to
    context = ""
    cursor = 0
    consumed = 0
    # "Tỷ lệ sử dụng IPv6 ... đạt 57,6%, ... . Việt Nam vượt qua Mỹ, thuộc top 10 toàn cầu": the
    # paragraph's earlier sentence gives the topic to a sentence that does not name its own.
    topic = next((_context(d.phrases[0]) for d in previous or [] if d.phrases and not d.secondary), "")
    for index, figure in enumerate(figures):
        if figure.start < consumed:
            continue
        semicolon = sentence.rfind(";", cursor, figure.start)
        if semicolon >= 0:
            cursor = semicolon + 1
        left = folded[max(cursor, figure.start - 40):figure.start]
        opened = _paren_open(sentence, figure.start)
        inner = folded[opened + 1:figure.start] if opened >= 0 else ""
        right = folded[figure.end:figure.end + 60]
        nxt = figures[index + 1] if index + 1 < len(figures) else None

        said = _change_words(left, right, figure)
        if said is not None:
            if current is None:      # "Tổng doanh thu ... tăng 7,8% so với ...": a change without its value
                keyword = _CHANGE.search(left) or _TIMES.search(left) or _EQUAL.search(left)
                cut = figure.start - len(keyword.group(0).lstrip(" ,(")) if keyword else figure.start
                current = _new(sentence, line, None, no_periods[cursor:cut], "", mentions, figure.start)
                drafts.append(current)
            change, end = _read_change(sentence, folded, figure, nxt, *said)
            current.changes.append(change)
            consumed = cursor = end
            continue

        if figure.kind == "percent" and PLAN_AFTER.match(right) or (_EQUAL.search(left) and PLAN_AFTER.match(right)):
            if current is None:
                verb = re.search(r"(?:\bdat|\btuong ung(?: voi)?(?: dat)?|\bbang)\s*$", folded[cursor:figure.start])
                cut = figure.start - (len(verb.group(0)) if verb else 0)
                current = _new(sentence, line, None, no_periods[cursor:cut], "", mentions, figure.start)
                drafts.append(current)
            current.plan_share = figure
            consumed = cursor = clause_end(folded, figure.end + PLAN_AFTER.match(right).end(), nxt)
            continue

        if current is not None and _PLAN_BEFORE.search(inner or folded[max(cursor, figure.start - 30):figure.start]):
            current.plan_value = figure
            consumed = cursor = figure.end
            continue

        if (opened >= 0 and figure.kind == "percent" and drafts and drafts[-1].figure is not None
                and drafts[-1].figure.whole is not None and opened >= drafts[-1].figure.end - 1
                and not sentence[drafts[-1].figure.end:opened].strip()):
            drafts[-1].share = figure
            consumed = figure.end
            continue

        secondary = opened >= 0 and current is not None
        before = no_periods[max(cursor, opened + 1 if secondary else cursor):figure.start]
        if figure.kind == "times" and not secondary and current is not None:
            secondary = True      # "cao gấp 1,6 lần trung bình toàn cầu": another indicator
            before = ""
        swallowed = not secondary and percent_in_name(sentence, folded, figure, nxt)
        beyond = figures[index + 2] if index + 2 < len(figures) else None
        after, after_end = after_words(sentence, folded, figure, beyond if swallowed else nxt)
        draft = _new(sentence, line, figure, before, after, mentions, figure.start)
        draft.bracketed = opened >= 0
        if figure.kind == "":
            window = max(cursor, opened + 1, figure.start - 30)
            action = _OBJECT_OF.search(folded, window, figure.start) if _BODIES.match(figure.base) else None
            draft.object_of = sentence[action.start(1):action.end(1)] if action else ""
            draft.counted = "" if figure.unit else counted_noun(clean_phrase(before))
        whole = parent or current
        part = (whole is not None and not secondary and whole.figure is not None and whole.phrases
                and "trong do" in folded[whole.figure.end:figure.start]
                and figure.base and figure.base == whole.figure.base)
        if part:
            # "... 4.931.308 chứng thư số, trong đó có 4.470.335 chứng thư số tổ chức": a part of it
            draft.phrases = [whole.phrases[0]]
            draft.flags.append(f'Số liệu thành phần (sau "trong đó") của "{whole.phrases[0]}", không phải tổng.')
            parent = whole
        draft.secondary = secondary
        draft.negated = bool(re.search(r"(?:^|\s)(?:chi con|con)\s*$", folded[max(cursor, figure.start - 10):figure.start])
                             or re.search(r"\bchua\b", fold_chars(after)))
        draft.estimate = bool(_ESTIMATE.search(folded[max(cursor, figure.start - 25):figure.start]))
        bound = _BOUND.search(folded[max(cursor, figure.start - 12):figure.start])
        if bound:
            draft.flags.append(f'Số liệu ghi "{_BOUND_WORDS[bound.group(1)]} {figure.text}": không phải con số chính xác.')
        if current is not None and current.phrases and len(clean_phrase(current.phrases[0]).split()) >= 3:
            context = _context(current.phrases[0])      # the figure just before ("... 640 đài ...), chiếm 6,53%")
        elif drafts and drafts[0].phrases:
            context = _context(drafts[0].phrases[0])
        if context and (secondary or drafts) and not part:
            with_context = [f"{p} {context}" for p in draft.phrases if p] or [context]
            if secondary:       # "(tương ứng với tỷ lệ ...)" says little on its own
                draft.phrases = with_context + draft.phrases
            elif clean_phrase(before) or not draft.phrases:
                draft.context_phrases = with_context    # not for "...; 100% địa phương đã ...": a new item
        elif topic and not drafts and not secondary:
            draft.context_phrases = [f"{p} {topic}" for p in draft.phrases if p] or [topic]
        drafts.append(draft)
        if not secondary:
            current = draft
            if not context:
                context = _context(draft.phrases[0] if draft.phrases else "")
        elif not context and current is not None and current.phrases:
            context = _context(current.phrases[0])
        consumed = figure.end
        if swallowed:       # the percentage was part of the name: not a figure of its own
            consumed = cursor = after_end
        elif (after and not secondary and figure.kind not in ("percent", "points", "times", "rank")
                and after_end < (nxt.start if nxt else len(sentence))) or (
                figure.kind == "rank" and after and sentence[after_end:after_end + 1] == ","):
            cursor = max(figure.end, after_end)     # its name ended at a clause boundary
        else:
            cursor = figure.end
    for draft in drafts:
        _hint(draft, year)
    return drafts


_KINDS = {"percent": "percent", "points": "points", "times": "times"}


def _change_words(left: str, right: str, figure: Figure) -> tuple[int, str] | None:
    """(sign, kind) when the words around a figure make it a change ("tăng 5,48%", "gấp 1,6 lần so
    với", "bằng 95% so với cùng kỳ"), else None. "19%/năm" is a rate, not a change."""
    if "/" in figure.unit and figure.kind == "percent":
        return None
    m = _CHANGE.search(left)
    if m:
        return (-1 if m.group(1) == "giam" else 1), _KINDS.get(figure.kind, "absolute")
    base = _BASE.match(right)
    if figure.kind == "times" and base and _TIMES.search(left):
        return 1, "times"
    if base and _EQUAL.search(left) and not PLAN_AFTER.match(right[base.end():]):
        return 1, "ratio"
    return None


def _read_change(sentence: str, folded: str, figure: Figure, nxt: Figure | None, sign: int,
                 kind: str) -> tuple[Change, int]:
    """The change with its "so với ..." base and "(previous value)"; and where its clause ends."""
    change = Change(figure, sign, kind)
    end = figure.end
    base = _BASE.match(folded[end:])
    if base:
        stop = clause_end(folded, end + base.end(), nxt)
        change.base_text = sentence[end + base.end():stop].strip()
        end = stop
        previous = parenthesised_after(sentence, end, nxt)
        if previous is not None:
            change.previous = previous
            close = sentence.find(")", previous.end)
            end = close + 1 if close >= 0 else previous.end
    return change, end


def _new(sentence: str, line: int, figure: Figure | None, before: str, after: str,
         mentions: list[Mention], at: int) -> Draft:
    phrases = []
    nearest = ""
    name = clean_phrase(before)
    if name:
        phrases.append(name)
        clause = clean_phrase(re.split(r"[,:]|\svới\s", before)[-1])
        if clause and clause != name and len(clause.split()) >= 3:
            phrases.append(clause)      # the clause nearest the figure names it best
        nearest = clause or name
    if after:
        beyond_unit = len(after.split()) - len((figure.unit if figure else "").split())
        if not name and beyond_unit >= 1:
            phrases.append(after)       # "... với 348.629 thành viên tham gia Tổ CNSCĐ": named after
        if name:
            phrases.append(f"{name} {after}")
    if figure is not None and figure.kind == "rank" and after:
        phrases = phrases[-1:]      # "đứng thứ 2 ASEAN": the scope after the rank is part of its name
    stated = [m for m in mentions if m.role == "period" and m.end <= at]
    draft = Draft(line=line, quote=sentence, figure=figure, phrases=phrases,
                  unit=figure.unit if figure else "", period=stated[-1].period if stated else None,
                  nearest=nearest)
    return draft


def _context(phrase: str) -> str:
    """The topic of a sentence's first figure, offered to the later ones ("Tỷ lệ tin tức ...: ")."""
    return phrase.rsplit(":", 1)[0].strip() if ":" in phrase else phrase


def _targets(figures: list[Figure], previous: list[Draft] | None) -> list[Draft]:
    """ "Mục tiêu đến tháng 12/2022 đạt 85 thuê bao/100 dân.": the plan of the sentence before."""
    if previous:
        last = next((d for d in reversed(previous) if d.figure is not None and not d.secondary), None)
        if last and last.figure and figures[0].unit and figures[0].base == last.figure.base and last.plan_value is None:
            last.plan_value = figures[0]
    return []


def _hint(draft: Draft, year: int | None) -> None:
    """ "so với cùng kỳ tháng 6/2022" implies the figure is for June 2023."""
    for change in draft.changes:
        text = fold_chars(change.base_text)
        if text.startswith("cung ky") and re.search(r"\d", text):
            base = base_period(change.base_text, None, year)
            if base is not None:
                draft.period_hint = shift_year(base, 1)
                return
