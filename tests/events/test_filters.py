"""The meeting list's filters and facets (events/filters.py)."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from tests import factories as f
from tests.helpers.listing import facet, titles

pytestmark = pytest.mark.django_db


def test_meeting_filters_by_partner_kind_and_year(client):
    iom = f.PartnerFactory(slug="iom")
    cis = f.PartnerFactory(slug="cis")
    f.MeetingFactory(
        title="107th Council session",
        kind="governing-body-session",
        start=PD(2016, 12, 5),
        end=PD(2016, 12, 8),
        partners=[iom],
    )
    f.MeetingFactory(title="19th CHMB meeting", kind="governing-body-session", start=PD(2016, 10, 12), partners=[cis])
    f.MeetingFactory(title="First visit", kind="visit", start=PD(2000, 10), partners=[iom])
    f.MeetingFactory(title="Undated working group", kind="working-group", start=None, partners=[cis])
    assert titles(client.get("/meetings/?partner=iom")) == ["107th Council session", "First visit"]
    assert titles(client.get("/meetings/?kind=governing-body-session&year=2016")) == [
        "107th Council session",
        "19th CHMB meeting",
    ]
    assert titles(client.get("/meetings/?year=2000&partner=cis")) == []
    response = client.get("/meetings/")
    assert facet(response, "year") == {"2016": 2, "2000": 1}
    body = response.content.decode()
    assert "5–8 December 2016" in body and "October 2000" in body and "date not recorded" in body
