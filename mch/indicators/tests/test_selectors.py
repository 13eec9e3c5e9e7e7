from __future__ import annotations

import pytest

from mch.indicators.models import Indicator
from mch.indicators.selectors import fold, indicator_get, indicator_list, latest_versions
from mch.indicators.services import catalogue_load, indicator_version_create
from mch.indicators.tests.conftest import indicator_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(write_catalogue) -> None:
    entries = [
        indicator_entry(
            code="neonatal_mortality",
            domain="mortality",
            name_vi="Tỷ suất tử vong trẻ sơ sinh",
            name_en="Neonatal mortality rate",
            multiplier=1000,
            unit_symbol="‰",
            direction="lower",
        ),
        indicator_entry(
            code="facility_birth",
            name_vi="Tỷ lệ phụ nữ đẻ tại cơ sở y tế",
            name_en="Facility births",
        ),
        indicator_entry(code="eenc", name_vi="Chăm sóc sơ sinh thiết yếu sớm", name_en="EENC"),
    ]
    catalogue_load(directory=write_catalogue("core.yaml", entries))
    indicator_version_create(
        indicator=Indicator.objects.get(code="eenc"),
        changes={"name_en": "Early essential newborn care"},
        reason="tên đầy đủ",
        user=None,
    )


def test_list_prefetches_the_latest_version_without_n_plus_one(
    catalogue: None, django_assert_num_queries
) -> None:
    with django_assert_num_queries(2):
        indicators = indicator_list()
        names = {
            ind.code: (ind.latest_version.version, ind.latest_version.name_en) for ind in indicators
        }

    assert names["eenc"] == (2, "Early essential newborn care")
    assert names["facility_birth"] == (1, "Facility births")


def test_list_filters_by_domain(catalogue: None) -> None:
    assert [ind.code for ind in indicator_list(domain="mortality")] == ["neonatal_mortality"]


@pytest.mark.parametrize(
    ("search", "codes"),
    [
        ("tử vong", ["neonatal_mortality"]),
        ("TU VONG", ["neonatal_mortality"]),
        ("đẻ", ["facility_birth"]),
        ("de tai co so", ["facility_birth"]),
        ("essential", ["eenc"]),
        ("EENC", ["eenc"]),
        ("birth", ["facility_birth"]),
        ("không có", []),
    ],
)
def test_list_search_ignores_case_and_diacritics(
    catalogue: None, search: str, codes: list[str]
) -> None:
    assert sorted(ind.code for ind in indicator_list(search=search)) == codes


def test_search_uses_the_latest_name_only(catalogue: None) -> None:
    assert indicator_list(search="EENC")[0].latest_version.name_en == "Early essential newborn care"
    assert [ind.code for ind in indicator_list(search="early essential")] == ["eenc"]


def test_get_returns_indicator_with_latest_version(catalogue: None) -> None:
    assert indicator_get("eenc").latest_version.version == 2


def test_get_unknown_code_raises(catalogue: None) -> None:
    with pytest.raises(Indicator.DoesNotExist):
        indicator_get("nope")


def test_latest_versions_maps_codes_to_current_versions(
    catalogue: None, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        versions = latest_versions()
        numbers = {code: v.version for code, v in versions.items()}

    assert numbers == {"neonatal_mortality": 1, "facility_birth": 1, "eenc": 2}


def test_fold_removes_vietnamese_diacritics() -> None:
    assert fold("Tỷ suất tử vong Đẻ") == "ty suat tu vong de"
