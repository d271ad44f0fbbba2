from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Insights")

    def ready(self):
        # questions may not import insights: it asks for item statistics through this hook.
        from questions.statistics import register_item_statistics

        from .stats import item_statistics

        register_item_statistics(item_statistics)
