"""API tokens: many per person, each with a name, an expiry and its key stored only hashed."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dialogue.querysets import ApiTokenQuerySet


def token_key_hash(key: str) -> str:
    """The stored form of a key. Keys are 160 random bits, so a plain SHA-256 is enough:
    nothing can be guessed from it, and a lookup stays one indexed query."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """Signs API requests as `user` until `expires_at`, a password change, or revocation
    (which deletes the row). The key itself is shown once, when the token is issued."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name or _("API token %(id)s") % {"id": self.pk}
