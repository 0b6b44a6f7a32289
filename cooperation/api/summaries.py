"""What a record's JSON says of other records: summaries of its published related records
(a foreign key to a draft is null), the sources it cites and what each says where sources
disagree, and a project's partners or a partner's projects with their roles."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.fields import PageURLField, RecordSerializer, api_url, label
from cooperation.core.citations import sources_context
from cooperation.models import Agreement, Citation, Claim, Project, ProjectPartner, Source, Topic
from cooperation.selectors import ROLE_ORDER
from events.models import Meeting
from partners.models import Office, Partner, Person

# Summaries of related records ----------------------------------------------------------------


class PartnerSummarySerializer(RecordSerializer):
    url = PageURLField()
    api_url = api_url("partner")

    class Meta:
        model = Partner
        fields = ["slug", "name", "acronym", "url", "api_url"]


class OfficeSummarySerializer(RecordSerializer):
    kind_label = label("get_kind_display")
    url = PageURLField()
    api_url = api_url("office")

    class Meta:
        model = Office
        fields = ["slug", "name", "kind", "kind_label", "city", "country", "opened", "closed", "url", "api_url"]


class PersonSummarySerializer(RecordSerializer):
    url = PageURLField()
    api_url = api_url("person")

    class Meta:
        model = Person
        fields = ["slug", "name", "url", "api_url"]


class TopicSummarySerializer(RecordSerializer):
    url = PageURLField()
    api_url = api_url("topic")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url", "api_url"]


class AgreementSummarySerializer(RecordSerializer):
    kind_label = label("get_kind_display")
    url = PageURLField()
    api_url = api_url("agreement")

    class Meta:
        model = Agreement
        fields = ["slug", "title", "short_title", "kind", "kind_label", "signed", "url", "api_url"]


class ProjectSummarySerializer(RecordSerializer):
    status_label = label("get_status_display")
    status_text = serializers.CharField(
        read_only=True, help_text="The status as the site says it, with the date it was reported as of."
    )
    url = PageURLField()
    api_url = api_url("project")

    class Meta:
        model = Project
        fields = [
            "slug", "title", "short_title", "phase", "status", "status_label", "status_as_of", "status_text",
            "start", "end", "url", "api_url",
        ]  # fmt: skip


class MeetingSummarySerializer(RecordSerializer):
    kind_label = label("get_kind_display")
    status_label = label("get_status_display")
    status_text = serializers.CharField(
        read_only=True, help_text="The status as the site says it, with the date it was reported as of."
    )
    url = PageURLField()
    api_url = api_url("meeting")

    class Meta:
        model = Meeting
        fields = [
            "slug", "title", "kind", "kind_label", "status", "status_label", "status_as_of", "status_text",
            "start", "end", "url", "api_url",
        ]  # fmt: skip


class SourceSummarySerializer(RecordSerializer):
    name = serializers.CharField(
        source="display_name",
        read_only=True,
        help_text="The name that tells the source apart: title (label), publisher, date.",
    )
    url = PageURLField()
    api_url = api_url("source")

    class Meta:
        model = Source
        fields = ["slug", "title", "label", "name", "publisher", "date", "url", "api_url"]


def published_or_none(serializer_class, record, context):
    """A related record's summary, or None when it is a draft (a foreign key may point at one)."""
    if record is None or not record.published:
        return None
    return serializer_class(record, context=context).data


# Citations and claims ----------------------------------------------------------------------


class CitationSerializer(serializers.ModelSerializer):
    source = SourceSummarySerializer()

    class Meta:
        model = Citation
        fields = ["source", "locator"]


class ClaimSerializer(RecordSerializer):
    # The reason is followed by its translations (reason_az, reason_ru), as a record's text is.
    field_label = serializers.CharField(help_text="The fact's name, e.g. “Signed”.")
    source = SourceSummarySerializer()

    class Meta:
        model = Claim
        fields = ["field", "field_label", "value", "source", "locator", "preferred", "reason"]
        extra_kwargs = {
            "field": {"help_text": "The fact the claim is about: a field of this record, e.g. signed."},
            "value": {"help_text": "The value as the source states it."},
            "locator": {"help_text": "Page, section or paragraph."},
            "preferred": {"help_text": "The value the record gives (the others are what other sources say)."},
            "reason": {"help_text": "Why the record gives this value (the preferred claim's only), or empty."},
        }


class SourcedSerializer(serializers.Serializer):
    # The sources a record cites, and what each says where sources disagree (published sources only).

    citations = CitationSerializer(many=True, source="public_citations")
    claims = serializers.SerializerMethodField()

    @extend_schema_field(ClaimSerializer(many=True))
    def get_claims(self, record):
        claims = []
        for group in sources_context(record)["claims"].values():
            for claim in group.claims:
                claim.field_label = group.label
                claims.append(claim)
        return ClaimSerializer(claims, many=True, context=self.context).data


SOURCED_FIELDS = ["citations", "claims"]


# Partners in projects, with their roles ------------------------------------------------------


class RoleSerializer(serializers.ModelSerializer):
    role_label = label("get_role_display")

    class Meta:
        model = ProjectPartner
        fields = ["role", "role_label"]


class PartnerRolesSerializer(serializers.Serializer):
    partner = PartnerSummarySerializer()
    roles = RoleSerializer(many=True)


class ProjectRolesSerializer(serializers.Serializer):
    project = ProjectSummarySerializer()
    roles = RoleSerializer(many=True)


def partners_with_roles(links, context):
    """A project's partner links, one entry a partner with its roles (implementing first)."""
    grouped = {}
    for link in sorted(links, key=lambda link: (ROLE_ORDER.index(link.role), link.partner.name.casefold())):
        grouped.setdefault(link.partner.pk, {"partner": link.partner, "roles": []})["roles"].append(link)
    return PartnerRolesSerializer(grouped.values(), many=True, context=context).data


def projects_with_roles(links, context):
    """A partner's project links, one entry a project with the partner's roles, newest first."""
    grouped = {}
    for link in sorted(links, key=lambda link: ROLE_ORDER.index(link.role)):
        grouped.setdefault(link.project.pk, {"project": link.project, "roles": []})["roles"].append(link)
    rows = sorted(
        grouped.values(),
        key=lambda row: (
            row["project"].start is None,
            -int(row["project"].start or 0),
            row["project"].title.casefold(),
        ),
    )
    return ProjectRolesSerializer(rows, many=True, context=context).data
