"""Admin for the schedule: programme officers edit antigens and schedule rows here.

National rows come from ``schedule.yaml``; an edit made here is kept by the next load as
long as the file does not change that row. A province's own rule is a row with the
province set (copy the national row with "Save as new" and choose the province).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mch.immunisation.models import Antigen, ScheduleEntry
from mch.immunisation.schedule_file import DISEASES


def _age(days: int | None) -> str:
    if days is None:
        return "—"
    if days < 60:
        return f"{days} ngày"
    return f"{days} ngày (~{days / 30.4375:.1f} tháng)".replace(".", ",")


@admin.register(Antigen)
class AntigenAdmin(admin.ModelAdmin):
    list_display = ("code", "abbreviation", "name_vi", "target_group", "is_epi", "diseases_vi")
    list_filter = ("target_group", "is_epi")
    search_fields = ("code", "abbreviation", "name_vi", "name_en")
    fields = (
        "code",
        "abbreviation",
        "name_vi",
        "name_en",
        "diseases",
        "target_group",
        "is_epi",
        "order",
        "note",
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # dose records refer to antigen codes

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj else ()

    @admin.display(description=_("diseases prevented"))
    def diseases_vi(self, obj: Antigen) -> str:
        return ", ".join(DISEASES.get(code, code) for code in obj.diseases or [])


@admin.register(ScheduleEntry)
class ScheduleEntryAdmin(admin.ModelAdmin):
    list_display = (
        "antigen",
        "dose",
        "province",
        "min_age",
        "due_age",
        "min_interval_days",
        "latest_age",
        "counts_for_full_immunisation",
        "active",
        "certainty",
        "valid_from",
    )
    list_filter = (
        "antigen__target_group",
        "certainty",
        "counts_for_full_immunisation",
        "active",
        ("province", admin.EmptyFieldListFilter),
        "antigen",
    )
    list_select_related = ("antigen", "province")
    search_fields = ("antigen__code", "antigen__name_vi", "legal_basis", "note")
    save_as = True
    fieldsets = (
        (None, {"fields": ("antigen", "dose", "province", "active")}),
        (
            _("Ages and intervals (days)"),
            {
                "fields": (
                    "min_age_days",
                    "due_age_days",
                    "timely_age_days",
                    "latest_age_days",
                    "min_interval_days",
                    "interval_from_antigen",
                    "interval_from_dose",
                )
            },
        ),
        (
            _("Source"),
            {
                "fields": (
                    "counts_for_full_immunisation",
                    "valid_from",
                    "valid_to",
                    "legal_basis",
                    "certainty",
                    "note",
                )
            },
        ),
    )

    @admin.display(description=_("minimum age"), ordering="min_age_days")
    def min_age(self, obj: ScheduleEntry) -> str:
        return _age(obj.min_age_days)

    @admin.display(description=_("recommended age"), ordering="due_age_days")
    def due_age(self, obj: ScheduleEntry) -> str:
        return _age(obj.due_age_days)

    @admin.display(description=_("latest age"), ordering="latest_age_days")
    def latest_age(self, obj: ScheduleEntry) -> str:
        return _age(obj.latest_age_days)
