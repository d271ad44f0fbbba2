"""What insights keeps: a cache of each owner's review schedule, what the candidate tells
the planner (exam date, daily limits, self-grades, suspended questions), and the
item-statistics page.

The schedule is derived from the response log in ``exams`` (with the self-grades that
annotate it); deleting a card row loses nothing but its ``suspended`` flag, the rest is
rebuilt from the log on the next read (see ``insights.review``).
"""

from datetime import UTC, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Owner
from exams.models import Response
from questions.models import Question


class ReviewCardQuerySet(models.QuerySet):
    def for_owner(self, owner_id: int):
        return self.filter(owner_id=owner_id)


class ReviewCard(models.Model):
    """The FSRS state of one question (all its languages) for one owner.

    A cache of replaying the owner's responses to that question in time order
    (``insights.review.replay``); ``watermark`` is the ``answered_at`` of the newest
    response replayed and ``reviews`` how many were, so a newer or missing response
    shows the row is stale.
    """

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="review_cards", verbose_name=_("owner"))
    question_uid = models.SlugField(_("question uid"), max_length=80)
    due = models.DateTimeField(_("due"))
    stability = models.FloatField(_("stability"))
    difficulty = models.FloatField(_("difficulty"))
    last_review = models.DateTimeField(_("last review"))
    last_rating = models.PositiveSmallIntegerField(
        _("last rating"), help_text=_("FSRS rating: 1 Again, 2 Hard, 3 Good, 4 Easy.")
    )
    reviews = models.PositiveIntegerField(_("reviews"))
    lapses = models.PositiveIntegerField(_("lapses"))
    watermark = models.DateTimeField(_("newest response replayed"))
    # The candidate's choice, not derived from the log: a suspended question leaves the
    # queue (due lists, forecast, today's target) until resumed. Replays keep it.
    suspended = models.BooleanField(_("suspended"), default=False)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("review card")
        verbose_name_plural = _("review cards")
        constraints = [models.UniqueConstraint(fields=["owner", "question_uid"], name="review_card_once")]
        # Due lists and the dashboard count: an owner's cards by due date.
        indexes = [models.Index(fields=["owner", "due"], name="review_card_due_idx")]

    def __str__(self) -> str:
        names = {"owner": self.owner, "uid": self.question_uid, "date": self.due.date()}
        return _("%(owner)s: %(uid)s due %(date)s") % names

    @classmethod
    def merge_owner(cls, source: Owner, target: Owner) -> None:
        """Give the account one card per question, every one stale, so the merged log replays
        into a fresh schedule on next read; a question either owner suspended stays suspended.

        Neither owner's card alone reflects both histories: ``reviews`` 0 matches no
        question's answer count, which marks the card stale (``insights.review``).
        """
        suspended = list(
            cls.objects.filter(owner__in=[source, target], suspended=True).values_list("question_uid", flat=True)
        )
        taken = cls.objects.filter(owner=target).values("question_uid")
        cls.objects.filter(owner=source, question_uid__in=taken).delete()
        cls.objects.filter(owner=source).update(owner=target)
        cls.objects.filter(owner=target).update(reviews=0)
        cls.objects.filter(owner=target, question_uid__in=suspended).update(suspended=True)


class ItemStatistic(Question):
    """Question rows seen through their answer statistics (an admin page for authors)."""

    class Meta:
        proxy = True
        verbose_name = _("item statistics")
        verbose_name_plural = _("item statistics")


class StudyPlan(models.Model):
    """What planning needs that the response log cannot tell: the exam date, and the target
    each day started with (kept so the streak can judge past days; see ``insights.plan``).

    One row per owner, read in one query with everything the dashboard's plan needs.
    """

    owner = models.OneToOneField(Owner, on_delete=models.CASCADE, related_name="study_plan", verbose_name=_("owner"))
    exam_date = models.DateField(_("exam date"), null=True, blank=True)
    # {"2026-06-15": [reviews, new]}: the target as first set that day, the last STREAK_WINDOW days.
    targets = models.JSONField(_("daily targets"), default=dict, blank=True)
    date_set_at = models.DateTimeField(_("exam date set at"), null=True, blank=True)
    # Daily limits the candidate sets; None is no limit (see insights.plan).
    new_cap = models.PositiveSmallIntegerField(_("new questions a day at most"), null=True, blank=True)
    review_cap = models.PositiveSmallIntegerField(_("reviews a day at most"), null=True, blank=True)
    limits_set_at = models.DateTimeField(_("daily limits set at"), null=True, blank=True)

    class Meta:
        verbose_name = _("study plan")
        verbose_name_plural = _("study plans")

    def __str__(self) -> str:
        return _("%(owner)s: exam on %(date)s") % {"owner": self.owner, "date": self.exam_date or "—"}

    @classmethod
    def merge_owner(cls, source: Owner, target: Owner) -> None:
        """The exam date set last wins (the guest's on a tie: this browser just used it), and
        so do the daily limits; the daily targets of both are kept, the account's on a day
        both have."""
        plans = {plan.owner_id: plan for plan in cls.objects.filter(owner__in=[source, target])}
        guest, account = plans.get(source.pk), plans.get(target.pk)
        if guest is None:
            return
        if account is None:
            cls.objects.filter(pk=guest.pk).update(owner=target)
            return
        never = datetime.min.replace(tzinfo=UTC)
        if (guest.date_set_at or never) >= (account.date_set_at or never):
            account.exam_date, account.date_set_at = guest.exam_date, guest.date_set_at
        if (guest.limits_set_at or never) >= (account.limits_set_at or never):
            account.new_cap, account.review_cap = guest.new_cap, guest.review_cap
            account.limits_set_at = guest.limits_set_at
        account.targets = {**guest.targets, **account.targets}
        guest.delete()
        account.save(update_fields=["exam_date", "date_set_at", "new_cap", "review_cap", "limits_set_at", "targets"])


class SelfGrade(models.Model):
    """The grade a candidate gave their own practice answer after its feedback (Again, Hard,
    Good, Easy): it replaces the grade ``insights.review`` infers from the answer.

    It annotates the response log, so it follows its response everywhere (an account
    merge moves the attempt; deleting history deletes it), and replays read it.
    """

    class Rating(models.IntegerChoices):
        AGAIN = 1, _("Again")
        HARD = 2, _("Hard")
        GOOD = 3, _("Good")
        EASY = 4, _("Easy")

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, primary_key=True, related_name="self_grade", verbose_name=_("response")
    )
    rating = models.PositiveSmallIntegerField(_("grade"), choices=Rating.choices)
    graded_at = models.DateTimeField(_("graded at"))

    class Meta:
        verbose_name = _("self-grade")
        verbose_name_plural = _("self-grades")

    def __str__(self) -> str:
        return f"{self.response}: {self.get_rating_display()}"
