"""Turn drafts into `Statement`s: choose the indicator, the period, and convert to its unit.

This is where the catalog is consulted. The indicator is the best match among the draft's
candidate names (section sector and written unit help, see `names`); the value is converted from
the unit as written to the indicator's ("22,14 triệu thuê bao" of an indicator counted in "triệu
thuê bao" is 22.14, "1,1 tỷ USD" of one counted in "triệu USD" is 1100). A number that reads two
ways is settled here, where the unit (a count of postal items is whole) and the neighbours (the
previous value must fit the stated change) are known; what cannot be settled is flagged.

Three more readings need the catalog: two indicators that tie on the whole phrase are told apart by
the words right before the figure ("..., số phí thu được ... đạt 25.306.218.000 đồng"); a count
that is the object of an action ("yêu cầu 04 Doanh nghiệp") or follows "của" ("tổng số DNCNS của
04 tỉnh") is not the figure of the indicator its sentence names; and a rate's growth written "%"
that is exactly the difference of the two rates is read in points.
"""

from __future__ import annotations

import re
from decimal import Decimal

from solieu.catalog.periods import PeriodId
from solieu.factcheck.extract_numbers import Figure, split_unit
from solieu.factcheck.extract_periods import base_period
from solieu.factcheck.extract_sentences import Change, Draft
from solieu.factcheck.names import (MIN_SCORE, TIE_MARGIN, Catalog, Indicator, Match, fold, same_count_unit,
                                    unit_kind, words_keep_all)
from solieu.factcheck.statements import Statement
from solieu.vi.numbers import format_number

__all__ = ["resolve"]


def _fmt(value: Decimal | None) -> str:
    return format_number(value) if value is not None else ""


def resolve(draft: Draft, *, document: str, catalog: Catalog, sector: str | None,
            fallback_period: PeriodId | None, year: int | None, mixed: bool) -> list[Statement]:
    match, phrase = _match(draft, catalog, sector)
    match = _objects(draft, match, catalog)
    negative = draft.negated or re.search(r"\bchua\b", fold(phrase))
    if match.code and negative and not re.search(r"\b(?:chua|con lai)\b", fold(catalog.get(match.code).name)):
        match = Match(None, match.score, [
            f'Số liệu đếm phần "chưa ..." ("{phrase}"), không phải phần đã thực hiện của {match.code}; '
            "cần đối chiếu bằng tay."
        ], match.candidates)
    indicator = catalog.get(match.code) if match.code else None
    flags = list(draft.flags)
    flags += match.flags
    hint = draft.period_hint
    if hint is not None and fallback_period is not None and not fallback_period.contains(hint):
        hint = None     # "so với cùng kỳ tháng 6/2020" in a 2022 report is a second, older comparison
    period = draft.period or hint or fallback_period
    if period is None:
        flags.append("Không xác định được kỳ của số liệu (văn bản và câu đều không ghi kỳ).")

    main = draft.figure
    for figure in (main, draft.previous, draft.plan_value, draft.plan_share, *(c.figure for c in draft.changes),
                   *(c.previous for c in draft.changes)):
        if figure is not None:
            flags += [flag for flag in figure.flags if flag not in flags]     # "135. 329", "62.43"
    primary, extras = _order_changes(draft.changes, period, year, draft)
    expected_prev = None
    value = None
    if main is not None:
        value, more = _reading(main, indicator, draft.unit, mixed, None)
        flags += more
    previous_figure = (primary.previous if primary else None) or draft.previous
    previous = None
    if previous_figure is not None:
        if value is not None and primary is not None and primary.kind == "percent":
            change = primary.figure.value * primary.sign
            if change > -100:
                expected_prev = value / (1 + change / 100)
        previous, more = _reading(previous_figure, indicator, previous_figure.unit or draft.unit or (main.unit if main else ""),
                                  mixed, expected_prev)
        flags += more
        if main is not None and main.alt is not None and previous is not None and primary is not None:
            value, more = _reading(main, indicator, draft.unit, mixed,
                                   previous * (1 + primary.figure.value * primary.sign / 100) if primary.kind == "percent" else None)
    plan_value = None
    if draft.plan_value is not None:
        plan_value, more = _reading(draft.plan_value, indicator, draft.plan_value.unit or draft.unit, mixed, None)
        flags += more
    plan_share = draft.plan_share.value if draft.plan_share is not None else None
    if value is None and plan_share is not None and plan_value is not None and indicator and unit_kind(indicator.unit) == "percent":
        value = (plan_share * plan_value / 100).quantize(plan_share)
        flags.append(f"Giá trị {_fmt(value)}% suy ra từ {_fmt(plan_share)}% kế hoạch {_fmt(plan_value)}%.")
    if (value is not None and main is not None and main.kind == "" and indicator
            and unit_kind(indicator.unit) == "percent" and abs(value) > 100):
        flags.append(f'Số "{main.text}" không ghi % mà chỉ tiêu {indicator.code} tính bằng %: có thể nhầm chỉ tiêu.')
    if primary is not None and primary.kind == "percent" and indicator and unit_kind(indicator.unit) == "percent":
        flags.append(f'Chỉ tiêu tính bằng %: "{"giảm" if primary.sign < 0 else "tăng"} {primary.figure.text}%" '
                     "có thể là điểm phần trăm chứ không phải phần trăm tăng trưởng.")
    statement = Statement(
        document=document, line=draft.line, quote=draft.quote, kind=draft.kind,
        indicator_code=indicator.code if indicator else None, indicator_text=phrase,
        match_score=round(match.score, 3) if indicator else round(match.score, 3),
        value=value, value_text=main.text if main else "", unit_text=(main.unit if main and main.unit else draft.unit),
        period_code=period.code if period else None, estimate=draft.estimate,
        plan_share=plan_share, plan_value=plan_value,
        part=main.part if main else None, whole=main.whole if main else None,
        share=draft.share.value if draft.share is not None else None, flags=flags,
    )
    if primary is not None:
        _apply_change(statement, primary, period, year, draft, indicator, mixed, previous)
        _points(statement, main)
    else:
        statement.previous_value = previous
        if draft.base_override is not None and previous is not None:
            statement.change_base_period = draft.base_override.code
    result = [statement]
    for change in extras:
        extra = Statement(**{**statement.__dict__, "flags": list(statement.flags), "previous_value": None})
        _apply_change(extra, change, period, year, draft, indicator, mixed, None)
        extra.flags.append("Cùng số liệu với phát biểu trước; đây là phép so sánh thứ hai"
                           + (f" (với kỳ {extra.change_base_period})." if extra.change_base_period else "."))
        result.append(extra)
    return result


def _match(draft: Draft, catalog: Catalog, sector: str | None) -> tuple[Match, str]:
    """Best match over the draft's own candidate names, then (if weak) with the sentence's topic."""
    unit = draft.unit or draft.counted or None
    if unit is None and draft.figure is None and draft.plan_value is not None and draft.plan_value.kind == "percent":
        unit = "%"
    best: tuple[Match, str] | None = None
    if draft.kind == "table" and len(draft.phrases) > 1:
        # A row label with the table's caption is more specific than the label alone ("Nộp ngân
        # sách" under "Doanh thu thị trường game"): prefer it unless clearly worse.
        first = catalog.match(draft.phrases[0], sector=sector, unit=unit)
        second = catalog.match(draft.phrases[1], sector=sector, unit=unit)
        if first.code is not None and first.score >= second.score - CAPTION_MARGIN:
            return first, draft.phrases[0]
    groups = (draft.phrases, draft.context_phrases)
    rank = draft.figure is not None and draft.figure.kind == "rank"
    if rank:        # "đứng thứ", "xếp thứ", "thuộc top": the name of a rank
        groups = tuple([f"{RANK} {p}" for p in group] for group in groups)
    for group in groups:
        own = best
        for phrase in dict.fromkeys(group):
            match = catalog.match(phrase, sector=sector, unit=unit)
            key = (match.code is not None, match.score)
            if best is None or key > (best[0].code is not None, best[0].score):
                best = (match, phrase)
        if own is not None and own[0].code is not None and best[0].score < own[0].score + CONTEXT_MARGIN:
            best = own          # the sentence's topic must do clearly better than the figure's own words
        if best is not None and best[0].code is not None and best[0].score >= STRONG:
            break
    if best is None:
        return Match(None, 0.0, ["Không có tên chỉ tiêu trước hoặc sau con số."]), ""
    match, phrase = _break_tie(best, draft, catalog)
    return match, phrase[len(RANK) + 1:] if rank else phrase


def _break_tie(best: tuple[Match, str], draft: Draft, catalog: Catalog) -> tuple[Match, str]:
    """Two indicators equally like the whole phrase: the words nearest the figure may tell them apart."""
    match, phrase = best
    ranked = match.candidates
    if (match.code is not None or len(ranked) < 2 or ranked[0][1] < MIN_SCORE
            or ranked[1][1] <= ranked[0][1] - TIE_MARGIN or not draft.nearest):
        return best
    tied = [code for code, score in ranked if score > ranked[0][1] - TIE_MARGIN]
    code = catalog.closer(draft.nearest, tied)
    if code is None:
        return best
    others = ", ".join(c for c in tied if c != code)
    return Match(code, min(dict(ranked)[code], 1.0), [
        f'Tên "{phrase.strip()}" giống cả {code} và {others}; chọn {code} theo các chữ ngay trước con số '
        f'("{draft.nearest}").'
    ], ranked), phrase


def _objects(draft: Draft, match: Match, catalog: Catalog) -> Match:
    """ "yêu cầu 04 Doanh nghiệp ...", "tổng số DNCNS của 04 tỉnh": the figure counts the objects
    of an action, or the owners of what the words before it name, not the indicator those words
    bring to mind, unless the indicator counts exactly that (its name says the action, its unit
    is the figure's)."""
    if match.code is None or not draft.object_of or draft.figure is None:
        return match
    indicator = catalog.get(match.code)
    word = fold(draft.object_of)
    if word == "cua":
        fits = bool(draft.figure.unit) and unit_kind(draft.figure.unit) == "count" and same_count_unit(
            draft.figure.unit, indicator.unit)
    else:
        names = " ".join(fold(text) for text in (indicator.name, indicator.short_name, *indicator.aliases))
        fits = f" {word} " in f" {names} "
    if fits:
        return match
    counted = " ".join(part for part in (draft.figure.text, draft.figure.unit) if part)
    if word == "cua":
        why = f'đứng sau "của": nó đếm {draft.figure.unit or "thứ khác"}, không đếm {indicator.unit} của chỉ tiêu'
    else:
        why = f'đếm đối tượng được "{draft.object_of}" trong câu, không phải số liệu của chỉ tiêu'
    return Match(None, match.score, [f'Số "{counted}" {why} {match.code}; cần đối chiếu bằng tay.'],
                 match.candidates)


RANK = "thứ hạng"
CAPTION_MARGIN = 0.15
STRONG = 0.8            # a match this good on the figure's own words needs no help from the sentence's topic
CONTEXT_MARGIN = 0.03


def _order_changes(changes: list[Change], period: PeriodId | None, year: int | None,
                   draft: Draft) -> tuple[Change | None, list[Change]]:
    """The change against the same period a year earlier comes first; others become extra statements."""
    if not changes:
        return None, []
    for change in changes:
        base = draft.base_override or base_period(change.base_text, period, year)
        if period is not None and base == period.same_period_last_year():
            return change, [c for c in changes if c is not change]
    return changes[0], changes[1:]


def _apply_change(statement: Statement, change: Change, period: PeriodId | None, year: int | None,
                  draft: Draft, indicator: Indicator | None, mixed: bool, previous: Decimal | None) -> None:
    figure = change.figure
    if change.kind == "absolute" and indicator is not None:
        amount, more = _reading(figure, indicator, figure.unit or draft.unit, mixed, None)
        statement.flags += more
    else:
        amount = figure.value
    statement.change = abs(amount) * change.sign if amount is not None else None
    if figure.value < 0 and change.sign > 0:
        statement.change = amount          # "-34,7%" in a table: the sign is in the number
    statement.change_kind = change.kind
    base = draft.base_override or base_period(change.base_text, period, year)
    statement.change_base_period = base.code if base else None
    if change.base_text and base is None:
        statement.flags.append(f'Không xác định được kỳ gốc của phép so sánh "so với {change.base_text}".')
    if previous is not None:
        statement.previous_value = previous
    elif change.previous is not None:
        statement.previous_value, more = _reading(change.previous, indicator,
                                                  change.previous.unit or draft.unit
                                                  or (draft.figure.unit if draft.figure else ""), mixed, None)
        statement.flags += more


def _points(statement: Statement, main: Figure | None) -> None:
    """A rate's growth written "%" that is its difference in points ("64,1% | 51,4% | 12,7%" in a
    table's growth column): read as points when only the difference fits, and say so."""
    value, previous, change = statement.value, statement.previous_value, statement.change
    if (statement.change_kind != "percent" or value is None or not previous or change is None or main is None
            or main.kind != "percent"):
        return
    step = Decimal(5).scaleb(min(change.normalize().as_tuple().exponent, 0) - 1)     # half the last digit
    if abs(value - previous - change) <= step and abs((value - previous) * 100 / abs(previous) - change) > step:
        statement.change_kind = "points"
        statement.flags = [f for f in statement.flags if "có thể là điểm phần trăm" not in f]
        statement.flags.append(f'"{_fmt(change)}%" là chênh lệch {_fmt(value)} - {_fmt(previous)} theo điểm phần '
                               "trăm, không phải tốc độ tăng: đọc là điểm phần trăm.")


def _reading(figure: Figure, indicator: Indicator | None, unit: str, mixed: bool,
             expected: Decimal | None) -> tuple[Decimal, list[str]]:
    """The figure in the indicator's unit, choosing between two readings of an ambiguous number."""
    flags: list[str] = []
    value = figure.value
    if figure.alt is not None:
        whole = indicator is not None and indicator.value_type == "integer" and figure.scale == 1
        choices = [figure.value, figure.alt]
        chosen = figure.value
        reason = ""
        if whole and figure.value != figure.value.to_integral_value() and figure.alt == figure.alt.to_integral_value():
            chosen, reason = figure.alt, "chỉ tiêu đếm số nguyên"
        elif expected is not None and expected > 0 and all(c > 0 for c in choices):
            chosen = min(choices, key=lambda c: abs((c / expected) - 1))
            if chosen != figure.value:
                reason = "khớp với tỷ lệ tăng/giảm và số còn lại"
        if chosen != figure.value:
            flags.append(f'Số "{figure.text}" được đọc là {_fmt(chosen)} (dấu phân cách hàng nghìn) vì {reason}.')
        elif mixed:
            flags.append(f'Số "{figure.text}" có thể đọc là {_fmt(figure.value)} hoặc {_fmt(figure.alt)}; '
                         f"đã đọc là {_fmt(figure.value)} theo cách viết chung của văn bản, cần kiểm tra.")
        value = chosen
    if indicator is None or figure.kind in ("percent", "points", "times", "rank"):
        if indicator is not None and figure.kind == "percent" and unit_kind(indicator.unit) not in ("percent", ""):
            flags.append(f'Số liệu ghi bằng % nhưng chỉ tiêu {indicator.code} tính bằng "{indicator.unit}".')
        return value, flags
    scale, base = figure.scale, figure.base
    if scale == 1 and not base:
        if not unit:
            return value, flags          # no unit written: the indicator's own
        scale, base = split_unit(unit)
    target_scale, target_base = split_unit(indicator.unit)
    if base and unit_kind(base) != unit_kind(target_base) and unit_kind(base) and unit_kind(target_base):
        flags.append(f'Đơn vị "{figure.unit or unit}" khác loại với đơn vị của chỉ tiêu ("{indicator.unit}").')
        return value, flags
    if base and target_base and unit_kind(base) == "count":
        a, b = set(words_keep_all(base)), set(words_keep_all(target_base))
        if not (a & b) and fold(base) not in ("nguoi", "dn"):
            flags.append(f'Đơn vị ghi "{figure.unit or unit}", chỉ tiêu tính bằng "{indicator.unit}".')
    if scale != target_scale:
        value = value * scale / target_scale
        value = value.normalize() if value == value.to_integral_value() else value
        value = Decimal(format(value, "f"))
    return value, flags
