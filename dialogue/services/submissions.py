"""Portal forms that act once: the same concern or reply form sent twice creates one record.

Every such form carries a random key (a hidden field filled when the form is shown).
The first request with a key inserts a `PortalSubmission` row in the same
transaction as the concern or reply; the unique (user, key) constraint makes a
repeat, even one arriving at the same moment, fail to insert, and it is answered
with what the first request created. If the first request fails (a bad file, a
closed concern), its row is rolled back with everything else, so the corrected
form can be sent again with the same key.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, transaction

from dialogue.models import Concern, ConcernMessage, PortalSubmission, User
from dialogue.services.concerns import concern_message_post, concern_submit

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


def _earlier(user: User, key: uuid.UUID) -> PortalSubmission | None:
    return (
        PortalSubmission.objects.filter(user=user, key=key)
        .select_related("concern", "message")
        .first()
    )


def _once(
    user: User, key: uuid.UUID, create: Callable[[PortalSubmission], None]
) -> tuple[PortalSubmission, bool]:
    """Run `create` unless `key` was already used; returns (ledger row, created?)."""
    earlier = _earlier(user, key)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            row = PortalSubmission.objects.create(user=user, key=key)
    except IntegrityError:
        # A request with the same key committed while this one waited on the row.
        committed = _earlier(user, key)
        if committed is None:  # not reached: the insert failed on that very row
            raise
        return committed, False
    create(row)
    return row, True


@transaction.atomic
def concern_submit_once(
    *, user: User, submission_key: uuid.UUID, **fields: Any
) -> tuple[Concern, bool]:
    """`concern_submit` guarded by the form's key; returns (the concern, whether it is new)."""

    def create(row: PortalSubmission) -> None:
        row.concern = concern_submit(user=user, **fields)
        row.save(update_fields=["concern"])

    row, created = _once(user, submission_key, create)
    # A key's row holds what the first request with it created: here, a concern.
    return cast(Concern, row.concern), created


@transaction.atomic
def concern_reply_once(
    *,
    user: User,
    submission_key: uuid.UUID,
    concern: Concern,
    body: str,
    uploads: Iterable[UploadedFile] = (),
) -> tuple[ConcernMessage, bool]:
    """`concern_message_post` by a company user, guarded by the form's key."""

    def create(row: PortalSubmission) -> None:
        row.message = concern_message_post(concern=concern, author=user, body=body, uploads=uploads)
        row.concern = concern
        row.save(update_fields=["message", "concern"])

    row, created = _once(user, submission_key, create)
    return cast(ConcernMessage, row.message), created
