"""The home page and the year pages: what the registry holds of every kind at once."""

from django.http import Http404
from django.views.generic import TemplateView

from cooperation.pages import selectors


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **selectors.home_context()}


class YearIndexView(TemplateView):
    """``/years/``: every year with records, newest first, with counts per kind."""

    template_name = "pages/year_index.html"

    def get_context_data(self, **kwargs):
        years = list(selectors.year_index().values())[::-1]
        return {**super().get_context_data(**kwargs), "years": years}


class YearDetailView(TemplateView):
    """``/years/<yyyy>/``: everything that happened in one year; a year without records is a 404."""

    template_name = "pages/year_detail.html"

    def get_context_data(self, **kwargs):
        year = selectors.parse_year(self.kwargs["year"])
        page = selectors.year_page(year) if year is not None else None
        if page is None:
            raise Http404("The registry holds no records for this year.")
        return {**super().get_context_data(**kwargs), "page": page}
