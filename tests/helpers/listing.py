"""A list page as the tests read it: the titles it lists, a facet's counts, and the queries a
request runs."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def titles(response):
    """The record titles listed on a list page, in order."""
    return [obj.title if hasattr(obj, "title") else obj.name for obj in response.context["object_list"]]


def facet(response, name):
    """{option value: count} for the visible options of one facet."""
    for item in response.context["facets"]:
        if item.name == name:
            return {option.value: option.count for option in item.visible_options}
    raise AssertionError(f"no facet {name}")


# The query a request runs once, at its first cached value: the versions (cooperation/core/versions.py).
DATA_VERSION = 1
# What a first (uncached) request of a record page reads besides: the record's version, under which
# its numbers of related records are kept (core/related.py), and, once the page's record is read,
# the versions of every record it shows, to keep it with them (cooperation/core/cache.py).
RECORD_VERSIONS = 2


def queries(client, url):
    """(response, number of queries) of a GET that must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def form_options(response, name):
    """The options of one facet as the filter form lists them, in order: [(value, state)], state
    "checked", "disabled" or ""."""
    html = response.content.decode()
    fieldset = re.search(rf'<fieldset class="facet" id="facet-{name}">(.*?)</fieldset>', html, re.S)
    if fieldset is None:
        raise AssertionError(f"no facet {name} in the filter form")
    checkbox = rf'<input type="checkbox" [^>]*name="{name}" value="([^"]*)" [^>]*?( checked| disabled)?>'
    return [(value, state.strip()) for value, state in re.findall(checkbox, fieldset.group(1))]


def facet_legend(response, name):
    """A facet's legend as it reads: "Partner (any of the 2 ticked)"."""
    html = response.content.decode()
    legend = re.search(rf'<fieldset class="facet" id="facet-{name}">\s*<legend>(.*?)</legend>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", legend.group(1)).split())
