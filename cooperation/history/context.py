"""Who and why, for writes outside a request: :func:`history_context`.

django-simple-history names the signed-in user of a request on the rows it writes; writes made
outside a request (the seed loader, a revert or restore carried out by a service) name no user
and no reason unless they run inside :func:`history_context`, which gives the rows written
inside it a user and a change reason (the seed loader says "seed loader").
"""

import contextlib
import contextvars
from collections.abc import Iterator
from typing import TYPE_CHECKING

from simple_history.signals import pre_create_historical_record

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

# simple-history's change reason column is a CharField(max_length=100).
REASON_LENGTH = 100

_context = contextvars.ContextVar("registry_history_context", default=None)


@contextlib.contextmanager
def history_context(*, user: "AbstractBaseUser | None" = None, reason: str = "") -> Iterator[None]:
    """Rows written inside get ``user`` (unless the save named one) and ``reason`` (unless the
    object carried its own ``_change_reason``)."""
    token = _context.set((user, reason))
    try:
        yield
    finally:
        _context.reset(token)


def _fill_from_context(sender, history_instance, **kwargs):
    context = _context.get()
    if context is None:
        return
    user, reason = context
    if user is not None and history_instance.history_user_id is None:
        history_instance.history_user = user
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason[:REASON_LENGTH]


pre_create_historical_record.connect(_fill_from_context, dispatch_uid="cooperation.history.context")


def limit_reason(text: str) -> str:
    """``text`` cut to fit the change reason column, with "…" where it was cut."""
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"
