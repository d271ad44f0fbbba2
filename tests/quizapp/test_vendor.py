"""Vendored front-end files stay exactly the pinned release (README: "Front-end files")."""

import hashlib

from django.conf import settings

PINNED = {
    "static/vendor/sortablejs/Sortable.min.js": "bf4241bc73fef7f11c59a283a69fe8051cdd31c6d8ff5a2b9ba219e7831fcf76",
}


def test_vendored_files_are_the_pinned_releases_with_their_licences():
    for path, digest in PINNED.items():
        file = settings.BASE_DIR / path
        assert hashlib.sha256(file.read_bytes()).hexdigest() == digest, f"{path} is not the pinned release"
        assert (file.parent / "LICENSE").read_text().startswith("MIT License"), f"{path} has no licence beside it"
