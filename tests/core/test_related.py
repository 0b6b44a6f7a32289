"""What a record page shows of a big relation (cooperation/core/related.py): the latest few, and
how many there are in all."""

import pytest

from cooperation.core import related
from cooperation.core.partial_dates import PartialDate as PD
from partners import selectors as partner_selectors
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_record_page_lists_the_latest_of_a_big_relation_and_counts_them_all(client, monkeypatch):
    monkeypatch.setattr(related, "RELATED_LIMIT", 3)
    monkeypatch.setattr(related.some, "__defaults__", (3,))
    monkeypatch.setattr(partner_selectors, "RELATED_LIMIT", 3)  # the partner page's prepared queries' limit
    partner = f.PartnerFactory(slug="iom", acronym="IOM")
    for year in range(2001, 2006):
        f.MeetingFactory(partners=[partner], start=PD(year), title=f"Meeting of {year}")

    response = client.get("/partners/iom/")

    text = response.content.decode()
    assert response.context["counts"]["meetings"] == 5
    assert "<strong>5</strong> meetings" in text
    assert [entry.text for entry in response.context["timeline"].dated] == [
        "Meeting of 2003",
        "Meeting of 2004",
        "Meeting of 2005",
    ]
    assert "the timeline holds the latest 3 meetings" in text
