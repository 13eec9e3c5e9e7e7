"""Page forms; their lists come from the forms version in force (``registry.FormsSpec``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mch.orgunits.models import Agency, Facility

from .models import Action, BoardMember
from .registry import FormsSpec

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
D_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _blank(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


def _extra_fields(form: forms.Form, spec: FormsSpec, code: str, lang: str) -> None:
    """The configurable fields of form M1/M2, prefixed ``x_``."""
    key = "name_en" if lang.startswith("en") else "name_vi"
    for item in spec.form_fields(code):
        name = f"x_{item['code']}"
        label = item[key]
        kind = item["kind"]
        if kind == "choice":
            options = [(o["code"], o[key]) for o in item["options"]]
            form.fields[name] = forms.ChoiceField(
                label=label, choices=_blank(options), required=False
            )
        elif kind == "yesno":
            form.fields[name] = forms.ChoiceField(
                label=label, choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], required=False
            )
        elif kind == "date":
            form.fields[name] = forms.DateField(
                label=label, required=False, widget=DATE, input_formats=D_FORMATS
            )
        elif kind == "textarea":
            form.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        else:
            form.fields[name] = forms.CharField(label=label, required=False, max_length=300)


def extra_values(form: forms.Form) -> dict[str, Any]:
    values = {}
    for name, value in form.cleaned_data.items():
        if name.startswith("x_"):
            values[name[2:]] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


class NotificationForm(forms.Form):
    notified_at = forms.DateTimeField(
        label=_("Notified at"), widget=DATETIME, input_formats=DT_FORMATS
    )
    died_at = forms.DateTimeField(
        label=_("Time of death (if known)"),
        widget=DATETIME,
        input_formats=DT_FORMATS,
        required=False,
    )
    reporter_name = forms.CharField(label=_("Reported by"), max_length=200)
    reporter_position = forms.CharField(label=_("Position / unit"), max_length=200, required=False)
    place = forms.CharField(label=_("Where she died"), max_length=300)
    circumstances = forms.CharField(
        label=_("Circumstances"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, spec: FormsSpec, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _extra_fields(self, spec, "m1", lang)


class ReviewForm(forms.Form):
    method = forms.ChoiceField(label=_("Review method"))
    meeting_date = forms.DateField(
        label=_("Meeting date"), required=False, widget=DATE, input_formats=D_FORMATS
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Board members present"),
        queryset=BoardMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    underlying_cause = forms.ChoiceField(label=_("Underlying cause (ICD-MM group)"), required=False)
    contributing = forms.CharField(
        label=_("Contributing conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    factors = forms.MultipleChoiceField(
        label=_("Three delays: factors found"), required=False, widget=forms.CheckboxSelectMultiple
    )
    avoidability = forms.ChoiceField(label=_("Avoidability"), required=False)
    case_summary = forms.CharField(
        label=_("Case summary (confidential, board only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    complete = forms.BooleanField(label=_("Review completed"), required=False)

    def __init__(self, *args: Any, spec: FormsSpec, lang: str, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = _blank(spec.choices("review_methods", lang))
        self.fields["underlying_cause"].choices = _blank(spec.choices("icd_mm_groups", lang))
        self.fields["avoidability"].choices = _blank(spec.choices("avoidability", lang))
        self.fields["factors"].choices = spec.factor_choices(lang)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.username} — {spec.label('board_roles', m.role, lang)}"
        )
        _extra_fields(self, spec, "m2", lang)


class PerinatalReviewForm(forms.Form):
    method = forms.ChoiceField(label=_("Review method"))
    meeting_date = forms.DateField(
        label=_("Meeting date"), required=False, widget=DATE, input_formats=D_FORMATS
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Board members present"),
        queryset=BoardMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cause = forms.ChoiceField(label=_("Cause group (ICD-PM)"), required=False)
    maternal_condition = forms.ChoiceField(label=_("Maternal condition (ICD-PM)"), required=False)
    factors = forms.MultipleChoiceField(
        label=_("Three delays: factors found"), required=False, widget=forms.CheckboxSelectMultiple
    )
    avoidability = forms.ChoiceField(label=_("Avoidability"), required=False)
    case_summary = forms.CharField(
        label=_("Case summary (confidential, board only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    complete = forms.BooleanField(label=_("Review completed"), required=False)

    def __init__(
        self, *args: Any, spec: FormsSpec, lang: str, kind: str, members: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = _blank(spec.choices("review_methods", lang))
        if kind == "under5":
            self.fields["cause"].label = _("Cause group")
            self.fields["cause"].choices = _blank(spec.choices("child_causes", lang))
            del self.fields["maternal_condition"]
        else:
            timings = "AI" if kind == "stillbirth" else "N"
            self.fields["cause"].choices = _blank(spec.pm_choices(timings, lang))
            self.fields["maternal_condition"].choices = _blank(
                spec.choices("icd_pm_maternal", lang)
            )
        self.fields["avoidability"].choices = _blank(spec.choices("avoidability", lang))
        self.fields["factors"].choices = spec.factor_choices(lang)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.username} — {spec.label('board_roles', m.role, lang)}"
        )
        _extra_fields(self, spec, "p2", lang)


class ActionForm(forms.Form):
    recommendation = forms.CharField(
        label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2})
    )
    action = forms.CharField(
        label=_("Action"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_agency = forms.ModelChoiceField(
        label=_("Owner (agency)"), queryset=Agency.objects.none(), required=False
    )
    owner_facility = forms.ModelChoiceField(
        label=_("Owner (facility)"), queryset=Facility.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, input_formats=D_FORMATS)

    def __init__(self, *args: Any, agencies: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies
        self.fields["owner_facility"].queryset = facilities


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    done_on = forms.DateField(
        label=_("Done on"), required=False, widget=DATE, input_formats=D_FORMATS
    )
    progress_note = forms.CharField(label=_("Progress note"), required=False, max_length=300)


class RedAlertForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Hospital"), queryset=Facility.objects.none())
    called_at = forms.DateTimeField(
        label=_("Time of call"), widget=DATETIME, input_formats=DT_FORMATS
    )
    level = forms.ChoiceField(label=_("Level"))
    emergency = forms.ChoiceField(label=_("Obstetric emergency"))
    team_arrived_at = forms.DateTimeField(
        label=_("Team arrived at"), widget=DATETIME, input_formats=DT_FORMATS, required=False
    )
    procedures = forms.CharField(
        label=_("Procedures"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    mother_outcome = forms.ChoiceField(label=_("Outcome for the mother"))
    baby_outcome = forms.ChoiceField(label=_("Outcome for the baby"))
    person_id = forms.IntegerField(
        label=_("Woman's record number (if registered)"), required=False, min_value=1
    )

    def __init__(
        self, *args: Any, spec: FormsSpec, lang: str, facilities: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["level"].choices = _blank(spec.choices("red_alert_levels", lang))
        self.fields["emergency"].choices = _blank(spec.choices("red_alert_emergencies", lang))
        outcomes = _blank(spec.choices("red_alert_outcomes", lang))
        self.fields["mother_outcome"].choices = outcomes
        self.fields["baby_outcome"].choices = outcomes

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        called, arrived = data.get("called_at"), data.get("team_arrived_at")
        if called and arrived and arrived < called:
            self.add_error(
                "team_arrived_at",
                _(
                    "The team's arrival (%(arrived)s) is before the call (%(called)s): "
                    "check both times."
                )
                % {
                    "arrived": timezone.localtime(arrived).strftime("%d/%m/%Y %H:%M"),
                    "called": timezone.localtime(called).strftime("%d/%m/%Y %H:%M"),
                },
            )
        return data
