"""What must never be is refused by the database, and explained to staff by clean().

Each database test writes around validation (``save()`` and ``update()`` do not call
``full_clean()``), so only the constraint stands in the way. Each clean() test checks the
message staff would see, on the field it belongs to.
"""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from cooperation.models import Agreement, Project, ProjectPartner
from events.models import Meeting
from partners.models import Office, Partner, Post
from tests import factories
from tests.helpers.dates import d

pytestmark = pytest.mark.django_db


def refused_by_the_database(create):
    """True when the database refuses what ``create()`` writes."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def errors_of(instance):
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


# Periods that end before they start ----------------------------------------------------

# (factory, start field, end field, message clean() gives on the end field)
RANGES = [
    pytest.param(factories.OfficeFactory, "opened", "closed", "An office cannot close before it opened.", id="office"),
    pytest.param(factories.ProjectFactory, "start", "end", "A project cannot end before it started.", id="project"),
    pytest.param(factories.MeetingFactory, "start", "end", "A meeting cannot end before it started.", id="meeting"),
    pytest.param(factories.PostFactory, "start", "end", "A post cannot end before it started.", id="post"),
    pytest.param(
        factories.AgreementFactory, "signed", "ratified", "It cannot be ratified before it was signed.", id="ratified"
    ),
    pytest.param(
        factories.AgreementFactory,
        "signed",
        "in_force",
        "It cannot enter into force before it was signed.",
        id="in-force",
    ),
    pytest.param(factories.AgreementFactory, "signed", "ended", "It cannot end before it was signed.", id="ended"),
    pytest.param(
        factories.AgreementFactory,
        "in_force",
        "ended",
        "It cannot end before it entered into force.",
        id="ended-before-in-force",
    ),
]

# (start, end) pairs where the end lies wholly before the start.
BACKWARDS = [
    (d(2006, 5, 10), d(2006, 5, 9)),
    (d(2006, 5, 10), d(2006, 4)),
    (d(2006), d(2005)),
    (d(2006), d(2005, 12, 31)),
    (d(2006, 5), d(2006, 4, 30)),
]

# (start, end) pairs a source may well give: the end may be on or after the start.
GENEROUS = [
    (d(2006, 5, 10), d(2006, 5)),  # "from 10 May 2006 to May 2006"
    (d(2006, 5, 10), d(2006)),
    (d(2006, 5, 10), d(2006, 5, 10)),
    (d(2006), d(2006, 1, 1)),
    (d(2006, 5), d(2006, 5, 1)),
    (d(2005, 12, 31), d(2006)),
]


def with_dates(factory, start_field, start, end_field, end):
    """Field values for a record of ``factory`` with only the two dates under test set."""
    values = {start_field: start, end_field: end}
    if factory is factories.AgreementFactory and start_field != "signed":
        values["signed"] = None
    return values


@pytest.mark.parametrize(("factory", "start_field", "end_field", "message"), RANGES)
@pytest.mark.parametrize(("start", "end"), BACKWARDS, ids=lambda value: value.iso)
def test_range_ending_before_it_starts_is_refused_by_the_database(factory, start_field, end_field, message, start, end):
    assert refused_by_the_database(lambda: factory(**with_dates(factory, start_field, start, end_field, end)))


@pytest.mark.parametrize(("factory", "start_field", "end_field", "message"), RANGES)
def test_range_made_backwards_by_an_update_is_refused_by_the_database(factory, start_field, end_field, message):
    record = factory(**with_dates(factory, start_field, d(2006, 5, 10), end_field, d(2006, 5, 11)))
    records = type(record).objects.filter(pk=record.pk)

    assert refused_by_the_database(lambda: records.update(**{end_field: d(2006, 5, 9)}))


@pytest.mark.parametrize(("factory", "start_field", "end_field", "message"), RANGES)
@pytest.mark.parametrize(("start", "end"), GENEROUS, ids=lambda value: value.iso)
def test_range_with_partial_dates_that_may_overlap_is_accepted(factory, start_field, end_field, message, start, end):
    record = factory(**with_dates(factory, start_field, start, end_field, end))
    record.refresh_from_db()

    assert (getattr(record, start_field), getattr(record, end_field)) == (start, end)
    record.full_clean()


@pytest.mark.parametrize(("factory", "start_field", "end_field", "message"), RANGES)
@pytest.mark.parametrize(("start", "end"), [(None, d(2006)), (d(2006), None), (None, None)])
def test_range_with_a_missing_date_is_accepted_by_the_database(factory, start_field, end_field, message, start, end):
    assert not refused_by_the_database(lambda: factory(**with_dates(factory, start_field, start, end_field, end)))


@pytest.mark.parametrize(("factory", "start_field", "end_field", "message"), RANGES)
@pytest.mark.parametrize(("start", "end"), BACKWARDS, ids=lambda value: value.iso)
def test_range_ending_before_it_starts_is_explained_on_the_end_field(
    factory, start_field, end_field, message, start, end
):
    record = factory.build(**with_dates(factory, start_field, start, end_field, end))
    if isinstance(record, Office):
        record.partner = factories.PartnerFactory()
    if isinstance(record, Post):
        record.person, record.organisation = factories.PersonFactory(), factories.PartnerFactory()

    assert errors_of(record) == {end_field: [message]}


def test_agreement_ended_before_signing_and_entry_into_force_gets_both_messages():
    agreement = factories.AgreementFactory.build(signed=d(2000), in_force=d(2002), ended=d(1999))

    assert errors_of(agreement) == {
        "ended": ["It cannot end before it was signed.", "It cannot end before it entered into force."]
    }


def test_agreement_with_its_stages_in_order_is_valid():
    agreement = factories.AgreementFactory(
        signed=d(1999, 12, 8), ratified=d(2000, 3), in_force=d(2000, 3, 20), ended=d(2010)
    )

    agreement.full_clean()
    assert agreement.status == Agreement.Status.ENDED


def test_meeting_end_without_a_start_is_explained_on_the_start_field():
    meeting = factories.MeetingFactory.build(start=None, end=d(2016, 12, 2))

    assert errors_of(meeting) == {"start": ["Give the start date too, or leave both empty."]}


def test_project_form_explains_a_backwards_range_and_accepts_a_generous_one():
    ProjectForm = modelform_factory(Project, fields=["title", "slug", "status", "start", "end"])
    data = {"title": "Border management", "slug": "border-management", "status": "completed"}

    backwards = ProjectForm(data={**data, "start": "10 May 2006", "end": "2005"})
    generous = ProjectForm(data={**data, "start": "10 May 2006", "end": "May 2006"})

    assert backwards.errors == {"end": ["A project cannot end before it started."]}
    assert generous.errors == {}
    project = generous.save()
    project.refresh_from_db()
    assert (project.start, project.end) == (d(2006, 5, 10), d(2006, 5))


# Duplicate slugs ------------------------------------------------------------------------

RECORD_FACTORIES = [
    pytest.param(factories.PartnerFactory, "Partner", id="partner"),
    pytest.param(factories.OfficeFactory, "Office", id="office"),
    pytest.param(factories.PersonFactory, "Person", id="person"),
    pytest.param(factories.TopicFactory, "Topic", id="topic"),
    pytest.param(factories.SourceFactory, "Source", id="source"),
    pytest.param(factories.AgreementFactory, "Agreement", id="agreement"),
    pytest.param(factories.ProjectFactory, "Project", id="project"),
    pytest.param(factories.MeetingFactory, "Meeting", id="meeting"),
]


@pytest.mark.parametrize(("factory", "verbose_name"), RECORD_FACTORIES)
def test_duplicate_slug_is_refused_by_the_database(factory, verbose_name):
    factory(slug="same-slug")

    assert refused_by_the_database(lambda: factory(slug="same-slug"))
    assert not refused_by_the_database(lambda: factory(slug="other-slug"))


@pytest.mark.parametrize(("factory", "verbose_name"), RECORD_FACTORIES)
def test_duplicate_slug_is_explained_on_the_slug_field(factory, verbose_name):
    existing = factory(slug="same-slug")
    duplicate = factory.build(slug="same-slug")
    if isinstance(duplicate, Office):
        duplicate.partner = existing.partner

    assert errors_of(duplicate) == {"slug": [f"{verbose_name} with this Slug already exists."]}


# One partner, one role, one project -----------------------------------------------------


def test_same_partner_twice_in_one_role_on_a_project_is_refused_by_the_database():
    role = factories.ProjectPartnerFactory(role=ProjectPartner.Role.FUNDING)

    assert refused_by_the_database(
        lambda: factories.ProjectPartnerFactory(project=role.project, partner=role.partner, role=role.role)
    )


def test_same_partner_in_two_roles_or_on_two_projects_is_accepted():
    role = factories.ProjectPartnerFactory(role=ProjectPartner.Role.FUNDING)

    factories.ProjectPartnerFactory(project=role.project, partner=role.partner, role=ProjectPartner.Role.IMPLEMENTING)
    factories.ProjectPartnerFactory(partner=role.partner, role=ProjectPartner.Role.FUNDING)

    assert ProjectPartner.objects.filter(partner=role.partner).count() == 3


def test_same_partner_twice_in_one_role_on_a_project_is_explained():
    role = factories.ProjectPartnerFactory(role=ProjectPartner.Role.FUNDING)
    duplicate = ProjectPartner(project=role.project, partner=role.partner, role=role.role)

    assert errors_of(duplicate) == {NON_FIELD_ERRORS: ["This partner already has this role in the project."]}


# Claims and citations -------------------------------------------------------------------


def test_two_preferred_claims_for_one_fact_are_refused_by_the_database():
    claim = factories.ClaimFactory(preferred=True, value="8 December 1999")

    assert refused_by_the_database(
        lambda: factories.ClaimFactory(
            content_object=claim.content_object, field=claim.field, value="9 December 1999", preferred=True
        )
    )


def test_claims_that_disagree_are_kept_with_one_preferred():
    claim = factories.ClaimFactory(preferred=True, value="8 December 1999")

    factories.ClaimFactory(content_object=claim.content_object, field=claim.field, value="9 December 1999")
    factories.ClaimFactory(content_object=claim.content_object, field=claim.field, value="December 1999")
    factories.ClaimFactory(content_object=claim.content_object, field="in_force", value="2000", preferred=True)

    claims = type(claim).objects.for_object(claim.content_object)
    assert sorted(claims.filter(field="signed").values_list("value", "preferred")) == [
        ("8 December 1999", True),
        ("9 December 1999", False),
        ("December 1999", False),
    ]


def test_two_preferred_claims_for_one_fact_are_explained():
    claim = factories.ClaimFactory(preferred=True)
    second = factories.ClaimFactory.build(
        content_object=claim.content_object,
        field=claim.field,
        value="9 December 1999",
        source=factories.SourceFactory(),
        preferred=True,
    )

    assert errors_of(second) == {NON_FIELD_ERRORS: ["Only one claim about a fact can be preferred."]}


def test_same_claim_from_the_same_source_twice_is_refused_by_the_database():
    claim = factories.ClaimFactory()

    assert refused_by_the_database(
        lambda: factories.ClaimFactory(
            content_object=claim.content_object, field=claim.field, value=claim.value, source=claim.source
        )
    )


def test_duplicate_citation_is_refused_by_the_database():
    citation = factories.CitationFactory(locator="p. 3")

    assert refused_by_the_database(
        lambda: factories.CitationFactory(
            content_object=citation.content_object, source=citation.source, locator="p. 3"
        )
    )
    assert not refused_by_the_database(
        lambda: factories.CitationFactory(
            content_object=citation.content_object, source=citation.source, locator="p. 4"
        )
    )


def test_duplicate_citation_is_explained():
    citation = factories.CitationFactory(locator="p. 3")
    duplicate = type(citation)(content_object=citation.content_object, source=citation.source, locator="p. 3")

    assert errors_of(duplicate) == {NON_FIELD_ERRORS: ["This record already cites this source at this place."]}


# Parent bodies --------------------------------------------------------------------------


def test_partner_as_its_own_parent_is_refused_by_the_database():
    partner = factories.PartnerFactory()

    assert refused_by_the_database(lambda: Partner.objects.filter(pk=partner.pk).update(parent=partner))


def test_partner_with_another_parent_is_accepted():
    parent = factories.PartnerFactory(name="International Organization for Migration")
    child = factories.PartnerFactory(name="IOM Council", parent=parent)

    child.full_clean()
    assert list(parent.children.all()) == [child]


def test_partner_as_its_own_parent_is_explained_on_the_parent_field():
    partner = factories.PartnerFactory()
    partner.parent = partner

    assert errors_of(partner) == {"parent": ["A partner cannot be its own parent body."]}


def test_partner_parent_cycle_is_explained_on_the_parent_field():
    top = factories.PartnerFactory()
    middle = factories.PartnerFactory(parent=top)
    top.parent = middle

    assert errors_of(top) == {"parent": ["This would make the partner a parent of itself."]}


# Other uniqueness -----------------------------------------------------------------------


def test_same_post_twice_is_refused_by_the_database():
    post = factories.PostFactory()

    assert refused_by_the_database(
        lambda: factories.PostFactory(
            person=post.person, title=post.title, organisation=post.organisation, start=post.start
        )
    )


def test_meeting_dates_read_as_a_person_would_write_them():
    meeting = factories.MeetingFactory(start=d(2016, 11, 30), end=d(2016, 12, 2))

    assert Meeting.objects.get(pk=meeting.pk).dates == "30 November – 2 December 2016"
