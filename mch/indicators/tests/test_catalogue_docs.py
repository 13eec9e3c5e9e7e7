from __future__ import annotations

from mch.indicators import registry
from mch.indicators.catalogue_docs import render


def test_docs_table_lists_every_indicator_and_group() -> None:
    catalogue = registry.load_catalogue()

    text = render(catalogue)

    assert all(f"| `{code}` |" in text for code in catalogue.codes)
    assert all(f"| `{g.code}` |" in text for g in catalogue.population_groups)


def test_pipes_in_text_do_not_break_the_table() -> None:
    spec = registry.IndicatorSpec(
        code="x",
        domain="policy",
        name_vi="a | b",
        name_en="A",
        numerator="n",
        multiplier=1,
        unit_symbol="",
        direction="higher",
        data_source="policy",
        source="core.yaml",
    )

    text = render(registry.Catalogue((spec,), ()))

    assert "a \\| b" in text
