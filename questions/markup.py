"""The small, safe Markdown subset used in stems, options and explanations.

markdown-it-py parses CommonMark plus tables. Raw HTML is text, except the inline tags
``<sup>``/``<sub>`` exactly as written (imported Moodle text keeps its exponents and
formulas); images render only when they are the app's own stored question images
(``questions.media``), anything else shows as the text it is. nh3 (Ammonia) then keeps
only the tags below, so nothing an author or an imported file writes can inject markup.
"""

import functools
import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {"p", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "br", "blockquote", "sup", "sub", "img"}
ALLOWED_TAGS |= {"table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}}
_KEPT_HTML = re.compile(r"^</?(sup|sub)>$")
_OWN_IMAGE = re.compile(r"^/questions/media/[0-9a-f]{64}\.(png|jpg|gif|webp)$")


def _only_safe_html_and_own_images(state) -> None:
    """Turn raw HTML other than <sup>/<sub>, and images that are not ours, back into text."""
    for block in state.tokens:
        for index, token in enumerate(block.children or []):
            if token.type == "html_inline" and not _KEPT_HTML.match(token.content):
                block.children[index] = Token("text", "", 0, content=token.content)
            elif token.type == "image" and not _OWN_IMAGE.match(token.attrGet("src") or ""):
                source = f"![{token.content}]({token.attrGet('src') or ''})"
                block.children[index] = Token("text", "", 0, content=source)


_md = (
    MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    .disable("html_block")
    .enable("table")
)
_md.core.ruler.push("only_safe_html", _only_safe_html_and_own_images)


# Text without any character Markdown gives meaning to renders as one escaped paragraph.
# Nearly all bank text is like that, and skipping the parser makes snapshotting a 65-question
# mock (about 650 texts) several times faster. Anything else goes through markdown-it.
_NEEDS_PARSER = re.compile(r"[*_`\[\]<>#\\!&~|\n\r=]|^\s*(?:[-+]|\d+[.)])")


def render_markdown(text: str) -> SafeString:
    text = text or ""
    if text == text.strip() and not _NEEDS_PARSER.search(text):
        # Nothing to escape: &, < and > send the text to the parser.
        return mark_safe(f"<p>{text}</p>\n" if text else "")  # noqa: S308
    return mark_safe(clean(_md.render(text)))  # noqa: S308 -- sanitized by nh3 in clean()


# One sanitizer built once: building ammonia's per call was most of the cost of a clean.
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)
_text_only = nh3.Cleaner(tags=set())


def clean(markup: str) -> str:
    """``markup`` with only the tags and attributes the bank may use."""
    return _cleaner.clean(markup)


def render_inline(text: str) -> SafeString:
    """Render one line (an option, a prompt) without the wrapping paragraph."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 -- came from render_markdown


# Stored HTML that is one paragraph (or none) of text without "<", ">" or "&" has no tag
# and no entity inside: most bank text. It needs no parser to be shown or read as text.
_MARKUP_CHARACTER = re.compile(r"[<>&]")


def _bare_text(markup: str) -> str | None:
    """The text of ``markup`` if it is one paragraph (or none) with no tag or entity in it."""
    if markup.startswith("<p>") and markup.endswith(("</p>", "</p>\n")):
        markup = markup[3 : markup.rindex("</p>")]
    return None if _MARKUP_CHARACTER.search(markup) else markup


# How many distinct texts stored_html and plain_text keep the result of: the bank's stems and
# options in every language come to a few thousand.
KEPT_TEXTS = 4096


def stored_html(markup: str) -> SafeString:
    """HTML that ``render_markdown`` made earlier and something stored (a snapshot), ready
    for a page: sanitized again, then marked safe. Whatever the stored string holds (an old
    snapshot, a bug, a hand-edited row), only the allowed tags and attributes come through.

    The result of the last KEPT_TEXTS texts is kept: a question's text is the same for every
    candidate who sees it (revisions never change), and each question page showed it anew.
    """
    return _stored_html(str(markup or ""))


@functools.lru_cache(maxsize=KEPT_TEXTS)
def _stored_html(markup: str) -> SafeString:
    if _bare_text(markup) is not None:
        return mark_safe(markup)  # noqa: S308 -- text in at most one <p>: no tag, no entity
    return mark_safe(clean(markup))  # noqa: S308 -- sanitized by nh3


# Where a block ends, plain text needs a space ("<p>a</p><p>b</p>" reads "a b", not "ab").
_BLOCK_END = re.compile(r"</(?:p|li|blockquote|pre)>|<br\s*/?>")


def plain_text(markup: str) -> str:
    """The text of stored HTML, for an attribute (aria-label) or an ``<option>``: tags
    dropped and entities decoded, as a plain str (not safe), so the template escapes it
    exactly once. (``strip_tags`` kept the entities, which then showed twice escaped, and
    handed a SafeString back unescaped.) Kept as ``stored_html``'s result is."""
    return _plain_text(str(markup or ""))


@functools.lru_cache(maxsize=KEPT_TEXTS)
def _plain_text(markup: str) -> str:
    if (text := _bare_text(markup)) is not None:
        return " ".join(text.split())
    text = _text_only.clean(_BLOCK_END.sub(" ", markup))
    return " ".join(html.unescape(text).split())
