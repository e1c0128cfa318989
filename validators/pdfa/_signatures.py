"""Permissions and digital signatures (ISO 19005-2/3 6.1.12 and 6.4.3), which pikepdf.pdfa refuses.

pikepdf refuses a catalog with /Perms, and signature fields in a form, and so checks nothing below the
catalog. What PDF/A-2 and PDF/A-3 ask of them, in veraPDF's rules:

- the permissions dictionary holds no keys but /UR3 and /DocMDP (6.1.12-1);
- if it holds /DocMDP, no signature reference dictionary (a signature's /Reference) holds
  /DigestLocation, /DigestMethod or /DigestValue (6.1.12-2);
- the /ByteRange of a signature covers the entire file but for the /Contents string: it starts at
  0, stops at that string's ``<`` and resumes right after its ``>``, and runs up to the ``%%EOF`` (and
  at most one end-of-line marker) that ends the revision holding the signature (6.4.3-1);
- /Contents holds a DER-encoded PKCS#7 SignedData object, with at least one certificate, each of them
  an X.509 certificate (6.4.3-2), and exactly one SignerInfo (6.4.3-3).

Whether the signature is cryptographically valid is no PDF/A rule, and is not checked. ISO 19005-1
has no rule on either: in PDF/A-1 the permissions dictionary and signatures are left as they are.
"""

from __future__ import annotations

import logging
import re

import pikepdf

from validators.pdfa._problem import Problem, where_of

log = logging.getLogger(__name__)

PERMS_RULE = "pikepdf:schema-Catalog"
PERMS_MESSAGE = "permissions (/Perms) are not supported"
_UNCHECKED = "pikepdf:schema-Perms"
_PERMS_KEYS = frozenset({"/UR3", "/DocMDP"})
_DIGEST_KEYS = ("/DigestLocation", "/DigestMethod", "/DigestValue")
_MAX_REFERENCES = 1_000


SignatureProblem = Problem


def perms_finding(rule: str, message: str) -> bool:
    """True for pikepdf's refusal of a catalog with /Perms."""
    return rule == PERMS_RULE and message == PERMS_MESSAGE


def has_doc_mdp(pdf: pikepdf.Pdf) -> bool:
    """True if the permissions dictionary of *pdf* holds /DocMDP."""
    perms = pdf.Root.get("/Perms")
    return isinstance(perms, pikepdf.Dictionary) and "/DocMDP" in perms


class SignatureChecker:
    """Checks the permissions dictionary and the signatures of one document, each signature once."""

    def __init__(self, pdf: pikepdf.Pdf, part: int, data: bytes) -> None:
        self._pdf = pdf
        self._part = part
        self._data = data
        self._doc_mdp = has_doc_mdp(pdf)
        self._seen: set[tuple[int, int]] = set()

    def permissions(self) -> list[SignatureProblem]:
        """Check the permissions dictionary and the signatures it holds."""
        perms = self._pdf.Root.get("/Perms")
        if perms is None or self._part == 1:
            return []
        if not isinstance(perms, pikepdf.Dictionary):
            return [SignatureProblem(_UNCHECKED, "/Perms", "/Perms is not a dictionary", True)]
        where = where_of(perms, "/Perms")
        problems: list[SignatureProblem] = []
        other = sorted(set(perms.keys()) - _PERMS_KEYS)
        if other:
            problems.append(
                SignatureProblem("6.1.12-1", where, f"the permissions dictionary has keys {', '.join(other)}")
            )
        for key in sorted(_PERMS_KEYS & set(perms.keys())):
            sig = perms.get(key)
            if not isinstance(sig, pikepdf.Dictionary):
                problems.append(
                    SignatureProblem(_UNCHECKED, f"{where} {key}", "not a signature dictionary", True)
                )
                continue
            problems.extend(self.signature(sig, f"{where} {key}"))
        return problems

    def field(self, field: pikepdf.Dictionary, where: str) -> list[SignatureProblem]:
        """Check the signature (/V) of a signature field, if it is signed."""
        sig = field.get("/V")
        if sig is None or self._part == 1:
            return []
        if not isinstance(sig, pikepdf.Dictionary):
            return [SignatureProblem(_UNCHECKED, where, "the signature field's /V is not a dictionary", True)]
        return self.signature(sig, f"{where} /V")

    def signature(self, sig: pikepdf.Dictionary, where: str) -> list[SignatureProblem]:
        """Check one signature dictionary, unless it was checked already."""
        if sig.is_indirect:
            if sig.objgen in self._seen:
                return []
            self._seen.add(sig.objgen)
        return check_signature(sig, where, self._data, doc_mdp=self._doc_mdp)


def check_signature(
    sig: pikepdf.Dictionary, where: str, data: bytes, *, doc_mdp: bool
) -> list[SignatureProblem]:
    """Check a signature dictionary against ISO 19005-2 6.1.12-2 and 6.4.3.

    Args:
        sig: The signature dictionary (a signature field's /V, or a value of /Perms).
        where: Where it is, for the problems.
        data: The file, whose bytes /ByteRange describes.
        doc_mdp: Whether the permissions dictionary holds /DocMDP.
    """
    where = where_of(sig, where)
    problems: list[SignatureProblem] = []
    references = sig.get("/Reference")
    if doc_mdp and isinstance(references, pikepdf.Array):
        found = sorted(
            {
                k
                for ref in list(references)[:_MAX_REFERENCES]
                if isinstance(ref, pikepdf.Dictionary)
                for k in _DIGEST_KEYS
                if k in ref
            }
        )
        if found:
            problems.append(
                SignatureProblem(
                    "6.1.12-2",
                    where,
                    f"with /DocMDP permissions, a signature reference has {', '.join(found)}",
                )
            )
    contents = sig.get("/Contents")
    raw = bytes(contents) if isinstance(contents, pikepdf.String) else None
    byte_range_problem = _byte_range(sig.get("/ByteRange"), raw, data)
    if byte_range_problem is not None:
        problems.append(SignatureProblem("6.4.3-1", where, byte_range_problem))
    certificates, signers = _pkcs7(raw) if raw is not None else (False, 0)
    if not certificates:
        problems.append(
            SignatureProblem("6.4.3-2", where, "the PKCS#7 object in /Contents holds no signing certificate")
        )
    if signers != 1:
        problems.append(
            SignatureProblem(
                "6.4.3-3", where, f"the PKCS#7 object in /Contents has {signers} SignerInfo(s), not 1"
            )
        )
    return problems


_EOF = re.compile(rb"(?:^|(?<=[\r\n]))[ ]*%%EOF")
_STARTXREF = b"startxref"
_SPACE = b"\x00\t\n\x0c\r "
_HEX_STRING = re.compile(rb"<([0-9A-Fa-f\x00\t\n\x0c\r ]*)>")


def _byte_range(value: object, contents: bytes | None, data: bytes) -> str | None:
    """Why *value* is not the byte range veraPDF expects of a signature, or None if it is."""
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return "/ByteRange is not an array of four integers"
    try:
        a, b, c, d = (int(v) for v in value)
    except (TypeError, ValueError):
        return "/ByteRange is not an array of four integers"
    if a != 0 or not 0 < b < c <= len(data) or d < 0:
        return f"/ByteRange [{a} {b} {c} {d}] does not start at 0 or is out of order"
    m = _HEX_STRING.fullmatch(data, b, c)
    if m is None:
        return f"/ByteRange [{a} {b} {c} {d}] does not leave out exactly the /Contents string"
    before = data[:b].rstrip(_SPACE)
    if not (before.endswith(b"/Contents") or before.endswith(b"obj")):
        return f"/ByteRange [{a} {b} {c} {d}] does not leave out the /Contents string"
    hex_digits = bytes(ch for ch in m.group(1) if ch not in _SPACE)
    if len(hex_digits) % 2:
        hex_digits += b"0"
    if contents is None or bytes.fromhex(hex_digits.decode("ascii")) != contents:
        return f"/ByteRange [{a} {b} {c} {d}] leaves out a string other than /Contents"
    # The revision holding the signature ends at the first %%EOF after the next startxref
    start = data.find(_STARTXREF, c)
    eof = _EOF.search(data, c if start < 0 else start)
    if eof is None:
        end, floating, at_end = len(data), 0, True
    else:
        end = eof.end()
        floating = 0
        if data[end : end + 2] == b"\r\n":
            floating = 2
        elif data[end : end + 1] in (b"\r", b"\n"):
            floating = 1
        end += floating
        at_end = end == len(data)
    expected = end - c
    if d == expected or (not at_end and expected - floating <= d <= expected):
        return None
    return f"/ByteRange [{a} {b} {c} {d}] does not run to the end of the revision ({c} + {expected})"


# ASN.1 DER/BER, as far as a PKCS#7 SignedData needs reading
_SEQUENCE, _SET, _OID, _INTEGER, _BIT_STRING = 0x30, 0x31, 0x06, 0x02, 0x03
_CONTEXT_0, _CONTEXT_1 = 0xA0, 0xA1
_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")  # 1.2.840.113549.1.7.2
_MAX_NODES = 100_000
_MAX_DEPTH = 32


class _Asn1Error(ValueError):
    pass


def _header(buf: bytes, pos: int, end: int) -> tuple[int, int, int | None]:
    """Tag, start of content and length (None for BER's indefinite length) of the element at *pos*."""
    if pos + 2 > end:
        raise _Asn1Error("truncated")
    tag = buf[pos]
    pos += 1
    if tag & 0x1F == 0x1F:
        raise _Asn1Error("high tag numbers are not used in PKCS#7")
    first = buf[pos]
    pos += 1
    if first < 0x80:
        return tag, pos, first
    if first == 0x80:
        if not tag & 0x20:
            raise _Asn1Error("indefinite length of a primitive element")
        return tag, pos, None
    count = first & 0x7F
    if count > 4 or pos + count > end:
        raise _Asn1Error("bad length")
    return tag, pos + count, int.from_bytes(buf[pos : pos + count], "big")


def _children(
    buf: bytes, start: int, length: int | None, end: int, depth: int = 0
) -> tuple[list[tuple[int, int, int]], int]:
    """The (tag, start, stop) of each child of a constructed element, and where the element stops."""
    if depth > _MAX_DEPTH:
        raise _Asn1Error("nested too deeply")
    stop = end if length is None else start + length
    if stop > end:
        raise _Asn1Error("element overruns its parent")
    found: list[tuple[int, int, int]] = []
    pos = start
    while pos < stop:
        if length is None and buf[pos : pos + 2] == b"\x00\x00":
            return found, pos + 2
        if len(found) > _MAX_NODES:
            raise _Asn1Error("too many elements")
        tag, content, size = _header(buf, pos, stop)
        if size is None:
            _, after = _children(buf, content, None, stop, depth + 1)
            found.append((tag, content, after - 2))
            pos = after
        else:
            if content + size > stop:
                raise _Asn1Error("element overruns its parent")
            found.append((tag, content, content + size))
            pos = content + size
    if length is None:
        raise _Asn1Error("no end-of-contents marker")
    return found, stop


def _element(buf: bytes, pos: int, end: int) -> tuple[int, list[tuple[int, int, int]]]:
    """Tag and children of the constructed element at *pos*."""
    tag, content, size = _header(buf, pos, end)
    children, _ = _children(buf, content, size, end)
    return tag, children


def _certificate(buf: bytes, start: int, stop: int) -> bool:
    """True if buf[start:stop] is a Certificate: SEQUENCE {tbsCertificate, signatureAlgorithm, signature}."""
    try:
        children, _ = _children(buf, start, stop - start, stop)
    except _Asn1Error:
        return False
    return [t for t, _, _ in children] == [_SEQUENCE, _SEQUENCE, _BIT_STRING]


def _pkcs7(raw: bytes) -> tuple[bool, int]:
    """Whether the PKCS#7 object *raw* holds certificates, all X.509, and how many SignerInfos it has.

    An object that cannot be read holds neither (as veraPDF reads it).
    """
    try:
        tag, info = _element(raw, 0, len(raw))
        if tag != _SEQUENCE or len(info) < 2 or info[0][0] != _OID or info[1][0] != _CONTEXT_0:
            return False, 0
        if raw[info[0][1] : info[0][2]] != _SIGNED_DATA:
            return False, 0
        explicit, _ = _children(raw, info[1][1], info[1][2] - info[1][1], info[1][2])
        if len(explicit) != 1 or explicit[0][0] != _SEQUENCE:
            return False, 0
        _, start, stop = explicit[0]
        signed, _ = _children(raw, start, stop - start, stop)
        tags = [t for t, _, _ in signed]
        if len(signed) < 4 or tags[:3] != [_INTEGER, _SET, _SEQUENCE] or tags[-1] != _SET:
            return False, 0
        certificates = False
        for t, s, e in signed[3:-1]:
            if t == _CONTEXT_0:
                certs, _ = _children(raw, s, e - s, e)
                certificates = bool(certs) and all(
                    ct == _SEQUENCE and _certificate(raw, cs, ce) for ct, cs, ce in certs
                )
            elif t != _CONTEXT_1:
                return False, 0
        _, s, e = signed[-1]
        signers, _ = _children(raw, s, e - s, e)
        return certificates, len(signers)
    except (_Asn1Error, IndexError) as e:
        log.debug("Cannot read the PKCS#7 object of a signature: %s", e)
        return False, 0
