"""Assembly of the narrative report: the period's figures, compared and put into words.

The structure follows the ministry's own reports (shared/seeds/000 and 002): overview figures
and table, then per sector the development figures as sentences, charts, and the prose that
staff write in the application, then how reporting went. The words come from
`wording/vi.yaml` and the choice and order of indicators from `wording/layout.yaml`, so the
ministry can change both without touching code.

Every number printed is a `Figure` made here, with its exact value, its derivation and the
ids of the data values behind it.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import yaml
from django.utils import timezone

from solieu.analytics import completeness
from solieu.analytics.compare import compare, compare_many, reporting_count
from solieu.analytics.scope import Scope, by_province
from solieu.catalog.models import Form, Indicator, ReportingUnit, Sector
from solieu.catalog.periods import PeriodId, PeriodType
from solieu.vi.dates import format_date
from solieu.vi.numbers import format_number

from .document import Cell, Chart, Figure, Paragraph, Report, Run, Section, Series, Signer, Table
from .models import Narrative

WORDING_DIR = Path(__file__).parent / "wording"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
CENT = Decimal("0.01")


def _read(name):
    path = WORDING_DIR / name
    return _read_cached(path, path.stat().st_mtime)


@lru_cache(maxsize=8)
def _read_cached(path, mtime):
    return yaml.safe_load(path.read_text("utf-8"))


def wording():
    """The phrases (re-read when the file changes, so an edit shows in the next report)."""
    return _read("vi.yaml")


def layout():
    return _read("layout.yaml")


@dataclass
class ReportRequest:
    pid: PeriodId
    scope: Scope = field(default_factory=Scope)
    sector: Sector | None = None
    include_submitted: bool = False
    issued_on: date | None = None
    draft: bool = True

    def params(self) -> dict:
        params = {"period": self.pid.code, "scope": self.scope.code, "boundaries": self.scope.boundaries}
        if self.sector:
            params["sector"] = self.sector.code
        if self.include_submitted:
            params["submitted"] = "1"
        return params


# --- numbers as printed -------------------------------------------------------------------

def number_text(value: Decimal, decimals: int) -> str:
    return format_number(value, decimals)


def percent_text(value: Decimal) -> str:
    """Growth and shares: two decimals at most, trailing zeros dropped (5,48; 20; 8,8)."""
    return format_number(abs(value).quantize(CENT, rounding=ROUND_HALF_UP))


def exact(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    if value != value.to_integral_value():
        value = value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    return format_number(value)


def unit_suffix(unit: str) -> str:
    unit = (unit or "").strip()
    return unit if unit in ("%", "") else " " + unit


def decimals_of(indicator) -> int:
    if indicator.is_ratio or indicator.value_type == Indicator.ValueType.PERCENT:
        return max(indicator.decimals, 2)
    return indicator.decimals


def fill(template: str, values: dict) -> list[Run]:
    """A template with {placeholders} -> runs; a Figure fills in as a figure run."""
    runs = []
    for part in re.split(r"(\{\w+\})", template):
        if not part:
            continue
        name = part[1:-1] if part.startswith("{") and part.endswith("}") else None
        if name is None or name not in values:
            runs.append(Run(part))
            continue
        value = values[name]
        if isinstance(value, Figure):
            runs.append(Run(value.text, value))
        elif isinstance(value, list):
            runs.extend(value)
        else:
            runs.append(Run(str(value)))
    merged = []
    for run in runs:
        if merged and run.figure is None and merged[-1].figure is None:
            merged[-1] = Run(merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


def _lower_first(runs):
    if runs and runs[0].figure is None and runs[0].text:
        runs[0] = Run(runs[0].text[0].lower() + runs[0].text[1:])
    return runs


def figure_period(indicator, pid: PeriodId) -> PeriodId:
    """Flows are reported since the start of the year; stocks at the period's end."""
    if indicator.time_aggregation == Indicator.TimeAggregation.FLOW:
        return pid.year_to_date()
    return pid


def next_label(pid: PeriodId) -> str:
    if pid.type == PeriodType.SIX_MONTHS and pid.index == 1:
        return f"6 tháng cuối năm {pid.year}"
    if pid.type in (PeriodType.SIX_MONTHS, PeriodType.YEAR, PeriodType.NINE_MONTHS):
        return f"năm {pid.year + 1}" if pid.type != PeriodType.NINE_MONTHS else f"quý IV/{pid.year}"
    if pid.type == PeriodType.RANGE:
        return "kỳ tới"
    return pid.next().label()


class Builder:
    def __init__(self, request: ReportRequest, link=None, progress=None):
        self.req = request
        self.progress = progress or (lambda done, total: None)
        self.w = wording()
        self.layout = layout()
        self.link = link if link is not None else default_link
        self.figures: dict[tuple, Figure] = {}
        self.charts: list[Chart] = []
        self.notes: list[str] = []
        self._comparisons = {}
        self._indicators = None

    # --- figures ------------------------------------------------------------------------

    def indicator(self, code) -> Indicator | None:
        """The catalog's indicators, read once per report rather than once per sentence."""
        if self._indicators is None:
            self._indicators = {i.code: i for i in Indicator.objects.select_related("numerator", "denominator")}
        return self._indicators.get(code)

    def prefetch(self, codes):
        """The comparisons the sentences and tables of `codes` will ask for, from two queries
        per distinct figure period (values, plans) instead of several per figure: a national
        report states some sixty indicators."""
        by_period = {}
        for code in codes:
            indicator = self.indicator(code)
            if indicator is None:
                continue
            pids = [self.figure_period(indicator)]
            if pids[0] != self.req.pid and self.req.pid.type in (PeriodType.MONTH, PeriodType.QUARTER):
                pids.append(self.req.pid)   # the month's own figure beside the cumulative one
            for pid in pids:
                if (indicator.pk, pid.code) not in self._comparisons:
                    by_period.setdefault(pid, {})[indicator.pk] = indicator
        for pid, indicators in by_period.items():
            found = compare_many(list(indicators.values()), pid, self.req.scope,
                                 include_submitted=self.req.include_submitted)
            self._comparisons |= {(pk, pid.code): c for pk, c in found.items()}

    def comparison(self, indicator, pid):
        key = (indicator.pk, pid.code)
        if key not in self._comparisons:
            self._comparisons[key] = compare(indicator, pid, self.req.scope,
                                             include_submitted=self.req.include_submitted)
        return self._comparisons[key]

    def figure(self, kind, indicator, pid, value, text, unit, derivation, result=None, label=None) -> Figure:
        key = (kind, indicator.code if indicator else "", pid.code, text, label)
        if key not in self.figures:
            fig = Figure(
                key=f"F{len(self.figures) + 1}", label=label or f"{indicator.name} - {pid.label()}",
                value=value, text=text, unit=unit, kind=kind,
                indicator_code=indicator.code if indicator else "", period_code=pid.code,
                scope=self.req.scope.label, derivation=derivation,
                # national ids are computed when read (the figure sheet), not for every report
                value_ids=result.value_ids if result else [],
                estimate=bool(result and result.estimate), provisional=bool(result and result.provisional),
            )
            fig.link = self.link(fig, self.req)
            self.figures[key] = fig
        return self.figures[key]

    def value_figure(self, indicator, pid, result, kind="value") -> Figure:
        rule = {
            "flow": "cộng các kỳ và các đơn vị", "stock": "số liệu cuối kỳ, cộng các đơn vị",
            "ratio": f"tính lại: {indicator.numerator.name if indicator.numerator_id else ''} / "
                     f"{indicator.denominator.name if indicator.denominator_id else ''}",
        }[indicator.time_aggregation]
        if indicator.aggregation == Indicator.Aggregation.NONE:
            rule = "số liệu do một đơn vị báo cáo"
        derivation = (f"{rule}; {result.units} đơn vị, {len(result.value_ids)} số liệu gốc"
                      + ("; có số liệu ước tính" if result.estimate else "")
                      + ("; có số liệu chưa phê duyệt" if result.provisional else ""))
        text = number_text(result.value, decimals_of(indicator))
        label = f"{indicator.name} - {pid.label()}"
        return self.figure(kind, indicator, pid, result.value, text, indicator.unit, derivation, result, label)

    def change_figure(self, c) -> Figure | None:
        if c.yoy is None:
            return None
        cur, prev = c.current.value, c.last_year.value
        if c.rate:
            derivation = f"{exact(cur)} - {exact(prev)} = {exact(c.yoy)} điểm phần trăm"
            kind, unit = "change_pp", "điểm phần trăm"
        else:
            derivation = f"({exact(cur)} - {exact(prev)}) / {exact(prev)} × 100 = {exact(c.yoy)}%"
            kind, unit = "change_pct", "%"
        label = f"{c.indicator.name} - thay đổi so với {c.pid.same_period_last_year().label()}"
        return self.figure(kind, c.indicator, c.pid, c.yoy, percent_text(c.yoy), unit, derivation, None, label)

    def plan_share_figure(self, c) -> Figure | None:
        if c.plan_share is None:
            return None
        source = f" ({c.target.source})" if c.target.source else ""
        derivation = f"{exact(c.current.value)} / {exact(c.plan)}{source} × 100 = {exact(c.plan_share)}%"
        label = f"{c.indicator.name} - tỷ lệ so với kế hoạch năm {c.pid.year}"
        return self.figure("plan_share", c.indicator, c.pid, c.plan_share, percent_text(c.plan_share), "%",
                           derivation, None, label)

    def plan_figure(self, c) -> Figure | None:
        if c.plan is None:
            return None
        text = number_text(c.plan, decimals_of(c.indicator))
        source = c.target.source or "kế hoạch năm đã nhập trên hệ thống"
        return self.figure("plan", c.indicator, PeriodId.year_of(c.pid.year), c.plan, text, c.indicator.unit,
                           f"Kế hoạch năm {c.pid.year}: {source}", None,
                           f"{c.indicator.name} - kế hoạch năm {c.pid.year}")

    # --- sentences ----------------------------------------------------------------------

    def verb(self, result):
        return self.w["verbs"]["estimate" if result.estimate else "official"]

    def change_runs(self, c):
        fig = self.change_figure(c)
        if fig is None:
            return None
        direction = "flat" if fig.text == "0" else ("up" if c.yoy > 0 else "down")
        group = self.w["change"]["points" if c.rate else "percent"]
        base = self.w["base_period"].format(year=c.pid.same_period_last_year().year)
        return fill(group[direction], {"change": fig, "base_period": base})

    def plan_runs(self, c):
        fig = self.plan_share_figure(c)
        if fig is None:
            return None
        values = {"share": fig, "year": c.pid.year}
        if c.plan_share > 100:
            values |= {"plan": self.plan_figure(c), "unit": unit_suffix(c.indicator.unit)}
            return fill(self.w["plan"]["exceeded"], values)
        return fill(self.w["plan"]["reached"], values)

    def figure_period(self, indicator):
        return figure_period(indicator, self.req.pid)

    def sentence(self, code, companion=None) -> Paragraph | None:
        indicator = self.indicator(code)
        if indicator is None:
            self.notes.append(f"Chỉ tiêu {code} trong bố cục báo cáo không có trong danh mục.")
            return None
        pid = self.figure_period(indicator)
        c = self.comparison(indicator, pid)
        if c.current.value is None:
            self.notes.append(fill(self.w["sentence"]["missing"], {"name": indicator.name, "period": pid.label()})
                              [0].text)
            return None
        change, plan = self.change_runs(c), self.plan_runs(c)
        values = {"name": indicator.name, "verb": self.verb(c.current),
                  "value": self.value_figure(indicator, pid, c.current), "unit": unit_suffix(indicator.unit),
                  "change": change, "plan": plan}
        templates = self.w["sentence"]
        if pid != self.req.pid and self.req.pid.type in (PeriodType.MONTH, PeriodType.QUARTER):
            own = self.comparison(indicator, self.req.pid).current
            if own.value is not None:
                templates = self.w["sentence_with_cumulative"]
                values |= {"period": self.req.pid.label(), "verb": self.verb(own),
                           "value": self.value_figure(indicator, self.req.pid, own),
                           "cumulative_period": pid.label().replace("từ ngày 01/01", "từ đầu năm đến"),
                           "cumulative_verb": self.verb(c.current),
                           "cumulative": self.value_figure(indicator, pid, c.current)}
        coverage = self._coverage(indicator, pid, c.current)
        if coverage:   # a partial sum compared with a whole year or plan would mislead
            change = plan = None
        key = "full" if change and plan else "change_only" if change else "plan_only" if plan else "value_only"
        runs = fill(templates[key], values)
        if coverage:
            runs = runs[:-1] + [Run(runs[-1].text[:-1])] + coverage + [Run(".")] if runs[-1].text.endswith(
                ".") and runs[-1].figure is None else runs + coverage
        if companion:
            runs = self._with_companion(runs, companion)
        return Paragraph(runs, style="bullet")

    def _coverage(self, indicator, pid, result):
        """Runs saying how many provinces a national figure summed from the provinces holds, when
        not all: a sum of 21 provinces is not the nation's figure and must not read as one."""
        if result.kinds != ("provincial_department",):
            return None
        reported, expected = reporting_count(indicator, pid, include_submitted=self.req.include_submitted)
        if not expected or reported >= expected:
            return None
        fig = self.figure("count", indicator, pid, Decimal(reported), str(reported), "đơn vị",
                          f"{reported} trong {expected} Sở phải báo cáo có số liệu được tính", None,
                          f"{indicator.name} - {pid.label()}: số tỉnh, thành phố có số liệu")
        whole = self.figure("count", indicator, pid, Decimal(expected), str(expected), "đơn vị",
                            "Số Sở phải báo cáo chỉ tiêu này trong kỳ", None,
                            f"{indicator.name} - {pid.label()}: số tỉnh, thành phố phải báo cáo")
        return fill(self.w["coverage"], {"reported": fig, "expected": whole})

    def _with_companion(self, runs, code):
        indicator = self.indicator(code)
        if indicator is None:
            return runs
        pid = self.figure_period(indicator)
        result = self.comparison(indicator, pid).current
        if result.value is None:
            return runs
        extra = fill(self.w["companion"], {"value": self.value_figure(indicator, pid, result),
                                           "unit": unit_suffix(indicator.unit)})
        # Right after the main figure's unit: "đạt 22,14 triệu thuê bao (tương ứng ...), tăng ..."
        for i, run in enumerate(runs):
            if run.figure is not None and run.figure.kind == "value":
                after = runs[i + 1] if i + 1 < len(runs) else Run("")
                unit = unit_suffix(run.figure.unit)
                if after.figure is None and after.text.startswith(unit):
                    return runs[:i + 1] + [Run(unit)] + extra + [Run(after.text[len(unit):])] + runs[i + 2:]
        return runs + extra

    # --- blocks -------------------------------------------------------------------------

    def overview(self) -> Section | None:
        conf = self.layout["overview"]
        sentences = [p for p in (self.sentence(code) for code in conf["sentences"]) if p]
        table = self.overview_table(conf["table"])
        if not sentences and table is None:
            return None
        blocks = []
        if sentences:
            runs = [Run(self.w["overview_intro"].format(period=self.req.pid.label()))]
            for n, p in enumerate(sentences):
                runs += (_lower_first(list(p.runs)) if n == 0 else [Run(" ")] + list(p.runs))
            blocks.append(Paragraph(runs))
        if table:
            blocks.append(table)
        return Section("", 1, blocks)

    def overview_table(self, codes) -> Table | None:
        pid = self.req.pid
        last = pid.same_period_last_year()
        words = {"period_title": pid.label_title(), "last_year_title": last.label_title(), "year": pid.year}
        rows = []
        for code in codes:
            indicator = self.indicator(code)
            if indicator is None:
                continue
            fpid = self.figure_period(indicator)
            c = self.comparison(indicator, fpid)
            if c.current.value is None:
                continue
            cells = [Cell([Run(str(len(rows) + 1))], "center"),
                     Cell([Run(f"{indicator.name} ({indicator.unit})")]),
                     Cell([self._run(self.value_figure(indicator, fpid, c.current))], "right")]
            prev = c.last_year
            cells.append(Cell([self._run(self.value_figure(indicator, fpid.same_period_last_year(), prev, "previous"))]
                              if prev.value is not None else [Run("-")], "right"))
            change = self.change_figure(c)
            sign = "-" if change and c.yoy < 0 and change.text != "0" else ""
            cells.append(Cell([Run(sign), self._run(change), Run(" điểm %" if c.rate else "%")] if change
                              else [Run("-")], "right"))
            plan, share = self.plan_figure(c), self.plan_share_figure(c)
            cells.append(Cell([self._run(plan)] if plan else [Run("-")], "right"))
            cells.append(Cell([self._run(share), Run("%")] if share else [Run("-")], "right"))
            rows.append(cells)
        if not rows:
            return None
        conf = self.w["overview_table"]
        return Table(
            columns=[c.format(**words) for c in conf["columns"]],
            header_rows=[[(t.format(**words), span) for t, span in conf["groups"]]],
            rows=rows, widths=[0.5, 3.2, 1.4, 1.4, 1.1, 1.4, 1.1],
        )

    @staticmethod
    def _run(fig):
        return Run(fig.text, fig)

    def trend_chart(self, code) -> Chart | None:
        indicator = self.indicator(code)
        if indicator is None:
            return None
        pid = self.req.pid
        last_month = pid.end_date.month
        months = {year: [PeriodId.month(year, m) for m in range(1, last_month + 1)] for year in (pid.year - 1, pid.year)}
        got = self.req.scope.values(indicator, months[pid.year - 1] + months[pid.year],
                                    include_submitted=self.req.include_submitted)
        series = [Series(f"Năm {year}", [got[m.code].value for m in ms]) for year, ms in months.items()]
        categories = [f"T{m}" for m in range(1, last_month + 1)]
        if all(v is None for s in series for v in s.values):
            series, categories = self._quarterly(indicator, pid)
            if series is None:
                return None
        chart = Chart(title=self.w["chart"]["trend"].format(name=indicator.name, unit=indicator.unit),
                      kind="bar" if indicator.time_aggregation == "flow" else "line",
                      categories=categories, series=series, unit=indicator.unit, key=f"C{len(self.charts) + 1}")
        self.charts.append(chart)
        return chart

    def _quarterly(self, indicator, pid):
        quarters = (pid.end_date.month + 2) // 3
        by_year = {year: [PeriodId.quarter(year, q) for q in range(1, quarters + 1)] for year in (pid.year - 1, pid.year)}
        got = self.req.scope.values(indicator, by_year[pid.year - 1] + by_year[pid.year],
                                    include_submitted=self.req.include_submitted)
        series = [Series(f"Năm {year}", [got[q.code].value for q in qs]) for year, qs in by_year.items()]
        if all(v is None for s in series for v in s.values):
            return None, None
        return series, [f"Quý {ROMAN[q - 1]}" for q in range(1, quarters + 1)]

    def ranking(self, code) -> list:
        indicator = self.indicator(code)
        if indicator is None or not self.req.scope.is_national:
            return []
        pid = self.figure_period(indicator)
        values = by_province(indicator, pid, include_submitted=self.req.include_submitted)
        if len(values) < 4:
            return []
        ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0].name))
        dec = decimals_of(indicator)
        unit = unit_suffix(indicator.unit)

        def fig(province, value):
            return self.figure("rank", indicator, pid, value, number_text(value, dec), indicator.unit,
                               f"{province.name}: {exact(value)} (theo địa giới hiện nay)", None,
                               f"{indicator.name} - {province.name} - {pid.label()}")

        (p1, v1), (p2, v2), (p3, v3), (pl, vl) = ordered[0], ordered[1], ordered[2], ordered[-1]
        sentence = fill(self.w["ranking"]["sentence"], {
            "name": indicator.name.lower(), "unit": unit,
            "first": p1.name, "first_value": fig(p1, v1), "second": p2.name, "second_value": fig(p2, v2),
            "third": p3.name, "third_value": fig(p3, v3), "last": pl.name, "last_value": fig(pl, vl),
        })
        chart = Chart(title=self.w["chart"]["ranking"].format(name=indicator.name, period=pid.label(),
                                                              unit=indicator.unit),
                      kind="barh", categories=[p.name for p, _ in ordered],
                      series=[Series(indicator.name, [v for _, v in ordered])], unit=indicator.unit,
                      key=f"C{len(self.charts) + 1}")
        self.charts.append(chart)
        return [Paragraph(sentence, "bullet"), chart]

    def prose(self, part, sector=None) -> list[Paragraph]:
        narrative = Narrative.objects.filter(period_code=self.req.pid.code, scope_code=self.req.scope.code,
                                             sector=sector, part=part).first()
        text = narrative.text.strip() if narrative else ""
        if not text:
            return [Paragraph([Run(self.w["prose_placeholder"], italic=True)], "note")]
        return paragraphs_of(text)

    def sector_sections(self, entries):
        sections = []
        for done, entry in enumerate(entries):
            self.progress(done, len(entries))
            sector = Sector.objects.filter(code=entry["sector"]).first()
            if sector is None or (self.req.sector and sector != self.req.sector):
                continue
            blocks = []
            for item in entry.get("figures") or []:
                code, companion = (item["code"], item.get("with")) if isinstance(item, dict) else (item, None)
                p = self.sentence(code, companion)
                if p:
                    blocks.append(p)
            if entry.get("chart") and blocks:
                chart = self.trend_chart(entry["chart"])
                if chart:
                    blocks.append(chart)
            if entry.get("ranking") and blocks:
                blocks += self.ranking(entry["ranking"])
            written = Narrative.objects.filter(period_code=self.req.pid.code, scope_code=self.req.scope.code,
                                               sector=sector).exclude(text="").exists()
            if not blocks and not written:
                continue
            n = len(sections) + 1
            h = self.w["headings"]
            sections.append(Section(f"{n}. " + h["sector"].format(sector=sector.name), 2, [
                Section(f"{n}.1. {h['development']}", 3, blocks or [
                    Paragraph([Run("Chưa có số liệu đã phê duyệt trong kỳ.", italic=True)], "note")]),
                Section(f"{n}.2. {h['difficulties']}", 3, self.prose(Narrative.Part.DIFFICULTIES, sector)),
                Section(f"{n}.3. " + h["tasks"].format(next=next_label(self.req.pid)), 3,
                        self.prose(Narrative.Part.TASKS, sector)),
            ]))
        return sections

    def province_entries(self):
        form = Form.objects.filter(code=self.layout["province"]["form"]).order_by("-version").first()
        entries = {}
        for row in form.rows.filter(indicator__isnull=False).select_related("indicator__sector").order_by("sort_order"):
            sector = row.indicator.sector
            entries.setdefault(sector, {"sector": sector.code, "figures": []})["figures"].append(row.indicator.code)
        return sorted(entries.values(), key=lambda e: Sector.objects.get(code=e["sector"]).sort_order)

    def reporting(self) -> list[Paragraph]:
        """Which units reported the forms due for the period (the last sub-period of finer forms)."""
        pid = self.req.pid
        paragraphs = []
        for form in Form.objects.filter(active=True).exclude(regime=Form.Regime.AD_HOC).order_by("sector__sort_order",
                                                                                                 "code"):
            sub = _last_subperiod(pid, PeriodType(form.period_type))
            if sub is None or (self.req.sector and form.sector != self.req.sector and form.sector.code != "overview"):
                continue
            unit_ids = None if self.req.scope.province is None else self.req.scope.unit_ids()
            done = completeness.summary(form, sub, unit_ids=unit_ids)
            if not done.expected:
                continue
            r = self.w["reporting"]
            label = f"Biểu {form.code}, {sub.label()}"

            def count(n, what, label=label, sub=sub):
                return self.figure("count", None, sub, Decimal(n), str(n), "đơn vị",
                                   "Theo tình trạng các báo cáo của biểu lúc lập báo cáo", None, f"{label}: {what}")

            runs = fill(r["form"], {
                "form": form.code, "form_name": f"{form.name}, {sub.label()}",
                "actual": count(done.actual, "số đơn vị đã gửi"), "expected": count(done.expected, "số đơn vị phải gửi"),
                "on_time": count(done.on_time, "số đơn vị gửi đúng hạn")})
            for key, units, what in (("late", done.late, "gửi muộn"), ("missing", done.missing, "chưa gửi")):
                if units:
                    runs += fill(" " + r[key], {"units": self._unit_names(units, sub, f"{label}: số đơn vị {what}")})
            paragraphs.append(Paragraph(runs, "bullet"))
        r = self.w["reporting"]
        if not paragraphs:
            paragraphs.append(Paragraph([Run(r["none"])]))
        at = timezone.localtime()
        basis = r["basis_submitted" if self.req.include_submitted else "basis_approved"]
        paragraphs.append(Paragraph([Run(basis.format(at=f"{at:%H:%M} ngày {format_date(at.date())}"))], "note"))
        return paragraphs

    def _unit_names(self, units, pid, label, limit=12) -> list[Run]:
        """"Sở A, Sở B và 51 đơn vị khác": the count of the unnamed rest is a figure too.
        `units` are ids; only the named ones are read."""
        named = ReportingUnit.objects.in_bulk(units[:limit])
        names = ", ".join(named[pk].short_name or named[pk].name for pk in units[:limit])
        rest = len(units) - limit
        if rest <= 0:
            return [Run(names)]
        fig = self.figure("count", None, pid, Decimal(rest), str(rest), "đơn vị",
                          f"{len(units)} đơn vị, {limit} đơn vị đầu được nêu tên", None, f"{label} không nêu tên")
        return [Run(f"{names} và "), Run(fig.text, fig), Run(" đơn vị khác")]

    # --- the whole report ---------------------------------------------------------------

    def build(self) -> Report:
        req, h = self.req, self.w["headings"]
        top = []
        if req.scope.is_national and req.sector is None:
            conf = self.layout["overview"]
            self.prefetch(conf["sentences"] + conf["table"])
            overview = self.overview()
            if overview:
                overview.heading = h["overview"]
                top.append(overview)
            legal = Narrative.objects.filter(period_code=req.pid.code, scope_code=req.scope.code, sector=None,
                                             part=Narrative.Part.LEGAL).exclude(text="").first()
            if legal:
                top.append(Section(h["legal"], 1, paragraphs_of(legal.text)))
        entries = self.layout["sectors"] if req.scope.is_national else self.province_entries()
        self.prefetch(_codes(entries))
        sectors = self.sector_sections(entries)
        if sectors:
            top.append(Section(h["sectors"], 1, sectors))
        tasks = self.tasks()
        if tasks:
            top.append(tasks)
        top.append(Section(h["reporting"], 1, self.reporting()))
        for n, section in enumerate(top):
            section.heading = f"{ROMAN[n]}. {section.heading}"
        doc = self.w["document"]
        return Report(
            issuing_parent=doc.get("issuing_parent", ""), issuing_body=doc["issuing_body"],
            number_symbol=f"Số:        /{doc['symbol']}", place=doc["place"], issued_on=req.issued_on,
            doc_type=doc["doc_type"], title=self.title(), sections=top, recipients=list(doc["recipients"]),
            signer=Signer(doc["signer"]["position"], doc["signer"].get("title", ""), doc["signer"].get("name", "")),
            report_type=req.pid.type.value, period_code=req.pid.code, scope_label=req.scope.label,
            draft=req.draft, figures=list(self.figures.values()), charts=self.charts, notes=self.notes,
        )

    def tasks(self) -> Section | None:
        """How the ministry's tasks stand at the period's end (assignments app), when it has any."""
        from solieu.assignments.models import Task
        from solieu.assignments.report import task_blocks, task_heading

        if not self.req.scope.is_national:
            return None
        cutoff = min(self.req.pid.end_date, timezone.localdate())
        tasks = Task.objects.filter(sector=self.req.sector) if self.req.sector else Task.objects.all()
        if not tasks.exists():
            return None
        return Section(task_heading(self.req.sector).upper(), 1, task_blocks(self, cutoff, sector=self.req.sector))

    def title(self):
        pid = self.req.pid
        key = pid.type.value
        if pid.type == PeriodType.SIX_MONTHS:
            key = f"six_months_{pid.index}"
        title = self.w["titles"][key].format(period=pid.label(), next=next_label(pid), year=pid.year,
                                             next_year=pid.year + 1)
        suffix = self.w["scope_suffix"]
        if self.req.sector:
            title += suffix["sector"].format(sector=self.req.sector.name.lower())
        if self.req.scope.province:
            title += suffix["province"].format(province=self.req.scope.province.name)
        return title


def _codes(entries) -> list[str]:
    """The indicator codes the sector entries of the layout state, companions included."""
    codes = []
    for entry in entries:
        for item in entry.get("figures") or []:
            codes += [item["code"], item.get("with")] if isinstance(item, dict) else [item]
    return [c for c in codes if c]


def paragraphs_of(text: str) -> list[Paragraph]:
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line[:2] in ("- ", "+ ", "• "):
            result.append(Paragraph([Run(line[2:].strip())], "bullet"))
        else:
            result.append(Paragraph([Run(line)]))
    return result


def _last_subperiod(pid: PeriodId, ptype: PeriodType) -> PeriodId | None:
    """The period of type `ptype` ending with `pid`, when there is one (the last month of a half...)."""
    if ptype == PeriodType.RANGE:
        return None
    try:
        sub = PeriodId.containing(ptype, pid.end_date)
    except ValueError:
        return None
    return sub if sub.end_date == pid.end_date and sub.start_date >= pid.start_date else None


def breakdown_url(req: ReportRequest, indicator_code: str, period_code: str, kind: str = "value") -> str:
    """The page that shows what a figure is made of, with the report's choices."""
    from django.urls import reverse

    params = req.params() | {"indicator": indicator_code, "period": period_code, "kind": kind}
    return reverse("reports:figure") + "?" + urlencode(params)


def default_link(fig: Figure, req: ReportRequest) -> str:
    return breakdown_url(req, fig.indicator_code, fig.period_code, fig.kind) if fig.indicator_code else ""


def build_report(request: ReportRequest, link=None) -> Report:
    return Builder(request, link).build()
