"""Signals the bank sends for writes that bypass the model signals.

``bank_changed`` is sent after bulk writes to questions or their options (an import,
``load_bank``, the admin's bulk actions), which use ``bulk_create``/``bulk_update``/
``QuerySet.update`` and so send no ``post_save``. Whatever keeps something derived from
the bank listens to it as well as to ``post_save`` and ``post_delete`` of ``Question``:
``insights``' item statistics, and the bank version that the draw's index follows
(``questions.revisions``).
"""

from django.dispatch import Signal

bank_changed = Signal()
