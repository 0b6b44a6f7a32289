"""What staff change in the back office besides a record's own form, as functions that take a
user (not a request), each in one transaction: publishing and unpublishing records, and
choosing the preferred claim of a fact whose sources disagree.

Going back to an earlier version and restoring a deleted record are services of
``cooperation/history/`` (``revert_record``, ``restore_record``).
"""

from typing import NamedTuple

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext

from cooperation.backoffice.claims import CLAIMING_MODELS, may_choose
from cooperation.core.permissions import may_publish
from cooperation.core.text import field_label
from cooperation.models import Claim

# Publishing ----------------------------------------------------------------------------------


@transaction.atomic
def publish_records(*, user: AbstractBaseUser, queryset: models.QuerySet) -> int:
    """Publish the drafts among ``queryset``'s records; returns how many were drafts."""
    return _set_published(user=user, queryset=queryset, published=True)


@transaction.atomic
def unpublish_records(*, user: AbstractBaseUser, queryset: models.QuerySet) -> int:
    """Make the published records among ``queryset``'s drafts again; returns how many were published."""
    return _set_published(user=user, queryset=queryset, published=False)


def _set_published(*, user, queryset, published):
    model = queryset.model
    if not may_publish(user, model):
        raise PermissionDenied(
            gettext("Only a Publisher can publish or unpublish %(names)s.") % {"names": model._meta.verbose_name_plural}
        )
    changed = list(queryset.filter(published=not published))
    ids = [record.pk for record in changed]
    # Save each record (not one UPDATE) so post_save receivers run: the search index adds
    # or drops the record and the documents that name it.
    for record in changed:
        record.published = published
        record.save(update_fields=["published", "updated_at"])
    LogEntry.objects.log_actions(
        user.pk,
        model._default_manager.filter(pk__in=ids),
        CHANGE,
        [{"changed": {"fields": ["Published"]}}],
    )
    return len(ids)


# The preferred claim of a fact ------------------------------------------------------------------


class ChoiceRefused(Exception):
    """The preferred claim could not be set; the message says why, for the user."""


class PreferredClaim(NamedTuple):
    """What :func:`set_preferred_claim` did: the record, the fact's label, the claim now
    preferred (None: no claim is)."""

    record: models.Model
    label: str
    chosen: Claim | None


@transaction.atomic
def set_preferred_claim(
    *, user: AbstractBaseUser, content_type_id: int, object_id: int, field_name: str, claim_id: int | None
) -> PreferredClaim:
    """Make claim ``claim_id`` the preferred one of its fact (or none, with ``claim_id=None``).

    Raises :class:`ChoiceRefused` when the fact or the claim does not allow it, and
    ``PermissionDenied`` when ``user`` may not choose. The old preferred claim is unticked before
    the new one is ticked, so the database's one-preferred-claim constraint holds at every step.
    Each claim is saved (not updated in bulk) so its history records who changed it; the record's
    admin history gets an entry too.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model not in CLAIMING_MODELS:
        raise ChoiceRefused(gettext("That fact is not one of a registry record."))
    record = model._default_manager.filter(pk=object_id).first()
    if record is None:
        raise ChoiceRefused(
            gettext("The %(name)s this fact is about no longer exists.") % {"name": model._meta.verbose_name}
        )
    if not may_choose(user, model, record.published):
        raise PermissionDenied
    claims = list(
        Claim.objects.select_for_update()
        .filter(content_type_id=content_type_id, object_id=object_id, field=field_name)
        .select_related("source")
        .order_by("pk")
    )
    if len(claims) < 2:
        raise ChoiceRefused(
            gettext("“%(fact)s” of “%(record)s” no longer has claims to choose from.")
            % {"fact": field_label(model, field_name), "record": record}
        )
    chosen = next((claim for claim in claims if claim.pk == claim_id), None)
    if claim_id is not None and chosen is None:
        raise ChoiceRefused(gettext("That claim is no longer one of this fact's claims: choose again."))
    # Untick first, then tick: one preferred claim per fact at every step (claim_one_preferred).
    for claim in claims:
        if claim.preferred and claim is not chosen:
            claim.preferred = False
            claim.save(update_fields=["preferred"])
    if chosen is not None and not chosen.preferred:
        chosen.preferred = True
        chosen.save(update_fields=["preferred"])
    label = field_label(model, field_name)
    what = f"“{chosen.value}” ({chosen.source.display_name})" if chosen else "no claim"
    LogEntry.objects.log_actions(
        user.pk,
        [record],
        CHANGE,
        change_message=f"Preferred claim about “{label}”: {what}.",
        single_object=True,
    )
    return PreferredClaim(record, label, chosen)
