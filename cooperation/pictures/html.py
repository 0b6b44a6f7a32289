"""A picture's HTML, cached: rendered once (in each language: the cache's keys hold it) until the
data it was drawn from changes, so a warm page neither reads, lays out nor renders it again."""

from collections.abc import Callable, Iterable, Sequence

from django.utils.safestring import SafeString, mark_safe

from cooperation.core.cache import cached


def cached_html(
    namespace: str, parts: Sequence[object], render: Callable[[], str], records: Iterable[str] | None = None
) -> SafeString:
    """``render()``'s HTML (a template's output, escaped by it), cached under (namespace, parts).
    ``records``: the record names it depends on instead of the tables it read (cooperation/core/cache.py)."""
    depends = (lambda html: records) if records is not None else None
    return mark_safe(cached(namespace, list(parts), render, records=depends))  # rendered by an escaping template
