"""A calendar's events kept in the database (events/calendars.py, cooperation/core/export_lines.py):
a calendar read from its kept events is byte for byte the calendar made from the meetings, in
each language and for each host, and after every kind of change to what an event shows.

``made`` deletes every kept event before it asks, so what it gets is made from the records.
"""

import pytest

from cooperation.core import export_lines
from cooperation.core.models import ExportLine
from cooperation.core.partial_dates import PartialDate as PD
from events.models import Meeting
from tests import factories as f

pytestmark = pytest.mark.django_db

CALENDARS = ["/meetings/calendar.ics", "/az/meetings/calendar.ics", "/ru/partners/iom/calendar.ics"]


@pytest.fixture
def made(client):
    def get(path, **extra):
        ExportLine.objects.all().delete()
        return client.get(path, **extra).content

    return get


@pytest.fixture
def world():
    iom = f.PartnerFactory(
        slug="iom",
        name="International Organization for Migration",
        name_az="Beynəlxalq Miqrasiya Təşkilatı",
        acronym="IOM",
    )
    eu = f.PartnerFactory(slug="eu", name="European Union", acronym="EU")
    draft = f.PartnerFactory(slug="draft", name="A partner not yet published", acronym="", published=False)
    meetings = [
        f.MeetingFactory(title="Talks in Geneva", start=PD(2016, 12, 5), partners=[iom, draft]),
        f.MeetingFactory(title="A visit to Baku", title_az="Bakıya səfər", start=PD(2017, 3), partners=[iom, eu]),
        f.MeetingFactory(title="A summit", start=PD(2018), status=Meeting.Status.PLANNED, partners=[eu]),
        f.MeetingFactory(title="Undated", start=None, partners=[iom]),
    ]
    return {"iom": iom, "eu": eu, "draft": draft, "meetings": meetings}


@pytest.mark.parametrize("path", CALENDARS)
def test_a_calendar_read_from_its_kept_events_is_the_calendar_made_from_the_meetings(client, made, world, path):
    client.get(path.replace("/partners/iom/", "/meetings/"))  # the calendar of all meetings keeps its events
    assert ExportLine.objects.exists()
    assert client.get(path).content == made(path)


def test_a_partners_calendar_keeps_no_events_of_its_own(client, made, world):
    client.get("/partners/iom/calendar.ics")
    assert not ExportLine.objects.exists()
    client.get("/meetings/calendar.ics")
    kept = ExportLine.objects.count()
    client.get("/partners/iom/calendar.ics")
    assert ExportLine.objects.count() == kept == 3


def test_each_language_and_host_has_its_own_events(client, world):
    english = client.get("/meetings/calendar.ics").content.decode()
    azerbaijani = client.get("/az/meetings/calendar.ics").content.decode()
    other_host = client.get("/meetings/calendar.ics", HTTP_HOST="localhost").content.decode()
    assert "SUMMARY:A visit to Baku" in english
    assert "SUMMARY:Bakıya səfər (mart 2017)" in azerbaijani
    assert "Tərəfdaşlar: European Union (EU) və Beynəlxalq Miqrasiya Təşkilatı (IOM)." in azerbaijani.replace(
        "\r\n ", ""
    )
    assert "http://testserver/az/meetings/" in azerbaijani.replace("\r\n ", "")
    assert "@localhost" in other_host and "@testserver" not in other_host
    assert "http://localhost/meetings/" in other_host.replace("\r\n ", "")
    assert client.get("/meetings/calendar.ics").content.decode() == english


@pytest.mark.parametrize(
    "extra", [{"HTTP_HOST": "localhost"}, {"secure": True}, {"HTTP_HOST": "testserver:8443", "secure": True}]
)
def test_another_host_scheme_or_port_reads_its_own_events(client, made, world, extra):
    client.get("/meetings/calendar.ics")
    client.get("/meetings/calendar.ics", **extra)
    assert ExportLine.objects.values("variant").distinct().count() == 2
    assert client.get("/meetings/calendar.ics", **extra).content == made("/meetings/calendar.ics", **extra)


def _retitle_meeting(world):
    meeting = world["meetings"][0]
    meeting.title = "Talks in Geneva, renamed"
    meeting.save()
    return "Talks in Geneva\\, renamed"


def _move_meeting(world):
    meeting = world["meetings"][0]
    meeting.start = PD(2019, 6, 1)
    meeting.save()
    return "20190601"


def _unpublish_meeting(world):
    meeting = world["meetings"][1]
    meeting.published = False
    meeting.save()
    return None


def _delete_meeting(world):
    world["meetings"][2].delete()
    return None


def _translate_title(world):
    meeting = world["meetings"][0]
    meeting.title_az = "Cenevrədə danışıqlar"
    meeting.save()
    return None  # shown in the az calendar


def _report_as_planned(world):
    meeting = world["meetings"][0]
    meeting.status, meeting.status_as_of = Meeting.Status.PLANNED, PD(2016, 6)
    meeting.save()
    return "TENTATIVE"


def _publish_partner(world):
    world["draft"].published = True
    world["draft"].save()
    return "A partner not yet published"


def _link_partner_from_the_meetings_side(world):
    world["meetings"][2].partners.add(world["iom"])
    return None


def _clear_partners_from_the_meetings_side(world):
    world["meetings"][1].partners.clear()
    return None


def _rename_partner(world):
    world["iom"].name = "IOM, renamed"
    world["iom"].save()
    return "IOM\\, renamed"


def _unpublish_partner(world):
    world["eu"].published = False
    world["eu"].save()
    return None


def _link_partner(world):
    world["meetings"][0].partners.add(world["eu"])
    return None


def _unlink_partner_from_its_side(world):
    world["eu"].meetings.remove(world["meetings"][1])
    return None


def _clear_from_the_partners_side(world):
    world["iom"].meetings.clear()
    return None


def _delete_partner(world):
    world["eu"].delete()
    return None


def _update_without_signals(world):
    Meeting.objects.filter(pk=world["meetings"][0].pk).update(title="Changed behind the signals")
    from cooperation.core import versions

    versions.data_changed()  # as an import that writes without signals does
    return "Changed behind the signals"


CHANGES = [
    _retitle_meeting,
    _translate_title,
    _report_as_planned,
    _move_meeting,
    _unpublish_meeting,
    _delete_meeting,
    _rename_partner,
    _unpublish_partner,
    _publish_partner,
    _link_partner,
    _link_partner_from_the_meetings_side,
    _clear_partners_from_the_meetings_side,
    _unlink_partner_from_its_side,
    _clear_from_the_partners_side,
    _delete_partner,
    _update_without_signals,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_after_a_change_to_what_an_event_shows_the_calendar_is_the_one_made_from_the_meetings(
    client, made, world, change
):
    before = {path: client.get(path).content for path in ["/ru/meetings/calendar.ics", *CALENDARS]}
    shown = change(world)
    read = {path: client.get(path).content for path in reversed(CALENDARS)}  # the partner's first: it keeps none
    for path in CALENDARS:
        assert read[path] == made(path)
    assert any(read[path] != before[path] for path in CALENDARS)
    if shown is not None:
        assert shown in read[CALENDARS[0]].decode().replace("\r\n ", "")


def test_a_change_deletes_only_the_events_it_changes(client, world):
    client.get("/meetings/calendar.ics")
    client.get("/az/meetings/calendar.ics")
    assert ExportLine.objects.count() == 2 * 3  # three dated meetings, two languages
    world["meetings"][2].save()  # only the EU's summit
    assert ExportLine.objects.count() == 2 * 2
    f.ProjectFactory(title="A project")  # no meeting's event shows a project
    world["eu"].save()  # the EU's meetings: the visit to Baku
    assert ExportLine.objects.count() == 2 * 1


def test_a_write_served_by_the_release_before_deletes_the_events_of_the_next(client, made, world, monkeypatch):
    client.get("/meetings/calendar.ics")  # kept by this release
    running = export_lines.code_fingerprint
    monkeypatch.setattr(export_lines, "code_fingerprint", lambda: "the release before")
    meeting = world["meetings"][0]
    meeting.title = "Renamed on a server of the release before"
    meeting.save()
    monkeypatch.setattr(export_lines, "code_fingerprint", running)
    read = client.get("/meetings/calendar.ics").content
    assert read == made("/meetings/calendar.ics")
    assert b"Renamed on a server of the release before" in read


def test_an_event_kept_by_another_releases_code_is_not_read(client, made, world, monkeypatch):
    client.get("/meetings/calendar.ics")
    ExportLine.objects.update(line="BEGIN:VEVENT\r\nSUMMARY:written by the release before\r\nEND:VEVENT\r\n")
    monkeypatch.setattr(export_lines, "code_fingerprint", lambda: "the next release")
    assert client.get("/meetings/calendar.ics").content == made("/meetings/calendar.ics")
