"""The XMP schemas PDF/A predefines: which properties each may hold, and each property's value type.

ISO 19005-1 6.7.9 admits the schemas of the XMP Specification 2004; ISO 19005-2 6.6.2.3.1 (and -3)
those of XMP 2005, which add a few schemas (Dynamic Media, Camera Raw, EXIF auxiliary) and properties.
Anything else must be declared in the packet through a PDF/A extension schema (`validators.pdfa._xmp`).

Value types are written as in the XMP specification and in extension schemas: ``Text``, ``Integer``,
``Bag ProperName``, ``Lang Alt``, a structure type name (``ResourceRef``), or ``Choice:<regex>`` for a
closed choice, whose value must match the expression.
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


# Simple value types and what their text must look like (None: any text)
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
        "boolean": r"True|False",
        "integer": r"[+-]?\d+",
        "real": r"[+-]?(?:\d+\.?\d*|\.\d+)",
        "date": (r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?"),
        "mimetype": r"[-\w+.]+/[-\w+.]+",
        "rational": r"[+-]?\d+/[+-]?\d+",
        "gpscoordinate": r"\d{1,3},\d{1,2}(?:,\d{1,2}|\.\d+)[NSEW]",
    }
)

# Structure types: namespace of their fields, and each field's type. "Choice:" types are closed choices.
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
format: Choice:JPEG
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
Return: Choice:[023]
Mode: Choice:[0-3]
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
mode: Choice:CMYK|RGB|LAB
type: Choice:PROCESS|SPOT
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
startTime: Time
duration: Time
comment: Text
name: Text
location: URI
target: Text
type: Choice:Chapter|Cue|Beat|Track|Index
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
    "projectlink": (XMP_DM, _table("path: URI\ntype: Choice:movie|still|audio|custom")),
    "resamplestretch": (XMP_DM, _table("quality: Choice:High|Medium|Low")),
    "time": (XMP_DM, _table("value: Integer\nscale: Rational")),
    "timecode": (
        XMP_DM,
        _table(
            r"""
timeValue: Text
timeFormat: Choice:(?:24|25|2997Drop|2997NonDrop|30|50|5994Drop|5994NonDrop|60|23976)Timecode
"""
        ),
    ),
    "timescalestretch": (
        XMP_DM,
        _table(
            r"""
frameSize: Real
frameOverlappingPercentage: Real
quality: Choice:High|Medium|Low
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
Advisory: Bag XPath
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
Compression: Choice:[16]
PhotometricInterpretation: Choice:[26]
Orientation: Choice:[1-8]
PlanarConfiguration: Choice:[12]
YCbCrPositioning: Choice:[12]
ResolutionUnit: Choice:[23]
YCbCrSubSampling: SeqChoice:2 1|2 2
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
ExposureProgram: Choice:[0-8]
MeteringMode: Choice:[0-6]|255
FocalPlaneResolutionUnit: Choice:[23]
SensingMethod: Choice:[1-8]
FileSource: Choice:3
SceneType: Choice:1
CustomRendered: Choice:[01]
ExposureMode: Choice:[0-2]
WhiteBalance: Choice:[01]
SceneCaptureType: Choice:[0-3]
GainControl: Choice:[0-4]
Contrast: Choice:[0-2]
Saturation: Choice:[0-2]
Sharpness: Choice:[0-2]
SubjectDistanceRange: Choice:[0-3]
GPSAltitudeRef: Choice:[01]
GPSStatus: Choice:[AV]
GPSSpeedRef: Choice:[KMN]
GPSTrackRef: Choice:[TM]
GPSImgDirectionRef: Choice:[TM]
GPSDestBearingRef: Choice:[TM]
GPSDestDistanceRef: Choice:[KMN]
GPSDifferential: Choice:[01]
ComponentsConfiguration: SeqChoice:4 5 6 0|1 2 3 0
"""
    ),
}

# XMP 2004, as ISO 19005-1 reads it
_PART1_EXTRA: dict[str, dict[str, str]] = {
    PHOTOSHOP: _table("SupplementalCategories: Text"),
    EXIF: _table(
        r"""
MakerNote: Text
ExifVersion: Choice:0210
FlashpixVersion: Choice:0100
ColorSpace: Choice:1|65535|-32768|-32786
LightSource: Choice:[0-3]|1[7-9]|2[0-2]|255
GPSMeasureMode: Choice:[23]
"""
    ),
}

# XMP 2005, as ISO 19005-2 and -3 read it
_PART2_EXTRA: dict[str, dict[str, str]] = {
    PDFAID: _table("corr: Text"),
    XMP: _table("Label: Text\nRating: Integer"),
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
ColorSpace: Choice:1|65535
LightSource: Choice:[0-4]|9|1[0-5]|1[7-9]|2[0-4]|255
"""
    ),
    EXIF_AUX: _table("Lens: Text\nSerialNumber: Text"),
    XMP_DM: _table(
        r"""
projectRef: ProjectLink
videoFrameRate: Text
videoFrameSize: Dimensions
videoPixelAspectRatio: Rational
videoPixelDepth: Choice:8Int|16Int|32Int|32Float
videoColorSpace: Choice:sRGB|CCIR-601|CCIR-709
videoAlphaMode: Choice:straight|pre-multiplied
videoAlphaPremultipleColor: Colorant
videoAlphaUnityIsTransparent: Boolean
videoCompressor: Text
videoFieldOrder: Choice:Upper|Lower|Progressive
pullDown: Choice:(?:WSSWW|SSWWW|SWWWS|WWWSS|WWSSW)(?:_24p)?
audioSampleRate: Integer
audioSampleType: Choice:8Int|16Int|32Int|32Float
audioChannelType: Choice:Mono|Stereo|5\.1|7\.1
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
key: Choice:[ACDFG]#?|[BE]
stretchMode: Choice:Fixed length|Time-Scale|Resample|Beat Splice|Hybrid
timeScaleParams: timeScaleStretch
resampleParams: resampleStretch
beatSpliceParams: beatSpliceStretch
timeSignature: Choice:[2-57]/4|[69]/8|12/8|other
scaleType: Choice:Major|Minor|Both|Neither
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
WhiteBalance: Choice:As Shot|Auto|Daylight|Cloudy|Shade|Tungsten|Fluorescent|Flash|Custom
ToneCurve: SeqPattern:\([+-]?\d+, [+-]?\d+\)
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
