"""The generated report as data: what every renderer (HTML, DOCX, PDF, XLSX) draws.

Assembly (`assemble.py`) decides the words and the numbers; renderers only lay them out.
Every number in the text is a `Figure` carried by a `Run`, so that the HTML can link it to
its breakdown and the figure sheet can list it with its derivation: the text and the sheet
cannot disagree because they are drawn from the same objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class Figure:
    """One number as printed in the report, and where it comes from."""

    key: str                      # "F12", unique within a report, in order of first appearance
    label: str                    # "Doanh thu dịch vụ bưu chính - 6 tháng đầu năm 2023"
    value: Decimal | None         # the exact value before rounding
    text: str                     # as printed: "27.477", "5,48", "43,78"
    unit: str                     # "tỷ đồng", "%", "điểm phần trăm"
    kind: str                     # one of KINDS
    indicator_code: str = ""
    period_code: str = ""
    scope: str = ""               # "Toàn quốc", a province's name, a sector's name
    derivation: str = ""          # "27.477 / 26.049,49 x 100 - 100" or "tổng 63 đơn vị, 378 số liệu"
    value_ids: Sequence[int] = field(default_factory=list)   # a list, or analytics.sums.LazyIds
    estimate: bool = False        # "ước đạt": built on at least one estimated value
    provisional: bool = False     # includes figures not yet approved
    link: str = ""                # URL of the breakdown page (HTML renderer only)

    KINDS = ("value", "previous", "change_pct", "change_pp", "change_abs", "plan", "plan_share",
             "per_capita", "count", "rank")


@dataclass
class Run:
    """A piece of text; when `figure` is set the text is that figure's printed form."""

    text: str
    figure: Figure | None = None
    bold: bool = False
    italic: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    style: str = "body"           # "body" | "bullet" | "note"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Cell:
    runs: list[Run]
    align: str = "left"           # "left" | "right" | "center"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    header_rows: list[list[tuple[str, int]]] = field(default_factory=list)  # (text, colspan) above `columns`
    caption: str = ""
    widths: list[float] = field(default_factory=list)  # relative column widths


@dataclass
class Series:
    name: str
    values: list[Decimal | None]


@dataclass
class Chart:
    """A chart drawn by `charts.py` (matplotlib) for DOCX/PDF and by ECharts on screen."""

    title: str
    kind: str                     # "bar" | "line" | "barh"
    categories: list[str]
    series: list[Series]
    unit: str = ""
    key: str = ""                 # "C1", unique within a report


@dataclass
class Section:
    heading: str                  # "1. Lĩnh vực Bưu chính"; "" for none
    level: int                    # 1: "I. ...", 2: "1. ...", 3: "1.1. ..."
    blocks: list = field(default_factory=list)   # Paragraph | Table | Chart | Section


@dataclass
class Signer:
    position: str                 # "KT. BỘ TRƯỞNG" / "THỨ TRƯỞNG"
    title: str = ""
    name: str = ""


@dataclass
class Report:
    """A report in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I)."""

    issuing_parent: str           # "" or the body above the issuer
    issuing_body: str             # "BỘ KHOA HỌC VÀ CÔNG NGHỆ"
    number_symbol: str            # "Số:      /BC-BKHCN"
    place: str                    # "Hà Nội"
    issued_on: date | None        # None: "ngày    tháng    năm" left blank for signing
    doc_type: str                 # "BÁO CÁO"
    title: str                    # "Kết quả hoạt động ngành ... 6 tháng đầu năm 2023, ..."
    sections: list[Section]
    recipients: list[str]
    signer: Signer
    report_type: str = ""         # "month" | "quarter" | "six_months" | "year" | ...
    period_code: str = ""
    scope_label: str = ""
    draft: bool = False           # "DỰ THẢO" stamp
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # warnings shown on screen only

    def walk(self):
        """Every block, depth first, with its section."""
        def visit(section):
            yield section, section
            for block in section.blocks:
                if isinstance(block, Section):
                    yield from visit(block)
                else:
                    yield section, block
        for s in self.sections:
            yield from visit(s)
