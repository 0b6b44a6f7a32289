"""``?partner=iom&partner=unhcr``: a filter of published related records by slug, and its facet,
counted by the records' ids and named only for the options it shows (see filters.py for the
rest of a list's filters)."""

from typing import Any

from django.db.models import Count, ManyToManyField, Model, QuerySet

from cooperation.core.listing.facets import Facet, Option, by_label
from cooperation.core.listing.filters import FACET_OPTIONS, ListFilter
from cooperation.core.listing.notices import Notice, ignored, no_such
from cooperation.core.translation import localized_value, translation_columns_of


class RelatedFilter(ListFilter):
    """``?partner=iom&partner=unhcr``: published related records by slug (FK or many-to-many).

    An option is labelled with the record's ``label_field`` and also carries its other names
    (the model's other ``NAME_FIELDS``: a partner's acronym), which the find box matches."""

    def __init__(
        self, *args: Any, model: type[Model], label_field: str = "name", noun: str | None = None, **kwargs: Any
    ) -> None:
        self.related_model = model
        self.label_field = label_field
        # The model's other names, and the label's translations (the option shows the page's language).
        other_names = [*getattr(model, "NAME_FIELDS", ()), *translation_columns_of(model, label_field)]
        self.other_name_fields = tuple(dict.fromkeys(name for name in other_names if name != label_field))
        self.noun = noun or model._meta.verbose_name
        super().__init__(*args, **kwargs)

    def resolve(self, values: list[str]) -> tuple[list[Option], list[Notice]]:
        values, notices = self._too_many(values)
        found = {
            row["slug"]: row
            for row in self.related_model.objects.published()
            .filter(slug__in=values)
            .values("pk", "slug", self.label_field, *self.other_name_fields)
        }
        options = []
        for value in values:
            if value in found:
                row, label = found[value], localized_value(found[value].get, self.label_field)
                other_names = " ".join(filter(None, (row[name] for name in self.other_name_fields)))
                options.append(Option(value, label, selected=True, other_names=other_names))
                options[-1].pk = row["pk"]
            else:
                notices.append(Notice(None, no_such(self.noun, value), ignored()))
        return options, notices

    def apply(self, queryset: QuerySet, options: list[Option]) -> QuerySet:
        pks = [option.pk for option in options]
        field = queryset.model._meta.get_field(self.field_name)
        if isinstance(field, ManyToManyField):
            # The link table alone: ``id IN (SELECT project_id FROM links WHERE partner_id IN …)``,
            # one index probe a row, where going through the model's own table joined it again.
            through = field.remote_field.through
            inner = through._base_manager.filter(**{f"{field.m2m_reverse_field_name()}__in": pks})
            return queryset.filter(pk__in=inner.values(field.m2m_field_name()))
        if field.many_to_many:
            inner = queryset.model._base_manager.filter(**{f"{self.field_name}__in": pks}).values("pk")
            return queryset.filter(pk__in=inner)
        return queryset.filter(**{f"{self.field_name}__in": pks})

    def counts_distinct(self, model: type[Model]) -> bool:
        """A row can be linked to the same record twice only through a table of its own (a
        project's partner in two roles): only then must the count be of distinct rows, which
        costs a sort."""
        field = model._meta.get_field(self.field_name)
        return field.many_to_many and not field.remote_field.through._meta.auto_created

    def rows_of(self, queryset: QuerySet, prefix: str, count: Any) -> list[tuple[int, int]]:
        """[(pk, count)] of the published records ``prefix`` names on ``queryset``'s rows, grouped
        by their id, ``count`` an aggregate of each group; :meth:`named` names the ones a facet
        shows. Grouped by their names too, the 8,772 partners of the projects' count table took
        42-54 ms to count and make rows of, by id 16 ms, and naming 25 of them 3 ms."""
        rows = queryset.order_by().filter(**{f"{prefix}__published": True}).values_list(prefix).annotate(count=count)
        return list(rows)

    def counts(self, queryset: QuerySet) -> list[tuple[int, int]]:
        return self.rows_of(queryset, self.field_name, Count("pk", distinct=self.counts_distinct(queryset.model)))

    # Rows are named by their ids in one query (``pk IN (…)``); more than this many (a facet
    # shown whole, ``?all=partner``), from every record's names, read without a list of ids.
    NAMED_BY_ID = 500

    def named(self, rows: list[tuple[int, int]]) -> list[dict]:
        """``rows`` — [(pk, count)] — as [{"slug", label field, other names…, "count"}], the
        records' names read in one query (none without rows). A record deleted since it was
        counted is left out."""
        if not rows:
            return []
        names = ["slug", self.label_field, *self.other_name_fields]
        records = self.related_model._base_manager.order_by().values("pk", *names)
        if len(rows) <= self.NAMED_BY_ID:
            records = records.filter(pk__in=[pk for pk, _count in rows])
        found = {record.pop("pk"): record for record in records}
        return [{**found[pk], "count": count} for pk, count in rows if pk in found]

    def facet(
        self, name: str, queryset: QuerySet, selected: list[Option], complete: bool = False, counts: Any = None
    ) -> Facet:
        """As ListFilter.facet, but only the rows that can be among the FACET_OPTIONS with the
        most (every row with more than the last one's count, every row tied with it) and the
        selected are named and become options: naming and ordering ten thousand partners to
        show 25 cost more than counting them."""
        rows = self.counts(queryset) if counts is None else counts
        total = sum(1 for _pk, count in rows if count)
        if not complete and total > FACET_OPTIONS:
            least = sorted((count for _pk, count in rows), reverse=True)[FACET_OPTIONS - 1]
            chosen = {getattr(option, "pk", None) for option in selected}
            rows = [(pk, count) for pk, count in rows if count >= least or pk in chosen]
        return self.facet_of(name, self.counted_options(self.named(rows), selected), complete, total)

    def facet_options(self, queryset: QuerySet, selected: list[Option]) -> list[Option]:
        return self.counted_options(self.named(self.counts(queryset)), selected)

    def counted_options(self, counts: list[dict], selected: list[Option]) -> list[Option]:
        chosen = {option.value for option in selected}
        options = [
            Option(
                row["slug"],
                localized_value(row.get, self.label_field),
                row["count"],
                row["slug"] in chosen,
                " ".join(filter(None, (row[name] for name in self.other_name_fields))),
            )
            for row in counts
        ]
        seen = {option.value for option in options}
        options += [Option(o.value, o.label, 0, True, o.other_names) for o in selected if o.value not in seen]
        return by_label(options)
