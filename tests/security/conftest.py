# A guest owner in the test client's session (tests/exams/conftest.py).
from tests.exams.conftest import guest  # noqa: F401
