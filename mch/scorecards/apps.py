from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "mch.scorecards"
    label = "scorecards"
    default_auto_field = "django.db.models.BigAutoField"
