"""The small, safe Markdown subset used in stems, options and explanations.

markdown-it-py parses CommonMark with raw HTML switched off; nh3 (Ammonia) then keeps
only the tags below, so nothing an author or an imported file writes can inject markup.
"""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")

ALLOWED_TAGS = {"p", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


# Text without any character Markdown gives meaning to renders as one escaped paragraph.
# Nearly all bank text is like that, and skipping the parser makes snapshotting a 65-question
# mock (about 650 texts) several times faster. Anything else goes through markdown-it.
_NEEDS_PARSER = re.compile(r"[*_`\[\]<>#\\!&~|\n\r=]|^\s*(?:[-+]|\d+[.)])")


def render_markdown(text: str) -> SafeString:
    text = text or ""
    if text == text.strip() and not _NEEDS_PARSER.search(text):
        # Nothing to escape: &, < and > send the text to the parser.
        return mark_safe(f"<p>{text}</p>\n" if text else "")  # noqa: S308
    html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 -- sanitized by nh3 just above


def render_inline(text: str) -> SafeString:
    """Render one line (an option, a prompt) without the wrapping paragraph."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 -- came from render_markdown
