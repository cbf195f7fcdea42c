"""Hostile reports for the fact-check reader, beyond test_read.py: XML entity bombs and external
entities in Word files, macros and remote links that must never be followed, PDF bombs and loops,
characters no database stores, and names full of markup. Each is refused with its message or read
as plain text, never a 500, and a refused file stores nothing."""

import html
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings as hsettings, strategies as st

from solieu.factcheck import read_docx
from solieu.factcheck.models import ExtractedStatement, SourceDocument
from solieu.factcheck.read import ReadError, read_document

from .conftest import seed
from .test_read import _docx, _zip

URL = "/kiem-tra-so-lieu/"
SENTENCE = "Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng."


def counts():
    return SourceDocument.objects.count(), ExtractedStatement.objects.count()


def refused(name, data, message):
    with pytest.raises(ReadError) as raised:
        read_document(name, data)
    assert raised.value.message == message
    return raised.value


def _docx_with(change=None, add=None) -> bytes:
    """The sample .docx with parts changed (name -> function of bytes) or added."""
    source = zipfile.ZipFile(io.BytesIO(_docx()))
    entries = {info.filename: source.read(info.filename) for info in source.infolist()}
    for name, fn in (change or {}).items():
        entries[name] = fn(entries[name])
    entries.update(add or {})
    return _zip(entries)


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
          + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8))
          + b"]>")


# --- Word files ------------------------------------------------------------------------------


def test_an_xml_entity_bomb_is_not_expanded():
    """python-docx parses without resolving entities: the bomb is inert, the rest is read."""
    def bomb(xml):
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        return LAUGHS + body.replace(b"<w:t>Sau", b"<w:t>&i;Sau", 1)
    data = _docx_with(change={"word/document.xml": bomb})
    try:
        document = read_document("bom.docx", data)
    except ReadError as exc:
        assert exc.message.startswith('Không mở được tệp Word "bom.docx"')
    else:
        assert max(len(line) for line in document.lines) < 1000


def test_an_external_entity_is_never_read():
    def xxe(xml):
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        return (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                + body.replace(b"<w:t>Sau", b"<w:t>&e;Sau", 1))
    try:
        document = read_document("xxe.docx", _docx_with(change={"word/document.xml": xxe}))
    except ReadError as exc:
        assert "root:" not in exc.message
    else:
        assert not any("root:" in line for line in document.lines)


def test_macros_and_remote_links_are_never_run_or_fetched():
    """A .docm's macros and a remote template are parts nobody executes: only the text is read."""
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/attachedTemplate" Target="http://127.0.0.1:9/x.dotm" '
            b'TargetMode="External"/></Relationships>')
    data = _docx_with(add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512,
                           "word/_rels/settings.xml.rels": rels})
    document = read_document("macro.docm", data)
    assert document.lines[0] == "BÁO CÁO 6 THÁNG ĐẦU NĂM 2022"


def test_a_declared_huge_part_is_refused_before_unpacking():
    data = bytearray(_docx_with(add={"word/media/image1.png": b"x"}))
    # The central directory entry of the added part: its declared size becomes 4 GB - 1.
    name = b"word/media/image1.png"
    at = data.find(b"PK\x01\x02")
    while data[at + 46:at + 46 + len(name)] != name:
        at = data.find(b"PK\x01\x02", at + 4)
    data[at + 24:at + 28] = (2**32 - 1).to_bytes(4, "little")
    refused("bom.docx", bytes(data), 'Tệp "bom.docx" khi giải nén lên tới 4.097 MB (giới hạn 200 MB): không xử lý '
                                     "để tránh treo hệ thống. Hãy bỏ hình ảnh lớn hoặc lưu lại tệp bằng Word.")


def test_too_many_parts(monkeypatch):
    monkeypatch.setattr(read_docx, "MAX_PARTS", 50)
    data = _docx_with(add={f"word/media/p{i}.bin": b"x" for i in range(60)})
    refused("nhieu.docx", data, 'Tệp "nhieu.docx" chứa 77 thành phần, quá nhiều cho một tệp Word (giới hạn 50); '
                                "tệp có thể bị hỏng hoặc độc hại.")


def test_an_encrypted_zip_entry():
    data = bytearray(_docx())
    at = data.find(b"PK\x01\x02")
    data[at + 8] |= 0x1
    refused("mat-khau.docx", bytes(data), 'Tệp "mat-khau.docx" được mã hóa (có mật khẩu): hãy bỏ mật khẩu rồi tải '
                                          "lên lại.")


# --- PDF -------------------------------------------------------------------------------------


def _raw_pdf(objects: list[bytes], root=1) -> bytes:
    """A PDF from numbered objects, with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _stream(content: bytes, compress=True) -> bytes:
    import zlib

    data = zlib.compress(content, 9) if compress else content
    flt = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length " + str(len(data)).encode() + flt + b" >>\nstream\n" + data + b"\nendstream"


def _pdf_with_content(content: bytes, compress=True) -> bytes:
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content, compress),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def test_a_pdf_with_javascript_is_only_read():
    document = read_document("js.pdf", _pdf_with_content(b"BT /F1 12 Tf 72 720 Td (Doanh thu dat 5 ty dong.) Tj ET"))
    assert document.lines == ["Doanh thu dat 5 ty dong."]


def test_a_pdf_decompression_bomb_is_refused():
    """100 MB of content that deflates to about 100 KB: pypdf's output limit stops it."""
    bomb = b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b" " * (100 * 1024 * 1024)
    with pytest.raises(ReadError) as raised:
        read_document("bom.pdf", _pdf_with_content(bomb))
    assert raised.value.message in (
        'Tệp PDF "bom.pdf" không có lớp chữ (có thể là bản scan hoặc ảnh chụp): không đọc được số liệu. Hãy tải '
        "lên tệp Word gốc hoặc bản PDF xuất trực tiếp từ Word.",)


def test_a_pdf_whose_pages_point_at_themselves():
    data = _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])
    with pytest.raises(ReadError) as raised:
        read_document("vong.pdf", data)
    assert raised.value.message.startswith('Không mở được tệp PDF "vong.pdf": tệp bị hỏng hoặc không đúng định dạng')


def test_a_pdf_claiming_a_million_pages():
    data = _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 1000000 >>"])
    with pytest.raises(ReadError) as raised:
        read_document("trieu-trang.pdf", data)
    assert raised.value.message in ('Tệp PDF "trieu-trang.pdf" không có trang nào.',
                                    'Tệp PDF "trieu-trang.pdf" có 1.000.000 trang, vượt giới hạn 1.000 trang. Hãy '
                                    "tách phần báo cáo chính ra tệp riêng rồi tải lên.")


def test_nul_characters_in_pdf_text_are_dropped():
    """Unmapped glyphs come out of pypdf as NUL; PostgreSQL's JSON cannot store them."""
    document = read_document("nul.pdf", _pdf_with_content(b"BT /F1 12 Tf 72 720 Td (Doanh\x00 thu 5 ty.) Tj ET"))
    assert all("\x00" not in line for line in document.lines)


# --- text files ------------------------------------------------------------------------------


def test_nul_characters_in_utf16_text_are_refused():
    """A few NULs pass the binary check of UTF-16 text; stored, they were a 500 on PostgreSQL."""
    data = (SENTENCE + "\x00\n").encode("utf-16")
    refused("nul.txt", data, 'Dòng 1 của tệp "nul.txt" có ký tự NUL (mã 0): tệp không phải văn bản thường. Hãy '
                             "lưu lại báo cáo dạng .docx, .pdf hoặc .txt (UTF-8).")


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script> Doanh thu đạt 5 tỷ đồng.",
    "=HYPERLINK(\"http://x\",\"y\") Doanh thu đạt 5 tỷ đồng.",
    "\u202eDoanh thu đạt 5 tỷ đồng.",
    "Doanh thu đạt 1e309 tỷ đồng.",
    "Doanh thu đạt NaN tỷ đồng.",
    "Doanh thu đạt " + "9" * 400 + " tỷ đồng.",
    "Doanh thu đạt 0," + "1" * 200 + " tỷ đồng.",
], ids=["script", "formula", "rtl-override", "1e309", "nan", "400-digits", "200-decimals"])
def test_hostile_text_is_read_as_text(text):
    from solieu.factcheck.extract import extract

    document = read_document("bao-cao.txt", text.encode())
    assert document.lines == [text]
    for statement in extract(document):
        assert statement.value is None or statement.value.is_finite()


# --- through the page: nothing stored, markup escaped ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name, data", [
    ("nul.txt", (SENTENCE + "\x00\n").encode("utf-16")),
    ("bom.docx", b"PK\x05\x06" + b"\0" * 18),
    ("<svg onload=alert(1)>.docx", b"PK\x03\x04 not a zip"),
    ("vong.pdf", _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])),
], ids=["nul", "empty-zip", "script-name", "pdf-loop"])
def test_refused_uploads_store_nothing(client, people, name, data):
    client.force_login(people["analyst"])
    before = counts()
    response = client.post(URL, {"files": SimpleUploadedFile(name, data)}, follow=True)
    assert response.status_code == 200
    raw = response.content.decode()
    assert "<svg onload" not in raw
    assert f"{html.escape(name)}: " in raw
    assert counts() == before


@pytest.mark.django_db
def test_a_document_named_with_markup_is_escaped_everywhere(client, people):
    client.force_login(people["analyst"])
    _, data = seed("002")
    name = '<img src=x onerror=alert(1)>"<svg onload=alert(1)>.txt'  # no "/": Django keeps the base name
    client.post(URL, {"files": SimpleUploadedFile(name, data)})
    doc = SourceDocument.objects.get()
    for url in (URL, f"/kiem-tra-so-lieu/van-ban/{doc.pk}/"):
        raw = client.get(url).content.decode()
        assert "<svg onload" not in raw and "<img src=x" not in raw, url
        assert "&lt;svg onload=alert(1)&gt;" in raw, url


# --- property: any bytes under any name ------------------------------------------------------


@hsettings(max_examples=80, deadline=None)
@given(data=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(str.encode),
                      st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
                      st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b)),
       ext=st.sampled_from(["txt", "docx", "pdf", "doc", "csv", "xlsx", ""]))
def test_any_bytes_are_a_document_or_a_read_error(data, ext):
    try:
        document = read_document(f"tep.{ext}" if ext else "tep", data)
    except ReadError as exc:
        assert exc.message and exc.message == str(exc)
    else:
        assert document.lines and all("\x00" not in line for line in document.lines)
