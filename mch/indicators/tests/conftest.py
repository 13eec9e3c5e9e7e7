from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml


def indicator_entry(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": "test_rate",
        "domain": "coverage",
        "name_vi": "Tỷ lệ thử",
        "name_en": "Test rate",
        "definition_vi": "Định nghĩa",
        "definition_en": "Definition",
        "numerator": "Tử số",
        "denominator": "Mẫu số",
        "multiplier": 100,
        "unit_symbol": "%",
        "direction": "higher",
        "data_source": "registers",
        "disaggregations": ["unit", "sex"],
        "notes": "",
    }
    entry.update(overrides)
    return entry


def catalogue_text(
    indicators: list[dict[str, Any]], groups: list[dict[str, Any]] | None = None
) -> str:
    data: dict[str, Any] = {"format": "mch-catalogue/1", "indicators": indicators}
    if groups is not None:
        data["population_groups"] = groups
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def write_catalogue(tmp_path: Path):
    def write(
        name: str, indicators: list[dict[str, Any]], groups: list[dict[str, Any]] | None = None
    ) -> Path:
        (tmp_path / name).write_text(catalogue_text(indicators, groups), encoding="utf-8")
        return tmp_path

    return write
