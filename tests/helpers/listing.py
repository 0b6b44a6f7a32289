"""A list page as the tests read it: the titles it lists, a facet's counts, and the queries a
request runs."""

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


# The query a request runs once, at its first cached value: the data version (cooperation/core/cache.py).
DATA_VERSION = 1


def queries(client, url):
    """(response, number of queries) of a GET that must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured.captured_queries)
