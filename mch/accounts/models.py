"""Users, their role and the units they are assigned to."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_OFFICER = "province_officer", _("Province programme officer")
    COMMUNE_STAFF = "commune_staff", _("Commune health station staff")
    HOSPITAL_STAFF = "hospital_staff", _("Hospital staff")
    DEPARTMENT = "department", _("Other department")
    LEADER = "leader", _("Leader (read only)")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.LEADER)
    units = models.ManyToManyField(
        "orgunits.OrgUnit",
        blank=True,
        related_name="users",
        verbose_name=_("units"),
        help_text=_("The user sees these units and everything below them."),
    )
    agency = models.ForeignKey(
        "orgunits.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
        help_text=_("For department users: the agency whose tasks they report on."),
    )
    facility = models.ForeignKey(
        "orgunits.Facility", null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.LEADER and not self.is_superuser
