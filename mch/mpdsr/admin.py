"""Admin: the board, and the forms versions (a province administrator edits the lists by
saving a version with new content: it becomes the next version after validation)."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.contrib import admin

from . import registry
from .models import BoardMember, FormsVersion
from .services import forms_version_save


class FormsVersionForm(forms.ModelForm):
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 40, "cols": 120}), label="YAML")

    class Meta:
        model = FormsVersion
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["content"].initial = yaml.safe_dump(
                self.instance.data, allow_unicode=True, sort_keys=False
            )

    def clean_content(self) -> registry.FormsSpec:
        try:
            return registry.parse_forms(self.cleaned_data["content"], source="admin")
        except registry.FormsError as exc:
            raise forms.ValidationError(exc.errors) from exc


@admin.register(FormsVersion)
class FormsVersionAdmin(admin.ModelAdmin):
    form = FormsVersionForm
    list_display = ("number", "source", "loaded_at", "loaded_by")

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        # Never overwrite a version: an edit is saved as the next one.
        version = forms_version_save(
            spec=form.cleaned_data["content"], source="admin", user=request.user
        )
        obj.pk, obj.number = version.pk, version.number

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        return None


@admin.register(BoardMember)
class BoardMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "province", "role", "active")
    list_filter = ("active", "role")
