"""A small hand-built report, for renderer tests that need no database."""

from datetime import date
from decimal import Decimal

from .document import Cell, Chart, Figure, Paragraph, Report, Run, Section, Series, Signer, Table


def _fig(key, text, value, unit, kind, label):
    return Figure(key=key, label=label, value=Decimal(value), text=text, unit=unit, kind=kind,
                  indicator_code="POSTAL_REVENUE", period_code="2023S1", scope="Toàn quốc",
                  derivation=f"{label}: {text}", value_ids=[1, 2], estimate=True,
                  link="/bao-cao/so-lieu/?i=POSTAL_REVENUE&p=2023S1")


def sample_report() -> Report:
    f1 = _fig("F1", "27.477", "27477", "tỷ đồng", "value", "Doanh thu dịch vụ bưu chính")
    f2 = _fig("F2", "5,48", "5.4805", "%", "change_pct", "Tăng trưởng so với cùng kỳ")
    f3 = _fig("F3", "43,78", "43.7806", "%", "plan_share", "Tỷ lệ so với kế hoạch năm")
    f4 = _fig("F4", "26.049", "26049", "tỷ đồng", "previous", "Cùng kỳ năm 2022")
    f5 = _fig("F5", "62.760", "62760", "tỷ đồng", "plan", "Kế hoạch năm 2023")
    sentence = Paragraph([
        Run("Doanh thu dịch vụ bưu chính ước đạt "), Run(f1.text, f1), Run(" tỷ đồng, tăng "),
        Run(f2.text, f2), Run("% so với cùng kỳ năm 2022 và đạt "), Run(f3.text, f3),
        Run("% kế hoạch năm 2023."),
    ], style="bullet")
    table = Table(
        columns=["STT", "Chỉ tiêu", "6 tháng đầu năm 2023", "Năm 2022", "Tăng trưởng", "Kế hoạch năm 2023",
                 "Tỷ lệ so với KH năm"],
        header_rows=[[("STT", 1), ("Nhóm chỉ tiêu, tên chỉ tiêu", 1), ("6 tháng đầu năm 2023", 1),
                      ("So sánh cùng kỳ", 2), ("So sánh với kế hoạch năm", 2)]],
        rows=[[Cell([Run("1")], "center"), Cell([Run("Doanh thu dịch vụ bưu chính (tỷ đồng)")]),
               Cell([Run(f1.text, f1)], "right"), Cell([Run(f4.text, f4)], "right"),
               Cell([Run(f2.text + "%", f2)], "right"), Cell([Run(f5.text, f5)], "right"),
               Cell([Run(f3.text + "%", f3)], "right")]],
        widths=[0.6, 4, 1.6, 1.6, 1.3, 1.6, 1.3],
    )
    chart = Chart(title="Doanh thu dịch vụ bưu chính theo tháng (tỷ đồng)", kind="line",
                  categories=[f"T{m}" for m in range(1, 7)],
                  series=[Series("Năm 2022", [Decimal(v) for v in (4100, 4200, 4350, 4300, 4500, 4600)]),
                          Series("Năm 2023", [Decimal(v) for v in (4400, 4450, 4600, 4550, 4700, 4777)])],
                  unit="tỷ đồng", key="C1")
    body = [
        Section("I. SỐ LIỆU TỔNG QUAN NGÀNH", 1, [table]),
        Section("II. KẾT QUẢ THEO LĨNH VỰC", 1, [
            Section("1. Lĩnh vực Bưu chính", 2, [
                Section("1.1. Sự phát triển của lĩnh vực", 3, [sentence, chart]),
                Section("1.2. Khó khăn, vướng mắc và giải pháp", 3, [
                    Paragraph([Run("Doanh nghiệp bưu chính Việt Nam gặp khó khăn khi cạnh tranh.")], "bullet")]),
            ]),
        ]),
        Section("III. TÌNH HÌNH THỰC HIỆN CHẾ ĐỘ BÁO CÁO", 1, [
            Paragraph([Run("32/34 Sở đã gửi báo cáo, trong đó 30 Sở gửi đúng hạn.")])]),
    ]
    return Report(
        issuing_parent="", issuing_body="BỘ KHOA HỌC VÀ CÔNG NGHỆ", number_symbol="Số:        /BC-BKHCN",
        place="Hà Nội", issued_on=date(2023, 6, 30), doc_type="BÁO CÁO",
        title="Kết quả hoạt động 6 tháng đầu năm 2023, phương hướng, nhiệm vụ 6 tháng cuối năm 2023",
        sections=body, recipients=["Thủ tướng Chính phủ (để b/c);", "Bộ trưởng (để b/c);", "Lưu: VT, KHTC."],
        signer=Signer("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Văn A"), report_type="six_months",
        period_code="2023S1", scope_label="Toàn quốc", draft=True,
        figures=[f1, f2, f3, f4, f5], charts=[chart],
    )
