"""URLs under ``so/`` (the registers): forms to add and correct records, and the lists.

Included from ``mch.web.urls``; every pattern names a fixed register slug, so other
``so/…`` pages (import, worklists, exports) resolve past these."""

from __future__ import annotations

from django.urls import path, register_converter

from . import child, maternal
from .registers import BY_SLUG, register_list


class RegisterSlug:
    regex = "|".join(sorted(BY_SLUG, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RegisterSlug, "register")

urlpatterns = [
    path("tuoi-thai/", maternal.gestation, name="record-gestation"),
    path("thai-ky/them/", maternal.pregnancy_add, name="record-pregnancy-add"),
    path("thai-ky/<int:pk>/sua/", maternal.pregnancy_edit, name="record-pregnancy-edit"),
    path("thai-ky/<int:pk>/ket-thuc/", maternal.pregnancy_end, name="record-pregnancy-end"),
    path("kham-thai/them/", maternal.antenatal_add, name="record-antenatal-add"),
    path("kham-thai/<int:pk>/sua/", maternal.antenatal_edit, name="record-antenatal-edit"),
    path("de/them/", maternal.delivery_add, name="record-delivery-add"),
    path("de/them-tre/", maternal.delivery_baby, name="record-delivery-baby"),
    path("de/<int:pk>/sua/", maternal.delivery_edit, name="record-delivery-edit"),
    path("sau-sinh/them/", maternal.postnatal_add, name="record-postnatal-add"),
    path("sau-sinh/<int:pk>/sua/", maternal.postnatal_edit, name="record-postnatal-edit"),
    path("kham-dinh-ky/them/", child.checkup_add, name="record-checkup-add"),
    path("kham-dinh-ky/<int:pk>/sua/", child.checkup_edit, name="record-checkup-edit"),
    path("can-do/them/", child.measurement_add, name="record-growth-add"),
    path("can-do/<int:pk>/sua/", child.measurement_edit, name="record-growth-edit"),
    path("tiem-chung/them/", child.dose_add, name="record-dose-add"),
    path("tiem-chung/<int:pk>/sua/", child.dose_edit, name="record-dose-edit"),
    path("benh/them/", child.illness_add, name="record-illness-add"),
    path("benh/<int:pk>/sua/", child.illness_edit, name="record-illness-edit"),
    path("tu-vong/them/", child.death_add, name="record-death-add"),
    path("tu-vong/<int:pk>/sua/", child.death_edit, name="record-death-edit"),
    path("tu-vong/<int:pk>/thong-bao/", child.death_notify, name="record-death-notify"),
    path("<register:slug>/", register_list, name="register-list"),
]
