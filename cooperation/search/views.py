from django.views.generic import TemplateView

from cooperation.search.results import search


class SearchView(TemplateView):
    """``/search/?q=``: every published record, ranked, grouped by kind (see results.py)."""

    template_name = "search.html"

    def get_context_data(self, **kwargs):
        result = search(self.request.GET)
        return super().get_context_data(result=result, q=result.query.text, **kwargs)
