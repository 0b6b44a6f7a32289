"""The columns of the agreement, project, topic and source lists' exports (``?format=csv``, ``?format=json``),
declared once: the writers, the admin import and docs/data-format.md read them
(see cooperation/core/exports.py)."""

from operator import attrgetter

from django.db.models import F, OuterRef, Q, Subquery

from cooperation.action_cells import cell_of
from cooperation.core.export_lines import StoredLines
from cooperation.core.export_rows import key_in
from cooperation.core.exports import (
    CITATIONS,
    DERIVED,
    PLACE_FIELDS,
    Column,
    ExportSpec,
    Related,
    choice,
    columns,
    countries_columns,
    location_columns,
    partial_date,
    period,
    related_many,
    remembered,
    slug_column,
    sources,
    text,
    url_column,
)
from cooperation.core.money import Amounts
from cooperation.core.reported import STATUS_AS_OF_COLUMN
from cooperation.models import (
    Agreement,
    AgreementAction,
    Budget,
    Citation,
    Project,
    ProjectPartner,
    Source,
    Topic,
    TransactionKind,
    TransactionTotal,
)
from cooperation.models.actions import SIGNATURES
from cooperation.models.money import effective_budgets
from partners.models import Partner


def project_partners():
    """A project's partners with their roles: "IOM (implementing)" and "iom:implementing"."""

    def roles(record):
        return record.export_project_partners

    return [
        Column(
            "partners",
            "Partners with their role in the project: “IOM (implementing); EU (funding)”.",
            lambda record, context: [remembered(role, "_export_name", str) for role in roles(record)],
            many=True,
            use=DERIVED,
        ),
        Column(
            "partner_slugs",
            "The same partners as slug:role, in the same order: “iom:implementing; eu:funding”; "
            "roles are implementing, funding, beneficiary or other.",
            lambda record, context: [f"{role.partner.slug}:{role.role}" for role in roles(record)],
            many=True,
        ),
    ]


class AgreementActions(Related):
    """An agreement's actions with their party's slug: those of every party or of a published one
    (an action of a draft party is left out, and the import keeps it)."""

    def rows(self, model, pks):
        field = model._meta.get_field(self.lookup)
        queryset = key_in(field.related_model._default_manager.all(), "agreement", pks)
        return queryset.filter(Q(party__isnull=True) | Q(party__published=True)), "agreement"


def agreement_actions():
    return Column(
        "actions",
        "Its actions in date order, “; ” between them: kind | date (ISO 8601) | party=slug | place=… | act=… "
        "| note=…, e.g. “signature | 2016-12-08 | place=Geneva; approval | 2017-02-23 | party=sms | "
        "act=Presidential Decree of 23 February 2017”. Kinds: signature, definitive-signature, ratification, "
        "acceptance, approval, accession, succession, provisional-application, entry-into-force, denunciation, "
        "termination. The date columns before it are their summary.",
        lambda record, context: [cell_of(action).text() for action in record.export_actions],
        many=True,
    )


class ProjectMoney(Related):
    """A project's budgets or transaction totals (rows of its own, no published flag)."""

    def rows(self, model, pks):
        field = model._meta.get_field(self.lookup)
        return key_in(field.related_model._default_manager.all(), "project", pks), "project"


def money_amount(amount, currency):
    return f"{amount:.2f} {currency}"


def project_money():
    """A project's money, for reading: the import leaves it as it is (staff edit it in the admin,
    the IATI import fills it)."""

    def budget_cell(budget):
        cell = (
            f"{budget.kind} | {budget.status} | {budget.period_start.isoformat()}/{budget.period_end.isoformat()} "
            f"| {money_amount(budget.amount, budget.currency)}"
        )
        return cell + (f" | value_date={budget.value_date.isoformat()}" if budget.value_date else "")

    def totals(record, context):
        amounts = Amounts()
        for budget in effective_budgets(record.export_budgets):
            amounts.add(budget.currency, budget.amount)
        return [money_amount(amount, currency) for currency, amount in amounts]

    return [
        Column(
            "budget_total",
            "Its budget, a total a currency (never converted): “1200000.00 EUR; 50000.00 USD”. A revised budget "
            "replaces the original one for the same period.",
            totals,
            many=True,
            use=DERIVED,
        ),
        Column(
            "budgets",
            "Its budgets: kind (original, revised) | status (indicative, committed) | period (ISO 8601 start/end) "
            "| amount currency | value_date=…, e.g. “original | committed | 2020-01-01/2020-12-31 | "
            "1200000.00 EUR”. For reading: edit budgets in the admin.",
            lambda record, context: [budget_cell(budget) for budget in record.export_budgets],
            many=True,
            use=DERIVED,
        ),
        Column(
            "transactions",
            "Its transactions summed a year, kind and currency: year | kind | amount currency | count, e.g. "
            "“2020 | disbursement | 50000.00 EUR | 3”. Kinds: "
            + ", ".join(TransactionKind.values)
            + ". For reading: edit them in the admin.",
            lambda record, context: [
                f"{t.year} | {t.kind} | {money_amount(t.amount, t.currency)} | {t.count}"
                for t in record.export_transaction_totals
            ],
            many=True,
            use=DERIVED,
        ),
    ]


def signed_location_annotations():
    """The place of the first signature that has one (its actions' order), read with the row."""
    signatures = AgreementAction.objects.filter(
        agreement=OuterRef("pk"), kind__in=SIGNATURES, location__isnull=False
    ).order_by(F("date").asc(nulls_last=True), "ordering", "pk")
    return {
        f"export_signed_location_{part}": Subquery(signatures.values(f"location__{part}")[:1]) for part in PLACE_FIELDS
    }


def summary_date(name, what):
    """The summary columns the actions give: for reading, not read back (``actions`` is)."""
    return [Column(column.name, column.description, column.get, use=DERIVED) for column in partial_date(name, what)]


AGREEMENTS = ExportSpec(
    name="agreements",
    model=Agreement,
    path="/agreements/",
    columns=columns(
        slug_column("agreement"),
        text("title", "The agreement's full title."),
        text("short_title", "How people usually refer to it."),
        choice("kind", "Cooperation agreement, Memorandum of understanding, Readmission agreement …"),
        Column(
            "status",
            "The latest stage its actions have reached today: Signed; Ratified, approved or acceded to; In force; "
            "Ended; or Dates not recorded.",
            lambda record, context: record.status_label,
            use=DERIVED,
        ),
        related_many("parties", "The partners that are parties to it", "party_slugs", label=attrgetter("short_name")),
        related_many("topics", "Its topics", "topic_slugs", label=lambda topic: topic.name),
        summary_date("signed", "Date of the first signature"),
        text("signed_place", "Where the first signature took place.", use=DERIVED),
        location_columns("Where the first signature took place, on the map", "signed_location", use=DERIVED),
        summary_date("ratified", "Date of the first consent to be bound (ratification, approval, accession …)"),
        summary_date("in_force", "Date of the first entry into force"),
        summary_date("ended", "Date of the termination"),
        agreement_actions(),
        text("legal_summary", "Legal notes: the ratifying act, decree, reservations, what ended it, in plain words."),
        text("description", "What the registry says of it."),
        sources(),
        url_column("agreement"),
    ),
    related=(
        Related("parties", ("slug", *Partner.NAME_FIELDS)),
        Related("topics", ("slug", "name")),
        AgreementActions("actions", ("kind", "date", "place", "act", "note", "ordering", "party__slug")),
        CITATIONS,
    ),
    annotations=signed_location_annotations(),
)

PROJECTS = ExportSpec(
    name="projects",
    model=Project,
    path="/projects/",
    columns=columns(
        slug_column("project"),
        text("title", "The project's full title."),
        text("short_title", "Its acronym or short name (UNIMIG)."),
        text("phase", "Its phase (Phase III)."),
        choice(
            "status", "Planned, Ongoing, Completed or Not known, as a source reported it on the date in status_as_of."
        ),
        partial_date("status_as_of", STATUS_AS_OF_COLUMN),
        period("The period as written: “2006–2008”, “March 2014”."),
        partial_date("start", "Start date"),
        partial_date("end", "End date"),
        partial_date("planned_start", "Planned start date (where a source, such as an IATI activity, gives the plan)"),
        partial_date("planned_end", "Planned end date"),
        countries_columns(
            "recipient_countries", "recipient_country_codes", "The countries it is for (its recipient countries)"
        ),
        project_partners(),
        related_many("topics", "Its topics", "topic_slugs", label=lambda topic: topic.name),
        related_many("agreements", "The agreements it is based on", "agreement_slugs"),
        project_money(),
        text("description", "What the registry says of it."),
        sources(),
        url_column("project"),
    ),
    related=(
        Related(
            "project_partners",
            only=("role", *(f"partner__{name}" for name in ("slug", *Partner.NAME_FIELDS))),
            published="partner__published",
        ),
        Related("topics", ("slug", "name")),
        Related("agreements", ("slug", *Agreement.NAME_FIELDS)),
        ProjectMoney("budgets", ("kind", "status", "period_start", "period_end", "amount", "currency", "value_date")),
        ProjectMoney("transaction_totals", ("year", "kind", "amount", "currency", "count")),
        CITATIONS,
    ),
    # Its CSV lines kept in the database (cooperation/core/export_lines.py): every model a line
    # shows, by the path from a project to it.
    stored=StoredLines(
        reads={
            Project: "pk",
            ProjectPartner: "project_partners",
            Partner: "project_partners__partner",
            Topic: "topics",
            Agreement: "agreements",
            Budget: "budgets",
            TransactionTotal: "transaction_totals",
            Citation: "citations",
            Source: "citations__source",
        }
    ),
)

# The exports whose CSV lines are kept (their receivers are connected in CooperationConfig.ready).
STORED_LINES = (PROJECTS,)


def derived_count(name, description):
    """A number the list computes (an annotation of its rows): for reading, never imported."""
    return Column(name, description, lambda record, context: getattr(record, name), use=DERIVED)


TOPICS = ExportSpec(
    name="topics",
    model=Topic,
    path="/topics/",
    columns=columns(
        slug_column("topic"),
        text("name", "The topic's name."),
        text("description", "What the registry says of it."),
        derived_count("project_count", "How many published projects are on the topic."),
        derived_count("agreement_count", "How many published agreements are on the topic."),
        sources(),
        url_column("topic"),
    ),
    related=(CITATIONS,),
)


def source_copy():
    """The address of the registry's copy of a source (its file), if it keeps one."""

    def get(record, context):
        return f"{context.base_url}{record.get_file_url()}" if record.file else None

    return Column(
        "copy",
        "The registry's copy of the document, to download; empty if it keeps none.",
        get,
        use=DERIVED,
        per_request=True,
    )


SOURCES = ExportSpec(
    name="sources",
    model=Source,
    path="/sources/",
    columns=columns(
        slug_column("source"),
        text("title", "The document's title."),
        text("label", "What tells it apart from other sources with the same title (“overview to 2008”)."),
        choice("kind", "Web page, Press release, Legal text, Report or Other."),
        text("publisher", "Who published it; empty if the document does not say."),
        partial_date("date", "Date published"),
        text("language", "Its language, as an ISO 639-1 code (en, az, ru)."),
        partial_date("retrieved", "Date the registry's copy was taken"),
        Column(
            "address",
            "Where the document is published (its original address); empty if it is not online.",
            lambda record, context: record.url,
        ),
        source_copy(),
        text("description", "What the document is, for a reader."),
        url_column("source"),
    ),
)
