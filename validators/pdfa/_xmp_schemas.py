"""The XMP schemas PDF/A predefines: which properties each may hold, and each property's value type.

ISO 19005-1 6.7.9 admits the schemas of the XMP Specification 2004; ISO 19005-2 6.6.2.3.1 (and -3)
those of XMP 2005, which add a few schemas (Dynamic Media, Camera Raw, EXIF auxiliary) and properties.
Anything else must be declared in the packet through a PDF/A extension schema (`validators.pdfa._xmp`).

Value types are written as in the XMP specification and in extension schemas: ``Text``, ``Integer``,
``Bag ProperName``, ``Lang Alt``, or a structure type name (``ResourceRef``). ``Any`` (a field of
a Dynamic Media marker) admits every value.

A closed choice (the EXIF and TIFF enumerations, ``xmpDM:videoPixelDepth``, ``crs:WhiteBalance``, the
``mode`` of a colorant, ...) is read as its base type, ``Integer`` or ``Text``: veraPDF checks the value
type of these properties, not the value, so ``tiff:Compression`` 5 is an Integer like any other. The
same holds for ``tiff:YCbCrSubSampling`` and ``exif:ComponentsConfiguration`` (Seq Integer) and for
the points of ``crs:ToneCurve`` (Seq Text).

PDF/A-1 and PDF/A-2 differ in: ``pdfaid:corr``, ``xmp:Label``, ``xmp:Rating`` (Real), the
``xmpTPg`` fonts, colorants and plate names, and the Dynamic Media, Camera Raw and EXIF auxiliary
schemas (XMP 2005 only); ``photoshop:SupplementalCategories`` (Text in 2004, Bag Text in 2005);
``exif:MakerNote`` (2004 only); ``exif:GPSMeasureMode`` (Integer in 2004, Text in 2005); the
``GPSCoordinate`` syntax (`GPS_COORDINATE`); and the structure types of XMP 2005 (Colorant, Font and
the Dynamic Media ones).
"""

from __future__ import annotations

from types import MappingProxyType

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
DC = "http://purl.org/dc/elements/1.1/"
XMP = "http://ns.adobe.com/xap/1.0/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
XMP_MM = "http://ns.adobe.com/xap/1.0/mm/"
XMP_BJ = "http://ns.adobe.com/xap/1.0/bj/"
XMP_TPG = "http://ns.adobe.com/xap/1.0/t/pg/"
PDF = "http://ns.adobe.com/pdf/1.3/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
TIFF = "http://ns.adobe.com/tiff/1.0/"
EXIF = "http://ns.adobe.com/exif/1.0/"
EXIF_AUX = "http://ns.adobe.com/exif/1.0/aux/"
CAMERA_RAW = "http://ns.adobe.com/camera-raw-settings/1.0/"
XMP_DM = "http://ns.adobe.com/xmp/1.0/DynamicMedia/"

ST_DIM = "http://ns.adobe.com/xap/1.0/sType/Dimensions#"
ST_EVT = "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
ST_REF = "http://ns.adobe.com/xap/1.0/sType/ResourceRef#"
ST_VER = "http://ns.adobe.com/xap/1.0/sType/Version#"
ST_JOB = "http://ns.adobe.com/xap/1.0/sType/Job#"
ST_FNT = "http://ns.adobe.com/xap/1.0/sType/Font#"
XAP_G = "http://ns.adobe.com/xap/1.0/g/"
XAP_G_IMG = "http://ns.adobe.com/xap/1.0/g/img/"

PDFA_EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
PDFA_TYPE = "http://www.aiim.org/pdfa/ns/type#"
PDFA_FIELD = "http://www.aiim.org/pdfa/ns/field#"


def _table(spec: str) -> dict[str, str]:
    """Read ``name: type`` pairs, one per line."""
    out: dict[str, str] = {}
    for line in spec.strip().splitlines():
        name, _, value_type = line.partition(":")
        out[name.strip()] = value_type.strip()
    return out


# Simple value types and what their text must look like (None: any text). A Rational, a Locale, a URI
# or URL and the name types are any text, as veraPDF reads them. A Date is what XMP's ISO 8601 reader
# takes: each part one digit or more, an hour without minutes, the time zone optional, and the empty
# string (a date with no parts).
SIMPLE_TYPES: MappingProxyType[str, str | None] = MappingProxyType(
    {
        "text": None,
        "propername": None,
        "agentname": None,
        "renditionclass": None,
        "xpath": None,
        "locale": None,
        "uri": None,
        "url": None,
        "rational": None,
        "boolean": r"True|False",
        "integer": r"[+-]?[0-9]+",
        "real": r"[+-]?(?:[0-9]+\.?[0-9]*|[0-9]*\.?[0-9]+)",
        "date": (
            r"(?:-?[0-9]+(?:-[0-9]+(?:-[0-9]+(?:T[0-9]+(?::[0-9]+(?::[0-9]+(?:\.[0-9]+)?)?)?"
            r"(?:Z|[+-][0-9]+(?::[0-9]+)?)?)?)?)?)?"
        ),
        "mimetype": r"[-\w+.]+/[-\w+.]+",
        "gpscoordinate": None,
    }
)

# "DDD,MM,SSk" or "DDD,MM.mmk": XMP 2004 wants two digits everywhere, XMP 2005 allows one to three
GPS_COORDINATE = MappingProxyType(
    {
        1: r"[0-9]{2},[0-9]{2}[,.][0-9]{2}[NSEW]",
        2: r"[0-9]{1,3},[0-9]{1,2}(?:,[0-9]{1,2}|\.[0-9]+)[NSEW]",
    }
)

# Structure types: namespace of their fields, and each field's type
_STRUCTS_COMMON: dict[str, tuple[str, dict[str, str]]] = {
    "dimensions": (
        ST_DIM,
        _table(
            r"""
w: Real
h: Real
unit: Text
"""
        ),
    ),
    "thumbnail": (
        XAP_G_IMG,
        _table(
            r"""
height: Integer
width: Integer
image: Text
format: Text
"""
        ),
    ),
    "resourceevent": (
        ST_EVT,
        _table(
            r"""
action: Text
instanceID: URI
parameters: Text
softwareAgent: AgentName
when: Date
"""
        ),
    ),
    "resourceref": (
        ST_REF,
        _table(
            r"""
instanceID: URI
documentID: URI
versionID: Text
renditionClass: RenditionClass
renditionParams: Text
manager: AgentName
managerVariant: Text
manageTo: URI
manageUI: URI
"""
        ),
    ),
    "version": (
        ST_VER,
        _table(
            r"""
comments: Text
event: ResourceEvent
modifyDate: Date
modifier: ProperName
version: Text
"""
        ),
    ),
    "job": (
        ST_JOB,
        _table(
            r"""
name: Text
id: Text
url: URL
"""
        ),
    ),
    "flash": (
        EXIF,
        _table(
            r"""
Fired: Boolean
Return: Text
Mode: Text
Function: Boolean
RedEyeMode: Boolean
"""
        ),
    ),
    "oecf/sfr": (
        EXIF,
        _table(
            r"""
Columns: Integer
Rows: Integer
Names: Seq Text
Values: Seq Rational
"""
        ),
    ),
    "cfapattern": (
        EXIF,
        _table(
            r"""
Columns: Integer
Rows: Integer
Values: Seq Integer
"""
        ),
    ),
    "devicesettings": (
        EXIF,
        _table(
            r"""
Columns: Integer
Rows: Integer
Settings: Seq Text
"""
        ),
    ),
}

_STRUCTS_2 = {
    "colorant": (
        XAP_G,
        _table(
            r"""
swatchName: Text
mode: Text
type: Text
cyan: Real
magenta: Real
yellow: Real
black: Real
red: Integer
green: Integer
blue: Integer
L: Real
A: Integer
B: Integer
"""
        ),
    ),
    "font": (
        ST_FNT,
        _table(
            r"""
fontName: Text
fontFamily: Text
fontFace: Text
fontType: Text
versionString: Text
composite: Boolean
fontFileName: Text
childFontFiles: Seq Text
"""
        ),
    ),
    "beatsplicestretch": (
        XMP_DM,
        _table(
            r"""
useFileBeatsMarker: Boolean
riseInDecibel: Real
riseInTimeDuration: Time
"""
        ),
    ),
    "marker": (
        XMP_DM,
        _table(
            r"""
startTime: Any
duration: Any
comment: Text
name: Text
location: URI
target: Text
type: Text
"""
        ),
    ),
    "media": (
        XMP_DM,
        _table(
            r"""
path: URI
track: Text
startTime: Time
duration: Time
managed: Boolean
webStatement: URI
"""
        ),
    ),
    "projectlink": (XMP_DM, _table("path: URI\ntype: Text")),
    "resamplestretch": (XMP_DM, _table("quality: Text")),
    "time": (XMP_DM, _table("value: Integer\nscale: Rational")),
    "timecode": (
        XMP_DM,
        _table(
            r"""
timeValue: Text
timeFormat: Text
"""
        ),
    ),
    "timescalestretch": (
        XMP_DM,
        _table(
            r"""
frameSize: Real
frameOverlappingPercentage: Real
quality: Text
"""
        ),
    ),
}

STRUCTS_1 = MappingProxyType(dict(_STRUCTS_COMMON))
STRUCTS_2 = MappingProxyType({**_STRUCTS_COMMON, **_STRUCTS_2})

_COMMON: dict[str, dict[str, str]] = {
    PDFAID: _table(
        r"""
part: Integer
amd: Text
conformance: Text
"""
    ),
    DC: _table(
        r"""
contributor: Bag ProperName
coverage: Text
creator: Seq ProperName
date: Seq Date
description: Lang Alt
format: MIMEType
identifier: Text
language: Bag Locale
publisher: Bag ProperName
relation: Bag Text
rights: Lang Alt
source: Text
subject: Bag Text
title: Lang Alt
type: Bag Text
"""
    ),
    XMP: _table(
        r"""
Advisory: Bag Text
BaseURL: URL
CreateDate: Date
CreatorTool: AgentName
Identifier: Bag Text
MetadataDate: Date
ModifyDate: Date
Nickname: Text
Thumbnails: Alt Thumbnail
"""
    ),
    XMP_RIGHTS: _table(
        r"""
Certificate: URL
Marked: Boolean
Owner: Bag ProperName
UsageTerms: Lang Alt
WebStatement: URL
"""
    ),
    XMP_MM: _table(
        r"""
DerivedFrom: ResourceRef
DocumentID: URI
History: Seq ResourceEvent
InstanceID: URI
ManagedFrom: ResourceRef
Manager: AgentName
ManageTo: URI
ManageUI: URI
ManagerVariant: Text
RenditionClass: RenditionClass
RenditionParams: Text
VersionID: Text
Versions: Seq Version
LastURL: URL
RenditionOf: ResourceRef
SaveID: Integer
"""
    ),
    XMP_BJ: _table("JobRef: Bag Job"),
    XMP_TPG: _table("MaxPageSize: Dimensions\nNPages: Integer"),
    PDF: _table(
        r"""
Keywords: Text
PDFVersion: Text
Producer: AgentName
"""
    ),
    PHOTOSHOP: _table(
        r"""
AuthorsPosition: Text
CaptionWriter: ProperName
Category: Text
City: Text
Country: Text
Credit: Text
DateCreated: Date
Headline: Text
Instructions: Text
Source: Text
State: Text
TransmissionReference: Text
Urgency: Integer
"""
    ),
    TIFF: _table(
        r"""
ImageWidth: Integer
ImageLength: Integer
BitsPerSample: Seq Integer
SamplesPerPixel: Integer
XResolution: Rational
YResolution: Rational
TransferFunction: Seq Integer
WhitePoint: Seq Rational
PrimaryChromaticities: Seq Rational
YCbCrCoefficients: Seq Rational
ReferenceBlackWhite: Seq Rational
DateTime: Date
ImageDescription: Lang Alt
Make: ProperName
Model: ProperName
Software: AgentName
Artist: ProperName
Copyright: Lang Alt
Compression: Integer
PhotometricInterpretation: Integer
Orientation: Integer
PlanarConfiguration: Integer
YCbCrPositioning: Integer
ResolutionUnit: Integer
YCbCrSubSampling: Seq Integer
"""
    ),
    EXIF: _table(
        r"""
CompressedBitsPerPixel: Rational
PixelXDimension: Integer
PixelYDimension: Integer
UserComment: Lang Alt
RelatedSoundFile: Text
DateTimeOriginal: Date
DateTimeDigitized: Date
ExposureTime: Rational
FNumber: Rational
SpectralSensitivity: Text
ISOSpeedRatings: Seq Integer
OECF: OECF/SFR
ShutterSpeedValue: Rational
ApertureValue: Rational
BrightnessValue: Rational
ExposureBiasValue: Rational
MaxApertureValue: Rational
SubjectDistance: Rational
Flash: Flash
FocalLength: Rational
SubjectArea: Seq Integer
FlashEnergy: Rational
SpatialFrequencyResponse: OECF/SFR
FocalPlaneXResolution: Rational
FocalPlaneYResolution: Rational
SubjectLocation: Seq Integer
ExposureIndex: Rational
CFAPattern: CFAPattern
DigitalZoomRatio: Rational
FocalLengthIn35mmFilm: Integer
DeviceSettingDescription: DeviceSettings
ImageUniqueID: Text
GPSVersionID: Text
GPSLatitude: GPSCoordinate
GPSLongitude: GPSCoordinate
GPSAltitude: Rational
GPSTimeStamp: Date
GPSSatellites: Text
GPSDOP: Rational
GPSSpeed: Rational
GPSTrack: Rational
GPSImgDirection: Rational
GPSMapDatum: Text
GPSDestLatitude: GPSCoordinate
GPSDestLongitude: GPSCoordinate
GPSDestBearing: Rational
GPSDestDistance: Rational
GPSProcessingMethod: Text
GPSAreaInformation: Text
ExposureProgram: Integer
MeteringMode: Integer
FocalPlaneResolutionUnit: Integer
SensingMethod: Integer
FileSource: Integer
SceneType: Integer
CustomRendered: Integer
ExposureMode: Integer
WhiteBalance: Integer
SceneCaptureType: Integer
GainControl: Integer
Contrast: Integer
Saturation: Integer
Sharpness: Integer
SubjectDistanceRange: Integer
GPSAltitudeRef: Integer
GPSStatus: Text
GPSSpeedRef: Text
GPSTrackRef: Text
GPSImgDirectionRef: Text
GPSDestBearingRef: Text
GPSDestDistanceRef: Text
GPSDifferential: Integer
ComponentsConfiguration: Seq Integer
"""
    ),
}

# XMP 2004, as ISO 19005-1 reads it
_PART1_EXTRA: dict[str, dict[str, str]] = {
    PHOTOSHOP: _table("SupplementalCategories: Text"),
    EXIF: _table(
        r"""
MakerNote: Text
ExifVersion: Text
FlashpixVersion: Text
ColorSpace: Integer
LightSource: Integer
GPSMeasureMode: Integer
"""
    ),
}

# XMP 2005, as ISO 19005-2 and -3 read it
_PART2_EXTRA: dict[str, dict[str, str]] = {
    PDFAID: _table("corr: Text"),
    XMP: _table("Label: Text\nRating: Real"),
    XMP_TPG: _table(
        r"""
Fonts: Bag Font
Colorants: Seq Colorant
PlateNames: Seq Text
"""
    ),
    PHOTOSHOP: _table("SupplementalCategories: Bag Text"),
    EXIF: _table(
        r"""
ExifVersion: Text
FlashpixVersion: Text
GPSMeasureMode: Text
ColorSpace: Integer
LightSource: Integer
"""
    ),
    EXIF_AUX: _table("Lens: Text\nSerialNumber: Text"),
    XMP_DM: _table(
        r"""
projectRef: ProjectLink
videoFrameRate: Text
videoFrameSize: Dimensions
videoPixelAspectRatio: Rational
videoPixelDepth: Text
videoColorSpace: Text
videoAlphaMode: Text
videoAlphaPremultipleColor: Colorant
videoAlphaUnityIsTransparent: Boolean
videoCompressor: Text
videoFieldOrder: Text
pullDown: Text
audioSampleRate: Integer
audioSampleType: Text
audioChannelType: Text
audioCompressor: Text
speakerPlacement: Text
fileDataRate: Rational
tapeName: Text
altTapeName: Text
startTimecode: Timecode
altTimecode: Timecode
duration: Time
scene: Text
shotName: Text
shotDate: Date
shotLocation: Text
logComment: Text
markers: Seq Marker
contributedMedia: Bag Media
absPeakAudioFilePath: URI
relativePeakAudioFilePath: URI
videoModDate: Date
audioModDate: Date
metadataModDate: Date
artist: Text
album: Text
trackNumber: Integer
genre: Text
copyright: Text
releaseDate: Date
composer: Text
engineer: Text
tempo: Real
instrument: Text
introTime: Time
outCue: Time
relativeTimestamp: Time
loop: Boolean
numberOfBeats: Real
key: Text
stretchMode: Text
timeScaleParams: timeScaleStretch
resampleParams: resampleStretch
beatSpliceParams: beatSpliceStretch
timeSignature: Text
scaleType: Text
"""
    ),
    CAMERA_RAW: _table(
        r"""
AutoBrightness: Boolean
AutoContrast: Boolean
AutoExposure: Boolean
AutoShadows: Boolean
BlueHue: Integer
BlueSaturation: Integer
Brightness: Integer
CameraProfile: Text
ChromaticAberrationB: Integer
ChromaticAberrationR: Integer
ColorNoiseReduction: Integer
Contrast: Integer
CropTop: Real
CropLeft: Real
CropBottom: Real
CropRight: Real
CropAngle: Real
CropWidth: Real
CropHeight: Real
CropUnits: Integer
Exposure: Real
GreenHue: Integer
GreenSaturation: Integer
HasCrop: Boolean
HasSettings: Boolean
LuminanceSmoothing: Integer
RawFileName: Text
RedHue: Integer
RedSaturation: Integer
Saturation: Integer
Shadows: Integer
ShadowTint: Integer
Sharpness: Integer
Temperature: Integer
Tint: Integer
ToneCurveName: Text
Version: Text
VignetteAmount: Integer
VignetteMidpoint: Integer
WhiteBalance: Text
ToneCurve: Seq Text
"""
    ),
}


def _merge(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for table in tables:
        for uri, props in table.items():
            out.setdefault(uri, {}).update(props)
    return out


PROPERTIES_1 = MappingProxyType(_merge(_COMMON, _PART1_EXTRA))
PROPERTIES_2 = MappingProxyType(_merge(_COMMON, _PART2_EXTRA))
