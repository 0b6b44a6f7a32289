"""List pages: filters, facets, notices, sorts, pagination and the list view (``filters``)."""
