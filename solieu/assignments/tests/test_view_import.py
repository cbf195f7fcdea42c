"""Upload → preview with row-precise errors → confirm; a refused file imports nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from solieu.accounts.models import Role
from solieu.assignments.models import SourceDocument, Task, TaskChange

from .conftest import make_user, text_of
from .excel_lists import task_list

pytestmark = [pytest.mark.usefixtures("catalog"), pytest.mark.django_db]
URL = "/nhiem-vu/nhap-excel/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = {"kind": "plan", "number": "45/KH-BTTTT", "issued_on": "15/01/2024", "issuer": "Bộ TTTT",
          "title": "Kế hoạch năm 2024", "priority": "key"}


@pytest.fixture
def analyst(client, fast_passwords):
    user = make_user("tonghop-nhap", Role.ANALYST)
    client.force_login(user)
    return user


def upload(client, built, **fields):
    return client.post(URL, {**FIELDS, **fields, "file": SimpleUploadedFile("phu-luc.xlsx", built.data, XLSX)})


def test_bad_rows_are_listed_and_nothing_is_imported(client, analyst):
    built = task_list({10: {"unit": ""}, 18: {"deadline": "31/02/2024"}, 25: {"unit": "Vụ Không Có Thật"}})
    response = upload(client, built)
    assert response.status_code == 400
    text = text_of(response)
    assert "Lỗi (3): phải sửa trong tệp rồi tải lên lại; không nhiệm vụ nào được nhập" in text
    assert f"Dòng {built.rows[10]}: nhiệm vụ" in text and "chưa ghi cơ quan thực hiện" in text
    assert f'Dòng {built.rows[18]}, ô D{built.rows[18]} "Thời gian hoàn thành": Ngày "31/02/2024" không hợp lệ' in text
    assert f'Dòng {built.rows[25]}, ô E{built.rows[25]}: không có cơ quan "Vụ Không Có Thật"' in text
    assert 'name="payload"' not in text and "Xác nhận nhập" not in text
    assert Task.objects.count() == 0 and SourceDocument.objects.count() == 0 and TaskChange.objects.count() == 0


def test_preview_then_confirm_imports_all_30(client, analyst):
    response = upload(client, task_list())
    assert response.status_code == 200
    text = text_of(response)
    assert "30 nhiệm vụ" in text and "33 kết quả yêu cầu" in text and "Chưa có nhiệm vụ nào được nhập." in text
    assert "Kỳ: 30/06/2024" not in text and "Tháng, quý, năm: 30/06/2024" in text
    assert Task.objects.count() == 0
    payload = text.split('name="payload" value="')[1].split('"')[0]
    response = client.post(URL, {"payload": payload})
    assert response.status_code == 302
    document = SourceDocument.objects.get()
    assert response["Location"] == f"/nhiem-vu/?van-ban={document.pk}"
    assert Task.objects.count() == 30 and set(Task.objects.values_list("priority", flat=True)) == {"key"}
    assert "Đã nhập 30 nhiệm vụ, 33 kết quả yêu cầu từ tệp phu-luc.xlsx." in text_of(client.get(response["Location"]))


def test_refusals_of_the_page(client, analyst):
    assert client.get(URL).status_code == 200
    response = client.post(URL, FIELDS)
    assert response.status_code == 400 and "Chưa chọn tệp Excel" in text_of(response)
    response = upload(client, task_list(tasks=2), issued_on="32/01/2024")
    assert response.status_code == 400 and "Ngày ban hành văn bản" in text_of(response)
    response = client.post(URL, {"payload": "giả mạo"})
    assert response.status_code == 400 and "đã bị sửa" in text_of(response)
    assert Task.objects.count() == 0


def test_only_analysts_and_admins_import(client, fast_passwords):
    from solieu.catalog.models import ReportingUnit

    client.force_login(make_user("vu-bc", Role.REPORTER, ReportingUnit.objects.get(code="VU_BC")))
    assert client.get(URL).status_code == 403
    assert upload(client, task_list(tasks=2)).status_code == 403
    assert Task.objects.count() == 0
