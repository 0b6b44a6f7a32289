"""Staff open a source's file, draft or published, at ``<admin>/media/<file name>``: MEDIA_URL
points here, so the admin's own links to a file (the file field's "Currently:" link, a read-only
field) work, and nothing but this view serves MEDIA_ROOT. The public reaches a published
source's file only through its source's addresses (``/sources/<slug>/file/``).

Only files a source holds are served, to active staff who may view sources, with the headers of
every served document (``cooperation/core/document_files.py``) and never kept by a shared cache.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext

from cooperation.core.document_files import document_response
from cooperation.models import Source


def staff_source_file(request: HttpRequest, name: str) -> HttpResponse:
    if not request.user.has_perm("cooperation.view_source"):
        raise Http404(gettext("No such file."))
    source = Source.objects.filter(file=name).only("pk", "slug", "file").first()
    if source is None:
        raise Http404(gettext("No source holds this file."))
    return document_response(source.file, filename=source.slug, private=True)
