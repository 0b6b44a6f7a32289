"""Site-wide files for machines: ``/robots.txt``."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    """Crawlers may read every public page and find the sitemap; search result pages are
    endless and thin, so they are left out.

    The admin is not named here: ``ADMIN_PATH`` may be chosen to keep it out of sight, and its
    pages already tell robots to stay away (``<meta name="robots" content="NONE,NOARCHIVE">``).
    ``Disallow`` comes before ``Allow: /`` so that crawlers which take the first matching rule
    (Python's ``urllib.robotparser`` among them) agree with those that take the longest.
    """
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('cooperation:search')}",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('cooperation:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
