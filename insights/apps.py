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
        self.forget_statistics_on_writes()

    @staticmethod
    def forget_statistics_on_writes():
        """Item statistics are cached for minutes; edits and deletions must not wait that
        long: an edited question, a deleted history, a purged guest or account."""
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Owner
        from questions.models import Question
        from questions.signals import bank_changed

        from .plan import forget_bank
        from .stats import forget_item_statistics

        def forget(**_kwargs):
            forget_item_statistics()
            forget_bank()  # the study plan's bank by task statement

        # Strong references: the receivers live as long as the app registry.
        bank_changed.connect(forget, weak=False, dispatch_uid="insights-stats-bank")
        post_save.connect(forget, sender=Question, weak=False, dispatch_uid="insights-stats-question-saved")
        post_delete.connect(forget, sender=Question, weak=False, dispatch_uid="insights-stats-question-deleted")
        post_delete.connect(forget, sender=Owner, weak=False, dispatch_uid="insights-stats-owner-deleted")
