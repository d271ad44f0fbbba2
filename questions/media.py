"""Images of imported questions: stored with Django's storage API, served by ``views.question_image``.

A picture is stored once under ``questions/<sha256>.<ext>`` in the default storage
(``MEDIA_ROOT``; a volume in the Docker image), named by its content, so re-importing the
same file writes nothing new and a name cannot be guessed from the question. Only PNG,
JPEG, GIF and WebP are accepted, recognised by their first bytes (never by the file's name
or declared type); SVG is refused because it can carry script. The view serves them with
the type found here and ``nosniff``, since whitenoise serves static files only.
"""

import hashlib
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

FOLDER = "questions"
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
NAME = re.compile(r"^[0-9a-f]{64}\.(png|jpg|gif|webp)$")


def image_kind(data: bytes) -> str | None:
    """The picture's extension from its signature, or None when it is no picture we serve."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def name_for(data: bytes, kind: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()}.{kind}"


def url_for(name: str) -> str:
    return reverse("questions:image", args=[name])


def save(images: dict[str, bytes]) -> None:
    """Store ``images`` (name -> bytes) that are not stored yet."""
    for name, data in images.items():
        path = f"{FOLDER}/{name}"
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(data))


def open_image(name: str):
    """``(file, content type)`` of a stored image; ``FileNotFoundError`` for any other name."""
    match = NAME.match(name)
    if not match:
        raise FileNotFoundError(name)
    return default_storage.open(f"{FOLDER}/{name}", "rb"), CONTENT_TYPES[match.group(1)]
