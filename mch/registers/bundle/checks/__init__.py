"""Check every row of a bundle and build the record it would store.

The checks are the registers' own (``mch.registers.rules``) and the derived values come
from ``mch.registers.derive``, the growth z-scores and the immunisation engine, called the
way the services call them, so an imported row stores what a form would store. What
differs is only the scale: references, communes, facilities and stored records are read
once for the whole bundle, and growth z-scores are computed for all measurements at once.

Files are checked in ``spec.ORDER`` (a row refers only to earlier files, or to earlier
rows of ``nguoi`` for mothers), so a row whose parent was rejected is rejected too, with
a message naming the parent.
"""

from __future__ import annotations

from .base import FIELD_OF, MODELS, CheckerBase, compared_fields
from .child import ChildChecks
from .maternal import MaternalChecks


class Checker(MaternalChecks, ChildChecks):
    """Runs every check of a bundle; ``rows`` then holds each row with its record or errors."""


__all__ = ["FIELD_OF", "MODELS", "Checker", "CheckerBase", "compared_fields"]
