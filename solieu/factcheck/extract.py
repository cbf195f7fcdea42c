"""Extract every figure statement of a report: the entry point of part 1 of the fact-check.

    extract(read_document(name, data)) -> list[Statement]

The report is walked line by line, keeping what the headings say: the sector ("1. Lĩnh vực Bưu
chính" makes "Doanh thu" the postal revenue), the period ("Sự phát triển ... trong tháng
7/2023:" covers the lines below it) and whether the section reports results or plans ("Nhiệm vụ
trọng tâm 6 tháng cuối năm", "Mục tiêu", "Tầm nhìn" hold targets, which are not figures to check
against history, so they are skipped). Paragraphs are split into sentences for
`extract_sentences`, tables go to `extract_tables`, and `extract_resolve` matches and converts;
`extract_parts` then marks the statements that give a part of a figure, not the figure itself.

The document's period comes from its title ("SƠ KẾT ... 6 THÁNG ĐẦU NĂM 2023" → 2023S1), else
from ``default_period``; a heading or the sentence itself overrides it for its own figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from solieu.catalog.periods import PeriodError, PeriodId
from solieu.factcheck.extract_numbers import document_convention
from solieu.factcheck.extract_parts import flag_parts, flag_table_parts
from solieu.factcheck.extract_periods import document_period, find_periods
from solieu.factcheck.extract_resolve import resolve
from solieu.factcheck.extract_sentences import Draft, parse_sentence, split_sentences
from solieu.factcheck.extract_tables import table_drafts
from solieu.factcheck.names import Catalog, fold, load_catalog
from solieu.factcheck.read import Document
from solieu.factcheck.statements import Statement

__all__ = ["extract"]

_NUMBERED = re.compile(r"^((?:[IVX]+|[A-Z])\.|[a-zđ][,.)]|\d{1,2}(?:\.\s?\d{1,2})*\.?)\s+(\S.*)$")
_PLANNING = re.compile(
    r"nhiem vu trong tam|phuong huong|nhiem vu,? giai phap|nhiem vu va giai phap|^muc tieu|tam nhin|"
    r"^chien luoc|giai phap chinh|nhiem vu cu the|ke hoach (?:6 thang cuoi|nam \d{4})$"
)
_PLANNING_LINE = re.compile(r"^(?:muc tieu|tam nhin|chien luoc|nhiem vu,? giai phap)[^:]{0,40}:")


@dataclass
class _Section:
    """What the headings above the current line say, kept per heading level."""

    sectors: dict[int, str] = field(default_factory=dict)
    periods: dict[int, PeriodId] = field(default_factory=dict)
    planning: int | None = None   # level of the heading that opened a plans/targets section

    @property
    def sector(self) -> str | None:
        return self.sectors[max(self.sectors)] if self.sectors else None

    @property
    def period(self) -> PeriodId | None:
        return self.periods[max(self.periods)] if self.periods else None

    def enter(self, level: int, numbered: bool, sector: str | None, period: PeriodId | None, planning: bool) -> None:
        if numbered:
            for store in (self.sectors, self.periods):
                for key in [k for k in store if k >= level]:
                    del store[key]
            if self.planning is not None and level <= self.planning:
                self.planning = None
        elif sector is not None:
            for key in [k for k in self.sectors if k >= level]:
                del self.sectors[key]
        if sector is not None:
            self.sectors[level] = sector
        if period is not None:
            self.periods[level] = period
        if planning and self.planning is None:
            self.planning = level
        elif not planning and not numbered and self.planning is not None and self.planning >= level and sector:
            self.planning = None


def extract(document: Document, *, default_period: str | None = None,
            catalog: Catalog | None = None) -> list[Statement]:
    """All figure statements of ``document``, in the order they are written."""
    catalog = catalog or load_catalog()
    convention, mixed = document_convention(document.lines)
    period = document_period(document.lines)
    if period is None and default_period:
        try:
            period = PeriodId.parse(default_period)
        except PeriodError:
            period = None
    year = (period.start_date.year if period else None) or _first_year(document.lines)
    tables = {table.lines[0]: table for table in document.tables if table.lines}
    in_table = {line for table in document.tables for line in table.lines}
    section = _Section()
    pairs: list[tuple[Statement, Draft]] = []      # each statement with the draft it was read from
    for number, raw in enumerate(document.lines, start=1):
        if number in tables:
            caption, unit = _caption(document, tables[number].lines[0])
            rows = []
            for draft in table_drafts(tables[number], caption=caption, caption_unit=unit, year=year,
                                      document_period=section.period or period, convention=convention):
                rows += [(s, draft) for s in resolve(draft, document=document.name, catalog=catalog,
                                                     sector=section.sector, fallback_period=section.period or period,
                                                     year=year, mixed=mixed)]
            flag_table_parts(rows, catalog, section.sector)
            pairs += rows
        if number in in_table:
            continue
        text = _clean(raw)
        if not text:
            continue
        heading = _heading(text)
        if heading is not None:
            level, numbered, title = heading
            mentions = [m for m in find_periods(title, year) if m.role == "period"]
            section.enter(level, numbered, catalog.sector_of(title), mentions[0].period if mentions else None,
                          bool(_PLANNING.search(fold(re.sub(r"^[\d.\s]+", "", title)))))
            if not re.search(r"\d", re.sub(r"^[\dIVX.\s]+", "", title)) or len(title.split()) <= 12:
                continue
        if section.planning is not None or _PLANNING_LINE.match(fold(text)):
            continue
        previous: list[Draft] = []
        paragraph_period = None     # "Trong quý II/2023, ... . Theo đó, ..." keeps the quarter
        for sentence in split_sentences(text):
            drafts = parse_sentence(sentence, number, year=year, convention=convention, previous=previous)
            for draft in drafts:
                if _bare(draft):
                    continue
                pairs += [(s, draft) for s in resolve(
                    draft, document=document.name, catalog=catalog, sector=section.sector,
                    fallback_period=paragraph_period or section.period or period, year=year, mixed=mixed)]
            stated = [m.period for m in find_periods(sentence, year) if m.role == "period"]
            paragraph_period = stated[-1] if stated else paragraph_period
            previous = drafts or previous
    flag_parts(pairs, document.lines)
    return [statement for statement, _ in pairs]


def _bare(draft: Draft) -> bool:
    """A number with no unit and nothing said about it ("10, 100, 1000 SIM") is not a statement."""
    figure = draft.figure
    return (figure is not None and not figure.unit and figure.part is None and not draft.changes
            and draft.plan_share is None and draft.plan_value is None and not draft.estimate
            and not re.search(r"(?:đạt|là|:)\s*$", draft.quote[:figure.start]))


def _first_year(lines: list[str]) -> int | None:
    for line in lines[:60]:
        m = re.search(r"(?<![\d/])(20\d{2})(?![\d/])", line)
        if m:
            return int(m.group(1))
    return None


def _clean(line: str) -> str:
    """Drop emphasis marks, bullets and footnote numbers the export left in the text."""
    text = line.replace("**", " ").replace("\u00a0", " ")
    text = re.sub(r"(?<=\w)\*|\*(?=\s|$)|^\s*\*+\s*", " ", text)
    text = re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", text)
    text = re.sub(r"^\s*(?:[-+•–]\s*)+", "", text)
    return " ".join(text.split())


def _heading(text: str) -> tuple[int, bool, str] | None:
    """(level, numbered, title) when ``text`` is a heading: numbered, or a short line ending with ":"."""
    m = _NUMBERED.match(text)
    words = len(text.split())
    if m and words <= 20 and not re.search(r"\d[.,]\d{3}|\d%", m.group(2)):
        mark = m.group(1)
        if re.fullmatch(r"[IVX]+\.|[A-Z]\.", mark):
            level = 1
        elif re.fullmatch(r"[a-zđ][,.)]", mark):
            level = 6
        else:
            level = 1 + len(re.findall(r"\d+", mark))
        return level, True, m.group(2)
    if text.endswith(":") and words <= 12:
        return 9, False, text[:-1]
    if words <= 10 and not re.search(r"\d", text) and text[:1].isupper() and not text.endswith("."):
        return 9, False, text      # "Tổng doanh thu dịch vụ Viễn thông" (emphasised in the export)
    return None


def _caption(document: Document, first_line: int) -> tuple[str, str]:
    """The line naming a table, and its "Đơn vị tính: ..." unit if given."""
    unit = ""
    caption = ""
    line = first_line - 1
    seen = 0
    while line >= 1 and seen < 4:
        text = _clean(document.lines[line - 1])
        line -= 1
        if not text:
            continue
        seen += 1
        m = re.match(r"(?i)\(?\s*đơn vị(?: tính)?\s*:\s*([^)]+)\)?$", text)
        if m:
            unit = m.group(1).strip()
            continue
        inner = re.search(r"\(\s*đơn vị(?: tính)?\s*:\s*([^)]+)\)", text, re.IGNORECASE)
        if inner:
            unit = inner.group(1).strip()
            text = text[:inner.start()].strip()
        text = re.sub(r"^(?:[IVX]+|[A-Z]|\d{1,2}(?:\.\s?\d{1,2})*)\.\s+", "", text)
        caption = text if len(text.split()) <= 25 else ""
        break
    return caption, unit
