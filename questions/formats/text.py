"""Question text from Moodle's text formats, stored as the Markdown that renders like Moodle.

Moodle renders each format differently, and an imported question must look as it did there:

- ``markdown``: Markdown, kept as written.
- ``html``: sanitised HTML; markdownify (a maintained converter) turns it into our Markdown,
  with ``<sup>``/``<sub>`` kept as tags and tables as Markdown tables (``questions.markup``
  renders both), editor debris (``<p>1<br></p>``) dropped, and what Markdown would misread
  (``#``, ``1.``, ``*``…) escaped.
- ``moodle`` (``moodle_auto_format``, GIFT's default): HTML tags are HTML, everything else is
  literal text whose line breaks are kept.
- ``plain`` (``plain_text``): everything is literal text, line breaks kept.

Images are never turned into their alt text: a ``data:`` image or a Moodle ``@@PLUGINFILE@@``
file carried in the file becomes a media file (``questions.media``) shown as an image with
its alt text as ``alt``; an image the file does not carry (an external URL, a missing file)
refuses the question with ``ImageRefused``, whose message says which image.
"""

import base64
import binascii
import contextvars
import re
from contextlib import contextmanager
from urllib.parse import unquote

from markdownify import MarkdownConverter

from questions import media


class ImageRefused(ValueError):
    """An image the question needs but the file does not carry (or that is not a picture)."""


# The images of the question being read: Moodle's embedded files by name, and the media
# files made so far (name -> bytes), which the importer saves with the question.
_files: contextvars.ContextVar[dict[str, bytes] | None] = contextvars.ContextVar("files", default=None)
_images: contextvars.ContextVar[dict[str, bytes] | None] = contextvars.ContextVar("images", default=None)


@contextmanager
def collecting_images(files: dict[str, bytes] | None = None):
    """Collect the images of one question: ``with collecting_images(files) as images: …``."""
    images: dict[str, bytes] = {}
    files_token, images_token = _files.set(files or {}), _images.set(images)
    try:
        yield images
    finally:
        _files.reset(files_token)
        _images.reset(images_token)


def image_markdown(src: str, alt: str) -> str:
    """``![alt](url)`` for an image the file carries; ``ImageRefused`` for any other."""
    data = _image_bytes(src.strip())
    kind = media.image_kind(data)
    if kind is None:
        raise ImageRefused(f"image {_short(src)!r} is not a PNG, JPEG, GIF or WebP picture; it is not imported.")
    name = media.name_for(data, kind)
    images = _images.get()
    if images is not None:
        images[name] = data
    return f"![{escape_inline(alt)}]({media.url_for(name)})"


def _image_bytes(src: str) -> bytes:
    if src.startswith("data:"):
        header, _, payload = src.partition(",")
        if not header.endswith(";base64"):
            raise ImageRefused(f"image {_short(src)!r} is a data: URL that is not base64; it is not imported.")
        return _decode_base64(payload, src)
    if src.startswith("@@PLUGINFILE@@/"):
        name = unquote(src.removeprefix("@@PLUGINFILE@@/"))
        files = _files.get() or {}
        if name not in files:
            raise ImageRefused(f"image {name!r} is not among the files embedded in the question; it is not imported.")
        return files[name]
    raise ImageRefused(
        f"image {_short(src)!r} is not in the file (only images embedded in the file are imported; "
        "external images are not fetched). Embed it (Moodle XML export does) or remove it."
    )


def _decode_base64(payload: str, src: str) -> bytes:
    try:
        return base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
    except (binascii.Error, ValueError):
        raise ImageRefused(f"image {_short(src)!r} is not valid base64; it is not imported.") from None


def decode_file(payload: str, name: str) -> bytes:
    """The bytes of a Moodle ``<file encoding="base64">``."""
    return _decode_base64(payload, name)


def _short(src: str) -> str:
    return src if len(src) <= 60 else src[:57] + "…"


class _Converter(MarkdownConverter):
    """markdownify with our choices: images as media, headings as bold lines."""

    def convert_img(self, el, text, parent_tags):
        return image_markdown(el.attrs.get("src") or "", el.attrs.get("alt") or "")

    def convert_script(self, el, text, parent_tags):
        return ""

    convert_style = convert_script

    def convert_hN(self, n, el, text, parent_tags):
        if "_inline" in parent_tags:
            return text
        text = text.strip()
        return f"\n\n**{text}**\n\n" if text else ""

    def convert_pre(self, el, text, parent_tags):
        # Moodle's editor writes <pre><code>…</code></pre>: one fence, no stray backticks.
        code = el.get_text()
        if not code.strip():
            return ""
        fence = "```" if "```" not in code else "````"
        return f"\n\n{fence}\n{code.strip(chr(10))}\n{fence}\n\n"


_CONVERTER_OPTIONS = {
    "heading_style": "ATX",
    "bullets": "-",
    "escape_misc": True,
    "newline_style": "backslash",
    "sub_symbol": "<sub>",
    "sup_symbol": "<sup>",
    "code_language": "",
    "table_infer_header": True,
}


# A hard break (a backslash at the end of a line, not an escaped backslash) that ends a paragraph.
_TRAILING_BREAK = re.compile(r"[ \t]*(?<!\\)\\(?=\n\n|\n?$)")


def html_to_markdown(html: str) -> str:
    markdown = _Converter(**_CONVERTER_OPTIONS).convert(html)
    # A trailing hard break (the <br> Moodle's editor leaves at the end of a paragraph) is debris.
    markdown = markdown.strip()
    while (trimmed := _TRAILING_BREAK.sub("", markdown)) != markdown:  # <br><br> at the end: both
        markdown = trimmed
    lines = [line.rstrip() for line in markdown.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Characters that mean something to Markdown (or to the tags and tables markup renders)
# wherever they are, and what means something at the start of a line.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>&|~])")
_LINE_START_MARK = re.compile(r"^[#+=-]")
_LINE_START_NUMBER = re.compile(r"^(\d+)([.)])")


def escape_inline(text: str) -> str:
    return _INLINE_SPECIALS.sub(r"\\\1", text)


# Most answers are short plain text with nothing to escape: they are returned as they are.
_INLINE_OR_BREAK = re.compile(r"[\\`*_\[\]<>&|~\n]")


def escape_markdown(text: str) -> str:
    """Plain text → Markdown that renders as the same text, with its line breaks."""
    text = text.strip()
    if not (_INLINE_OR_BREAK.search(text) or _LINE_START_MARK.match(text) or _LINE_START_NUMBER.match(text)):
        return text
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(_escape_paragraph(paragraph) for paragraph in paragraphs if paragraph.strip())


def _escape_paragraph(paragraph: str) -> str:
    lines = []
    for line in paragraph.split("\n"):
        line = escape_inline(line.strip())
        # "1984. Who…" is not a list, "# of students" not a heading: escape the marker.
        line = _LINE_START_NUMBER.sub(r"\1\\\2", _LINE_START_MARK.sub(r"\\\g<0>", line))
        lines.append(line)
    return "\\\n".join(lines)


_HTML_HINT = re.compile(
    r"<(p|br|b|strong|i|em|u|ul|ol|li|code|pre|a|div|span|sub|sup|img|table|h[1-6]|blockquote)\b", re.IGNORECASE
)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))


def to_markdown(text: str, text_format: str) -> str:
    """Question text in a Moodle text format → the Markdown we store (see the module docstring)."""
    text_format = (text_format or "").lower()
    if text_format == "markdown":
        return text.strip()
    if text_format == "html":
        return html_to_markdown(text)
    if text_format in ("plain", "plain_text"):
        return escape_markdown(text)
    # moodle / moodle_auto_format: HTML where there are tags, literal text with line breaks elsewhere.
    if looks_like_html(text):
        return html_to_markdown(re.sub(r"\n", "<br>\n", text.strip()))
    return escape_markdown(text)
