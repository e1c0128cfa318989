"""What image XObjects carry that pikepdf.pdfa refuses: metadata streams, and thumbnails of files.

- An image's /Metadata is an XMP stream like any object's, held to the rules of ISO 19005-2 6.6.2.1
  and 6.6.2.3 as the metadata streams of pages are (`_xmp.check_object_xmp`). pikepdf refuses it on
  images as it refuses every metadata stream outside the catalog, but on an image the refusal is
  of the image's schema, below which it checks nothing. In the copy pikepdf checks again the image
  loses its /Metadata, and the stream is handed to the object metadata checks as pikepdf hands over
  those of pages.
- A file specification's /Thumb (ISO 32000-2 Table 43) is a thumbnail image: an image XObject, held
  to the image rules. pikepdf does not know the key, so it checks neither the thumbnail nor anything
  else below the file specification. In the copy the thumbnail leaves the file specification for
  the XObject resources of the first page, where pikepdf checks it as an image that is not painted.
"""

from __future__ import annotations

import logging
import re

import pikepdf
import pikepdf.pdfa

log = logging.getLogger(__name__)

METADATA_RULE = "pikepdf:schema-ImageXObject"
METADATA_MESSAGE = "image metadata streams are not supported"
THUMB_RULE = "pikepdf:schema-FileSpec"
THUMB_MESSAGE = "unrecognized key(s) /Thumb are not checked"
_IMAGE_WHERE = re.compile(r"^obj (\d+) (\d+) \(ImageXObject\) /Metadata$")
_FILESPEC_WHERE = re.compile(r"^obj (\d+) (\d+) \(FileSpec\)$")
_THUMB_PREFIX = "QujatThumb"
# pikepdf's finding on a metadata stream outside the catalog, which `_object_metadata` settles
OBJECT_METADATA_RULE = "pikepdf:schema-ObjectMetadata"
OBJECT_METADATA_MESSAGE = "metadata streams on objects other than the catalog are not checked yet"


def _object(pdf: pikepdf.Pdf, pattern: re.Pattern[str], where: str) -> pikepdf.Object | None:
    m = pattern.match(where)
    if m is None:
        return None
    try:
        return pdf.get_object(int(m.group(1)), int(m.group(2)))
    except (pikepdf.PdfError, ValueError):
        return None


def hand_over_metadata(pdf: pikepdf.Pdf, where: str) -> pikepdf.pdfa.Finding | None:
    """Take an image's metadata stream out of the copy *pdf*; return the finding that hands it over.

    The finding is pikepdf's own for metadata streams outside the catalog, so that the object
    metadata checks read the stream. None if the image or its stream is not as expected.
    """
    image = _object(pdf, _IMAGE_WHERE, where)
    if not isinstance(image, pikepdf.Stream):
        return None
    metadata = image.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream) or not metadata.is_indirect:
        return None
    del image["/Metadata"]
    n, g = metadata.objgen
    return pikepdf.pdfa.Finding(
        OBJECT_METADATA_RULE, f"obj {n} {g} (ObjectMetadata)", OBJECT_METADATA_MESSAGE, "unsupported"
    )


def _first_page_xobjects(pdf: pikepdf.Pdf) -> pikepdf.Dictionary | None:
    if len(pdf.pages) == 0:
        return None
    resources = pdf.pages[0].obj.get("/Resources")
    if not isinstance(resources, pikepdf.Dictionary):
        # Inherited resources are left alone: a page given its own would lose the others
        return None
    xobjects = resources.get("/XObject")
    if xobjects is None:
        xobjects = resources["/XObject"] = pikepdf.Dictionary()
    return xobjects if isinstance(xobjects, pikepdf.Dictionary) else None


def hand_over_thumbnail(pdf: pikepdf.Pdf, where: str) -> bool:
    """Move a file specification's /Thumb to the first page's XObjects in the copy *pdf*.

    Returns:
        False if the thumbnail is not an indirect image stream or there is no place for it, in
        which case the copy is not changed and pikepdf's refusal stands.
    """
    spec = _object(pdf, _FILESPEC_WHERE, where)
    if not isinstance(spec, pikepdf.Dictionary):
        return False
    thumb = spec.get("/Thumb")
    if not isinstance(thumb, pikepdf.Stream) or not thumb.is_indirect:
        return False
    xobjects = _first_page_xobjects(pdf)
    if xobjects is None:
        return False
    index = len(xobjects)
    while pikepdf.Name(f"/{_THUMB_PREFIX}{index}") in xobjects:
        index += 1
    # pikepdf checks an XObject resource by its /Subtype: a thumbnail without one is still an image
    if "/Subtype" not in thumb:
        thumb["/Subtype"] = pikepdf.Name.Image
    xobjects[pikepdf.Name(f"/{_THUMB_PREFIX}{index}")] = thumb
    del spec["/Thumb"]
    return True
