from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "agency", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    raw_id_fields = ("units", "agency", "facility")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "units", "agency", "facility", "phone")}),
    )
