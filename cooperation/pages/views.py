"""The pages about every kind of record at once — home and the year pages — and the site's
files for machines: ``/robots.txt``, ``/favicon.ico``, and ``/healthz`` for load balancers."""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_countries import countries

from cooperation.core.structured_data import CONTEXT, compact, json_ld_script
from cooperation.pages import activity, home, selectors
from cooperation.pages.maps import home_map
from cooperation.pages.year_items import year_items
from cooperation.pictures import figures
from cooperation.pictures.html import cached_html
from cooperation.pictures.relationships import registry_timeline_html

logger = logging.getLogger(__name__)


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
        f"Disallow: {reverse('healthz')}",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('cooperation:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Browsers ask for ``/favicon.ico`` on pages that name no icon (the admin's, a PDF, a raw
    JSON answer): send them to the site's icon. Temporary, for a day: the icon's hashed name
    changes when the icon does."""
    response = HttpResponseRedirect(static("favicon.svg"))
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response


@never_cache
@require_safe
def healthz(request):
    """Whether this app server can serve: 200 "ok" once the primary database answers
    ``SELECT 1``, 503 when it does not. One query and no template, so a load balancer may ask
    every few seconds. It is left out of the sitemap, and robots.txt keeps crawlers away.

    The read replicas are not asked: they are shared by every app server, and one that is down
    would take every server out of the load balancer, where only public reads need it.
    """
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer SELECT 1.")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **home.home_context(),
            "place_map": home_map(),
            "structured_data": json_ld_script(site_structured_data(self.request)),
        }


def site_structured_data(request) -> dict:
    """The home page's schema.org JSON-LD: the site (``WebSite``, with its search) and the
    registry's data (``Dataset``: who keeps it, its licence if one is stated, its downloads)."""
    home = request.build_absolute_uri(reverse("cooperation:home"))
    agency = {"@type": "Organization", "name": settings.AGENCY_NAME} if settings.AGENCY_NAME else None
    # In the page's language, as the page says them (the description is its meta description):
    # the country's name was translated into a sentence that was not ("Azərbaycan's").
    country = countries.name(settings.HOST_COUNTRY)
    site_name = gettext(settings.SITE_NAME)
    search = request.build_absolute_uri(reverse("cooperation:search"))
    website = compact(
        {
            "@type": "WebSite",
            "@id": home,
            "name": site_name,
            "url": home,
            "publisher": agency,
            "potentialAction": {
                "@type": "SearchAction",
                "target": f"{search}?q={{search_term_string}}",
                "query-input": "required name=search_term_string",
            },
        }
    )
    dataset = compact(
        {
            "@type": "Dataset",
            "name": site_name,
            "description": gettext(
                "The public record of %(country)s's international cooperation on migration: partners, agreements, "
                "projects, offices and meetings, with their sources."
            )
            % {"country": country},
            "url": home,
            "spatialCoverage": {"@type": "Country", "name": country},
            "creator": agency,
            "license": settings.DATA_LICENCE_URL or settings.DATA_LICENCE,
            "isAccessibleForFree": True,
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": "application/json",
                    "contentUrl": request.build_absolute_uri(reverse("api:root")),
                }
            ],
        }
    )
    return {"@context": CONTEXT, "@graph": [website, dataset]}


class AboutView(TemplateView):
    """``/about/``: what the registry is, who keeps it, how it is sourced and corrected, the
    data licence and how to report an error, from the settings (``REGISTRY_AGENCY_NAME`` …);
    no query."""

    template_name = "pages/about.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "AGENCY_NAME": settings.AGENCY_NAME,
            "CONTACT_EMAIL": settings.CONTACT_EMAIL,
            "DATA_LICENCE": settings.DATA_LICENCE,
            "DATA_LICENCE_URL": settings.DATA_LICENCE_URL,
        }


class YearIndexView(TemplateView):
    """``/years/``: every year with records, newest first, with counts per kind (a chart and its
    table), and the partners with the most records over time (a timeline and its table)."""

    template_name = "pages/year_index.html"

    def get_context_data(self, **kwargs):
        years = list(selectors.year_index().values())[::-1]
        return {
            **super().get_context_data(**kwargs),
            "years": years,
            "years_chart": figures.rendered("years", [], years_chart),
            "registry_timeline": registry_timeline_html(activity.registry_activity),
        }


def years_chart():
    """Records per year by kind, from the year index (read inside: the chart depends on it)."""
    return figures.years_figure(selectors.year_index().values())


class YearDetailView(TemplateView):
    """``/years/<yyyy>/``: everything that happened in one year; a year without records is a 404."""

    template_name = "pages/year_detail.html"

    def get_context_data(self, **kwargs):
        year = selectors.parse_year(self.kwargs["year"])
        page = selectors.year_page(year) if year is not None else None
        if page is None:
            raise Http404("The registry holds no records for this year.")

        # Its lists change only with the data they show: rendered once a language until then.
        # (Not "year-lists": the release before kept YearLists records under it, which a server
        # of this release would write into the page while the two run side by side.)
        def lists_html():
            return render_to_string("pages/_year_lists.html", {"page": page, "items": year_items(page)})

        lists = cached_html("year-lists-html", [year], lists_html)
        return {**super().get_context_data(**kwargs), "page": page, "lists": lists}
