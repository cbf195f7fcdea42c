"""Find the figures of a sentence: the number as written, its reading, its unit and scale word.

Ministry reports write "1.614.206" and "8,66", but figures pasted from spreadsheets or web pages
bring "35,892" (thousands comma) or "62.43%", and typing slips give "135. 329". A number with a
single separator followed by three digits reads two ways; it is read the way the document mostly
writes (its convention) and keeps the other reading in ``alt`` so the sentence parser can decide
from context (a count of postal items has no decimals; a previous value must fit the stated
change). What stays uncertain is flagged in Vietnamese, never silently guessed.

Dates ("18/6/2023"), document numbers ("42/2022/NĐ-CP"), year ranges, ordinals ("Kỳ họp thứ 5")
and durations ("trong 4 ngày") are not figures and are masked before numbers are looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from solieu.factcheck.names import fold, fold_chars
from solieu.vi.numbers import NumberParseError, is_ambiguous, parse_number

__all__ = ["Figure", "counted_noun", "find_figures", "split_unit", "document_convention", "read_number"]


@dataclass
class Figure:
    start: int                  # where the number starts in the sentence
    end: int                    # end of the number and its unit
    num_end: int                # end of the number alone
    text: str                   # the number as written: "27.477", "135. 329", "80/85"
    value: Decimal              # the reading chosen by the document's convention
    alt: Decimal | None = None  # the other reading of an ambiguous number
    unit: str = ""              # as written after the number: "tỷ đồng", "%", "thuê bao/100 dân"
    scale: Decimal = Decimal(1)  # from the scale words of ``unit`` (tỷ đồng: 10^9)
    base: str = ""              # folded unit without scale words: "dong", "thue bao/100 dan"
    kind: str = ""              # "percent", "points", "times", "rank" or "" for amounts and counts
    part: int | None = None     # "80/85": 80
    whole: int | None = None    # 85
    flags: list[str] = field(default_factory=list)


_NUMBER = re.compile(r"(?<![\w/.,])(?:\d{1,3}\. \d{3}(?![\d.,]\d)|\d+(?:[.,]\d+)*)(?![\w])")
_SIGN = re.compile(r"(?:^|(?<=[\s(]))[-−+](?=\d)")
_FRACTION = re.compile(r"(?<![\w/.,])(\d{1,3}(?:\.\d{3})+|\d+)\s?/\s?(\d{1,3}(?:\.\d{3})+|\d+)(?![\w/]|[.,]\d)")
_MASKS = [
    re.compile(r"\b\d{1,2}\s?[-–]\s?\d{1,2}/\d{1,2}/\d{4}\b"),            # 4-7/9/2023
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"),                           # 18/6/2023
    re.compile(r"\b\d{1,2}/(?:19|20)\d{2}\b"),                          # 6/2023
    re.compile(r"\b\d+(?:/\d{4})?/[A-ZĐ][\w\-Đđ]*"),                     # 42/2022/NĐ-CP, 10/TTr-BTTTT
    re.compile(r"\b\d+-[A-Z]{2}/[A-Z]+\b"),                             # 19-KL/TW
    re.compile(r"\b(?:19|20)\d{2}\s?[-–]\s?(?:19|20)\d{2}\b"),          # 2021-2025
    re.compile(r"(?<![\w.,/])\d+(?:[.,]\d+)?\s?[-–]\s?\d+(?:[.,]\d+)?(?=\s*%|\s+\w)"),  # 90-100%, 127-129 triệu
    re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺]+"),
]
# Words after which a number is a reference, not a figure ("Nghị định số 72", "Kỳ họp thứ 5").
_REFERENCE_BEFORE = re.compile(
    r"(?:nghi dinh|thong tu|quyet dinh|chi thi|de an|nghi quyet|\bnd|\bqd|\bluat|dieu|khoan|phu luc|"
    r"\bbieu|ma so|so hieu|\bkhoa|\bgiai doan|\bquy|\bthang|\bngay|(?:^|\s)so)(?: so)?\s*$"
)
_RANK_BEFORE = re.compile(r"(?:xep (?:hang )?(?:thu )?|dung thu|vuon len thu|hang thu|\bthuoc top|\btop)\s*$")
_DURATION_AFTER = re.compile(r"^\s*(?:ngay|thang|nam|gio|phut|tuan|quy)\b(?! (?:dan|nguoi))")

_SCALE = {"nghin": 10**3, "ngan": 10**3, "trieu": 10**6, "ty": 10**9}
# Units reports write after a number (folded); longest first when matching.
_UNITS = sorted({
    "ty dong", "dong", "usd", "ty usd", "trieu usd", "buu gui", "thue bao", "thue bao/100 dan",
    "doanh nghiep/1.000 dan", "doanh nghiep/1000 dan", "ban/nguoi", "giao dich", "giao dich/ngay", "doanh nghiep",
    "lao dong", "nguoi", "nguoi dan", "cuoc", "dia chi", "dia chi ip", "ip", "chung thu so", "chung thu", "trang",
    "trang web", "website", "to", "thanh vien", "dia phuong", "bo", "tinh", "xa", "dai", "bai", "bai viet",
    "video", "videos", "tin", "ban", "luot", "luot tai", "khach hang", "tai khoan", "ung dung", "thon", "sim",
    "can bo", "phan anh", "mbps", "san pham", "nen tang", "van ban", "ho so", "dich vu", "ho", "tram",
    "co quan", "the", "link", "group", "quyet dinh", "giay phep", "lo hong", "he thong", "nguoi dung",
    "tap chi", "bao", "dau sach", "cum loa", "don vi", "diem", "nhiem vu", "phieu", "huyen", "km", "rack",
    "csdl", "thu tuc", "kien nghi", "don", "to cnscd", "doanh nghiep cong nghe so", "tin gia", "dn",
    "vu", "doi tuong", "cong chuc", "vien chuc",
}, key=len, reverse=True)


def counted_noun(name: str) -> str:
    """What a name counts when it starts "Số ...", "Tổng số ...", "Số lượng ..." with a known unit:
    "Số thẻ cấp tại cơ quan báo in" counts thẻ (cards), not cơ quan; "" when it says nothing."""
    folded = fold(name)
    m = re.match(r"(?:tong )?so(?: luong)? ", folded)
    if not m:
        return ""
    rest = folded[m.end():]
    unit = next((u for u in _UNITS if rest == u or rest.startswith(u + " ") or rest.startswith(u + ",")), "")
    return unit


def split_unit(unit: str) -> tuple[Decimal, str]:
    """(scale, folded base) of a unit: "1,71 triệu tỷ đồng" -> (10^15, "dong"), "%" -> (1, "%")."""
    tokens = fold(unit).split()
    scale = 1
    while tokens and tokens[0] in _SCALE and not (tokens[0] == "ty" and len(tokens) > 1 and tokens[1] in ("le", "trong")):
        scale *= _SCALE[tokens.pop(0)]
    return Decimal(scale), " ".join(tokens)


def read_number(text: str, convention: str = "vi") -> tuple[Decimal, Decimal | None, list[str]]:
    """Read a number token under the document's ``convention``; the other reading as ``alt``."""
    flags: list[str] = []
    cleaned = text.replace(" ", "")
    if cleaned != text:
        flags.append(f'Số "{text}" có khoảng trắng sau dấu chấm; đọc là "{cleaned}".')
    other = "en" if convention == "vi" else "vi"
    if is_ambiguous(cleaned):
        return parse_number(cleaned, prefer=convention), parse_number(cleaned, prefer=other), flags
    try:
        value = parse_number(cleaned, prefer=convention)
    except NumberParseError:
        value = parse_number(cleaned, prefer=other)
    decimal_mark = "," if convention == "vi" else "."
    if re.search(r"[.,]", cleaned) and value != value.to_integral_value():
        used = cleaned[[m.start() for m in re.finditer(r"[.,]", cleaned)][-1]]
        if used != decimal_mark:
            flags.append(
                f'Số "{text}" dùng dấu "{used}" làm dấu thập phân, khác cách viết của văn bản; đọc là '
                f"{str(value).replace('.', ',')}."
            )
    return value, None, flags


def document_convention(lines: list[str]) -> tuple[str, bool]:
    """("vi" or "en", mixed?) from the numbers that can only be read one way."""
    vi = en = 0
    for line in lines:
        line = re.sub(r"^\W*\d{1,2}(?:\.\s?\d{1,2})*\.?\s", " ", line)       # "1.1. Sự phát triển ..."
        line = re.sub(r"\*+\d{1,2}(?:\.\d{1,2})+\.", " ", line)
        for token in _NUMBER.findall(line):
            if re.fullmatch(r"\d{1,2}\.0", token):
                continue
            if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(?:\.\d{3})+,\d+", token):
                vi += 1
            elif re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d+\.\d{1,2}|\d+\.\d{4,}|\d{1,3}(?:,\d{3})+\.\d+", token):
                en += 1
    convention = "en" if en >= 3 and en > 2 * vi else "vi"     # Vietnamese unless clearly not
    return convention, min(vi, en) >= 2 and min(vi, en) * 5 >= max(vi, en)


def find_figures(sentence: str, masked: list[tuple[int, int]] = (), convention: str = "vi") -> list[Figure]:
    """Figures of ``sentence`` in order; ``masked`` spans (periods) are skipped."""
    folded = fold_chars(sentence)
    blocked = list(masked)
    for pattern in _MASKS:
        blocked += [m.span() for m in pattern.finditer(sentence)]
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in blocked + taken)

    for m in _FRACTION.finditer(sentence):
        a, b = m.span()
        if not free(a, b):
            continue
        if _is_date(folded[:a], m.group(1), m.group(2)):
            blocked.append((a, b))
            continue
        part, whole = (int(g.replace(".", "")) for g in m.groups())
        figure = Figure(a, b, b, m.group(0), Decimal(part), part=part, whole=whole)
        _attach_unit(sentence, folded, figure)
        figures.append(figure)
        taken.append((a, b))
    for m in _NUMBER.finditer(sentence):
        a, b = m.span()
        if not free(a, b):
            continue
        before = folded[max(0, a - 30):a]
        rank = bool(_RANK_BEFORE.search(before))
        ordinal = re.search(r"thứ\s*$", sentence[max(0, a - 8):a].lower())
        ranks = [f for f in figures if f.kind == "rank" and f.end <= a]
        if ordinal and ranks and re.fullmatch(r"[^\d,;.()]{0,30},\s*thu\s*", folded[ranks[-1].end:a]):
            rank = True     # "đứng thứ 2 ASEAN, thứ 10 toàn cầu": the list of ranks goes on
        if not rank and (ordinal or _REFERENCE_BEFORE.search(before)):
            continue
        if _DURATION_AFTER.match(folded[b:b + 12]):
            continue
        token = m.group(0)
        if re.fullmatch(r"\d{1,2}\.0", token):
            continue    # a version, "Chính phủ điện tử 2.0", "CMCN 4.0"
        try:
            value, alt, flags = read_number(token, convention)
        except NumberParseError:
            continue
        start = a
        sign = _SIGN.search(sentence, max(0, a - 1), a + 1)
        if sign and sign.end() == a:
            start = sign.start()
            if sentence[start] in "-−":
                value, alt = -value, (-alt if alt is not None else None)
        figure = Figure(start, b, b, token, value, alt=alt, flags=flags)
        if rank:
            figure.kind, figure.unit, figure.base = "rank", "thứ hạng", "thu hang"
        else:
            _attach_unit(sentence, folded, figure)
            if re.fullmatch(r"(?:19|20)\d{2}", token) and not figure.unit:
                continue    # a year ("so với 2021"), not a figure
        figures.append(figure)
        taken.append((start, figure.end))
    figures.sort(key=lambda f: f.start)
    return figures


def _is_date(before: str, first: str, second: str) -> bool:
    """"30/6", "15/8" are dates; "63/63", "05/22", "1857/2212" are parts of a whole."""
    if "." in first or "." in second:
        return False
    a, b = int(first), int(second)
    if a > b:
        return a <= 31 and 1 <= b <= 12
    return b <= 12 and bool(re.search(r"(?:ngay|den|truoc|tu|het|sau|thang)\s*$", before))


def _attach_unit(sentence: str, folded: str, figure: Figure) -> None:
    """Read what follows the number: %, "điểm phần trăm", "lần", scale words and a known unit."""
    at = figure.num_end
    rest = folded[at:at + 60]
    m = re.match(r"\s?%(?:\s?/\s?(?:nam|thang))?(?:\s+gdp\b)?", rest)
    if m:
        figure.kind, figure.unit, figure.base = "percent", sentence[at:at + m.end()].strip(), "%"
        figure.end = at + m.end()
        return
    m = re.match(r"\s+diem(?: phan tram| %)", rest)
    if m:
        figure.kind, figure.unit, figure.base = "points", sentence[at:at + m.end()].strip(), "diem phan tram"
        figure.end = at + m.end()
        return
    m = re.match(r"\s+lan\b", rest)
    if m:
        figure.kind, figure.unit, figure.base = "times", "lần", "lan"
        figure.end = at + m.end()
        return
    pos = 0
    scale = 1
    while True:
        m = re.match(r"\s+(nghin|ngan|trieu|ty)\b(?! (?:le|trong)\b)", rest[pos:])
        if not m:
            break
        scale *= _SCALE[m.group(1)]
        pos += m.end()
    base = ""
    tail = rest[pos:]
    for unit in _UNITS:
        m = re.match(r"\s+" + re.escape(unit).replace(r"\ ", r"\s+") + r"(?![\w])", tail)
        if m:
            base = unit
            pos += m.end()
            break
    per = re.match(r"(?:\s+[^\W\d_]+){0,3}\s?/\s?(?:100 dan|1\.?000 dan|nguoi|nam|thang|ngay)\b", rest[pos:])
    if base and per and "/" not in base:
        pos += per.end()        # "2,8 bản xuất bản phẩm/người"
        base = base + "/" + fold(per.group(0).split("/")[-1])
    if scale == 1 and not base:
        return
    figure.scale = Decimal(scale)
    figure.base = base.replace("1.000", "1000")
    figure.unit = " ".join(sentence[at:at + pos].split())
    figure.end = at + pos
