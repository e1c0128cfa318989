"""The sample generator: every good file opens and holds what it claims; every bad file is bad as claimed."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import msoffcrypto
import olefile
import pytest

import samples
from samples._bad import PASSWORD
from samples._text import KAZAKH_LETTERS, LETTER_EN, LETTER_KK, LETTER_RU


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return samples.generate(tmp_path_factory.mktemp("samples"))


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_names_and_folders(made: dict[str, Path]) -> None:
    assert set(made) == set(samples.GOOD) | set(samples.BAD)
    for name, path in made.items():
        assert path.is_file() and path.stat().st_size > 0, name
        assert path.parent.name == ("bad" if name.startswith("bad-") else "good")


def test_cyrillic_file_name(made: dict[str, Path]) -> None:
    assert made["letter-kk"].name == "хат-қазақша.docx"
    assert made["letter-kk"].parent.joinpath("хат-қазақша.docx").exists()


@pytest.mark.parametrize(
    ("name", "text"), [("letter-kk", LETTER_KK), ("letter-ru", LETTER_RU), ("letter-en", LETTER_EN)]
)
def test_letter_content_and_core_properties(made: dict[str, Path], name: str, text) -> None:
    body = _docx_text(made[name])
    for line in (*text.letterhead, text.subject, *text.body, text.signatory):
        assert line in body
    core = docx.Document(str(made[name])).core_properties
    assert core.title == text.meta.title
    assert core.author == text.meta.author
    assert core.language == text.meta.language
    assert core.subject and core.keywords
    assert core.created == text.meta.created.replace(tzinfo=core.created.tzinfo)
    assert core.modified == text.meta.modified.replace(tzinfo=core.modified.tzinfo)


def test_kazakh_letter_has_every_kazakh_letter(made: dict[str, Path]) -> None:
    body = _docx_text(made["letter-kk"])
    assert set(KAZAKH_LETTERS) <= set(body), set(KAZAKH_LETTERS) - set(body)


def test_encrypted_docx_is_ole_with_encrypted_package(made: dict[str, Path]) -> None:
    path = made["bad-encrypted"]
    assert path.suffix == ".docx"
    assert olefile.isOleFile(str(path))
    with olefile.OleFileIO(str(path)) as ole:
        assert ole.exists("EncryptedPackage")
        assert ole.exists("EncryptionInfo")
    office = msoffcrypto.OfficeFile(path.open("rb"))
    assert office.is_encrypted()
    plain = io.BytesIO()
    office.load_key(password=PASSWORD)
    office.decrypt(plain)
    assert plain.getvalue() == made["letter-kk"].read_bytes()


def test_truncated_docx_is_not_a_valid_zip(made: dict[str, Path]) -> None:
    data = made["bad-truncated"].read_bytes()
    assert data.startswith(b"PK\x03\x04")  # it still looks like a zip to a naive sniffer
    assert not zipfile.is_zipfile(made["bad-truncated"])
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(data))


def test_fake_docx_is_html(made: dict[str, Path]) -> None:
    path = made["bad-fake-docx"]
    assert path.suffix == ".docx"
    assert not zipfile.is_zipfile(path)
    assert path.read_bytes().lstrip().lower().startswith(b"<!doctype html")


def test_deterministic(made: dict[str, Path], tmp_path: Path) -> None:
    again = samples.generate(tmp_path)

    def digest(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    # Encrypted files carry a fresh salt and OLE timestamps per run; their decrypted content is checked above.
    stable = [name for name in made if not name.startswith("bad-encrypted")]
    assert {n: digest(made[n]) for n in stable} == {n: digest(again[n]) for n in stable}
    assert {n: again[n].relative_to(tmp_path) for n in again} == {
        n: made[n].relative_to(made[n].parent.parent) for n in made
    }
