import string

from hypothesis import given, settings
from hypothesis import strategies as st

from questions import markup


def parsed(text: str) -> str:
    """What the full parser + sanitizer make of ``text`` (the reference for the fast path)."""
    return markup.clean(markup._md.render(text))


PLAIN = string.ascii_letters + string.digits + " .,;:'\"()-+?/%$@^{}" + "日本語のテストです、。"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=PLAIN, max_size=80))
def test_fast_path_renders_exactly_what_the_parser_renders(text):
    assert str(markup.render_markdown(text)) == parsed(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable + "日本", max_size=60))
def test_any_text_renders_exactly_what_the_parser_renders(text):
    rendered = str(markup.render_markdown(text))

    assert rendered == parsed(text)
    assert "<script" not in rendered.lower()


def test_markdown_subset_is_rendered_and_raw_html_escaped():
    html = str(markup.render_markdown("Use **Amazon Bedrock** with `top_p` <b>now</b>\n\n- one\n- two"))

    assert "<strong>Amazon Bedrock</strong>" in html
    assert "<code>top_p</code>" in html
    assert "&lt;b&gt;now&lt;/b&gt;" in html
    assert "<ul>" in html


def test_links_are_kept_safe():
    html = str(markup.render_markdown("[docs](https://docs.aws.amazon.com/) and [bad](javascript:alert(1))"))

    assert 'href="https://docs.aws.amazon.com/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert 'href="javascript' not in html


def test_render_inline_drops_the_paragraph():
    assert str(markup.render_inline("Amazon **Polly**")) == "Amazon <strong>Polly</strong>"
    assert str(markup.render_inline('Say "hi"')) == 'Say "hi"'


def test_stored_text_is_sanitized_once_per_text_and_kept_for_every_reader():
    """stored_html and plain_text keep their results per text (a revision's text is the same
    for every candidate): the kept result is the sanitized one, whatever asked first."""
    from questions.markup import plain_text, stored_html

    hostile = '<p>Pick <strong>one</strong><script>alert(1)</script><img src=x onerror="alert(2)"></p>'

    first, again = stored_html(hostile), stored_html(hostile)

    assert first is again
    assert "<script" not in first and "onerror" not in first and "<strong>one</strong>" in first
    assert plain_text(hostile) == plain_text(hostile) == "Pick one"
    assert stored_html("<p>a &amp; b</p>") == "<p>a &amp; b</p>" and stored_html(None) == ""
