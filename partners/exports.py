"""The columns of the partner, office and people lists' exports (``?format=csv``, ``?format=json``),
declared once: the writers, the admin import and docs/data-format.md read them
(see cooperation/core/exports.py)."""

from operator import attrgetter

from cooperation.core.exports import (
    CITATIONS,
    DERIVED,
    Column,
    ExportSpec,
    Related,
    choice,
    columns,
    country,
    lines,
    location_annotations,
    location_columns,
    number,
    partial_date,
    period_as_written,
    related_one,
    slug_column,
    sources,
    text,
    url_column,
)
from partners.models import Office, Partner, Person

PARTNERS = ExportSpec(
    name="partners",
    model=Partner,
    path="/partners/",
    columns=columns(
        slug_column("partner"),
        text("name", "The partner's full name."),
        text("acronym", "Its acronym or short name (IOM); empty if it has none."),
        choice("kind", "What it is: International organisation, State, State agency, EU body, Dialogue process …"),
        choice("scope", "Multilateral, Bilateral or Host-country institution."),
        country("country", "For a state or a state agency, the state"),
        text("headquarters", "City and country of its headquarters."),
        related_one(
            "parent",
            "The body it belongs to (a council of its organisation, an agency of its state)",
            label=attrgetter("short_name"),
        ),
        partial_date("founded", "Date founded"),
        number("member_states", "For an organisation, its number of member states (by the preferred source)."),
        text("website", "Its website."),
        lines("other_names", "Other names and spellings the sources use."),
        text("description", "What the registry says of it."),
        sources(),
        url_column("partner"),
    ),
    related=(CITATIONS,),
)

OFFICES = ExportSpec(
    name="offices",
    model=Office,
    path="/offices/",
    columns=columns(
        slug_column("office"),
        text("name", "The office's name."),
        related_one("partner", "The partner whose office it is", label=attrgetter("short_name")),
        choice("kind", "Headquarters, Country office, Field office, Representation, Information centre or Other."),
        text("city", "Its city; empty if the sources do not name it."),
        country("country", "The country it is in"),
        location_columns("Where it is on the map"),
        partial_date("opened", "Date opened"),
        partial_date("closed", "Date closed"),
        text("description", "What the registry says of it."),
        sources(),
        url_column("office"),
    ),
    related=(CITATIONS,),
    annotations=location_annotations(),
)


def person_posts():
    """A person's posts at published organisations: "Director General, IOM (1998–2008)" and the
    organisations' slugs, in the same order."""

    def posts(record):
        return record.export_posts

    def written(post):
        when = period_as_written(post.start, post.end) or post.note
        return f"{post} ({when})" if when else str(post)

    return [
        Column(
            "posts",
            "The posts they held, with the organisation and dates (or what the sources say of them): "
            "“Director General, IOM (1998–2008)”.",
            lambda record, context: [written(post) for post in posts(record)],
            many=True,
            use=DERIVED,
        ),
        Column(
            "post_organisation_slugs",
            "The organisations of the same posts: their slugs, in the same order.",
            lambda record, context: [post.organisation.slug for post in posts(record)],
            many=True,
            use=DERIVED,
        ),
    ]


PEOPLE = ExportSpec(
    name="people",
    model=Person,
    path="/people/",
    columns=columns(
        slug_column("person"),
        text("name", "The person's name."),
        lines("other_names", "Other spellings the sources use."),
        person_posts(),
        text("description", "What the registry says of them."),
        sources(),
        url_column("person"),
    ),
    related=(
        Related(
            "posts",
            only=(
                "title",
                "start",
                "end",
                "note",
                *(f"organisation__{name}" for name in ("slug", *Partner.NAME_FIELDS)),
            ),
            published="organisation__published",
        ),
        CITATIONS,
    ),
)
