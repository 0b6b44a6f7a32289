"""The year tally (cooperation/models/tallies.py): the database keeps how many published meetings
and projects share each combination of years, whatever writes them, and the year index, the
home page and the sitemap read it instead of counting every record."""

import pytest
from django.db import connection
from django.db.models import Count, F

from cooperation.core.partial_dates import PartialDate as PD
from cooperation.core.partial_dates import PartialYear
from cooperation.models import LinkTally, Project, YearTally
from cooperation.pages import selectors as pages_selectors
from events.models import Meeting
from tests import factories as f

pytestmark = pytest.mark.django_db


def counted(kind):
    """What the tally should hold, counted afresh: {(first, last, status, as_of): rows}."""
    if kind == "meeting":
        rows = Meeting.objects.published().values(first=PartialYear(F("start")), last=PartialYear(F("end")))
    else:
        rows = Project.objects.published().values(
            first=PartialYear(F("start")),
            last=PartialYear(F("end")),
            state=F("status"),
            as_of=PartialYear(F("status_as_of")),
        )
    out = {}
    for row in rows.order_by().annotate(rows=Count("pk")):
        key = (row["first"], row["last"], row.get("state", ""), row.get("as_of"))
        out[key] = row["rows"]
    return out


def tallied(kind):
    return {
        (row["first"], row["last"], row["status"], row["as_of"]): row["rows"]
        for row in pages_selectors.year_tally(kind)
    }


def assert_exact():
    for kind in ("meeting", "project"):
        assert tallied(kind) == counted(kind), kind


def test_every_kind_of_write_keeps_the_tally_exact():
    one = f.MeetingFactory(start=PD(2016, 12, 28), end=PD(2017, 1, 3))
    f.MeetingFactory(start=PD(2016), published=False)
    f.MeetingFactory(start=None)
    project = f.ProjectFactory(start=PD(2010), end=PD(2012), status=Project.Status.COMPLETED)
    f.ProjectFactory(status_as_of=PD(2018, 5))
    assert_exact()
    assert tallied("meeting") == {(2016, 2017, "", None): 1, (None, None, "", None): 1}

    one.start, one.end = PD(2019, 3, 1), None  # a form's save
    one.save()
    project.published = False
    project.save()
    assert_exact()

    Meeting.objects.filter(published=False).update(published=True)  # no signals
    Project.objects.filter(pk=project.pk).update(published=True, status=Project.Status.ONGOING)
    Meeting.objects.bulk_create(
        [Meeting(title=f"Bulk {n}", slug=f"bulk-{n}", start=PD(2001), published=n % 2 == 0) for n in range(5)]
    )
    assert_exact()

    Meeting.objects.filter(start__year=2001).delete()
    one.delete()
    Project.objects.all().delete()
    assert_exact()
    assert tallied("project") == {}


def test_raw_sql_keeps_the_tally_exact():
    meeting = f.MeetingFactory(start=PD(2016, 3, 1))
    table = Meeting._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE {table} SET start = %s, "end" = %s WHERE id = %s', [20200500, 20210000, meeting.pk])
    assert tallied("meeting") == {(2020, 2021, "", None): 1}
    assert_exact()


def test_a_save_that_changes_no_counted_column_writes_no_tally_row(django_assert_num_queries):
    meeting = f.MeetingFactory(start=PD(2016, 3, 1))
    before = list(YearTally.objects.values_list("pk", "records"))
    meeting.title = "Renamed"
    Meeting.objects.filter(pk=meeting.pk).update(title="Renamed", city="Baku")
    assert list(YearTally.objects.values_list("pk", "records")) == before


def test_the_year_index_and_home_counts_read_the_tally_not_the_records(django_assert_num_queries):
    for year in (2014, 2015, 2016):
        f.MeetingFactory(start=PD(year, 3, 1))
    f.ProjectFactory(start=PD(2014), status=Project.Status.ONGOING, status_as_of=PD(2016))

    # Agreements and offices grouped (two queries), projects and meetings from the tally (two).
    with django_assert_num_queries(4):
        index = pages_selectors.compute_year_index()
    assert {year: (counts.projects, counts.meetings) for year, counts in index.items()} == {
        2014: (1, 1),
        2015: (1, 1),
        2016: (1, 1),
    }
    with django_assert_num_queries(1):
        assert pages_selectors.published_count(Meeting) == 3
    Meeting.objects.update(published=False)
    assert pages_selectors.published_count(Meeting) == 0


def link_tally():
    return {
        target: (links, published)
        for target, links, published in LinkTally.objects.filter(link="events.meeting.partners")
        .exclude(links=0)
        .values_list("target", "links", "published")
    }


def links_counted():
    """The same, counted afresh from the link table."""
    through = Meeting.partners.through
    out = {}
    for partner, published in through.objects.values_list("partner_id", "meeting__published"):
        links, shown = out.get(partner, (0, 0))
        out[partner] = (links + 1, shown + int(published))
    return out


def test_every_kind_of_write_keeps_the_link_tally_exact():
    iom, unhcr = f.PartnerFactory(), f.PartnerFactory()
    one = f.MeetingFactory(partners=[iom, unhcr])
    draft = f.MeetingFactory(partners=[iom], published=False)
    assert link_tally() == links_counted() == {iom.pk: (2, 1), unhcr.pk: (1, 1)}

    draft.published = True  # published: its links count as published
    draft.save()
    one.partners.remove(unhcr)
    Meeting.objects.filter(pk=one.pk).update(published=False)  # no signals
    assert link_tally() == links_counted() == {iom.pk: (2, 1)}

    one.partners.set([unhcr])
    Meeting.partners.through.objects.bulk_create([Meeting.partners.through(meeting=draft, partner=unhcr)])
    assert link_tally() == links_counted()
    draft.delete()
    unhcr.delete()
    assert link_tally() == links_counted() == {}


def test_links_written_before_their_meeting_or_deleted_after_it_keep_the_link_tally_exact():
    iom = f.PartnerFactory()
    meeting = f.MeetingFactory(partners=[iom])
    links, meetings = Meeting.partners.through._meta.db_table, Meeting._meta.db_table
    with connection.cursor() as cursor:  # raw SQL, foreign keys checked at the commit
        cursor.execute(f"DELETE FROM {meetings} WHERE id = %s", [meeting.pk])
        cursor.execute(f"DELETE FROM {links} WHERE meeting_id = %s", [meeting.pk])
    assert link_tally() == links_counted() == {}
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {links} (meeting_id, partner_id) VALUES (%s, %s)", [meeting.pk, iom.pk])
    meeting.save(force_insert=True)
    assert link_tally() == links_counted() == {iom.pk: (1, 1)}
