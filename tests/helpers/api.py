"""The API's tests: its host, the published records of their ``world`` (tests/api/conftest.py) by
kind, and the slugs a list answers."""

HOST = "http://testserver"

PUBLISHED = {
    "partners": ["iom", "iom-council", "turkiye", "sub-body"],
    "agreements": ["iom-agreement", "turkiye-readmission", "undated-memorandum"],
    "projects": ["return-project", "border-project", "undated-project"],
    "meetings": ["geneva-visit", "ankara-talks", "council-session"],
    "offices": ["iom-baku", "iom-nakhchivan", "ankara-office"],
    "people": ["director-general"],
    "topics": ["asylum", "readmission"],
    "sources": ["iom-web-page", "mfa-press-release"],
}


def slugs(response):
    return [row["slug"] for row in response.json()["results"]]
