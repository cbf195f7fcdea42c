"""Match the words a report uses for a figure to an indicator of the catalog.

Reports never write the catalog's names exactly: "Nộp ngân sách lĩnh vực bưu chính", "Tổng sản
lượng bưu gửi", "Tỷ lệ DVCTT có phát sinh HSTT", and in the tables just "Doanh thu (tỷ đồng)".
So matching is fuzzy: both sides are folded to unaccented lowercase words (people also type
without diacritics), common abbreviations are spelled out, and the words are weighted by how
rare they are in the catalog, so "bưu chính" or "KT1" decide more than "số" or "tỷ lệ".

Several indicators share a name ("Doanh thu", "Nộp ngân sách" exist in every sector): the sector
of the section the sentence is in ("1. Lĩnh vực Bưu chính") breaks the tie, and so does the unit
written after the number (a "%" is not a count of households). When the best candidate is weak or
two candidates are equally good, the answer is no indicator plus a Vietnamese flag: a wrong code
would be checked and imported silently, a missing one is shown to a person. (`Catalog.closer`
lets the caller break a tie with the words right next to the figure, when they clearly favour one.)

The catalog is read from the YAML files the loader also reads, not from the database, so the
extractor and its tests run without Django.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["Catalog", "Indicator", "Match", "fold", "fold_chars", "words", "load_catalog", "MIN_SCORE"]

DATA_DIR = Path(__file__).resolve().parent.parent / "catalog" / "data"
MIN_SCORE = 0.65          # below: no indicator, flagged for a person to choose
TIE_MARGIN = 0.025        # two different indicators closer than this: ambiguous
SECTOR_BONUS = 0.08
DISTINCTIVE = 2.5         # a word this rare in the catalog names something specific
UNIT_BONUS = 0.05
UNIT_PENALTY = 0.25


def fold_chars(text: str) -> str:
    """Lowercase and strip diacritics character by character, keeping the length.

    Positions found in the folded text are positions in the original, so regular expressions
    can be written without diacritics ("so voi cung ky") and still cut the original text.
    """
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0] if ord(ch) > 127 else ch
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


def fold(text: str) -> str:
    """Unaccented lowercase text with single spaces: "Bưu chính " -> "buu chinh"."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(fold_chars(text).split())


# Abbreviations of the reports, spelled out so they meet the catalog's full names.
ABBREVIATIONS = {
    "tttt": "thong tin truyen thong", "tt&tt": "thong tin truyen thong", "tt-tt": "thong tin truyen thong",
    "dvctt": "dich vu cong truc tuyen", "dvc": "dich vu cong", "hstt": "ho so truc tuyen",
    "brcd": "bang rong co dinh", "brdd": "bang rong di dong", "cntt": "cong nghe thong tin",
    "attt": "an toan thong tin", "nsnn": "ngan sach nha nuoc", "tmdt": "thuong mai dien tu",
    "cnscd": "cong nghe so cong dong", "dncns": "doanh nghiep cong nghe so", "ptth": "phat thanh truyen hinh",
    "ttdt": "thong tin dien tu", "mxh": "mang xa hoi", "csdl": "co so du lieu", "kh": "ke hoach",
    "dn": "doanh nghiep", "dnbc": "doanh nghiep buu chinh", "dnvt": "doanh nghiep vien thong",
    "tthc": "thu tuc hanh chinh", "cqnn": "co quan nha nuoc", "xbg": "xuyen bien gioi",
    "httt": "he thong thong tin", "vphc": "vi pham hanh chinh", "cds": "chuyen doi so",
    "ubqg": "uy ban quoc gia", "ndxp": "nen tang tich hop chia se du lieu quoc gia", "ip": "ip", "tk": "tai khoan", "sp": "san pham",
    "bc": "buu chinh", "cp": "chinh phu", "cpdt": "chinh phu dien tu", "ttcs": "thong tin co so",
    "kts": "kinh te so", "cnicts": "cong nghiep ict", "gtvt": "giao thong van tai", "top": "thu hang",
}
# Dropped before folding, while "số" (number) still differs from "sơ" (hồ sơ) and "sở" (cơ sở).
STOPWORDS = {
    "của", "và", "các", "những", "được", "đã", "trong", "này", "hiện", "với", "một", "cho", "về", "là", "thì",
    "ở", "trên", "theo", "nhằm", "đạt", "ước", "khoảng", "tổng", "số",
}
# "số" also means "digital": it is kept after these (folded) words ("kinh tế số", "chuyển đổi số",
# "công nghệ số", "nền tảng số", "địa chỉ số", "chữ ký số", "Chính phủ số", "xã hội số"...).
_DIGITAL = {"te", "doi", "nghe", "tang", "chi", "ky", "phu", "hoi", "lieu", "hoa", "luc", "dan", "quyen",
            "thong", "nang", "do", "thu"}
_UNIT_IN_PARENS = re.compile(
    r"\(\s*(?:(?:nghìn|ngàn|triệu|tỷ)\s+)?(?:đồng|%|người|doanh nghiệp|cuộc|IP|bưu gửi|thuê bao|USD|lượt|tin, bài|"
    r"tin|bài|trang|hộ|giao dịch|chứng thư số|địa chỉ|đơn vị|tài khoản)\s*\)",
    re.IGNORECASE,
)

_WORLD = re.compile(r"(?i)\btoàn cầu\b")       # "thuộc top 10 toàn cầu": a rank (thứ hạng) in the world (thế giới)


def words(text: str) -> list[str]:
    """Folded content words of ``text``, abbreviations spelled out, stopwords dropped."""
    text = _UNIT_IN_PARENS.sub(" ", unicodedata.normalize("NFC", text))
    text = re.sub(r"(?i)tt\s*&\s*tt", " tttt ", text)
    text = re.sub(r"(\d)\.(\d{3})", r"\1\2", text)
    text = _WORLD.sub("thế giới", text)
    out: list[str] = []
    previous = ""
    for original in re.split(r"[^\w%]+", text.lower()):
        if not original or original == "_":
            continue
        token = fold(original)
        filler = original in STOPWORDS and not (original == "số" and previous in _DIGITAL)
        if filler or (original == "lượng" and previous == "so"):   # "số lượng" = "số"
            previous = token
            continue
        for word in ABBREVIATIONS.get(token, token).split():
            out.append(word)
        previous = token
    return out


@dataclass(frozen=True)
class Indicator:
    code: str
    sector: str
    name: str
    unit: str
    value_type: str = "decimal"
    short_name: str = ""
    aliases: tuple[str, ...] = ()


@dataclass
class Match:
    """The result of a name match: ``code`` is None when nothing was good enough or unique."""

    code: str | None
    score: float
    flags: list[str] = field(default_factory=list)
    candidates: list[tuple[str, float]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.code is not None


# Words that name a sector in a heading ("1. Lĩnh vực Bưu chính", "Về Xuất bản, In, Phát hành:").
MEDIA = ("press", "broadcasting_electronic_info", "publishing", "grassroots_info")
SECTOR_WORDS = [
    (MEDIA, ["bao chi truyen thong", "thong tin va truyen thong bao chi"]),
    ("overview", ["so lieu tong quan nganh", "tong quan nganh", "toan nganh", "linh vuc tong hop"]),
    ("postal", ["buu chinh"]),
    ("telecom", ["vien thong", "tan so vo tuyen"]),
    ("digital_government", ["chinh phu so", "chinh phu dien tu"]),
    ("digital_transformation", ["chuyen doi so", "ung dung cntt", "ung dung cong nghe thong tin"]),
    ("information_security", ["an toan thong tin", "an toan an ninh mang", "an ninh mang"]),
    ("digital_economy", ["kinh te so"]),
    ("ict_industry", ["cong nghiep ict", "cong nghiep cntt", "cong nghiep cong nghe so", "cong nghiep cong nghe thong tin"]),
    ("publishing", ["xuat ban", "phat hanh xuat ban pham"]),
    ("broadcasting_electronic_info", ["phat thanh", "truyen hinh", "thong tin dien tu", "ptth"]),
    ("grassroots_info", ["thong tin co so"]),
    ("press", ["bao chi"]),
]


class Catalog:
    """The indicators with their searchable phrases and word weights."""

    def __init__(self, indicators: list[Indicator], sectors: dict[str, str]):
        self.indicators = {ind.code: ind for ind in indicators}
        self.sectors = sectors
        self._phrases: list[tuple[str, list[str], str, str]] = []   # code, words, folded, kind
        self._pairs: dict[str, set[tuple[str, str]]] = {}            # code: word pairs of its names
        for ind in indicators:
            entries = [(ind.name, "name")] + [(alias, "alias") for alias in ind.aliases]
            if ind.short_name:
                entries.append((ind.short_name, "short"))
            for text, kind in entries:
                self._pairs.setdefault(ind.code, set()).update(_word_pairs(text))
                tokens = words(text)
                if tokens:
                    self._phrases.append((ind.code, tokens, " ".join(tokens), kind))
        document_frequency: dict[str, int] = {}
        for code in self.indicators:
            seen = {t for c, tokens, _, _ in self._phrases if c == code for t in tokens}
            for token in seen:
                document_frequency[token] = document_frequency.get(token, 0) + 1
        total = len(self.indicators)
        self._weight = {t: max(0.2, math.log((total + 1) / (n + 0.5))) for t, n in document_frequency.items()}
        self._index: dict[str, set[int]] = {}
        for i, (_, tokens, _, _) in enumerate(self._phrases):
            for token in tokens:
                self._index.setdefault(token, set()).add(i)
        self._sets = [(set(tokens), sum(self.weight(t) for t in set(tokens))) for _, tokens, _, _ in self._phrases]
        self._qualifiers = {
            code: frozenset().union(*(_qualifiers(f) for c, _, f, k in self._phrases if c == code and k == "name"))
            for code in self.indicators
        }
        self._cache: dict[tuple, Match] = {}

    def get(self, code: str) -> Indicator:
        return self.indicators[code]

    def weight(self, token: str) -> float:
        return self._weight.get(token, 1.5 if not token.isdigit() else 0.5)

    def sector_of(self, heading: str) -> str | tuple[str, ...] | None:
        """The sector a heading names, if any ("4. Lĩnh vực Chính phủ số" -> digital_government)."""
        heading = re.sub(r"(?<=[^\W\d_])(?=\d+\.\d)", " ", heading)     # "Chính phủ số4.1. Sự phát triển"
        folded = f" {' '.join(words_keep_all(heading))} "
        best: tuple[int, str] | None = None
        for code, keys in SECTOR_WORDS:
            for key in keys:
                at = folded.find(f" {key} ")
                if at >= 0 and (best is None or at < best[0]):
                    best = (at, code)
        return best[1] if best else None

    def match(self, phrase: str, *, sector: str | tuple[str, ...] | None = None, unit: str | None = None) -> Match:
        """Best indicator for ``phrase``; ``sector`` of the section (one or several) and ``unit`` help."""
        sector = (sector,) if isinstance(sector, str) else tuple(sector or ())
        key = (phrase, sector, unit)
        if key not in self._cache:
            if len(self._cache) > 20_000:
                self._cache.clear()
            self._cache[key] = self._match(phrase, sector, unit)
        found = self._cache[key]
        return Match(found.code, found.score, list(found.flags), list(found.candidates))

    def closer(self, text: str, codes: list[str]) -> str | None:
        """Of tied ``codes``, the one sharing strictly most word pairs with ``text`` (the words next to
        the figure: "số phí thu được ... đạt 25.306.218.000 đồng" is the fee collected), else None."""
        pairs = _word_pairs(text)
        shared = sorted(((len(pairs & self._pairs.get(code, set())), code) for code in codes), reverse=True)
        return shared[0][1] if len(shared) > 1 and shared[0][0] > shared[1][0] else None

    def _match(self, phrase: str, sector: tuple[str, ...], unit: str | None) -> Match:
        tokens = words(phrase)
        if not tokens:
            return Match(None, 0.0, ["Không có tên chỉ tiêu trước hoặc sau con số."])
        scores = self._score(tokens, sector, unit)
        if not scores:
            return Match(None, 0.0, [f'Không tìm thấy chỉ tiêu nào có tên giống "{phrase.strip()}".'])
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        best_code, best = ranked[0]
        candidates = [(code, round(score, 3)) for code, score in ranked[:3]]
        if best < MIN_SCORE:
            names = ", ".join(f"{code} ({score:.2f})" for code, score in candidates)
            return Match(None, best, [f'Tên "{phrase.strip()}" không đủ giống chỉ tiêu nào (gần nhất: {names}).'],
                         candidates)
        if len(ranked) > 1 and ranked[1][1] > best - TIE_MARGIN:
            other = ranked[1][0]
            return Match(None, best, [
                f'Tên "{phrase.strip()}" giống cả {best_code} và {other} như nhau; cần chọn chỉ tiêu bằng tay.'
            ], candidates)
        return Match(best_code, min(best, 1.0), [], candidates)

    def _score(self, tokens: list[str], sector: tuple[str, ...], unit: str | None) -> dict[str, float]:
        wanted = set(tokens)
        wanted_weight = sum(self.weight(t) for t in wanted)
        found: set[int] = set()
        for token in wanted:
            found |= self._index.get(token, set())
        rough: list[tuple[float, int]] = []
        for i in found:
            candidate, total = self._sets[i]
            shared = sum(self.weight(t) for t in wanted & candidate)
            rough.append((0.65 * shared / total + 0.35 * shared / wanted_weight, i))
        rough.sort(reverse=True)
        qualifiers = _qualifiers(" ".join(tokens))
        scores: dict[str, float] = {}
        for base, i in rough[:25]:
            code, candidate, folded, kind = self._phrases[i]
            ratio = difflib.SequenceMatcher(None, tokens, candidate, autojunk=False).ratio()
            score = 0.85 * base + 0.15 * ratio
            indicator = self.indicators[code]
            in_sector = indicator.sector in sector
            if kind == "short" and not in_sector:
                score *= 0.9
            if in_sector:
                score += SECTOR_BONUS
            elif not any(self.weight(t) >= DISTINCTIVE for t in wanted & set(candidate)):
                score *= 0.85       # only common words ("tỷ lệ", "doanh thu") and another sector
            if unit is not None:
                score += unit_fit(unit, indicator.unit)
            differ = qualifiers ^ self._qualifiers[code]
            score -= QUALIFIER_PENALTY * (len(differ) + len(differ & REGIONS))
            if score > scores.get(code, -1.0):
                scores[code] = score
        return scores


# Words that tell sibling indicators apart ("Lũy kế giao dịch" is not "Số giao dịch", "bưu gửi
# mật" is not "bưu gửi"): a phrase and an indicator should agree on them.
QUALIFIERS = ("luy ke", "mat", "trung binh", "hang ngay", "binh quan", "tang them", "con lai", "dang hoat dong",
              "kt1", "the gioi", "asean", "chau a", "dong nam a", "khu vuc", "xep hang", "thu hang", "quy doi")
QUALIFIER_PENALTY = 0.1      # twice for the regions: "thứ 2 ASEAN" is no rank in the world
REGIONS = frozenset({"the gioi", "asean", "chau a", "dong nam a", "khu vuc"})


def _qualifiers(folded: str) -> frozenset[str]:
    padded = f" {folded} "
    return frozenset(q for q in QUALIFIERS if f" {q} " in padded)


def _word_pairs(text: str) -> set[tuple[str, str]]:
    tokens = words_keep_all(_UNIT_IN_PARENS.sub(" ", text))
    return set(zip(tokens, tokens[1:]))


def words_keep_all(text: str) -> list[str]:
    """Folded words without dropping stopwords, for headings ("Lĩnh vực Chính phủ số")."""
    text = re.sub(r"(?i)tt\s*&\s*tt", " tttt ", text)
    return [t for t in re.split(r"[^0-9a-z]+", fold(text)) if t]


@lru_cache(maxsize=4096)
def unit_kind(unit: str) -> str:
    """Rough class of a unit: percent, per (per 100 people...), times, rank, money, count or ""."""
    u = fold(unit)
    if not u:
        return ""
    if "%" in u or "phan tram" in u:
        return "percent"
    if re.search(r"/\s*(?:\d[\d.]*\s*)?(?:dan|nguoi)\b", u):
        return "per"            # per 100 people, per 1.000 people, per person
    u = re.sub(r"\s*/\s*(?:ngay|thang|nam|quy)$", "", u)     # "triệu giao dịch/ngày" counts transactions
    if not u:
        return ""
    if u in ("lan",):
        return "times"
    if "thu hang" in u or u == "hang":
        return "rank"
    last = u.split()[-1]
    if last in ("usd", "vnd") or (last == "dong" and not re.search(r"(?:lao|cong|hoi|hanh|van) dong$", u)):
        return "money:" + ("usd" if last == "usd" else "dong")
    if "mbps" in u:
        return "speed"
    return "count"


@lru_cache(maxsize=4096)
def unit_fit(written: str, catalog_unit: str) -> float:
    """Score adjustment for a figure's unit against an indicator's unit."""
    a, b = unit_kind(written), unit_kind(catalog_unit)
    if not a or not b:
        return 0.0
    if a != b:
        return -UNIT_PENALTY
    if a == "per":
        tail_a = fold(written).split("/", 1)[1].replace(".", "").strip()
        tail_b = fold(catalog_unit).split("/", 1)[1].replace(".", "").strip()
        return UNIT_BONUS if tail_a == tail_b else -UNIT_PENALTY
    if a == "count":
        if same_count_unit(written, catalog_unit):
            return UNIT_BONUS
        if "luot" in fold(written).split() or "luot" in fold(catalog_unit).split():
            return 0.0          # "lượt" (times) counts visits of anything: "849.291 doanh nghiệp" = lượt
        return -UNIT_MISMATCH
    return UNIT_BONUS


UNIT_MISMATCH = 0.2
# Count units that name the same thing ("lao động" are "người", "Bộ", "tỉnh" are "đơn vị").
_UNIT_GROUPS = [
    {"nguoi", "lao dong", "thanh vien", "nguoi dan", "can bo", "cong chuc", "vien chuc", "nguoi dung"},
    {"don vi", "bo", "tinh", "dia phuong", "bo nganh", "co quan", "bo, nganh", "tinh, thanh pho"},
    {"trang", "trang web", "website", "trang tin"},
    {"doanh nghiep", "dn"},
    {"tin, bai", "tin", "bai", "bai viet", "video", "videos", "link"},
    {"chung thu so", "chung thu", "thue bao"},
    {"dia chi", "dia chi ip", "ip"},
]


@lru_cache(maxsize=4096)
def same_count_unit(written: str, catalog_unit: str) -> bool:
    """Do two count units name the same thing (after scale words)?"""
    a = " ".join(t for t in words_keep_all(written) if t not in SCALE_WORDS)
    b = " ".join(t for t in words_keep_all(catalog_unit) if t not in SCALE_WORDS)
    if not a or not b or a == b or a.startswith(b) or b.startswith(a):
        return True
    return any(a in group and b in group for group in _UNIT_GROUPS)


SCALE_WORDS = {"nghin", "ngan", "trieu", "ty"}


@lru_cache(maxsize=4)
def load_catalog(data_dir: str | None = None) -> Catalog:
    """The national catalog from ``solieu/catalog/data`` (cached: it is read once per process)."""
    base = Path(data_dir) if data_dir else DATA_DIR
    with open(base / "indicators.yaml", encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)["indicators"]
    with open(base / "sectors.yaml", encoding="utf-8") as handle:
        sectors = {s["code"]: s["name"] for s in yaml.safe_load(handle)["sectors"]}
    indicators = [
        Indicator(
            code=item["code"], sector=item["sector"], name=item["name"], unit=item.get("unit", ""),
            value_type=item.get("value_type", "decimal"), short_name=item.get("short_name") or "",
            aliases=tuple(item.get("aliases") or ()),
        )
        for item in raw
    ]
    return Catalog(indicators, sectors)
