"""What a list page says of a query parameter it could not use: a :class:`Notice`, in the
page's language."""

from django.utils.translation import gettext as _

from cooperation.core.text import shorten


class Notice(str):
    """A message about a query parameter the page could not use: a str with ``.param``, so
    pages show it as text and the API can answer 400 naming the parameter.

    It holds what was wrong (``problem``) apart from what the page did instead (``action``):
    the page says both ("There is no topic “x”; that filter was ignored."), the API, which
    refuses the request, only the problem.
    """

    def __new__(cls, param: str | None, problem: str, action: str | None = None) -> "Notice":
        notice = super().__new__(cls, f"{problem}; {action}." if action else problem)
        notice.param = param
        notice.problem = problem if not action else f"{problem}."
        return notice


def ignored() -> str:
    """What the page did with a value it could not use, in the page's language."""
    return _("that filter was ignored")


def no_such(noun: str, value: str) -> str:
    """ "There is no partner “x”": a value that names no record or option."""
    return _("There is no %(noun)s “%(value)s”") % {"noun": noun, "value": shorten(value)}
