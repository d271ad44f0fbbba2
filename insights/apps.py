from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self):
        # questions may not import insights: it asks for item statistics through this hook.
        from questions.statistics import register_item_statistics

        from .stats import item_statistics

        register_item_statistics(item_statistics)
