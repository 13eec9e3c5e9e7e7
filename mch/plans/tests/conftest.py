import datetime as dt

import pytest

from mch.core.testing import make_unit
from mch.indicators.models import Indicator, IndicatorVersion, PopulationGroup


def make_indicator(
    code: str, *, multiplier: int = 100, symbol: str = "%", direction: str = "higher"
):
    indicator = Indicator.objects.create(code=code, domain="coverage")
    IndicatorVersion.objects.create(
        indicator=indicator,
        version=1,
        name_vi=f"Chỉ số {code}",
        name_en=f"Indicator {code}",
        numerator="n",
        denominator="d",
        multiplier=multiplier,
        unit_symbol=symbol,
        direction=direction,
        data_source="registers",
    )
    return indicator


@pytest.fixture
def plan_world(db):
    country = make_unit(code="VN", name="Việt Nam", level="country")
    province = make_unit(
        code="58",
        name="Tỉnh Ninh Thuận",
        level="province",
        parent=country,
        valid_to=dt.date(2025, 6, 30),
    )
    make_indicator("neonatal_mortality", multiplier=1000, symbol="‰", direction="lower")
    make_indicator("skilled_birth_attendance")
    make_indicator("exclusive_breastfeeding_u6m")
    PopulationGroup.objects.create(code="all", name_vi="Toàn bộ", name_en="Everyone")
    PopulationGroup.objects.create(
        code="ethnic_minority", name_vi="Người dân tộc thiểu số", name_en="Ethnic minorities"
    )
    return {"country": country, "province": province}
