from tests.exams.conftest import guest, other_client  # noqa: F401 (the same guest and second browser)
