from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class OwnerQuerySet(models.QuerySet):
    def unclaimed_guests(self, *, older_than):
        """Guests with no account whose last visit is before ``older_than``."""
        return self.filter(user__isnull=True, last_seen_at__lt=older_than)

    def idle_guests(self, *, older_than):
        """Guests with no account who never saved an answer and were last seen before
        ``older_than``: what a script that drops its cookie leaves behind (each start writes
        a snapshot of a whole mock), and what a visitor who only looked around never needs."""
        return self.filter(user__isnull=True, last_seen_at__lt=older_than).exclude(
            attempts__items__response__isnull=False
        )


class Owner(models.Model):
    """Who owns attempts, responses, bookmarks and reports: an account or a guest.

    A guest is identified by a random token kept only in their server-side session,
    never by anything guessable. Every app keys its per-person rows on Owner, so a
    guest's work moves to an account by re-pointing rows (``merge_into``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="owner",
        verbose_name=_("user"),
    )
    guest_token = models.CharField(_("guest token"), max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen at"), auto_now_add=True)
    # The interface language chosen with the switcher (a code from settings.LANGUAGES), or ""
    # for "follow the browser"; log-in brings it back to any browser (accounts.language).
    language = models.CharField(_("interface language"), max_length=8, blank=True, default="")

    objects = OwnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("owner")
        verbose_name_plural = _("owners")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, guest_token__isnull=True)
                | models.Q(user__isnull=True, guest_token__isnull=False),
                name="owner_is_user_xor_guest",
            )
        ]
        # purge_guests scans guests by last visit.
        indexes = [
            models.Index(fields=["last_seen_at"], condition=models.Q(user__isnull=True), name="owner_guest_seen_idx")
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else _("guest #%(id)s") % {"id": self.pk}

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    def merge_into(self, target: "Owner") -> None:
        """Move everything this (guest) owner has to ``target``, then delete this owner.

        Every model with a foreign key to Owner is re-pointed. A model whose rows can
        collide with the target's (a unique constraint per owner) defines a classmethod
        ``merge_owner(source, target)`` that resolves the collision itself; accounts
        cannot import the other apps, so the hook is how they take part.
        """
        if self.pk == target.pk:
            raise ValueError("an owner cannot be merged into itself")
        with transaction.atomic():
            for relation in self._meta.related_objects:
                if relation.field.model is Owner:
                    continue
                model = relation.related_model
                if hasattr(model, "merge_owner"):
                    model.merge_owner(self, target)
                else:
                    model._base_manager.filter(**{relation.field.name: self}).update(**{relation.field.name: target})
            self.delete()
