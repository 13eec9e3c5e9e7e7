from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from mch.orgunits.demo import DEMO_SOURCE, load_demo_facilities_and_attributes
from mch.orgunits.models import Attribute, Facility, Level, OrgUnit, UnitAttribute
from mch.orgunits.selectors import attribute_on

from .conftest import REFORM, Reference


def test_every_seed_commune_has_a_health_station(ref: Reference) -> None:
    for code in ("56", "68", "24", "15"):
        province = ref.unit(Level.PROVINCE, code, REFORM)
        communes = province.children.filter(level=Level.COMMUNE)
        stations = Facility.objects.filter(
            unit__in=communes, kind=Facility.Kind.COMMUNE_HEALTH_STATION
        )
        assert stations.count() == communes.count()


def test_old_and_new_stations_do_not_clash(ref: Reference) -> None:
    bac_giang = ref.unit(Level.PROVINCE, "24")
    old_communes = ref.unit(Level.PROVINCE, "24").children.count()

    assert old_communes == 10  # Bắc Giang's districts
    assert (
        Facility.objects.filter(code__endswith="-CU", unit__path__startswith=bac_giang.path).count()
        > 100
    )
    assert Facility.objects.get(code="BVSN-24").unit == ref.unit(Level.PROVINCE, "24", REFORM)


def test_demo_classification_is_marked_and_complete(ref: Reference) -> None:
    lao_cai = ref.unit(Level.PROVINCE, "15", REFORM)
    commune = lao_cai.children.order_by("code").first()

    demo = UnitAttribute.objects.filter(source=DEMO_SOURCE)
    assert not demo.exclude(legal_basis__startswith="DEMO").exists()
    assert attribute_on(commune, Attribute.ZONE, dt.date(2026, 3, 1)) in {"I", "II", "III"}
    assert attribute_on(commune, Attribute.ZONE, dt.date(2025, 9, 1)) in {"I", "II", "III"}
    assert attribute_on(commune, Attribute.ZONE, dt.date(2020, 1, 1)) is None  # a 2025 commune
    old = ref.unit(Level.PROVINCE, "10").children.first()  # old Lào Cai
    old_commune = OrgUnit.objects.filter(path__startswith=old.path, level=Level.COMMUNE).first()
    assert old_commune is not None
    for day, basis in (
        (dt.date(2016, 1, 1), "QĐ 582/QĐ-TTg"),
        (dt.date(2021, 6, 3), "QĐ 582/QĐ-TTg"),
        (dt.date(2021, 6, 4), "QĐ 861/QĐ-TTg"),
    ):
        row = UnitAttribute.objects.get(
            unit=old_commune, key=Attribute.ZONE, valid_from__lte=day, valid_to__gte=day
        )
        assert basis in row.legal_basis and row.source == DEMO_SOURCE
    assert attribute_on(old_commune, Attribute.ZONE, dt.date(2015, 12, 31)) is None


def test_especially_difficult_means_zone_three(ref: Reference) -> None:
    zone3 = set(
        UnitAttribute.objects.filter(key=Attribute.ZONE, value="III").values_list(
            "unit_id", "valid_from"
        )
    )
    difficult = set(
        UnitAttribute.objects.filter(key=Attribute.ESPECIALLY_DIFFICULT, value="true").values_list(
            "unit_id", "valid_from"
        )
    )

    assert zone3 == difficult
    assert len(zone3) > 50


def test_demo_load_is_idempotent_and_command_runs(ref: Reference) -> None:
    before = (Facility.objects.count(), UnitAttribute.objects.count())
    out = io.StringIO()

    report = load_demo_facilities_and_attributes()
    call_command("load_units", "--demo", stdout=out)

    assert (report.facilities_created, report.attributes_created) == (0, 0)
    assert (Facility.objects.count(), UnitAttribute.objects.count()) == before
    assert "commune: tạo mới 0, cập nhật 0, không đổi 13356" in out.getvalue()
    assert "DEMO: 0 cơ sở y tế, 0 phân loại mới" in out.getvalue()
