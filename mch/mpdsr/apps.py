from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MpdsrConfig(AppConfig):
    name = "mch.mpdsr"
    label = "mpdsr"
    verbose_name = _("Maternal death surveillance and response")
    default_auto_field = "django.db.models.BigAutoField"
