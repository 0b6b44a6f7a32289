"""Development tools: demo data at scale and the measuring commands, never in production.

``manage.py generate_demo_data`` (demo_data.py, demo_choices.py, demo_factories.py: factory-boy
and Faker build the records), ``benchmark`` (the key pages through the full stack),
``measure_export`` and ``measure_import`` (throwaway_rows.py makes their rows). factory-boy and
Faker are development requirements (requirements-dev.txt), so settings install this app only
where they can be imported: a production install (requirements.txt) has none of these commands.
"""
