"""Read a PDF that has a text layer (printed or exported from Word), with pypdf.

PDF text comes out as the printed lines: a sentence is cut wherever the page was full, page
numbers and running headers sit between paragraphs, and a table is only words placed in columns.
pypdf's layout mode keeps the columns apart (two or more spaces between cells), which is how
table rows are recognised here; the other lines are joined back into paragraphs when one does
not end a sentence and the next continues it (starts in lowercase, or the line before was cut
because it reached the margin).

A scanned report has pages but no text: it is refused with a message asking for the Word file,
rather than read as an empty report whose figures would all be "missing".
"""

from __future__ import annotations

import io
import logging
import re
import time

from solieu.factcheck.read import Document, ReadError, Table, check_lines
from solieu.vi import format_number

MAX_PAGES = 1_000        # a half-year report is 20-60 pages; a 200-page annex is still read
MAX_SECONDS = 120        # extraction time for the whole file, checked between pages

_CELL_GAP = re.compile(r"\s{2,}")
_PAGE_NUMBER = re.compile(r"(?i)^(?:-\s*)?(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?$")
_SENTENCE_END = ".:;!?…)\"”"
_BULLET = re.compile(r"^[-+•–*]\s|^\d+(?:\.\d+)*\.\s|^[IVX]+\.\s|^[A-Z]\.\s")


def read_pdf(shown: str, data: bytes) -> Document:
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)     # a damaged file's warnings are reported to the uploader, not to the log
    try:
        pages = _page_texts(shown, data)
    finally:
        log.setLevel(level)
    physical = _drop_running_lines(pages)
    lines, page_of, tables = _assemble(physical)
    if not any(line.strip() for line in lines):
        raise ReadError(
            f'Tệp PDF "{shown}" không có lớp chữ (có thể là bản scan hoặc ảnh chụp): không đọc được '
            "số liệu. Hãy tải lên tệp Word gốc hoặc bản PDF xuất trực tiếp từ Word."
        )
    check_lines(shown, lines)
    return Document(name=shown, lines=lines, tables=tables, kind="pdf", pages=page_of)


def _page_texts(shown: str, data: bytes) -> list[list[str]]:
    try:
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except Exception:
                unlocked = 0
            if not unlocked:
                raise ReadError(
                    f'Tệp PDF "{shown}" có mật khẩu: hãy bỏ mật khẩu (hoặc in ra PDF mới) rồi tải lên lại.'
                )
        count = len(reader.pages)
    except ReadError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        raise ReadError(
            f'Không mở được tệp PDF "{shown}": tệp bị hỏng hoặc không đúng định dạng ({type(exc).__name__}).'
        ) from None
    if count == 0:
        raise ReadError(f'Tệp PDF "{shown}" không có trang nào.')
    if count > MAX_PAGES:
        raise ReadError(
            f'Tệp PDF "{shown}" có {format_number(count)} trang, vượt giới hạn {format_number(MAX_PAGES)} trang. '
            "Hãy tách phần báo cáo chính ra tệp riêng rồi tải lên."
        )
    started = time.monotonic()
    pages: list[list[str]] = []
    for index in range(count):
        if time.monotonic() - started > MAX_SECONDS:
            raise ReadError(
                f'Đọc tệp PDF "{shown}" quá {MAX_SECONDS} giây (mới được {index}/{count} trang): '
                "tệp quá phức tạp. Hãy tải lên tệp Word gốc."
            )
        try:
            text = reader.pages[index].extract_text(extraction_mode="layout") or ""
        except Exception:
            try:
                text = reader.pages[index].extract_text() or ""
            except Exception:
                text = ""
        text = text.replace("\x00", "")  # an unmapped glyph; PostgreSQL stores no NUL
        pages.append([line.rstrip() for line in text.replace("\r", "\n").split("\n")])
    return pages


def _drop_running_lines(pages: list[list[str]]) -> list[tuple[int, str]]:
    """Remove bare page numbers and headers/footers repeated on many pages; keep (page, line)."""
    edges: dict[str, int] = {}
    for lines in pages:
        filled = [line.strip() for line in lines if line.strip()]
        if len(filled) < 4:
            continue        # a page of one paragraph has no header or footer to tell apart
        for line in set(filled[:2] + filled[-2:]):
            key = re.sub(r"\d+", "#", line)
            edges[key] = edges.get(key, 0) + 1
    repeated = {key for key, n in edges.items() if n >= 3 and n >= len(pages) // 2 and len(key.split()) <= 12}
    result: list[tuple[int, str]] = []
    for number, lines in enumerate(pages, start=1):
        filled = [i for i, line in enumerate(lines) if line.strip()]
        edge = set(filled[:2] + filled[-2:])
        for i, line in enumerate(lines):
            text = line.strip()
            if i in edge and (_PAGE_NUMBER.match(text) or re.sub(r"\d+", "#", text) in repeated):
                continue
            result.append((number, line))
    return result


def _assemble(physical: list[tuple[int, str]]) -> tuple[list[str], list[int], list[Table]]:
    widths = sorted(len(" ".join(line.split())) for _, line in physical if line.strip())
    full = widths[int(len(widths) * 0.9)] if widths else 0
    lines: list[str] = []
    page_of: list[int] = []
    tables: list[Table] = []
    table: Table | None = None
    last_width = 0          # width of the last printed line of the paragraph being built
    open_paragraph = False  # the last output line may continue on the next printed line
    for page, raw in physical:
        text = raw.strip()
        if not text:
            open_paragraph = False      # a blank line ends a paragraph but not a table
            continue
        cells = _CELL_GAP.split(text)
        if len(cells) >= 3:
            if table is None:
                table = Table(rows=[], lines=[])
                tables.append(table)
            lines.append("\t".join(cells))
            page_of.append(page)
            table.rows.append(cells)
            table.lines.append(len(lines))
            open_paragraph = False
            continue
        table = None
        text = " ".join(text.split())
        if open_paragraph and _continues(lines[-1], last_width, full, text):
            lines[-1] = f"{lines[-1]} {text}"
        else:
            lines.append(text)
            page_of.append(page)
        last_width = len(text)
        open_paragraph = True
    return lines, page_of, tables


def _continues(previous: str, previous_width: int, full: int, text: str) -> bool:
    """Does the printed line ``text`` continue the paragraph ending with ``previous``?"""
    if previous.endswith(tuple(_SENTENCE_END)) or _BULLET.match(text):
        return False
    first = text[0]
    if first.islower():
        return True
    reached_margin = full > 0 and previous_width >= 0.75 * full
    return reached_margin and (first.isalnum() or first in "(“\"%")
