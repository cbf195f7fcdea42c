"""The figures of the dashboard ("Bảng điều khiển số liệu"), assembled for a period and a scope.

Pure functions over the analytics layer: nothing is cached between requests, so an approval
shows on the next page load. The choice of indicators comes from the report layout
(`reports/wording/layout.yaml`): nationally, the first figure of each sector is its key
figure, `chart:` its trend and `ranking:` its province ranking; for a province, the
indicators of the Sở's monthly form (BC-SO-THANG), by sector.

Every figure carries the link to its breakdown page (reports:figure), with the same query
parameters as the report builder, so that the dashboard and the report trace to the same
data values.
"""

from dataclasses import dataclass, field
from decimal import Decimal


from solieu.analytics.compare import compare
from solieu.analytics.scope import Scope, ranking
from solieu.catalog.models import Form, Indicator, Sector
from solieu.catalog.periods import PeriodId, PeriodType
from solieu.reports.assemble import (
    Builder, ReportRequest, breakdown_url, decimals_of, figure_period, layout, number_text, percent_text,
    unit_suffix,
)

MAX_CHARTS = 4
MONTH_CATEGORY = "T"      # Builder.trend_chart names months "T1".."T12", quarters "Quý I".."Quý IV"
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


# --- links ------------------------------------------------------------------------------

def figure_link(code: str, pid: PeriodId, scope: Scope, include_submitted=False, kind="value") -> str:
    """The breakdown page of a figure, as the report links it."""
    return breakdown_url(ReportRequest(pid, scope, include_submitted=include_submitted), code, pid.code, kind)


# --- periods ----------------------------------------------------------------------------

def period_caption(pid: PeriodId) -> str:
    """"6 tháng đầu năm 2026"; a cumulative range from 1 January to a month's end reads
    "10 tháng năm 2026" as in the ministry's reports."""
    if pid.type == PeriodType.RANGE:
        start, end = pid.start_date, pid.end_date
        month_end = PeriodId.month(end.year, end.month).end_date
        if start.month == 1 and start.day == 1 and end == month_end:
            return f"{end.month} tháng năm {end.year}"
        return pid.label_title().replace("Từ ngày 01/01", "Từ đầu năm đến")
    return pid.label_title()


BOUNDARY_CHOICES = [("current", "Theo địa giới hiện nay"), ("reported", "Theo số liệu đã báo cáo")]

# --- key figure cards -------------------------------------------------------------------

@dataclass
class Card:
    sector: str
    indicator: Indicator
    period: PeriodId
    period_label: str
    link: str = ""
    value_text: str = ""          # "" when there is no figure
    unit: str = ""
    estimate: bool = False
    provisional: bool = False
    change_text: str = ""         # "▲ 5,48%", "▼ 1,2 điểm %", "= 0%"
    change_class: str = ""        # "good" | "bad" | "flat"
    change_title: str = ""        # "so với 6 tháng đầu năm 2025"
    change_link: str = ""
    plan_text: str = ""           # "43,78% KH năm"
    plan_link: str = ""

    @property
    def has_value(self):
        return bool(self.value_text)


def change_class(change: Decimal, indicator: Indicator, text: str) -> str:
    """"good" (green) or "bad" (red) by the indicator's `increase_is_good`; "flat" (grey) for
    no change and for indicators where neither direction is better (population, incidents)."""
    if text == "0" or indicator.increase_is_good is None:
        return "flat"
    return "good" if (change > 0) == indicator.increase_is_good else "bad"


def make_card(indicator: Indicator, sector_name: str, pid: PeriodId, scope: Scope, include_submitted=False) -> Card:
    fpid = figure_period(indicator, pid)
    c = compare(indicator, fpid, scope, include_submitted=include_submitted)
    card = Card(sector=sector_name, indicator=indicator, period=fpid, period_label=period_caption(fpid),
                unit=indicator.unit)
    link = lambda kind: figure_link(indicator.code, fpid, scope, include_submitted, kind)  # noqa: E731
    current = c.current
    if current.value is None:
        return card
    card.value_text = number_text(current.value, decimals_of(indicator))
    card.unit = unit_suffix(indicator.unit)   # " tỷ đồng", or "%" written right after the number
    card.estimate, card.provisional = current.estimate, current.provisional
    card.link = link("value")
    if c.yoy is not None:
        text = percent_text(c.yoy)
        arrow = "=" if text == "0" else ("▲" if c.yoy > 0 else "▼")
        card.change_text = f"{arrow} {text}{' điểm %' if c.rate else '%'}"
        card.change_class = change_class(c.yoy, indicator, text)
        card.change_title = f"so với cùng kỳ năm {fpid.year - 1}"
        card.change_link = link("change_pp" if c.rate else "change_pct")
        card.provisional = card.provisional or c.last_year.provisional
    if c.plan_share is not None:
        card.plan_text = f"{percent_text(c.plan_share)}% KH năm"
        card.plan_link = link("plan_share")
    return card


def _indicators(codes):
    found = Indicator.objects.filter(code__in=codes).select_related("numerator", "denominator", "sector")
    by_code = {i.code: i for i in found}
    return [by_code[c] for c in codes if c in by_code]


def _code(item):
    return item["code"] if isinstance(item, dict) else item


def national_key_indicators() -> list[tuple[str, Indicator]]:
    """(sector name, key indicator): the first figure of each sector of the layout."""
    entries = [e for e in layout()["sectors"] if e.get("figures")]
    sectors = {s.code: s.name for s in Sector.objects.filter(code__in=[e["sector"] for e in entries])}
    indicators = {i.code: i for i in _indicators([_code(e["figures"][0]) for e in entries])}
    result = []
    for e in entries:
        indicator = indicators.get(_code(e["figures"][0]))
        if indicator is not None:
            result.append((sectors.get(e["sector"], indicator.sector.name), indicator))
    return result


def province_form() -> Form | None:
    return Form.objects.filter(code=layout()["province"]["form"]).order_by("-version").first()


def province_indicators() -> list[tuple[str, Indicator]]:
    """The indicators of the Sở's monthly form, by sector (in the ministry's order) then row."""
    form = province_form()
    if form is None:
        return []
    rows = (form.rows.filter(indicator__isnull=False)
            .select_related("indicator__sector", "indicator__numerator", "indicator__denominator")
            .order_by("indicator__sector__sort_order", "sort_order"))
    seen, result = set(), []
    for row in rows:
        if row.indicator_id not in seen:
            seen.add(row.indicator_id)
            result.append((row.indicator.sector.name, row.indicator))
    return result


def key_cards(pid: PeriodId, scope: Scope, include_submitted=False) -> list[Card]:
    pairs = national_key_indicators() if scope.is_national else province_indicators()
    return [make_card(ind, sector, pid, scope, include_submitted) for sector, ind in pairs]


# --- charts -----------------------------------------------------------------------------

def _number(value) -> float | None:
    """For the chart only (the exact figures are in the cards and tables)."""
    return None if value is None else round(float(value), 6)


def chart_candidates(scope: Scope) -> list[str]:
    """Nationally the `chart:` indicators of the layout; for a province, its ranking
    indicators and the ratios of its monthly form (the layout's charts are reported by
    enterprises, not by provinces)."""
    entries = layout()["sectors"]
    if scope.is_national:
        return [e["chart"] for e in entries if e.get("chart")]
    codes = [e["ranking"] for e in entries if e.get("ranking")]
    codes += [i.code for _, i in province_indicators() if i.is_ratio]
    form_codes = {i.code for _, i in province_indicators()}
    return [c for n, c in enumerate(codes) if c in form_codes and c not in codes[:n]]


def trend_charts(pid: PeriodId, scope: Scope, include_submitted=False) -> list[dict]:
    """This year against last year, by month (by quarter when nothing is monthly), as the
    data ECharts draws: {key, title, subtitle, kind, categories, series, unit, decimals, links}."""
    builder = Builder(ReportRequest(pid, scope, include_submitted=include_submitted))
    charts = []
    for code in chart_candidates(scope):
        if len(charts) >= MAX_CHARTS:
            break
        chart = builder.trend_chart(code)
        if chart is None:
            continue
        indicator = Indicator.objects.get(code=code)
        monthly = chart.categories and chart.categories[0].startswith(MONTH_CATEGORY)
        years = (pid.year - 1, pid.year)
        links = []
        for year in years:
            row = []
            for cat in chart.categories:
                point = (PeriodId.month(year, int(cat[1:])) if monthly
                         else PeriodId.quarter(year, ROMAN[cat.split()[-1]]))
                row.append(figure_link(code, point, scope, include_submitted))
            links.append(row)
        charts.append({
            "key": f"trend-{len(charts) + 1}",
            "title": indicator.name,
            "subtitle": (f"{'Theo tháng' if monthly else 'Theo quý'}, năm {pid.year} so với năm {pid.year - 1}"
                         + (f" ({indicator.unit})" if indicator.unit else "")),
            "kind": chart.kind,
            "categories": chart.categories,
            "series": [{"name": s.name, "values": [_number(v) for v in s.values]} for s in chart.series],
            "unit": indicator.unit,
            "decimals": decimals_of(indicator),
            "links": links,
        })
    return charts


# --- province ranking -------------------------------------------------------------------

def ranking_choices() -> list[tuple[str, str]]:
    """The layout's ranking indicators, then the ratios of the Sở's monthly form."""
    codes = [e["ranking"] for e in layout()["sectors"] if e.get("ranking")]
    codes += [i.code for _, i in province_indicators() if i.is_ratio]
    unique = [c for n, c in enumerate(codes) if c not in codes[:n]]
    return [(i.code, i.name) for i in _indicators(unique)]


@dataclass
class Ranking:
    indicator: Indicator
    period: PeriodId
    period_label: str
    rows: list[dict] = field(default_factory=list)    # {rank, province, text, link}
    chart: dict | None = None


def province_ranking(code: str, pid: PeriodId, scope: Scope, include_submitted=False) -> Ranking | None:
    indicator = _indicators([code])
    if not indicator or not scope.is_national:
        return None
    indicator = indicator[0]
    fpid = figure_period(indicator, pid)
    ranked = ranking(indicator, fpid, boundaries=scope.boundaries, include_submitted=include_submitted)
    result = Ranking(indicator, fpid, period_caption(fpid))
    if not ranked:
        return result
    dec = decimals_of(indicator)
    for rank, province, value in ranked:
        result.rows.append({
            "rank": rank, "province": province.name, "text": number_text(value, dec),
            "link": figure_link(code, fpid, Scope(province, scope.boundaries), include_submitted),
        })
    result.chart = {
        "key": "ranking",
        "title": indicator.name,
        "subtitle": f"{result.period_label}" + (f" ({indicator.unit})" if indicator.unit else ""),
        "kind": "barh",
        "categories": [r["province"] for r in result.rows],
        "series": [{"name": indicator.name, "values": [_number(v) for _, _, v in ranked]}],
        "unit": indicator.unit,
        "decimals": dec,
        "links": [[r["link"] for r in result.rows]],
    }
    return result


# --- the page ---------------------------------------------------------------------------

@dataclass
class Dashboard:
    pid: PeriodId
    scope: Scope
    include_submitted: bool
    cards: list[Card]
    charts: list[dict]
    ranking: Ranking | None

    @property
    def any_provisional(self):
        return any(c.provisional for c in self.cards)

    @property
    def any_value(self):
        return any(c.has_value for c in self.cards)

    @property
    def short_period(self):
        """A month or a quarter: national figures often come by quarter or half-year only."""
        return self.pid.type in (PeriodType.MONTH, PeriodType.QUARTER)

    @property
    def chart_data(self) -> dict:
        """Everything ECharts draws, by container key (for json_script)."""
        data = {c["key"]: c for c in self.charts}
        if self.ranking and self.ranking.chart:
            data["ranking"] = self.ranking.chart
        return data


def build_dashboard(pid: PeriodId, scope: Scope, include_submitted=False, rank_code: str | None = None) -> Dashboard:
    cards = key_cards(pid, scope, include_submitted)
    charts = trend_charts(pid, scope, include_submitted)
    rank = None
    if scope.is_national:
        choices = [c for c, _ in ranking_choices()]
        if choices:
            code = rank_code if rank_code in choices else choices[0]
            rank = province_ranking(code, pid, scope, include_submitted)
    return Dashboard(pid, scope, include_submitted, cards, charts, rank)
