from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_ATTACHMENT_BYTES


def figures_parse(text: str) -> list[dict[str, str]]:
    """One figure a line: "Số lớp tập huấn | 12 | lớp" (the unit may be left out)."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        out.append(
            {
                "label": parts[0],
                "value": parts[1] if len(parts) > 1 else "",
                "unit": parts[2] if len(parts) > 2 else "",
            }
        )
    return out


def figures_text(figures: list[dict[str, Any]]) -> str:
    return "\n".join(
        " | ".join(p for p in (f["label"], f["value"], f.get("unit", "")) if p) for f in figures
    )


class TaskReportForm(forms.Form):
    narrative = forms.CharField(
        label=_("Results this year"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was done on this task, what was achieved, what is not done yet."),
    )
    figures = forms.CharField(
        label=_("Figures"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Số lớp tập huấn | 12 | lớp"}),
        help_text=_("One figure a line: name | value | unit."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("A document or spreadsheet, at most 5 MB."),
    )

    def clean_figures(self) -> list[dict[str, str]]:
        figures = figures_parse(self.cleaned_data.get("figures", ""))
        for figure in figures:
            if not figure["label"] or not figure["value"]:
                raise forms.ValidationError(_("Each figure needs a name and a value."))
        return figures

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload is not None and upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class AnnualReportForm(forms.Form):
    number = forms.CharField(
        label=_("Number"), required=False, max_length=60, help_text=_("For example 15/BC-SYT")
    )
    report_date = forms.DateField(label=_("Date"), required=False, help_text=_("dd/mm/yyyy"))
    difficulties = forms.CharField(
        label=_("Difficulties and obstacles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    proposals = forms.CharField(
        label=_("Proposals and recommendations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    budget_spent_vnd = forms.IntegerField(
        label=_("Budget spent this year (VND)"), required=False, min_value=0
    )
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line."),
    )
    signer_authority = forms.CharField(label=_("Signing for"), required=False, max_length=80)
    signer_position = forms.CharField(label=_("Signer's position"), required=False, max_length=80)
    signer_name = forms.CharField(label=_("Signer's name"), required=False, max_length=120)
