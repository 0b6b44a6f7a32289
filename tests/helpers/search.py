"""Site search as the tests read it: a search, and its hits' titles by group and in rank order."""

import re
from html import unescape

SEARCH_URL = "/search/"


def search(client, q=None, **params):
    if q is not None:
        params["q"] = q
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response


def titles_by_group(response):
    """{group label: [hit titles as text, in rank order]}."""
    return {
        group.label: [unescape(re.sub(r"</?mark>", "", str(hit.title))) for hit in group.hits]
        for group in response.context["result"].groups
    }


def found(response):
    """Every hit's title as text, group after group."""
    return [title for group in titles_by_group(response).values() for title in group]
