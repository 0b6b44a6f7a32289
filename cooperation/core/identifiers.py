"""Identifiers the registry hands out to other programs: the authority of Atom entry ids (tag
URIs) and of iCalendar UIDs."""

from django.http import HttpRequest
from django.http.request import split_domain_port


def host_name(request: HttpRequest) -> str:
    """The host the request was made to, without its port: the authority of tag URIs and
    calendar UIDs."""
    domain, _port = split_domain_port(request.get_host())
    return domain or "localhost"
