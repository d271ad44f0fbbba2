from tests.exams.conftest import other_client  # noqa: F401 (the same second browser)
