"""The JSON of every record, as a list row and in full: its fields with a human label beside
each code (``"kind": "cooperation-agreement", "kind_label": "Cooperation agreement"``), partial
dates as ``{"text": "8 December 1999", "iso": "1999-12-08", "edtf": "1999-12-08", "precision": "day"}``
(null when unknown), its public page (``url``) and API address (``api_url``) — how values are written:
``fields.py`` — and summaries of its published related records (``summaries.py``).

List serializers read what the models' ``for_list()`` querysets load; detail serializers read
the ``public_*`` lists the selectors prefetch (published records only). Neither triggers a
query of its own, and neither has a field staff keep to themselves (``published``, timestamps).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.fields import LinesField, OptionalURLField, PageURLField, RecordSerializer, api_url, label
from cooperation.api.money import (
    BudgetSerializer,
    PartnerMoneySerializer,
    TransactionTotalSerializer,
    partner_money_rows,
)
from cooperation.api.summaries import (
    SOURCED_FIELDS,
    AgreementSummarySerializer,
    CitationSerializer,
    MeetingSummarySerializer,
    OfficeSummarySerializer,
    PartnerRolesSerializer,
    PartnerSummarySerializer,
    PersonSummarySerializer,
    ProjectRolesSerializer,
    ProjectSummarySerializer,
    SourcedSerializer,
    TopicSummarySerializer,
    partners_with_roles,
    projects_with_roles,
    published_or_none,
)
from cooperation.models import Agreement, AgreementAction, Place, Project, Source, Topic
from cooperation.models.actions import SIGNATURES
from cooperation.selectors import source_cited_by, topic_context
from events.models import Meeting
from partners.models import Office, Partner, Person, Post
from partners.selectors import office_context

# Places ------------------------------------------------------------------------------------


class PlaceSerializer(RecordSerializer):
    """Where a record is on the map: a city, a region or a whole country, at its centre."""

    kind_label = label("get_kind_display")
    latitude = serializers.FloatField(read_only=True, help_text="Decimal degrees north (WGS 84); negative: south.")
    longitude = serializers.FloatField(read_only=True, help_text="Decimal degrees east (WGS 84); negative: west.")

    class Meta:
        model = Place
        fields = ["slug", "name", "kind", "kind_label", "country", "latitude", "longitude"]


def location_field(what: str) -> PlaceSerializer:
    return PlaceSerializer(read_only=True, allow_null=True, help_text=f"{what}; null when no place is recorded.")


# Partners, offices, people -----------------------------------------------------------------


class PartnerSerializer(RecordSerializer):
    kind_label = label("get_kind_display")
    scope_label = label("get_scope_display")
    parent = serializers.SerializerMethodField(help_text="The body it belongs to.")
    url = PageURLField()
    api_url = api_url("partner")

    class Meta:
        model = Partner
        fields = [
            "slug", "name", "acronym", "kind", "kind_label", "scope", "scope_label", "country", "headquarters",
            "founded", "member_states", "website", "parent", "url", "api_url",
        ]  # fmt: skip

    @extend_schema_field(PartnerSummarySerializer(allow_null=True))
    def get_parent(self, partner):
        return published_or_none(PartnerSummarySerializer, partner.parent, self.context)


class OfficialSerializer(RecordSerializer):
    """A post held at this partner."""

    person = PersonSummarySerializer()

    class Meta:
        model = Post
        fields = ["person", "title", "start", "end", "note"]


class PartnerDetailSerializer(SourcedSerializer, PartnerSerializer):
    other_names = LinesField(help_text="Other names and spellings the sources use.")
    children = PartnerSummarySerializer(many=True, source="public_children", help_text="Bodies within it.")
    offices = OfficeSummarySerializer(many=True, source="public_offices")
    agreements = AgreementSummarySerializer(many=True, source="public_agreements")
    projects = serializers.SerializerMethodField(help_text="Its projects, newest first, with its roles in each.")
    meetings = MeetingSummarySerializer(many=True, source="public_meetings")
    officials = OfficialSerializer(many=True, source="public_posts", help_text="Posts held there, and by whom.")
    money = serializers.SerializerMethodField(
        help_text="The money of its published projects, summed by its role, kind and currency over all years."
    )

    class Meta(PartnerSerializer.Meta):
        fields = [
            *PartnerSerializer.Meta.fields, "other_names", "description", "children", "offices", "agreements",
            "projects", "meetings", "officials", "money", *SOURCED_FIELDS,
        ]  # fmt: skip

    @extend_schema_field(PartnerMoneySerializer(many=True))
    def get_money(self, partner):
        return PartnerMoneySerializer(partner_money_rows(partner.money), many=True).data

    @extend_schema_field(ProjectRolesSerializer(many=True))
    def get_projects(self, partner):
        return projects_with_roles(partner.public_project_roles, self.context)


class OfficeSerializer(RecordSerializer):
    kind_label = label("get_kind_display")
    partner = serializers.SerializerMethodField()
    location = location_field("Where it is on the map")
    url = PageURLField()
    api_url = api_url("office")

    class Meta:
        model = Office
        fields = [
            "slug", "name", "kind", "kind_label", "partner", "city", "country", "location", "opened", "closed", "url",
            "api_url",
        ]  # fmt: skip

    @extend_schema_field(PartnerSummarySerializer(allow_null=True))
    def get_partner(self, office):
        return published_or_none(PartnerSummarySerializer, office.partner, self.context)


class OfficeDetailSerializer(SourcedSerializer, OfficeSerializer):
    other_offices = serializers.SerializerMethodField(help_text="The partner's other offices.")

    class Meta(OfficeSerializer.Meta):
        fields = [*OfficeSerializer.Meta.fields, "description", "other_offices", *SOURCED_FIELDS]

    @extend_schema_field(OfficeSummarySerializer(many=True))
    def get_other_offices(self, office):
        return OfficeSummarySerializer(office_context(office)["other_offices"], many=True, context=self.context).data


class PersonSerializer(RecordSerializer):
    url = PageURLField()
    api_url = api_url("person")

    class Meta:
        model = Person
        fields = ["slug", "name", "url", "api_url"]


class PostSerializer(RecordSerializer):
    """A post this person held."""

    organisation = PartnerSummarySerializer()

    class Meta:
        model = Post
        fields = ["title", "organisation", "start", "end", "note"]


class PersonDetailSerializer(SourcedSerializer, PersonSerializer):
    other_names = LinesField(help_text="Other spellings the sources use.")
    posts = PostSerializer(many=True, source="public_posts")
    meetings = MeetingSummarySerializer(many=True, source="public_meetings")

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "other_names", "description", "posts", "meetings", *SOURCED_FIELDS]


# Agreements, projects, meetings ------------------------------------------------------------


class AgreementActionSerializer(RecordSerializer):
    """One action: signature, ratification, approval, accession, entry into force …"""

    kind_label = label("get_kind_display")
    party = serializers.SerializerMethodField(help_text="The party that acted; null: every party, or the instrument.")
    location = location_field("Where it happened on the map")

    class Meta:
        model = AgreementAction
        fields = ["kind", "kind_label", "date", "party", "place", "location", "act", "note"]

    @extend_schema_field(PartnerSummarySerializer(allow_null=True))
    def get_party(self, action):
        party = action.party
        return PartnerSummarySerializer(party, context=self.context).data if party and party.published else None


class AgreementActionDetailSerializer(AgreementActionSerializer):
    citations = CitationSerializer(many=True, source="public_citations", help_text="The sources of this action.")

    class Meta(AgreementActionSerializer.Meta):
        fields = [*AgreementActionSerializer.Meta.fields, "citations"]


class AgreementSerializer(RecordSerializer):
    kind_label = label("get_kind_display")
    status = serializers.SerializerMethodField(help_text="The latest stage whose date has come.")
    status_label = serializers.CharField(read_only=True)
    parties = PartnerSummarySerializer(many=True)
    actions = serializers.SerializerMethodField(
        help_text="Its actions in date order (undated last): signature, ratification, approval, accession, "
        "entry into force, denunciation, termination …; signed, ratified, in_force and ended are their summary."
    )
    signed_location = serializers.SerializerMethodField(
        help_text="Where the first signature that has a place was signed, on the map; null when none has."
    )
    url = PageURLField()
    api_url = api_url("agreement")
    action_serializer = AgreementActionSerializer

    class Meta:
        model = Agreement
        fields = [
            "slug", "title", "short_title", "kind", "kind_label", "status", "status_label", "signed",
            "signed_place", "signed_location", "ratified", "in_force", "ended", "actions", "parties", "url",
            "api_url",
        ]  # fmt: skip

    @extend_schema_field(PlaceSerializer(allow_null=True))
    def get_signed_location(self, agreement):
        actions = sorted(agreement.actions.all(), key=lambda action: action.sort_key)
        signature = next((a for a in actions if a.kind in SIGNATURES and a.location_id), None)
        return PlaceSerializer(signature.location, context=self.context).data if signature else None

    @extend_schema_field(AgreementActionSerializer(many=True))
    def get_actions(self, agreement):
        actions = sorted(agreement.actions.all(), key=lambda action: action.sort_key)
        return self.action_serializer(actions, many=True, context=self.context).data

    @extend_schema_field(serializers.ChoiceField(choices=Agreement.Status.choices))
    def get_status(self, agreement):
        return str(getattr(agreement, "current_status", None) or agreement.status)


class AgreementDetailSerializer(SourcedSerializer, AgreementSerializer):
    parties = PartnerSummarySerializer(many=True, source="public_parties")
    action_serializer = AgreementActionDetailSerializer
    topics = TopicSummarySerializer(many=True, source="public_topics")
    projects = ProjectSummarySerializer(many=True, source="public_projects", help_text="Projects based on it.")
    meetings = MeetingSummarySerializer(many=True, source="public_meetings")

    class Meta(AgreementSerializer.Meta):
        fields = [
            *AgreementSerializer.Meta.fields, "topics", "legal_summary", "description", "projects", "meetings",
            *SOURCED_FIELDS,
        ]  # fmt: skip


class ProjectSerializer(RecordSerializer):
    status_label = label("get_status_display")
    status_text = serializers.CharField(
        read_only=True, help_text="The status as the site says it, with the date it was reported as of."
    )
    dates = serializers.CharField(read_only=True, help_text="The period as a person writes it, e.g. “2006–2008”.")
    partners = serializers.SerializerMethodField(help_text="Its partners, each with its roles.")
    topics = TopicSummarySerializer(many=True)
    url = PageURLField()
    api_url = api_url("project")

    class Meta:
        model = Project
        fields = [
            "slug", "title", "short_title", "phase", "status", "status_label", "status_as_of", "status_text",
            "start", "end", "dates", "planned_start", "planned_end", "recipient_countries", "partners", "topics",
            "url", "api_url",
        ]  # fmt: skip

    @extend_schema_field(PartnerRolesSerializer(many=True))
    def get_partners(self, project):
        return partners_with_roles(project.project_partners.all(), self.context)


class ProjectDetailSerializer(SourcedSerializer, ProjectSerializer):
    topics = TopicSummarySerializer(many=True, source="public_topics")
    agreements = AgreementSummarySerializer(many=True, source="public_agreements", help_text="Agreements it rests on.")
    meetings = MeetingSummarySerializer(many=True, source="public_meetings")
    budgets = BudgetSerializer(many=True, help_text="Its budgets, each in its own currency.")
    transaction_totals = TransactionTotalSerializer(
        many=True, help_text="Its transactions summed a year, kind and currency (IATI transaction types)."
    )

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields, "description", "agreements", "meetings", "budgets", "transaction_totals",
            *SOURCED_FIELDS,
        ]  # fmt: skip

    @extend_schema_field(PartnerRolesSerializer(many=True))
    def get_partners(self, project):
        return partners_with_roles(project.public_project_partners, self.context)


class MeetingSerializer(RecordSerializer):
    kind_label = label("get_kind_display")
    status_label = label("get_status_display")
    status_text = serializers.CharField(
        read_only=True, help_text="The status as the site says it, with the date it was reported as of."
    )
    dates = serializers.CharField(read_only=True, help_text="The dates as a person writes them, e.g. “10–11 May 2006”.")
    partners = PartnerSummarySerializer(many=True)
    location = location_field("Where it was held on the map")
    url = PageURLField()
    api_url = api_url("meeting")

    class Meta:
        model = Meeting
        fields = [
            "slug", "title", "kind", "kind_label", "status", "status_label", "status_as_of", "status_text",
            "start", "end", "dates", "city", "country", "location", "partners", "url", "api_url",
        ]  # fmt: skip


class MeetingDetailSerializer(SourcedSerializer, MeetingSerializer):
    partners = PartnerSummarySerializer(many=True, source="public_partners")
    participants = PersonSummarySerializer(many=True, source="public_participants")
    agreements = AgreementSummarySerializer(many=True, source="public_agreements")
    projects = ProjectSummarySerializer(many=True, source="public_projects")

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields, "participants", "participants_note", "agreements", "projects",
            "description", *SOURCED_FIELDS,
        ]  # fmt: skip


# Topics and sources ------------------------------------------------------------------------


class TopicSerializer(RecordSerializer):
    url = PageURLField()
    api_url = api_url("topic")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url", "api_url"]


class TopicDetailSerializer(SourcedSerializer, TopicSerializer):
    projects = ProjectSummarySerializer(many=True, source="public_projects")
    agreements = serializers.SerializerMethodField(
        help_text="Agreements on the topic and those its projects rest on, newest first."
    )
    partners = serializers.SerializerMethodField(help_text="The partners of its projects.")

    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "description", "projects", "agreements", "partners", *SOURCED_FIELDS]

    @extend_schema_field(AgreementSummarySerializer(many=True))
    def get_agreements(self, topic):
        return AgreementSummarySerializer(topic_context(topic)["agreements"], many=True, context=self.context).data

    @extend_schema_field(PartnerSummarySerializer(many=True))
    def get_partners(self, topic):
        return PartnerSummarySerializer(topic_context(topic)["partners"], many=True, context=self.context).data


class SourceSerializer(RecordSerializer):
    kind_label = label("get_kind_display")
    document_url = OptionalURLField(source="url", help_text="Where the document is published; null when not online.")
    file_url = serializers.SerializerMethodField(help_text="The registry's copy of the document, if it keeps one.")
    text_url = serializers.SerializerMethodField(
        help_text="The copy to read, its paragraphs numbered as citations count them (#paragraph-3); "
        "null unless the copy is plain text."
    )
    name = serializers.CharField(
        source="display_name",
        read_only=True,
        help_text="The name that tells the source apart: title (label), publisher, date.",
    )
    language_name = serializers.CharField(read_only=True, help_text="The language by its name, e.g. English.")
    url = PageURLField()
    api_url = api_url("source")

    class Meta:
        model = Source
        fields = [
            "slug", "title", "label", "name", "kind", "kind_label", "publisher", "date", "retrieved", "language",
            "language_name", "document_url", "file_url", "text_url", "url", "api_url",
        ]  # fmt: skip

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, source):
        return self.context["request"].build_absolute_uri(source.get_file_url()) if source.file else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_text_url(self, source):
        return self.context["request"].build_absolute_uri(source.get_text_url()) if source.has_text else None


class CitedBySerializer(serializers.Serializer):
    """The published records that cite a source or rest a claim on it, by kind."""

    partners = PartnerSummarySerializer(many=True)
    agreements = AgreementSummarySerializer(many=True)
    projects = ProjectSummarySerializer(many=True)
    meetings = MeetingSummarySerializer(many=True)
    offices = OfficeSummarySerializer(many=True)
    people = PersonSummarySerializer(many=True)
    topics = TopicSummarySerializer(many=True)


CITED_BY_KEYS = {
    Partner: "partners",
    Agreement: "agreements",
    Project: "projects",
    Meeting: "meetings",
    Office: "offices",
    Person: "people",
    Topic: "topics",
}


class SourceDetailSerializer(SourceSerializer):
    cited_by = serializers.SerializerMethodField()

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "description", "cited_by"]  # reference and notes: staff only

    @extend_schema_field(CitedBySerializer)
    def get_cited_by(self, source):
        cited_by = {key: [] for key in CITED_BY_KEYS.values()}
        for group in source_cited_by(source):
            for record in group.records:
                cited_by[CITED_BY_KEYS[type(record)]].append(record)
        return CitedBySerializer(cited_by, context=self.context).data


# Lists -------------------------------------------------------------------------------------


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True, source="visible_options")
