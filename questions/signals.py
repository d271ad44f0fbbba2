"""Signals the bank sends for writes that bypass the model signals.

``bank_changed`` is sent after bulk writes to questions or their options (an import,
``load_bank``, the admin's bulk actions), which use ``bulk_create``/``bulk_update``/
``QuerySet.update`` and so send no ``post_save``. Apps that keep something derived from
the bank (``insights``' item statistics) listen to it as well as to ``post_save`` and
``post_delete`` of ``Question``; ``questions`` itself imports none of them.
"""

from django.dispatch import Signal

bank_changed = Signal()
