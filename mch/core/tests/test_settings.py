from django.conf import settings
from django.utils import formats, translation


def test_vietnamese_is_the_default_language() -> None:
    assert settings.LANGUAGE_CODE == "vi"


def test_vietnamese_numbers_use_the_decimal_comma_and_dates_day_first() -> None:
    import datetime as dt
    from decimal import Decimal

    with translation.override("vi"):
        assert formats.number_format(Decimal("9.5"), 1) == "9,5"
        assert formats.date_format(dt.date(2026, 12, 5), "SHORT_DATE_FORMAT") == "05/12/2026"
