"""The predefined XMP schemas of PDF/A, property by property and structure field by field.

ISO 19005-1 6.7.9 admits the properties of XMP 2004 and ISO 19005-2 6.6.2.3.1 those of XMP 2005, each
with the value type its schema gives it. The tables below list them as veraPDF does (its validation
reads a closed choice as its base type), written out here independently of
`validators.pdfa._xmp_schemas`: for every property a packet holding a value of its type is approved,
and one holding a value of another type is rejected with the value type rule (ISO_19005_1:6.7.9-3,
ISO_19005_2:6.6.2.3.1-2); a property of XMP 2005 alone is rejected in PDF/A-1 as not predefined
(ISO_19005_1:6.7.9-2).
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from tests.test_validators_pdfa import _check, _rules, _with_metadata, _write_pdfa

_NS = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "xmpBJ": "http://ns.adobe.com/xap/1.0/bj/",
    "xmpTPg": "http://ns.adobe.com/xap/1.0/t/pg/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "aux": "http://ns.adobe.com/exif/1.0/aux/",
    "crs": "http://ns.adobe.com/camera-raw-settings/1.0/",
    "xmpDM": "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
    "stDim": "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
    "stEvt": "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
    "stRef": "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    "stVer": "http://ns.adobe.com/xap/1.0/sType/Version#",
    "stJob": "http://ns.adobe.com/xap/1.0/sType/Job#",
    "stFnt": "http://ns.adobe.com/xap/1.0/sType/Font#",
    "xmpG": "http://ns.adobe.com/xap/1.0/g/",
    "xmpGImg": "http://ns.adobe.com/xap/1.0/g/img/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "pdfaType": "http://www.aiim.org/pdfa/ns/type#",
    "pdfaField": "http://www.aiim.org/pdfa/ns/field#",
    "qj": "http://example.org/ns/qujat/",
    "qk": "http://example.org/ns/other/",
}

# The properties of each predefined schema: "name=Value Type", as XMP 2004 (PDF/A-1) and XMP 2005
# (PDF/A-2 and -3) define them
_XMP_2004 = {
    "pdfaid": ("part=Integer, amd=Text, conformance=Text"),
    "dc": (
        "contributor=Bag ProperName, coverage=Text, creator=Seq ProperName, date=Seq Date, description=Lang "
        "Alt, format=MIMEType, identifier=Text, language=Bag Locale, publisher=Bag ProperName, relation=Bag "
        "Text, rights=Lang Alt, source=Text, subject=Bag Text, title=Lang Alt, type=Bag Text"
    ),
    "xmp": (
        "Advisory=Bag Text, BaseURL=URL, CreateDate=Date, CreatorTool=AgentName, Identifier=Bag Text, "
        "MetadataDate=Date, ModifyDate=Date, Nickname=Text, Thumbnails=Alt Thumbnail"
    ),
    "xmpRights": (
        "Certificate=URL, Marked=Boolean, Owner=Bag ProperName, UsageTerms=Lang Alt, WebStatement=URL"
    ),
    "xmpMM": (
        "DerivedFrom=ResourceRef, DocumentID=URI, History=Seq ResourceEvent, InstanceID=URI, "
        "ManagedFrom=ResourceRef, Manager=AgentName, ManageTo=URI, ManageUI=URI, ManagerVariant=Text, "
        "RenditionClass=RenditionClass, RenditionParams=Text, VersionID=Text, Versions=Seq Version, "
        "LastURL=URL, RenditionOf=ResourceRef, SaveID=Integer"
    ),
    "xmpBJ": ("JobRef=Bag Job"),
    "xmpTPg": ("MaxPageSize=Dimensions, NPages=Integer"),
    "pdf": ("Keywords=Text, PDFVersion=Text, Producer=AgentName"),
    "photoshop": (
        "AuthorsPosition=Text, CaptionWriter=ProperName, Category=Text, City=Text, Country=Text, "
        "Credit=Text, DateCreated=Date, Headline=Text, Instructions=Text, Source=Text, State=Text, "
        "TransmissionReference=Text, Urgency=Integer, SupplementalCategories=Text"
    ),
    "tiff": (
        "ImageWidth=Integer, ImageLength=Integer, BitsPerSample=Seq Integer, SamplesPerPixel=Integer, "
        "XResolution=Rational, YResolution=Rational, TransferFunction=Seq Integer, WhitePoint=Seq Rational, "
        "PrimaryChromaticities=Seq Rational, YCbCrCoefficients=Seq Rational, ReferenceBlackWhite=Seq "
        "Rational, DateTime=Date, ImageDescription=Lang Alt, Make=ProperName, Model=ProperName, "
        "Software=AgentName, Artist=ProperName, Copyright=Lang Alt, Compression=Integer, "
        "PhotometricInterpretation=Integer, Orientation=Integer, PlanarConfiguration=Integer, "
        "YCbCrPositioning=Integer, ResolutionUnit=Integer, YCbCrSubSampling=Seq Integer"
    ),
    "exif": (
        "CompressedBitsPerPixel=Rational, PixelXDimension=Integer, PixelYDimension=Integer, UserComment=Lang "
        "Alt, RelatedSoundFile=Text, DateTimeOriginal=Date, DateTimeDigitized=Date, ExposureTime=Rational, "
        "FNumber=Rational, SpectralSensitivity=Text, ISOSpeedRatings=Seq Integer, OECF=OECF/SFR, "
        "ShutterSpeedValue=Rational, ApertureValue=Rational, BrightnessValue=Rational, "
        "ExposureBiasValue=Rational, MaxApertureValue=Rational, SubjectDistance=Rational, Flash=Flash, "
        "FocalLength=Rational, SubjectArea=Seq Integer, FlashEnergy=Rational, "
        "SpatialFrequencyResponse=OECF/SFR, FocalPlaneXResolution=Rational, FocalPlaneYResolution=Rational, "
        "SubjectLocation=Seq Integer, ExposureIndex=Rational, CFAPattern=CFAPattern, "
        "DigitalZoomRatio=Rational, FocalLengthIn35mmFilm=Integer, DeviceSettingDescription=DeviceSettings, "
        "ImageUniqueID=Text, GPSVersionID=Text, GPSLatitude=GPSCoordinate, GPSLongitude=GPSCoordinate, "
        "GPSAltitude=Rational, GPSTimeStamp=Date, GPSSatellites=Text, GPSDOP=Rational, GPSSpeed=Rational, "
        "GPSTrack=Rational, GPSImgDirection=Rational, GPSMapDatum=Text, GPSDestLatitude=GPSCoordinate, "
        "GPSDestLongitude=GPSCoordinate, GPSDestBearing=Rational, GPSDestDistance=Rational, "
        "GPSProcessingMethod=Text, GPSAreaInformation=Text, ExposureProgram=Integer, MeteringMode=Integer, "
        "FocalPlaneResolutionUnit=Integer, SensingMethod=Integer, FileSource=Integer, SceneType=Integer, "
        "CustomRendered=Integer, ExposureMode=Integer, WhiteBalance=Integer, SceneCaptureType=Integer, "
        "GainControl=Integer, Contrast=Integer, Saturation=Integer, Sharpness=Integer, "
        "SubjectDistanceRange=Integer, GPSAltitudeRef=Integer, GPSStatus=Text, GPSSpeedRef=Text, "
        "GPSTrackRef=Text, GPSImgDirectionRef=Text, GPSDestBearingRef=Text, GPSDestDistanceRef=Text, "
        "GPSDifferential=Integer, ComponentsConfiguration=Seq Integer, MakerNote=Text, ExifVersion=Text, "
        "FlashpixVersion=Text, ColorSpace=Integer, LightSource=Integer, GPSMeasureMode=Integer"
    ),
}
_XMP_2005 = {
    "pdfaid": ("part=Integer, amd=Text, corr=Text, conformance=Text"),
    "dc": (
        "contributor=Bag ProperName, coverage=Text, creator=Seq ProperName, date=Seq Date, description=Lang "
        "Alt, format=MIMEType, identifier=Text, language=Bag Locale, publisher=Bag ProperName, relation=Bag "
        "Text, rights=Lang Alt, source=Text, subject=Bag Text, title=Lang Alt, type=Bag Text"
    ),
    "xmp": (
        "Advisory=Bag Text, BaseURL=URL, CreateDate=Date, CreatorTool=AgentName, Identifier=Bag Text, "
        "MetadataDate=Date, ModifyDate=Date, Nickname=Text, Thumbnails=Alt Thumbnail, Label=Text, Rating=Real"
    ),
    "xmpRights": (
        "Certificate=URL, Marked=Boolean, Owner=Bag ProperName, UsageTerms=Lang Alt, WebStatement=URL"
    ),
    "xmpMM": (
        "DerivedFrom=ResourceRef, DocumentID=URI, History=Seq ResourceEvent, InstanceID=URI, "
        "ManagedFrom=ResourceRef, Manager=AgentName, ManageTo=URI, ManageUI=URI, ManagerVariant=Text, "
        "RenditionClass=RenditionClass, RenditionParams=Text, VersionID=Text, Versions=Seq Version, "
        "LastURL=URL, RenditionOf=ResourceRef, SaveID=Integer"
    ),
    "xmpBJ": ("JobRef=Bag Job"),
    "xmpTPg": (
        "MaxPageSize=Dimensions, NPages=Integer, Fonts=Bag Font, Colorants=Seq Colorant, PlateNames=Seq Text"
    ),
    "pdf": ("Keywords=Text, PDFVersion=Text, Producer=AgentName"),
    "photoshop": (
        "AuthorsPosition=Text, CaptionWriter=ProperName, Category=Text, City=Text, Country=Text, "
        "Credit=Text, DateCreated=Date, Headline=Text, Instructions=Text, Source=Text, State=Text, "
        "TransmissionReference=Text, Urgency=Integer, SupplementalCategories=Bag Text"
    ),
    "tiff": (
        "ImageWidth=Integer, ImageLength=Integer, BitsPerSample=Seq Integer, SamplesPerPixel=Integer, "
        "XResolution=Rational, YResolution=Rational, TransferFunction=Seq Integer, WhitePoint=Seq Rational, "
        "PrimaryChromaticities=Seq Rational, YCbCrCoefficients=Seq Rational, ReferenceBlackWhite=Seq "
        "Rational, DateTime=Date, ImageDescription=Lang Alt, Make=ProperName, Model=ProperName, "
        "Software=AgentName, Artist=ProperName, Copyright=Lang Alt, Compression=Integer, "
        "PhotometricInterpretation=Integer, Orientation=Integer, PlanarConfiguration=Integer, "
        "YCbCrPositioning=Integer, ResolutionUnit=Integer, YCbCrSubSampling=Seq Integer"
    ),
    "exif": (
        "CompressedBitsPerPixel=Rational, PixelXDimension=Integer, PixelYDimension=Integer, UserComment=Lang "
        "Alt, RelatedSoundFile=Text, DateTimeOriginal=Date, DateTimeDigitized=Date, ExposureTime=Rational, "
        "FNumber=Rational, SpectralSensitivity=Text, ISOSpeedRatings=Seq Integer, OECF=OECF/SFR, "
        "ShutterSpeedValue=Rational, ApertureValue=Rational, BrightnessValue=Rational, "
        "ExposureBiasValue=Rational, MaxApertureValue=Rational, SubjectDistance=Rational, Flash=Flash, "
        "FocalLength=Rational, SubjectArea=Seq Integer, FlashEnergy=Rational, "
        "SpatialFrequencyResponse=OECF/SFR, FocalPlaneXResolution=Rational, FocalPlaneYResolution=Rational, "
        "SubjectLocation=Seq Integer, ExposureIndex=Rational, CFAPattern=CFAPattern, "
        "DigitalZoomRatio=Rational, FocalLengthIn35mmFilm=Integer, DeviceSettingDescription=DeviceSettings, "
        "ImageUniqueID=Text, GPSVersionID=Text, GPSLatitude=GPSCoordinate, GPSLongitude=GPSCoordinate, "
        "GPSAltitude=Rational, GPSTimeStamp=Date, GPSSatellites=Text, GPSDOP=Rational, GPSSpeed=Rational, "
        "GPSTrack=Rational, GPSImgDirection=Rational, GPSMapDatum=Text, GPSDestLatitude=GPSCoordinate, "
        "GPSDestLongitude=GPSCoordinate, GPSDestBearing=Rational, GPSDestDistance=Rational, "
        "GPSProcessingMethod=Text, GPSAreaInformation=Text, ExposureProgram=Integer, MeteringMode=Integer, "
        "FocalPlaneResolutionUnit=Integer, SensingMethod=Integer, FileSource=Integer, SceneType=Integer, "
        "CustomRendered=Integer, ExposureMode=Integer, WhiteBalance=Integer, SceneCaptureType=Integer, "
        "GainControl=Integer, Contrast=Integer, Saturation=Integer, Sharpness=Integer, "
        "SubjectDistanceRange=Integer, GPSAltitudeRef=Integer, GPSStatus=Text, GPSSpeedRef=Text, "
        "GPSTrackRef=Text, GPSImgDirectionRef=Text, GPSDestBearingRef=Text, GPSDestDistanceRef=Text, "
        "GPSDifferential=Integer, ComponentsConfiguration=Seq Integer, ExifVersion=Text, "
        "FlashpixVersion=Text, GPSMeasureMode=Text, ColorSpace=Integer, LightSource=Integer"
    ),
    "aux": ("Lens=Text, SerialNumber=Text"),
    "crs": (
        "AutoBrightness=Boolean, AutoContrast=Boolean, AutoExposure=Boolean, AutoShadows=Boolean, "
        "BlueHue=Integer, BlueSaturation=Integer, Brightness=Integer, CameraProfile=Text, "
        "ChromaticAberrationB=Integer, ChromaticAberrationR=Integer, ColorNoiseReduction=Integer, "
        "Contrast=Integer, CropTop=Real, CropLeft=Real, CropBottom=Real, CropRight=Real, CropAngle=Real, "
        "CropWidth=Real, CropHeight=Real, CropUnits=Integer, Exposure=Real, GreenHue=Integer, "
        "GreenSaturation=Integer, HasCrop=Boolean, HasSettings=Boolean, LuminanceSmoothing=Integer, "
        "RawFileName=Text, RedHue=Integer, RedSaturation=Integer, Saturation=Integer, Shadows=Integer, "
        "ShadowTint=Integer, Sharpness=Integer, Temperature=Integer, Tint=Integer, ToneCurveName=Text, "
        "Version=Text, VignetteAmount=Integer, VignetteMidpoint=Integer, WhiteBalance=Text, ToneCurve=Seq "
        "Text"
    ),
    "xmpDM": (
        "projectRef=ProjectLink, videoFrameRate=Text, videoFrameSize=Dimensions, "
        "videoPixelAspectRatio=Rational, videoAlphaUnityIsTransparent=Boolean, "
        "videoAlphaPremultipleColor=Colorant, videoCompressor=Text, audioSampleRate=Integer, "
        "audioCompressor=Text, speakerPlacement=Text, fileDataRate=Rational, tapeName=Text, "
        "altTapeName=Text, startTimecode=Timecode, altTimecode=Timecode, duration=Time, scene=Text, "
        "shotName=Text, "
        "shotDate=Date, shotLocation=Text, logComment=Text, markers=Seq Marker, contributedMedia=Bag Media, "
        "absPeakAudioFilePath=URI, relativePeakAudioFilePath=URI, videoModDate=Date, audioModDate=Date, "
        "metadataModDate=Date, artist=Text, album=Text, trackNumber=Integer, genre=Text, copyright=Text, "
        "releaseDate=Date, composer=Text, engineer=Text, tempo=Real, instrument=Text, introTime=Time, "
        "outCue=Time, relativeTimestamp=Time, loop=Boolean, numberOfBeats=Real, "
        "timeScaleParams=TimeScaleStretch, resampleParams=ResampleStretch, "
        "beatSpliceParams=BeatSpliceStretch, videoPixelDepth=Text, videoColorSpace=Text, "
        "videoAlphaMode=Text, videoFieldOrder=Text, pullDown=Text, audioSampleType=Text, "
        "audioChannelType=Text, key=Text, "
        "stretchMode=Text, timeSignature=Text, scaleType=Text"
    ),
}


# The structure types: the prefix of their fields and each field's type. Colorant, Font and the
# Dynamic Media types are XMP 2005 only.
_STRUCTS = {
    "Dimensions": ("stDim", "w=Real, h=Real, unit=Text"),
    "Thumbnail": ("xmpGImg", "height=Integer, width=Integer, image=Text, format=Text"),
    "ResourceEvent": (
        "stEvt",
        "action=Text, instanceID=URI, parameters=Text, softwareAgent=AgentName, when=Date",
    ),
    "ResourceRef": (
        "stRef",
        "instanceID=URI, documentID=URI, versionID=Text, renditionClass=RenditionClass, "
        "renditionParams=Text, manager=AgentName, managerVariant=Text, manageTo=URI, manageUI=URI",
    ),
    "Version": (
        "stVer",
        "comments=Text, event=ResourceEvent, modifyDate=Date, modifier=ProperName, version=Text",
    ),
    "Job": ("stJob", "name=Text, id=Text, url=URL"),
    "Flash": ("exif", "Fired=Boolean, Return=Text, Mode=Text, Function=Boolean, RedEyeMode=Boolean"),
    "OECF/SFR": ("exif", "Columns=Integer, Rows=Integer, Names=Seq Text, Values=Seq Rational"),
    "CFAPattern": ("exif", "Columns=Integer, Rows=Integer, Values=Seq Integer"),
    "DeviceSettings": ("exif", "Columns=Integer, Rows=Integer, Settings=Seq Text"),
    "Colorant": (
        "xmpG",
        "swatchName=Text, mode=Text, type=Text, cyan=Real, magenta=Real, yellow=Real, black=Real, "
        "red=Integer, green=Integer, blue=Integer, L=Real, A=Integer, B=Integer",
    ),
    "Font": (
        "stFnt",
        "fontName=Text, fontFamily=Text, fontFace=Text, fontType=Text, versionString=Text, "
        "composite=Boolean, fontFileName=Text, childFontFiles=Seq Text",
    ),
    "BeatSpliceStretch": ("xmpDM", "useFileBeatsMarker=Boolean, riseInDecibel=Real, riseInTimeDuration=Time"),
    "Marker": (
        "xmpDM",
        "startTime=Any, duration=Any, comment=Text, name=Text, location=URI, target=Text, type=Text",
    ),
    "Media": (
        "xmpDM",
        "path=URI, track=Text, startTime=Time, duration=Time, managed=Boolean, webStatement=URI",
    ),
    "ProjectLink": ("xmpDM", "path=URI, type=Text"),
    "ResampleStretch": ("xmpDM", "quality=Text"),
    "Time": ("xmpDM", "value=Integer, scale=Rational"),
    "Timecode": ("xmpDM", "timeValue=Text, timeFormat=Text"),
    "TimeScaleStretch": ("xmpDM", "frameSize=Real, frameOverlappingPercentage=Real, quality=Text"),
}
_STRUCTS_2005_ONLY = {
    "Colorant",
    "Font",
    "BeatSpliceStretch",
    "Marker",
    "Media",
    "ProjectLink",
    "ResampleStretch",
    "Time",
    "Timecode",
    "TimeScaleStretch",
}


def _entries(spec: str) -> dict[str, str]:
    return dict(item.strip().split("=") for item in spec.split(","))


def _properties(table: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(prefix, name, vt) for prefix, spec in table.items() for name, vt in _entries(spec).items()]


_PART = {"1b": 1, "2b": 2}
_TABLES = {"1b": _properties(_XMP_2004), "2b": _properties(_XMP_2005)}
_TYPE_RULE = {"1b": "ISO_19005_1:6.7.9-3", "2b": "ISO_19005_2:6.6.2.3.1-2"}
_UNDECLARED_RULE = {"1b": "ISO_19005_1:6.7.9-2", "2b": "ISO_19005_2:6.6.2.3.1-1"}

# A value of each simple type, and a simple value that is not one (None: every simple value is one)
_SIMPLE = {
    "Text": ("Annual report", None),
    "ProperName": ("Ada Lovelace", None),
    "AgentName": ("qujat 1.0", None),
    "RenditionClass": ("default", None),
    "URI": ("uuid:6c1ffb4c-9b55-4c4a-8e1f-3f1b5f2c0f10", None),
    "URL": ("https://example.org/record/42", None),
    "Locale": ("en-GB", None),
    "Rational": ("1/3", None),
    "MIMEType": ("application/pdf", "a PDF file"),
    "Integer": ("42", "4.2"),
    "Real": ("2.5", "two and a half"),
    "Boolean": ("True", "yes"),
    "Date": ("2016-02-01T13:19:21+01:00", "1 February 2016"),
    "GPSCoordinate": ("43,40,53W", "43 degrees west"),
}


def _good(vt: str) -> str:
    """The XML content of a property element holding a value of type *vt*."""
    if vt in _SIMPLE:
        return _SIMPLE[vt][0]
    if vt == "Lang Alt":
        return '<rdf:Alt><rdf:li xml:lang="x-default">Annual report</rdf:li></rdf:Alt>'
    kind, _, item = vt.partition(" ")
    if kind in ("Bag", "Seq", "Alt"):
        return f"<rdf:{kind}><rdf:li>{_good(item)}</rdf:li></rdf:{kind}>"
    prefix, spec = _STRUCTS[vt]
    name, field_type = next((n, t) for n, t in _entries(spec).items() if t != "Any")
    return f"<rdf:Description><{prefix}:{name}>{_good(field_type)}</{prefix}:{name}></rdf:Description>"


def _bad(vt: str) -> str:
    """The XML content of a property element holding a value that is not of type *vt*."""
    if vt in _SIMPLE:
        return _SIMPLE[vt][1] or "<rdf:Bag><rdf:li>Annual report</rdf:li></rdf:Bag>"
    if vt == "Lang Alt":
        return "Annual report"
    kind, _, item = vt.partition(" ")
    if kind in ("Bag", "Seq", "Alt"):
        other = "Seq" if kind == "Bag" else "Bag"
        return f"<rdf:{other}><rdf:li>{_good(item)}</rdf:li></rdf:{other}>"
    return "Annual report"


def _packet(part: int, body: str) -> bytes:
    """An XMP packet identifying PDF/A part *part*, conformance B, with *body* in its Description."""
    namespaces = " ".join(f'xmlns:{p}="{uri}"' for p, uri in _NS.items())
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" {namespaces}>
      <pdfaid:part>{part}</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
      {body}
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


@pytest.fixture(scope="module")
def bases() -> dict[str, bytes]:
    """A PDF/A-1b and a PDF/A-2b file without a document information dictionary, so that no property
    has to agree with one (ISO 19005-1 6.7.3)."""
    out = {}
    for flavour in _PART:
        with pikepdf.open(io.BytesIO(_write_pdfa(flavour))) as pdf:
            del pdf.trailer.Info
            buf = io.BytesIO()
            pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
        out[flavour] = buf.getvalue()
    return out


def _verdict(tmp_path: Path, bases: dict[str, bytes], flavour: str, body: str):
    return _check(tmp_path, _with_metadata(bases[flavour], _packet(_PART[flavour], body)), flavour)


def _cases(kind: str) -> list:
    out = []
    for flavour, table in _TABLES.items():
        for prefix, name, vt in table:
            if prefix == "pdfaid" and (kind == "bad" or name in ("part", "conformance")):
                continue  # every packet here identifies its part; that has rules of its own
            out.append(pytest.param(flavour, prefix, name, vt, id=f"{flavour}-{prefix}:{name}"))
    return out


def test_the_tables_cover_every_schema() -> None:
    assert len(_TABLES["1b"]) == 172 and len(_TABLES["2b"]) == 277
    assert {p for p, _n, _t in _TABLES["2b"]} == set(_XMP_2005) and len(_XMP_2005) == 14


def test_an_empty_description_passes(tmp_path: Path, bases: dict[str, bytes]) -> None:
    for flavour in _PART:
        report = _verdict(tmp_path, bases, flavour, "")
        assert report.passed, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize(("flavour", "prefix", "name", "vt"), _cases("good"))
def test_a_value_of_the_type_passes(
    tmp_path: Path, bases: dict[str, bytes], flavour, prefix, name, vt
) -> None:
    report = _verdict(tmp_path, bases, flavour, f"<{prefix}:{name}>{_good(vt)}</{prefix}:{name}>")
    assert report.passed, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize(("flavour", "prefix", "name", "vt"), _cases("bad"))
def test_a_value_of_another_type_fails(
    tmp_path: Path, bases: dict[str, bytes], flavour, prefix, name, vt
) -> None:
    report = _verdict(tmp_path, bases, flavour, f"<{prefix}:{name}>{_bad(vt)}</{prefix}:{name}>")
    assert _rules(report) == {_TYPE_RULE[flavour]}
    assert any(f"{prefix}:{name}" in f.message for f in report.failures)


_IN_2004 = {(p, n) for p, n, _t in _TABLES["1b"]}
_ONLY_2005 = [(p, n, t) for p, n, t in _TABLES["2b"] if (p, n) not in _IN_2004]
_ONLY_2004 = sorted({(p, n) for p, n, _t in _TABLES["1b"]} - {(p, n) for p, n, _t in _TABLES["2b"]})


def test_the_parts_differ_where_the_xmp_versions_do() -> None:
    assert _ONLY_2004 == [("exif", "MakerNote")]
    assert {p for p, _n, _t in _ONLY_2005} == {"pdfaid", "xmp", "xmpTPg", "aux", "crs", "xmpDM"}
    assert len(_ONLY_2005) == 106


@pytest.mark.parametrize(
    ("prefix", "name", "vt"), [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in _ONLY_2005]
)
def test_an_xmp_2005_property_is_not_predefined_in_pdfa_1(
    tmp_path: Path, bases: dict[str, bytes], prefix, name, vt
) -> None:
    report = _verdict(tmp_path, bases, "1b", f"<{prefix}:{name}>{_good(vt)}</{prefix}:{name}>")
    assert _rules(report) == {_UNDECLARED_RULE["1b"]}


def test_exif_makernote_is_not_predefined_in_pdfa_2(tmp_path: Path, bases: dict[str, bytes]) -> None:
    report = _verdict(tmp_path, bases, "2b", "<exif:MakerNote>Annual report</exif:MakerNote>")
    assert _rules(report) == {_UNDECLARED_RULE["2b"]}


@pytest.mark.parametrize(
    ("body", "passes_1b", "passes_2b"),
    [
        # Text in XMP 2004, Bag Text in XMP 2005
        ("<photoshop:SupplementalCategories>news</photoshop:SupplementalCategories>", True, False),
        (
            "<photoshop:SupplementalCategories><rdf:Bag><rdf:li>news</rdf:li></rdf:Bag>"
            "</photoshop:SupplementalCategories>",
            False,
            True,
        ),
        # Integer in XMP 2004, Text in XMP 2005
        ("<exif:GPSMeasureMode>2</exif:GPSMeasureMode>", True, True),
        ("<exif:GPSMeasureMode>2D</exif:GPSMeasureMode>", False, True),
        # XMP 2004 writes a coordinate with two digits in each part, XMP 2005 allows one to three
        ("<exif:GPSLatitude>43,40,53N</exif:GPSLatitude>", True, True),
        ("<exif:GPSLatitude>43,40.88N</exif:GPSLatitude>", True, True),
        ("<exif:GPSLatitude>3,4,5N</exif:GPSLatitude>", False, True),
        ("<exif:GPSLatitude>143,40.885N</exif:GPSLatitude>", False, True),
        ("<exif:GPSLatitude>43,40N</exif:GPSLatitude>", False, False),
    ],
)
def test_where_the_parts_read_a_property_differently(
    tmp_path: Path, bases: dict[str, bytes], body: str, passes_1b: bool, passes_2b: bool
) -> None:
    for flavour, passes in (("1b", passes_1b), ("2b", passes_2b)):
        report = _verdict(tmp_path, bases, flavour, body)
        assert report.passed is passes, (flavour, [f.to_dict() for f in report.findings])
        if not passes:
            assert _rules(report) == {_TYPE_RULE[flavour]}


def _struct_cases(kind: str) -> list:
    out = []
    for flavour in _PART:
        for st, (prefix, spec) in _STRUCTS.items():
            if flavour == "1b" and st in _STRUCTS_2005_ONLY:
                continue
            for field, vt in _entries(spec).items():
                if kind == "bad" and vt == "Any":
                    continue
                out.append(pytest.param(flavour, st, prefix, field, vt, id=f"{flavour}-{st}.{field}"))
    return out


def _holder(flavour: str, st: str) -> tuple[str, str]:
    """A predefined property of structure type *st* (or a Seq or Bag of them) and how to wrap one value."""
    for prefix, name, vt in _TABLES[flavour]:
        kind, _, item = vt.partition(" ")
        if vt == st:
            return f"{prefix}:{name}", "{}"
        if item == st and kind in ("Bag", "Seq", "Alt"):
            return f"{prefix}:{name}", f"<rdf:{kind}><rdf:li>{{}}</rdf:li></rdf:{kind}>"
    # Version, the ResourceEvent of Version's event field and Media only appear inside other values
    return {
        "ResourceEvent": ("xmpMM:History", "<rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq>"),
        "Media": ("xmpDM:contributedMedia", "<rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag>"),
    }[st]


@pytest.mark.parametrize(("flavour", "st", "prefix", "field", "vt"), _struct_cases("good"))
def test_every_structure_field_of_its_type_passes(
    tmp_path: Path, bases: dict[str, bytes], flavour, st, prefix, field, vt
) -> None:
    prop, wrap = _holder(flavour, st)
    value = "anything" if vt == "Any" else _good(vt)
    struct = f"<rdf:Description><{prefix}:{field}>{value}</{prefix}:{field}></rdf:Description>"
    report = _verdict(tmp_path, bases, flavour, f"<{prop}>{wrap.format(struct)}</{prop}>")
    assert report.passed, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize(("flavour", "st", "prefix", "field", "vt"), _struct_cases("bad"))
def test_a_structure_field_of_another_type_fails(
    tmp_path: Path, bases: dict[str, bytes], flavour, st, prefix, field, vt
) -> None:
    prop, wrap = _holder(flavour, st)
    struct = f"<rdf:Description><{prefix}:{field}>{_bad(vt)}</{prefix}:{field}></rdf:Description>"
    report = _verdict(tmp_path, bases, flavour, f"<{prop}>{wrap.format(struct)}</{prop}>")
    assert _rules(report) == {_TYPE_RULE[flavour]}


@pytest.mark.parametrize("flavour", list(_PART))
def test_a_field_a_structure_does_not_have_fails(
    tmp_path: Path, bases: dict[str, bytes], flavour: str
) -> None:
    # stDim:w belongs to Dimensions; in a Job it is a field Job does not define
    job = '<xmpBJ:JobRef><rdf:Bag><rdf:li rdf:parseType="Resource">{}</rdf:li></rdf:Bag></xmpBJ:JobRef>'
    assert _rules(_verdict(tmp_path, bases, flavour, job.format("<stDim:w>2</stDim:w>"))) == {
        _TYPE_RULE[flavour]
    }
    assert _verdict(tmp_path, bases, flavour, job.format("<stJob:name>proof</stJob:name>")).passed


@pytest.mark.parametrize("flavour", list(_PART))
@pytest.mark.parametrize(
    "body",
    [
        # a closed choice is read as its base type: values outside the choice are of the right type
        "<tiff:Compression>5</tiff:Compression>",
        "<exif:ColorSpace>2</exif:ColorSpace>",
        "<exif:LightSource>200</exif:LightSource>",
        "<exif:GPSStatus>X</exif:GPSStatus>",
        "<exif:ComponentsConfiguration><rdf:Seq><rdf:li>3</rdf:li></rdf:Seq></exif:ComponentsConfiguration>",
        "<tiff:YCbCrSubSampling><rdf:Seq><rdf:li>4</rdf:li><rdf:li>4</rdf:li></rdf:Seq></tiff:YCbCrSubSampling>",
        '<xmp:Thumbnails><rdf:Alt><rdf:li rdf:parseType="Resource"><xmpGImg:format>PNG</xmpGImg:format>'
        "</rdf:li></rdf:Alt></xmp:Thumbnails>",
        # a Rational is any text, as veraPDF reads it
        "<exif:FNumber>2.8</exif:FNumber>",
    ],
)
def test_a_closed_choice_is_checked_by_its_base_type(
    tmp_path: Path, bases: dict[str, bytes], flavour: str, body: str
) -> None:
    report = _verdict(tmp_path, bases, flavour, body)
    assert report.passed, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize(
    "body",
    [
        "<xmpDM:pullDown>WSSWW_24p</xmpDM:pullDown>",
        "<crs:WhiteBalance>Moonlight</crs:WhiteBalance>",
        "<crs:ToneCurve><rdf:Seq><rdf:li>0, 0</rdf:li><rdf:li>a curve</rdf:li></rdf:Seq></crs:ToneCurve>",
        '<xmpTPg:Colorants><rdf:Seq><rdf:li rdf:parseType="Resource"><xmpG:mode>HSV</xmpG:mode>'
        "<xmpG:cyan>250</xmpG:cyan></rdf:li></rdf:Seq></xmpTPg:Colorants>",
        "<xmp:Rating>2.5</xmp:Rating>",
    ],
)
def test_xmp_2005_choices_are_checked_by_their_base_type(
    tmp_path: Path, bases: dict[str, bytes], body: str
) -> None:
    report = _verdict(tmp_path, bases, "2b", body)
    assert report.passed, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2016", True),
        ("2016-02", True),
        ("2016-02-01", True),
        ("2016-2-1", True),
        ("2016-02-01T13", True),
        ("2016-02-01T13Z", True),
        ("2016-02-01T13:19", True),
        ("2016-02-01T13:19+01:00", True),
        ("2016-02-01T13:19:21", True),
        ("2016-02-01T13:19:21.25Z", True),
        ("2016-02-01T13:19:21-05", True),
        ("", True),
        ("2016-", False),
        ("2016-02-01T", False),
        ("2016-02-01 13:19", False),
        ("2016-02-01T13:19:21+01:", False),
        ("2016-02-01T13:19:21Z+01:00", False),
        ("D:20160201131921", False),
        ("GPS: 2016-02-01T13:19:21+01:00", False),
    ],
)
@pytest.mark.parametrize("flavour", list(_PART))
def test_a_date_is_read_as_xmp_reads_iso_8601(
    tmp_path: Path, bases: dict[str, bytes], flavour: str, value: str, ok: bool
) -> None:
    report = _verdict(tmp_path, bases, flavour, f"<photoshop:DateCreated>{value}</photoshop:DateCreated>")
    assert report.passed is ok, [f.to_dict() for f in report.findings]
    if not ok:
        assert _rules(report) == {_TYPE_RULE[flavour]}


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("42", True),
        ("+42", True),
        ("-0", True),
        ("4.2", False),
        ("4e2", False),
        ("\u0664\u0662", False),  # Arabic-Indic digits: the digits XMP means are ASCII ones
        (" 42", False),
    ],
)
def test_an_integer_is_ascii_digits(tmp_path: Path, bases: dict[str, bytes], value: str, ok: bool) -> None:
    report = _verdict(tmp_path, bases, "2b", f"<tiff:ImageWidth>{value}</tiff:ImageWidth>")
    assert report.passed is ok, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2", True),
        ("2.", True),
        (".5", True),
        ("-2.5", True),
        ("+.5", True),
        (".", False),
        ("2.5.1", False),
        ("1/2", False),
    ],
)
def test_a_real(tmp_path: Path, bases: dict[str, bytes], value: str, ok: bool) -> None:
    body = f'<xmpTPg:MaxPageSize rdf:parseType="Resource"><stDim:w>{value}</stDim:w></xmpTPg:MaxPageSize>'
    report = _verdict(tmp_path, bases, "1b", body)
    assert report.passed is ok, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize("flavour", list(_PART))
@pytest.mark.parametrize(
    ("alt", "ok"),
    [
        ('<rdf:li xml:lang="x-default">Report</rdf:li><rdf:li xml:lang="de">Bericht</rdf:li>', True),
        # XMP takes an Alt for language alternatives if any of its items has a language
        ('<rdf:li xml:lang="x-default">Report</rdf:li><rdf:li>Bericht</rdf:li>', True),
        ("", True),
        ("<rdf:li>Report</rdf:li>", False),
    ],
)
def test_a_lang_alt(tmp_path: Path, bases: dict[str, bytes], flavour: str, alt: str, ok: bool) -> None:
    report = _verdict(tmp_path, bases, flavour, f"<dc:title><rdf:Alt>{alt}</rdf:Alt></dc:title>")
    assert report.passed is ok, [f.to_dict() for f in report.findings]
    if not ok:
        assert _rules(report) == {_TYPE_RULE[flavour]}


# -- extension schemas: where a declared value type may be used -----------------------------------

_QJ = _NS["qj"]


def _schema(ns: str, prefix: str, properties: dict[str, str], types: str = "") -> str:
    """A pdfaSchema description declaring *properties* (name -> value type) and the *types* given."""
    props = "".join(
        f'<rdf:li rdf:parseType="Resource"><pdfaProperty:name>{name}</pdfaProperty:name>'
        f"<pdfaProperty:valueType>{vt}</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        "<pdfaProperty:description>a property</pdfaProperty:description></rdf:li>"
        for name, vt in properties.items()
    )
    value_types = f"<pdfaSchema:valueType><rdf:Seq>{types}</rdf:Seq></pdfaSchema:valueType>" if types else ""
    return (
        '<rdf:li rdf:parseType="Resource"><pdfaSchema:schema>a schema</pdfaSchema:schema>'
        f"<pdfaSchema:namespaceURI>{ns}</pdfaSchema:namespaceURI><pdfaSchema:prefix>{prefix}</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{props}</rdf:Seq></pdfaSchema:property>{value_types}</rdf:li>"
    )


def _type(name: str, fields: dict[str, str]) -> str:
    """A pdfaType description of structure type *name* (fields in the qujat namespace)."""
    field_list = "".join(
        f'<rdf:li rdf:parseType="Resource"><pdfaField:name>{f}</pdfaField:name>'
        f"<pdfaField:valueType>{vt}</pdfaField:valueType>"
        "<pdfaField:description>a field</pdfaField:description></rdf:li>"
        for f, vt in fields.items()
    )
    body = f"<pdfaType:field><rdf:Seq>{field_list}</rdf:Seq></pdfaType:field>" if fields else ""
    return (
        f'<rdf:li rdf:parseType="Resource"><pdfaType:type>{name}</pdfaType:type>'
        f"<pdfaType:namespaceURI>{_QJ}</pdfaType:namespaceURI><pdfaType:prefix>qj</pdfaType:prefix>"
        f"<pdfaType:description>a type</pdfaType:description>{body}</rdf:li>"
    )


def _with_extensions(schemas: str, body: str) -> str:
    return f"<pdfaExtension:schemas><rdf:Bag>{schemas}</rdf:Bag></pdfaExtension:schemas>{body}"


_SHELF = _type("Shelf", {"room": "Integer", "case": "Text"})
_PROPERTY_VALUE_TYPE = {"1b": "ISO_19005_1:6.7.8-9", "2b": "ISO_19005_2:6.6.2.3.3-8"}


@pytest.mark.parametrize("flavour", list(_PART))
def test_a_property_may_use_a_type_its_own_schema_declares(
    tmp_path: Path, bases: dict[str, bytes], flavour: str
) -> None:
    schemas = _schema(_QJ, "qj", {"shelf": "Shelf"}, _SHELF)
    good = '<qj:shelf rdf:parseType="Resource"><qj:room>4</qj:room><qj:case>B</qj:case></qj:shelf>'
    assert _verdict(tmp_path, bases, flavour, _with_extensions(schemas, good)).passed
    bad = '<qj:shelf rdf:parseType="Resource"><qj:room>fourth</qj:room></qj:shelf>'
    assert _rules(_verdict(tmp_path, bases, flavour, _with_extensions(schemas, bad))) == {_TYPE_RULE[flavour]}


@pytest.mark.parametrize("flavour", list(_PART))
def test_a_type_another_schema_declares_is_not_known(
    tmp_path: Path, bases: dict[str, bytes], flavour: str
) -> None:
    # veraPDF gives each schema the predefined types and its own: Shelf, declared with the other
    # namespace's schema, is no type for qj:shelf, which is then not declared at all
    schemas = _schema(_NS["qk"], "qk", {"note": "Text"}, _SHELF) + _schema(_QJ, "qj", {"shelf": "Shelf"})
    body = '<qj:shelf rdf:parseType="Resource"><qj:room>4</qj:room></qj:shelf>'
    rules = _rules(_verdict(tmp_path, bases, flavour, _with_extensions(schemas, body)))
    assert rules == {_PROPERTY_VALUE_TYPE[flavour], _UNDECLARED_RULE[flavour]}


@pytest.mark.parametrize("flavour", list(_PART))
def test_a_declared_type_without_fields_is_text(
    tmp_path: Path, bases: dict[str, bytes], flavour: str
) -> None:
    schemas = _schema(_QJ, "qj", {"mark": "Shelfmark"}, _type("Shelfmark", {}))
    assert _verdict(tmp_path, bases, flavour, _with_extensions(schemas, "<qj:mark>B 4</qj:mark>")).passed
    body = "<qj:mark><rdf:Bag><rdf:li>B 4</rdf:li></rdf:Bag></qj:mark>"
    assert _rules(_verdict(tmp_path, bases, flavour, _with_extensions(schemas, body))) == {
        _TYPE_RULE[flavour]
    }


@pytest.mark.parametrize("flavour", list(_PART))
def test_a_declaration_comes_before_the_predefined_type(
    tmp_path: Path, bases: dict[str, bytes], flavour: str
) -> None:
    body = "<tiff:ImageWidth>wide</tiff:ImageWidth>"
    assert _rules(_verdict(tmp_path, bases, flavour, body)) == {_TYPE_RULE[flavour]}
    schemas = _schema(_NS["tiff"], "tiff", {"ImageWidth": "Text"})
    assert _verdict(tmp_path, bases, flavour, _with_extensions(schemas, body)).passed


@pytest.mark.parametrize("flavour", list(_PART))
def test_an_array_type_without_items_is_of_text(
    tmp_path: Path, bases: dict[str, bytes], flavour: str
) -> None:
    schemas = _schema(_QJ, "qj", {"marks": "Closed Choice of Seq"})
    body = "<qj:marks><rdf:Seq><rdf:li>B 4</rdf:li></rdf:Seq></qj:marks>"
    assert _verdict(tmp_path, bases, flavour, _with_extensions(schemas, body)).passed
    body = "<qj:marks><rdf:Bag><rdf:li>B 4</rdf:li></rdf:Bag></qj:marks>"
    assert _rules(_verdict(tmp_path, bases, flavour, _with_extensions(schemas, body))) == {
        _TYPE_RULE[flavour]
    }
