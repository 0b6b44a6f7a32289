"""The columns that name related records by their slugs: a foreign key (a partner's parent
body), and the many-valued ones: many-to-many links, a project's partners with their roles, the
sources a record cites.

An export leaves out draft records, so these columns keep a record's links to drafts: a file
can add a link to a draft or keep it, but not remove it (that is done in the record's form).
The related records a file names, and the current links of every record in it, are read in
bulk, one query per ``SLUG_CHUNK`` slugs or records.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from cooperation.action_cells import cell_of, parse_cell
from cooperation.core.exports import SEPARATOR
from cooperation.imports.columns import (
    Date,
    EdtfDate,
    Reader,
    WrittenDate,
    agrees,
    precision_agrees,
    precision_of,
    shorten,
    shown,
    split_many,
)
from cooperation.models import AgreementAction, Citation, ProjectPartner, Source
from cooperation.models.actions import action_errors, deferred_summary, summary_dates, summary_errors
from cooperation.models.places import fill_location
from partners.models import Partner

SLUG_CHUNK = 500  # slugs per "slug IN (…)" query


def chunks(values, size=SLUG_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class Link:
    """A related record as a relation column sees it."""

    pk: int | None
    slug: str
    published: bool


class ForeignKey(Reader):
    """A foreign key to a record, by its slug. An empty cell keeps a link to a draft (an export
    writes nothing for a draft): see the module docstring."""

    def bind(self, model):
        super().bind(model)
        self.targets = self.model_field.related_model
        return self

    def slugs(self, text):
        text = text.strip()
        return [text] if text else []

    def parse(self, text, context):
        text = text.strip()
        if not text:
            return None
        context.require(self.targets, [text])
        return text

    def current(self, obj, context):
        target = getattr(obj, self.field)
        # A place has no published flag: it is always public.
        return None if target is None else Link(target.pk, target.slug, getattr(target, "published", True))

    def same(self, old, new):
        if new is None:
            return old is None or not old.published
        return old is not None and old.slug == new

    def show(self, value):
        if value is None:
            return "(empty)"
        return value.slug if isinstance(value, Link) else value

    def fingerprint(self, value):
        return self.show(value)

    def assign(self, obj, value):
        # ``value`` is resolved to an instance by the plan (it may be a record this file creates).
        setattr(obj, self.field, value)

    def accepted(self):
        return f"The slug of an existing {self.targets._meta.verbose_name}, or empty."


class Relation(Reader):
    """A many-valued column of slugs naming related records; the current links of every record
    in the file are read in one query (``preload``)."""

    relation = True

    def slugs(self, text):
        return [self.split_item(item)[0] for item in split_many(text)]

    def split_item(self, item):
        return item, None

    def parse(self, text, context):
        keys, seen = [], set()
        for item in split_many(text):
            slug, extra = self.split_item(item)
            key = (slug, extra)
            if key in seen:
                raise ValidationError(gettext("“%(item)s” is listed twice.") % {"item": item})
            seen.add(key)
            keys.append(key)
        context.require(self.targets, [slug for slug, _ in keys])
        return [self.key(context.link(self.targets, slug), extra) for slug, extra in keys]

    def key(self, link, extra):
        return link.pk

    def item_text(self, key, link):
        return link.slug

    def preload(self, objs, context):
        """{record pk: {key: Link}} for the records in the file."""
        raise NotImplementedError

    def current(self, obj, context):
        return context.links[self.column].get(obj.pk, {}) if obj.pk else {}

    def wanted(self, old, new, context):
        """The keys the record will hold: the file's, plus its links to drafts (kept)."""
        return set(new) | {key for key, link in old.items() if not link.published}

    def pk_of(self, key):
        return key

    def texts(self, keys, old, context):
        """The keys as the column writes them (slugs, or slug:role), sorted."""
        return sorted(
            self.item_text(key, old.get(key) or context.link_by_pk(self.targets, self.pk_of(key))) for key in keys
        )

    def describe(self, old, wanted, context):
        added = self.texts(wanted - set(old), old, context)
        removed = self.texts(set(old) - wanted, old, context)
        parts = [*(f"+ {text}" for text in added), *(f"− {text}" for text in removed)]
        return "; ".join(parts)

    def accepted(self):
        return (
            f"Slugs of existing {self.targets._meta.verbose_name_plural}, separated by “{SEPARATOR.strip()}”. "
            "Links to drafts (which exports leave out) are kept."
        )

    def save(self, obj, wanted, context):
        raise NotImplementedError


class ManyToMany(Relation):
    def bind(self, model):
        super().bind(model)
        self.targets = self.model_field.related_model
        self.through = self.model_field.remote_field.through
        self.source_name = self.model_field.m2m_field_name()
        self.target_name = self.model_field.m2m_reverse_field_name()
        return self

    def preload(self, objs, context):
        links = {}
        pks = [obj.pk for obj in objs]
        for chunk in chunks(pks):
            rows = (
                self.through._default_manager.filter(**{f"{self.source_name}__in": chunk})
                .order_by()
                .values_list(
                    f"{self.source_name}_id",
                    f"{self.target_name}_id",
                    f"{self.target_name}__slug",
                    f"{self.target_name}__published",
                )
            )
            for record, target, slug, published in rows:
                links.setdefault(record, {})[target] = Link(target, slug, published)
        return links

    def save(self, obj, wanted, context):
        getattr(obj, self.field).set(sorted(wanted))


class ProjectPartners(Relation):
    """A project's partners with their roles, ``slug:role`` (“iom:implementing”)."""

    def bind(self, model):
        self.field, self.model = "partners", model
        self.model_field = model._meta.get_field("partners")
        self.targets = Partner
        self.roles = dict(ProjectPartner.Role.choices)
        self.role_by_text = {}
        for code, label in ProjectPartner.Role.choices:
            self.role_by_text[code.casefold()] = code
            self.role_by_text[str(label).casefold()] = code
        return self

    def split_item(self, item):
        slug, colon, role = item.rpartition(":")
        if not colon:
            return item, None
        role = role.strip()
        return slug.strip(), self.role_by_text.get(role.casefold(), role)

    def parse(self, text, context):
        for item in split_many(text):
            slug, role = self.split_item(item)
            if role is None:
                raise ValidationError(
                    gettext("“%(item)s” has no role: write slug:role, e.g. %(example)s (roles: %(roles)s).")
                    % {"item": shorten(item), "example": f"{item}:implementing", "roles": ", ".join(self.roles)}
                )
            if role.casefold() not in self.role_by_text:
                raise ValidationError(
                    gettext("“%(role)s” is not a role: use %(roles)s.")
                    % {"role": shorten(role), "roles": ", ".join(self.roles)}
                )
        return super().parse(text, context)

    def key(self, link, role):
        return (link.pk, role)

    def pk_of(self, key):
        return key[0]

    def item_text(self, key, link):
        return f"{link.slug}:{key[1]}"

    def preload(self, objs, context):
        links = {}
        for chunk in chunks([obj.pk for obj in objs]):
            rows = (
                ProjectPartner.objects.filter(project__in=chunk)
                .order_by()
                .values_list("project_id", "partner_id", "partner__slug", "partner__published", "role")
            )
            for project, partner, slug, published, role in rows:
                links.setdefault(project, {})[(partner, role)] = Link(partner, slug, published)
        return links

    def save(self, obj, wanted, context):
        old = self.current(obj, context)
        removed = set(old) - wanted
        if removed:
            stale = [
                role.pk
                for role in ProjectPartner.objects.filter(project=obj)
                if (role.partner_id, role.role) in removed
            ]
            ProjectPartner.objects.filter(pk__in=stale).delete()
        for partner, role in sorted(wanted - set(old)):
            link = ProjectPartner(project=obj, partner_id=partner, role=role)
            context.attribute(link)
            link.save()

    def accepted(self):
        return (
            f"Partners with their role as slug:role, separated by “{SEPARATOR.strip()}”: "
            f"iom:implementing; eu:funding. Roles: {', '.join(self.roles)}. Links to draft partners are kept."
        )


class Citations(Relation):
    """The sources a record cites, by slug. A source already cited keeps its citations (with
    their page or section); a new one is cited without a page; one left out stops being cited."""

    def bind(self, model):
        self.model, self.field = model, "citations"
        self.model_field = None
        self.targets = Source
        return self

    @property
    def required(self):
        return False

    def preload(self, objs, context):
        links = {}
        content_type = ContentType.objects.get_for_model(self.model)
        for chunk in chunks([obj.pk for obj in objs]):
            rows = (
                Citation.objects.filter(content_type=content_type, object_id__in=chunk)
                .order_by()
                .values_list("object_id", "source_id", "source__slug", "source__published")
            )
            for record, source, slug, published in rows:
                links.setdefault(record, {})[source] = Link(source, slug, published)
        return links

    def save(self, obj, wanted, context):
        content_type = ContentType.objects.get_for_model(self.model)
        cited = Citation.objects.filter(content_type=content_type, object_id=obj.pk)
        old = set(cited.values_list("source_id", flat=True))
        if old - wanted:
            cited.filter(source__in=old - wanted).delete()
        for source in sorted(wanted - old):
            citation = Citation(source_id=source, content_type=content_type, object_id=obj.pk)
            context.attribute(citation)
            citation.save()

    def accepted(self):
        return (
            f"Slugs of existing sources, separated by “{SEPARATOR.strip()}”. A source already cited keeps its "
            "page or section; citations of draft sources are kept."
        )


class AgreementActions(Relation):
    """An agreement's actions, one cell (cooperation/action_cells.py): an action the file lists
    as the agreement holds it is kept as it is, with its sources; one it no longer lists is
    deleted; a new one is added. Actions of draft parties (which exports leave out) are kept."""

    def bind(self, model):
        self.model, self.field = model, "actions"
        self.model_field = None
        self.targets = Partner
        return self

    @property
    def required(self):
        return False

    def slugs(self, text):
        try:
            return [cell.party for cell in parse_cell(text) if cell.party]
        except ValidationError:
            return []  # parse() says what is wrong

    def parse(self, text, context):
        cells = parse_cell(text)
        if len(set(cells)) != len(cells):
            raise ValidationError(gettext("An action is listed twice."))
        context.require(Partner, [cell.party for cell in cells if cell.party])
        problems = summary_errors([self.unsaved(cell, context) for cell in cells])
        for action, _field, message in action_errors([self.unsaved(cell, context) for cell in cells]):
            problems.insert(0, f"{cell_of(action).text()}: {message}")
        if problems:
            raise ValidationError(problems[0])
        return cells

    def unsaved(self, cell, context, agreement=None):
        party = context.link(Partner, cell.party) if cell.party else None
        return AgreementAction(
            agreement=agreement,
            kind=cell.kind,
            date=cell.date,
            party_id=party.pk if party else None,
            place=cell.place,
            act=cell.act,
            note=cell.note,
            ordering=cell.order,
        )

    def preload(self, objs, context):
        links = {}
        for chunk in chunks([obj.pk for obj in objs]):
            for action in AgreementAction.objects.filter(agreement__in=chunk).select_related("party").order_by():
                party = action.party
                link = Link(party.pk, party.slug, party.published) if party else Link(None, "", True)
                links.setdefault(action.agreement_id, {})[cell_of(action)] = link
        return links

    def wanted(self, old, new, context):
        return set(new) | {key for key, link in old.items() if not link.published}

    def summary(self, cells, context):
        """The agreement's summary dates (``summary_dates``) once its actions are ``cells``."""
        pks = {link.slug: link.pk for link in context.pks.get(Partner, {}).values()}
        return summary_dates(
            [
                AgreementAction(
                    kind=cell.kind, date=cell.date, party_id=pks.get(cell.party), place=cell.place, ordering=cell.order
                )
                for cell in cells
            ]
        )

    def texts(self, keys, old, context):
        return sorted(cell.text() for cell in keys)

    def describe(self, old, wanted, context):
        added = self.texts(wanted - set(old), old, context)
        removed = self.texts(set(old) - wanted, old, context)
        return "; ".join([*(f"+ {text}" for text in added), *(f"− {text}" for text in removed)])

    def save(self, obj, wanted, context):
        with deferred_summary():
            for action in AgreementAction.objects.filter(agreement=obj).select_related("party"):
                if cell_of(action) not in wanted:
                    action.delete()
            kept = {cell_of(action) for action in AgreementAction.objects.filter(agreement=obj).select_related("party")}
            for cell in sorted(wanted - kept, key=lambda cell: cell.text()):
                action = self.unsaved(cell, context, agreement=obj)
                fill_location(action, "place")  # the cell names no place on the map: its words do
                context.attribute(action)
                action.save()

    def accepted(self):
        return (
            "Actions separated by “; ”, each kind | date | party=slug | place=… | act=… | note=…: "
            "signature | 2016-12-08 | place=Geneva; approval | 2017-02-23 | party=sms. An action no longer "
            "listed is deleted; actions of draft parties are kept."
        )


class SummaryDates:
    """An agreement's date columns (``signed``, ``signed_iso``, ``signed_edtf``, its precision, and
    ``signed_place``): the summary of its actions, so not read; a row whose cell gives another
    value than the record's, or than the row's own ``actions`` cell gives, is an error saying to
    edit the actions instead (an edited cell would otherwise be silently ignored)."""

    def __init__(self, name):
        self.name = name
        self.readers = (WrittenDate(name), Date(f"{name}_iso", name), EdtfDate(f"{name}_edtf", name))
        self.place = "signed_place" if name == "signed" else None
        self.columns = (*(reader.column for reader in self.readers), f"{name}_precision", *filter(None, [self.place]))

    def check(self, row, context):
        obj = row.instance
        fields = [self.name, *filter(None, [self.place])]
        summaries = [{name: getattr(obj, name) for name in fields}] if row.existing else []
        for reader, wanted in row.relations:
            if isinstance(reader, AgreementActions):
                summaries.append(reader.summary(wanted, context))
        if not summaries:
            summaries.append({self.name: None, self.place: ""})  # a new agreement without actions
        dates = [summary[self.name] for summary in summaries]
        text = row.cells.get(self.place)
        places = [" ".join(summary[self.place].split()) for summary in summaries] if self.place else []
        if text is not None and not row.failed("actions") and " ".join(text.split()) not in places:
            self.refuse(row, self.place, text, f"the actions give {shown(places[-1])}")
        for reader in self.readers:
            text = row.cells.get(reader.column)
            if text is None or row.failed("actions"):
                continue
            try:
                value = reader.parse(text, context)
            except ValidationError:
                value = False  # not a date: it was changed
            if value is not False and any(agrees(reader, value, date) for date in dates):
                continue
            date = dates[-1]
            now = f"the actions give {reader.show(date)}" if date is not None else "the actions give no date"
            self.refuse(row, reader.column, text, now)
        column = f"{self.name}_precision"
        text = row.cells.get(column)
        if text is not None and not row.failed("actions") and not any(precision_agrees(text, d) for d in dates):
            date = dates[-1]
            self.refuse(row, column, text, f"the actions give {precision_of(date)}")

    def refuse(self, row, column, text, now):
        row.error(
            column,
            f"{column} is worked out from the actions cell, so it cannot be changed here: the file has "
            f"“{shorten(text)}”, {now}. Edit the actions cell instead (e.g. “{ACTION_EXAMPLES[self.name]}”), "
            f"or leave {column} as it was.",
        )


ACTION_EXAMPLES = {
    "signed": "signature | 2017-02-23",
    "ratified": "ratification | 2017-02-23",
    "in_force": "entry-into-force | 2017-02-23",
    "ended": "termination | 2017-02-23",
}
