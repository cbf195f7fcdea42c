"""Loads the default national catalog from the YAML files in catalog/data.

Idempotent: each object is found by its natural key and brought up to date, so loading
twice leaves the same rows. Provinces and provincial departments are built from
admin_units.yaml, which records the 2025 reform; see docs/decisions.md.
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from . import models as m

DATA_DIR = Path(__file__).parent / "data"

REFORM_DAY = date(2025, 7, 1)          # 34 provinces (Nghị quyết 202/2025/QH15)
LAST_OLD_DAY = date(2025, 6, 30)
DEPARTMENT_MERGER_DAY = date(2025, 3, 1)  # Sở TTTT merged into Sở KH&CN
PROVINCE_REFORM_SOURCE = "Nghị quyết 202/2025/QH15"
DEPARTMENT_MERGER_SOURCE = "Hợp nhất Sở Thông tin và Truyền thông vào Sở Khoa học và Công nghệ từ 01/3/2025"
# Same composition, new name: not part of the 2025-07-01 reform.
RENAMES = {"46": (date(2025, 1, 1), "Nghị quyết 1314/NQ-UBTVQH15")}
CITIES_2025 = {"01", "31", "46", "48", "79", "92"}


def read(name):
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _upsert(model, lookup, **fields):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **fields)
    changed = [k for k, v in fields.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, fields[k])
        obj.save(update_fields=changed)
    return obj


def load_provinces():
    """The 63 former and 34 current provinces, linked by succession."""
    data = read("admin_units.yaml")
    new_by_code = {p["code"]: p for p in data["from_2025_07_01"]}
    unchanged = {
        code for code, p in new_by_code.items() if p["formed_from"] == [code]
    }
    old = {}
    for p in data["until_2025_06_30"]:
        code = p["code"]
        if code in unchanged and code not in RENAMES:
            valid_to = None
        elif code in RENAMES:
            valid_to = RENAMES[code][0] - timedelta(days=1)
        else:
            valid_to = LAST_OLD_DAY
        old[code] = _upsert(
            m.Province, {"code": code, "valid_from": None},
            name=p["name"], is_city=p["name"].startswith("Thành phố"), valid_to=valid_to,
        )
    new = {}
    for code, p in new_by_code.items():
        if code in unchanged and code not in RENAMES:
            new[code] = old[code]
            if code in CITIES_2025 and not old[code].is_city:
                old[code].is_city = True
                old[code].save(update_fields=["is_city"])
            continue
        start = RENAMES[code][0] if code in RENAMES else REFORM_DAY
        province = _upsert(
            m.Province, {"code": code, "valid_from": start},
            name=p["name"], is_city=code in CITIES_2025, valid_to=None,
        )
        new[code] = province
        for former in p["formed_from"]:
            kind = m.Succession.Kind.RENAME if code in RENAMES else m.Succession.Kind.MERGER
            source = RENAMES[code][1] if code in RENAMES else PROVINCE_REFORM_SOURCE
            _upsert(m.ProvinceSuccession, {"predecessor": old[former], "successor": province},
                    kind=kind, effective=start, legal_source=source)
    return old, new


def load_provincial_departments(old, new):
    """Sở TTTT of the 63 provinces, then Sở KH&CN: of the 63 from 2025-03-01, of the 34 from 2025-07-01.

    Codes: STTTT-<old code>; SKHCN-<code> for the current departments (including the
    unchanged provinces, whose Sở KH&CN simply continues); SKHCN-<old code>-63 for the
    departments of provinces merged on 2025-07-01.
    """
    data = read("admin_units.yaml")
    merged_away = {}
    for p in data["from_2025_07_01"]:
        if p["formed_from"] != [p["code"]]:
            for former in p["formed_from"]:
                merged_away[former] = p["code"]
    kind = m.ReportingUnit.Kind.PROVINCIAL_DEPARTMENT
    current = {}
    for code, province in new.items():
        name = province.name
        current[code] = _upsert(
            m.ReportingUnit, {"code": f"SKHCN-{code}"},
            name=f"Sở Khoa học và Công nghệ {name}", short_name=f"Sở KH&CN {_short(name)}", kind=kind,
            province=province,
            valid_from=DEPARTMENT_MERGER_DAY if code not in merged_away else REFORM_DAY, valid_to=None,
        )
    for code, province in old.items():
        ttt = _upsert(
            m.ReportingUnit, {"code": f"STTTT-{code}"},
            name=f"Sở Thông tin và Truyền thông {province.name}", short_name=f"Sở TTTT {_short(province.name)}",
            kind=kind, province=province, valid_from=None, valid_to=DEPARTMENT_MERGER_DAY - timedelta(days=1),
        )
        if code in merged_away:
            interim = _upsert(
                m.ReportingUnit, {"code": f"SKHCN-{code}-63"},
                name=f"Sở Khoa học và Công nghệ {province.name}", short_name=f"Sở KH&CN {_short(province.name)}",
                kind=kind, province=province, valid_from=DEPARTMENT_MERGER_DAY, valid_to=LAST_OLD_DAY,
            )
            _upsert(m.UnitSuccession, {"predecessor": interim, "successor": current[merged_away[code]]},
                    kind=m.Succession.Kind.MERGER, effective=REFORM_DAY, legal_source=PROVINCE_REFORM_SOURCE)
        else:
            interim = current[code]
        _upsert(m.UnitSuccession, {"predecessor": ttt, "successor": interim},
                kind=m.Succession.Kind.MERGER, effective=DEPARTMENT_MERGER_DAY, legal_source=DEPARTMENT_MERGER_SOURCE)


def _short(name):
    return name.removeprefix("Thành phố ").removeprefix("Tỉnh ")


def province_on(code, day):
    """The province with `code` that was valid on `day`."""
    return m.Province.objects.valid_on(day).filter(code=code).first()


def load_sectors():
    for s in read("sectors.yaml")["sectors"]:
        _upsert(m.Sector, {"code": s["code"]}, name=s["name"], sort_order=s.get("sort", 0))


def load_indicators():
    items = read("indicators.yaml")["indicators"]
    sectors = {s.code: s for s in m.Sector.objects.all()}
    for i in items:
        _upsert(
            m.Indicator, {"code": i["code"]},
            sector=sectors[i["sector"]], name=i["name"], short_name=i.get("short_name") or "",
            unit=i["unit"], value_type=i.get("value_type", "decimal"), decimals=i.get("decimals", 0),
            aggregation=i.get("aggregation", "sum"), time_aggregation=i.get("time_aggregation", "flow"),
            factor=Decimal(str(i.get("factor", 1))), increase_is_good=i.get("increase_is_good"),
            description=i.get("description") or "", legal_source=i.get("legal_source") or "",
            aliases=i.get("aliases") or [],
        )
    by_code = {x.code: x for x in m.Indicator.objects.all()}
    for i in items:
        ind = by_code[i["code"]]
        num, den = by_code.get(i.get("numerator")), by_code.get(i.get("denominator"))
        if ind.numerator != num or ind.denominator != den:
            ind.numerator, ind.denominator = num, den
            ind.save(update_fields=["numerator", "denominator"])
        ind.full_clean(validate_unique=False, validate_constraints=False)


def load_disaggregations():
    m.DisaggregationOption.total()
    for d in read("disaggregations.yaml")["disaggregations"]:
        dis = _upsert(m.Disaggregation, {"code": d["code"]}, name=d["name"])
        for n, o in enumerate(d["options"]):
            _upsert(m.DisaggregationOption, {"disaggregation": dis, "code": str(o["code"])},
                    name=o["name"], sort_order=n)


def load_units():
    items = read("units.yaml")["units"]
    sectors = {s.code: s for s in m.Sector.objects.all()}
    for u in items:
        seat = None
        if u.get("province"):
            day = u.get("valid_from") or date(2020, 1, 1)
            seat = province_on(str(u["province"]), day) or m.Province.objects.filter(code=str(u["province"])).first()
        unit = _upsert(
            m.ReportingUnit, {"code": u["code"]},
            name=u["name"], short_name=u.get("short_name") or "", kind=u["kind"], province=seat,
            valid_from=u.get("valid_from"), valid_to=u.get("valid_to"), note=u.get("note") or "",
        )
        unit.sectors.set([sectors[s] for s in u.get("sectors") or []])
    units = {x.code: x for x in m.ReportingUnit.objects.all()}
    for u in items:
        unit = units[u["code"]]
        parent = units.get(u.get("parent"))
        if unit.parent != parent:
            unit.parent = parent
            unit.save(update_fields=["parent"])
        for p in u.get("predecessors") or []:
            _upsert(m.UnitSuccession, {"predecessor": units[p], "successor": unit},
                    kind=m.Succession.Kind.TRANSFER, effective=unit.valid_from or date(2025, 3, 1))


def load_forms():
    sectors = {s.code: s for s in m.Sector.objects.all()}
    indicators = {i.code: i for i in m.Indicator.objects.all()}
    dis = {d.code: d for d in m.Disaggregation.objects.all()}
    units = {u.code: u for u in m.ReportingUnit.objects.all()}
    for f in read("forms.yaml")["forms"]:
        form = _upsert(
            m.Form, {"code": f["code"], "version": f.get("version", 1)},
            name=f["name"], sector=sectors[f["sector"]], regime=f["regime"], period_type=f["period_type"],
            receiving_unit=units.get(f.get("receiving_unit")), legal_source=f.get("legal_source") or "",
            description=f.get("description") or "", on_time_days=f.get("on_time_days", 0),
            expiry_days=f.get("expiry_days", 30),
        )
        tiers = set()
        for d in f.get("deadlines") or []:
            tiers.add(d["tier"])
            _upsert(m.FormDeadline, {"form": form, "tier": d["tier"]}, month_offset=d["month_offset"], day=d["day"])
        form.deadlines.exclude(tier__in=tiers).delete()
        codes = []
        rows = {}
        for n, r in enumerate(f["rows"]):
            code = str(r["code"])
            codes.append(code)
            rows[code] = _upsert(
                m.FormRow, {"form": form, "code": code},
                indicator=indicators[r["indicator"]] if r.get("indicator") else None,
                label=r.get("label") or "", is_total=bool(r.get("total")),
                disaggregation=dis[r["disaggregation"]] if r.get("disaggregation") else None,
                required=bool(r.get("required")), sort_order=n, parent=None if not r.get("parent") else rows[str(r["parent"])],
            )
        form.rows.exclude(code__in=codes).delete()
        assigned = [u for u in units.values() if u.kind == f.get("assigned_kind")]
        assigned += [units[c] for c in f.get("assigned_units") or [] if units[c] not in assigned]
        for unit in assigned:
            _upsert(m.FormAssignment, {"form": form, "unit": unit}, valid_from=unit.valid_from, valid_to=unit.valid_to)
        form.assignments.exclude(unit__in=assigned).delete()


def load_rules():
    """Form rules (catalog/data/rules.yaml), checked against the form's rows before storing."""
    from solieu.collection import validation
    from solieu.collection.models import ValidationRule

    for form_code, rules in read("rules.yaml")["rules"].items():
        form = m.Form.objects.filter(code=form_code).order_by("-version").first()
        rows = {r.code: r for r in form.rows.select_related("disaggregation").prefetch_related(
            "disaggregation__options")}
        options = {code: [o.code for o in r.disaggregation.options.all()] if r.disaggregation_id else []
                   for code, r in rows.items()}
        for r in rules:
            rule = validation.Rule(code=r["code"], left=r["left"], operator=r["operator"], right=r["right"],
                                   missing=r.get("missing", "skip_if_any_missing"), level=r.get("level", "error"),
                                   message=r.get("message", ""))
            problems = validation.validate_rule(rule, set(rows), options)
            if problems:
                raise ValueError(f"rules.yaml {form_code} {r['code']}: {'; '.join(problems)}")
            _upsert(ValidationRule, {"form": form, "code": r["code"]}, left=rule.left, operator=rule.operator,
                    right=rule.right, missing=rule.missing, level=rule.level, message=rule.message)


def load_targets():
    path = DATA_DIR / "targets.yaml"
    if not path.exists():
        return
    indicators = {i.code: i for i in m.Indicator.objects.all()}
    for t in read("targets.yaml")["targets"]:
        province = province_on(t["province"], date(t["year"], 12, 31)) if t.get("province") else None
        _upsert(m.Target, {"indicator": indicators[t["indicator"]], "year": t["year"], "province": province},
                value=Decimal(str(t["value"])), source=t.get("source") or "", note=t.get("note") or "")


COUNTED = [
    ("Lĩnh vực", m.Sector), ("Chỉ tiêu", m.Indicator), ("Phân tổ", m.Disaggregation),
    ("Giá trị phân tổ", m.DisaggregationOption), ("Tỉnh, thành phố", m.Province),
    ("Kế thừa tỉnh", m.ProvinceSuccession), ("Đơn vị báo cáo", m.ReportingUnit),
    ("Kế thừa đơn vị", m.UnitSuccession), ("Biểu mẫu", m.Form), ("Dòng biểu", m.FormRow),
    ("Hạn gửi", m.FormDeadline), ("Phân công báo cáo", m.FormAssignment), ("Kế hoạch năm", m.Target),
]


def counts():
    from solieu.collection.models import ValidationRule

    return {label: model.objects.count() for label, model in COUNTED + [("Quy tắc kiểm tra", ValidationRule)]}


@transaction.atomic
def load_catalog(progress=None):
    steps = [
        ("tỉnh, thành phố", None), ("lĩnh vực", load_sectors), ("chỉ tiêu", load_indicators),
        ("phân tổ", load_disaggregations), ("đơn vị", load_units), ("biểu mẫu", load_forms),
        ("quy tắc kiểm tra", load_rules), ("kế hoạch", load_targets),
    ]
    for n, (label, step) in enumerate(steps, 1):
        if progress:
            progress(n, len(steps), label)
        if step is None:
            old, new = load_provinces()
            load_provincial_departments(old, new)
        else:
            step()
    return counts()
