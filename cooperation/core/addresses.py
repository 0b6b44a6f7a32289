"""A record's address: what ``reverse(view, kwargs={"slug": slug})`` gives, without reversing
every time.

Every record page's URL is ``<prefix><slug>/`` (``/az/partners/iom/``), and a page of lists
links hundreds of records: a year page's lists reversed over 400 addresses, at 57 µs each a fifth
of their rendering. :func:`slug_url` reverses a view once for each language, script prefix and URLconf
(what reverse() depends on besides its arguments) and puts the slug between the two halves; a
slug that Django's ``slug`` path converter would not take is reversed as before, so it fails
as it did.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Django's ``<slug:…>`` converter (django.urls.converters.SlugConverter): nothing in such a
# slug is quoted in a URL.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PROBE = "slug-url-probe"


@lru_cache(maxsize=256)
def _around_slug(viewname: str, language: str | None, prefix: str, urlconf: str) -> tuple[str, str]:
    before, after = reverse(viewname, kwargs={"slug": PROBE}).split(PROBE)
    return before, after


def slug_url(viewname: str, slug: str) -> str:
    """``reverse(viewname, kwargs={"slug": slug})`` in the active language."""
    if not SLUG.fullmatch(slug):
        return reverse(viewname, kwargs={"slug": slug})
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = _around_slug(viewname, get_language(), get_script_prefix(), urlconf)
    return f"{before}{slug}{after}"
