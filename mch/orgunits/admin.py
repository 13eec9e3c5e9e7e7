from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mch.orgunits.models import (
    Agency,
    Facility,
    OrgUnit,
    UnitAttribute,
    UnitChange,
    UnitLineage,
)
from mch.orgunits.services import paths_refresh


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "valid_from", "valid_to", "parent")
    list_filter = ("level", "kind", "valid_from", "valid_to")
    search_fields = ("code", "name", "short_name")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth")
    list_select_related = ("parent",)

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        parent_changed = "parent" in form.changed_data
        if not change:
            obj.path = ""
        super().save_model(request, obj, form, change)
        if not change or parent_changed:
            paths_refresh(unit=obj)


class UnitLineageInline(admin.TabularInline):
    model = UnitLineage
    raw_id_fields = ("source", "target")
    extra = 0


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    list_display = ("effective_on", "kind", "legal_basis", "note")
    list_filter = ("kind", "effective_on")
    search_fields = ("legal_basis", "note")
    inlines = [UnitLineageInline]


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    list_display = ("source", "target", "share", "is_primary", "change")
    raw_id_fields = ("source", "target", "change")
    search_fields = ("source__code", "source__name", "target__code", "target__name")
    list_select_related = ("source", "target", "change")


@admin.register(UnitAttribute)
class UnitAttributeAdmin(admin.ModelAdmin):
    list_display = ("unit", "key", "value", "valid_from", "valid_to", "source")
    list_filter = ("key", "value", "source")
    raw_id_fields = ("unit",)
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit",)


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "care_level", "unit", "is_public", "provides_delivery")
    list_filter = ("kind", "care_level", "is_public", "provides_delivery")
    search_fields = ("code", "name", "unit__name")
    raw_id_fields = ("unit",)
    list_select_related = ("unit",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "unit")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("unit",)
    list_select_related = ("unit",)
