"""Reads of the indicator catalogue.

The catalogue is the same for every user (it holds definitions, not data about people or
units), so these selectors take no user or scope, unlike the data selectors of other apps.
Each indicator comes back with ``latest_version`` set, fetched in one extra query.
"""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from mch.core.text import fold
from mch.indicators.models import Indicator, IndicatorVersion


def _latest_version_ids() -> QuerySet[IndicatorVersion]:
    newest = IndicatorVersion.objects.filter(indicator=OuterRef("indicator")).order_by("-version")
    return IndicatorVersion.objects.filter(pk=Subquery(newest.values("pk")[:1]))


def _with_latest(queryset: QuerySet[Indicator]) -> list[Indicator]:
    indicators: list[Indicator] = list(
        queryset.prefetch_related(
            Prefetch("versions", queryset=_latest_version_ids(), to_attr="_latest")
        )
    )
    for indicator in indicators:
        indicator.latest_version = indicator._latest[0] if indicator._latest else None  # type: ignore[attr-defined]
    return indicators


def indicator_list(*, domain: str | None = None, search: str | None = None) -> list[Indicator]:
    """Indicators in catalogue order, each with ``latest_version``; two queries in all.

    ``search`` matches the code and the current Vietnamese and English names, ignoring case
    and diacritics (done in Python: SQLite cannot fold Vietnamese, and the catalogue is a
    few hundred rows at most).
    """
    queryset = Indicator.objects.all()
    if domain:
        queryset = queryset.filter(domain=domain)
    indicators = _with_latest(queryset)
    if search and search.strip():
        needle = fold(search.strip())
        indicators = [ind for ind in indicators if _matches(ind, needle)]
    return indicators


def _matches(indicator: Indicator, needle: str) -> bool:
    version = getattr(indicator, "latest_version", None)
    texts = [indicator.code, *((version.name_vi, version.name_en) if version else ())]
    return any(needle in fold(text) for text in texts)


def indicator_get(code: str) -> Indicator:
    """The indicator with ``code`` and its ``latest_version``; raises ``Indicator.DoesNotExist``."""
    found = _with_latest(Indicator.objects.filter(code=code))
    if not found:
        raise Indicator.DoesNotExist(_("No indicator with the code '%(code)s'") % {"code": code})
    return found[0]


def latest_versions() -> dict[str, IndicatorVersion]:
    """The current version of every indicator, by code (for plan import and the engine)."""
    versions = _latest_version_ids().select_related("indicator")
    return {version.indicator.code: version for version in versions}
