from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams and practice")

    def ready(self):
        # Owner.merge_into calls each model's merge_owner. Attempt's finalizes a clashing
        # mock, which is the work of exams.attempts, and models may not import attempts
        # (attempts imports models): so the hook is attached here, once both are loaded.
        from .attempts import merge_owner
        from .models import Attempt

        Attempt.merge_owner = staticmethod(merge_owner)
