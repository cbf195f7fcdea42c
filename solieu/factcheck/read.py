"""Read an uploaded report (.txt, .docx, .pdf) into lines and tables for the extractor.

The ministry's past reports reach us as whatever people kept: Word files, PDFs printed from
Word, text pasted from the web portal, sometimes saved in an old Vietnamese code page. The
extractor only needs two things from any of them: the text as numbered lines (so a statement can
point back to "dòng 48" or "trang 3") and the tables as rows of cells. Everything that cannot be
read without guessing is refused with a `ReadError` whose message, in Vietnamese, tells the
person uploading what to do, because a wrongly decoded "27.477 tỷ đồng" would be checked and
imported as if it were right.

Limits (size, lines, pages, unpacked size of a .docx) keep a hostile or broken file from hanging
a worker: each is checked before the expensive step it protects.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from solieu.vi import format_number

__all__ = ["Document", "Table", "ReadError", "read_document", "decode_text", "MAX_BYTES", "MAX_LINES"]

MAX_BYTES = 20 * 1024 * 1024       # an uploaded report; the largest seed is 120 kB
MAX_LINES = 20_000                 # lines, paragraphs and table rows together
MAX_LINE_CHARS = 50_000            # one paragraph; longer is not a report but a dump


class ReadError(ValueError):
    """The file cannot be read as a report; ``message`` is a Vietnamese sentence for the uploader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """Rows of cells, with the 1-based line of ``Document.lines`` each row is written on."""

    rows: list[list[str]]
    lines: list[int]

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0


@dataclass
class Document:
    """A report as numbered lines; table rows are lines too (cells joined by tabs).

    ``pages`` gives, for a PDF, the page of each line (same length as ``lines``), so a reviewer
    can be sent to the page rather than to a line number that only exists after extraction.
    """

    name: str
    lines: list[str]
    tables: list[Table] = field(default_factory=list)
    kind: str = "txt"
    pages: list[int] = field(default_factory=list)

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def where(self, line: int) -> str:
        """A place a person can find: "trang 3, dòng 57" for a PDF, "dòng 48" otherwise."""
        if self.pages and 1 <= line <= len(self.pages):
            return f"trang {self.pages[line - 1]}, dòng {line}"
        return f"dòng {line}"


def read_document(name: str, data: bytes) -> Document:
    """Read ``data`` (the uploaded file named ``name``) or raise `ReadError`.

    The kind is decided by the content when it has a signature (PDF, ZIP, old Word) and by the
    file extension otherwise, so a PDF saved as ".txt" is still read, while a ".doc" renamed
    ".docx" gets a message saying exactly that.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("read_document cần dữ liệu dạng bytes.")
    data = bytes(data)
    shown = name or "tệp"
    if not data:
        raise ReadError(f'Tệp "{shown}" rỗng (0 byte): không có gì để đọc.')
    if len(data) > MAX_BYTES:
        raise ReadError(
            f'Tệp "{shown}" nặng {format_number(Decimal(len(data)) / 2**20, 1)} MB, vượt giới hạn '
            f"{MAX_BYTES // 1024 // 1024} MB. Báo cáo thường chỉ vài trăm KB; hãy bỏ hình ảnh "
            "hoặc tách tệp rồi tải lên lại."
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    sniffed = _sniff(data)
    if sniffed == "ole":
        raise ReadError(
            f'Tệp "{shown}" là tệp Word 97-2003 (.doc) hoặc tệp Office có đặt mật khẩu, '
            "dù tên tệp có thể ghi .docx. Hãy mở bằng Word, bỏ mật khẩu nếu có, chọn "
            '"Lưu thành" định dạng .docx (hoặc PDF) rồi tải lên lại.'
        )
    if sniffed == "pdf" or (sniffed is None and ext == "pdf"):
        from solieu.factcheck.read_pdf import read_pdf

        return read_pdf(shown, data)
    if sniffed == "zip":
        if ext not in ("docx", "docm", ""):
            raise ReadError(
                f'Tệp "{shown}" là tệp nén (ZIP/Excel/PowerPoint), không phải báo cáo dạng '
                ".docx, .pdf hoặc .txt."
            )
        from solieu.factcheck.read_docx import read_docx

        return read_docx(shown, data)
    if ext in ("docx", "docm"):
        raise ReadError(
            f'Tệp "{shown}" có đuôi .docx nhưng nội dung không phải tệp Word (.docx): tệp bị '
            "hỏng hoặc bị đổi tên. Hãy mở lại bằng Word và lưu thành .docx."
        )
    if ext == "doc":
        raise ReadError(
            f'Chưa đọc được tệp Word 97-2003 (.doc) "{shown}". Hãy mở bằng Word và lưu thành .docx.'
        )
    if ext not in ("txt", "text", "md", "csv", "tsv", ""):
        raise ReadError(
            f'Không đọc được tệp "{shown}": chỉ nhận báo cáo dạng .docx, .pdf (có lớp chữ) hoặc .txt.'
        )
    text = decode_text(data, shown)
    return text_document(shown, text)


def _sniff(data: bytes) -> str | None:
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


# --------------------------------------------------------------------------- text files

# Letters that only occur in Vietnamese when the text was decoded right.
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
# UTF-8 read as Windows-1252/1258 ("Doanh thu dá»‹ch vá»¥"): the tell-tale pairs.
_MOJIBAKE = re.compile(r"á»|áº|Ã[\u00a0-\u00bf]|Ä[\u2018\u2019\u0091\u0090]|Æ[°¡]|â€")
# TCVN3 (ABC) and VNI text read as a Western code page: TCVN3 puts its vowels on the symbols of
# Latin-1 ("B¸o c¸o"), VNI its marks on letters Vietnamese never uses ("Baùo caùo" has ù, but
# also ä, ö, ø...).
_LEGACY_MARKS = set("¸µ¶·¹¨©ª«¬®¤¥¦§¢£¯°±²³´»¼½¾¿") | set("äëïöüÿñøåæçœšžÄËÏÖÜŸÑØÅÆÇŒŠŽßÞþ")
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe1[\xb8-\xbb][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def decode_text(data: bytes, shown: str = "tệp") -> str:
    """Decode a text report: UTF-8 (with or without BOM), UTF-16 (with BOM or plainly so), or
    Windows-1258; anything else is refused rather than shown as gibberish.

    Refused: binary data, a mix of UTF-8 and another code page in one file (typical of text
    pasted from several sources and saved in ANSI), UTF-8 that was already mis-decoded once
    ("dá»‹ch vá»¥"), and the pre-Unicode Vietnamese font encodings TCVN3/VNI that a code page
    cannot repair.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = _strict(data[3:], "utf-8", shown)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict(data, "utf-16", shown)
    elif _looks_utf16(data):
        text = _strict(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", shown)
    else:
        if b"\x00" in data:
            raise ReadError(
                f'Tệp "{shown}" không phải văn bản (có byte 0, có thể là ảnh, tệp nén hoặc '
                "tệp chương trình). Hãy tải lên báo cáo dạng .docx, .pdf hoặc .txt."
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _legacy(data, exc, shown)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    _check_plausible(text, shown)
    return text


def _strict(data: bytes, encoding: str, shown: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f'Tệp "{shown}" ghi là {encoding.upper()} nhưng có byte sai ở vị trí {exc.start}: '
            "tệp bị hỏng hoặc lẫn bảng mã. Hãy mở bằng trình soạn thảo và lưu lại dạng UTF-8."
        ) from None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without BOM: every other byte is zero in Latin-range text."""
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (odd.count(0) > 0.4 * len(odd) and even.count(0) == 0) or (
        even.count(0) > 0.4 * len(even) and odd.count(0) == 0
    )


def _legacy(data: bytes, exc: UnicodeDecodeError, shown: str) -> str:
    utf8_sequences = len(_UTF8_SEQ.findall(data))
    high_bytes = sum(1 for b in data if b >= 0x80)
    if utf8_sequences >= 3 and utf8_sequences * 2 >= high_bytes * 0.3:
        raise ReadError(
            f'Tệp "{shown}" lẫn hai bảng mã: phần lớn là UTF-8 nhưng có byte không hợp lệ ở vị trí '
            f"{exc.start} (gần: {data[max(0, exc.start - 20):exc.start + 10]!r}). Không đoán để "
            "tránh đọc sai số liệu; hãy mở tệp, sửa đoạn bị lỗi font và lưu lại dạng UTF-8."
        )
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise ReadError(
            f'Không xác định được bảng mã của tệp "{shown}" (không phải UTF-8, UTF-16 hay '
            "Windows-1258). Hãy lưu lại tệp dạng UTF-8 rồi tải lên."
        ) from None


def _check_plausible(text: str, shown: str) -> None:
    if not text.strip():
        raise ReadError(f'Tệp "{shown}" không có chữ nào (chỉ có khoảng trắng).')
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\v")
    if controls > max(5, len(text) // 200):
        raise ReadError(
            f'Tệp "{shown}" không phải văn bản (có {controls} ký tự điều khiển): có thể là tệp '
            "nhị phân bị đổi tên. Hãy tải lên báo cáo dạng .docx, .pdf hoặc .txt."
        )
    if len(_MOJIBAKE.findall(text)) >= 3:
        raise ReadError(
            f'Tệp "{shown}" đã bị chuyển bảng mã sai từ trước (chữ hiện thành "á»", "Ã"...). '
            "Hãy lấy lại bản gốc của báo cáo; không sửa tự động vì có thể làm sai số liệu."
        )
    legacy = sum(1 for ch in text if ch in _LEGACY_MARKS)
    vietnamese = sum(1 for ch in text if ch in _VI_LETTERS or 0x1EA0 <= ord(ch) <= 0x1EF9)
    if legacy >= 5 and legacy > vietnamese // 2:
        raise ReadError(
            f'Tệp "{shown}" có vẻ gõ bằng bảng mã cũ TCVN3 (ABC) hoặc VNI, không phải Unicode. '
            'Hãy dùng công cụ chuyển mã (ví dụ Unikey: "Công cụ chuyển mã") sang Unicode rồi tải lên lại.'
        )


def text_document(shown: str, text: str) -> Document:
    """Number the lines as an editor does (split on newlines only) and collect tab-separated rows.

    Consecutive lines containing a tab form one table: the seeds were exported that way from
    Word, each table row a line with its cells separated by tabs.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    check_lines(shown, lines)
    tables: list[Table] = []
    current: Table | None = None
    for number, line in enumerate(lines, start=1):
        if "\t" in line and line.strip():
            if current is None:
                current = Table(rows=[], lines=[])
                tables.append(current)
            current.rows.append([cell.strip() for cell in line.split("\t")])
            current.lines.append(number)
        else:
            current = None
    return Document(name=shown, lines=lines, tables=tables, kind="txt")


def check_lines(shown: str, lines: list[str]) -> None:
    if len(lines) > MAX_LINES:
        raise ReadError(
            f'Tệp "{shown}" có {len(lines):,} dòng/đoạn, vượt giới hạn {MAX_LINES:,}. '.replace(",", ".")
            + "Một báo cáo sơ kết thường dưới 2.000 đoạn; hãy tách tệp."
        )
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:  # a few pass the binary check of UTF-16 text; PostgreSQL stores no NUL
            raise ReadError(
                f'Dòng {number} của tệp "{shown}" có ký tự NUL (mã 0): tệp không phải văn bản thường. '
                "Hãy lưu lại báo cáo dạng .docx, .pdf hoặc .txt (UTF-8)."
            )
        if len(line) > MAX_LINE_CHARS:
            raise ReadError(
                f'Dòng {number} của tệp "{shown}" dài {len(line):,} ký tự, vượt giới hạn '.replace(",", ".")
                + f"{MAX_LINE_CHARS:,} ký tự: tệp không giống một báo cáo.".replace(",", ".")
            )
