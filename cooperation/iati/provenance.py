"""Where imported records come from: the IATI file as a Source (one per file and publisher) that
every project and partner the import writes cites, at the activity ("iati-activity
XM-DAC-47066-DP.2154"); and the activity's document links as Sources the project cites."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from cooperation.core.partial_dates import PartialDate
from cooperation.iati import codelists
from cooperation.iati.data import Activity, Problem
from cooperation.iati.matching import free_slug
from cooperation.models import Citation, Project, Source
from partners.models import Partner


def file_source(activity: Activity, context) -> Source:
    """The Source standing for the IATI file the activity is read from (found or created as a
    draft), one per publisher of the file."""
    publisher = (activity.publisher_name or activity.publisher_ref)[:200]
    if publisher in context.file_sources:
        return context.file_sources[publisher]
    title = f"IATI activities: {context.file_name}"[:300]
    source = Source.objects.filter(title=title, publisher=publisher, label="", date=None).first()
    if source is None:
        source = Source(
            title=title,
            kind=Source.Kind.OTHER,
            publisher=publisher,
            url=context.url[:500],
            reference=context.file_name[:200],
            retrieved=PartialDate.from_date(datetime.date.today()),
            language="en",
            description=(
                f"IATI activity data published by {publisher or 'an IATI publisher'}"
                f"{' (' + activity.publisher_ref + ')' if activity.publisher_ref else ''} in the IATI Standard's "
                "XML, imported into the registry."
            ),
            notes=f"Imported with the IATI import ({context.reason}).",
            slug=free_slug(Source, title, publisher),
            published=False,
        )
        context.attribute(source)
        source.save()
    context.file_sources[publisher] = source
    return source


def _cite(obj, source: Source, locator: str, context) -> None:
    content_type = ContentType.objects.get_for_model(type(obj))
    if Citation.objects.filter(source=source, content_type=content_type, object_id=obj.pk, locator=locator).exists():
        return
    citation = Citation(source=source, content_type=content_type, object_id=obj.pk, locator=locator)
    context.attribute(citation)
    citation.save()


def locator(activity: Activity) -> str:
    return f"iati-activity {activity.identifier}"[:200]


def cite(project: Project, activity: Activity, context) -> Source:
    """The project cites the IATI file at its activity, and each document the activity links to
    (a Source found by its address, or created as a draft). Returns the file's Source."""
    source = file_source(activity, context)
    _cite(project, source, locator(activity), context)
    for document in activity.documents:
        document_source = _document_source(document, activity, context)
        if document_source is not None:
            _cite(project, document_source, "", context)
    return source


def cite_partner(partner_id: int, activity: Activity, context) -> None:
    """A partner the import created cites the file, at the activity that named it."""
    partner = Partner(pk=partner_id)
    _cite(partner, file_source(activity, context), f"participating-org of {locator(activity)}"[:200], context)


def _document_source(document, activity: Activity, context) -> Source | None:
    source = Source.objects.filter(url=document.url).order_by("pk").first()
    if source is not None:
        return source
    date = PartialDate.from_date(document.date) if document.date else None
    publisher = (activity.publisher_name or activity.publisher_ref)[:200]
    same = Source.objects.filter(title=document.title, publisher=publisher, label="", date=date).exists()
    source = Source(
        title=document.title,
        kind=codelists.DOCUMENT_KINDS.get(document.category, Source.Kind.OTHER),
        publisher=publisher,
        date=date,
        language=document.language or "en",
        url=document.url,
        label=activity.identifier[:100] if same else "",
        notes=(
            f"Linked from the IATI activity {activity.identifier} "
            f"({codelists.name_of('DocumentCategory', document.category) if document.category else 'no category'})."
        ),
        slug=free_slug(Source, document.title, activity.identifier),
        published=False,
    )
    try:
        source.full_clean(exclude=["slug"], validate_unique=False)
    except ValidationError as error:
        problem = " ".join(error.messages)
        activity.problems.append(Problem(activity.identifier, "document-link", document.line, f"Left out: {problem}"))
        return None
    context.attribute(source)
    source.save()
    return source
