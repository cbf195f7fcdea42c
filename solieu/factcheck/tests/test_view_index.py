"""Uploading past reports: read, stored once, garbage refused with a clear message."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from solieu.factcheck.models import SourceDocument

from .conftest import seed

pytestmark = pytest.mark.django_db
URL = "/kiem-tra-so-lieu/"


def test_upload_reads_the_statements_once(client, people):
    client.force_login(people["analyst"])
    name, data = seed("002")
    page = html.unescape(client.post(URL, {"files": SimpleUploadedFile(name, data)}, follow=True).content.decode())
    doc = SourceDocument.objects.get()
    assert doc.statements.count() > 50 and doc.period_code == "2022S1"
    assert f"{name}: đọc được {doc.statements.count()} số liệu." in page
    page = html.unescape(client.post(URL, {"files": SimpleUploadedFile("lan-hai.txt", data)}, follow=True)
                         .content.decode())
    assert "đã được tải lên trước đây" in page and SourceDocument.objects.count() == 1


@pytest.mark.parametrize("name,data", [
    ("rong.txt", b""),
    ("anh.pdf", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
    ("hong.docx", b"PK\x03\x04 not really a zip"),
])
def test_garbage_gets_a_message_not_a_crash(client, people, name, data):
    client.force_login(people["analyst"])
    response = client.post(URL, {"files": SimpleUploadedFile(name, data)}, follow=True)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and f"{name}: " in page and SourceDocument.objects.count() == 0


def test_only_ministry_staff(client, people):
    client.force_login(people["hanoi"])
    assert client.get(URL).status_code == 403
