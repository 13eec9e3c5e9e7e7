from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AggregateDataConfig(AppConfig):
    name = "mch.aggregate_data"
    label = "aggregate_data"
    verbose_name = _("Periodic aggregate reports")
    default_auto_field = "django.db.models.BigAutoField"
