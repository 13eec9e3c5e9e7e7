"""Writes for users."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from mch.orgunits.models import Agency, Facility, OrgUnit

from .models import Role, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    units: Sequence[OrgUnit],
    full_name: str = "",
    email: str = "",
    agency: Agency | None = None,
    facility: Facility | None = None,
    validate: bool = True,
) -> User:
    if role not in Role.values:
        raise ValueError(f"Vai trò không hợp lệ: {role}")
    user = User(username=username, email=email, role=role, agency=agency, facility=facility)
    first, _, last = full_name.rpartition(" ")
    user.first_name, user.last_name = first, last
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    user.units.set(units)
    return user
