"""Site search, /search/?q=: accents and case, ranking, grouping, highlighting, drafts, keeping
the index current, hostile input and a constant number of queries.

Run on both databases: ``pytest tests/test_search.py`` (SQLite, FTS5) and
``DATABASE_URL=postgres://… pytest tests/test_search.py`` (PostgreSQL, tsvector).
"""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cooperation.core.partial_dates import PartialDate
from cooperation.core.text import name_key
from cooperation.models import Project, SearchDocument
from cooperation.search import query as search_query
from cooperation.search.backends import PostgresBackend, SqliteBackend, highlight
from cooperation.search.documents import index_records
from cooperation.search.results import PER_GROUP, PER_PAGE
from cooperation.search.signals import connect_signals, disconnect_signals, signals_connected
from partners.models import Partner
from tests.factories import (
    AgreementFactory,
    MeetingFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    PostFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SEARCH_URL = "/search/"


@pytest.fixture(autouse=True)
def search_signals():
    """The index follows the records (CooperationConfig.ready() connects these in the app)."""
    was_connected = signals_connected()
    connect_signals()
    yield
    if not was_connected:
        disconnect_signals()


def search(client, q=None, **params):
    if q is not None:
        params["q"] = q
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response


def titles(response):
    """{group label: [hit titles as text, in rank order]}."""
    return {
        group.label: [unescape(re.sub(r"</?mark>", "", str(hit.title))) for hit in group.hits]
        for group in response.context["result"].groups
    }


def found(response):
    return [title for group in titles(response).values() for title in group]


def notices(response):
    return response.context["result"].notices


def page_text(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# Accents, case, prefixes ---------------------------------------------------------------------


def test_search_ignores_accents_and_case(client):
    OfficeFactory(name="IOM sub-office in Mingachevir", city="Mingachevir")
    PartnerFactory(name="Türkiye", acronym="", kind=Partner.Kind.STATE, scope=Partner.Scope.BILATERAL)

    assert titles(search(client, "mingachevir")) == {"Offices": ["IOM sub-office in Mingachevir"]}
    assert titles(search(client, "MINGACHEVIR")) == {"Offices": ["IOM sub-office in Mingachevir"]}
    assert titles(search(client, "Turkiye")) == {"Partners": ["Türkiye"]}
    assert titles(search(client, "TURKIYE")) == {"Partners": ["Türkiye"]}
    assert titles(search(client, "türkiye")) == {"Partners": ["Türkiye"]}


def test_search_accented_query_finds_unaccented_record(client):
    PartnerFactory(name="Turkiye Migration Directorate", acronym="")

    assert found(search(client, "Türkiye")) == ["Turkiye Migration Directorate"]


def test_search_matches_the_last_word_as_a_prefix(client):
    OfficeFactory(name="Office in Mingachevir")

    assert found(search(client, "mingach")) == ["Office in Mingachevir"]
    assert found(search(client, "office mingach")) == ["Office in Mingachevir"]
    # Only the last word is a prefix: every other word must be whole.
    assert found(search(client, "mingach office")) == []


def test_search_needs_every_word(client):
    PartnerFactory(name="Caspian Border Council", acronym="")
    PartnerFactory(name="Caspian Fisheries Board", acronym="")

    assert found(search(client, "caspian border")) == ["Caspian Border Council"]


def test_search_finds_acronyms_and_other_names(client):
    PartnerFactory(name="International Organization for Migration", acronym="IOM", other_names="OIM\nМОМ")

    assert found(search(client, "iom")) == ["International Organization for Migration"]
    response = search(client, "oim")
    assert found(response) == ["International Organization for Migration"]
    assert "also known as IOM, <mark>OIM</mark>, МОМ" in response.content.decode()


# Ranking and grouping ------------------------------------------------------------------------


def test_search_ranks_a_title_match_above_body_matches(client):
    PartnerFactory(name="Zephyrine Body", acronym="", description="Works on zephyrine " * 5)
    PartnerFactory(name="Zephyrine Forum", acronym="")
    PartnerFactory(name="Another Body", acronym="", description="Zephyrine zephyrine zephyrine, then zephyrine.")

    ranked = titles(search(client, "zephyrine"))["Partners"]
    assert set(ranked[:2]) == {"Zephyrine Body", "Zephyrine Forum"}
    assert ranked[2] == "Another Body"


def test_search_ranks_a_record_named_by_the_query_first(client):
    PartnerFactory(name="IOM Council", acronym="", description="The IOM governing body; IOM member states sit in it.")
    PartnerFactory(name="International Organization for Migration", acronym="IOM")
    PartnerFactory(name="Organisation Internationale", acronym="", other_names="Iom\nOIM")

    ranked = titles(search(client, "İOM"))["Partners"]

    assert ranked[2] == "IOM Council"
    assert set(ranked[:2]) == {"International Organization for Migration", "Organisation Internationale"}


def test_search_ranks_other_names_above_the_body(client):
    PartnerFactory(name="Second", acronym="", description="Mentions the Sahel process, Sahel, and Sahel again.")
    PartnerFactory(name="First", acronym="", other_names="Sahel Group")

    assert titles(search(client, "sahel"))["Partners"] == ["First", "Second"]


def test_search_groups_hits_by_kind_in_a_fixed_order(client):
    partner = PartnerFactory(name="Quokka Partner", acronym="")
    SourceFactory(title="Quokka source")
    TopicFactory(name="Quokka topic")
    PersonFactory(name="Quokka person")
    OfficeFactory(name="Quokka office")
    MeetingFactory(title="Quokka meeting")
    ProjectFactory(title="Quokka project")
    AgreementFactory(title="Quokka agreement", parties=[partner])

    response = search(client, "quokka")

    assert titles(response) == {
        "Partners": ["Quokka Partner"],
        "Agreements": ["Quokka agreement"],
        "Projects": ["Quokka project"],
        "Meetings": ["Quokka meeting"],
        "Offices": ["Quokka office"],
        "People": ["Quokka person"],
        "Topics": ["Quokka topic"],
        "Sources": ["Quokka source"],
    }
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert '<h3 id="group-partner">Partners <span class="meta">(1)</span></h3>' in html
    assert "8 matching records" in page_text(response)


def test_search_hit_shows_kind_year_link_and_snippet(client):
    AgreementFactory(
        title="Readmission agreement",
        signed=PartialDate(2006, 5),
        description="Signed in Brussels after long talks about readmission.",
        slug="readmission-agreement",
    )

    response = search(client, "readmission")

    html = response.content.decode()
    assert '<a href="/agreements/readmission-agreement/"><mark>Readmission</mark> agreement</a>' in html
    assert '<span class="badge">Agreement</span> · 2006' in html
    assert "long talks about <mark>readmission</mark>" in html


def test_search_caps_each_group_and_links_to_all(client):
    for number in range(PER_GROUP + 2):
        PartnerFactory(name=f"Wombat council {number}", acronym="")
    OfficeFactory(name="Wombat office")

    response = search(client, "wombat")

    groups = {group.label: group for group in response.context["result"].groups}
    assert len(groups["Partners"].hits) == PER_GROUP
    assert groups["Partners"].count == PER_GROUP + 2
    assert groups["Partners"].more_url == "/search/?q=wombat&type=partner"
    assert groups["Offices"].more_url == ""
    assert f"All {PER_GROUP + 2} partners matching “wombat”" in page_text(response)


def test_search_type_filter_keeps_counts_of_every_kind(client):
    PartnerFactory(name="Axolotl Partner", acronym="")
    OfficeFactory(name="Axolotl office one")
    OfficeFactory(name="Axolotl office two")

    response = search(client, "axolotl", type="office")

    assert titles(response) == {"Offices": ["Axolotl office one", "Axolotl office two"]}
    facets = {facet.kind: (facet.count, facet.selected) for facet in response.context["result"].facets}
    assert facets["partner"] == (1, False)
    assert facets["office"] == (2, True)
    assert facets["meeting"] == (0, False)
    assert 'name="type" value="office" checked' in response.content.decode()


def test_search_several_types(client):
    PartnerFactory(name="Axolotl Partner", acronym="")
    OfficeFactory(name="Axolotl office")
    TopicFactory(name="Axolotl topic")

    response = client.get(SEARCH_URL, {"q": "axolotl", "type": ["topic", "partner"]})

    assert titles(response) == {"Partners": ["Axolotl Partner"], "Topics": ["Axolotl topic"]}


def test_search_unknown_type_is_ignored_with_a_notice(client):
    PartnerFactory(name="Axolotl Partner", acronym="")

    response = search(client, "axolotl", type="spaceship")

    assert titles(response) == {"Partners": ["Axolotl Partner"]}
    assert notices(response) == ["Ignored the record type “spaceship”: there is no such type."]


def test_search_paginates_one_type(client):
    for number in range(PER_PAGE + 5):
        PartnerFactory(name=f"Pangolin {number:02d}", acronym="")

    first = search(client, "pangolin", type="partner")
    second = search(client, "pangolin", type="partner", page="2")

    assert len(found(first)) == PER_PAGE
    assert found(second) == [f"Pangolin {number:02d}" for number in range(PER_PAGE, PER_PAGE + 5)]
    assert second.context["result"].previous_url == "/search/?q=pangolin&type=partner"
    assert first.context["result"].next_url == "/search/?q=pangolin&type=partner&page=2"
    assert f'<ol class="result-list" start="{PER_PAGE + 1}">' in second.content.decode()


@pytest.mark.parametrize(
    ("page", "notice", "shown"),
    [
        ("99", "There is no page 99; showing the last page, 2.", 2),
        ("abc", "“abc” is not a page number; showing the first page.", 1),
        ("-3", "There is no page -3; showing the first page.", 1),
        ("9" * 400, "There is no page 9,999,999,999,999,9…; showing the last page, 2.", 2),
        ("9" * 5000, "“999999999999999999999999999999999999999…” is not a page number; showing the first page.", 1),
    ],
)
def test_search_bad_page_is_explained(client, page, notice, shown):
    for number in range(PER_PAGE + 1):
        PartnerFactory(name=f"Pangolin {number:02d}", acronym="")

    response = search(client, "pangolin", type="partner", page=page)

    assert response.context["result"].page == shown
    if notice:
        assert notice in notices(response)


# Highlighting and escaping -------------------------------------------------------------------


def test_search_marks_matched_words(client):
    PartnerFactory(name="Budapest Process", acronym="", description="A dialogue that the Budapest group began.")

    html = search(client, "budapest").content.decode()

    assert "<mark>Budapest</mark> Process" in html
    assert "the <mark>Budapest</mark> group" in html


def test_search_escapes_html_in_records(client):
    PartnerFactory(
        name="Okapi <script>alert(1)</script> Council", acronym="", description='Okapi <img src=x onerror="alert(2)">'
    )

    response = search(client, "okapi")

    html = response.content.decode()
    assert found(response)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert html.count("<mark>") == html.count("</mark>") >= 2


def test_search_escapes_html_in_the_query(client):
    response = search(client, '<img src=x onerror="alert(1)"> okapi')

    html = response.content.decode()
    assert "<img src=x" not in html
    assert 'value="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; okapi"' in html
    assert "Search results for “&lt;img src=x" in html


def test_highlight_escapes_before_marking():
    assert highlight("a <b>\x02bold\x03</b> & \x02x") == "a &lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; x"
    assert highlight("one\n\x02two\x03\n\nthree", line_break=" · ") == "one · <mark>two</mark> · three"


# Drafts and keeping the index current --------------------------------------------------------


def test_search_never_shows_drafts(client):
    draft_partner = PartnerFactory(name="Quagga Secret Partner", acronym="QSP", published=False)
    OfficeFactory(name="Quagga draft office", published=False)
    AgreementFactory(title="Quagga draft agreement", published=False, parties=[draft_partner])
    project = ProjectFactory(title="Published project")
    ProjectPartnerFactory(project=project, partner=draft_partner)
    MeetingFactory(title="Published meeting", partners=[draft_partner])
    PostFactory(person=PersonFactory(name="Published official"), organisation=draft_partner)

    assert found(search(client, "quagga")) == []
    assert found(search(client, "qsp")) == []
    assert SearchDocument.objects.filter(title__icontains="quagga").count() == 0
    assert not SearchDocument.objects.filter(body__icontains="quagga").exists()


def test_search_unpublishing_removes_and_publishing_adds(client):
    partner = PartnerFactory(name="Narwhal Partner", acronym="")

    partner.published = False
    partner.save()
    assert found(search(client, "narwhal")) == []

    partner.published = True
    partner.save()
    assert found(search(client, "narwhal")) == ["Narwhal Partner"]


def test_search_hides_records_unpublished_without_signals(client):
    """Defence in depth: QuerySet.update() sends no signal, but the page checks the record."""
    partner = PartnerFactory(name="Narwhal Partner", acronym="")

    Partner.objects.filter(pk=partner.pk).update(published=False)

    assert SearchDocument.objects.filter(object_id=partner.pk, kind="partner").exists()
    response = search(client, "narwhal")
    assert found(response) == []
    assert "Narwhal" not in page_text(response).replace("“narwhal”", "")


def test_search_finds_an_edited_record_by_its_new_name(client):
    office = OfficeFactory(name="Lynx office")

    office.name = "Caracal office"
    office.save()

    assert found(search(client, "lynx")) == []
    assert found(search(client, "caracal")) == ["Caracal office"]


def test_search_forgets_a_deleted_record(client):
    topic = TopicFactory(name="Ibex topic")
    assert found(search(client, "ibex")) == ["Ibex topic"]

    topic.delete()

    assert found(search(client, "ibex")) == []
    assert not SearchDocument.objects.filter(title="Ibex topic").exists()


def test_search_follows_a_renamed_partner_into_its_records(client):
    partner = PartnerFactory(name="Marmot Agency", acronym="")
    project = ProjectFactory(title="Border project")
    ProjectPartnerFactory(project=project, partner=partner)
    OfficeFactory(name="Branch office", partner=partner)
    MeetingFactory(title="Talks", partners=[partner])
    PostFactory(person=PersonFactory(name="An official"), organisation=partner)
    assert titles(search(client, "marmot")) == {
        "Partners": ["Marmot Agency"],
        "Projects": ["Border project"],
        "Meetings": ["Talks"],
        "Offices": ["Branch office"],
        "People": ["An official"],
    }

    partner.name = "Chamois Agency"
    partner.save()

    assert found(search(client, "marmot")) == []
    assert len(found(search(client, "chamois"))) == 5


def test_search_follows_many_to_many_links(client):
    partner = PartnerFactory(name="Tapir Service", acronym="")
    topic = TopicFactory(name="Tapir topic")
    meeting = MeetingFactory(title="Annual talks")
    project = ProjectFactory(title="Training project")

    meeting.partners.add(partner)
    topic.projects.add(project)  # from the other side
    assert titles(search(client, "tapir")) == {
        "Projects": ["Training project"],
        "Meetings": ["Annual talks"],
        "Partners": ["Tapir Service"],
        "Topics": ["Tapir topic"],
    }

    partner.meetings.clear()  # from the other side
    project.topics.remove(topic)
    assert titles(search(client, "tapir")) == {"Partners": ["Tapir Service"], "Topics": ["Tapir topic"]}


def test_search_follows_project_partners_and_posts(client):
    partner = PartnerFactory(name="Gecko Fund", acronym="")
    project = ProjectFactory(title="Water project")
    person = PersonFactory(name="Some official")

    role = ProjectPartnerFactory(project=project, partner=partner)
    post = PostFactory(person=person, organisation=partner, title="Director")
    assert set(found(search(client, "gecko"))) == {"Gecko Fund", "Water project", "Some official"}

    role.delete()
    post.delete()
    assert found(search(client, "gecko")) == ["Gecko Fund"]


def test_rebuild_search_index_command_starts_from_scratch(client):
    PartnerFactory(name="Dugong Partner", acronym="")
    OfficeFactory(name="Dugong office", published=False)
    SearchDocument.objects.all().delete()
    assert found(search(client, "dugong")) == []

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert found(search(client, "dugong")) == ["Dugong Partner"]
    assert "Indexed 2 published records: 2 partners, 0 agreements" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 triggers")
def test_rebuild_search_index_restores_lost_sqlite_triggers(client):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER cooperation_searchdocument_fts_insert")
    PartnerFactory(name="Dugong Partner", acronym="")
    assert found(search(client, "dugong")) == []

    call_command("rebuild_search_index", stdout=StringIO())

    assert found(search(client, "dugong")) == ["Dugong Partner"]
    PartnerFactory(name="Dugong Second", acronym="")
    assert len(found(search(client, "dugong"))) == 2


def test_document_holds_the_public_text_of_a_record():
    iom = PartnerFactory(name="International Organization for Migration", acronym="IOM")
    draft = PartnerFactory(name="Draft Agency", acronym="DA", published=False)
    topic = TopicFactory(name="Anti-trafficking")
    project = ProjectFactory(
        title="Counter-trafficking", short_title="CT", phase="Phase II", start=PartialDate(2006), description="Help."
    )
    project.topics.add(topic)
    ProjectPartnerFactory(project=project, partner=iom)
    ProjectPartnerFactory(project=project, partner=draft)

    document = SearchDocument.objects.get(kind="project", object_id=project.pk)

    assert document.title == "Counter-trafficking – Phase II"
    assert document.other_names == "CT"
    assert document.body.split("\n") == [
        "Help.",
        "Phase II",
        "International Organization for Migration",
        "IOM",
        "Anti-trafficking",
        "2006",
    ]
    assert document.year == 2006
    assert document.url == project.get_absolute_url()


def test_index_records_writes_and_drops_in_bulk():
    projects = ProjectFactory.create_batch(3)
    Project.objects.filter(pk=projects[0].pk).update(published=False)

    assert index_records(Project, [project.pk for project in projects] + [999999]) == 2
    assert set(SearchDocument.objects.filter(kind="project").values_list("object_id", flat=True)) == {
        projects[1].pk,
        projects[2].pk,
    }


# Bad input never breaks the page -------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected_notice"),
    [
        ("okapi " * 1000, "Your search was 5,999 characters long; only the first 200 were used."),
        ("x" * 5000, "Your search was 5,000 characters long; only the first 200 were used."),
        ("oka\x00pi\x1f", "Removed 2 control or invisible characters."),
        ("okapi\u200b\u202e", "Removed 2 control or invisible characters."),
        ("'; DROP TABLE partners_partner; --", "Symbols are not searched for; ignored: ; _"),
        ("okapi' OR '1'='1", "Symbols are not searched for; ignored: ="),
        ("a & | ! :* okapi", "Symbols are not searched for; ignored: & | ! : *"),
        ("okapi:* & !(b | c) <-> d", "Symbols are not searched for; ignored: : * & ! ( | ) < >"),
        ('"okapi" NEAR(a b) OR title:x* ^y', 'Symbols are not searched for; ignored: " ( ) : * ^'),
        ("\\'\\\\ okapi \\", "Symbols are not searched for; ignored: \\"),
        ("<script>alert('okapi')</script>", "Symbols are not searched for; ignored: < > ( )"),
        ("½ ٣ ǅ 🙂 okapi ＯＫＡＰＩ", "Symbols are not searched for; ignored: ⁄ 🙂"),  # ½ is 1⁄2 in NFKC
        ("a b c d e f g h i j k l okapi", "Only the first 10 words were searched for; left out: k l okapi (3 words)."),
        ("okapi " + "y" * 190, None),
        ("_ _ okapi", "Symbols are not searched for; ignored: _"),
    ],
)
def test_search_survives_hostile_input(client, q, expected_notice):
    PartnerFactory(name="Okapi Council", acronym="", description="Okapi")

    response = search(client, q)

    if expected_notice:
        assert expected_notice in notices(response)
    assert response.context["result"].searched
    assert "<h1>Search results for" in response.content.decode()


@pytest.mark.parametrize("q", ["&|!:*()", "'\"", "\x00\x01\x02", "   ", "---", "_", "🙂🙂"])
def test_search_with_nothing_to_search_for_says_so(client, q, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = search(client, q)

    result = response.context["result"]
    assert not result.searched
    if result.query.text:
        assert "has no letters or digits to search for" in page_text(response)
    else:
        assert "Type a word or a name in the box" in page_text(response)


def test_search_with_hostile_types_and_repeated_q(client):
    PartnerFactory(name="Okapi Council", acronym="")

    response = client.get(SEARCH_URL, {"q": ["first", "okapi"], "type": ["\x00<b>", "partner", "partner"]})

    assert response.status_code == 200
    assert titles(response) == {"Partners": ["Okapi Council"]}
    assert "Ignored the record type “<b>”: there is no such type." in notices(response)
    assert "&lt;b&gt;" in response.content.decode()


def test_search_page_without_q_is_friendly(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = search(client)

    html = response.content.decode()
    assert "<h1>Search the registry</h1>" in html
    assert "Type a word or a name in the box to search every published record." in page_text(response)
    assert '<label for="search-q">' in html
    assert response.context["result"].notices == []


def test_search_puts_the_query_back_in_the_header_box(client):
    html = search(client, "  mingachevir\toffice ").content.decode()

    assert re.search(r'<input id="site-search-q"[^>]* value="mingachevir office"', html)
    assert 'id="search-q" type="search" name="q" value="mingachevir office"' in html


def test_search_url_is_named():
    assert reverse("cooperation:search") == SEARCH_URL


# Query count ---------------------------------------------------------------------------------


def _records(count):
    """``count`` matching records of every kind (and one that does not match)."""
    partner = PartnerFactory(name="Unrelated", acronym="")
    for number in range(count):
        PartnerFactory(name=f"Gazelle partner {number}", acronym="", description="<b>Gazelle</b> gazelle")
        OfficeFactory(name=f"Gazelle office {number}", partner=partner)
        AgreementFactory(title=f"Gazelle agreement {number}", parties=[partner])
        project = ProjectFactory(title=f"Gazelle project {number}")
        ProjectPartnerFactory(project=project, partner=partner)
        MeetingFactory(title=f"Gazelle meeting {number}", partners=[partner])
        PostFactory(person=PersonFactory(name=f"Gazelle person {number}"), organisation=partner)
        TopicFactory(name=f"Gazelle topic {number}")
        SourceFactory(title=f"Gazelle source {number}", notes="About gazelles.")


@pytest.mark.parametrize("count", [1, 50])
def test_search_query_count_is_constant(client, django_assert_num_queries, count):
    _records(count)

    with django_assert_num_queries(2):  # counts by kind, then the hits shown
        response = search(client, "gazelle")

    assert response.context["result"].total == 8 * count
    assert len(found(response)) == 8 * min(count, PER_GROUP)


@pytest.mark.parametrize("count", [1, 50])
def test_search_query_count_is_constant_for_one_type(client, django_assert_num_queries, count):
    _records(count)

    with django_assert_num_queries(2):
        response = search(client, "gazelle", type="meeting", page="2" if count > PER_PAGE else "1")

    assert len(found(response)) == min(count, PER_PAGE)


# Query cleaning and the SQL it becomes ------------------------------------------------------


def test_query_parse_cleans_and_cuts_into_words():
    query = search_query.parse("  Türkiye\u0308 &  IOM's\tOFFICE  iom ")

    assert query.text == "Türkiyë & IOM's OFFICE iom"
    assert query.terms == ("Türkiyë", "IOM", "s", "OFFICE")
    assert query.prefix is True
    assert query.notices == ["Removed 1 control or invisible character.", "Symbols are not searched for; ignored: &"]


def test_query_parse_composes_accents_and_width():
    assert search_query.parse("Tu\u0308rkiye ＩＯＭ").terms == ("Türkiye", "IOM")


def test_name_key_ignores_case_accents_and_punctuation():
    assert name_key("  Türkiye ") == "turkiye"
    assert name_key("Council of Europe (CoE)") == "council of europe coe"
    assert search_query.parse("TÜRKİYE!").key == "turkiye"


def test_query_short_last_word_is_not_a_prefix():
    assert search_query.parse("office eu").prefix is False
    assert search_query.parse("").prefix is False


def test_backend_queries_quote_every_word():
    query = search_query.parse("readmission & Türkiye:* !x")

    assert PostgresBackend.tsquery(query) == "'readmission' & 'Türkiye' & 'x'"
    assert PostgresBackend.tsquery(search_query.parse("mingach")) == "'mingach':*"
    assert PostgresBackend.tsquery(search_query.parse("iom mingach"), weight="AB") == "'iom':AB & 'mingach':*AB"
    assert SqliteBackend.match(query) == '"readmission" "Türkiye" "x"'
    assert SqliteBackend.match(search_query.parse("iom mingach"), columns="title other_names") == (
        '{title other_names} : ("iom" "mingach"*)'
    )
