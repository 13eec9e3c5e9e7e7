"""Marking a possible maternal death as notified takes it off the worklist."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from mch.registers import services
from mch.registers.models import AuditEntry
from mch.registers.worklists import maternal_deaths_to_notify

D = dt.date


def test_notified_death_leaves_the_list_and_is_audited(rw, client) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    woman = services.person_register(
        user=rw.staff,
        full_name="Lò Thị Mai",
        sex="F",
        birth_date=D(1995, 5, 5),
        residence_unit=rw.commune,
    )
    services.pregnancy_register(
        user=rw.staff,
        person=woman,
        date=today - dt.timedelta(days=100),
        lmp=today - dt.timedelta(days=120),
    )
    death = services.death_record(
        user=rw.staff,
        person=woman,
        date=today - dt.timedelta(days=1),
        place="home",
        cause_group="haemorrhage",
    )
    assert [
        r.person_id for r in maternal_deaths_to_notify(user=rw.staff, unit=rw.commune, as_of=today)
    ] == [woman.pk]

    client.force_login(rw.other_staff)
    assert client.post(reverse("record-death-notify", args=[death.pk])).status_code == 404
    client.force_login(rw.staff)
    response = client.post(reverse("record-death-notify", args=[death.pk]))
    assert response.status_code == 302
    death.refresh_from_db()
    assert (death.review_status, death.notified_on) == ("notified", today)
    assert maternal_deaths_to_notify(user=rw.staff, unit=rw.commune, as_of=today) == []
    assert AuditEntry.objects.filter(model="death", object_id=death.pk, action="update").exists()
