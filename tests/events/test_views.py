"""The meeting page (events/views.py, events/selectors.py).

Each test asserts what a reader sees (the text of the page and its links). The query-count
tests build every page with 1 and with 50 related rows of each kind and expect the same
literal number of queries.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person
from tests import factories as f

pytestmark = pytest.mark.django_db


# Reading pages --------------------------------------------------------------------------------


class _PageParser(HTMLParser):
    """Collects the visible text of <body>, its links, and the <li> items of timelines."""

    SKIP = {"script", "style", "head", "title"}
    BLOCKS = {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "table",
        "tr",
        "td",
        "th",
        "caption",
        "br",
        "form",
        "label",
    }

    def __init__(self):
        super().__init__()
        self.text, self.links, self.timeline, self.undated = [], [], [], []
        self._skip = 0
        self._link = None
        self._lists = []  # stack of (tag, target list or None)
        self._item = None
        self.h1 = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._break(tag)
        if tag in self.SKIP:
            self._skip += 1
        if tag == "a":
            self._link = [attrs.get("href"), []]
        if tag == "h1":
            self._in_h1 = True
        if tag in ("ol", "ul"):
            classes = (attrs.get("class") or "").split()
            target = None
            if "timeline" in classes:
                target = self.undated if "timeline-undated" in classes else self.timeline
            self._lists.append((tag, target))
        if tag == "li" and self._lists and self._lists[-1][1] is not None:
            self._item = []

    def _break(self, tag):
        if tag in self.BLOCKS:
            for collected in [self.text, self._item]:
                if collected is not None:
                    collected.append(" ")

    def handle_endtag(self, tag):
        self._break(tag)
        if tag in self.SKIP:
            self._skip -= 1
        if tag == "a" and self._link:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None
        if tag == "h1":
            self._in_h1 = False
        if tag == "li" and self._item is not None and self._lists and self._lists[-1][1] is not None:
            self._lists[-1][1].append(" ".join("".join(self._item).split()))
            self._item = None
        if tag in ("ol", "ul") and self._lists:
            self._lists.pop()

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._link:
            self._link[1].append(data)
        if self._item is not None:
            self._item.append(data)
        if self._in_h1:
            self.h1.append(data)


class Page:
    def __init__(self, response):
        self.status = response.status_code
        self.html = response.content.decode()
        parser = _PageParser()
        parser.feed(self.html)
        self.text = " ".join("".join(parser.text).split())
        self.links = parser.links
        self.timeline = parser.timeline
        self.undated = parser.undated
        self.h1 = " ".join("".join(parser.h1).split())
        self.h1_count = self.html.count("<h1")

    def hrefs(self):
        return {href for href, _text in self.links}

    def links_to(self, record):
        return record.get_absolute_url() in self.hrefs()

    def title(self):
        return re.search(r"<title>(.*?)</title>", self.html, re.S).group(1).strip()


def get(client, url):
    return Page(client.get(url))


@pytest.fixture
def warm_content_types():
    """Citations and claims are generic relations: fill the content-type cache first, so a
    query count does not depend on which test ran before."""
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(Partner, Office, Person, Agreement, Project, Meeting, Topic, Source)


# Meeting --------------------------------------------------------------------------------------


def test_meeting_page_shows_dates_as_a_range_place_partners_participants_agreements_and_projects(client):
    iom = f.PartnerFactory(acronym="IOM", slug="iom")
    person = f.PersonFactory(name="William Lacy Swing", slug="swing")
    agreement = f.AgreementFactory(title="Readmission Agreement")
    project = f.ProjectFactory(title="Readmission project")
    meeting = f.MeetingFactory(
        title="Regional conference",
        slug="regional-conference",
        kind=Meeting.Kind.CONFERENCE,
        start=PartialDate(2006, 5, 10),
        end=PartialDate(2006, 5, 11),
        city="Baku",
        country="AZ",
        partners=[iom],
        participants_note="SMS employees",
    )
    meeting.participants.add(person)
    meeting.agreements.add(agreement)
    meeting.projects.add(project)

    page = get(client, "/meetings/regional-conference/")

    assert page.h1 == "Regional conference"
    assert "Date 10–11 May 2006 Place Baku, Azerbaijan" in page.text
    assert '<time datetime="2006-05-10">10–11 May 2006</time>' in page.html
    assert "Participants William Lacy Swing SMS employees" in page.text
    assert all(page.links_to(record) for record in [iom, person, agreement, project])
    for record in [iom, person, agreement, project]:
        assert get(client, record.get_absolute_url()).links_to(meeting), record


# Query counts ---------------------------------------------------------------------------------


def _cite(record, n):
    for _ in range(n):
        f.CitationFactory(content_object=record)
        f.ClaimFactory(content_object=record, field="signed", value=f"claim {_}")


def build_meeting(n):
    meeting = f.MeetingFactory(slug="subject", partners=[f.PartnerFactory() for _ in range(n)])
    meeting.participants.set([f.PersonFactory() for _ in range(n)])
    meeting.agreements.set([f.AgreementFactory() for _ in range(n)])
    meeting.projects.set([f.ProjectFactory() for _ in range(n)])
    _cite(meeting, n)
    return meeting.get_absolute_url()


# (page, builder, queries): every page runs this many queries, whatever the number of rows.
# A record page lists at most 25 (RELATED_LIMIT) of each big relation and counts them all in one
# more query (cached until the data changes: these are the counts of a first, uncached request).
QUERY_COUNTS = [
    # meeting; partners, participants, agreements, projects; citations, claims
    ("meeting", build_meeting, 7),
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
