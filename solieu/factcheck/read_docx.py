"""Read a .docx report: paragraphs and table rows in document order, one line each.

A .docx is a ZIP archive, so before python-docx unpacks anything we look at the archive's
directory: a tiny file that unpacks to gigabytes (a "zip bomb") or holds thousands of parts is
refused there. Python's zipfile stops at the declared size of each part, so checking the declared
sizes is enough to bound what is actually unpacked.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from solieu.factcheck import read as _read
from solieu.factcheck.read import Document, ReadError, Table, check_lines
from solieu.vi import format_number

MAX_UNPACKED = 200 * 1024 * 1024    # all parts together, as declared in the ZIP directory
MAX_PARTS = 2_000                   # a report has a few dozen parts (styles, images, headers)
MAX_RATIO = 200                     # unpacked / packed for the main text part


def read_docx(shown: str, data: bytes) -> Document:
    _check_archive(shown, data)
    try:
        import docx
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph

        word = docx.Document(io.BytesIO(data))
    except ReadError:
        raise
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise ReadError(
            f'Không mở được tệp Word "{shown}": tệp bị hỏng hoặc không đúng định dạng .docx '
            f"({type(exc).__name__}). Hãy mở bằng Word và lưu lại thành .docx."
        ) from None

    lines: list[str] = []
    tables: list[Table] = []
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text.replace("\t", " ").replace("\n", " "))
        elif isinstance(block, DocxTable):
            table = Table(rows=[], lines=[])
            for row in block.rows:
                cells = [_cell_text(cell) for cell in row.cells]
                lines.append("\t".join(cells))
                table.rows.append(cells)
                table.lines.append(len(lines))
                if len(lines) > _read.MAX_LINES:
                    break
            if table.rows:
                tables.append(table)
        if len(lines) > _read.MAX_LINES:  # stop early; check_lines gives the message
            break
    check_lines(shown, lines)
    if not any(line.strip() for line in lines):
        raise ReadError(
            f'Tệp Word "{shown}" không có chữ nào trong phần nội dung (có thể chỉ có hình ảnh '
            "hoặc hộp văn bản). Hãy chép nội dung ra văn bản thường hoặc tải lên bản PDF có lớp chữ."
        )
    return Document(name=shown, lines=lines, tables=tables, kind="docx")


def _cell_text(cell) -> str:
    return " ".join(cell.text.replace("\t", " ").split())


def _check_archive(shown: str, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ReadError(
            f'Tệp "{shown}" không phải tệp Word (.docx) hợp lệ: phần nén bị hỏng. '
            "Hãy mở lại bằng Word và lưu thành .docx."
        ) from None
    if len(infos) > MAX_PARTS:
        raise ReadError(
            f'Tệp "{shown}" chứa {format_number(len(infos))} thành phần, quá nhiều cho một tệp Word '
            f"(giới hạn {format_number(MAX_PARTS)}); tệp có thể bị hỏng hoặc độc hại."
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED:
        raise ReadError(
            f'Tệp "{shown}" khi giải nén lên tới {format_number(Decimal(total) / 2**20, 0)} MB (giới hạn '
            f"{MAX_UNPACKED // 1024 // 1024} MB): không xử lý để tránh treo hệ thống. Hãy bỏ "
            "hình ảnh lớn hoặc lưu lại tệp bằng Word."
        )
    names = {info.filename: info for info in infos}
    main = names.get("word/document.xml")
    if main is None:
        raise ReadError(
            f'Tệp "{shown}" là tệp nén nhưng không có phần nội dung của Word (word/document.xml): '
            "không phải tệp .docx, hoặc là tệp Excel/PowerPoint bị đổi đuôi."
        )
    if main.compress_size and main.file_size / main.compress_size > MAX_RATIO and main.file_size > 10 * 1024 * 1024:
        raise ReadError(
            f'Phần nội dung của tệp "{shown}" có tỷ lệ nén bất thường '
            f"({main.file_size // max(main.compress_size, 1)} lần): không xử lý để tránh treo hệ thống."
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise ReadError(f'Tệp "{shown}" được mã hóa (có mật khẩu): hãy bỏ mật khẩu rồi tải lên lại.')
