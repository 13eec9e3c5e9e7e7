"""The registers over REST (``/api/registers/``): people and one endpoint per record type.

Reads go through the scoped selectors, writes through the services; serializers only
parse and shape. Every endpoint needs a role that may see people (``can_see_people``).
"""

from __future__ import annotations

from typing import Any

from .child import CheckUpViewSet, DeathViewSet, GrowthViewSet, IllnessViewSet, ImmunisationViewSet
from .choices import ChoicesView
from .maternal import (
    AntenatalVisitViewSet,
    BirthViewSet,
    DeliveryViewSet,
    PostnatalContactViewSet,
    PregnancyViewSet,
)
from .people import PersonViewSet

ROUTES: tuple[tuple[str, Any, str], ...] = (
    ("registers/people", PersonViewSet, "registers-person"),
    ("registers/pregnancies", PregnancyViewSet, "registers-pregnancy"),
    ("registers/antenatal-visits", AntenatalVisitViewSet, "registers-antenatal-visit"),
    ("registers/deliveries", DeliveryViewSet, "registers-delivery"),
    ("registers/births", BirthViewSet, "registers-birth"),
    ("registers/postnatal-contacts", PostnatalContactViewSet, "registers-postnatal-contact"),
    ("registers/checkups", CheckUpViewSet, "registers-checkup"),
    ("registers/growth", GrowthViewSet, "registers-growth"),
    ("registers/immunisations", ImmunisationViewSet, "registers-immunisation"),
    ("registers/illnesses", IllnessViewSet, "registers-illness"),
    ("registers/deaths", DeathViewSet, "registers-death"),
)


def register_routes(router: Any) -> None:
    """Add the registers' endpoints to the API router."""
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)


__all__ = ["ROUTES", "ChoicesView", "register_routes"]
