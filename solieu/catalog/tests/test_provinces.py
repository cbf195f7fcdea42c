"""The 2025 reform: 63 provinces until 2025-06-30, 34 from 2025-07-01 (admin_units.yaml)."""

from datetime import date

import pytest
import yaml

from solieu.catalog import loader
from solieu.catalog.models import Province, ReportingUnit

REFERENCE = yaml.safe_load((loader.DATA_DIR / "admin_units.yaml").read_text(encoding="utf-8"))
NEW = {p["code"]: p for p in REFERENCE["from_2025_07_01"]}
OLD = {p["code"]: p["name"] for p in REFERENCE["until_2025_06_30"]}


@pytest.fixture
def provinces(db):
    old, new = loader.load_provinces()
    loader.load_provincial_departments(old, new)


def test_counts_before_and_after(provinces):
    assert Province.objects.valid_on(date(2025, 6, 30)).count() == 63
    assert Province.objects.valid_on(date(2025, 7, 1)).count() == 34
    assert Province.objects.valid_on(date(2024, 6, 30)).count() == 63


@pytest.mark.parametrize("code", sorted(NEW))
def test_each_current_province_knows_its_former_provinces(provinces, code):
    current = Province.objects.valid_on(date(2025, 7, 1)).get(code=code)
    assert current.name == NEW[code]["name"]
    before = current.constituents_on(date(2025, 6, 30))
    assert sorted(p.code for p in before) == sorted(NEW[code]["formed_from"])
    if code != "46":  # Thừa Thiên Huế was already Thành phố Huế on 2025-06-30
        assert [p.name for p in sorted(before, key=lambda p: p.code)] == [
            OLD[c] for c in sorted(NEW[code]["formed_from"])
        ]
    for former in before:
        assert former.is_valid_on(date(2025, 6, 30))
    if NEW[code]["formed_from"] == [code] and current.valid_from is None:
        assert current.former_provinces() == []  # untouched: the same record continues
        assert current.valid_to is None
    else:
        links = list(current.predecessor_links.all())
        assert links
        for link in links:
            assert link.effective == current.valid_from
            assert (current.valid_from - link.predecessor.valid_to).days == 1
        if code != "46":
            assert current.valid_from == date(2025, 7, 1)
            assert link.legal_source == "Nghị quyết 202/2025/QH15"


def test_hue_was_renamed_before_the_reform(provinces):
    hue = Province.objects.current().get(code="46")
    assert hue.name == "Thành phố Huế" and hue.valid_from == date(2025, 1, 1) and hue.is_city
    (former,) = hue.former_provinces()
    assert former.name == "Thừa Thiên Huế" and former.valid_to == date(2024, 12, 31)


def test_code_24_means_bac_giang_before_and_bac_ninh_after(provinces):
    assert Province.objects.valid_on(date(2025, 6, 30)).get(code="24").name == "Bắc Giang"
    assert Province.objects.valid_on(date(2025, 7, 1)).get(code="24").name == "Bắc Ninh"


def test_six_centrally_run_cities(provinces):
    cities = Province.objects.current().filter(is_city=True)
    assert sorted(c.code for c in cities) == ["01", "31", "46", "48", "79", "92"]


def test_departments_follow_the_ministry_merger_and_the_reform(provinces):
    dept = ReportingUnit.objects.valid_on
    assert dept(date(2025, 2, 28)).filter(code__startswith="STTTT-").count() == 63
    assert dept(date(2025, 2, 28)).filter(code__startswith="SKHCN-").count() == 0
    assert dept(date(2025, 3, 1)).filter(kind="provincial_department").count() == 63
    assert dept(date(2025, 3, 1)).filter(code__startswith="SKHCN-").count() == 63
    assert dept(date(2025, 7, 1)).filter(kind="provincial_department").count() == 34

    # Bắc Giang's Sở TTTT -> Sở KH&CN Bắc Giang (interim) -> Sở KH&CN of the new Bắc Ninh.
    stttt = ReportingUnit.objects.get(code="STTTT-24")
    (interim,) = stttt.successors()
    assert interim.code == "SKHCN-24-63" and interim.valid_to == date(2025, 6, 30)
    (new,) = interim.successors()
    assert new.code == "SKHCN-24" and new.province.name == "Bắc Ninh"
    assert sorted(u.code for u in new.predecessors()) == ["SKHCN-24-63", "SKHCN-27-63"]

    # Hà Nội was untouched in July: its Sở KH&CN continues from 2025-03-01.
    hanoi = ReportingUnit.objects.get(code="SKHCN-01")
    assert hanoi.valid_from == date(2025, 3, 1) and hanoi.valid_to is None
    assert [u.code for u in hanoi.predecessors()] == ["STTTT-01"]


def test_loading_twice_changes_nothing(provinces):
    before = loader.counts()
    old, new = loader.load_provinces()
    loader.load_provincial_departments(old, new)
    assert loader.counts() == before
