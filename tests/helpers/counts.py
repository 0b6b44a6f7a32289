"""The lists' count tables as the tests check them (cooperation/core/listing/counts.py)."""

from django.http import QueryDict

from cooperation.core.listing import counts


def snapshot(models):
    """Every count table's rows with a count, as plain tuples."""
    return {
        model.__name__: sorted(
            tuple(value for name, value in row.items() if name != "id")
            for row in model.objects.filter(n__gt=0).values()
        )
        for model in models
    }


def assert_exact(filterset_class, models, questions, rows=None):
    """The tables as the triggers left them equal the tables rebuilt from the data (a GROUP BY
    of it), and every question's facets and count read from them equal those counted on the fly.
    ``rows()`` is the list's rows before its filters (the published records by default)."""
    record = filterset_class._meta.model
    rows = rows or record.objects.published
    kept = snapshot(models)
    counts.recount(filterset_class.count_tables)
    assert kept == snapshot(models)
    for params in questions:
        from_tables = filterset_class(QueryDict(params), queryset=rows())
        on_the_fly = filterset_class(QueryDict(params), queryset=rows())
        on_the_fly.count_tables = None
        assert from_tables.compute_facets() == on_the_fly.compute_facets(), params
        assert from_tables.compute_count() == on_the_fly.compute_count(), params
