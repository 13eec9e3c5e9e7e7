from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "mch.reporting"
    label = "reporting"
    verbose_name = "Reporting"
    default_auto_field = "django.db.models.BigAutoField"
