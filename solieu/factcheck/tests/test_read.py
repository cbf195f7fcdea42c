"""Reading uploads: text encodings, Word files with tables, PDFs with a text layer, and garbage."""

from __future__ import annotations

import io
import os
import time
import unicodedata
import zipfile

import pytest

from solieu.factcheck import read as read_module
from solieu.factcheck import read_docx, read_pdf
from solieu.factcheck.extract import extract
from solieu.factcheck.read import ReadError, read_document

TEXT = "BÁO CÁO 6 THÁNG ĐẦU NĂM 2023\n1. Lĩnh vực Bưu chính\n- Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng.\n"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 writes tone marks as combining characters after the (possibly hatted) vowel."""
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),
    lambda t: t.encode("utf-16-le"),
    lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
    cp1258,
], ids=["utf8", "utf8-bom", "utf16-bom", "utf16-le", "utf8-nfd", "cp1258"])
def test_text_encodings_give_the_same_lines(encode):
    document = read_document("bao-cao.txt", encode(TEXT))
    assert document.lines == TEXT.rstrip("\n").split("\n")
    assert document.where(3) == "dòng 3"


def test_tab_separated_rows_are_tables():
    text = "Bảng 1\nSTT\tChỉ tiêu\t6 tháng\n1\tDoanh thu (tỷ đồng)\t27.000\n\nSau bảng\n"
    document = read_document("b.txt", text.encode())
    [table] = document.tables
    assert table.rows == [["STT", "Chỉ tiêu", "6 tháng"], ["1", "Doanh thu (tỷ đồng)", "27.000"]]
    assert table.lines == [2, 3] and document.lines[2] == "1\tDoanh thu (tỷ đồng)\t27.000"


def test_mixed_encodings_are_refused():
    data = TEXT.encode("utf-8") + cp1258("Nộp ngân sách lĩnh vực bưu chính ước đạt 2.970 tỷ đồng.\n")
    with pytest.raises(ReadError, match="lẫn hai bảng mã"):
        read_document("lan.txt", data)


def test_double_encoded_utf8_is_refused():
    garbled = TEXT.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    with pytest.raises(ReadError, match="chuyển bảng mã sai"):
        read_document("hong.txt", garbled)


def test_tcvn3_text_is_refused():
    tcvn3 = b"B\xb8o c\xb8o s\xa5 k\xd0t c\xab ng t\xb8c 6 th\xb8ng \xae\xc7u n\xa8m 2023. Doanh thu \xae\xb9t 27.477 t\xfb \xae\xa5ng.\n" * 3
    with pytest.raises(ReadError, match="TCVN3"):
        read_document("cu.txt", tcvn3)


@pytest.mark.parametrize("name, data, message", [
    ("rong.txt", b"", "rỗng"),
    ("trang.txt", b"   \n\t \n", "không có chữ"),
    ("anh.txt", bytes(range(256)) * 20, "không phải văn bản"),
    ("anh.png", b"\x89PNG\r\n\x1a\n" + os.urandom(500), "chỉ nhận"),
    ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Word 97-2003"),
    ("doi-ten.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Word 97-2003"),
    ("gia.docx", b"day khong phai tep word", "không phải tệp Word"),
    ("gia.pdf", b"%PDF-1.7\n" + os.urandom(300), "Không mở được tệp PDF|không có trang"),
    ("khong-phai.pdf", b"hello", "Không mở được tệp PDF"),
])
def test_garbage_gives_a_clear_message(name, data, message):
    with pytest.raises(ReadError, match=message) as raised:
        read_document(name, data)
    assert raised.value.message == str(raised.value)


def test_size_and_line_limits(monkeypatch):
    monkeypatch.setattr(read_module, "MAX_BYTES", 1000)
    with pytest.raises(ReadError, match="vượt giới hạn"):
        read_document("lon.txt", b"a" * 1001)
    monkeypatch.setattr(read_module, "MAX_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(read_module, "MAX_LINES", 50)
    with pytest.raises(ReadError, match="dòng/đoạn"):
        read_document("dai.txt", b"x\n" * 51)
    with pytest.raises(ReadError, match="ký tự"):
        read_document("mot-dong.txt", b"x" * (read_module.MAX_LINE_CHARS + 1))


# ----------------------------------------------------------------------------- .docx

def _docx(paragraphs_before=("BÁO CÁO 6 THÁNG ĐẦU NĂM 2022", "1. Lĩnh vực Bưu chính"), rows=None) -> bytes:
    import docx

    word = docx.Document()
    for text in paragraphs_before:
        word.add_paragraph(text)
    rows = rows or [["STT", "Chỉ tiêu", "6 tháng đầu năm 2022"], ["1", "Doanh thu (tỷ đồng)", "27.000"]]
    table = word.add_table(rows=len(rows), cols=len(rows[0]))
    for row, cells in zip(table.rows, rows):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    word.add_paragraph("Sau bảng: Sản lượng bưu gửi đạt 870 triệu bưu gửi.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_table_rows_in_order():
    document = read_document("bao-cao.docx", _docx())
    assert document.kind == "docx"
    assert document.lines == ["BÁO CÁO 6 THÁNG ĐẦU NĂM 2022", "1. Lĩnh vực Bưu chính",
                              "STT\tChỉ tiêu\t6 tháng đầu năm 2022", "1\tDoanh thu (tỷ đồng)\t27.000",
                              "Sau bảng: Sản lượng bưu gửi đạt 870 triệu bưu gửi."]
    [table] = document.tables
    assert table.lines == [3, 4] and table.rows[1] == ["1", "Doanh thu (tỷ đồng)", "27.000"]
    codes = {(s.indicator_code, s.line) for s in extract(document)}
    assert codes == {("POSTAL_REVENUE", 4), ("POSTAL_VOLUME", 5)}


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_without_word_content_is_refused():
    with pytest.raises(ReadError, match="word/document.xml"):
        read_document("bang.docx", _zip({"xl/workbook.xml": b"<workbook/>"}))
    with pytest.raises(ReadError, match="tệp nén"):
        read_document("bang.xlsx", _zip({"xl/workbook.xml": b"<workbook/>"}))


def test_zip_bomb_is_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(read_docx, "MAX_UNPACKED", 1024 * 1024)
    bomb = _zip({"word/document.xml": b"\0" * (4 * 1024 * 1024)})
    assert len(bomb) < 50_000
    started = time.monotonic()
    with pytest.raises(ReadError, match="giải nén"):
        read_document("bom.docx", bomb)
    assert time.monotonic() - started < 1


def test_damaged_docx_is_refused():
    data = _docx()
    with pytest.raises(ReadError, match="không phải tệp Word|Không mở được tệp Word"):
        read_document("hong.docx", data[: len(data) // 2])
    with pytest.raises(ReadError, match="Không mở được tệp Word"):
        read_document("hong.docx", _zip({"word/document.xml": b"<not-xml", "[Content_Types].xml": b"<x/>"}))


# ----------------------------------------------------------------------------- .pdf

def _pdf(body: str) -> bytes:
    from weasyprint import HTML

    html = (
        "<html><head><style>@page { size: A5; margin: 1.5cm; @bottom-center { content: counter(page) } }"
        "body { font-family: 'Liberation Serif'; font-size: 11pt; text-align: justify }"
        "table { font-size: 8pt } td { border: 1px solid black; padding: 2px 8px; text-align: left;"
        " white-space: nowrap }</style></head><body>" + body + "</body></html>"
    )
    return HTML(string=html).write_pdf()


SENTENCE = ("- Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng, tăng 5,48% so với cùng kỳ năm 2022 và đạt "
            "43,78% kế hoạch năm 2023.")


def test_pdf_lines_are_joined_back_into_sentences():
    data = _pdf(
        "<p>BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM 2023</p><p>1. Lĩnh vực Bưu chính</p>"
        f"<p>{SENTENCE}</p><p>- Sản lượng bưu gửi KT1 phục vụ cơ quan Đảng, Nhà nước đạt 576.374 bưu gửi, giảm "
        "khoảng 1,04% so với cùng kỳ năm 2022 (582.432 bưu gửi).</p>"
        "<table><tr><td>STT</td><td>Chỉ tiêu</td><td>Lũy kế 6T đầu 2022</td><td>Cùng kỳ 6T đầu 2021</td>"
        "<td>Tăng trưởng</td></tr><tr><td>1</td><td>Doanh thu (tỷ đồng)</td><td>27.000</td><td>23.500</td>"
        "<td>15%</td></tr></table>"
    )
    document = read_document("bao-cao.pdf", data)
    assert document.kind == "pdf"
    assert SENTENCE in document.lines                          # printed on three lines, read as one
    assert not any(line.strip() == "1" for line in document.lines)   # the page number is dropped
    assert document.where(document.lines.index(SENTENCE) + 1).startswith("trang 1")
    [table] = document.tables
    assert table.rows[1][:3] == ["1", "Doanh thu (tỷ đồng)", "27.000"]
    found = {(s.indicator_code, s.value) for s in extract(document)}
    assert ("POSTAL_REVENUE", 27477) in found and ("POSTAL_KT1_VOLUME", 576374) in found


def test_pdf_without_text_is_refused():
    data = _pdf('<div style="width: 8cm; height: 8cm; background: black"></div>')
    with pytest.raises(ReadError, match="không có lớp chữ"):
        read_document("scan.pdf", data)


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    pages = "".join(f'<p style="page-break-after: always">Trang {i}: doanh thu đạt {i} tỷ đồng.</p>'
                    for i in range(200))
    return _pdf(pages)


def test_a_200_page_pdf_is_read(long_pdf):
    started = time.monotonic()
    document = read_document("dai.pdf", long_pdf)
    assert time.monotonic() - started < 60
    assert max(document.pages) == 200 and len(document.lines) >= 200


def test_page_limit(monkeypatch, long_pdf):
    monkeypatch.setattr(read_pdf, "MAX_PAGES", 100)
    with pytest.raises(ReadError, match="200 trang"):
        read_document("dai.pdf", long_pdf)
