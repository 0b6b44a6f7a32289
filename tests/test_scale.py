"""What keeps pages fast as the tables grow, and keeps them true: cached counts that a change
makes fresh, capped lists that say so, deep pages, the admin's counts, calendars and sitemaps."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.backoffice import changelist
from cooperation.core import cache, related
from cooperation.core.listing import filters as list_filters
from cooperation.core.listing import pagination
from cooperation.core.partial_dates import PartialDate as PD
from cooperation.models import Project
from cooperation.pages import selectors as pages_selectors
from events import calendars
from events.models import Meeting
from partners.models import Partner
from tests import factories as f

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def facet(response, name):
    for item in response.context["facets"]:
        if item.name == name:
            return {option.value: option.count for option in item.visible_options}
    raise AssertionError(f"no facet {name}")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured.captured_queries)


@pytest.fixture
def meetings():
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR")
    for day in range(1, 4):
        f.MeetingFactory(partners=[iom], start=PD(2016, 5, day), kind="visit")
    f.MeetingFactory(partners=[unhcr], start=PD(2017), kind="summit")
    return {"iom": iom, "unhcr": unhcr}


# Cached counts --------------------------------------------------------------------------------


def test_a_list_counts_and_facets_once_then_reads_them_from_the_cache(client, meetings):
    first, cold = queries(client, "/meetings/?kind=visit")
    second, warm = queries(client, "/meetings/?kind=visit")

    # The count, one query per facet (partner, kind, year) and the rows' partners are not run again.
    assert cold - warm == 5
    assert second.context["result_count"] == first.context["result_count"] == 3
    assert facet(second, "partner") == facet(first, "partner") == {"iom": 3}


def test_a_saved_record_makes_every_cached_count_fresh(client, meetings):
    client.get("/meetings/")
    client.get("/years/")

    f.MeetingFactory(partners=[meetings["unhcr"]], start=PD(2016, 6), kind="visit")

    response = client.get("/meetings/")
    assert response.context["result_count"] == 5
    assert facet(response, "partner") == {"iom": 3, "unhcr": 2}
    assert facet(response, "year") == {"2017": 1, "2016": 4}
    assert [(year.year, year.meetings) for year in client.get("/years/").context["years"]] == [(2017, 1), (2016, 4)]


def test_a_deleted_record_and_a_changed_link_make_the_counts_fresh_too(client, meetings):
    meeting = Meeting.objects.get(kind="summit")
    assert facet(client.get("/meetings/"), "partner") == {"iom": 3, "unhcr": 1}

    meeting.partners.add(meetings["iom"])
    assert facet(client.get("/meetings/"), "partner") == {"iom": 4, "unhcr": 1}

    meeting.delete()
    response = client.get("/meetings/")
    assert facet(response, "partner") == {"iom": 3}
    assert response.context["result_count"] == 3


def test_unpublishing_a_partner_drops_it_from_the_cached_facets_and_record_counts(client, meetings):
    assert facet(client.get("/meetings/"), "partner") == {"iom": 3, "unhcr": 1}
    assert client.get("/partners/iom/").context["counts"]["meetings"] == 3

    Meeting.objects.filter(kind="visit").first().delete()
    meetings["unhcr"].published = False
    meetings["unhcr"].save()

    assert facet(client.get("/meetings/"), "partner") == {"iom": 2}
    assert client.get("/partners/iom/").context["counts"]["meetings"] == 2


def test_a_write_that_sends_no_signal_is_announced_with_data_changed(client, meetings):
    assert client.get("/meetings/").context["result_count"] == 4
    Meeting.objects.filter(kind="summit").update(published=False)  # no signal

    cache.data_changed()

    assert client.get("/meetings/").context["result_count"] == 3


def test_the_version_survives_an_emptied_cache_without_repeating_an_old_one():
    before = cache.data_version()
    caches["default"].clear()
    after = cache.data_version()
    assert after != before
    cache.data_changed()
    assert cache.data_version() > after


def test_a_record_page_is_read_once_then_from_the_cache_until_the_data_changes(client, meetings):
    _, cold = queries(client, "/partners/iom/")
    second, warm = queries(client, "/partners/iom/")
    assert cold > 0
    assert warm == 0
    assert "<strong>3</strong> meetings" in second.content.decode()

    f.MeetingFactory(partners=[meetings["iom"]], start=PD(2018), title="A later visit")
    meetings["iom"].name = "International Organization for Migration (renamed)"
    meetings["iom"].save()

    text = client.get("/partners/iom/").content.decode()
    assert "International Organization for Migration (renamed)" in text
    assert "A later visit" in text
    assert "<strong>4</strong> meetings" in text


def test_an_unpublished_record_leaves_its_cached_page(client, meetings):
    meeting = Meeting.objects.get(kind="summit")
    assert client.get(meeting.get_absolute_url()).status_code == 200

    meeting.published = False
    meeting.save()

    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get("/partners/nobody/").status_code == 404
    assert client.get("/partners/nobody/").status_code == 404  # a 404 is not cached, and stays a 404


def test_a_drafts_preview_is_never_read_from_the_cache(admin_client):
    meeting = f.MeetingFactory(published=False, title="First draft")
    url = f"/preview/meetings/{meeting.slug}/"
    assert "First draft" in admin_client.get(url).content.decode()

    Meeting.objects.filter(pk=meeting.pk).update(title="Second draft")  # no signal, no new data version

    assert "Second draft" in admin_client.get(url).content.decode()


# Cached rows -----------------------------------------------------------------------------------


@pytest.fixture
def projects():
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR")
    asylum = f.TopicFactory(slug="asylum", name="Asylum")
    made = []
    for n in range(30):
        made.append(f.ProjectFactory(title=f"Project {n:02}", start=PD(2000 + n), topics=[asylum]))
        f.ProjectPartnerFactory(project=made[-1], partner=iom if n % 2 else unhcr, role="funding")
    return {"iom": iom, "unhcr": unhcr, "asylum": asylum, "projects": made}


def row_texts(response):
    return [str(row) for row in response.context["rows"]]


def test_a_list_reads_the_rows_related_records_once_then_shows_the_cached_rows(client, projects):
    first, cold = queries(client, "/projects/?sort=title")
    second, warm = queries(client, "/projects/?sort=title")

    # Only the page's own rows are read again: their partners and topics come with the cached rows
    # (and the count and the four facets with the cached figures).
    assert (cold, warm) == (1 + 2 + 5, 1)
    assert row_texts(second) == row_texts(first)
    assert len(row_texts(second)) == 25
    assert "Project 00" in row_texts(second)[0] and "UNHCR" in row_texts(second)[0]
    assert "Asylum" in row_texts(second)[0]


def test_a_page_of_cached_and_new_rows_shows_each_in_its_place_reading_the_new_ones_at_once(client, projects):
    client.get("/projects/?sort=title")  # rows 00-24 cached

    response, mixed = queries(client, "/projects/?sort=newest")  # 29-05: 29-25 new, 24-05 cached
    _, warm = queries(client, "/projects/?sort=newest")

    numbers = [int(text.split("Project ")[1][:2]) for text in row_texts(response)]
    assert numbers == list(range(29, 4, -1))
    for number, text in zip(numbers, row_texts(response), strict=True):
        assert ("IOM" if number % 2 else "UNHCR") in text
    assert mixed - warm == 2  # the five new rows' partners and topics, one query each


def test_a_change_to_a_related_record_shows_on_every_cached_row(client, projects):
    client.get("/projects/?sort=title")
    projects["iom"].acronym = "IOM-renamed"
    projects["iom"].save()
    projects["asylum"].published = False
    projects["asylum"].save()

    rows = row_texts(client.get("/projects/?sort=title"))
    assert "IOM-renamed" in rows[1] and "Asylum" not in rows[1]

    projects["unhcr"].published = False  # a partner that is no longer public leaves the rows
    projects["unhcr"].save()
    rows = row_texts(client.get("/projects/?sort=title"))
    assert "UNHCR" not in "".join(rows)


def test_a_releases_migrate_makes_every_cached_row_fresh(client, projects):
    client.get("/projects/?sort=title")
    # A release changes what a row shows without a signal (here: its title, written behind the ORM).
    Project.objects.filter(title="Project 00").update(title="Project 00, renamed")
    assert "renamed" not in row_texts(client.get("/projects/?sort=title"))[0]

    call_command("migrate", verbosity=0)

    assert "Project 00, renamed" in row_texts(client.get("/projects/?sort=title"))[0]


@pytest.mark.parametrize(
    ("path", "text"),
    [("/partners/", "UNHCR"), ("/agreements/", "An agreement"), ("/meetings/", "A meeting"), ("/offices/", "Baku")],
)
def test_every_list_shows_its_rows_from_the_cache_as_it_rendered_them(client, path, text):
    unhcr = f.PartnerFactory(slug="unhcr", acronym="UNHCR")
    f.AgreementFactory(title="An agreement", parties=[unhcr])
    f.MeetingFactory(title="A meeting", partners=[unhcr])
    f.OfficeFactory(partner=unhcr, city="Baku")

    first, cold = queries(client, path)
    second, warm = queries(client, path)

    assert text in "".join(row_texts(first))
    assert row_texts(second) == row_texts(first)
    assert (cold > 1, warm) == (True, 1)  # the page's rows alone


# Deep pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/meetings/", "/meetings/?sort=title", "/meetings/?partner=iom&sort=oldest"])
def test_a_deep_page_reads_its_rows_by_their_keys_in_the_same_order_and_queries(client, monkeypatch, path):
    iom = f.PartnerFactory(slug="iom", acronym="IOM")
    for n in range(40):
        f.MeetingFactory(partners=[iom], start=PD(2000 + n % 7, 1 + n % 12) if n % 5 else None, title=f"M{n % 9}")
    separator = "&" if "?" in path else "?"
    shallow = [client.get(f"{path}{separator}page={page}").context["page_obj"] for page in (1, 2)]
    _, queries_shallow = queries(client, f"{path}{separator}page=2")

    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 25)
    deep = client.get(f"{path}{separator}page=2").context["page_obj"]
    _, queries_deep = queries(client, f"{path}{separator}page=2")

    assert [m.pk for m in deep.object_list] == [m.pk for m in shallow[1].object_list]
    assert len(deep.object_list) == 15
    assert {m.pk for m in shallow[0].object_list}.isdisjoint(m.pk for m in deep.object_list)
    assert queries_deep == queries_shallow


# Capped lists ----------------------------------------------------------------------------------


def test_a_facet_of_many_partners_lists_the_busiest_and_says_how_many_more(client, monkeypatch):
    monkeypatch.setattr(list_filters, "FACET_OPTIONS", 2)
    monkeypatch.setattr(list_filters.top_options, "__defaults__", (2,))
    partners = [f.PartnerFactory(slug=f"p{n}", name=f"Partner {n}") for n in range(4)]
    for n, partner in enumerate(partners):
        for _ in range(n + 1):
            f.MeetingFactory(partners=[partner])

    response = client.get("/meetings/?partner=p0")

    facets = {item.name: item for item in response.context["facets"]}
    assert [option.value for option in facets["partner"].visible_options] == ["p3", "p2", "p0"]  # and the chosen one
    assert facets["partner"].more == 1
    assert "And 1 more with fewer meetings." in response.content.decode()


def test_pages_past_the_last_served_say_why_and_show_the_last(client, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_PAGES", 2)
    monkeypatch.setattr(pagination.RegistryPaginator.__init__, "__kwdefaults__", {"count": None, "max_pages": 2})
    for day in range(1, 29):
        f.MeetingFactory(start=PD(2016, 2, day))
    for _ in range(30):
        f.MeetingFactory(start=PD(2015))

    response = client.get("/meetings/?page=3")

    assert response.status_code == 200
    assert response.context["page_obj"].number == 2
    text = response.content.decode()
    assert "Only the first 2 pages (50 of 58 meetings) can be paged through" in text
    assert "The pages reach the first 50 of 58" in text
    assert "There is no page 9" in client.get("/meetings/?page=9").content.decode()


def test_a_record_page_lists_the_latest_of_a_big_relation_and_counts_them_all(client, monkeypatch):
    monkeypatch.setattr(related, "RELATED_LIMIT", 3)
    monkeypatch.setattr(related.some, "__defaults__", (3,))
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


# Feeds and sitemaps ----------------------------------------------------------------------------


def test_the_calendar_holds_the_latest_meetings_oldest_first(client, monkeypatch):
    monkeypatch.setattr(calendars.calendar_meetings, "__defaults__", (None, 2))
    for year in (2014, 2015, 2016):
        f.MeetingFactory(start=PD(year, 1, 10), title=f"Meeting {year}")

    response = client.get("/meetings/calendar.ics")

    text = response.content.decode()
    assert "Meeting 2014" not in text
    assert text.index("Meeting 2015") < text.index("Meeting 2016")


def test_the_sitemap_is_an_index_of_paged_sitemaps_one_a_kind(client, monkeypatch):
    for _ in range(3):
        f.MeetingFactory()
    from cooperation.pages import sitemaps

    monkeypatch.setattr(sitemaps.MeetingSitemap, "limit", 2)

    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [element.text for element in index.iter(f"{SITEMAP}loc")]

    assert "http://testserver/sitemap-meetings.xml" in locations
    assert "http://testserver/sitemap-meetings.xml?p=2" in locations
    page = ET.fromstring(client.get("/sitemap-meetings.xml?p=2").content)
    assert len(list(page.iter(f"{SITEMAP}url"))) == 1


# The admin -------------------------------------------------------------------------------------


def test_the_admin_counts_a_big_unfiltered_table_from_the_estimate(monkeypatch):
    monkeypatch.setattr(changelist, "estimated_rows", lambda model, using="default": (2_500_000, True))

    paginator = changelist.EstimatedCountPaginator(Meeting.objects.order_by("pk"), 50)
    filtered = changelist.EstimatedCountPaginator(Meeting.objects.filter(published=True), 50)

    assert paginator.count == 2_500_000 and paginator.estimated
    assert filtered.count == 0 and not filtered.estimated


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class.reltuples is PostgreSQL's")
def test_postgresql_estimates_a_big_table_and_counts_a_small_one(monkeypatch):
    for _ in range(3):
        f.MeetingFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_meeting")
    assert changelist.estimated_rows(Meeting) == (3, False)  # below ESTIMATE_ABOVE: counted
    monkeypatch.setattr(changelist, "ESTIMATE_ABOVE", 1)
    assert changelist.estimated_rows(Meeting) == (3, True)  # the estimate, after ANALYZE


def test_the_meetings_changelist_says_about_for_an_estimate_and_offers_the_busiest_partners(
    admin_client, meetings, monkeypatch
):
    monkeypatch.setattr(changelist, "estimated_rows", lambda model, using="default": (4, True))

    response = admin_client.get("/admin/events/meeting/")

    text = response.content.decode()
    assert "about 4 meetings" in text
    filtered = admin_client.get("/admin/events/meeting/?kind__exact=visit").content.decode()
    assert "about" not in filtered.split('class="paginator"')[1][:200]
    assert "IOM" in text and "?partners__id__exact=" in text
