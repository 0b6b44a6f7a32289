"""The seed loader: a seed dataset, one readable YAML file (``data/``), made into records.

``loader.py`` reads a seed file and checks what it says, ``records.py`` writes its records and
counts what changed, ``services.py`` has the entry point, :func:`~cooperation.seed.services.load_seed`,
which ``manage.py load_seed_data`` runs (``make run`` runs that after migrating). A second run of
the same file changes nothing.
"""
