"""What insights keeps: a cache of each owner's review schedule, and the item-statistics page.

Everything here is derived from the response log in ``exams``; deleting a cache row
loses nothing, it is rebuilt from the log on the next read (see ``insights.review``).
"""

from datetime import UTC, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Owner
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
        """Drop both owners' cards: the merged log replays into a fresh schedule on next read.

        Moving the guest's rows would collide with the account's cards for the same
        question, and neither row alone reflects both histories.
        """
        cls.objects.filter(owner__in=[source, target]).delete()


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

    class Meta:
        verbose_name = _("study plan")
        verbose_name_plural = _("study plans")

    def __str__(self) -> str:
        return _("%(owner)s: exam on %(date)s") % {"owner": self.owner, "date": self.exam_date or "—"}

    @classmethod
    def merge_owner(cls, source: Owner, target: Owner) -> None:
        """The exam date set last wins (the guest's on a tie: this browser just used it); the
        daily targets of both are kept, the account's on a day both have."""
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
        account.targets = {**guest.targets, **account.targets}
        guest.delete()
        account.save(update_fields=["exam_date", "date_set_at", "targets"])
