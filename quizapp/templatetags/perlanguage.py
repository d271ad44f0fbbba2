"""``{% perlanguage name=value ... %}…{% endperlanguage %}``: markup that is the same for
everyone reading in one language, rendered once per process and then served from memory.

The layout's header and footer, the ``{% static %}`` links (a manifest lookup each), the
translated labels of a page and the keyboard help are identical in every request of a
language, but through the template engine each ``{% translate %}`` costs about 80 Python
calls and each ``{% url %}`` or ``{% static %}`` about 100: on a mock exam's question page
they were over a third of the rendering (bench/profile.py).

What may vary is explicit: the output is kept per active language (and the context's
autoescape, localize and time zone settings) and per the values given to the tag
(``namespace=request.resolver_match.namespace``), and the body is rendered with a context
holding only those values (no request, user, messages, CSRF token or CSP nonce), so one
person's data can never reach the next person's page. Values must be strings, numbers,
booleans or None. ``{% csrf_token %}`` (per person) and ``{% block %}`` (its content is the
child template's, while the memory lives on this node of the parent) are refused inside
when the template is loaded. A tag that reads the context for something per request (the
CSP nonce of ``{% htmx_script %}``) gets nothing inside: keep it out. The memory belongs to
the compiled template, so a template reloaded in development starts afresh.
"""

from django import template
from django.template.base import Node, token_kwargs
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.utils import translation

register = template.Library()

# Variants a node keeps: its values are a few names (a URL namespace, a mode) or small
# numbers (a question's position and the exam's length), times the languages: far fewer than
# this. Past it, a node renders without keeping (bounded memory whatever the values).
MAX_VARIANTS = 1024
_ALLOWED = (str, int, bool, type(None))


class PerLanguageNode(Node):
    # Not walked by get_nodes_by_type: {% extends %} searches the parent's whole tree for
    # blocks on every rendering, and none can be in here (refused at load).
    child_nodelists = ()

    def __init__(self, nodelist, values: dict):
        self.nodelist = nodelist
        self.values = values
        self.rendered: dict[tuple, str] = {}

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.values.items()}
        for name, value in values.items():
            if not isinstance(value, _ALLOWED):
                raise TypeError(f"{{% perlanguage %}} {name}: a {type(value).__name__}, not a plain value")
        # The rendering settings too: one node can sit in a partial rendered alone and under {% localize off %}.
        key = (translation.get_language(), context.autoescape, context.use_l10n, context.use_tz, *values.items())
        try:
            return self.rendered[key]
        except KeyError:
            pass
        isolated = context.new(values)
        isolated.request = None  # nothing of the request, not even for {% url %}'s current_app
        output = self.nodelist.render(isolated)
        if len(self.rendered) < MAX_VARIANTS:
            self.rendered[key] = output
        return output


@register.tag
def perlanguage(parser, token):
    bits = token.split_contents()
    values = token_kwargs(bits[1:], parser, support_legacy=False)
    if len(bits) - 1 != len(values):
        raise template.TemplateSyntaxError(f"{bits[0]} takes only name=value arguments")
    nodelist = parser.parse(("endperlanguage",))
    parser.delete_first_token()
    for forbidden, why in ((CsrfTokenNode, "a CSRF token is per person"), (BlockNode, "a block is the child's")):
        if nodelist.get_nodes_by_type(forbidden):
            raise template.TemplateSyntaxError(f"{bits[0]}: no {forbidden.__name__} inside ({why})")
    return PerLanguageNode(nodelist, values)
