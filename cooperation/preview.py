"""The staff preview of a draft's public page: ``/preview/<kind>/<slug>/``.

Staff check a draft where the public will read it before they publish it: the preview is the
record's real public page (the same view, template and selector), with a "Draft — not public"
banner. Only the record itself may be a draft: the records it links to are the published ones,
as on the public page, so a preview never shows other drafts.

Who sees it: an active staff user with the view (or change) permission on the record's model.
Everyone else gets the site's ordinary 404 page, whether or not the record exists, so the
address reveals nothing about drafts. A record the public can already see sends staff to its
public page (an office is public once it and its partner are published). Every answer (the
preview, the 404, the redirect) is ``Cache-Control: private, no-store`` and ``X-Robots-Tag:
noindex``: no shared cache keeps it and no search engine lists it.
"""

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.views import defaults

from cooperation import selectors
from cooperation import views as cooperation_views
from cooperation.models import Agreement, Project, Source, Topic
from events import selectors as event_selectors
from events import views as event_views
from events.models import Meeting
from partners import selectors as partner_selectors
from partners import views as partner_views
from partners.models import Office, Partner, Person

# kind in the address: (model, the public page's view, its selector)
PREVIEWS = {
    "partners": (Partner, partner_views.PartnerDetailView, partner_selectors.partner_detail_queryset),
    "offices": (Office, partner_views.OfficeDetailView, partner_selectors.office_detail_queryset),
    "people": (Person, partner_views.PersonDetailView, partner_selectors.person_detail_queryset),
    "agreements": (Agreement, cooperation_views.AgreementDetailView, selectors.agreement_detail_queryset),
    "projects": (Project, cooperation_views.ProjectDetailView, selectors.project_detail_queryset),
    "topics": (Topic, cooperation_views.TopicDetailView, selectors.topic_detail_queryset),
    "sources": (Source, cooperation_views.SourceDetailView, selectors.source_detail_queryset),
    "meetings": (Meeting, event_views.MeetingDetailView, event_selectors.meeting_detail_queryset),
}
KIND_OF_MODEL = {model: kind for kind, (model, _view, _selector) in PREVIEWS.items()}


def preview_url(record):
    """The preview address of ``record`` ('' for a model without a public page)."""
    kind = KIND_OF_MODEL.get(type(record))
    return reverse("cooperation:preview", kwargs={"kind": kind, "slug": record.slug}) if kind else ""


def is_public(record):
    """Whether the public sees ``record``'s page: published, and for an office its partner too."""
    if not record.published:
        return False
    partner = getattr(record, "partner", None) if isinstance(record, Office) else None
    return partner is None or partner.published


def may_preview(user, model):
    """Active staff with the view or change permission on ``model`` (as the admin decides it)."""
    if not (user.is_active and user.is_staff):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def private(response):
    """Keep a preview (or its 404) out of shared caches and search engines."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _preview_view_class(view_class, selector):
    class PreviewView(view_class):
        cache_records = False  # a draft's page is read fresh each time, never from the cache

        def get_queryset(self):
            return selector(drafts=True)

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            opts = self.object._meta
            context.update(
                preview=True,
                preview_noun=opts.verbose_name,
                # A published office of a draft partner is not public either (office pages).
                preview_held_back_by=getattr(self.object, "partner", None) if self.object.published else None,
                preview_admin_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.object.pk]),
            )
            return context

    PreviewView.__name__ = f"Preview{view_class.__name__}"
    return PreviewView.as_view()


PREVIEW_VIEWS = {kind: _preview_view_class(view, selector) for kind, (_model, view, selector) in PREVIEWS.items()}


def preview(request, kind, slug):
    try:
        return private(_preview(request, kind, slug))
    except Http404 as exception:
        return private(defaults.page_not_found(request, exception))


def _preview(request, kind, slug):
    if kind not in PREVIEWS:
        raise Http404
    model, _view, selector = PREVIEWS[kind]
    if not may_preview(request.user, model):
        raise Http404
    if selector().filter(slug=slug).exists():
        # Public already (published, and for an office its partner too): the real page.
        return HttpResponseRedirect(model(slug=slug).get_absolute_url())
    return PREVIEW_VIEWS[kind](request, slug=slug)  # a 404 if there is no such record
