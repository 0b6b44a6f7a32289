"""HTML written in Python rather than by a template, for the pages that write hundreds of
items (a map's places, a timeline's entries, a year's lists): escaping as the templates escape."""

import html

from django.utils.html import conditional_escape


def esc(value: object) -> str:
    """``conditional_escape`` without the wrapper that looks for lazy arguments, for the thousands
    of names and addresses a map writes (a third of the cost of writing them): a plain ``str`` is
    escaped by ``html.escape``, as Django's ``escape`` does it; anything else (a SafeString, a lazy
    translation, a number) goes through ``conditional_escape``. A ``str`` of a subclass that is
    not already HTML (a record's name as a LocalizedText, the commonest value on a partner's
    page: some 1,000 a page) is plain text too."""
    if type(value) is str or (isinstance(value, str) and not hasattr(value, "__html__")):
        return html.escape(value)
    return conditional_escape(value)
