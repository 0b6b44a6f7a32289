"""History in words: foreign keys by name (and when they were deleted), the words that changed in
a long text (cooperation/history/describe.py).

Changes are made as staff make them, through the admin's forms and buttons, and checked on
the pages staff read and in the database. Rows written by one person less than two seconds
apart are one version, so tests that need two versions let time pass in between
(``pass_time`` in tests/helpers/history.py moves every history row back).
"""

import re

import pytest

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Project
from partners.models import Office, Partner
from tests.factories import OfficeFactory, PartnerFactory, ProjectFactory
from tests.helpers.admin import admin_url
from tests.helpers.history import change, pass_time, versions_shown
from tests.helpers.users import login

pytestmark = pytest.mark.django_db


# What a version says ---------------------------------------------------------------------------


def test_history_names_foreign_keys_and_says_when_they_were_deleted():
    iom, unhcr = PartnerFactory(name="IOM", acronym=""), PartnerFactory(name="UNHCR", acronym="")
    office = OfficeFactory(partner=iom, name="Baku office", opened=PartialDate(1998, 12))
    pass_time()
    client, _user = login("alice")
    change(client, office, partner=str(unhcr.pk), opened="2001")
    pass_time()
    change(client, office, partner=str(iom.pk))
    pass_time()
    # The office moves away from UNHCR; then UNHCR is deleted: its name stays in the history.
    unhcr.delete()

    shown = versions_shown(client.get(admin_url(Office, "history", office.pk)))
    assert [row[2] for row in shown[:2]] == [
        "Partner: UNHCR (deleted) → IOM",
        "Partner: IOM → UNHCR (deleted) Opened: December 1998 → 2001",
    ]


def test_long_texts_show_the_words_that_changed():
    text = "The agreement covers " + "readmission of persons residing without authorisation " * 4
    partner = PartnerFactory(description=text)
    pass_time()
    client, _user = login("alice")
    change(client, partner, description=text.replace("covers", "no longer covers"))

    response = client.get(admin_url(Partner, "history", partner.pk))
    assert re.search(r"<ins>\s*no longer\s*</ins>", response.content.decode())
    assert versions_shown(response)[0][2].startswith("Description: The agreement no longer covers readmission")


def test_recipient_countries_are_named_and_a_project_without_them_has_a_history():
    project = ProjectFactory()  # never given countries: none in its first version
    pass_time()
    client, _user = login("alice")
    change(client, project, recipient_countries=["GE", "AZ"])
    pass_time()
    change(client, project, recipient_countries=["AZ"])

    shown = versions_shown(client.get(admin_url(Project, "history", project.pk)))
    assert [row[2] for row in shown[:2]] == [
        "Recipient countries: Azerbaijan, Georgia → Azerbaijan",
        "Recipient countries: (empty) → Azerbaijan, Georgia",
    ]
