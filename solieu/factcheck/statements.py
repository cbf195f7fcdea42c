"""A figure statement read from a report: what the extractor produces and the checks consume.

One statement per figure of a sentence ("Doanh thu dịch vụ bưu chính ước đạt 27.477 tỷ đồng,
tăng 5,48% so với cùng kỳ năm 2022 và đạt 43,78% kế hoạch năm 2023.") or per row of a table.
Values are in the indicator's own unit once `scale` is applied (27.477 tỷ đồng of an indicator
counted in tỷ đồng: scale 1; "1,098 tỷ bưu gửi" of one counted in triệu bưu gửi: scale 1000).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Statement:
    document: str                       # file name as uploaded
    line: int                           # 1-based line of the quote in the document's text
    quote: str                          # the sentence or table row, as written
    kind: str = "sentence"              # "sentence" | "table"
    indicator_code: str | None = None   # catalog code, None when no indicator matched
    indicator_text: str = ""            # the words that named it
    match_score: float = 0.0            # 0..1, how sure the name match is
    value: Decimal | None = None        # in the indicator's unit (scale applied)
    value_text: str = ""                # as written: "27.477", "135. 329"
    unit_text: str = ""                 # as written: "tỷ đồng", "triệu thuê bao", "%"
    period_code: str | None = None      # "2023S1", "202307", "20230101_20230618", "2023"
    estimate: bool = False              # "ước đạt", "ước khoảng", "ước tính"
    change: Decimal | None = None       # signed: "giảm 8,66%" -> -8.66
    change_kind: str = ""               # "percent" | "points" | "ratio" ("bằng 95% so với cùng kỳ")
    change_base_period: str | None = None   # period the change is against (same period last year...)
    previous_value: Decimal | None = None   # "(582.432 bưu gửi)", or the base column of a table
    plan_share: Decimal | None = None   # "đạt 43,78% kế hoạch năm 2023"
    plan_value: Decimal | None = None   # "(kế hoạch năm 2023 là 76%)", or the plan column
    part: int | None = None             # "80/85 bộ, ngành": 80
    whole: int | None = None            # 85
    flags: list[str] = field(default_factory=list)   # Vietnamese notes: ambiguous number, unknown unit...
    share: Decimal | None = None        # "80/85 (94%)": 94, the percent stated next to part/whole

    @property
    def location(self) -> str:
        return f"{self.document}:{self.line}"
