"""Builds solieu/catalog/data/seed_figures.yaml from the shared reference material.

Run from the project root with ../shared beside it (a developer's machine, not CI):
    python scripts/build_seed_figures.py
It maps each observation of shared/reference/indicators.yaml (figures quoted from the
seed reports) to the curated catalog codes via `raw_ids`, converts periods to our codes,
and records where the 2023 report implies a 2022 base different from the 2022 report.
"""

import sys
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT.parent / "shared" / "reference" / "indicators.yaml"
CATALOG = ROOT / "solieu" / "catalog" / "data" / "indicators.yaml"
OUT = ROOT / "solieu" / "catalog" / "data" / "seed_figures.yaml"
# Relative tolerance when comparing an implied base with a published one: the stated
# changes are rounded (often to whole percents), so small gaps are rounding, not disagreement.
TOLERANCE = Decimal("0.005")


def period_code(text):
    text = str(text)
    if text.endswith("-H1"):
        return text[:4] + "S1"
    if text.endswith("-H2"):
        return text[:4] + "S2"
    if "-Q" in text:
        return text.replace("-", "")
    if len(text) == 7 and text[4] == "-":
        return text.replace("-", "")
    if len(text) == 4 and text.isdigit():
        return text
    if len(text) == 10:
        return f"{text[:4]}0101_{text.replace('-', '')}"
    return None


def first_half(code):
    """A stock "at the end of June" and a first-half figure compare as the same period."""
    return code[:4] + "S1" if code.endswith("06") and len(code) == 6 else code


SCALES = {"nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9}


def rescale(value, unit, catalog_unit):
    """1.614.206 "bản" is 1,614206 "triệu bản": express the figure in the catalog's unit."""
    for word, factor in SCALES.items():
        if unit and catalog_unit == f"{word} {unit}":
            return float(Decimal(str(value)) / factor)
    return value


def num(x):
    return None if x is None else Decimal(str(x))


def main():
    raw = yaml.safe_load(RAW.read_text(encoding="utf-8"))["indicators"]
    curated = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))["indicators"]
    unit_of = {ind["code"]: ind["unit"] for ind in curated}
    candidates = {}
    for ind in curated:
        for rid in ind.get("raw_ids") or []:
            candidates.setdefault(rid, []).append(ind["code"])

    def code_for(item, obs):
        """Where a raw indicator was split (by unit), the catalog code whose unit the figure has."""
        codes = candidates.get(item["id"]) or [None]
        unit = obs.get("unit") or item.get("unit")
        return next((c for c in codes if c and unit_of[c] == unit), codes[0])

    figures = []
    for item in raw:
        for o in item.get("observations") or []:
            code = code_for(item, o)
            if code is None:
                continue
            pcode = period_code(o.get("period"))
            if pcode is None or o.get("type") in ("target", "plan", "forecast") or not isinstance(
                o.get("value"), (int, float)
            ):
                continue
            figures.append({
                "indicator": code,
                "period": pcode,
                "value": rescale(o["value"], o.get("unit") or item.get("unit"), unit_of[code]),
                "national": not o.get("reporter") and not o.get("dimension"),
                **{k: o[k] for k in ("yoy_change_pct", "plan_pct", "plan_value", "previous_value", "reporter",
                                      "dimension") if o.get(k) is not None},
                "source": o["source"],
                "quote": o.get("quote", ""),
            })
    figures.sort(key=lambda f: (f["indicator"], f["period"], f["source"]))
    published = {}
    for f in figures:
        if f["national"]:
            published.setdefault((f["indicator"], first_half(f["period"])), f)
    disagreements = []
    for f in figures:
        if not f["national"] or f.get("yoy_change_pct") is None or not f["period"].startswith("2023"):
            continue
        base_key = (f["indicator"], "2022" + first_half(f["period"])[4:])
        base = published.get(base_key)
        if base is None or base["source"].split(":")[0] == f["source"].split(":")[0]:
            continue
        if unit_of[f["indicator"]].startswith("%"):
            # For percentages the reports' "tăng X%" means percentage points.
            implied = num(f["value"]) - num(f["yoy_change_pct"])
        else:
            implied = num(f["value"]) / (1 + num(f["yoy_change_pct"]) / 100)
        pub = num(base["value"])
        if pub and abs(implied - pub) / pub > TOLERANCE:
            disagreements.append({
                "indicator": f["indicator"],
                "period": base_key[1],
                "published": base["value"],
                "published_source": base["source"],
                "implied": float(round(implied, 2)),
                "implied_by": f"{f['source']}: {f['value']} với thay đổi {f['yoy_change_pct']}% so với cùng kỳ",
                "gap_pct": float(round((implied - pub) / pub * 100, 2)),
                "demo_uses": "published",
            })
    doc = {
        "source": "Figures quoted in the seed reports (shared/seeds 000, 001, 002) as transcribed in "
                  "shared/reference/indicators.yaml, mapped to catalog codes by scripts/build_seed_figures.py.",
        "figures": figures,
        "disagreements": disagreements,
    }
    OUT.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    print(f"{len(figures)} figures ({sum(f['national'] for f in figures)} national), "
          f"{len(disagreements)} disagreements -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
