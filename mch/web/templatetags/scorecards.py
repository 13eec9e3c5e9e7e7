"""The scorecard filters (mch.scorecards.templatetags.scorecards) for the web templates."""

from mch.scorecards.templatetags.scorecards import register

__all__ = ["register"]
