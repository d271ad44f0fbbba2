import pytest
from django.utils import translation

from insights.templatetags.insights_format import duration


@pytest.mark.parametrize(
    ("language", "seconds", "expected"),
    [("en", 3900, "1 h 05 min"), ("en", 720, "12 min"), ("ja", 3900, "1 時間 05 分"), ("ja", 720, "12 分")],
)
def test_durations_follow_the_interface_language(language, seconds, expected):
    with translation.override(language):
        assert duration(seconds) == expected
