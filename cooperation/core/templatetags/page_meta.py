"""Template tags for what a page says about itself in its ``<head>`` (templates/base.html): the
title and description written once and used again for the sharing tags, and absolute addresses.

- ``{% capture as name %}…{% endcapture %}``: renders its content (blocks included, which pages
  fill as usual) into the variable ``name`` instead of the page, so base.html can use a page's
  ``{% block title %}`` both in ``<title>`` and in ``og:title``;
- ``{% absolute_static "path" %}``: a static file's absolute URL (Open Graph wants one).
"""

from django import template
from django.template.base import NodeList, Parser, Token
from django.templatetags.static import static
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str) -> None:
        self.nodelist = nodelist  # searched for {% block %}s by {% extends %} (Node.child_nodelists)
        self.name = name

    def render(self, context: template.Context) -> str:
        # The content was escaped as it rendered, like any template text: it is not escaped again.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser: Parser, token: Token) -> CaptureNode:
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError(f"Write {{% {bits[0]} as name %}}…{{% end{bits[0]} %}}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def absolute_static(context: template.Context, path: str) -> str:
    return context["request"].build_absolute_uri(static(path))
