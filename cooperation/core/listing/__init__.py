"""List pages, split by job: ``filters`` (lenient FilterSets, facets, notices and the sorts of a
dated list), ``pagination`` (the page size and a paginator that pages only so deep) and
``views`` (FilteredListView: the page, its chips and its exports). Import from the module you
need; this package re-exports nothing."""
