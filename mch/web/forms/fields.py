"""Form fields for fast keyboard entry: dates typed dd/mm/yyyy, numbers with a decimal
comma, yes/no as radio groups, and choice labels in the interface language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import TextChoices
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mch.core.dates import dmy
from mch.core.day_range import validate_day_in_range
from mch.registers.bundle.spec import CHOICES

DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%d%m%Y", "%Y-%m-%d")


def choice_list(
    key: str, model_choices: type[TextChoices] | None = None, *, blank: str | None = None
) -> list[tuple[str, str]]:
    """The choices of ``CHOICES[key]`` in form order: the Vietnamese labels of the register
    books, or the model's English labels when the interface is in English. ``blank``
    replaces the label of the empty code (or adds an empty first choice)."""
    english = (get_language() or "vi").startswith("en") and model_choices is not None
    labels = dict(model_choices.choices) if english and model_choices else {}
    items = [(code, str(labels.get(code, label))) for code, label in CHOICES[key].items()]
    if blank is not None:
        items = [(code, label) for code, label in items if code != ""]
        items.insert(0, ("", blank))
    return items


class DayInput(forms.TextInput):
    """A date typed as dd/mm/yyyy: a text box with a numeric keyboard on phones."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "inputmode": "numeric",
            "placeholder": "dd/mm/yyyy",
            "autocomplete": "off",
            "size": "10",
            "maxlength": "10",
            "class": "day",
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return f"{dmy(value)}"
        return super().format_value(value)


class DayField(forms.DateField):
    widget = DayInput
    input_formats = DATE_FORMATS
    default_error_messages = {"invalid": _("Type the date as dd/mm/yyyy.")}
    default_validators = [validate_day_in_range]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)


class TimeField(forms.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ("%H:%M", "%H.%M", "%Hh%M", "%H%M", "%Hh"))
        kwargs.setdefault(
            "widget",
            forms.TimeInput(
                format="%H:%M",
                attrs={"inputmode": "numeric", "placeholder": "hh:mm", "size": "5"},
            ),
        )
        kwargs.setdefault("error_messages", {"invalid": _("Type the time as hh:mm.")})
        super().__init__(**kwargs)


class DecimalCommaField(forms.FloatField):
    """A measurement such as 3,2 kg: comma or point as the decimal mark, no thousands."""

    def __init__(self, *, digits: int = 1, **kwargs: Any) -> None:
        self.digits = digits
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "size": "6", "class": "num"})
        )
        kwargs.setdefault("error_messages", {"invalid": _("Type a number, e.g. 3,2.")})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, float):
            text = f"{value:.{self.digits}f}".rstrip("0").rstrip(".")
            return text if (get_language() or "vi").startswith("en") else text.replace(".", ",")
        return value


class WholeNumberField(forms.IntegerField):
    """A count or a weight in grams: 3100, 3.100 and 3 100 are the same number."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "size": "6", "class": "num"})
        )
        kwargs.setdefault("error_messages", {"invalid": _("Type a whole number.")})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = re.sub(r"[\s.]", "", value)
        return super().to_python(value)


YES = "1"
NO = "0"


class YesNoField(forms.TypedChoiceField):
    """Yes / No / not known (None) as a radio group, for the nullable yes/no columns."""

    widget = forms.RadioSelect

    def __init__(self, *, unknown: bool = True, **kwargs: Any) -> None:
        choices: list[tuple[str, Any]] = [(YES, _("Yes")), (NO, _("No"))]
        if unknown:
            choices.append(("", _("Not known")))
        kwargs.setdefault("required", False)
        super().__init__(
            choices=choices,
            coerce=lambda value: value == YES,
            empty_value=None,
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        if value is True:
            return YES
        if value is False:
            return NO
        if value is None:
            return ""
        return value


class RadioChoiceField(forms.ChoiceField):
    widget = forms.RadioSelect


class ChecklistField(forms.MultipleChoiceField):
    """Codes ticked from a list (risk factors, danger signs, complications)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, choices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=choices, **kwargs)
