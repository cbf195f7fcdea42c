"""Matching report wording to catalog indicators: diacritics, abbreviations, sectors, units, ties."""

from __future__ import annotations

import pytest

from solieu.factcheck.names import MEDIA, fold, fold_chars, load_catalog, words


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_folding_keeps_length_and_strips_marks():
    text = "Đóng góp vào GDP của ngành TTTT ước đạt"
    assert fold_chars(text) == "dong gop vao gdp cua nganh tttt uoc dat"
    assert len(fold_chars(text)) == len(text)
    assert fold("  Bưu   chính ") == "buu chinh"


def test_words_spell_out_abbreviations_and_keep_ho_so():
    assert words("Tỷ lệ DVCTT có phát sinh HSTT") == ["ty", "le", "dich", "vu", "cong", "truc", "tuyen", "co",
                                                      "phat", "sinh", "ho", "so", "truc", "tuyen"]
    assert words("Số lượng website") == ["website"]          # "số lượng" is filler
    assert words("kinh tế số") == ["kinh", "te", "so"]        # "số" as "digital" is kept
    assert words("Doanh thu (tỷ đồng)") == ["doanh", "thu"]    # a unit in parentheses is not a name


@pytest.mark.parametrize("phrase", [
    "Doanh thu dịch vụ bưu chính", "doanh thu dich vu buu chinh", "DOANH THU DỊCH VỤ BƯU CHÍNH",
    "Doanh thu dịch vụ bưu chính"   # typed with combining marks (NFD)
    .encode("utf-8").decode("utf-8"),
])
def test_with_and_without_diacritics(catalog, phrase):
    import unicodedata

    assert catalog.match(unicodedata.normalize("NFD", phrase)).code == "POSTAL_REVENUE"
    assert catalog.match(phrase).code == "POSTAL_REVENUE"


@pytest.mark.parametrize("phrase, sector, code", [
    ("Doanh thu", "postal", "POSTAL_REVENUE"),
    ("Doanh thu", "telecom", "TELECOM_REVENUE"),
    ("Nộp ngân sách (tỷ đồng)", "postal", "POSTAL_STATE_BUDGET"),
    ("Nộp ngân sách nhà nước", "overview", "OVERVIEW_STATE_BUDGET"),
    ("Số Lao động (người)", "postal", "POSTAL_LABOUR"),
    ("Nộp ngân sách lĩnh vực viễn thông", None, "TELECOM_STATE_BUDGET"),
    ("Tấn công mạng (cuộc)", "information_security", "INFOSEC_CYBER_ATTACKS"),
    ("Tỷ lệ HSTT toàn trình", "digital_government", "DGOV_FULLPROCESS_DOSSIER_RATE"),
    ("Lũy kế giao dịch thực hiện thông qua Nền tảng tích hợp chia sẻ dữ liệu quốc gia (NDXP)",
     "digital_transformation", "DX_NDXP_CUMULATIVE_TRANSACTIONS"),
    ("Tổng giao dịch thực hiện thông qua NDXP", "digital_transformation", "DX_NDXP_TRANSACTIONS"),
    ("sản lượng bưu gửi mật", "postal", "POSTAL_KT1_SECRET_VOLUME"),
])
def test_shared_names_are_told_apart_by_sector_and_qualifiers(catalog, phrase, sector, code):
    assert catalog.match(phrase, sector=sector).code == code


def test_the_written_unit_decides_between_a_rate_and_a_count(catalog):
    phrase = "Tỷ lệ hộ gia đình sử dụng cáp quang"
    assert catalog.match(phrase, sector="telecom", unit="%").code == "TELECOM_FTTH_HOUSEHOLD_RATE"
    assert catalog.match(phrase, sector="telecom", unit="triệu hộ").code == "TELECOM_FTTH_HOUSEHOLDS"
    per100 = "Số thuê bao băng rộng cố định tương ứng với tỷ lệ"
    assert catalog.match(per100, sector="telecom", unit="thuê bao/100 dân").code == "TELECOM_FIXED_BROADBAND_PER100"


def test_weak_match_gives_no_code_and_a_flag(catalog):
    match = catalog.match("Số cây xanh được trồng trong khuôn viên")
    assert match.code is None and match.flags and "không đủ giống" in match.flags[0]
    assert not catalog.match("")


def test_tie_gives_no_code_and_names_both(catalog):
    match = catalog.match("trung bình thế giới", sector="telecom", unit="Mbps")
    assert match.code is None
    assert "TELECOM_FIXED_BB_SPEED_WORLD_AVG" in match.flags[0] and "TELECOM_MOBILE_BB_SPEED_WORLD_AVG" in match.flags[0]


@pytest.mark.parametrize("heading, sector", [
    ("1. Lĩnh vực Bưu chính", "postal"),
    ("4. Lĩnh vực Chính phủ số4.1. Sự phát triển của lĩnh vực", "digital_government"),
    ("3. Lĩnh vực Chuyển đổi số Quốc gia", "digital_transformation"),
    ("5. Lĩnh vực An toàn thông tin mạng", "information_security"),
    ("An toàn an ninh mạng", "information_security"),
    ("A. Số liệu tổng quan ngành TTTT 6 tháng đầu năm 2022", "overview"),
    ("Về Xuất bản, In, Phát hành", "publishing"),
    ("Báo chí - truyền thông", MEDIA),
    ("II. CÔNG TÁC XÂY DỰNG VĂN BẢN QUY PHẠM PHÁP LUẬT", None),
    ("B. Tổng quan về các lĩnh vực", None),
])
def test_sector_of_headings(catalog, heading, sector):
    assert catalog.sector_of(heading) == sector


def test_catalog_is_read_once(catalog):
    assert load_catalog() is catalog
    assert len(catalog.indicators) == 275


def test_top_and_toan_cau_name_a_rank_in_the_world(catalog):
    assert words("thuộc top 10 toàn cầu") == ["thuoc", "thu", "hang", "10", "the", "gioi"]
    assert catalog.match("thứ hạng Việt Nam vượt qua Mỹ, thuộc top toàn cầu", sector="telecom",
                         unit="thứ hạng").code == "TELECOM_IPV6_RANK"


def test_a_rank_in_a_region_is_not_the_rank_in_the_world(catalog):
    assert catalog.match("thứ hạng Việt Nam đứng thứ ASEAN IPv6", sector="telecom", unit="thứ hạng").code is None


def test_words_next_to_the_figure_tell_tied_indicators_apart(catalog):
    tied = ["INFOSEC_NEAC_STATE_BUDGET", "INFOSEC_NEAC_FEE_REVENUE"]
    assert catalog.closer("số phí thu được lũy kế từ đầu năm", tied) == "INFOSEC_NEAC_FEE_REVENUE"
    usd = ["ICT_MAKE_IN_VIETNAM_VALUE_USD", "ICT_REVENUE_USD"]
    assert catalog.closer("giá trị", usd) == "ICT_MAKE_IN_VIETNAM_VALUE_USD"
    assert catalog.closer("đạt", tied) is None
