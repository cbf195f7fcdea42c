"""The extractor against the hand-written lists of the seed reports, and on sentences made up to pin
down one rule each (scale words, "bằng X%", điểm phần trăm, "gấp", ambiguous numbers, periods)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from solieu.factcheck.extract import extract
from solieu.factcheck.read import read_document

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"
EXPECTED = ["expected_000.yaml", "expected_001.yaml", "expected_002.yaml"]


@lru_cache(maxsize=None)
def statements_of(name: str):
    return tuple(extract(read_document(name, (SEEDS / name).read_bytes())))


def _dec(value):
    return None if value is None else Decimal(str(value))


def _same(statement, entry) -> list[str]:
    """Differences between a statement and an expected entry, in words."""
    problems = []
    checks = {
        "value": (statement.value, _dec(entry.get("value"))),
        "period": (statement.period_code, str(entry["period"]) if entry.get("period") is not None else None),
        "change": (statement.change, _dec(entry.get("change"))),
        "plan_share": (statement.plan_share, _dec(entry.get("plan_share"))),
        "estimate": (statement.estimate, bool(entry.get("estimate", False))),
    }
    optional = {
        "change_kind": statement.change_kind, "base": statement.change_base_period,
        "previous": statement.previous_value, "plan_value": statement.plan_value, "part": statement.part,
        "whole": statement.whole, "share": statement.share, "kind": statement.kind,
    }
    for key, got in optional.items():
        if key in entry:
            want = entry[key]
            if key in ("previous", "plan_value", "share"):
                want = _dec(want)
            elif key == "base":
                want = str(want)
            checks[key] = (got, want)
    for key, (got, want) in checks.items():
        if got != want:
            problems.append(f"{key}: {got!r} != {want!r}")
    return problems


def _find(statements, entry):
    candidates = [s for s in statements if s.line == entry["line"] and s.indicator_code == entry["indicator"]]
    if not candidates:
        near = [f"{s.indicator_code}={s.value}" for s in statements if s.line == entry["line"]]
        return None, [f"no statement of {entry['indicator']} on line {entry['line']} (found: {near})"]
    best = min(candidates, key=lambda s: len(_same(s, entry)))
    return best, _same(best, entry)


@pytest.mark.parametrize("expected_file", EXPECTED)
def test_seed_reports_give_the_expected_statements(expected_file):
    spec = yaml.safe_load((HERE / expected_file).read_text(encoding="utf-8"))
    statements = statements_of(spec["document"])
    missing, found, known = [], 0, 0
    for entry in spec["statements"]:
        statement, problems = _find(statements, entry)
        if not problems:
            found += 1
        elif "known_miss" in entry:
            known += 1
        else:
            missing.append(f"line {entry['line']} {entry['indicator']}: " + "; ".join(problems))
    total = len(spec["statements"])
    print(f"{spec['document']}: {found}/{total} found, {known} known misses")
    assert not missing, "\n".join(missing)


def test_every_statement_points_back_to_its_line():
    for name in ("000_d64712951b28f459.txt", "002_4df084ab26acfca6.txt"):
        document = read_document(name, (SEEDS / name).read_bytes())
        for statement in statements_of(name):
            assert statement.document == name
            line = document.lines[statement.line - 1]
            if statement.kind == "sentence":
                assert statement.value_text.replace(" ", "") in line.replace(" ", "") or not statement.value_text


def test_planning_sections_give_no_statements():
    """ "Nhiệm vụ trọng tâm 6 tháng cuối năm" holds targets, not results."""
    lines = {s.line for s in statements_of("000_d64712951b28f459.txt")}
    assert not lines & set(range(128, 141))          # 2.3. Nhiệm vụ trọng tâm (viễn thông)
    assert 453 not in lines                          # "Duy trì tỷ lệ ... đạt trên 90%" in 8.3


def _one(text: str, **kwargs):
    document = read_document("mau.txt", text.encode("utf-8"))
    return extract(document, **kwargs)


TITLE = "BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM 2023\n\nI. SỐ LIỆU TỔNG QUAN\n\n"
POSTAL = TITLE + "1. Lĩnh vực Bưu chính\n\n"
TELECOM = TITLE + "2. Lĩnh vực Viễn thông\n\n"


def test_scale_words_convert_to_the_indicator_unit():
    [s] = _one(POSTAL + "- Tổng sản lượng bưu gửi ước đạt 1,1 tỷ bưu gửi, tăng 20% so với cùng kỳ năm 2022.\n")
    assert (s.indicator_code, s.value, s.unit_text) == ("POSTAL_VOLUME", Decimal("1100"), "tỷ bưu gửi")
    [s] = _one(TITLE + "7. Lĩnh vực Công nghiệp ICT\n\n- Kim ngạch xuất khẩu phần cứng, điện tử đạt 51.510 triệu USD.\n")
    assert (s.indicator_code, s.value) == ("ICT_HARDWARE_EXPORT", Decimal("51.51"))
    [s] = _one(TITLE + "7. Lĩnh vực Công nghiệp ICT\n\n- Doanh thu lĩnh vực Công nghiệp ICT ước đạt 1,45 nghìn tỷ đồng.\n")
    assert (s.indicator_code, s.value) == ("ICT_REVENUE", Decimal("1450"))


def test_subscribers_and_their_rate_per_100_people_in_one_sentence():
    found = _one(TELECOM + "- Số thuê bao băng rộng cố định đạt 22,14 triệu thuê bao (tương ứng với tỷ lệ 22,26 "
                 "thuê bao/100 dân), tăng 8% so với cùng kỳ năm ngoái và đạt 88,6% kế hoạch năm 2023.\n")
    by_code = {s.indicator_code: s for s in found}
    subscribers = by_code["TELECOM_FIXED_BROADBAND_SUBSCRIBERS"]
    assert (subscribers.value, subscribers.change, subscribers.plan_share) == (Decimal("22.14"), Decimal("8"), Decimal("88.6"))
    per100 = by_code["TELECOM_FIXED_BROADBAND_PER100"]
    assert (per100.value, per100.change, per100.plan_share) == (Decimal("22.26"), None, None)


@pytest.mark.parametrize("phrase, change, kind", [
    ("giảm 8,66% so với cùng kỳ năm 2022", "-8.66", "percent"),
    ("tăng khoảng 3,64% so với cùng kỳ năm 2022", "3.64", "percent"),
    ("tăng 5,7 điểm phần trăm so với cùng kỳ năm 2022", "5.7", "points"),
    ("bằng 95% so với cùng kỳ năm 2022", "95", "ratio"),
    ("gấp 1,6 lần so với cùng kỳ năm 2022", "1.6", "times"),
])
def test_kinds_of_change(phrase, change, kind):
    [s] = _one(TELECOM + f"- Tỷ lệ hộ gia đình sử dụng cáp quang ước đạt 77,1%, {phrase}.\n")
    assert (s.value, s.change, s.change_kind, s.change_base_period) == (Decimal("77.1"), Decimal(change), kind, "2022S1")


def test_plan_share_and_plan_value():
    [s] = _one(TITLE + "4. Lĩnh vực Chính phủ số\n\n- Tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến (HSTT) đạt "
               "53,77%, tương ứng 67,2% kế hoạch năm 2023 (mục tiêu năm 2023 là 80%).\n")
    assert (s.value, s.plan_share, s.plan_value) == (Decimal("53.77"), Decimal("67.2"), Decimal("80"))


def test_period_from_the_sentence_overrides_the_title():
    found = _one(TITLE + "5. Lĩnh vực An toàn thông tin mạng\n\n"
                 "- Tấn công mạng tháng 7/2023 là 836 cuộc, giảm 15% so với cùng kỳ tháng 7/2022 (983 cuộc).\n"
                 "- Tổng số chứng thư số công cộng đã cấp tính đến hết quý II là 6.087.810 chứng thư số.\n")
    assert [(s.indicator_code, s.period_code) for s in found] == [
        ("INFOSEC_CYBER_ATTACKS", "202307"), ("INFOSEC_PUBLIC_CERTIFICATES_ISSUED", "2023Q2")]
    assert (found[0].previous_value, found[0].change_base_period) == (Decimal("983"), "202207")


def test_default_period_when_the_title_has_none():
    [s] = _one("1. Lĩnh vực Bưu chính\n\n- Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng.\n",
               default_period="2023S1")
    assert (s.indicator_code, s.period_code, s.value) == ("POSTAL_REVENUE", "2023S1", Decimal("27477"))
    [s] = _one("1. Lĩnh vực Bưu chính\n\n- Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng.\n")
    assert s.period_code is None and any("kỳ" in flag for flag in s.flags)


def test_thousands_comma_in_a_count_is_read_from_context():
    [s] = _one(POSTAL + "- Sản lượng bưu gửi KT1 phục vụ cơ quan Đảng, Nhà nước đạt 35,892 bưu gửi.\n")
    assert s.value == Decimal("35892") and any("35,892" in flag for flag in s.flags)


def test_previous_value_resolves_an_ambiguous_reading():
    [s] = _one(TITLE + "9. Lĩnh vực Xuất bản\n\n- Doanh thu lĩnh vực In ước đạt 39.935 tỷ đồng, tăng 11,2% "
               "so với cùng kỳ năm 2022 (35,892 tỷ đồng).\n")
    assert (s.value, s.previous_value) == (Decimal("39935"), Decimal("35892"))


def test_english_decimal_point_and_space_in_a_number_are_flagged():
    [s] = _one(TELECOM + "- Tỷ lệ người sử dụng Internet đạt 62.43%.\n")
    assert s.value == Decimal("62.43") and any("dấu thập phân" in flag for flag in s.flags)
    [s] = _one(TITLE + "6. Lĩnh vực Kinh tế số\n\n- Số lượng các doanh nghiệp nhỏ và vừa sử dụng chương trình "
               "SMEdx ước khoảng 135. 329 doanh nghiệp.\n")
    assert s.value == Decimal("135329") and any("khoảng trắng" in flag for flag in s.flags)


def test_ambiguous_number_is_flagged_when_the_document_mixes_conventions():
    text = (POSTAL + "- Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng, tăng 5,48%.\n"
            "- Nộp ngân sách lĩnh vực bưu chính đạt 2,970.5 tỷ đồng, tăng 4.25%.\n"
            "- Lợi nhuận lĩnh vực bưu chính đạt 1,234.5 tỷ đồng, giảm 1.5%.\n"
            "- Tổng sản lượng bưu gửi ước đạt 1.098 triệu bưu gửi, tăng 20,12%.\n")
    volume = next(s for s in _one(text) if s.indicator_code == "POSTAL_VOLUME")
    assert any("có thể đọc là" in flag for flag in volume.flags)


def test_fraction_with_its_percentage():
    [s] = _one(TELECOM + "- 80/85 (94%) Bộ, ngành, địa phương ban hành kế hoạch chuyển đổi IPv6, tăng 12,1% so với "
               "cùng kỳ năm 2022.\n")
    assert (s.indicator_code, s.part, s.whole, s.share, s.value) == (
        "TELECOM_GOV_IPV6_PLAN_UNITS", 80, 85, Decimal("94"), Decimal("80"))


def test_unmatched_figure_is_kept_with_a_flag():
    [s] = _one(TITLE + "- Số cây xanh được trồng đạt 1.234 cây, tăng 5% so với cùng kỳ năm 2022.\n")
    assert s.indicator_code is None and s.flags and s.value == Decimal("1234")


def test_docx_table_rows_become_statements():
    import io

    import docx

    word = docx.Document()
    word.add_paragraph("BÁO CÁO KẾT QUẢ 6 THÁNG ĐẦU NĂM 2022")
    word.add_paragraph("1. Lĩnh vực Bưu chính")
    table = word.add_table(rows=3, cols=5)
    for row, cells in zip(table.rows, [
        ["STT", "Nhóm chỉ tiêu", "Lũy kế 6T đầu 2022", "So sánh cùng kỳ 6T đầu 2021", "Tăng trưởng"],
        ["1", "Doanh thu (tỷ đồng)", "27.000", "23.500", "15%"],
        ["2", "Sản lượng (triệu bưu gửi)", "870", "700", "25%"],
    ]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    buffer = io.BytesIO()
    word.save(buffer)
    found = extract(read_document("bao-cao.docx", buffer.getvalue()))
    assert [(s.kind, s.indicator_code, s.value, s.previous_value, s.change, s.period_code) for s in found] == [
        ("table", "POSTAL_REVENUE", Decimal("27000"), Decimal("23500"), Decimal("15"), "2022S1"),
        ("table", "POSTAL_VOLUME", Decimal("870"), Decimal("700"), Decimal("25"), "2022S1"),
    ]


@pytest.mark.parametrize("text, code, role", [
    ("Trong 6 tháng đầu năm 2023, doanh thu", "2023S1", "period"),
    ("tính đến tháng 6/2023 ước khoảng", "202306", "period"),
    ("tính đến ngày 18/6/2023 đạt", "20230101_20230618", "period"),
    ("Tính đến ngày 30/6/2023, số lượng", "2023S1", "period"),
    ("tính đến hết quý II là", "2023Q2", "period"),
    ("lũy kế số nộp ngân sách từ đầu năm 2023 đến hết quý II", "2023S1", "period"),
    ("7 tháng đầu năm 2023 ước đạt", "20230101_20230731", "period"),
    ("Từ ngày 01/7/2023 đến ngày 24/7/2023:", "20230701_20230724", "period"),
    ("Lũy kế 6T đầu 2022", "2022S1", "period"),
    ("so với cùng kỳ tháng 6/2022", "202206", "base"),
    ("đạt 43,78% kế hoạch năm 2023", "2023", "plan"),
    ("Chiến lược phát triển đến năm 2025", "2025", "other"),
    ("Dự kiến hoàn thành trước 30/7/2022", "20220730_20220730", "other"),
    ("liên quan đến các lĩnh vực TT&TT trong Quý II/2023", "2023Q2", "period"),
    ("Lĩnh vực công nghiệp phần cứng, điện tử trong 7 tháng đầu năm 2023", "20230101_20230731", "period"),
])
def test_period_mentions_and_their_roles(text, code, role):
    from solieu.factcheck.extract_periods import find_periods

    [mention] = find_periods(text, 2023)
    assert (mention.period.code, mention.role) == (code, role)


@pytest.mark.parametrize("base, code", [
    ("cùng kỳ năm 2022", "2022S1"), ("cùng kỳ năm trước", "2022S1"), ("cùng kỳ", "2022S1"),
    ("tháng 5/2023", "202305"), ("6 tháng đầu năm 2022", "2022S1"), ("năm 2022", "2022"), ("2021", "2021"),
    ("cùng kỳ tháng 7/2022", "202207"), ("kế hoạch năm 2023", None), ("trung bình thế giới", None),
])
def test_base_of_a_comparison(base, code):
    from solieu.catalog.periods import PeriodId
    from solieu.factcheck.extract_periods import base_period

    found = base_period(base, PeriodId.parse("2023S1"), 2023)
    assert (found.code if found else None) == code


def test_document_period_from_the_title():
    from solieu.factcheck.extract_periods import document_period

    for name, code in [("000_d64712951b28f459.txt", "2023S1"), ("002_4df084ab26acfca6.txt", "2022S1"),
                       ("001_c1f38d621d9f314f.txt", None)]:
        found = document_period((SEEDS / name).read_text(encoding="utf-8").split("\n"))
        assert (found.code if found else None) == code


# --- counts of something else, names cut by a number, ties, ranks ----------------------------------

def test_count_of_the_objects_of_an_action_is_not_the_indicator():
    found = _one(TITLE + "8. Lĩnh vực Tổng hợp\n\n+ Phối hợp, xử lý và yêu cầu 04 Doanh nghiệp cung cấp dịch vụ "
                 "chữ ký số chủ động tạm dừng việc phát triển thuê bao mới.\n")
    [s] = [s for s in found if s.value == Decimal("4")]
    assert s.indicator_code is None and any('"yêu cầu"' in flag for flag in s.flags)


def test_count_after_cua_counts_its_own_noun():
    found = _one(TITLE + "7. Lĩnh vực Công nghiệp ICT\n\n- Số doanh nghiệp công nghệ số ước đạt 67.300 doanh nghiệp "
                 "(tổng số DNCNS của 04 tỉnh này chiếm hơn 72% tổng số DNCNS của cả nước).\n")
    assert found[0].indicator_code == "ICT_DIGITAL_TECH_ENTERPRISES" and found[0].value == Decimal("67300")
    [four] = [s for s in found if s.value == Decimal("4")]
    assert four.indicator_code is None and any('sau "của"' in flag for flag in four.flags)


def test_what_a_name_starting_with_so_counts_decides_between_indicators():
    found = _one(TITLE + "10. Lĩnh vực Báo chí\n\n- Tổng số thẻ nhà báo toàn quốc: 18.977 (Số thẻ cấp tại cơ quan "
                 "báo in, báo điện tử: 11.600; Số thẻ cấp tại cơ quan báo nói, báo hình: 7.377).\n")
    assert {s.indicator_code for s in found} == {"PRESS_CARDS"}
    assert [s.value for s in found if not s.flags] == [Decimal("18977")]


def test_a_percentage_inside_a_name_is_not_a_figure():
    found = _one(TITLE + "3. Lĩnh vực Chuyển đổi số\n\n- Đã có 63/63 địa phương thành lập 74.521 Tổ CNSCĐ, trong đó "
                 "52/63 địa phương hoàn thành 100% đến cấp xã.\n")
    assert Decimal("100") not in [s.value for s in found]
    [s] = [s for s in found if s.part == 52]
    assert s.indicator_code == "DX_PROVINCES_FULL_COMMUNE_TEAMS" and "100%" in s.indicator_text


def test_words_next_to_the_figure_break_a_tie():
    [fee, budget] = _one(
        TITLE + "5. Lĩnh vực An toàn thông tin mạng\n\n- Đóng góp vào ngân sách nhà nước từ nguồn thu phí duy trì hệ "
        "thống kiểm tra trạng thái chứng thư số, số phí thu được lũy kế từ đầu năm của Trung tâm Chứng thực điện tử "
        "quốc gia đạt 25.306.218.000 đồng; lũy kế số nộp ngân sách nhà nước từ đầu năm 2023 đến hết quý II đạt "
        "3.797.821.650 đồng.\n")
    assert (fee.indicator_code, budget.indicator_code) == ("INFOSEC_NEAC_FEE_REVENUE", "INFOSEC_NEAC_STATE_BUDGET")
    assert any("chọn INFOSEC_NEAC_FEE_REVENUE" in flag for flag in fee.flags)


def test_ranks_each_with_its_scope():
    found = _one(TELECOM + "- Tỷ lệ sử dụng IPv6 trên mạng Internet Việt Nam đạt 57,6%. Việt Nam đứng thứ 2 ASEAN, "
                 "thứ 10 toàn cầu, thứ 3 Châu Á.\n")
    ranks = {s.value: s.indicator_code for s in found if s.unit_text == "thứ hạng"}
    assert ranks == {Decimal("2"): None, Decimal("10"): "TELECOM_IPV6_RANK", Decimal("3"): None}


# --- tables: periods named by the header, growth in points, rows that are parts ---------------------

def _table(caption: str, header: list[str], rows: list[list[str]], heading: str = "") -> str:
    lines = [caption, "", "\t".join(header)] + ["\t".join(row) for row in rows]
    return TITLE.replace("2023", "2022") + heading + "\n".join(lines) + "\n"


def test_year_column_next_to_a_whole_year_forecast_is_the_report_period():
    text = _table("Doanh thu dịch vụ Truyền hình trả tiền OTTTV (Đơn vị tính: Tỷ đồng)",
                  ["Nội dung", "2021", "2022", "Dự kiến cả năm", "Tăng trưởng"],
                  [["Trong nước", "634", "370", "740", "Tăng 16 %"]], "7. Lĩnh vực Phát thanh, truyền hình\n\n")
    found = {s.period_code: s for s in _one(text)}
    assert (found["2022S1"].value, found["2022S1"].change) == (Decimal("370"), None)
    year = found["2022"]
    assert (year.value, year.estimate, year.previous_value, year.change, year.change_base_period) == (
        Decimal("740"), True, Decimal("634"), Decimal("16"), "2021")


def test_growth_of_a_rate_in_points():
    text = _table("Số liệu tổng quan", ["Stt", "Chỉ tiêu", "6 tháng đầu năm 2022", "Năm 2021", "Tăng trưởng"],
                  [["1", "Tỷ lệ doanh thu dịch vụ/tổng doanh thu (%)", "56,8%", "40,7%", "16,1%"],
                   ["2", "Tấn công mạng (cuộc)", "6.641", "4.815", "37,9%"]], "5. Lĩnh vực An toàn thông tin mạng\n\n")
    rate, attacks = _one(text)
    assert (rate.change, rate.change_kind) == (Decimal("16.1"), "points")
    assert (attacks.change, attacks.change_kind) == (Decimal("37.9"), "percent")


def test_rows_named_only_by_the_caption_are_parts():
    text = _table("Doanh thu dịch vụ Truyền hình trả tiền OTTTV (Đơn vị tính: Tỷ đồng)", ["Nội dung", "2022"],
                  [["Trong nước", "370"], ["Nước ngoài XBG vào Việt Nam", "2.610"]],
                  "7. Lĩnh vực Phát thanh, truyền hình\n\n")
    found = _one(text)
    assert len(found) == 2 and all(any("thành phần" in flag for flag in s.flags) for s in found)


# --- parts in sentences --------------------------------------------------------------------------

DECON = TITLE.replace("2023", "2022") + "6. Lĩnh vực Kinh tế số\n\n"


def test_lines_listed_after_trong_do_co_are_parts():
    found = _one(DECON + "- 35/35 nền tảng số quốc gia đã được đưa vào sử dụng. Bộ TT&TT đã công bố 50 nền tảng số, "
                 "trong đó có:\n\n- + Đã công bố 18 nền tảng số phổ biến phục vụ chính quyền số;\n"
                 "- + Đã công bố 16 nền tảng số phổ biến phục vụ người dân.\n")
    published = [s for s in found if s.indicator_code == "DECON_PUBLISHED_DIGITAL_PLATFORMS"]
    assert [(s.value, any("thành phần" in f for f in s.flags)) for s in published] == [
        (Decimal("50"), False), (Decimal("18"), True), (Decimal("16"), True)]


def test_a_parenthesised_list_and_a_sub_list_give_parts():
    found = _one(TITLE + "11. Lĩnh vực Phát thanh, truyền hình, thông tin điện tử\n\n- Từ ngày 01/7/2023 đến ngày "
                 "24/7/2023:\n\n+ Facebook đã chặn, gỡ bỏ 224 bài viết sai sự thật (tỷ lệ 90%).\n\n"
                 "+ Google đã gỡ 1.052 videos vi phạm trên Youtube (tỷ lệ 91%).\n")
    rates = [s for s in found if s.indicator_code == "BROADCAST_TAKEDOWN_RATE"]
    assert len(rates) == 2 and all(any("thành phần" in f for f in s.flags) for s in rates)


def test_fractions_of_different_wholes_are_parts():
    found = _one(TITLE + "3. Lĩnh vực Chuyển đổi số\n\n- 22/22 bộ, cơ quan ngang bộ đã ban hành chương trình/kế "
                 "hoạch/đề án chuyển đổi số giai đoạn 5 năm;\n\n- 60/63 tỉnh, thành phố trực thuộc Trung ương đã ban "
                 "hành chương trình/kế hoạch/đề án chuyển đổi số giai đoạn 5 năm.\n")
    plans = [s for s in found if s.indicator_code == "DX_5YEAR_PLAN_UNITS"]
    assert len(plans) == 2 and all(any("thành phần" in f for f in s.flags) for s in plans)


def test_seed_findings_come_from_the_reports_not_from_misreadings():
    """What the checks report on the seeds are their own disagreements: no count of something else
    ("04 tỉnh", "09 cơ quan báo chí"), no part taken for the total, no growth paired with the wrong column."""
    from solieu.factcheck.checks import check_all

    names = ("000_d64712951b28f459.txt", "001_c1f38d621d9f314f.txt", "002_4df084ab26acfca6.txt")
    findings = check_all([s for name in names for s in statements_of(name)])
    places = {f"{s.document[:3]}:{s.line}" for f in findings for s in f.statements}
    misread = {"002:234", "002:239", "002:336", "002:337", "002:338", "002:428", "002:430", "002:431", "002:432",
               "002:509", "002:581", "002:592", "002:616", "002:652", "002:803", "001:119", "001:121"}
    assert not places & misread
    assert [f.kind for f in findings if f.kind == "conflict"] == []
    ott = [f for f in findings if f.statements[0].indicator_code == "BROADCAST_OTT_TV_REVENUE"]
    assert [f.message for f in ott] == ["740 so với 634 là tăng 16,72%, văn bản ghi tăng 16%."]
