from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.utils import make_template_fragment_key
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy, ngettext_lazy

from cooperation.core.cache import written_since_read
from cooperation.core.detail import RecordDetailView
from cooperation.core.listing.views import FilteredListView, ListTexts
from cooperation.pictures import figures
from cooperation.pictures.lists import ListMapMixin
from partners import maps, selectors, structured_data
from partners.exports import OFFICES, PARTNERS, PEOPLE
from partners.filters import (
    OFFICE_SORTS,
    PARTNER_SORTS,
    PERSON_SORTS,
    OfficeFilterSet,
    PartnerFilterSet,
    PersonFilterSet,
)
from partners.models import Office, Partner, Person


class PartnerListView(FilteredListView):
    model = Partner
    filterset_class = PartnerFilterSet
    template_name = "partners/partner_list.html"
    row_template = "partners/partner_row.html"
    texts = ListTexts(
        none=gettext_lazy("No partners match these filters."),
        filter_form=gettext_lazy("Filter partners"),
        fewer=ngettext_lazy("And %(more)s more with fewer partners.", "And %(more)s more with fewer partners.", "more"),
        most=gettext_lazy("Show only those with the most partners"),
    )
    counted = ngettext_lazy("%(count)s partner", "%(count)s partners", "count")
    description = gettext_lazy(
        "International organisations, states, their agencies and dialogue processes that {country} "
        "cooperates with on migration."
    )
    sort_options = PARTNER_SORTS
    export_spec = PARTNERS
    api_url_name = "api:partner-list"

    def get_base_queryset(self):
        return selectors.partner_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        total = context["result_count"]
        chart = figures.rendered(
            "partners",
            [*self.filterset.cache_parts(), total],
            lambda: figures.partners_figure(selectors.partners_by_activity(self.filterset), total),
        )
        return {**context, "list_chart": chart}


class PartnerDetailView(RecordDetailView):
    model = Partner
    template_name = "partners/partner_detail.html"
    selector = staticmethod(selectors.partner_get)
    record_context = staticmethod(selectors.partner_context)
    kept = staticmethod(selectors.partner_kept)  # cached without the relations only its fragment shows
    structured_data = staticmethod(structured_data.partner_structured_data)

    mixed_fragment = ""  # the key of a relations fragment read across a write (read_relations)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not selectors.has_relations(self.object):
            # As the cache keeps it: its relations read if its fragment is not cached.
            context["relations"] = SimpleLazyObject(self.read_relations)
        return {**context, "place_map": maps.partner_map(self.object)}

    def read_relations(self) -> dict:
        """The relations fragment's context, its relations read now, for a page whose cached
        record leaves them out (selectors.partner_kept) and whose fragment is gone."""
        partner = self.object
        selectors.attach_partner_relations(partner)
        if written_since_read():
            # What was read may mix data from before and after the write: this request's alone,
            # not kept under the versions it read (its fragment's key, as the template's tag makes it).
            parts = [partner.pk, self.record_version, translation.get_language()]
            self.mixed_fragment = make_template_fragment_key("partner-relations", parts)
        return selectors.relations_context(partner)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.add_post_render_callback(self.forget_mixed_fragment)
        return response

    def forget_mixed_fragment(self, response):
        """After rendering, which stored the fragment (a template error after it leaves it, for
        the requests that read the same versions before the write: at most an hour)."""
        if self.mixed_fragment:
            fragment_cache().delete(self.mixed_fragment)


def fragment_cache():
    """The cache the template's ``{% cache %}`` tag keeps fragments in, as the tag chooses it."""
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:
        return caches["default"]


class OfficeListView(ListMapMixin, FilteredListView):
    model = Office
    map_kind, map_date = "office", "opened"
    map_heading = gettext_lazy("Where the offices are")
    filterset_class = OfficeFilterSet
    template_name = "partners/office_list.html"
    row_template = "partners/office_row.html"
    texts = ListTexts(
        none=gettext_lazy("No offices match these filters."),
        filter_form=gettext_lazy("Filter offices"),
        fewer=ngettext_lazy("And %(more)s more with fewer offices.", "And %(more)s more with fewer offices.", "more"),
        most=gettext_lazy("Show only those with the most offices"),
    )
    counted = ngettext_lazy("%(count)s office", "%(count)s offices", "count")
    description = gettext_lazy("Where partners keep offices, with the years they opened and closed.")
    sort_options = OFFICE_SORTS
    export_spec = OFFICES
    api_url_name = "api:office-list"

    def get_base_queryset(self):
        return selectors.office_list()


class OfficeDetailView(RecordDetailView):
    model = Office
    template_name = "partners/office_detail.html"
    selector = staticmethod(selectors.office_get)
    record_context = staticmethod(selectors.office_context)


class PersonListView(FilteredListView):
    model = Person
    filterset_class = PersonFilterSet
    template_name = "partners/person_list.html"
    row_template = "partners/person_row.html"
    texts = ListTexts(
        none=gettext_lazy("No people match these filters."),
        filter_form=gettext_lazy("Filter people"),
        fewer=ngettext_lazy("And %(more)s more with fewer people.", "And %(more)s more with fewer people.", "more"),
        most=gettext_lazy("Show only those with the most people"),
    )
    counted = ngettext_lazy("%(count)s person", "%(count)s people", "count")
    api_url_name = "api:person-list"
    description = gettext_lazy("Officials of the partners and of {country}'s institutions, with the posts they held.")
    sort_options = PERSON_SORTS
    export_spec = PEOPLE

    def get_base_queryset(self):
        return selectors.person_list()


class PersonDetailView(RecordDetailView):
    model = Person
    template_name = "partners/person_detail.html"
    selector = staticmethod(selectors.person_get)
    record_context = staticmethod(selectors.person_context)
