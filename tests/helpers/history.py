"""History: time passing between versions, a change made through the admin, and the history
pages' tables, text and revert links."""

import re
from datetime import timedelta
from html import unescape

from django.db.models import F
from django.utils.html import strip_tags

from cooperation.history.tracking import history_of, tracked_models
from tests.helpers.admin import admin_url, form_data

DELETED = "/admin/history/deleted/"


def pass_time(minutes=5):
    """Move every history row back ``minutes``: what follows is a new version."""
    for model in tracked_models():
        history_of(model).objects.update(history_date=F("history_date") - timedelta(minutes=minutes))


def change(client, obj, **changes):
    """Post ``obj``'s change form with ``changes`` made; the admin must accept it."""
    data = form_data(client.get(admin_url(type(obj), "change", obj.pk)))
    data.update(changes)
    response = client.post(admin_url(type(obj), "change", obj.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return data


def cells(html):
    return [
        " ".join(unescape(strip_tags(cell)).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, re.S)
    ]


def table(response, table_id):
    """The rows of the table ``table_id`` as lists of cell texts."""
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody>", start) : html.index("</tbody>", start)]
    return [cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def versions_shown(response):
    """The history page's versions, newest first: [by, action, what changed, revert link text]."""
    return [row[1:] for row in table(response, "change-history")]


def text_of(response):
    html = response.content.decode()
    main = html[html.index(">", html.index('id="content-main"')) + 1 :]
    return " ".join(unescape(strip_tags(main)).split())


def revert_links(response):
    return re.findall(r'href="([^"]*/revert/)"', response.content.decode())


def rows_of(model, pk):
    """(action, user, reason) of each history row of one object, oldest first."""
    rows = history_of(model).objects.filter(id=pk).order_by("history_date", "history_id")
    return [(row.history_type, getattr(row.history_user, "username", None), row.history_change_reason) for row in rows]
