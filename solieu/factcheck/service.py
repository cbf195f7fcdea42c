"""Storing read documents, and turning confirmed statements into history.

History goes to the ministry itself as the reporting unit (the Bộ that existed at the end of
the period), through the one write path of the project, so each value is audited with its
document and line. A figure the system already has from approved reports is never replaced:
the statement is skipped and says why.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from solieu.analytics.aggregate import national
from solieu.catalog.models import DisaggregationOption, Indicator, Period, ReportingUnit
from solieu.catalog.periods import PeriodError, PeriodId
from solieu.collection.models import Channel, DataValue, ValueStatus
from solieu.collection.values import Key, save_value

from .extract import extract
from .models import ExtractedStatement, SourceDocument
from .read import read_document


@transaction.atomic
def store_document(name: str, data: bytes, user=None) -> tuple[SourceDocument, bool]:
    """Read and extract a document; (document, created). The same bytes again give the stored one."""
    digest = hashlib.sha256(data).hexdigest()
    existing = SourceDocument.objects.filter(sha256=digest).first()
    if existing:
        return existing, False
    document = read_document(name, data)
    statements = extract(document)
    stored = SourceDocument.objects.create(name=name, sha256=digest, size=len(data), lines=list(document.lines),
                                           uploaded_by=user)
    codes = {s.indicator_code for s in statements if s.indicator_code}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    ExtractedStatement.objects.bulk_create(
        [ExtractedStatement.from_statement(stored, s, indicators) for s in statements])
    periods = [s.period_code for s in statements if s.period_code]
    if periods:
        stored.period_code = max(set(periods), key=periods.count)
        stored.save(update_fields=["period_code"])
    return stored, True


def ministry_on(day):
    return ReportingUnit.objects.filter(kind=ReportingUnit.Kind.MINISTRY).valid_on(day).order_by("code").first()


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)      # (statement, Vietnamese reason)


def _refusal(st, pid, indicator):
    if indicator is None or st.value is None or pid is None:
        return "thiếu chỉ tiêu, giá trị hoặc kỳ"
    if indicator.is_ratio:
        return "chỉ tiêu tỷ lệ được tính lại từ tử số và mẫu số; hãy nhập tử số và mẫu số"
    existing = national(indicator, pid)
    if existing.value is not None:
        return f"hệ thống đã có số liệu đã phê duyệt của kỳ này ({existing.value.normalize():f}); không ghi đè"
    return None


@transaction.atomic
def import_confirmed(document: SourceDocument, user) -> ImportResult:
    """Confirmed statements of the document become history values, all or nothing."""
    result = ImportResult()
    total = DisaggregationOption.total()
    for st in document.statements.filter(review=ExtractedStatement.Review.CONFIRMED).select_related("indicator"):
        try:
            pid = PeriodId.parse(st.period_code) if st.period_code else None
        except PeriodError:
            pid = None
        reason = _refusal(st, pid, st.indicator)
        unit = ministry_on(pid.end_date) if pid else None
        if reason is None and unit is None:
            reason = "không có đơn vị Bộ nào tồn tại vào cuối kỳ"
        if reason is None:
            key = Key(st.indicator, total, unit, Period.objects.for_id(pid))
            current = DataValue.objects.current().filter(indicator=st.indicator, option=total, unit=unit,
                                                         period__code=pid.code).first()
            if current is not None and current.value != st.value:
                reason = f"đã có số liệu lịch sử khác ({current.value.normalize():f}) từ {current.source or 'nguồn khác'}"
        if reason:
            result.skipped.append((st, reason))
            continue
        dv, _ = save_value(key, st.value, user=user, channel=Channel.HISTORY,
                           status=ValueStatus.ESTIMATE if st.estimate else ValueStatus.OFFICIAL,
                           source=f"{document.name}:{st.line}")
        st.data_value, st.review, st.reviewed_by, st.reviewed_at = (dv, ExtractedStatement.Review.IMPORTED, user,
                                                                     timezone.now())
        st.save(update_fields=["data_value", "review", "reviewed_by", "reviewed_at"])
        result.created.append(st)
    return result
