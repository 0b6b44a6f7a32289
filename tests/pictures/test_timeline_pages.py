"""The timelines on the pages (cooperation/pictures/relationships.py drawn by
templates/includes/pictures/timeline.html): a partner's on its page, every year's on /years/.
Each SVG parses as XML, has a link with an accessible name for every mark, bar and count, and
says what the records say."""

import re
import xml.etree.ElementTree as ET

import pytest

from cooperation.core.partial_dates import PartialDate
from cooperation.models import Project
from tests import factories as f

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def picture(response):
    """The page's timeline SVG, parsed (it must be well-formed XML on its own)."""
    html = response.content.decode()
    found = re.findall(r'<svg\b[^>]*class="timeline-svg".*?</svg>', html, re.S)
    assert len(found) == 1, "one timeline picture"
    return ET.fromstring(found[0])


def links(svg):
    """[(href, accessible name, classes)] of every link in the picture."""
    return [(a.get("href"), a.get("aria-label"), a.get("class")) for a in svg.iter(f"{SVG}a")]


@pytest.fixture
def partner():
    partner = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    f.AgreementFactory(
        title="Cooperation Agreement",
        slug="coop",
        parties=[partner],
        signed=PartialDate(1999, 12, 8),
        ratified=PartialDate(2000),
    )
    running = f.ProjectFactory(
        title="Migration dialogue",
        slug="dialogue",
        start=PartialDate(2008, qualifier="~"),
        end=None,
        status=Project.Status.ONGOING,
        status_as_of=PartialDate(2012),
    )
    half = f.ProjectFactory(
        title="Border management",
        slug="border",
        start=PartialDate(2005, 3),
        end=PartialDate(2007, group=41),
        status=Project.Status.COMPLETED,
    )
    unknown_end = f.ProjectFactory(
        title="Return support", slug="return", start=PartialDate(2010), end=None, status=Project.Status.COMPLETED
    )
    for project in (running, half, unknown_end):
        f.ProjectPartnerFactory(partner=partner, project=project)
    f.OfficeFactory(name="IOM Baku office", slug="baku", partner=partner, opened=PartialDate(1998), closed=None)
    f.OfficeFactory(
        name="IOM Ganja office", slug="ganja", partner=partner, opened=PartialDate(2001, 5), closed=PartialDate(2004)
    )
    for day in (3, 4, 5):
        f.MeetingFactory(partners=[partner], start=PartialDate(2014, 6, day))
    f.MeetingFactory(partners=[partner], start=PartialDate(2016, 12, 5))
    f.MeetingFactory(partners=[partner], start=None)  # undated: in the list's "Date not recorded" only
    f.MeetingFactory(partners=[partner], start=PartialDate(2015), published=False)  # a draft: nowhere
    return partner


def test_partner_picture_has_a_link_with_a_name_for_every_dated_record(client, partner):
    svg = picture(client.get("/partners/iom/"))

    found = links(svg)
    assert all(href and name for href, name, _ in found)
    by_href = {}
    for href, name, _ in found:
        by_href.setdefault(href, []).append(name)
    # Two actions of the agreement, three projects, two offices, two years of meetings.
    assert len(found) == 2 + 3 + 2 + 2
    assert by_href["/agreements/coop/"] == [
        "Agreement: Cooperation Agreement, signature, 8 December 1999",
        "Agreement: Cooperation Agreement, ratification, 2000",
    ]
    assert by_href["/projects/dialogue/"] == ["Project: Migration dialogue, since about 2008 (ongoing)"]
    assert by_href["/projects/border/"] == ["Project: Border management, March 2005 – second half of 2007 (completed)"]
    assert by_href["/projects/return/"] == ["Project: Return support, 2010 (completed)"]
    assert by_href["/offices/baku/"] == ["Office: IOM Baku office, open since 1998"]
    assert by_href["/offices/ganja/"] == ["Office: IOM Ganja office, May 2001 – 2004"]
    assert by_href["/meetings/?partner=iom&year=2014"] == ["3 meetings in 2014"]
    assert by_href["/meetings/?partner=iom&year=2016"] == ["1 meeting in 2016"]
    assert svg.get("aria-label") == "Timeline of IOM"


def test_partner_picture_draws_open_uncertain_and_unknown_ends_as_such(client, partner):
    svg = picture(client.get("/partners/iom/"))

    def pieces(href):
        link = next(a for a in svg.iter(f"{SVG}a") if a.get("href") == href)
        return [rect.get("class") for rect in link.iter(f"{SVG}rect")], link

    kinds, link = pieces("/projects/dialogue/")  # about 2008, reported ongoing as of 2012
    assert kinds == ["tl-vague-start", "tl-solid", "tl-open"]
    assert link.find(f"{SVG}path").get("class") == "tl-arrow"
    assert pieces("/projects/border/")[0] == ["tl-solid", "tl-vague-end"]  # second half of 2007
    assert pieces("/projects/return/")[0] == ["tl-vague-start", "tl-unknown-end"]  # completed, end not recorded
    assert pieces("/offices/baku/")[0] == ["tl-vague-start", "tl-open"]
    assert pieces("/offices/ganja/")[0] == ["tl-solid", "tl-vague-end"]
    # The ratification's "2000" is a whole year: a span under its mark.
    ratified = [a for a in svg.iter(f"{SVG}a") if "ratification" in a.get("aria-label")][0]
    assert ratified.find(f"{SVG}rect").get("class") == "tl-mark-span"
    # Bars that overlap in time are in different rows.
    rows = {a.get("href"): a.find(f"{SVG}rect").get("y") for a in svg.iter(f"{SVG}a") if "/projects/" in a.get("href")}
    ys = [float(y) for y in rows.values()]
    assert len(set(ys)) >= 2  # 2005–2007 and 2010–2011 share a row; about 2008 → open does not


def test_a_partners_meetings_a_year_are_those_the_list_of_that_year_holds(client):
    """A meeting running into the next year counts in both, as the meetings list's year filter
    each count leads to counts it (the busiest partner's bars said 4,288 where the list said 4,294)."""
    partner = f.PartnerFactory(slug="busy")
    f.MeetingFactory(partners=[partner], start=PartialDate(2014, 12, 30), end=PartialDate(2015, 1, 2))
    f.MeetingFactory(partners=[partner], start=PartialDate(2015, 3, 1))
    f.MeetingFactory(partners=[partner], start=None)

    counts = {href: name for href, name, css in links(picture(client.get("/partners/busy/"))) if css == "tl-count"}

    assert counts == {
        "/meetings/?partner=busy&year=2014": "1 meeting in 2014",
        "/meetings/?partner=busy&year=2015": "2 meetings in 2015",
    }
    for href, name in counts.items():
        assert f"{name.split()[0]} meeting" in client.get(href).content.decode()


def test_meeting_counts_are_bounded_whatever_the_number_of_meetings(client):
    partner = f.PartnerFactory(slug="busy")
    for year in (2010, 2011, 2012):
        for day in range(1, 21):
            f.MeetingFactory(partners=[partner], start=PartialDate(year, 3, day))

    svg = picture(client.get("/partners/busy/"))

    counts = [name for _, name, css in links(svg) if css == "tl-count"]
    assert counts == ["20 meetings in 2010", "20 meetings in 2011", "20 meetings in 2012"]
    texts = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "tl-count-text"]
    assert texts == ["20", "20", "20"]


def test_partner_picture_in_russian_and_azerbaijani(client, partner):
    ru = {href: name for href, name, _ in links(picture(client.get("/ru/partners/iom/")))}
    az = {href: name for href, name, _ in links(picture(client.get("/az/partners/iom/")))}

    assert ru["/ru/meetings/?partner=iom&year=2014"] == "3 встречи в 2014 году"
    assert ru["/ru/offices/ganja/"].startswith("Офис: ")
    assert "май 2001" in ru["/ru/offices/ganja/"]
    assert az["/az/meetings/?partner=iom&year=2014"] == "2014: 3 görüş"
    assert az["/az/projects/dialogue/"].startswith("Layihə: ")
    # "İmzalanma" inside a sentence as Azerbaijani writes it: "imzalanma", not "i̇mzalanma" (i and a
    # combining dot above, what str.lower() makes of İ).
    names = [
        name for href, name, _ in links(picture(client.get("/az/partners/iom/"))) if href == "/az/agreements/coop/"
    ]
    assert any(name.startswith("Saziş: Cooperation Agreement, imzalanma, 8 dekabr 1999") for name in names)
    assert "\u0307" not in "".join(names)


def test_no_picture_without_dated_records(client):
    partner = f.PartnerFactory(slug="quiet")
    f.MeetingFactory(partners=[partner], start=None)

    html = client.get("/partners/quiet/").content.decode()

    assert "<svg" not in html
    assert "Date not recorded" in html


def test_years_picture_is_a_lane_a_partner_with_its_span_signings_projects_and_meetings(client, partner):
    sms = f.PartnerFactory(name="State Migration Service", acronym="SMS", slug="sms")
    f.MeetingFactory(partners=[partner, sms], start=PartialDate(2014, 6, 9))
    for slug in ("one", "two"):
        f.AgreementFactory(slug=slug, parties=[sms], signed=PartialDate(2016, 12, 8))

    svg = picture(client.get("/years/"))

    assert svg.get("aria-label") == "The partners with the most projects and meetings, over time"
    labels = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "tl-lane-label"]
    assert labels == ["IOM", "SMS"]  # 3 projects and 5 meetings; 1 meeting
    found = links(svg)
    assert all(href and name for href, name, _ in found)
    named = {name: href for href, name, _ in found}
    assert named["IOM, 1999–2016: 1 agreement signed, 3 projects, 6 meetings"] == "/partners/iom/"
    assert named["IOM: agreement signed — Cooperation Agreement, 8 December 1999"] == "/agreements/coop/"
    assert named["IOM: 4 meetings in 2014"] == "/meetings/?partner=iom&year=2014"
    assert named["IOM: 2 projects active in 2010"] == "/projects/?partner=iom&year=2010"
    assert named["SMS, 2014–2016: 2 agreements signed, 1 meeting"] == "/partners/sms/"
    assert named["SMS: 2 agreements signed in 2016"] == "/agreements/?partner=sms&year=2016"
    assert named["SMS: 1 meeting in 2014"] == "/meetings/?partner=sms&year=2014"
    # A square for each year's projects, a circle for each year's meetings, nothing else counted.
    squares = [href for href, _, css in found if css == "tl-count" and "/projects/" in href]
    assert squares == [
        f"/projects/?partner=iom&year={year}" for year in (2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012)
    ]


def test_years_picture_has_its_numbers_in_a_table(client, partner):
    html = client.get("/years/").content.decode()

    table = html[html.index('<table class="registry-timeline-table">') :]
    table = table[: table.index("</table>")]
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, re.S)]
    assert cells[5:10] == ["International Organization for Migration", "1999–2016", "1", "3", "5"]
    assert 'href="/meetings/?partner=iom"' in table
    assert 'href="/partners/?sort=records"' in html


def test_years_picture_in_russian_and_azerbaijani(client, partner):
    ru = {name: href for href, name, _ in links(picture(client.get("/ru/years/")))}
    az = {name: href for href, name, _ in links(picture(client.get("/az/years/")))}

    assert ru["IOM: 2014 — 3 встречи"] == "/ru/meetings/?partner=iom&year=2014"
    assert ru["IOM: 2010 — действовали 2 проекта"] == "/ru/projects/?partner=iom&year=2010"
    assert az["IOM, 2014: 3 görüş"] == "/az/meetings/?partner=iom&year=2014"
    assert az["IOM: saziş imzalanıb — Cooperation Agreement, 8 dekabr 1999"] == "/az/agreements/coop/"


def test_a_long_axis_counts_periods_of_years_and_each_leads_to_those_years(client):
    partner = f.PartnerFactory(name="International Organization for Migration", acronym="IOM", slug="iom")
    for year in (1990, 2012, 2013, 2030):
        f.MeetingFactory(partners=[partner], start=PartialDate(year, 5, 1))
    f.MeetingFactory(partners=[partner], start=PartialDate(2014, 12, 30), end=PartialDate(2015, 1, 2))
    for slug, year in (("one", 2011), ("two", 2014)):
        f.AgreementFactory(slug=slug, parties=[partner], signed=PartialDate(year, 3, 1))

    found = links(picture(client.get("/years/")))

    named = {name: href for href, name, _ in found}
    years = "&".join(f"year={year}" for year in range(2010, 2015))
    assert named["IOM: 3 meetings in 2010–2014"] == f"/meetings/?partner=iom&{years}"  # 2012, 2013, 2014–15
    assert named["IOM: 2 agreements signed in 2010–2014"] == f"/agreements/?partner=iom&{years}"
    assert named["IOM: 1 meeting in 2015–2019"].startswith("/meetings/?partner=iom&year=2015&year=2016")
    counts = [name for _, name, css in found if css == "tl-count"]
    assert len(counts) == 4  # 1990–1994, 2010–2014, 2015–2019, 2030: a period each, at most 20 a lane


def test_the_years_picture_is_read_once_and_kept_until_a_save(client, django_assert_num_queries, partner):
    client.get("/years/")  # every picture of the page cached
    with django_assert_num_queries(1):  # the versions
        assert "IOM: 3 meetings in 2014" in client.get("/years/").content.decode()

    f.MeetingFactory(partners=[partner], start=PartialDate(2014, 7, 1))

    assert "IOM: 4 meetings in 2014" in client.get("/years/").content.decode()


def test_no_years_picture_without_dated_records(client):
    partner = f.PartnerFactory(slug="quiet")
    f.MeetingFactory(partners=[partner], start=None)

    html = client.get("/years/").content.decode()

    assert "timeline-svg" not in html


def test_an_untranslated_projects_bar_is_marked_english_on_a_partners_picture(client, partner):
    """On an Azerbaijani page a bar's label in English (no translation) is marked ``lang="en"``,
    a translated one is not; nothing is marked on the English page."""
    Project.objects.filter(slug="border").update(title_az="Sərhəd idarəçiliyi")

    svg = picture(client.get("/az/partners/iom/"))

    labels = {text.text: text.get("lang") for text in svg.iter(f"{SVG}text") if text.get("class") == "tl-bar-label"}
    assert labels == {
        "Migration dialogue": "en",
        "Return supp…": "en",  # cut short, still English
        "Sərhəd idarəç…": None,
        "IOM Baku office": "en",
        "IOM Ganja office": "en",
    }
    english = picture(client.get("/partners/iom/"))
    assert all(text.get("lang") is None for text in english.iter(f"{SVG}text"))


def test_an_untranslated_partner_is_marked_english_in_the_years_picture_and_its_table(client, partner):
    sms = f.PartnerFactory(
        name="State Migration Service", name_az="Dövlət Miqrasiya Xidməti", acronym="SMS", acronym_az="DMX", slug="sms"
    )
    f.MeetingFactory(partners=[sms], start=PartialDate(2014, 6, 9))

    response = client.get("/az/years/")

    lanes = {
        text.text: text.get("lang")
        for text in picture(response).iter(f"{SVG}text")
        if text.get("class") == "tl-lane-label"
    }
    assert lanes == {"IOM": "en", "DMX": None}
    html = response.content.decode()
    assert '<a href="/az/partners/iom/"><span lang="en">International Organization for Migration</span></a>' in html
    assert '<a href="/az/partners/sms/">Dövlət Miqrasiya Xidməti</a>' in html
    english = client.get("/years/").content.decode()
    assert "lang=" not in english.split('<section class="registry-timeline"')[1].split("</section>")[0]
