from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportedValuesConfig(AppConfig):
    name = "mch.reported_values"
    label = "reported_values"
    verbose_name = _("Survey, policy and workforce values")
    default_auto_field = "django.db.models.BigAutoField"
