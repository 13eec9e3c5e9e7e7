"""What every register form shares: the facilities the user may name, problems
from the registers' rules shown beside their field, the first field focused."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mch.orgunits.models import Facility
from mch.registers import rules
from mch.registers.services.write_scope import facilities_for


def user_facilities(user: Any) -> QuerySet[Facility]:
    """Facilities a user may name as the place of service (``write_scope``): those of the
    user's units and of the units above them (a commune records births at the provincial
    hospital too), not another commune's station."""
    return facilities_for(user, timezone.localdate())  # type: ignore[no-any-return]


def default_facility(user: Any) -> Facility | None:
    """The user's own facility, else the health station of the user's commune."""
    if getattr(user, "facility_id", None):
        return user.facility  # type: ignore[no-any-return]
    units = list(user.units.all()) if not user.is_superuser else []
    return (
        Facility.objects.filter(unit__in=units, kind=Facility.Kind.COMMUNE_HEALTH_STATION)
        .order_by("name")
        .first()
    )


class FacilityField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Facility) -> str:
        return obj.name


class RecordForm(forms.Form):
    """A form whose values go to a registers service as keyword arguments."""

    required_css_class = "required"
    error_css_class = "has-error"
    # Fields shown side by side on wider screens (blood pressure, weight and length).
    pairs: tuple[tuple[str, str], ...] = ()
    # Whether the facility starts as the user's own (not for a death: most are at home).
    facility_from_user = True

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if "facility" in self.fields and user is not None:
            field = self.fields["facility"]
            field.queryset = user_facilities(user)
            if self.facility_from_user and not self.is_bound and "facility" not in self.initial:
                self.initial["facility"] = default_facility(user)
        self.focus_first()

    def rows(self) -> list[list[forms.BoundField]]:
        """The fields in order, a pair's two fields in one row."""
        partner = {first: second for first, second in self.pairs if second in self.fields}
        seconds = set(partner.values())
        rows = []
        for name in self.fields:
            if name in seconds:
                continue
            rows.append([self[name]] + ([self[partner[name]]] if name in partner else []))
        return rows

    def focus_first(self) -> None:
        """Autofocus the first field with an error, else the first visible field."""
        target = None
        if self._errors:
            target = next((name for name in self.fields if name in self._errors), None)
        if target is None:
            target = next(
                (name for name, field in self.fields.items() if not field.widget.is_hidden), None
            )
        for name, field in self.fields.items():
            field.widget.attrs.pop("autofocus", None)
            if name == target:
                field.widget.attrs["autofocus"] = True

    def full_clean(self) -> None:
        super().full_clean()
        self.focus_first()

    def problems_show(self, problems: Iterable[rules.Problem]) -> None:
        """Put each problem from a registers service beside its field (Vietnamese, or
        English when the interface is), the others at the top of the form."""
        language = get_language() or "vi"
        shown: set[str] = set()
        for problem in problems:
            message = problem.message(language)
            if message in shown:  # the same rule failing for each baby of a delivery
                continue
            shown.add(message)
            self.add_error(problem.field if problem.field in self.fields else None, message)
        self.focus_first()


def facility_field(*, required: bool = False) -> FacilityField:
    return FacilityField(
        queryset=Facility.objects.none(),
        required=required,
        label=_("Health facility"),
        empty_label="—",
    )
