"""What the home and year pages show of a long list (cooperation/pages/selectors.py): the first few,
how many there are in all, and a link to the rest."""

import pytest

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.pages import selectors as pages_selectors
from partners.models import Partner
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_year_page_lists_the_first_meetings_and_links_to_all_of_them(client, monkeypatch):
    monkeypatch.setattr(pages_selectors, "RELATED_LIMIT", 2)
    for day in range(1, 5):
        f.MeetingFactory(start=PD(2016, 3, day), title=f"Meeting {day}")

    response = client.get("/years/2016/")

    page = response.context["page"]
    assert [meeting.title for meeting in page.meetings] == ["Meeting 1", "Meeting 2"]
    assert page.meetings.total == 4
    assert 'The first 2 of 4; <a href="/meetings/?year=2016">every meeting of 2016' in response.content.decode()


def test_the_home_page_names_the_partners_in_most_projects_and_links_to_the_rest(client, monkeypatch):
    monkeypatch.setattr(pages_selectors, "HOME_PARTNERS", 2)
    busy = [f.PartnerFactory(name=f"Busy {n}", scope=Partner.Scope.BILATERAL) for n in range(2)]
    f.PartnerFactory(name="Quiet", scope=Partner.Scope.BILATERAL)
    for partner in busy:
        f.ProjectPartnerFactory(partner=partner)

    response = client.get("/")

    group = next(group for group in response.context["partner_groups"] if group.scope == "bilateral")
    assert [partner.name for partner in group.partners] == ["Busy 0", "Busy 1"]
    assert group.total == 3
    assert "The 2 of 3 in the most projects" in response.content.decode()


def stage(page, name):
    return next(records for _label, stage_name, records in page.agreement_stages if stage_name == name)


def test_the_year_page_lists_the_first_agreements_and_offices_by_date_then_name_in_the_pages_language(
    client, monkeypatch
):
    monkeypatch.setattr(pages_selectors, "RELATED_LIMIT", 2)
    f.AgreementFactory(title="Omega accord", signed=PD(2016, 2, 1))
    f.AgreementFactory(title="beta accord", signed=PD(2016, 3, 1))
    f.AgreementFactory(title="Alpha accord", signed=PD(2016, 3, 1))
    f.AgreementFactory(title="Zeta accord", title_az="Alfa saziş", signed=PD(2016, 3, 1))
    f.AgreementFactory(title="Signed another year", signed=PD(2015, 1, 1))
    for name, name_az in (("b office", ""), ("A office", ""), ("c office", "A birinci ofis")):
        f.OfficeFactory(name=name, name_az=name_az, opened=PD(2016))

    english = client.get("/years/2016/").context["page"]
    azerbaijani = client.get("/az/years/2016/").context["page"]

    assert [agreement.title for agreement in stage(english, "signed")] == ["Omega accord", "Alpha accord"]
    assert stage(english, "signed").total == 4
    assert [agreement.title for agreement in stage(azerbaijani, "signed")] == ["Omega accord", "Zeta accord"]
    assert [office.name for office in english.offices_opened] == ["A office", "b office"]
    assert english.offices_opened.total == 3
    assert [office.name for office in azerbaijani.offices_opened] == ["c office", "A office"]
