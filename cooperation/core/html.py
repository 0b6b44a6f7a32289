"""HTML written in Python rather than by a template, for the pages that write hundreds of
items (a map's places, a timeline's entries, a year's lists): escaping as the templates escape."""

import html

from django.utils.html import conditional_escape


def esc(value: object) -> str:
    """``conditional_escape`` without the wrapper that looks for lazy arguments, for the thousands
    of names and addresses a map writes (a third of the cost of writing them): a plain ``str`` is
    escaped by ``html.escape``, as Django's ``escape`` does it; anything else (a SafeString, a lazy
    translation, a number) goes through ``conditional_escape``."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)
