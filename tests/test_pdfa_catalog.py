"""PDF/A checks of what pikepdf.pdfa refuses in the catalog and the trailer.

The PDF/A-1 version, permissions and signatures, the open action and other actions, PDF/X output
intents, optional content and private trailer keys: each conforming construct is approved, each
breach is rejected with its ISO 19005 rule, and a breach hidden below a refused object is found.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from tests.test_validators_pdfa import _check, _edited, _rules, _write_pdfa
from validators.pdfa import _output_intents


def _transfer_function(pdf: pikepdf.Pdf) -> None:
    """A graphics state with a transfer function (ISO 19005-1 6.2.8, ISO 19005-2 6.2.5), used by the page."""
    page = pdf.pages[0].obj
    gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, TR=pikepdf.Name.Identity)
    page.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS1=gs))
    page.Contents = pdf.make_stream(b"/GS1 gs")


def _finds_transfer_function(report) -> bool:
    return any(f.where.endswith("/TR") for f in report.failures)


# --- the PDF version of a PDF/A-1 file (ISO 19005-1 6.1.2) -------------------------------------------


def _header(data: bytes, version: bytes) -> bytes:
    assert data.startswith(b"%PDF-1.4")
    return b"%PDF-" + version + data[8:]


@pytest.mark.parametrize("version", [b"1.5", b"1.7", b"2.0"])
def test_pdfa1_may_say_a_later_version(tmp_path: Path, pdfa1b: bytes, version: bytes) -> None:
    data = _header(pdfa1b, version)
    assert not pikepdf.pdfa.validate_written(io.BytesIO(data), "1b").passed
    assert _check(tmp_path, data, "1b").passed


def test_pdfa1_later_version_is_checked_in_full(tmp_path: Path, pdfa1b: bytes) -> None:
    data = _header(_edited(pdfa1b, _transfer_function), b"1.6")
    report = _check(tmp_path, data, "1b")
    assert not report.passed
    assert _finds_transfer_function(report), report.failures


def test_pdfa1_header_must_still_be_well_formed(tmp_path: Path, pdfa1b: bytes) -> None:
    data = b"%PDF-1.10" + pdfa1b[8:]
    assert not _check(tmp_path, data, "1b").passed


def test_pdfa2_header_above_1_7_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    data = b"%PDF-2.0" + pdfa2b[8:]
    assert "ISO_19005_2:6.1.2-1" in _rules(_check(tmp_path, data, "2b"))


def test_pdfa1_catalog_version(tmp_path: Path, pdfa1b: bytes) -> None:
    data = _edited(pdfa1b, lambda pdf: pdf.Root.__setitem__("/Version", pikepdf.Name("/1.6")))
    assert _check(tmp_path, data, "1b").passed

    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Version = pikepdf.Name("/1.6")
        _transfer_function(pdf)

    report = _check(tmp_path, _edited(pdfa1b, edit), "1b")
    assert not report.passed
    assert _finds_transfer_function(report), report.failures


# --- permissions and digital signatures (ISO 19005-2 6.1.12, 6.4.3) -------------------------------------

_SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")
_DATA_OID = bytes.fromhex("06092a864886f70d010701")


def _der(tag: int, *parts: bytes) -> bytes:
    body = b"".join(parts)
    if len(body) < 0x80:
        return bytes([tag, len(body)]) + body
    size = len(body).to_bytes((len(body).bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def _pkcs7(*, certificates: int = 1, signers: int = 1) -> bytes:
    """A PKCS#7 SignedData of the right shape; nothing in it is cryptographically meaningful."""
    algorithm = _der(0x30, _der(0x06, bytes.fromhex("608648016503040201")), b"\x05\x00")
    name = _der(0x30, _der(0x31, _der(0x30, _der(0x06, b"\x55\x04\x03"), _der(0x0C, b"qujat test"))))
    tbs = _der(0x30, _der(0x02, b"\x01"), algorithm, name, name)
    certificate = _der(0x30, tbs, algorithm, _der(0x03, b"\x00" + b"\x11" * 32))
    signer = _der(
        0x30,
        _der(0x02, b"\x01"),
        _der(0x30, name, _der(0x02, b"\x01")),
        algorithm,
        algorithm,
        _der(0x04, b"\x22" * 32),
    )
    parts = [_der(0x02, b"\x01"), _der(0x31, algorithm), _der(0x30, _DATA_OID)]
    if certificates:
        parts.append(_der(0xA0, *([certificate] * certificates)))
    parts.append(_der(0x31, *([signer] * signers)))
    return _der(0x30, _SIGNED_DATA_OID, _der(0xA0, _der(0x30, *parts)))


_CONTENTS_SIZE = 2048
_BYTE_RANGE_PLACEHOLDER = b"[ 0 9999999999 9999999999 9999999999 ]"


def _signed(
    base: bytes,
    *,
    contents: bytes | None = None,
    perms: dict[str, bool] | None = None,
    reference: pikepdf.Dictionary | None = None,
    short_by: int = 0,
    extra=None,
) -> bytes:
    """*base* signed: a signature field (a widget merged with it, with /Lock) whose /V is a signature.

    Args:
        contents: The PKCS#7 object (a well-formed one by default).
        perms: Keys of /Perms: True for the signature, False for a dictionary of no signature.
        reference: A signature reference dictionary for the signature's /Reference.
        short_by: How many bytes short of the end of the file /ByteRange stops.
        extra: A further edit of the document.
    """
    contents = _pkcs7() if contents is None else contents

    def edit(pdf: pikepdf.Pdf) -> None:
        sig = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name("/Sig"),
                Filter=pikepdf.Name("/Adobe.PPKLite"),
                SubFilter=pikepdf.Name("/adbe.pkcs7.detached"),
                Contents=pikepdf.String(contents.ljust(_CONTENTS_SIZE, b"\x00")),
                ByteRange=pikepdf.Array([0, 9999999999, 9999999999, 9999999999]),
                M=pikepdf.String("D:20240101000000Z"),
            )
        )
        if reference is not None:
            sig.Reference = pikepdf.Array([reference])
        page = pdf.pages[0].obj
        field = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name("/Sig"),
                T=pikepdf.String("Signature1"),
                V=sig,
                F=132,
                Rect=pikepdf.Array([0, 0, 0, 0]),
                P=page,
                Lock=pikepdf.Dictionary(Type=pikepdf.Name("/SigFieldLock"), Action=pikepdf.Name("/All")),
                AP=pikepdf.Dictionary(
                    N=pdf.make_stream(
                        b"",
                        Type=pikepdf.Name.XObject,
                        Subtype=pikepdf.Name.Form,
                        BBox=pikepdf.Array([0, 0, 0, 0]),
                    )
                ),
            )
        )
        page.Annots = pikepdf.Array([field])
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]), SigFlags=3)
        if perms is not None:
            pdf.Root.Perms = pikepdf.Dictionary(
                {k: sig if v else pikepdf.Dictionary(Type=pikepdf.Name("/Sig")) for k, v in perms.items()}
            )
        if extra is not None:
            extra(pdf)

    data = _edited(base, edit)
    start = data.index(b"/Contents <") + len(b"/Contents ")
    stop = data.index(b">", start) + 1
    byte_range = b"[ 0 %d %d %d ]" % (start, stop, len(data) - stop - short_by)
    at = data.index(_BYTE_RANGE_PLACEHOLDER)
    data = (
        data[:at] + byte_range.ljust(len(_BYTE_RANGE_PLACEHOLDER)) + data[at + len(_BYTE_RANGE_PLACEHOLDER) :]
    )
    assert data.index(b"/Contents <") + len(b"/Contents ") == start
    return data


def test_signed_document_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _signed(
        pdfa2b, perms={"/DocMDP": True}, reference=pikepdf.Dictionary(TransformMethod=pikepdf.Name("/DocMDP"))
    )
    assert not pikepdf.pdfa.validate_written(io.BytesIO(data), "2b").passed
    report = _check(tmp_path, data, "2b")
    assert report.passed, report.failures


def test_permissions_hold_only_ur3_and_docmdp(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _signed(pdfa2b, perms={"/DocMDP": True, "/QujatPerm": False})
    assert _rules(_check(tmp_path, data, "2b")) == {"ISO_19005_2:6.1.12-1"}


@pytest.mark.parametrize("key", ["/DigestLocation", "/DigestMethod", "/DigestValue"])
def test_docmdp_signature_reference_has_no_digest(tmp_path: Path, pdfa2b: bytes, key: str) -> None:
    reference = pikepdf.Dictionary(TransformMethod=pikepdf.Name("/DocMDP"))
    reference[key] = pikepdf.Name("/MD5")
    data = _signed(pdfa2b, perms={"/DocMDP": True}, reference=reference)
    assert _rules(_check(tmp_path, data, "2b")) == {"ISO_19005_2:6.1.12-2"}
    # Without /DocMDP permissions, a digest in a signature reference is no concern of PDF/A
    assert _check(tmp_path, _signed(pdfa2b, reference=reference), "2b").passed


def test_byte_range_covers_the_whole_file(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _signed(pdfa2b, short_by=10)
    assert _rules(_check(tmp_path, data, "2b")) == {"ISO_19005_2:6.4.3-1"}


def test_byte_range_leaves_out_exactly_the_contents(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _signed(pdfa2b)
    m = re.search(rb"/ByteRange \[ 0 (\d+) ", data)
    assert m is not None
    wrong = str(int(m.group(1)) - 1).encode().rjust(len(m.group(1)))
    data = data[: m.start(1)] + wrong + data[m.end(1) :]
    assert "ISO_19005_2:6.4.3-1" in _rules(_check(tmp_path, data, "2b"))


def test_signature_holds_a_certificate(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _signed(pdfa2b, contents=_pkcs7(certificates=0))
    assert _rules(_check(tmp_path, data, "2b")) == {"ISO_19005_2:6.4.3-2"}


def test_signature_has_one_signer(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _signed(pdfa2b, contents=_pkcs7(signers=2))
    assert _rules(_check(tmp_path, data, "2b")) == {"ISO_19005_2:6.4.3-3"}


def test_signature_that_is_not_pkcs7(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _signed(pdfa2b, contents=b"not a signature")
    assert _rules(_check(tmp_path, data, "2b")) == {"ISO_19005_2:6.4.3-2", "ISO_19005_2:6.4.3-3"}


def test_signature_does_not_hide_what_is_below(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _signed(pdfa2b, perms={"/DocMDP": True}, extra=_transfer_function)
    report = _check(tmp_path, data, "2b")
    assert not report.passed
    assert _finds_transfer_function(report), report.failures


def test_pdfa1_signature_is_no_concern(tmp_path: Path, pdfa1b: bytes) -> None:
    # ISO 19005-1 has no rule on signatures; /Perms (PDF 1.5) is not one of its concerns either
    data = _signed(pdfa1b, contents=b"not a signature")
    assert _check(tmp_path, data, "1b").passed


# --- actions (ISO 19005-1 6.6.1, ISO 19005-2 6.5.1) ---------------------------------------------------


def _open_action(value):
    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = value(pdf) if callable(value) else value

    return edit


def _goto(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit]))


@pytest.mark.parametrize("flavour", ["1b", "2b"])
@pytest.mark.parametrize(
    "value",
    [
        lambda pdf: pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit]),
        _goto,
        pikepdf.Dictionary(S=pikepdf.Name.Named, N=pikepdf.Name("/LastPage")),
        pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/")),
    ],
    ids=["destination", "goto", "named", "uri"],
)
def test_open_action_passes(tmp_path: Path, flavour: str, value) -> None:
    data = _edited(_write_pdfa(flavour), _open_action(value))
    assert not pikepdf.pdfa.validate_written(io.BytesIO(data), flavour).passed
    report = _check(tmp_path, data, flavour)
    assert report.passed, report.failures


@pytest.mark.parametrize(
    ("flavour", "value", "rule"),
    [
        ("2b", pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("x.exe")), "ISO_19005_2:6.5.1-1"),
        ("1b", pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("x.exe")), "ISO_19005_1:6.6.1-1"),
        (
            "2b",
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")),
            "ISO_19005_2:6.5.1-1",
        ),
        ("2b", pikepdf.Dictionary(S=pikepdf.Name("/Hide"), T=pikepdf.String("f")), "ISO_19005_2:6.5.1-1"),
        ("1b", pikepdf.Dictionary(S=pikepdf.Name("/GoToE")), "ISO_19005_1:6.6.1-1"),
        ("2b", pikepdf.Dictionary(S=pikepdf.Name.Named, N=pikepdf.Name("/Print")), "ISO_19005_2:6.5.1-2"),
        ("1b", pikepdf.Dictionary(S=pikepdf.Name.Named, N=pikepdf.Name("/Print")), "ISO_19005_1:6.6.1-2"),
    ],
)
def test_open_action_not_permitted(tmp_path: Path, flavour: str, value, rule: str) -> None:
    data = _edited(_write_pdfa(flavour), _open_action(value))
    assert rule in _rules(_check(tmp_path, data, flavour))


def test_open_action_next_chain_is_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    def value(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        action = _goto(pdf)
        action.Next = pikepdf.Array(
            [
                pikepdf.Dictionary(S=pikepdf.Name.Named, N=pikepdf.Name("/FirstPage")),
                pikepdf.Dictionary(S=pikepdf.Name("/ResetForm")),
            ]
        )
        return action

    data = _edited(pdfa2b, _open_action(value))
    assert _rules(_check(tmp_path, data, "2b")) == {"ISO_19005_2:6.5.1-1"}


def test_open_action_does_not_hide_what_is_below(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        _open_action(_goto)(pdf)
        _transfer_function(pdf)

    report = _check(tmp_path, _edited(pdfa2b, edit), "2b")
    assert not report.passed
    assert _finds_transfer_function(report), report.failures


def _link(action):
    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        link = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Link,
                Rect=pikepdf.Array([10, 10, 50, 50]),
                F=4,
                Border=pikepdf.Array([0, 0, 0]),
                A=pdf.make_indirect(action(pdf)),
            )
        )
        page.Annots = pikepdf.Array([link])

    return edit


def test_link_action_with_a_key_of_other_actions_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    # /JS means something to JavaScript actions only: on a URI action it is nothing PDF/A asks about
    data = _edited(
        pdfa2b,
        _link(
            lambda pdf: pikepdf.Dictionary(
                S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/"), JS=pikepdf.String("x")
            )
        ),
    )
    assert not pikepdf.pdfa.validate_written(io.BytesIO(data), "2b").passed
    assert _check(tmp_path, data, "2b").passed


def test_link_action_with_a_file_specification_dictionary(tmp_path: Path, pdfa2b: bytes) -> None:
    def remote(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        spec = pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec, F=pikepdf.String("other.pdf"), UF=pikepdf.String("other.pdf")
        )
        return pikepdf.Dictionary(S=pikepdf.Name("/GoToR"), F=spec, D=pikepdf.Array([0, pikepdf.Name.Fit]))

    data = _edited(pdfa2b, _link(remote))
    assert not pikepdf.pdfa.validate_written(io.BytesIO(data), "2b").passed
    assert _check(tmp_path, data, "2b").passed

    def embedding(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        action = remote(pdf)
        action.F.EF = pikepdf.Dictionary(F=pdf.make_stream(b"%PDF-1.4", Type=pikepdf.Name.EmbeddedFile))
        return action

    # A file specification that embeds a file stays refused
    assert not _check(tmp_path, _edited(pdfa2b, _link(embedding)), "2b").passed


def test_refused_link_action_is_still_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    def action(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        uri = pikepdf.Dictionary(
            S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/"), JS=pikepdf.String("x")
        )
        uri.Next = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("x.exe")))
        return uri

    assert "ISO_19005_2:6.5.1-1" in _rules(_check(tmp_path, _edited(pdfa2b, _link(action)), "2b"))


# --- output intents (ISO 19005-2 6.2.3) ------------------------------------------------------------------


def _second_intent(subtype: str, *, same_profile: bool = True, profile_ref: bool = False):
    def edit(pdf: pikepdf.Pdf) -> None:
        first = pdf.Root.OutputIntents[0]
        profile = first.DestOutputProfile
        if not same_profile:
            profile = pdf.make_stream(profile.read_bytes(), N=profile.N)
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name(subtype),
            OutputConditionIdentifier=pikepdf.String("sRGB"),
            DestOutputProfile=profile,
        )
        if profile_ref:
            intent.DestOutputProfileRef = pikepdf.Dictionary(
                URLs=pikepdf.Array([pikepdf.String("https://example.org/p.icc")])
            )
        pdf.Root.OutputIntents.append(pdf.make_indirect(intent))

    return edit


@pytest.mark.parametrize("subtype", ["/GTS_PDFX", "/ISO_PDFE1"])
def test_further_output_intent_with_the_same_profile_passes(
    tmp_path: Path, pdfa2b: bytes, subtype: str
) -> None:
    data = _edited(pdfa2b, _second_intent(subtype))
    assert not pikepdf.pdfa.validate_written(io.BytesIO(data), "2b").passed
    report = _check(tmp_path, data, "2b")
    assert report.passed, report.failures


def test_further_output_intent_with_another_profile_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _edited(pdfa2b, _second_intent("/GTS_PDFX", same_profile=False))
    assert "ISO_19005_2:6.2.3-2" in _rules(_check(tmp_path, data, "2b"))


def test_pdfx_output_intent_has_no_profile_ref(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _edited(pdfa2b, _second_intent("/GTS_PDFX", profile_ref=True))
    assert "ISO_19005_2:6.2.3-3" in _rules(_check(tmp_path, data, "2b"))
    # pikepdf finds this one itself; our check of the intents it refuses finds it too
    with pikepdf.open(io.BytesIO(data)) as pdf:
        problems = _output_intents.check_other_intents(pdf, 2)
        assert problems is not None
        assert [p.clause for p in problems] == ["6.2.3-3"]
        assert [str(i.S) for i in pdf.Root.OutputIntents] == ["/GTS_PDFA1"]


def test_no_pdfa_output_intent_stays_refused(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OutputIntents[0].S = pikepdf.Name("/GTS_PDFX")

    assert not _check(tmp_path, _edited(pdfa2b, edit), "2b").passed


def test_further_output_intent_does_not_hide_what_is_below(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        _second_intent("/GTS_PDFX")(pdf)
        _transfer_function(pdf)

    report = _check(tmp_path, _edited(pdfa2b, edit), "2b")
    assert not report.passed
    assert _finds_transfer_function(report), report.failures


# --- optional content (ISO 19005-2 6.9) --------------------------------------------------------------------


def _optional_content(
    *,
    name: str | None = "Default",
    configs: list[pikepdf.Dictionary] | None = None,
    order: bool = True,
    auto_state: bool = False,
):
    def edit(pdf: pikepdf.Pdf) -> None:
        group = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Layer 1")))
        other = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Layer 2")))
        default = pikepdf.Dictionary(ON=pikepdf.Array([group, other]))
        if name is not None:
            default.Name = pikepdf.String(name)
        default.Order = pikepdf.Array([group, other] if order else [group])
        if auto_state:
            default.AS = pikepdf.Array(
                [
                    pikepdf.Dictionary(
                        Event=pikepdf.Name("/View"),
                        Category=pikepdf.Array([pikepdf.Name("/Zoom")]),
                        OCGs=pikepdf.Array([group]),
                    )
                ]
            )
        props = pikepdf.Dictionary(OCGs=pikepdf.Array([group, other]), D=default)
        if configs is not None:
            props.Configs = pikepdf.Array(configs)
        pdf.Root.OCProperties = props
        # A form XObject shown only when the group is on
        form = pdf.make_stream(
            b"0 0 m 10 10 l S",
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=pikepdf.Array([0, 0, 20, 20]),
            OC=group,
        )
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form))
        page.Contents = pdf.make_stream(b"/Fm1 Do")

    return edit


def test_optional_content_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _edited(pdfa2b, _optional_content(configs=[pikepdf.Dictionary(Name=pikepdf.String("Print"))]))
    assert not pikepdf.pdfa.validate_written(io.BytesIO(data), "2b").passed
    report = _check(tmp_path, data, "2b")
    assert report.passed, report.failures


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (_optional_content(name=None), "6.9-1"),
        (_optional_content(name=""), "6.9-1"),
        (_optional_content(configs=[pikepdf.Dictionary(Name=pikepdf.String("Default"))]), "6.9-2"),
        (_optional_content(order=False), "6.9-3"),
        (_optional_content(auto_state=True), "6.9-4"),
    ],
    ids=["no-name", "empty-name", "duplicate-name", "order", "auto-state"],
)
def test_optional_content_configuration_fails(tmp_path: Path, pdfa2b: bytes, edit, rule: str) -> None:
    assert _rules(_check(tmp_path, _edited(pdfa2b, edit), "2b")) == {f"ISO_19005_2:{rule}"}


def test_optional_content_does_not_hide_what_is_below(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        _optional_content()(pdf)
        gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, TR=pikepdf.Name.Identity)
        pdf.pages[0].obj.Resources.ExtGState = pikepdf.Dictionary(GS1=gs)
        pdf.pages[0].obj.Contents = pdf.make_stream(b"/GS1 gs /Fm1 Do")

    report = _check(tmp_path, _edited(pdfa2b, edit), "2b")
    assert not report.passed
    assert _finds_transfer_function(report), report.failures


def test_pdfa1_forbids_optional_content(tmp_path: Path, pdfa1b: bytes) -> None:
    report = _check(tmp_path, _edited(pdfa1b, _optional_content()), "1b")
    assert not report.passed
    assert "ISO_19005_1:6.1.13-1" in {f.rule for f in report.findings}


# --- private trailer keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["1b", "2b"])
def test_private_trailer_key_passes(tmp_path: Path, flavour: str) -> None:
    data = _edited(
        _write_pdfa(flavour), lambda pdf: pdf.trailer.__setitem__("/QujatBatch", pikepdf.String("17"))
    )
    assert not pikepdf.pdfa.validate_written(io.BytesIO(data), flavour).passed
    report = _check(tmp_path, data, flavour)
    assert report.passed, report.failures


def test_private_trailer_key_does_not_hide_what_is_below(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.trailer.QujatBatch = 17
        _transfer_function(pdf)

    report = _check(tmp_path, _edited(pdfa2b, edit), "2b")
    assert not report.passed
    assert _finds_transfer_function(report), report.failures


def test_private_trailer_key_does_not_excuse_a_missing_id(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _edited(pdfa2b, lambda pdf: pdf.trailer.__setitem__("/QujatBatch", 17))
    data = re.sub(rb"/ID \[ *<[0-9a-f]+> *<[0-9a-f]+> *\]", lambda m: b" " * len(m.group(0)), data)
    assert "ISO_19005_2:6.1.3-1" in _rules(_check(tmp_path, data, "2b"))


def test_optional_content_marked_in_a_content_stream(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf, *, transfer: bool = False) -> None:
        _optional_content()(pdf)
        page = pdf.pages[0].obj
        group = pdf.Root.OCProperties.OCGs[0]
        page.Resources.Properties = pikepdf.Dictionary(MC0=group)
        content = b"/OC /MC0 BDC 0 0 m 10 10 l S EMC"
        if transfer:
            gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, TR=pikepdf.Name.Identity)
            page.Resources.ExtGState = pikepdf.Dictionary(GS1=gs)
            content += b" /GS1 gs"
        page.Contents = pdf.make_stream(content)

    report = _check(tmp_path, _edited(pdfa2b, edit), "2b")
    assert report.passed, report.failures
    report = _check(tmp_path, _edited(pdfa2b, lambda pdf: edit(pdf, transfer=True)), "2b")
    assert not report.passed
    assert _finds_transfer_function(report), report.failures


def test_open_action_embedding_a_file_stays_refused(tmp_path: Path, pdfa2b: bytes) -> None:
    def value(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        embedded = pdf.make_stream(b"%PDF-1.4", Type=pikepdf.Name.EmbeddedFile)
        spec = pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec, F=pikepdf.String("a.pdf"), EF=pikepdf.Dictionary(F=embedded)
        )
        return pikepdf.Dictionary(S=pikepdf.Name("/GoToR"), F=spec, D=pikepdf.Array([0, pikepdf.Name.Fit]))

    report = _check(tmp_path, _edited(pdfa2b, _open_action(value)), "2b")
    assert not report.passed
    assert "pikepdf:schema-Action" in {f.rule for f in report.findings}


def _with_link_action(action: dict):
    def edit(pdf: pikepdf.Pdf) -> None:
        a = pikepdf.Dictionary(Type=pikepdf.Name.Action)
        for key, value in action.items():
            a[key] = value
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], F=4, A=a
        )
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(annot)])

    return edit


_URL = pikepdf.Dictionary(FS=pikepdf.Name.URL, F=pikepdf.String("https://example.invalid/form"))


@pytest.mark.parametrize(
    ("flavour", "action"),
    [
        ("2b", {"/S": pikepdf.Name.SubmitForm, "/F": _URL, "/Flags": 4}),
        ("2b", {"/S": pikepdf.Name.Thread, "/D": 0}),
        ("2b", {"/S": pikepdf.Name.GoToE, "/D": pikepdf.String("chapter"), "/NewWindow": False}),
        ("1b", {"/S": pikepdf.Name.SubmitForm, "/F": _URL}),
    ],
    ids=["2b-SubmitForm", "2b-Thread", "2b-GoToE", "1b-SubmitForm"],
)
def test_permitted_actions_pikepdf_does_not_know_pass(tmp_path: Path, flavour: str, action: dict) -> None:
    # ISO 19005-2 6.5.1 and ISO 19005-1 6.6.1 list what is forbidden; these are not
    report = _check(tmp_path, _edited(_write_pdfa(flavour), _with_link_action(action)), flavour)
    assert report.passed, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize(
    ("flavour", "action", "rule"),
    [
        # GoToE came with PDF 1.6: not among PDF/A-1's action types
        ("1b", {"/S": pikepdf.Name.GoToE, "/D": pikepdf.String("chapter")}, "ISO_19005_1:6.6.1-1"),
        ("2b", {"/S": pikepdf.Name.Launch, "/F": pikepdf.String("run.exe")}, "ISO_19005_2:6.5.1-1"),
        # A permitted action whose /Next is not
        (
            "2b",
            {"/S": pikepdf.Name.Thread, "/D": 0, "/Next": pikepdf.Dictionary(S=pikepdf.Name.JavaScript)},
            "ISO_19005_2:6.5.1-1",
        ),
    ],
    ids=["1b-GoToE", "2b-Launch", "2b-Thread-then-JavaScript"],
)
def test_forbidden_actions_fail(tmp_path: Path, flavour: str, action: dict, rule: str) -> None:
    report = _check(tmp_path, _edited(_write_pdfa(flavour), _with_link_action(action)), flavour)
    assert rule in _rules(report)


def test_permitted_action_embedding_a_file_stays_refused(tmp_path: Path) -> None:
    def spec(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        data = pdf.make_stream(b"payload", Type=pikepdf.Name.EmbeddedFile)
        return pikepdf.Dictionary(
            F=pikepdf.String("a.bin"), UF=pikepdf.String("a.bin"), EF=pikepdf.Dictionary(F=data)
        )

    def edit(pdf: pikepdf.Pdf) -> None:
        _with_link_action({"/S": pikepdf.Name.SubmitForm, "/F": spec(pdf)})(pdf)

    assert not _check(tmp_path, _edited(_write_pdfa("2b"), edit), "2b").passed
