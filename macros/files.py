"""Reading a project's files (the .bib, the pages) as text: every way it can fail, said once.

A path can name something that is not a file (a folder, a named pipe that
would block the build for ever, a device such as /dev/zero that never
ends, a socket), a symbolic link that leads nowhere or round in a loop, a
file the builder may not read, or bytes that are not UTF-8 text (Latin-1,
UTF-16, NUL bytes). Each is one problem with the file's path, and the line
where the text is wrong, saying what to do; nothing here raises, and
nothing here ever opens a file that is not a regular file.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass

from .problems import Problems


@dataclass(frozen=True)
class Role:
    """What the file is to the engine, for the messages (and the kinds: ``bib.*`` or ``page.*``)."""

    noun: str  # "a .bib file"
    check: str  # what to do about a path that names no such file
    missing: str  # the message for a path where nothing is
    link: str  # what to do about a symbolic link that leads nowhere
    is_bib: bool


BIB = Role(
    noun="a .bib file",
    check="check plugins.citations.bibliography in mkdocs.yml",
    missing="bibliography file not found (create it, or set plugins.citations.bibliography in mkdocs.yml)",
    link="point it at the .bib file, or replace it with the file",
    is_bib=True,
)
PAGE = Role(
    noun="a page",
    check="replace it with a Markdown file, or remove it",
    missing="file not found (was it removed during the build?)",
    link="point it at the page, or remove it",
    is_bib=False,
)

_SPECIAL = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _special(mode: int) -> str | None:
    """What a file that is not a regular file is ("a named pipe (FIFO)"), or None for a regular file."""
    for test, what in _SPECIAL:
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "not a regular file"


def _not_a_file(problems: Problems, path: str, role: Role, message: str) -> None:
    if role.is_bib:
        problems.error(path, 0, message, kind="bib.not-a-file")
    else:
        problems.error(path, 0, message, kind="page.not-a-file")


def _refused(problems: Problems, path: str, role: Role, abs_path: str, error: OSError) -> None:
    """The one problem for an OSError met while looking at or opening the file."""
    if error.errno == errno.ELOOP:
        _not_a_file(
            problems,
            path,
            role,
            f"is a symbolic link that leads round in a loop, so there is no file to read ({role.link})",
        )
    elif error.errno in (errno.ENOENT, errno.ENOTDIR) and os.path.islink(abs_path):
        try:
            target = os.readlink(abs_path)
        except OSError:
            target = "?"
        _not_a_file(problems, path, role, f"is a symbolic link to '{target}', which does not exist ({role.link})")
    elif error.errno in (errno.ENOENT, errno.ENOTDIR) and role.is_bib:
        problems.error(path, 0, role.missing, kind="bib.file-missing")
    elif error.errno in (errno.ENOENT, errno.ENOTDIR):
        _not_a_file(problems, path, role, role.missing)
    else:
        if error.errno in (errno.EACCES, errno.EPERM):
            why = f"permission denied (let the user who builds the site read it, e.g. chmod a+r {path})"
        else:
            why = f"{(error.strerror or type(error).__name__).lower()} ({role.check})"
        if role.is_bib:
            problems.error(path, 0, f"cannot be read: {why}", kind="bib.unreadable")
        else:
            problems.error(path, 0, f"cannot be read: {why}", kind="page.unreadable")


def read_bytes(abs_path: str, display_path: str, problems: Problems, role: Role = BIB) -> bytes | None:
    """The bytes of a regular file, or None with one problem saying why not.

    A named pipe, device or socket is never read (``open`` on a pipe waits
    for a writer; ``/dev/zero`` never ends): the file is checked before it
    is opened, and again on the open descriptor, in case it was replaced in
    between (opening with O_NONBLOCK never waits).
    """
    try:
        what = _special(os.stat(abs_path).st_mode)
        if what is None:
            fd = os.open(abs_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
            try:
                what = _special(os.fstat(fd).st_mode)
                if what is None:
                    with os.fdopen(fd, "rb", closefd=False) as handle:
                        return handle.read()
            finally:
                os.close(fd)
    except OSError as error:
        _refused(problems, display_path, role, abs_path, error)
        return None
    _not_a_file(problems, display_path, role, f"is {what}, not {role.noun} ({role.check})")
    return None


def line_of(raw: bytes, offset: int) -> int:
    """The 1-based line of a byte offset; a line ends at "\\r\\n", "\\r" or "\\n", as everywhere in the engine."""
    return sum(1 for _ in _LINE_BREAK.finditer(raw, 0, offset)) + 1


def _utf16(raw: bytes) -> str | None:
    """The codec of a UTF-16 file ("utf-16", "utf-16-le", "utf-16-be"), or None.

    With a byte-order mark it is certain; without one, text in UTF-16 has a
    NUL in every other byte wherever it is ASCII, which UTF-8 text never has.
    """
    if raw.startswith(_UTF16_BOMS):
        return "utf-16"
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.4 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.4 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def decode(raw: bytes, display_path: str, problems: Problems, role: Role = BIB) -> str:
    """The text of a file's bytes: UTF-8, with a byte-order mark or not.

    Anything else is one error at the line where it starts, and the text is
    still read, so the rest of the file is checked: a UTF-16 file as UTF-16,
    bytes that are not UTF-8 (Latin-1) as U+FFFD, NUL bytes left out.
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # (before UTF-16: FF FE starts both)
        _not_utf8(problems, display_path, 1, "the file is UTF-32, not UTF-8; save it with UTF-8 encoding", role)
        return raw.decode("utf-32", errors="replace").lstrip("\ufeff").replace("\x00", "")
    codec = _utf16(raw)
    if codec is not None:
        _not_utf8(problems, display_path, 1, "the file is UTF-16, not UTF-8; save it with UTF-8 encoding", role)
        return raw.decode(codec, errors="replace").lstrip("\ufeff").replace("\x00", "")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = line_of(raw, error.start)
        message = f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it with UTF-8 encoding"
        _not_utf8(problems, display_path, line, message, role)
        text = raw.decode("utf-8", errors="replace")
    if "\x00" in text:
        line = line_of(raw, raw.find(b"\x00"))
        if role.is_bib:
            problems.error(display_path, line, "the file contains a NUL byte; remove it", kind="bib.nul-byte")
        else:
            problems.error(display_path, line, "the file contains a NUL byte; remove it", kind="page.nul-byte")
        text = text.replace("\x00", "")
    return text


def _not_utf8(problems: Problems, path: str, line: int, message: str, role: Role) -> None:
    if role.is_bib:
        problems.error(path, line, message, kind="bib.not-utf8")
    else:
        problems.error(path, line, message, kind="page.not-utf8")
