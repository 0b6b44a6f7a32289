"""Pictures drawn on the server as SVG: maps, charts and timelines."""
