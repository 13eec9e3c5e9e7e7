"""Serializer fields of the registers API: coded choices documented with their Vietnamese
labels, warning flags with their messages, and record references by id or code."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import get_language
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from ..bundle.spec import CHOICES
from ..ethnicities import NAMES
from ..models import AgeGroup, MaternalGroup, Nutrition, ReviewStatus, Source
from ..rules import MESSAGES

# Choice sets of read-only columns, which the import bundle does not carry.
_MODEL_CHOICES: dict[str, type[models.TextChoices]] = {
    "nutrition": Nutrition,
    "age_group": AgeGroup,
    "maternal_group": MaternalGroup,
    "review_status": ReviewStatus,
    "source": Source,
}


def choice_codes(choice_set: str) -> list[str]:
    if choice_set in CHOICES:
        return list(CHOICES[choice_set])
    if choice_set == "ethnicity":
        return ["", *NAMES]
    return list(_MODEL_CHOICES[choice_set].values)


def choice_labels(choice_set: str) -> dict[str, str]:
    """code -> Vietnamese label of a choice set, in the order forms show them."""
    if choice_set in CHOICES:
        return CHOICES[choice_set]
    if choice_set == "ethnicity":
        return {"": "Không rõ", **NAMES}
    with translation.override("vi"):
        return {code: str(label) for code, label in _MODEL_CHOICES[choice_set].choices}


def choice_sets() -> dict[str, dict[str, str]]:
    return {name: choice_labels(name) for name in [*CHOICES, "ethnicity", *_MODEL_CHOICES]}


class CodeChoiceField(serializers.ChoiceField):
    """A coded value of one of the registers' choice sets (``bundle.spec.CHOICES``)."""

    def __init__(self, choice_set: str, **kwargs: Any):
        self.choice_set = choice_set
        codes = choice_codes(choice_set)
        kwargs.setdefault("allow_blank", "" in codes)
        super().__init__(choices=codes, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value if value is not None else ""


class CodeChoiceSchema(OpenApiSerializerFieldExtension):
    """Each choice set is one named enum component, described with its Vietnamese labels.

    Named here rather than by drf-spectacular's enum hook: the same field name (``place``,
    ``outcome``) holds different choice sets in different record types, and one choice set
    serves several fields (``hiv_test``, ``syphilis_test``)."""

    target_class = CodeChoiceField

    def get_name(self) -> str:
        return "".join(part.title() for part in self.target.choice_set.split("_")) + "Code"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        labels = choice_labels(self.target.choice_set)
        lines = "\n".join(f"* `{code}` — {label}" for code, label in labels.items())
        return {
            "type": "string",
            "enum": list(labels),
            "description": f"Mã (code) — nhãn tiếng Việt:\n\n{lines}",
        }


def flag_message(code: str, language: str | None = None) -> str:
    """The message of a stored warning code. The values that filled it when the record was
    checked are not stored, so placeholders show as "…". Codes of the immunisation engine
    (``dose_…``) carry no stored message: the code is returned."""
    if code.startswith("dose_") or code not in MESSAGES:
        return code
    vi, en = MESSAGES[code]
    template = en if (language or get_language() or "vi").startswith("en") else vi
    return re.sub(r"\{\w+\}", "…", template)


class FlagSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Warning code (mch.registers.rules).")
    message = serializers.CharField(
        help_text="Message in the request's language (Vietnamese unless English is chosen)."
    )


class FlagsField(serializers.ListField):
    """The warnings kept with a record, as ``[{code, message}]``."""

    child = FlagSerializer()

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text",
            "Warnings kept with the record (a record with errors is refused, never stored).",
        )
        super().__init__(**kwargs)

    def to_representation(self, data: Any) -> list[dict[str, str]]:
        language = get_language() or "vi"
        return [{"code": code, "message": flag_message(code, language)} for code in data or []]
