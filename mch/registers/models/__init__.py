"""The registers: people and their care events (see the app README)."""

from typing import Any

from .base import CareEvent, GroupSnapshot, Recorded, Source
from .child import (
    CheckUp,
    GrowthMeasurement,
    Illness,
    IllnessKind,
    Immunisation,
    InjuryType,
    Nutrition,
    Position,
)
from .deaths import (
    AgeGroup,
    CauseGroup,
    Death,
    DeathPlace,
    MaternalCause,
    MaternalGroup,
    PregnancyRelation,
    ReviewStatus,
)
from .maternal import (
    AntenatalVisit,
    Attendant,
    Birth,
    BirthOutcome,
    ContactPlace,
    Delivery,
    DeliveryMode,
    DeliveryPlace,
    MotherOutcome,
    PostnatalContact,
    PostnatalSubject,
    Pregnancy,
    PregnancyOutcome,
    Provider,
    TestResult,
)
from .people import Education, Person, Poverty, Residence, Sex
from .perinatal import PerinatalCause, PerinatalMaternalCondition
from .records import AuditAction, AuditEntry, ImportBatch, RegisterSettings

# Every kind of care event, in the order records come (for code that must visit them all).
CARE_EVENT_MODELS: tuple[Any, ...] = (  # concrete CareEvent models
    Pregnancy,
    AntenatalVisit,
    Delivery,
    Birth,
    PostnatalContact,
    CheckUp,
    GrowthMeasurement,
    Immunisation,
    Illness,
    Death,
)

__all__ = [
    "CARE_EVENT_MODELS",
    "AgeGroup",
    "AntenatalVisit",
    "Attendant",
    "AuditAction",
    "AuditEntry",
    "Birth",
    "BirthOutcome",
    "CareEvent",
    "CauseGroup",
    "CheckUp",
    "ContactPlace",
    "Death",
    "DeathPlace",
    "Delivery",
    "DeliveryMode",
    "DeliveryPlace",
    "Education",
    "GroupSnapshot",
    "GrowthMeasurement",
    "Illness",
    "IllnessKind",
    "Immunisation",
    "ImportBatch",
    "InjuryType",
    "MotherOutcome",
    "MaternalCause",
    "MaternalGroup",
    "Nutrition",
    "PerinatalCause",
    "PerinatalMaternalCondition",
    "Person",
    "Position",
    "PostnatalContact",
    "PostnatalSubject",
    "Poverty",
    "Pregnancy",
    "PregnancyOutcome",
    "PregnancyRelation",
    "Provider",
    "Recorded",
    "RegisterSettings",
    "Residence",
    "ReviewStatus",
    "Sex",
    "Source",
    "TestResult",
]
