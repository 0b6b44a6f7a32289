"""schema.org JSON-LD for the public pages: what search engines and other machines read of a
record (an ``Organization``, a ``Legislation``, a ``Project``, an ``Event``) and of the site.

The apps build each record's data from what its page shows (published related records only,
read with the page: no query of its own); this module writes it into the page as a
``<script type="application/ld+json">``. A JSON data block is never run by the browser, so the
Content-Security-Policy (``script-src 'self'``) has nothing to allow; it is escaped as Django's
``json_script`` escapes (``<``, ``>`` and ``&`` as ``\\u003C`` …), so no text in it (a title
holding ``</script>``) can end the element.
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cooperation.core.partial_dates import PartialDate

CONTEXT = "https://schema.org"

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``data`` as a JSON-LD ``<script>`` element, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def iso_date(date: PartialDate | None) -> str | None:
    """A partial date at the precision it is known, as schema.org's ISO 8601 dates allow:
    "1999-12-08", "2006-08", "1998"."""
    return date.iso if date else None


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without its empty values (schema.org reads a missing property as unknown)."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def thing(schema_type: str, record: models.Model, absolute_url: Callable[[str], str], **properties: Any) -> dict:
    """A linked record as a small node: its type, name and address (its ``@id``)."""
    url = absolute_url(record.get_absolute_url())
    return compact({"@type": schema_type, "@id": url, "name": str(record), "url": url, **properties})


def things(
    schema_type: str, records: Iterable[models.Model], absolute_url: Callable[[str], str]
) -> list[dict[str, Any]]:
    return [thing(schema_type, record, absolute_url) for record in records]


def document(schema_type: str, record: models.Model, absolute_url: Callable[[str], str], **properties: Any) -> dict:
    """A record page's JSON-LD: the record as ``schema_type`` with its ``@context``, ``@id``,
    ``url``, ``dateModified`` and the given properties (empty ones left out)."""
    url = absolute_url(record.get_absolute_url())
    return compact(
        {
            "@context": CONTEXT,
            "@type": schema_type,
            "@id": url,
            "url": url,
            **properties,
            "dateModified": record.updated_at.isoformat(),
        }
    )
