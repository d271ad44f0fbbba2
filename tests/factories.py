import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Owner


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"candidate{n}")
    password = factory.django.Password("correct horse battery staple")


class OwnerFactory(factory.django.DjangoModelFactory):
    """An account's owner; use GuestOwnerFactory for a guest."""

    class Meta:
        model = Owner

    user = factory.SubFactory(UserFactory)


class GuestOwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner

    user = None
    guest_token = factory.Sequence(lambda n: f"guest-token-{n:08d}")


def as_guest(client, owner):
    """Make the test client's visitor the given guest owner (as accounts.owners stores it)."""
    session = client.session
    session["owner"] = [owner.pk, None]
    session.save()
    return owner


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "questions.Tag"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tag-{n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    """A published single-answer question on task 1.1; give ``options`` via OptionFactory
    or use one of the ``make_*_question`` helpers below."""

    class Meta:
        model = "questions.Question"

    uid = factory.Sequence(lambda n: f"q-{n:05d}")
    language = "en"
    type = "single"
    status = "published"
    task = factory.LazyFunction(lambda: _task("1.1"))
    stem = factory.Sequence(lambda n: f"A team needs solution number {n}. Which service should it use?")
    explanation = "Pick the managed service that fits."
    references = factory.LazyFunction(
        lambda: ["https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html"]
    )


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "questions.Option"

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Option {n}")
    rationale = "Because of the scenario."


def _task(code: str):
    from questions.models import TaskStatement

    return TaskStatement.objects.get(code=code)


def make_single_question(*, correct_index: int = 0, n_options: int = 4, **kwargs):
    question = QuestionFactory(type="single", **kwargs)
    for index in range(n_options):
        OptionFactory(question=question, position=index, text=f"Choice {index}", is_correct=index == correct_index)
    return question


def make_multiple_question(*, correct=(0, 1), n_options: int = 5, **kwargs):
    question = QuestionFactory(type="multiple", select=len(correct), **kwargs)
    for index in range(n_options):
        OptionFactory(question=question, position=index, text=f"Choice {index}", is_correct=index in correct)
    return question


def make_ordering_question(*, n_items: int = 4, **kwargs):
    question = QuestionFactory(type="ordering", **kwargs)
    for index in range(n_items):
        OptionFactory(question=question, position=index + 1, text=f"Step {index + 1}")
    return question


def make_matching_question(*, n_pairs: int = 3, extras=("Distractor",), **kwargs):
    question = QuestionFactory(type="matching", **kwargs)
    for index in range(n_pairs):
        OptionFactory(question=question, position=index, text=f"Prompt {index}", match=f"Match {index}")
    for offset, extra in enumerate(extras):
        OptionFactory(question=question, position=n_pairs + offset, text="", match=extra)
    return question


class AttemptFactory(factory.django.DjangoModelFactory):
    """An in-progress practice attempt of a new guest; pass ``mode``/``status`` for others."""

    class Meta:
        model = "exams.Attempt"

    owner = factory.SubFactory(GuestOwnerFactory)
    mode = "practice"
    seed = factory.Sequence(lambda n: n)
    started_at = factory.LazyFunction(timezone.now)


class AttemptItemFactory(factory.django.DjangoModelFactory):
    """An item pointing at a revision of its question as it is now, in the author's option order."""

    class Meta:
        model = "exams.AttemptItem"

    attempt = factory.SubFactory(AttemptFactory)
    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n + 1)
    revision_id = factory.LazyAttribute(lambda item: _revision_id(item.question))


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "exams.Response"

    item = factory.SubFactory(AttemptItemFactory)
    answer = factory.LazyFunction(list)
    is_correct = False
    answered_at = factory.LazyFunction(timezone.now)


def _revision_id(question) -> int:
    """A revision of the question whatever its status (``revise`` makes them for drawable ones only)."""
    from questions.revisions import revision_of, store
    from questions.snapshots import take_snapshot

    revision = revision_of(question.pk, take_snapshot(question))
    return store([revision])[revision.digest].revision_id


class BlueprintFactory(factory.django.DjangoModelFactory):
    """A custom mock: 10 questions (2 unscored), 15 minutes, the exam guide's domain weights."""

    class Meta:
        model = "exams.Blueprint"

    name = factory.Sequence(lambda n: f"Custom mock {n}")
    slug = factory.Sequence(lambda n: f"custom-mock-{n}")
    mode = "exam"
    question_count = 10
    unscored_count = 2
    minutes = 15


class BookmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "exams.Bookmark"

    owner = factory.SubFactory(GuestOwnerFactory)
    question_uid = factory.Sequence(lambda n: f"q-bookmarked-{n}")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notes.Note"

    owner = factory.SubFactory(GuestOwnerFactory)
    question_uid = factory.Sequence(lambda n: f"q-noted-{n}")
    text = factory.Sequence(lambda n: f"Remember point {n}.")


class ProblemReportFactory(factory.django.DjangoModelFactory):
    """An open "wrong answer" report by a guest."""

    class Meta:
        model = "questions.ProblemReport"

    question = factory.SubFactory(QuestionFactory)
    owner = factory.SubFactory(GuestOwnerFactory)
    reason = "wrong_answer"
    comment = ""
