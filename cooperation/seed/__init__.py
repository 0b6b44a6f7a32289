"""The seed loader: a seed dataset (YAML, ``data/``) made into records (``manage.py load_seed_data``)."""
