from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from exams.forms import MAX_SEQ, MAX_SPENT_MS, SaveMeta, read_save
from exams.grading import AnswerError


def test_a_save_reads_its_counter_time_and_confidence():
    assert read_save(QueryDict("seq=7&spent=1500&confidence=unsure&choice=3")) == SaveMeta(7, 1500, "unsure")


def test_time_and_confidence_may_be_left_out():
    assert read_save(QueryDict("seq=0")) == SaveMeta(0, 0, "")
    assert read_save(QueryDict("seq= 4 &spent=&confidence=")) == SaveMeta(4, 0, "")


def test_time_spent_is_capped_at_a_day():
    assert read_save(QueryDict(f"seq=1&spent={MAX_SPENT_MS * 5}")).spent == MAX_SPENT_MS


@pytest.mark.parametrize(
    "seq", ["", "-1", "+1", "1.0", "abc", "١", "²", str(MAX_SEQ + 1), "9" * 5000, "0x10"], ids=repr
)
def test_a_counter_that_is_not_a_whole_number_in_range_is_refused(seq):
    with pytest.raises(AnswerError, match="counter"):
        read_save(QueryDict(urlencode({"seq": seq})))


@pytest.mark.parametrize("spent", ["-5", "1e3", "３", "9" * 40])
def test_a_time_spent_that_is_not_whole_milliseconds_is_refused(spent):
    with pytest.raises(AnswerError, match="time spent"):
        read_save(QueryDict(urlencode({"seq": "1", "spent": spent})))


def test_an_unknown_confidence_is_refused():
    with pytest.raises(AnswerError, match="sure, unsure or guess"):
        read_save(QueryDict("seq=1&confidence=certain"))
