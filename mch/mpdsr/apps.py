from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MpdsrConfig(AppConfig):
    name = "mch.mpdsr"
    label = "mpdsr"
    verbose_name = _("Maternal death surveillance and response")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from mch.registers.models import Death

        from .signals import death_saved

        post_save.connect(death_saved, sender=Death, dispatch_uid="mpdsr_death_alert_email")
