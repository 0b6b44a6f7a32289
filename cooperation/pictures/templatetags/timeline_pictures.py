"""``{% load timeline_pictures %}``: the timelines' geometry for templates/includes/pictures/timeline.html.

Tags, not view code, so that a page computes its picture only where its template draws it, inside
the ``{% cache %}`` fragment that keeps it (a cached page computes nothing), and so that the apps'
views need not import this feature package.
"""

from django import template

from cooperation.pictures.relationships import partner_timeline_picture

register = template.Library()


@register.simple_tag
def partner_timeline(partner):
    """The picture of a partner read by ``partners.selectors.partner_get`` (None if nothing is dated)."""
    return partner_timeline_picture(partner, getattr(partner, "meeting_years", None))


@register.filter
def lane_items(lane, key):
    """``{{ lane|lane_items:picture.key }}``: a lane's links, written by ``Lane.items_html``."""
    return lane.items_html(key)
