"""The entry grid and its cell endpoint: shaped like the form, scoped, audited, conflict-safe."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from solieu.catalog.models import ReportingUnit
from solieu.collection.models import Channel, DataValue, DataValueAudit, Submission, ValueStatus

from .conftest import entry_url, history, text_of

pytestmark = pytest.mark.usefixtures("catalog")

ROW = "5"  # TELECOM_FIXED_BROADBAND_SUBSCRIBERS: triệu thuê bao, 2 decimals


def post_cell(client, pid, value, *, row=ROW, option="TOTAL", revision=0, unit="SKHCN-01", **extra):
    data = {"row": row, "option": option, "value": value, "revision": revision, **extra}
    return client.post(entry_url(pid, unit, action="o-so-lieu"), data)


def stored(row=ROW, unit="SKHCN-01", pid=None):
    qs = DataValue.objects.current().filter(unit__code=unit, form__code="BC-SO-THANG", indicator__form_rows__code=row,
                                            indicator__form_rows__form__code="BC-SO-THANG")
    if pid is not None:
        qs = qs.filter(period__code=pid.code)
    return qs


def test_grid_is_shaped_like_the_form(client, users, month):
    client.force_login(users["reporter"])
    response = client.get(entry_url(month))
    assert response.status_code == 200
    text = response.text
    assert "BC-SO-THANG – Báo cáo số liệu tháng của Sở" in text
    assert month.label_title() in text and "Hạn gửi" in text and "Đang nhập" in text
    assert "Thông tin chung của địa bàn" in text  # heading row
    assert "triệu thuê bao" in text  # unit of measure
    assert text.count('class="v"') == 20  # one input per indicator row, no disaggregation on this form
    assert 'id="value-status"' in text and "Gửi báo cáo" in text
    # Nothing was created by looking.
    assert not Submission.objects.exists()


def test_grid_default_status_is_estimate_before_the_period_ends(client, users, month):
    client.force_login(users["reporter"])
    text = client.get(entry_url(month)).text
    assert re.search(r'<option value="estimate" selected>Ước tính</option>', text)


def test_grid_shows_previous_period_and_same_period_last_year(client, users, month):
    history("SKHCN-01", ROW, month, ["1.25"] * 12)
    client.force_login(users["reporter"])
    text = client.get(entry_url(month)).text
    assert "Kỳ trước: 1,25 · Cùng kỳ năm trước: 1,25" in text


def test_pages_obey_the_csp(client, users, month):
    client.force_login(users["reporter"])
    text = client.get(entry_url(month)).text
    assert "style=" not in text and "onclick" not in text and " hx-on" not in text
    assert re.findall(r"<script(?![^>]*\bsrc=)", text) == []
    assert "includeIndicatorStyles" in text and "X-CSRFToken" in text


def test_other_province_gets_404_for_grid_and_cell(client, users, month):
    client.force_login(users["reporter"])
    assert client.get(entry_url(month, "SKHCN-79")).status_code == 404
    assert post_cell(client, month, "12", unit="SKHCN-79").status_code == 404
    assert not DataValue.objects.filter(unit__code="SKHCN-79").exists()


def test_unknown_form_unit_or_period_gets_404(client, users, month):
    client.force_login(users["reporter"])
    assert client.get(entry_url(month, form="KHONG-CO")).status_code == 404
    assert client.get(entry_url(month, "KHONG-CO")).status_code == 404
    assert client.get(entry_url("2026Q02")).status_code == 404
    assert client.get(entry_url(month.year.__str__() + "Q1")).status_code == 404  # not a month
    assert client.get(entry_url("203001")).status_code == 404  # far in the future
    assert client.get(entry_url("202001")).status_code == 404  # before SKHCN-01 existed


def test_login_required(client, db, month):
    response = client.get(entry_url(month))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_analyst_and_approver_read_only(client, users, month):
    for who in ("analyst", "approver", "receiver"):
        client.force_login(users[who])
        response = client.get(entry_url(month))
        assert response.status_code == 200, who
        assert "Chỉ xem: Bạn không có quyền nhập số liệu" in response.text
        assert 'class="v"' not in response.text and "Gửi báo cáo" not in response.text
        assert post_cell(client, month, "12").status_code == 403
    assert not DataValue.objects.exists()


def test_saving_a_cell_stores_it_through_the_web_channel_with_an_audit(client, users, month):
    client.force_login(users["reporter"])
    response = post_cell(client, month, "1.234,5")
    assert response.status_code == 200
    assert 'value="1.234,5"' in response.text and 'name="revision" value="1"' in response.text
    assert "Đã lưu" in response.text
    dv = stored().get()
    assert dv.value == Decimal("1234.5") and dv.channel == Channel.WEB and dv.status == ValueStatus.ESTIMATE
    assert dv.created_by == users["reporter"]
    submission = Submission.objects.get(unit__code="SKHCN-01", period__code=month.code)
    assert dv.submission == submission and submission.status == "draft"
    audit = DataValueAudit.objects.get(data_value=dv)
    assert (audit.action, audit.channel, audit.user, audit.new_value) == (
        "create", "web", users["reporter"], Decimal("1234.5"))


def test_status_and_comment_are_saved_with_the_cell(client, users, month):
    client.force_login(users["reporter"])
    response = post_cell(client, month, "3", status="official", comment="Số liệu của VNPT và Viettel")
    assert response.status_code == 200
    dv = stored().get()
    assert dv.status == "official" and dv.comment == "Số liệu của VNPT và Viettel"
    assert "Số liệu của VNPT và Viettel</textarea>" in response.text


def test_a_letter_is_refused_and_nothing_stored(client, users, month):
    client.force_login(users["reporter"])
    response = post_cell(client, month, "12a")
    assert response.status_code == 422
    assert 'Không đọc được số "12a"' in text_of(response) and 'value="12a"' in response.text
    assert not DataValue.objects.exists() and not DataValueAudit.objects.exists()
    assert not Submission.objects.exists()  # a refused input leaves no trace in completeness


def test_a_value_out_of_range_is_refused(client, users, month):
    client.force_login(users["reporter"])
    response = post_cell(client, month, "-5")
    assert response.status_code == 422 and "là số âm; chỉ tiêu này không nhận giá trị âm" in response.text
    response = post_cell(client, month, "1,5", row="1")  # population is an integer
    assert response.status_code == 422 and "phải là số nguyên" in response.text
    assert not DataValue.objects.exists()


def test_stale_revision_is_a_conflict_and_nothing_is_overwritten(client, users, month):
    client.force_login(users["reporter"])
    post_cell(client, month, "10")  # revision 1
    colleague = users["reporter"].__class__.objects.create_user("nhap01b", password="mat-khau-dai-123")
    from solieu.accounts.models import Membership

    Membership.objects.create(user=colleague, role="reporter", unit=ReportingUnit.objects.get(code="SKHCN-01"))
    other = client.__class__()
    other.force_login(colleague)
    assert post_cell(other, month, "11", revision=1).status_code == 200  # revision 2
    response = post_cell(client, month, "12", revision=1)  # the page still holds revision 1
    assert response.status_code == 409
    assert "Ô số liệu đã được nhap01b sửa thành 11" in response.text
    assert "Giá trị bạn vừa nhập (12) chưa được lưu." in response.text
    assert 'value="11"' in response.text and 'name="revision" value="2"' in response.text
    assert stored().get().value == Decimal("11")


def test_conflict_is_kept_in_the_audit(client, users, month):
    client.force_login(users["reporter"])
    post_cell(client, month, "10")
    post_cell(client, month, "11", revision=1)
    assert post_cell(client, month, "12", revision=1).status_code == 409
    assert DataValueAudit.objects.filter(action="conflict", unit_code="SKHCN-01").exists()


def test_emptying_a_cell_deletes_the_value(client, users, month):
    client.force_login(users["reporter"])
    post_cell(client, month, "10")
    response = post_cell(client, month, "", revision=1)
    assert response.status_code == 200 and 'name="revision" value="0"' in response.text
    assert not stored().exists()
    assert DataValueAudit.objects.filter(action="delete").count() == 1


def test_outlier_warning_comes_back_with_the_cell(client, users, month):
    history("SKHCN-01", "4", month, [1000, 1010, 990, 1005, 995, 1020, 980, 1000, 1015, 985, 1000, 1010])
    client.force_login(users["reporter"])
    response = post_cell(client, month, "5.000", row="4")
    assert response.status_code == 200
    assert "msg-warning" in response.text and "cao bất thường so với 12 kỳ trước" in response.text
    assert stored("4").get().value == Decimal("5000")
    # Reloaded, the grid shows the warning on the cell with its comment box open.
    text = client.get(entry_url(month)).text
    assert "cao bất thường" in text and "<details class=\"note\" open>" in text


def test_unknown_cell_is_404(client, users, month):
    client.force_login(users["reporter"])
    assert post_cell(client, month, "1", row="99").status_code == 404
    assert post_cell(client, month, "1", option="4G").status_code == 404


def test_grid_with_disaggregations_and_totals(client, db, month):
    """BCCP-02: total rows with columns by service, and an "of which" row under row 3.

    Row 3 is made a total row here, to see the sum of its detail rows offered beside it."""
    from solieu.catalog.models import FormRow

    from .conftest import make_user

    FormRow.objects.filter(form__code="BCCP-02", code="3").update(is_total=True)
    user = make_user("vnpost", ("reporter", "VNPOST"))
    client.force_login(user)
    quarter = month.__class__.containing("quarter", timezone.localdate())  # due on the 10th after it: open
    response = client.get(entry_url(quarter, "VNPOST", form="BCCP-02"))
    assert response.status_code == 200
    text = response.text
    assert 'data-calc="options" data-row="1"' in text and 'data-calc="children" data-row="3"' in text
    assert 'data-parent="3"' in text and "Phân tổ" in text
    assert 'class="child"' in text


def test_cell_needs_post(client, users, month):
    client.force_login(users["reporter"])
    assert client.get(entry_url(month, action="o-so-lieu")).status_code == 405
