from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImmunisationConfig(AppConfig):
    name = "mch.immunisation"
    label = "immunisation"
    verbose_name = _("Immunisation schedule")
    default_auto_field = "django.db.models.BigAutoField"
