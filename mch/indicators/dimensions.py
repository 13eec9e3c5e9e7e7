"""What the disaggregation codes of the catalogue (``registry.DISAGGREGATIONS``) are called on
a page: the code stays in the catalogue files and the API, people read its name."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DISAGGREGATION_LABELS: dict[str, Promise] = {
    "unit": _("Administrative unit"),
    "sex": _("Sex"),
    "age_group": _("Age group"),
    "ethnicity": _("Ethnic group"),
    "ethnic_minority_area": _("Ethnic minority and mountainous area"),
    "zone": _("Area (I, II, III)"),
    "especially_difficult": _("Especially difficult area"),
    "border": _("Border area"),
    "urban_rural": _("Urban / rural"),
    "education": _("Education level"),
    "wealth": _("Household economic status"),
    "facility_level": _("Level of the health facility"),
    "place_of_delivery": _("Place of delivery"),
}


def disaggregation_label(code: str) -> str:
    """The name of a disaggregation in the active language; an unknown code as it is."""
    label = DISAGGREGATION_LABELS.get(code)
    return str(label) if label is not None else code
