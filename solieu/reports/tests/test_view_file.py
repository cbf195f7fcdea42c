"""Documents are made in the background: a progress page, then the download."""

import io

import pytest
from openpyxl import load_workbook

from solieu.reports.models import ReportFile

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


@pytest.mark.parametrize("fmt,magic", [("docx", b"PK"), ("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_make_and_download(client, people, figures, immediate, fmt, magic):
    client.force_login(people["analyst"])
    response = client.post(f"/tong-hop/tao/{fmt}/?period=2024S1", follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "Đã lập xong" in page
    file = ReportFile.objects.get()
    assert file.status == "done" and file.progress == 100 and file.filename == f"{'bang-so-lieu' if fmt == 'xlsx' else 'bao-cao'}-2024S1-VN.{fmt}"
    download = client.get(f"/tong-hop/tep/{file.pk}/tai-ve/")
    assert download.content.startswith(magic) and file.filename in download["Content-Disposition"]


def test_figure_sheet_holds_the_report_figures(client, people, figures, immediate):
    client.force_login(people["analyst"])
    client.post("/tong-hop/tao/xlsx/?period=2024S1")
    content = client.get(f"/tong-hop/tep/{ReportFile.objects.get().pk}/tai-ve/").content
    sheet = load_workbook(io.BytesIO(content))["Số liệu"]
    texts = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"1.600", "2", "63"} <= texts


def test_a_queued_document_shows_its_progress_and_polls(client, people, figures):
    client.force_login(people["analyst"])
    response = client.post("/tong-hop/tao/pdf/?period=2024S1", follow=True)
    page = response.content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    file = ReportFile.objects.get()
    assert file.status == "queued"
    assert client.get(f"/tong-hop/tep/{file.pk}/tai-ve/").status_code == 404
    partial = client.get(f"/tong-hop/tep/{file.pk}/", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div class="file-progress"')


def test_a_failure_is_told_not_hidden(client, people, figures, immediate, monkeypatch):
    from solieu.reports import jobs

    def broken(report, fmt):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(jobs, "render_as", broken)
    client.force_login(people["analyst"])
    page = client.post("/tong-hop/tao/pdf/?period=2024S1", follow=True).content.decode()
    assert "Không lập được tệp báo cáo" in page and ReportFile.objects.get().status == "failed"


def test_someone_elses_document_is_not_found(client, people, figures, immediate):
    client.force_login(people["analyst"])
    client.post("/tong-hop/tao/xlsx/?period=2024S1")
    client.force_login(people["hanoi"])
    assert client.get(f"/tong-hop/tep/{ReportFile.objects.get().pk}/tai-ve/").status_code == 404


def test_unknown_format_is_404(client, people):
    client.force_login(people["analyst"])
    assert client.post("/tong-hop/tao/odt/").status_code == 404
