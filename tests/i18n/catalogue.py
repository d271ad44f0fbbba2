"""Reading gettext catalogues (.po) and our templates' text, for the translation tests."""

import ast
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

BASE_DIR = Path(__file__).resolve().parents[2]
JA_PO = BASE_DIR / "locale" / "ja" / "LC_MESSAGES" / "django.po"
JA_MO = JA_PO.with_suffix(".mo")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def key(self) -> str:
        """The key the compiled catalogue uses (context, then EOT, then msgid)."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def read_po(path: Path) -> tuple[Entry, list[Entry]]:
    """The header entry and the live (not obsolete) entries of a .po file."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue  # comments, locations and obsolete (#~) entries
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            target = int(plural[1]) if plural else keyword
            _append(entry, target, ast.literal_eval(value), start=True)
    header = next(entry for entry in entries if entry.msgid == "" and entry.msgctxt is None)
    return header, [entry for entry in entries if entry is not header]


def _append(entry: Entry, target, text: str, *, start: bool = False) -> None:
    if isinstance(target, int) or target == "msgstr":
        index = 0 if target == "msgstr" else target
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif target == "msgctxt":
        entry.msgctxt = ("" if start else entry.msgctxt or "") + text
    elif target in ("msgid", "msgid_plural"):
        setattr(entry, target, ("" if start else getattr(entry, target)) + text)
    else:
        raise ValueError(f"unexpected line in a .po file: {target}")


def problems(entries: list[Entry]) -> list[str]:
    """Entries that are untranslated or fuzzy, one line each."""
    found = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated:
            found.append(f"untranslated: {entry.msgid!r}")
    return found


# Words a template may show as they are: names that are not translated.
ALLOWED_WORDS = {"quizapp", "AIF-C01", "AWS", "CSV", "FSRS"}
# Whole texts shown as they are: "D" is the domain code prefix (D1–D5) beside the translated name.
ALLOWED_TEXTS = {"D"}
# Attributes whose value a person reads or hears.
READ_ATTRIBUTES = {"aria-label", "aria-description", "aria-roledescription", "title", "placeholder", "alt"}
LETTER = re.compile(r"[^\W\d_]")


def template_paths() -> list[Path]:
    """Our templates: the site's and every app's (the virtualenv's are not ours)."""
    paths = [*BASE_DIR.glob("templates/**/*.html"), *BASE_DIR.glob("*/templates/**/*.html")]
    return sorted(path for path in paths if ".venv" not in path.parts and "node_modules" not in path.parts)


def untranslated_text(source: str) -> list[str]:
    """Text a person would see in this template that no {% translate %}/{% blocktranslate %} covers.

    Template tags and variables are replaced by nothing, translated blocks and comments are
    dropped, and what is left is read as HTML: its text nodes and read-aloud attributes
    must not contain letters (apart from ALLOWED_WORDS). String literals inside tags and
    variables that read as words (``|default:"Mock exam"``) count too, unless wrapped in _().
    """
    html, literals, skip_until = [], [], None
    for token in Lexer(source).tokenize():
        if skip_until:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skip_until:
                skip_until = None
            continue
        if token.token_type == TokenType.TEXT:
            html.append(token.contents)
            continue
        tag = token.contents.split()[0] if token.token_type == TokenType.BLOCK else ""
        if tag in ("blocktranslate", "blocktrans", "comment"):
            skip_until = "end" + tag
        elif tag == "verbatim":
            raise ValueError("{% verbatim %} is not expected in our templates")
        elif token.token_type in (TokenType.VAR, TokenType.BLOCK) and tag not in ("translate", "trans"):
            literals += [f"{token.contents!r}: {text!r}" for text in _wording_literals(token.contents)]
    reader = _TextReader()
    reader.feed("".join(html))
    reader.close()
    texts = [
        text for text in reader.texts if text not in ALLOWED_TEXTS and LETTER.search(_without_allowed_words(text))
    ]
    return texts + literals


# A string literal in a tag or variable, and whether it is wrapped in _("…").
LITERAL = re.compile(r"""(_\()?(?:"([^"]*)"|'([^']*)')""")


def _wording_literals(contents: str) -> list[str]:
    """Literals that read as words ("Mock exam", "Yes") rather than names (url names, paths, FORMATS)."""
    found = []
    for match in LITERAL.finditer(contents):
        text = match[2] if match[2] is not None else match[3]
        if not match[1] and (re.search(r"[A-Za-z]+\s+[A-Za-z]", text) or re.match(r"[A-Z][a-z]", text)):
            found.append(text)
    return found


def _without_allowed_words(text: str) -> str:
    for word in ALLOWED_WORDS:
        text = text.replace(word, "")
    return text


class _TextReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.raw = 0

    def handle_starttag(self, tag, attrs):
        # Key names in <kbd> (Enter, Alt, N) are printed on the keys, in every language.
        if tag in ("script", "style", "kbd"):
            self.raw += 1
        shown = set(READ_ATTRIBUTES)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button", "reset"):
            shown.add("value")  # an input button shows its value (a <button>'s value is not shown)
        self.texts += [f'{name}="{value}"' for name, value in attrs if name in shown and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "kbd"):
            self.raw -= 1

    def handle_data(self, data):
        if not self.raw and data.strip():
            self.texts.append(data.strip())
