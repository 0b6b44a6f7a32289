"""The partner, office and person pages (partners/views.py, partners/selectors.py).

Each test asserts what a reader sees (the text of the page and its links). The query-count
tests build every page with 1 and with 50 related rows of each kind and expect the same
literal number of queries.
"""

import re

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models import F
from django.utils import translation

from cooperation.core.cache import make_key
from cooperation.core.models import DataVersion
from cooperation.core.partial_dates import PartialDate
from cooperation.core.related import RELATED_LIMIT, newest_first
from cooperation.core.versions import DATA
from cooperation.models import ProjectPartner
from events.models import Meeting
from partners import maps, selectors
from partners.models import Partner, Post
from tests import factories as f
from tests.helpers.listing import DATA_VERSION, RECORD_VERSIONS, queries
from tests.helpers.pages import cite, get, map_figure

pytestmark = pytest.mark.django_db


# Partner --------------------------------------------------------------------------------------


def test_partner_page_shows_facts_offices_and_related_records(client):
    parent = f.PartnerFactory(name="United Nations", acronym="UN", slug="un")
    iom = f.PartnerFactory(
        name="International Organization for Migration",
        acronym="IOM",
        slug="iom",
        headquarters="Geneva, Switzerland",
        parent=parent,
        founded=PartialDate(1951),
        member_states=156,
        description="The UN migration agency.",
    )
    f.OfficeFactory(partner=iom, name="IOM Baku office", city="Baku", country="AZ", opened=PartialDate(1996))
    f.OfficeFactory(
        partner=iom, name="IOM Nakhchivan office", city="Nakhchivan", country="AZ", opened=PartialDate(1998)
    )
    agreement = f.AgreementFactory(title="Cooperation Agreement with IOM", parties=[iom])
    project = f.ProjectFactory(title="Kahriz Rehabilitation Project")
    f.ProjectPartnerFactory(project=project, partner=iom, role=ProjectPartner.Role.IMPLEMENTING)
    meeting = f.MeetingFactory(title="Visit of the Director General", partners=[iom])
    f.CitationFactory(content_object=iom, source=f.SourceFactory(title="Azerbaijan and IOM"), locator="paragraph 1")

    page = get(client, "/partners/iom/")

    assert page.status == 200
    assert page.h1 == "International Organization for Migration (IOM)"
    assert page.h1_count == 1
    assert page.title() == "International Organization for Migration (IOM) – Partners – Migration Cooperation Registry"
    assert "Headquarters Geneva, Switzerland" in page.text
    assert "Part of United Nations (UN)" in page.text
    assert "Founded 1951" in page.text
    assert "Member states 156" in page.text
    assert "IOM Baku office Field office Baku, Azerbaijan since 1996" in page.text
    assert "IOM Nakhchivan office Field office Nakhchivan, Azerbaijan since 1998" in page.text
    assert all(page.links_to(record) for record in [parent, agreement, project, meeting])
    assert "Kahriz Rehabilitation Project 2014 · Implementing" in page.text
    assert "Sources Azerbaijan and IOM, Ministry of Foreign Affairs — paragraph 1" in page.text
    assert '<link rel="canonical" href="http://testserver/partners/iom/">' in page.html


def test_partner_timeline_lists_every_kind_oldest_first_with_each_agreement_stage(client):
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    f.OfficeFactory(partner=iom, name="IOM Baku office", opened=PartialDate(1996), closed=PartialDate(2020, 3))
    agreement = f.AgreementFactory(
        title="Cooperation Agreement",
        parties=[iom],
        signed=PartialDate(1999, 12, 8),
        signed_place="Baku",
        ratified=PartialDate(2000, 5),
        in_force=PartialDate(2001, 6),
    )
    project = f.ProjectFactory(title="UNIMIG", start=PartialDate(2014), end=PartialDate(2017, 6))
    f.ProjectPartnerFactory(project=project, partner=iom, role=ProjectPartner.Role.FUNDING)
    f.MeetingFactory(
        title="Working visit",
        partners=[iom],
        start=PartialDate(2006, 5, 10),
        end=PartialDate(2006, 5, 11),
        city="Baku",
        country="AZ",
        kind=Meeting.Kind.VISIT,
    )
    f.MeetingFactory(title="Governing-body session, date unknown", partners=[iom], start=None)
    f.ProjectPartnerFactory(project=f.ProjectFactory(title="Undated project", start=None), partner=iom)
    f.PostFactory(organisation=iom, person=f.PersonFactory(name="Brunson McKinley"), start=PartialDate(1998, 10))

    page = get(client, "/partners/iom/")

    assert page.timeline == [
        "1996 Office opened IOM Baku office — Baku, Azerbaijan",
        "October 1998 Took office Brunson McKinley — Director General",
        "8 December 1999 Agreement signed Cooperation Agreement — in Baku",
        "May 2000 Agreement ratified Cooperation Agreement",
        "June 2001 Agreement entered into force Cooperation Agreement",
        "10–11 May 2006 Visit Working visit — Baku, Azerbaijan",
        "2014 Project started UNIMIG — Role: funding",
        "June 2017 Project ended UNIMIG — Role: funding",
        "March 2020 Office closed IOM Baku office — Baku, Azerbaijan",
    ]
    assert page.undated == [
        "Project Undated project — Role: implementing",
        "Bilateral meeting Governing-body session, date unknown — Geneva, Switzerland",
    ]
    assert "Date not recorded" in page.text
    assert page.html.count(f'href="{agreement.get_absolute_url()}"') >= 3
    assert '<time datetime="1999-12-08">8 December 1999</time>' in page.html


def test_partner_timeline_is_in_the_pages_language(client):
    iom = f.PartnerFactory(
        name="International Organization for Migration",
        name_ru="Международная организация по миграции",
        acronym="IOM",
        acronym_ru="МОМ",
        acronym_az="BMqT",
        slug="iom",
    )
    office = f.OfficeFactory(partner=iom, name="IOM Baku office", name_ru="Офис МОМ в Баку", city="Baku")
    office.city_ru = "Баку"
    office.opened, office.closed = PartialDate(1996), PartialDate(2020, 3)
    office.save()
    agreement = f.AgreementFactory(title="Cooperation Agreement", parties=[iom], signed=PartialDate(1999, 12, 8))
    agreement.actions.update(party=iom)
    f.ProjectPartnerFactory(project=f.ProjectFactory(start=PartialDate(2014), end=PartialDate(2017, 6)), partner=iom)
    f.MeetingFactory(title="Working visit", title_ru="Рабочий визит", partners=[iom], start=PartialDate(2006, 5))
    f.MeetingFactory(title="Talks", partners=[iom], start=PartialDate(2007), status=Meeting.Status.UNKNOWN)
    person = f.PersonFactory(name="Brunson McKinley", name_ru="Брансон Маккинли")
    f.PostFactory(organisation=iom, person=person, title="Director General", title_ru="Генеральный директор")

    page = get(client, "/ru/partners/iom/")
    russian = " ".join(page.timeline)
    azerbaijani = " ".join(get(client, "/az/partners/iom/").timeline)

    for words in [
        "1996 Офис открыт Офис МОМ в Баку — Баку, Азербайджан",
        "Вступление в должность Брансон Маккинли — Генеральный директор",
        "8 декабря 1999 Соглашение подписано Cooperation Agreement — сторона: Международная организация по миграции",
        "Рабочий визит",
        "2007 Двусторонняя встреча Talks — Неизвестно, состоялась ли",
        "Начало проекта",
        "Окончание проекта",
        "Офис закрыт",
    ]:
        assert words in russian
    for words in ["Ofis açılıb", "Vəzifəyə başlayıb", "Saziş imzalanıb", "(BMqT)", "Layihə başlayıb", "Ofis bağlanıb"]:
        assert words in azerbaijani
    for english in ["Office opened", "Agreement signed", "Project started", "Took office", "by IOM", "Not known"]:
        assert english not in russian and english not in azerbaijani
    # An untranslated title is the English, marked so (a reader's browser and screen reader know).
    assert 'Соглашение подписано</span> <a href="/ru/agreements/' in page.html
    assert '"><span lang="en">Cooperation Agreement</span></a>' in page.html


@pytest.mark.parametrize(
    ("prefix", "switzerland", "azerbaijan"),
    [("", "Switzerland", "Azerbaijan"), ("/az", "İsveçrə", "Azərbaycan"), ("/ru", "Швейцария", "Азербайджан")],
)
def test_countries_are_named_in_the_pages_language_on_partner_and_office_pages(client, prefix, switzerland, azerbaijan):
    iom = f.PartnerFactory(name="IOM", slug="iom", country="CH")
    f.OfficeFactory(partner=iom, name="Baku office", slug="baku-office", city="Baku", country="AZ")

    partner = get(client, f"{prefix}/partners/iom/").html
    office = get(client, f"{prefix}/offices/baku-office/").html
    offices = get(client, f"{prefix}/offices/").html
    partners = get(client, f"{prefix}/partners/").html

    assert re.search(rf"<dt>[^<]+</dt><dd>{switzerland}\s*</dd>", partner)  # the partner's own country
    city = '<span lang="en">Baku</span>' if prefix else "Baku"  # untranslated: the English, marked
    assert f"<td>{city}, {azerbaijan}</td>" in partner  # its offices' table
    assert f"<dd>{azerbaijan}</dd>" in office
    assert f"· {city}, {azerbaijan}\n" in offices  # the office's row in the list
    assert f" · {switzerland}" in partners  # the partner's row in the list


def test_partner_timeline_marks_the_english_of_untranslated_names_in_its_details(client):
    undp = f.PartnerFactory(name="United Nations Development Programme", acronym="UNDP", slug="undp")
    iom = f.PartnerFactory(name="IOM", name_ru="МОМ", slug="iom")
    f.OfficeFactory(partner=iom, name_ru="Офис", city="Ganja", country="AZ", opened=PartialDate(1996))
    agreement = f.AgreementFactory(title_ru="Соглашение", parties=[iom, undp], signed=PartialDate(1999))
    agreement.actions.update(party=undp, place="Geneva")
    f.MeetingFactory(title_ru="Визит", partners=[iom], start=PartialDate(2006), city="Shusha", country="AZ")
    f.PostFactory(organisation=iom, person=f.PersonFactory(name_ru="Имя"), title="Chief of Mission")

    html = get(client, "/ru/partners/iom/").html

    assert '— <span lang="en">Ganja</span>, Азербайджан</span>' in html
    assert (
        'сторона: <span lang="en">United Nations Development Programme (UNDP)</span>, '
        'место: <span lang="en">Geneva</span></span>'
    ) in html
    assert '— <span lang="en">Shusha</span>, Азербайджан</span>' in html
    assert '— <span lang="en">Chief of Mission</span></span>' in html


@pytest.mark.django_db(transaction=True)  # VACUUM, outside a transaction
def test_a_partners_latest_posts_are_read_in_order_from_an_index_on_postgresql():
    """Migration partners.0009: a partner's page reads its latest officials' posts from the
    index post_latest, in the page's order, rather than sorting all of them (the busiest
    partner's 493 posts: 2.4 ms sorted, 0.3 from the index)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("NULLS LAST in an index is PostgreSQL's")
    iom = f.PartnerFactory(slug="iom")
    f.PostFactory.create_batch(3, organisation=iom)
    posts = Post.objects.filter(organisation=iom, person__published=True).order_by(*newest_first("start"))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE partners_post")
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        plan = posts[:RELATED_LIMIT].explain()
    assert "Index Scan using post_latest" in plan
    assert "Sort" not in plan


def test_partner_timeline_escapes_what_its_records_hold(client):
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    f.MeetingFactory(title='Talks <script>alert(1)</script> & "co"', partners=[iom], start=PartialDate(2006, 5))
    f.MeetingFactory(title="Undated <b>session</b>", partners=[iom], start=None, city="Baku <i>", country="AZ")
    f.OfficeFactory(partner=iom, name="Office", city="<u>Ganja", country="AZ", opened=PartialDate(1996))
    agreement = f.AgreementFactory(title="Agreement", parties=[iom], signed=PartialDate(1999))
    agreement.actions.update(party=f.PartnerFactory(name="<s>Other", acronym=""), place="<em>Geneva")
    f.PostFactory(organisation=iom, person=f.PersonFactory(name="Someone"), title="Chief <q>", start=PartialDate(2001))

    page = get(client, "/partners/iom/")

    for tag in ["<script>", "<b>session", "<i>", "<u>", "<s>", "<em>", "<q>"]:
        assert tag not in page.html
    assert "1996 Office opened Office — <u>Ganja, Azerbaijan" in page.timeline
    assert "1999 Agreement signed Agreement — by <s>Other, in <em>Geneva" in page.timeline
    assert "2001 Took office Someone — Chief <q>" in page.timeline
    assert 'May 2006 Bilateral meeting Talks <script>alert(1)</script> & "co" — Geneva, Switzerland' in page.timeline
    assert page.undated == ["Bilateral meeting Undated <b>session</b> — Baku <i>, Azerbaijan"]


def test_partner_page_in_azerbaijani_writes_the_roles_with_azerbaijanis_capital_i(client):
    iom = f.PartnerFactory(slug="iom")
    kahriz = f.ProjectFactory(title="Kahriz Rehabilitation Project", start=PartialDate(2014))
    f.ProjectPartnerFactory(project=kahriz, partner=iom, role=ProjectPartner.Role.IMPLEMENTING)
    unimig = f.ProjectFactory(title="UNIMIG", start=PartialDate(2012))
    f.ProjectPartnerFactory(project=unimig, partner=iom, role=ProjectPartner.Role.FUNDING)
    f.ProjectPartnerFactory(project=unimig, partner=iom, role=ProjectPartner.Role.IMPLEMENTING)

    page = get(client, "/az/partners/iom/")

    # İ is one letter (Unicode form C), not I and a combining dot; a role inside the text in lower case.
    assert "Kahriz Rehabilitation Project 2014 · İcraçı" in page.text
    assert "UNIMIG 2012 · Maliyyələşdirən, icraçı" in page.text
    assert "Kahriz Rehabilitation Project — Rolu: icraçı" in page.text
    assert "\u0307" not in page.html


def test_partner_page_of_a_host_country_institution_is_a_record_like_any_other(client):
    sms = f.PartnerFactory(
        name="State Migration Service",
        acronym="SMS",
        slug="sms",
        kind=Partner.Kind.STATE_AGENCY,
        scope=Partner.Scope.DOMESTIC,
        country="AZ",
    )
    f.PostFactory(
        organisation=sms, title="Chief", person=f.PersonFactory(name="Firudin Nabiyev"), start=PartialDate(2007)
    )

    page = get(client, "/partners/sms/")

    assert page.h1 == "State Migration Service (SMS)"
    assert "Host-country institution" in page.text
    assert "Country Azerbaijan" in page.text
    assert page.timeline == ["2007 Took office Firudin Nabiyev — Chief"]


def test_claims_about_facts_not_shown_on_their_own_appear_in_the_sources_section(client):
    iom = f.PartnerFactory(slug="iom", member_states=None)
    f.ClaimFactory(content_object=iom, field="observer_states", value="11", source=f.SourceFactory(title="MFA page"))

    page = get(client, "/partners/iom/")

    assert (
        "What the sources say of other facts Observer states "
        "As the sources give it: MFA page, Ministry of Foreign Affairs gives “11”." in page.text
    )


# Office and person ----------------------------------------------------------------------------


def test_office_page_shows_its_partner_place_dates_and_the_partners_other_offices(client):
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    office = f.OfficeFactory(
        partner=iom, name="IOM Mingachevir office", slug="iom-mingachevir", city="Mingachevir", opened=PartialDate(2006)
    )
    other = f.OfficeFactory(partner=iom, name="IOM Baku office", city="Baku", opened=PartialDate(1996))

    page = get(client, "/offices/iom-mingachevir/")

    assert page.h1 == "IOM Mingachevir office"
    assert "Office of International Organization for Migration (IOM)" in page.text
    assert "City Mingachevir Country Azerbaijan Opened 2006" in page.text
    assert "Other offices of IOM IOM Baku office Baku, Azerbaijan · opened 1996" in page.text
    assert page.links_to(iom) and page.links_to(other)
    assert get(client, "/partners/iom/").links_to(office)


def test_person_page_shows_posts_and_meetings_both_ways(client):
    iom = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    person = f.PersonFactory(name="Brunson McKinley", slug="brunson-mckinley")
    f.PostFactory(
        person=person, organisation=iom, title="Director General", start=PartialDate(1998, 10), end=PartialDate(2008, 9)
    )
    meeting = f.MeetingFactory(title="Official visit to Azerbaijan", start=PartialDate(2000, 10))
    meeting.participants.add(person)

    page = get(client, "/people/brunson-mckinley/")

    assert page.h1 == "Brunson McKinley"
    assert (
        "Posts Director General, International Organization for Migration (IOM) October 1998 – September 2008"
        in page.text
    )
    assert "Meetings Official visit to Azerbaijan October 2000" in page.text
    assert page.links_to(iom) and page.links_to(meeting)
    assert get(client, "/partners/iom/").links_to(person)
    assert get(client, meeting.get_absolute_url()).links_to(person)


# Drafts ---------------------------------------------------------------------------------------


def test_published_pages_never_show_draft_records_they_relate_to(client):
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    draft_parent = f.PartnerFactory(name="Draft parent body", published=False)
    iom.parent = draft_parent
    iom.save()
    drafts = [
        f.AgreementFactory(title="Draft agreement", parties=[iom], published=False),
        f.OfficeFactory(partner=iom, name="Draft office", published=False),
        f.MeetingFactory(title="Draft meeting", partners=[iom], published=False),
        f.PersonFactory(name="Draft person", published=False),
        f.SourceFactory(title="Draft source", published=False),
        draft_parent,
    ]
    f.PostFactory(organisation=iom, person=drafts[3])
    draft_project = f.ProjectFactory(title="Draft project", published=False)
    f.ProjectPartnerFactory(project=draft_project, partner=iom)
    f.CitationFactory(content_object=iom, source=drafts[4])
    agreement = f.AgreementFactory(
        title="Published agreement", parties=[iom, f.PartnerFactory(name="Draft party", published=False)]
    )
    agreement.projects.add(draft_project)
    drafts += [draft_project]

    partner_page = get(client, "/partners/iom/")
    agreement_page = get(client, agreement.get_absolute_url())

    for page in [partner_page, agreement_page]:
        assert page.status == 200
        for draft in drafts:
            assert not page.links_to(draft), draft
            assert str(draft) not in page.text, draft
    assert "Draft party" not in agreement_page.text
    assert partner_page.links_to(agreement)


def test_partner_page_counts_its_published_meetings_as_they_are_published_unlinked_and_deleted(client):
    """The number comes from the link tally the database keeps (partners/selectors.py), not a
    count of the meetings: it must follow every change the tally does."""
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    meetings = [f.MeetingFactory(partners=[iom], start=PartialDate(2000 + n, 1, 1)) for n in range(27)]
    f.MeetingFactory(partners=[iom], published=False)
    f.MeetingFactory(partners=[f.PartnerFactory()])

    assert " 27 meetings " in get(client, "/partners/iom/").text

    meetings[0].published = False
    meetings[0].save()
    assert " 26 meetings " in get(client, "/partners/iom/").text

    meetings[1].partners.remove(iom)
    meetings[2].delete()
    page = get(client, "/partners/iom/")
    assert " 24 meetings " in page.text
    assert page.links_to(meetings[3]) and not page.links_to(meetings[2])


def test_partner_map_shows_the_places_with_the_most_records_and_leads_to_the_lists_for_the_others(client, monkeypatch):
    """A partner's map holds the PARTNER_MAP_PLACES places with the most of its records (ties by
    slug, the same in every language); the others are on the lists' maps, which it links."""
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    baku, geneva, ganja, tbilisi = (
        f.PlaceFactory(slug=slug, name=name)
        for slug, name in [("baku", "Baku"), ("geneva", "Geneva"), ("ganja", "Ganja"), ("tbilisi", "Tbilisi")]
    )
    f.OfficeFactory(slug="iom-baku", partner=iom, location=baku, opened=PartialDate(2001))
    f.OfficeFactory(slug="iom-ganja", partner=iom, location=ganja, opened=PartialDate(2010))
    for slug, place in [("m1", baku), ("m2", baku), ("m3", geneva), ("m4", geneva), ("m5", tbilisi)]:
        f.MeetingFactory(slug=slug, location=place, start=PartialDate(2015), partners=[iom])

    def partner_map(limit):
        monkeypatch.setattr(maps, "PARTNER_MAP_PLACES", limit)
        for cache in caches.all():
            cache.clear()
        return map_figure(client.get("/partners/iom/").content.decode())

    caption, markers, listed, note = partner_map(2)
    assert caption.endswith("(4 places; the 2 with the most records are shown)")
    assert listed == ["baku", "geneva"]
    assert set(markers) == {"Baku: 1 office (2001), 2 meetings (2015–)", "Geneva: 2 meetings (2015–)"}
    assert note.startswith("2 more places, with fewer records, are on the maps of the lists:")
    # The lists of the kinds it has (no agreement was signed anywhere), by their maps.
    assert re.findall(r'href="([^"]+)"', note) == [
        "/offices/?partner=iom#map-caption",
        "/meetings/?partner=iom#map-caption",
    ]
    assert 'id="map-tbilisi"' in client.get("/meetings/?partner=iom").content.decode()
    assert 'id="map-ganja"' in client.get("/offices/?partner=iom").content.decode()

    # Ganja and Tbilisi have one record each: the first by slug is shown.
    assert partner_map(3)[2] == ["baku", "geneva", "ganja"]
    caption, markers, listed, note = partner_map(4)
    assert caption.endswith("(4 places)")
    assert len(markers) == 4 and note == ""


def test_partner_map_says_the_first_year_of_the_signatures_at_each_place(client):
    """A place of signing says the year of its own first signature (kept in a table: the second
    party's signature in Geneva two years after the first in Baku is 2012 there), leads to the
    agreement where there is one and to the list where there are several, and leaves out drafts."""
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    other = f.PartnerFactory(slug="other")
    baku, geneva = f.PlaceFactory(slug="baku", name="Baku"), f.PlaceFactory(slug="geneva", name="Geneva")
    first = f.AgreementFactory(slug="first", parties=[iom, other], signed=PartialDate(2010, 5))
    first.actions.filter(kind="signature").update(location=baku, party=iom)
    f.AgreementActionFactory(agreement=first, party=other, date=PartialDate(2012, 1), location=geneva)
    draft = f.AgreementFactory(parties=[iom], signed=PartialDate(2001), published=False)
    draft.actions.filter(kind="signature").update(location=geneva)

    def markers():
        for cache in caches.all():
            cache.clear()
        return map_figure(client.get("/partners/iom/").content.decode())[1]

    assert markers() == {
        "Baku: 1 agreement signed (2010)": "/agreements/first/",
        "Geneva: 1 agreement signed (2012)": "/agreements/first/",
    }
    second = f.AgreementFactory(slug="second", parties=[iom], signed=PartialDate(2008))
    second.actions.filter(kind="signature").update(location=geneva)
    assert markers()["Geneva: 2 agreements signed (2008–)"] == "/agreements/?partner=iom&place=geneva"
    second.actions.filter(kind="signature").update(date=PartialDate(2015))
    assert "Geneva: 2 agreements signed (2012–)" in markers()
    first.parties.remove(iom)
    assert markers() == {"Geneva: 1 agreement signed (2015)": "/agreements/second/"}


def test_office_of_a_draft_partner_is_not_public(client):
    office = f.OfficeFactory(partner=f.PartnerFactory(published=False))
    assert client.get(office.get_absolute_url()).status_code == 404


# Query counts ---------------------------------------------------------------------------------


def build_partner(n):
    partner = f.PartnerFactory(slug="subject", parent=f.PartnerFactory())
    # On its map: a place of one meeting and one signing, and (with more rows) one of the others.
    alone, shared = f.PlaceFactory(), f.PlaceFactory()
    for i in range(n):
        place = alone if i == 0 else shared
        f.PartnerFactory(parent=partner)
        f.OfficeFactory(partner=partner, closed=PartialDate(2020), location=place)
        agreement = f.AgreementFactory(parties=[partner], ratified=PartialDate(2000))
        f.AgreementActionFactory(agreement=agreement, location=place)
        link = f.ProjectPartnerFactory(partner=partner, project=f.ProjectFactory(end=PartialDate(2016)))
        f.BudgetFactory(project=link.project, currency=["EUR", "USD"][i % 2])
        f.TransactionTotalFactory(project=link.project)
        f.MeetingFactory(partners=[partner], start=None if i == 0 else PartialDate(2016, 12, 5), location=place)
        f.PostFactory(organisation=partner, end=PartialDate(2010))
    cite(partner, n)
    return partner.get_absolute_url()


def build_office(n):
    partner = f.PartnerFactory()
    office = f.OfficeFactory(slug="subject", partner=partner)
    for _ in range(n):
        f.OfficeFactory(partner=partner)
    cite(office, n)
    return office.get_absolute_url()


def build_person(n):
    person = f.PersonFactory(slug="subject")
    for _ in range(n):
        f.PostFactory(person=person)
        f.MeetingFactory().participants.add(person)
    cite(person, n)
    return person.get_absolute_url()


# (page, builder, queries): every page runs this many queries, whatever the number of rows.
# A record page lists at most 25 (RELATED_LIMIT) of each big relation and counts them all in one
# more query (cached until the data changes: these are the counts of a first, uncached request).
QUERY_COUNTS = [
    # partner + parent; the numbers; children, offices, agreements (+ their actions), project roles, meetings,
    # meetings per year (the timeline's picture), posts; its projects' money; citations, claims;
    # the map's places with their first years (and the versions it is kept with), the meeting and the
    # agreement of a place of one
    ("partner", build_partner, DATA_VERSION + RECORD_VERSIONS + 13 + 2 + 2),
    # office + partner; the number of the partner's offices, its offices; citations, claims
    ("office", build_office, DATA_VERSION + RECORD_VERSIONS + 5),
    # person; the number of meetings, meetings; posts + organisations; citations, claims
    ("person", build_person, DATA_VERSION + RECORD_VERSIONS + 6),
]


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("page", "build", "queries"), QUERY_COUNTS, ids=[name for name, *_ in QUERY_COUNTS])
def test_page_runs_the_same_number_of_queries_for_1_or_50_related_rows(
    client, django_assert_num_queries, warm_content_types, page, build, queries, rows
):
    url = build(rows)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1


def relations_fragment(response):
    """The cache key of the relations fragment of a partner's page, as its template makes it."""
    context = response.context
    parts = [context["partner"].pk, context["record_version"], context["LANGUAGE_CODE"]]
    return make_template_fragment_key("partner-relations", parts)


def test_partner_page_cached_without_its_relations_reads_them_again_when_their_fragment_is_gone(client):
    """The page's cached record leaves out the relations only the fragment of its timeline, offices
    and projects shows (partners.selectors.partner_kept): a warm page reads nothing but the
    versions; one whose fragment has left the cache reads the relations again and shows them."""
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    f.PartnerFactory(parent=iom, name="A regional office of it")
    f.MeetingFactory(partners=[iom], title="A visit to Baku", start=PartialDate(2015))
    f.OfficeFactory(partner=iom, name="Office in Baku", opened=PartialDate(2001))
    f.AgreementFactory(parties=[iom], title="A cooperation agreement", signed=PartialDate(2004))
    first = client.get("/partners/iom/")
    text = first.content.decode()
    assert "A regional office of it" in text and "A visit to Baku" in text and "A cooperation agreement" in text

    view = "partners.views.PartnerDetailView"
    with translation.override(first.context["LANGUAGE_CODE"]):
        kept = caches["default"].get(make_key("record", view, "iom")).value
    assert kept.public_children and not {"public_offices", "public_meetings", "money"} & set(vars(kept))

    second, warm = queries(client, "/partners/iom/")
    assert warm == DATA_VERSION and second.content == first.content

    assert caches["default"].delete(relations_fragment(first))
    third, read = queries(client, "/partners/iom/")
    # its offices, agreements and their actions, project roles, meetings, meetings per year, posts and
    # money; whether anything was written meanwhile
    assert read == DATA_VERSION + 8 + 1
    assert third.content == first.content
    assert caches["default"].get(relations_fragment(third))  # kept again


def test_partner_relations_read_again_across_a_write_are_not_kept(client, monkeypatch):
    """Relations read again (their fragment gone) while a write lands may mix data from before and
    after it: the page shows them, but does not keep them under the versions it read before."""
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    meeting = f.MeetingFactory(partners=[iom], title="A visit to Baku", start=PartialDate(2015))
    first = client.get("/partners/iom/")
    assert caches["default"].delete(relations_fragment(first))

    attach = selectors.attach_partner_relations

    def read_while_another_writes(partner, **kwargs):
        attach(partner, **kwargs)
        # Another request's edit, committed meanwhile: the row, and DATA renewed in its transaction.
        Meeting.objects.filter(pk=meeting.pk).update(title="A visit to Baku, corrected")
        DataVersion.objects.filter(name=DATA).update(version=F("version") + 1)

    monkeypatch.setattr(selectors, "attach_partner_relations", read_while_another_writes)
    second = client.get("/partners/iom/")

    assert second.status_code == 200 and "A visit to Baku" in second.content.decode()
    assert "A visit to Baku, corrected" not in second.content.decode()  # as read before the write, this once
    assert caches["default"].get(relations_fragment(second)) is None
    monkeypatch.undo()
    Meeting.objects.get(pk=meeting.pk).save()  # the rest of that edit's versions
    assert "A visit to Baku, corrected" in client.get("/partners/iom/").content.decode()


def test_partner_page_counts_its_published_projects_once_each_as_they_change(client):
    """The number comes from the count table the database keeps (ProjectPartnerTotal), not a count
    of the projects: a project of two of the partner's roles counts once, a draft not at all."""
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    projects = [f.ProjectFactory(start=PartialDate(2000 + n)) for n in range(27)]
    for project in projects:
        f.ProjectPartnerFactory(project=project, partner=iom, role=ProjectPartner.Role.IMPLEMENTING)
    f.ProjectPartnerFactory(project=projects[0], partner=iom, role=ProjectPartner.Role.FUNDING)
    f.ProjectPartnerFactory(project=f.ProjectFactory(published=False), partner=iom)

    assert " 27 projects " in get(client, "/partners/iom/").text

    projects[0].published = False
    projects[0].save()
    ProjectPartner.objects.filter(project=projects[1]).delete()
    projects[2].delete()
    assert " 24 projects " in get(client, "/partners/iom/").text


def test_partner_page_counts_its_published_agreements_as_they_change(client):
    """The number comes from the agreements list's count table (AgreementPartnerTotal), kept as
    agreements are published, unpublished, deleted and as the partner joins or leaves them."""
    iom, other = f.PartnerFactory(acronym="IOM", slug="iom"), f.PartnerFactory()
    agreements = [f.AgreementFactory(parties=[iom, other]) for _ in range(3)]
    f.AgreementFactory(parties=[iom], published=False)
    joined_later = f.AgreementFactory(parties=[other])

    assert " 3 agreements " in get(client, "/partners/iom/").text

    agreements[0].published = False
    agreements[0].save()
    agreements[1].delete()
    joined_later.parties.add(iom)
    f.AgreementFactory(parties=[iom], published=False).parties.remove(iom)
    assert " 2 agreements " in get(client, "/partners/iom/").text
    agreements[2].parties.remove(iom)
    assert " 1 agreement " in get(client, "/partners/iom/").text


def test_partner_timeline_says_which_of_each_relation_it_holds(client, monkeypatch):
    """The latest meetings and projects (a project counted once, whatever its roles), but the
    first offices by opening date, as the offices' table: the note said "the latest 3 … offices"."""
    from cooperation.core import related

    monkeypatch.setattr(related.some, "__defaults__", (3,))
    monkeypatch.setattr(selectors, "RELATED_LIMIT", 3)
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    for year in range(2001, 2006):
        f.OfficeFactory(partner=iom, opened=PartialDate(year), name=f"Office of {year}")
        f.MeetingFactory(partners=[iom], start=PartialDate(year))
        project = f.ProjectFactory(start=PartialDate(year))
        for role in (ProjectPartner.Role.FUNDING, ProjectPartner.Role.IMPLEMENTING):
            f.ProjectPartnerFactory(project=project, partner=iom, role=role)

    page = get(client, "/partners/iom/")

    assert "the timeline holds the latest 3 projects, meetings; the lists above have every one." in page.text
    assert "The timeline holds the first 3 offices, by opening date; the lists above have every one." in page.text
    entries = client.get("/partners/iom/").context["relations"]["timeline"].dated
    assert [entry.text for entry in entries if entry.text.startswith("Office")] == [
        "Office of 2001",
        "Office of 2002",
        "Office of 2003",
    ]


def test_an_open_offices_dates_put_the_month_in_the_case_since_takes(client):
    """ "since April 1990" in Russian takes the genitive ("с апреля 1990"); the offices' table and
    the timeline's bar said "с апрель 1990"."""
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    f.OfficeFactory(partner=iom, name="IOM Baku office", opened=PartialDate(1990, 4), closed=None)

    text = get(client, "/ru/partners/iom/").text
    html = client.get("/ru/partners/iom/").content.decode()

    assert "с апреля 1990" in text and "с апрель" not in text
    assert 'aria-label="Офис: IOM Baku office, открыт с апреля 1990"' in html
    assert (
        'aria-label="Ofis: IOM Baku office, aprel 1990 tarixindən açıqdır"'
        in client.get("/az/partners/iom/").content.decode()
    )
