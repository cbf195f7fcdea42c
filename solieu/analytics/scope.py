"""Where a figure is about: the nation, or one province seen within today's boundaries or as
it was reported at the time.

The 63 provinces became 34 on 1 July 2025. For a province formed then, "the same period of
2024" within current boundaries is the sum of the provinces it was formed from; "as
reported" it has no 2024 figure at all, because it did not exist. Both views are offered
because both questions are asked: how is this territory doing, and what did each reporting
unit actually say.
"""

from dataclasses import dataclass
from decimal import Decimal

from solieu.catalog.models import Province, ReportingUnit

from .aggregate import Result, aggregate, aggregate_bulk, aggregate_many, national_bulk, national_many

CURRENT = "current"
REPORTED = "reported"
BOUNDARY_LABELS = {CURRENT: "Theo địa giới hiện nay", REPORTED: "Theo số liệu đã báo cáo (địa giới tại thời điểm báo cáo)"}
PROVINCIAL = ReportingUnit.Kind.PROVINCIAL_DEPARTMENT


def lineage(province: Province) -> list[Province]:
    """The province and every province it was formed from, back to the earliest."""
    found = [province]
    for predecessor in province.former_provinces():
        found.extend(p for p in lineage(predecessor) if p not in found)
    return found


def current_successor(province: Province, cache=None) -> Province:
    """The province of today that took over `province`'s territory (itself if it still exists)."""
    if cache is not None and province.pk in cache:
        return cache[province.pk]
    result = province
    seen = set()
    while result.valid_to is not None and result.pk not in seen:
        seen.add(result.pk)
        link = result.successor_links.select_related("successor").order_by("effective").last()
        if link is None:
            break
        result = link.successor
    if cache is not None:
        cache[province.pk] = result
    return result


@dataclass(frozen=True)
class Scope:
    province: Province | None = None
    boundaries: str = CURRENT

    @property
    def is_national(self):
        return self.province is None

    @property
    def label(self):
        return "Toàn quốc" if self.province is None else self.province.name

    @property
    def code(self):
        return "VN" if self.province is None else f"{self.province.code}@{self.province.valid_from or ''}"

    def unit_ids(self):
        if self.province is None:
            return None
        provinces = lineage(self.province) if self.boundaries == CURRENT else [self.province]
        return list(ReportingUnit.objects.filter(kind=PROVINCIAL, province__in=provinces).values_list("id", flat=True))

    def value(self, indicator, pid, *, include_submitted=False) -> Result:
        return self.values(indicator, [pid], include_submitted=include_submitted)[pid.code]

    def values(self, indicator, pids, *, include_submitted=False) -> dict[str, Result]:
        """Several periods at once: a trend, or this year beside last year."""
        if self.province is None:
            return national_many(indicator, pids, include_submitted=include_submitted)
        return aggregate_many(indicator, pids, self.unit_ids(), include_submitted=include_submitted)

    def values_bulk(self, indicators, pids, *, include_submitted=False) -> dict[int, dict[str, Result]]:
        """`values` for many indicators from one query, keyed by indicator id."""
        if self.province is None:
            return national_bulk(indicators, pids, include_submitted=include_submitted)
        return aggregate_bulk(indicators, pids, self.unit_ids(), include_submitted=include_submitted)

    @classmethod
    def parse(cls, code: str, boundaries: str = CURRENT) -> "Scope":
        """'VN' or '<province code>@<valid_from or empty>' as produced by `code`."""
        if not code or code == "VN":
            return cls(None, boundaries)
        pcode, _, since = code.partition("@")
        qs = Province.objects.filter(code=pcode)
        qs = qs.filter(valid_from=since) if since else qs.filter(valid_from__isnull=True)
        return cls(qs.get(), boundaries)


def by_province(indicator, pid, *, boundaries=CURRENT, include_submitted=False) -> dict[Province, Decimal]:
    """The indicator for every province, from two queries at most.

    Within current boundaries the units of former provinces count for today's province; as
    reported, each province stands as it was. Ratios are recomputed per province from the
    consolidated numerator and denominator.
    """
    units = {u.pk: u.province for u in ReportingUnit.objects.filter(kind=PROVINCIAL).select_related("province")}
    cache = {}

    def province_of(unit_id):
        p = units[unit_id]
        return current_successor(p, cache) if boundaries == CURRENT else p

    def grouped(ind):
        result = aggregate(ind, pid, list(units), include_submitted=include_submitted)
        sums, counts = {}, {}
        for unit_id, v in result.parts.items():
            p = province_of(unit_id)
            sums[p] = sums.get(p, Decimal(0)) + v
            counts[p] = counts.get(p, 0) + 1
        return sums, counts

    if indicator.is_ratio:
        num, _ = grouped(indicator.numerator)
        den, _ = grouped(indicator.denominator)
        return {p: indicator.factor * num[p] / den[p] for p in num if den.get(p)}
    sums, counts = grouped(indicator)
    if indicator.aggregation == indicator.Aggregation.AVERAGE:
        return {p: v / counts[p] for p, v in sums.items()}
    if indicator.aggregation == indicator.Aggregation.NONE:
        return {p: v for p, v in sums.items() if counts[p] == 1}
    return sums


def ranking(indicator, pid, **kwargs) -> list[tuple[int, Province, Decimal]]:
    """Provinces from the highest value down (lowest first when a decrease is good), with ranks;
    equal values share a rank."""
    values = by_province(indicator, pid, **kwargs)
    descending = indicator.increase_is_good is not False
    ordered = sorted(values.items(), key=lambda kv: (-kv[1] if descending else kv[1], kv[0].name))
    result, rank, previous = [], 0, None
    for i, (province, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = i, value
        result.append((rank, province, value))
    return result
