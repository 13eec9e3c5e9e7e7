"""Admin for the catalogue: versions are shown, never changed; an edit is a new version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mch.indicators import services
from mch.indicators.models import Indicator, IndicatorVersion, PopulationGroup
from mch.indicators.registry import VERSION_FIELDS, filter_problems


def _new_version_url(indicator: Indicator) -> str:
    return reverse("admin:indicators_indicatorversion_add") + f"?indicator={indicator.pk}"


class IndicatorVersionInline(admin.TabularInline):
    model = IndicatorVersion
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("version", "name_vi", "multiplier", "unit_symbol", "direction", "change_reason")
    fields += ("created_at", "created_by")
    readonly_fields = fields
    ordering = ("-version",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "current_name", "domain", "current_version_number")
    list_filter = ("domain",)
    search_fields = ("code", "versions__name_vi", "versions__name_en")
    inlines = [IndicatorVersionInline]
    readonly_fields = ("new_version_link",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # codes are never reused, and versions may be referenced by targets

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("versions")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The code is a stable identifier once created.
        return ("code", "new_version_link") if obj else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code", "domain", "new_version_link") if obj else ("code", "domain")

    @admin.display(description=_("name"))
    def current_name(self, obj: Indicator) -> str:
        versions = sorted(obj.versions.all(), key=lambda v: v.version)
        return versions[-1].name if versions else ""

    @admin.display(description=_("version"))
    def current_version_number(self, obj: Indicator) -> int | None:
        versions = [v.version for v in obj.versions.all()]
        return max(versions) if versions else None

    @admin.display(description=_("edit definition"))
    def new_version_link(self, obj: Indicator) -> str:
        return format_html(
            '<a class="button" href="{}">{}</a>',
            _new_version_url(obj),
            _("Thêm phiên bản mới (định nghĩa đã lưu không sửa được)"),
        )

    def response_add(
        self, request: HttpRequest, obj: Indicator, post_url_continue: Any = None
    ) -> HttpResponse:
        # A new indicator has no definition yet: go straight to writing its first version.
        return HttpResponseRedirect(_new_version_url(obj))


class IndicatorVersionForm(forms.ModelForm):
    disaggregations = forms.JSONField(
        required=False, initial=list, help_text=_('JSON list, e.g. ["unit", "sex"]')
    )

    class Meta:
        model = IndicatorVersion
        fields = ("indicator", *VERSION_FIELDS, "change_reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["change_reason"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicator = data.get("indicator")
        if indicator is None or self.errors:
            return data
        values = {name: data.get(name) for name in VERSION_FIELDS}
        values["disaggregations"] = values["disaggregations"] or []
        try:
            spec = services.indicator_spec_validate(indicator=indicator, values=values)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        current = indicator.current_version()
        if current is not None and services.version_values(current) == spec.version_fields():
            raise ValidationError("Định nghĩa không thay đổi so với phiên bản hiện hành.")
        data["_changes"] = spec.version_fields()
        return data


@admin.register(IndicatorVersion)
class IndicatorVersionAdmin(admin.ModelAdmin):
    """Only adding: the add form is prefilled from the latest version of ``?indicator=``."""

    form = IndicatorVersionForm
    list_display = ("indicator", "version", "name_vi", "change_reason", "created_at", "created_by")
    list_filter = ("indicator__domain",)
    search_fields = ("indicator__code", "name_vi", "name_en")
    list_select_related = ("indicator", "created_by")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return [f.name for f in IndicatorVersion._meta.fields]
        return ()

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        indicator = Indicator.objects.filter(pk=request.GET.get("indicator") or None).first()
        current = indicator.current_version() if indicator else None
        if current is not None:
            initial.update(services.version_values(current))
        return initial

    def save_model(
        self, request: HttpRequest, obj: IndicatorVersion, form: Any, change: bool
    ) -> None:
        created = services.indicator_version_create(
            indicator=form.cleaned_data["indicator"],
            changes=form.cleaned_data["_changes"],
            reason=form.cleaned_data["change_reason"],
            user=request.user,
        )
        obj.pk = created.pk
        obj.version = created.version


class PopulationGroupForm(forms.ModelForm):
    class Meta:
        model = PopulationGroup
        fields = ("code", "name_vi", "name_en", "definition", "order")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["definition"].required = False  # {} is everyone

    def clean_definition(self) -> Any:
        definition = self.cleaned_data.get("definition")
        definition = {} if definition in (None, "") else definition
        problems = filter_problems(definition)
        if problems:
            raise ValidationError(problems)
        return definition


@admin.register(PopulationGroup)
class PopulationGroupAdmin(admin.ModelAdmin):
    """Groups from the catalogue files are overwritten by the next ``load_catalogue``."""

    form = PopulationGroupForm
    list_display = ("code", "name_vi", "name_en", "definition", "order")
    search_fields = ("code", "name_vi", "name_en")
    ordering = ("order", "code")
