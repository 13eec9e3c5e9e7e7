"""Serializer fields every API input uses for days and moments: outside 1900–2100 is a
validation error (``mch.core.day_range``), never an overflow further in."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from .day_range import day_in_range

RANGE_MESSAGE = gettext_lazy("The date must be between 01/01/1900 and 31/12/2100.")


class DateField(serializers.DateField):
    default_error_messages = {"date_range": RANGE_MESSAGE}

    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        if not day_in_range(day):
            self.fail("date_range")
        return day


class DateTimeField(serializers.DateTimeField):
    default_error_messages = {"date_range": RANGE_MESSAGE}

    def to_internal_value(self, value: Any) -> dt.datetime:
        moment = super().to_internal_value(value)
        if not day_in_range(moment.date()):
            self.fail("date_range")
        return moment


_Model = TypeVar("_Model", bound=models.Model)


class ModelSerializer(serializers.ModelSerializer[_Model]):
    """The base of the project's model serializers: model date columns become the bounded
    fields above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
    }
