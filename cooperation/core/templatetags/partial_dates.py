"""``{% partial_date date end=… text=… missing=… since=… %}``: a partial date in a ``<time>``
element, in the page's language. Pages call the tag itself, not an include of it: an include costs
about 50 µs more, and a partner's page writes fifty dates.

- a date: ``<time datetime="2006-08">August 2006</time>`` (``text`` in place of its words, e.g. a
  meeting's "10–11 May 2006"); with ``end`` (and no ``text``) "… – <time>…</time>";
- only an end: "until <time>…</time>" ("до <time>августа 2006</time>");
- ``since``: "since <time>…</time>" ("с <time>2008 года</time>", "<time>2008-ci</time> ildən");
- neither: ``missing`` (or "Not recorded") in ``<span class="meta">``.

``{{ value|site_date }}``: a date or a datetime (its local day) as the site writes a day, "3 December
2026", "3 dekabr 2026", "3 декабря 2026" (Django's ``date:"j F Y"`` gives "3 Декабрь 2026" in
Russian); ``{% today %}``: today so (for "Printed … on …").
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from cooperation.core import date_words
from cooperation.core.partial_dates import PartialDate
from cooperation.core.words import gettext

register = template.Library()


def _time(date: Any, words: str) -> SafeString:
    return format_html('<time datetime="{}">{}</time>', date.html_datetime, words)


def _worded(date: Any, parts: tuple[str, str, str]) -> SafeString:
    """ "until %(date)s" with its date in a <time> element: the message's words escaped."""
    message, name, words = parts
    return mark_safe(conditional_escape(message) % {name: _time(date, words)})  # noqa: S308 (escaped above)


@register.simple_tag
def partial_date(date: Any = None, end: Any = None, text: str = "", missing: str = "", since: bool = False) -> str:
    if date:
        if since and not end:
            return _worded(date, date_words.since_parts(date))
        html = _time(date, text or str(date))
        if end and not text:
            html = format_html("{} – {}", html, _time(end, str(end)))
        return html
    if end:
        return _worded(end, date_words.until_parts(end))
    return format_html('<span class="meta">{}</span>', missing or gettext("Not recorded"))


@register.filter
def site_date(value: datetime.date | datetime.datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return str(PartialDate.from_date(value))


@register.simple_tag
def today() -> str:
    return site_date(timezone.localdate())
