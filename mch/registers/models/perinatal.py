"""Perinatal causes of death (WHO ICD-PM), for stillbirths (on ``Birth``) and deaths in the
first 28 days (on ``Death``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PerinatalCause(models.TextChoices):
    """WHO ICD-PM groups: A (antepartum) and I (intrapartum) for stillbirths, N for deaths
    in the first 28 days."""

    NONE = "", _("—")
    A1 = "A1", _("A1 Congenital malformations, deformations and chromosomal abnormalities")
    A2 = "A2", _("A2 Infection")
    A3 = "A3", _("A3 Antepartum hypoxia")
    A4 = "A4", _("A4 Other specified antepartum disorder")
    A5 = "A5", _("A5 Disorders related to fetal growth")
    A6 = "A6", _("A6 Antepartum death of unspecified cause")
    I1 = "I1", _("I1 Congenital malformations, deformations and chromosomal abnormalities")
    I2 = "I2", _("I2 Birth trauma")
    I3 = "I3", _("I3 Acute intrapartum event")
    I4 = "I4", _("I4 Infection")
    I5 = "I5", _("I5 Other specified intrapartum disorder")
    I6 = "I6", _("I6 Disorders related to fetal growth")
    I7 = "I7", _("I7 Intrapartum death of unspecified cause")
    N1 = "N1", _("N1 Congenital malformations, deformations and chromosomal abnormalities")
    N2 = "N2", _("N2 Disorders related to fetal growth")
    N3 = "N3", _("N3 Birth trauma")
    N4 = "N4", _("N4 Complications of intrapartum events")
    N5 = "N5", _("N5 Convulsions and disorders of cerebral status")
    N6 = "N6", _("N6 Infection")
    N7 = "N7", _("N7 Respiratory and cardiovascular disorders")
    N8 = "N8", _("N8 Other neonatal conditions")
    N9 = "N9", _("N9 Low birth weight and prematurity")
    N10 = "N10", _("N10 Miscellaneous")
    N11 = "N11", _("N11 Neonatal death of unspecified cause")


class PerinatalMaternalCondition(models.TextChoices):
    NONE = "", _("—")
    M1 = "M1", _("M1 Complications of placenta, cord and membranes")
    M2 = "M2", _("M2 Maternal complications of pregnancy")
    M3 = "M3", _("M3 Other complications of labour and delivery")
    M4 = "M4", _("M4 Maternal medical and surgical conditions")
    M5 = "M5", _("M5 No maternal condition")
