"""Inputs the pipeline must refuse with a reason: encrypted, truncated, and not what the extension says.

Each is made from a good sample's bytes, so a refusal can only be about the damage, not the content.
"""

from __future__ import annotations

import io

import msoffcrypto.format.ooxml

#: The password of every encrypted sample; the demo shows that it is refused, not opened.
PASSWORD = "qujat"


def encrypted(package: bytes, password: str = PASSWORD) -> bytes:
    """Encrypt an OOXML package as Office does ("Agile" encryption inside an OLE2 compound file).

    msoffcrypto-tool draws a fresh salt and key and stamps the OLE directory with the current time, so the
    result differs on every run; its decrypted content is the input, byte for byte.

    Args:
        package: DOCX/XLSX/PPTX bytes.
        password: The opening password.

    Returns:
        The bytes of an OLE2 file holding `EncryptionInfo` and `EncryptedPackage` streams.
    """
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(package)).encrypt(password, out)
    return out.getvalue()


def truncated(package: bytes, fraction: float = 0.6) -> bytes:
    """The first `fraction` of a package: the zip's central directory, kept at the end, is gone.

    Args:
        package: Any file's bytes.
        fraction: How much to keep.

    Returns:
        The leading bytes, as an interrupted copy or upload leaves them.
    """
    return package[: int(len(package) * fraction)]


def html_page() -> bytes:
    """A portal's session-expired page, as a browser saves it under the name of the file that was asked for.

    Returns:
        UTF-8 HTML bytes, meant to be written with a ``.docx`` name.
    """
    page = """<!DOCTYPE html>
<html lang="kk">
<head>
<meta charset="utf-8">
<title>Сеанс аяқталды · Сеанс завершён</title>
</head>
<body>
<h1>Сеанс аяқталды</h1>
<p>Құжатты жүктеп алу үшін жүйеге қайта кіріңіз. Сілтеме 15 минут ішінде жарамды.</p>
<h1>Сеанс завершён</h1>
<p>Чтобы скачать документ, войдите в систему повторно. Ссылка действительна 15 минут.</p>
<p><a href="/login?next=/docs/01-12-45/download">Кіру · Войти</a></p>
</body>
</html>
"""
    return page.encode("utf-8")
