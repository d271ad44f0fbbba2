"""The four question types export byte for byte as they did before they became modules
(issue 20 §1): the whole bundled bank, read from its files, written in every format.

The GIFT and Moodle XML exports are read back and written as JSON, so the readers are held
to it as well.

The digests were taken on main before the types moved into ``questions/types``. When a
deliberate change to the bank or to a writer changes an export, take the new digests from
the failing assertion and say why in the commit.
"""

import hashlib

from questions.formats import gift, moodle
from questions.formats import json as json_format
from questions.transfer import BANK_DIR, Source, decode

GOLDEN = {
    "json": "36f7ee9db0bcf5e0fe6629f31fc739fecdc98c8ba7a03af6bf027aa7f2c690f7",
    "gift": "5964b1a12e4e01f76dff2be97404872159aa25bc304e8e59da18276011fb23c8",
    "xml": "78bf4594b86060b8e9da055c6ee8b07ad21c40d06200023dbe7357007ad68622",
    "gift->json": "6b4540174c00dba516fe3350e49bd16176ad046c32334860e61c706aab513cb0",
    "xml->json": "6b4540174c00dba516fe3350e49bd16176ad046c32334860e61c706aab513cb0",
}


def bank_exports() -> dict[str, str]:
    questions = []
    for path in sorted(BANK_DIR.glob("*.json")):
        text, _error = decode(Source.from_path(path))
        questions += json_format.parse(text, source=path.name).questions
    questions.sort(key=lambda data: (data.task or "", data.uid, data.language))
    categories = {data.task: f"$course$/top/AIF-C01/Domain {data.domain}/{data.task}" for data in questions}
    exports = {
        "json": json_format.dump(questions),
        "gift": gift.dump(questions, categories=categories),
        "xml": moodle.dump(questions, categories=categories),
    }
    # Read the GIFT and Moodle XML back, so the readers are held to their old result too.
    exports["gift->json"] = json_format.dump(gift.parse(exports["gift"], source="bank.gift").questions)
    exports["xml->json"] = json_format.dump(moodle.parse(exports["xml"], source="bank.xml").questions)
    return exports


def digests() -> dict[str, str]:
    return {fmt: hashlib.sha256(text.encode()).hexdigest() for fmt, text in bank_exports().items()}


def test_the_bundled_bank_exports_byte_identical_in_every_format():
    assert digests() == GOLDEN
