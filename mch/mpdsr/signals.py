"""The e-mail alert of a suspected maternal death, sent after the death's row is saved
(once per death; ``mpdsr_alert_emails`` sends those a bulk import skipped)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def death_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.review_status != "to_notify":
        return
    pk = instance.pk

    def send() -> None:
        from mch.registers.models import Death

        from .services import alert_email_send

        death = Death.objects.filter(pk=pk).select_related("residence_unit", "facility").first()
        if death is None:
            return
        try:
            alert_email_send(death)
        except Exception:  # an unreachable mail server must not break recording a death
            logger.exception("MPDSR alert e-mail for death %s not sent", pk)

    transaction.on_commit(send)
