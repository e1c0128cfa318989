"""Inventory of an RTF document: text, fonts, pictures, tables, notes, comments, fields and linked content.

RTF is read with a small tokenizer (control words, groups, text) that follows the destinations that
matter and skips the rest (font and colour tables, picture data, field instructions). It is a reading
for comparison, not a full RTF reader: layout and styles are ignored.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from validators.fidelity._docx import _FIELD_TARGET, _LINK_FIELDS, _VOLATILE_FIELDS, _field_kind
from validators.fidelity._model import Inventory
from validators.fidelity._util import MAX_PARAGRAPHS, MAX_PART_BYTES, join_text, normalise

log = logging.getLogger(__name__)

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S
)
# Destinations whose content is not document text.
_SKIP = frozenset(
    b"""fonttbl colortbl stylesheet info pict fldinst object objdata datastore themedata colorschememapping
    latentstyles listtable listoverridetable rsidtbl generator xmlnstbl mmathPr filetbl revtbl pgdsctbl
    atnid atnauthor atntime atnicn atnref annotation bkmkend nonshppict blipuid userprops docvar
    xmlopen xmlclose protusertbl listtext pntext pntxta pntxtb""".split()
)


# Optional destinations (``{\*\name ...}``) whose content is read; other unknown ones are skipped.
_OPTIONAL_READ = frozenset({"footnote", "shppict"})


@dataclass(slots=True)
class _State:
    skip: bool = False
    dest: str = ""
    font: int | None = None
    hidden: bool = False
    deleted: bool = False
    uc: int = 1
    in_field_result: bool = False
    in_note: bool = False
    in_header: bool = False
    fallback: bool = False  # inside \nonshppict or an object's preview: pictures there are copies
    intbl: bool = False


@dataclass(slots=True)
class _Reader:
    codec: str = "cp1252"
    fonts: dict[int, str] = field(default_factory=dict)
    font_codecs: dict[int, str] = field(default_factory=dict)
    paragraphs: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    chars: dict[str, set[str]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    external: list[str] = field(default_factory=list)
    buf: list[str] = field(default_factory=list)
    note_buf: list[str] = field(default_factory=list)
    instr: list[str] = field(default_factory=list)
    in_table_row: bool = False
    after_row: bool = False


def _charset_codec(charset: int) -> str | None:
    return {204: "cp1251", 238: "cp1250", 161: "cp1253", 162: "cp1254", 186: "cp1257", 0: "cp1252"}.get(
        charset
    )


def inventory_rtf(path: Path) -> Inventory:
    """Inventory an RTF file. See `validators.fidelity.inventory`."""
    data = path.read_bytes()[:MAX_PART_BYTES]
    r = _Reader()
    stack: list[_State] = []
    st = _State()
    skip_chars = 0
    pending_font: int | None = None
    fonttbl_name: list[str] = []
    for m in _TOKEN.finditer(data):
        word, arg, hexbyte, sym, brace, text = m.groups()
        if brace == b"{":
            stack.append(st)
            st = replace(st, dest="")
            continue
        if brace == b"}":
            _close_group(r, st, fonttbl_name, pending_font)
            if st.dest == "fonttbl-entry" and stack and stack[-1].dest == "fonttbl":
                pending_font = None
                fonttbl_name = []
            st = stack.pop() if stack else _State()
            continue
        if word is not None:
            name = word.decode("ascii")
            num = int(arg) if arg else None
            if skip_chars and name not in ("par", "line"):
                skip_chars -= 1
                continue
            _control(r, st, name, num)
            in_table = (stack and stack[-1].dest == "fonttbl") or st.dest in ("fonttbl", "fonttbl-entry")
            if name == "f" and num is not None and in_table:
                if pending_font is not None and fonttbl_name:  # a table written without inner groups
                    r.fonts[pending_font] = "".join(fonttbl_name).strip().rstrip(";").strip()
                st.dest = "fonttbl-entry"
                pending_font = num
                fonttbl_name = []
            elif name == "fcharset" and pending_font is not None and num is not None:
                codec = _charset_codec(num)
                if codec:
                    r.font_codecs[pending_font] = codec
            elif name == "u" and num is not None and not st.skip:
                _text(r, st, chr(num % 65536))
                skip_chars = st.uc
            continue
        if skip_chars and (hexbyte is not None or sym is not None):
            skip_chars -= 1  # the stand-in for a \u character
            continue
        if skip_chars and text is not None:
            dropped, text = text[:skip_chars], text[skip_chars:]
            skip_chars -= len(dropped)
            if not text:
                continue
        if hexbyte is not None:
            codec = r.font_codecs.get(st.font or -1, r.codec)
            ch = bytes([int(hexbyte, 16)]).decode(codec, "replace")
            if st.dest == "fonttbl-entry":
                fonttbl_name.append(ch)
            elif not st.skip:
                _text(r, st, ch)
            continue
        if sym is not None:
            s = sym.decode("latin-1")
            if s == "*":
                st.dest = "*"  # an optional destination: read only if known (see `_control`)
            elif st.dest == "fldinst":
                r.instr.append(s)
            elif s in "{}\\" and not st.skip:
                _text(r, st, s)
            elif s == "~" and not st.skip:
                _text(r, st, "\u00a0")
            elif s == "_" and not st.skip:
                _text(r, st, "-")
            continue
        if text is not None:
            if st.dest == "fonttbl-entry":
                fonttbl_name.append(text.decode("latin-1"))
            elif st.dest == "fldinst":
                r.instr.append(text.decode("latin-1"))
            elif not st.skip:
                _text(r, st, text.decode(r.font_codecs.get(st.font or -1, r.codec), "replace"))
    _end_paragraph(r, st)
    counts = r.counts
    for key in ("tables", "images", "footnotes", "endnotes", "comments", "fields", "ole_objects", "headers"):
        counts.setdefault(key, 0)
    for key in ("footers", "tracked_insertions", "tracked_deletions", "bookmarks", "hyperlinks_external"):
        counts.setdefault(key, 0)
    counts["paragraphs"] = len(r.paragraphs)
    return Inventory(
        path=str(path),
        format="rtf",
        kind="text",
        text=join_text(r.paragraphs + r.other),
        paragraphs=tuple((r.paragraphs + r.other)[:MAX_PARAGRAPHS]),
        counts=dict(counts),
        fonts={f: "".join(sorted(c))[:2000] for f, c in sorted(r.chars.items())},
        external=tuple(dict.fromkeys(r.external)),
        hidden_text=normalise(" ".join(r.hidden)),
        deleted_text="\n".join(t for t in (normalise(x) for x in r.deleted) if t),
    )


def _control(r: _Reader, st: _State, name: str, num: int | None) -> None:
    if name == "bkmkstart":
        r.counts["bookmarks"] += 1
    if st.dest == "*":
        st.dest = name
        if name not in _OPTIONAL_READ and name.encode() not in _SKIP:
            st.skip = True
            return
    if name.encode() in _SKIP:
        if name == "annotation":
            r.counts["comments"] += 1
        elif name == "pict" and not st.fallback:
            r.counts["images"] += 1
        elif name == "object" and not st.fallback:
            r.counts["ole_objects"] += 1
        if name in ("nonshppict", "object"):
            st.fallback = True
        st.dest = name
        st.skip = True
        return
    if st.skip:
        return
    if name == "ansicpg" and num:
        try:
            r.codec = codecs.lookup(f"cp{num}").name
        except LookupError:
            pass
    elif name == "fonttbl":
        st.dest = "fonttbl"
        st.skip = True
    elif name == "f" and num is not None:
        st.font = num
    elif name == "uc" and num is not None:
        st.uc = num
    elif name in ("par", "sect", "page", "cell"):
        _end_paragraph(r, st)
        if not st.intbl and name != "cell":
            r.after_row = False  # a paragraph outside a table: the next row starts a new table
    elif name == "row":
        _end_paragraph(r, st)
        r.counts["table_rows"] += 1
        r.in_table_row, r.after_row = False, True
    elif name in ("line", "tab", "emdash", "endash", "bullet"):
        _text(r, st, {"line": " ", "tab": " ", "emdash": "—", "endash": "–", "bullet": "•"}[name])
    elif name == "trowd":
        if not r.in_table_row and not r.after_row:
            r.counts["tables"] += 1
        r.in_table_row = True
    elif name == "pard":
        st.intbl = False
    elif name == "intbl":
        st.intbl = True
    elif name == "v":
        st.hidden = num != 0
    elif name == "deleted":
        st.deleted = num != 0
        if st.deleted:
            r.counts["tracked_deletions"] += 1
    elif name == "revised":
        if num != 0:
            r.counts["tracked_insertions"] += 1
    elif name == "field":
        r.instr = []
    elif name == "fldrslt":
        instr = "".join(r.instr).strip()
        kind = _field_kind(instr)
        if kind == "HYPERLINK":
            r.counts["hyperlinks_external"] += 1
        elif kind in _LINK_FIELDS:
            m = _FIELD_TARGET.match(instr)
            r.external.append(m.group(1).strip() if m else instr)
            r.counts["fields"] += 1
        elif kind:
            r.counts["fields"] += 1
        st.in_field_result = True
        st.skip = kind in _VOLATILE_FIELDS
    elif name == "footnote":
        st.in_note = True
        r.counts["footnotes"] += 1
    elif name == "ftnalt" and st.in_note:  # this footnote is an endnote
        r.counts["footnotes"] -= 1
        r.counts["endnotes"] += 1
    elif name in ("header", "headerl", "headerr", "headerf"):
        st.in_header = True
        r.counts["headers"] += 1
    elif name in ("footer", "footerl", "footerr", "footerf"):
        st.in_header = True
        r.counts["footers"] += 1


def _text(r: _Reader, st: _State, text: str) -> None:
    if st.hidden:
        r.hidden.append(text)
        return
    if st.deleted:
        r.deleted.append(text)
        return
    if st.in_note or st.in_header:
        r.note_buf.append(text)
    else:
        r.buf.append(text)
    family = r.fonts.get(st.font) if st.font is not None else None
    if family:
        for ch in set(text):
            if not ch.isspace():
                r.chars.setdefault(family, set()).add(ch)


def _end_paragraph(r: _Reader, st: _State) -> None:
    if st.in_note or st.in_header:
        t = normalise("".join(r.note_buf))
        r.note_buf.clear()
        if t:
            r.other.append(t)
        return
    t = normalise("".join(r.buf))
    r.buf.clear()
    if t and len(r.paragraphs) < MAX_PARAGRAPHS:
        r.paragraphs.append(t)


def _close_group(r: _Reader, st: _State, name: list[str], font: int | None) -> None:
    if st.dest == "fonttbl-entry" and font is not None:
        r.fonts[font] = "".join(name).strip().rstrip(";").strip()
    if st.in_note and not st.skip:
        t = normalise("".join(r.note_buf))
        r.note_buf.clear()
        if t:
            r.other.append(t)
