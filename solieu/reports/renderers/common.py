"""What the DOCX and PDF renderers share: the fixed wording and the walk through a report.

Both print the same Nghị định 30/2020/NĐ-CP layout, so the decisions that are
not about a file format live here once: the national name and motto, the
place-and-date line (with blanks when the signing date is not known yet),
the order of blocks, the "- " of bullet paragraphs, and how the header rows
of a statistics table span their columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ...vi.dates import place_date_line
from ..document import Cell, Chart, Paragraph, Report, Section, Table

__all__ = [
    "NATION", "MOTTO", "DRAFT", "RECIPIENTS_LABEL", "Item", "HeaderCell",
    "issuer_size_pt", "place_date", "items", "paragraph_prefix", "table_header", "body_rows", "column_fractions", "column_widths_cm",
    "text_width_cm",
]

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT = "DỰ THẢO"
RECIPIENTS_LABEL = "Nơi nhận:"

# Widths of the two-column header and closing blocks on the 16.5 cm text width
# (A4 less 3 cm and 1.5 cm margins): the issuer's name at 13 pt bold and the
# national name at 12 pt bold each fit on one line.
TEXT_WIDTH_CM = 16.5
LEFT_BLOCK_CM = 7.3
RIGHT_BLOCK_CM = TEXT_WIDTH_CM - LEFT_BLOCK_CM


def issuer_size_pt(report: Report) -> float:
    """13 pt for the issuer's name (ND30 allows 12-13), 12 pt when 13 would crowd the national name."""
    fits = text_width_cm(report.issuing_body.upper(), 13, bold=True) <= LEFT_BLOCK_CM - 0.6
    return 13 if fits else 12


def place_date(report: Report, today: date | None = None) -> str:
    """"Hà Nội, ngày 30 tháng 6 năm 2023", or blanks to fill in by hand at signing.

    A report is often generated before the leader signs it; ND30 drafts then
    leave the day and month blank and print the year.
    """
    if report.issued_on is not None:
        return place_date_line(report.place, report.issued_on)
    year = (today or date.today()).year
    return f"{report.place.strip()}, ngày     tháng     năm {year}"


@dataclass
class Item:
    """One block of the body in reading order; `kind` is "heading", "paragraph", "table" or "chart"."""

    kind: str
    block: Section | Paragraph | Table | Chart
    level: int = 0


def items(report: Report) -> list[Item]:
    """The body flattened, so that templates need no recursion; headings carry their level."""
    result = []
    for _section, block in report.walk():
        if isinstance(block, Section):
            if block.heading:
                result.append(Item("heading", block, max(1, min(block.level, 3))))
        elif isinstance(block, Paragraph):
            result.append(Item("paragraph", block))
        elif isinstance(block, Table):
            result.append(Item("table", block))
        elif isinstance(block, Chart):
            result.append(Item("chart", block))
        else:
            raise TypeError(f"Unknown report block {type(block).__name__}")
    return result


def paragraph_prefix(paragraph: Paragraph) -> str:
    """"- " before a bullet paragraph, as the ministry types it, unless the text already has a dash."""
    if paragraph.style != "bullet":
        return ""
    return "" if paragraph.text.lstrip().startswith(("-", "–", "+", "•")) else "- "


@dataclass
class HeaderCell:
    text: str
    column: int
    colspan: int = 1
    rowspan: int = 1


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def table_header(table: Table) -> list[list[HeaderCell]]:
    """The header rows of `table`: its `header_rows` (with colspans), then `columns`.

    A colspan-1 cell whose text is repeated right below it ("STT" over "STT")
    becomes one cell spanning both rows, as a person would draw the table.
    Rows whose spans do not add up to the number of columns are padded with an
    empty cell (or cut), so a slip in a template cannot shift every column.
    """
    width = len(table.columns)
    grid: list[list[HeaderCell]] = []
    for spec in [*table.header_rows, [(c, 1) for c in table.columns]]:
        row, column = [], 0
        for text, span in spec:
            if column >= width:
                break
            span = max(1, min(int(span), width - column))
            row.append(HeaderCell(text, column, span))
            column += span
        if column < width:
            row.append(HeaderCell("", column, width - column))
        grid.append(row)

    covered: set[tuple[int, int]] = set()   # (row, column) starts absorbed by a cell above
    for r in range(len(grid) - 1, 0, -1):   # bottom-up, so spans chain through several rows
        for cell in grid[r]:
            above = next((c for c in grid[r - 1] if c.column == cell.column), None)
            if (above and above.colspan == 1 and cell.colspan == 1 and (r, cell.column) not in covered
                    and _same(above.text, cell.text)):
                above.rowspan = cell.rowspan + 1
                covered.add((r, cell.column))
    return [[c for c in row if (r, c.column) not in covered] for r, row in enumerate(grid)]


def body_rows(table: Table) -> list[list[Cell]]:
    """The data rows cut or padded to the number of columns, so no row can push the grid out of shape."""
    n = len(table.columns)
    return [list(row[:n]) + [Cell([]) for _ in range(n - len(row))] for row in table.rows]


def column_fractions(table: Table) -> list[float]:
    """Relative `widths` as fractions of the table width; equal columns when missing or malformed."""
    n = len(table.columns)
    widths = list(table.widths)
    if len(widths) != n or any(w <= 0 for w in widths):
        widths = [1.0] * n
    total = sum(widths)
    return [w / total for w in widths]


def column_widths_cm(table: Table, total_cm: float = TEXT_WIDTH_CM, size_pt: float = 12,
                     padding_cm: float = 0.25) -> list[float]:
    """Column widths in cm: the relative `widths`, but no column narrower than its longest word.

    Statistics tables give the "STT" column a sliver; at 12 pt a narrow column
    would break "STT" into one letter per line, so narrow columns grow to fit
    their longest word (header words in bold) and the others shrink to pay
    for it.
    """
    fractions = column_fractions(table)
    header_words = {c.column: c.text.split() for row in table_header(table) for c in row if c.colspan == 1}
    needs = []
    for index in range(len(table.columns)):
        widths = [text_width_cm(w, size_pt, bold=True) for w in header_words.get(index, [])]
        for row in table.rows:
            if index < len(row):
                widths += [text_width_cm(w, size_pt) for w in row[index].text.split()]
        needs.append(min(max(widths, default=0) + padding_cm, total_cm / len(table.columns)))
    widths = [f * total_cm for f in fractions]
    short = [i for i, (w, need) in enumerate(zip(widths, needs)) if w < need]
    if short:
        extra = sum(needs[i] - widths[i] for i in short)
        rest = [i for i in range(len(widths)) if i not in short]
        spare = sum(widths[i] for i in rest)
        for i in short:
            widths[i] = needs[i]
        for i in rest:
            widths[i] -= extra * widths[i] / spare if spare else 0
    return widths


@lru_cache(maxsize=1024)
def text_width_cm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Printed width of one line of text in the report face, to size the short rules under names.

    ND30 asks for a rule as long as the motto and 1/3 to 1/2 of the issuer's
    name; DOCX has no "as wide as the text" border, so we measure with the
    same serif file the charts use (Liberation Serif has Times New Roman's
    metrics).  Without a usable font file, an average glyph width is used.
    """
    try:
        from PIL import ImageFont

        from ..charts import font_files

        font = ImageFont.truetype(str(font_files()[(bold, italic)]), 1000)
        points = font.getlength(text) / 1000 * size_pt
    except (ImportError, OSError):
        points = len(text) * size_pt * (0.6 if bold else 0.5)
    return points / 72 * 2.54
