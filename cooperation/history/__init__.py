"""Reading history and undoing it (see ``versions.py``)."""
