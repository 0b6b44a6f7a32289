"""The staff preview of a draft's public page: ``/preview/<kind>/<slug>/``.

Staff check a draft where the public will read it before they publish it: the preview is the
record's real public page (the same view, template and selector), with a "Draft — not public"
banner. Only the record itself may be a draft: the records it links to are the published ones,
as on the public page, so a preview never shows other drafts. The view is found through the
record's public address (the URL resolver) and shown as ``as_view(drafts=True)``
(cooperation/core/detail.py); the banner's context joins its ``TemplateResponse`` before it
renders.

Who sees it: an active staff user with the view (or change) permission on the record's model.
Everyone else gets the site's ordinary 404 page, whether or not the record exists, so the
address reveals nothing about drafts. A record the public can already see sends staff to its
public page (an office is public once it and its partner are published). Every answer (the
preview, the 404, the redirect) is ``Cache-Control: private, no-store`` and ``X-Robots-Tag:
noindex``: no shared cache keeps it and no search engine lists it.
"""

from functools import cache

from django.http import Http404, HttpResponseRedirect
from django.urls import resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.views import defaults

from cooperation.core.related import records_shown
from cooperation.models import Agreement, Project, Source, Topic
from events.models import Meeting
from partners.models import Office, Partner, Person

# kind in the address: the model. The page shown is the record's public page (its view, found
# through its address), as ``as_view(drafts=True)``.
PREVIEWS = {
    "partners": Partner,
    "offices": Office,
    "people": Person,
    "agreements": Agreement,
    "projects": Project,
    "topics": Topic,
    "sources": Source,
    "meetings": Meeting,
}
KIND_OF_MODEL = {model: kind for kind, model in PREVIEWS.items()}


def preview_url(record) -> str:
    """The preview address of ``record`` ('' for a model without a public page)."""
    kind = KIND_OF_MODEL.get(type(record))
    return reverse("cooperation:preview", kwargs={"kind": kind, "slug": record.slug}) if kind else ""


def is_public(record) -> bool:
    """Whether the public sees ``record``'s page: published, and for an office its partner too."""
    if not record.published:
        return False
    partner = getattr(record, "partner", None) if isinstance(record, Office) else None
    return partner is None or partner.published


def may_preview(user, model) -> bool:
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


@cache
def draft_view(view_class):
    """The public page's view, showing drafts too (``RecordDetailView.drafts``): read fresh
    each time, never from the cache."""
    return view_class.as_view(drafts=True)


def preview(request, kind, slug):
    try:
        return private(_preview(request, kind, slug))
    except Http404 as exception:
        return private(defaults.page_not_found(request, exception))


def _preview(request, kind, slug):
    model = PREVIEWS.get(kind)
    if model is None or not may_preview(request.user, model):
        raise Http404
    address = model(slug=slug).get_absolute_url()
    if records_shown(model).filter(slug=slug).exists():
        # Public already (published, and for an office its partner too): the real page.
        return HttpResponseRedirect(address)
    match = resolve(address)
    response = draft_view(match.func.view_class)(request, *match.args, **match.kwargs)  # a 404 if there is none
    record = response.context_data["object"]
    opts = record._meta
    response.context_data.update(
        preview=True,
        preview_noun=opts.verbose_name,
        # A published office of a draft partner is not public either (office pages).
        preview_held_back_by=getattr(record, "partner", None) if record.published else None,
        preview_admin_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
    )
    return response
