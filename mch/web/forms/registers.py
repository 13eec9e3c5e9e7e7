"""The filters of a register list: commune and a date range."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mch.accounts.scope import Scope
from mch.orgunits.models import OrgUnit

from .fields import DayField


class CommuneField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class RegisterFilterForm(forms.Form):
    """Field names are the query parameters the register export reads too (xa, tu, den)."""

    xa = CommuneField(
        label=_("Commune"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("All")
    )
    tu = DayField(label=_("From"), required=False)
    den = DayField(label=_("To"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = OrgUnit.objects.filter(level="commune").valid_on(timezone.localdate())
        self.fields["xa"].queryset = Scope.for_user(user).filter(communes).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("tu"), data.get("den")
        if start and end and start > end:
            self.add_error("den", _("The end date is before the start date."))
        return data
