"""Reading input files so that no file can crash or hang a command.

Every file dermalase reads on a user's behalf (consultations, treatment-area GeoJSON, device
files, response-table archives) goes through this module. Whatever the file holds, the result
is either the parsed document or one one-line :class:`~dermalase.exceptions.InputError`
(exit code 2) naming the field, the file and what is wrong:

- the path is not a regular file (missing, a directory, a device or pipe), or its name is too
  long for the operating system (the name is shortened in the message);
- the file is larger than the limit of its kind (:data:`TEXT_LIMIT`, :data:`AREA_LIMIT`,
  :data:`ARCHIVE_LIMIT` [bytes]), so no reader parses gigabytes;
- text that is not UTF-8, or that holds NUL bytes (a binary file);
- TOML or JSON that is malformed, nested more than :data:`NESTING_LIMIT` levels (checked
  before Python's recursion limit can be reached), or holds a number too long to convert
  (more than :data:`DIGITS_LIMIT` digits).

Examples
--------
>>> nested_depth({"a": [1, {"b": 2}]})
3
>>> shown("two" + chr(10) + "lines") == repr("two" + chr(10) + "lines")
True
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import tomllib
import zipfile
from pathlib import Path

import numpy as np

from dermalase.exceptions import InputError

#: Largest consultation or device file read [bytes]: a consultation is under 2 kB, the
#: largest bundled device file under 10 kB.
TEXT_LIMIT = 1 << 20

#: Largest treatment-area GeoJSON read [bytes]: a face outline with exclusions digitised at
#: 0.1 mm is a few hundred kilobytes.
AREA_LIMIT = 16 << 20

#: Largest response-table archive read, counted uncompressed [bytes]; a shipped table set
#: holds under 100 kB.
ARCHIVE_LIMIT = 256 << 20

#: Deepest nesting of tables and lists accepted in a TOML or JSON file [levels]. A
#: consultation nests 2 levels, a device file 3, a GeoJSON MultiPolygon collection 7.
NESTING_LIMIT = 32

#: Longest integer literal converted [digits]: Python's own guard against quadratic-time
#: conversion (``sys.get_int_max_str_digits``).
DIGITS_LIMIT = 4300

#: Longest name shown in a message [characters]; longer ones keep their start and end.
NAME_SHOWN = 80

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def shown(text: object, limit: int = NAME_SHOWN) -> str:
    """Return ``text`` as one short line: control characters escaped, the middle cut.

    Parameters
    ----------
    text : object
        A path, name or value taken from the input.
    limit : int
        Longest result [characters].

    Returns
    -------
    str
        ``str(text)``, or its ``repr`` when it holds control characters (newlines, form
        feeds), shortened to ``limit`` characters around an ellipsis.

    Examples
    --------
    >>> shown("x" * 200, limit=11)
    'xxxxx…xxxxx'
    """
    value = os.fspath(text) if isinstance(text, os.PathLike) else str(text)
    if _CONTROL.search(value):
        value = repr(value)
    if len(value) > limit:
        half = (limit - 1) // 2
        value = f"{value[:half]}…{value[len(value) - half :]}"
    return value


def read_bytes(path: str | os.PathLike, field: str, *, limit: int = TEXT_LIMIT) -> bytes:
    """Read a whole regular file of at most ``limit`` bytes.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    field : str
        What the file is, as the message names it (``"consultation file"``).
    limit : int
        Largest size accepted [bytes].

    Returns
    -------
    bytes

    Raises
    ------
    InputError
        For a path that is not a readable regular file or is larger than ``limit``.
    """
    name = shown(path)
    try:
        status = os.stat(path)
    except OSError as error:
        raise InputError(field, name, _reason(error)) from None
    except ValueError:  # an embedded NUL byte in the name
        raise InputError(field, name, "is not a valid file name") from None
    if stat.S_ISDIR(status.st_mode):
        raise InputError(field, name, "is a directory, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise InputError(field, name, "is not a regular file")
    if status.st_size > limit:
        raise InputError(field, name, f"is {status.st_size} bytes; the limit is {limit} bytes")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # swapped since stat
                raise InputError(field, name, "is not a regular file")
            data = stream.read(limit + 1)
    except OSError as error:
        raise InputError(field, name, _reason(error)) from None
    if len(data) > limit:
        raise InputError(field, name, f"is larger than the limit of {limit} bytes")
    return data


def read_text(path: str | os.PathLike, field: str, *, limit: int = TEXT_LIMIT) -> str:
    """Read a UTF-8 text file of at most ``limit`` bytes (see :func:`read_bytes`).

    Raises
    ------
    InputError
        Also for bytes that are not UTF-8 or a NUL byte (a binary file).
    """
    data = read_bytes(path, field, limit=limit)
    if b"\x00" in data:
        raise InputError(field, shown(path), "is a binary file, not UTF-8 text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            field, shown(path), f"is not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from None


def read_document(
    path: str | os.PathLike, field: str, *, syntax: str | None = None, limit: int = TEXT_LIMIT
) -> object:
    """Read and parse a TOML or JSON file, within the size and nesting limits.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    field : str
        What the file is, as the message names it.
    syntax : {"toml", "json"}, optional
        The format; by default the file's suffix (``.toml``; anything else is JSON).
    limit : int
        Largest size accepted [bytes].

    Returns
    -------
    object
        The parsed document (a dict for TOML).

    Raises
    ------
    InputError
        For any file that cannot be read or parsed, as listed in the module notes.
    """
    text = read_text(path, field, limit=limit)
    if syntax is None:
        syntax = "toml" if Path(path).suffix.lower() == ".toml" else "json"
    return parse_document(text, syntax, field, shown(Path(path).name))


def parse_document(text: str, syntax: str, field: str, name: str) -> object:
    """Parse TOML or JSON text within the nesting and digit limits.

    Parameters
    ----------
    text : str
        The document.
    syntax : {"toml", "json"}
        The format.
    field, name : str
        What and which file, as the message names them.

    Returns
    -------
    object
        The parsed document.

    Raises
    ------
    InputError
        For malformed text, nesting deeper than :data:`NESTING_LIMIT` or an integer longer
        than :data:`DIGITS_LIMIT` digits.

    Examples
    --------
    >>> parse_document('{"age": 38}', "json", "consultation file", "c.json")
    {'age': 38}
    >>> parse_document("[" * 100 + "]" * 100, "json", "consultation file", "c.json")
    Traceback (most recent call last):
    ...
    dermalase.exceptions.InputError: consultation file: c.json is not valid; nested more ...
    """
    if syntax not in ("toml", "json"):
        raise ValueError(f"syntax must be 'toml' or 'json', not {syntax!r}")
    deep = f"nested more than {NESTING_LIMIT} levels deep"
    if syntax == "json" and _bracket_depth(text) > NESTING_LIMIT:
        raise InputError(field, name, deep)
    try:
        if syntax == "toml":
            document = tomllib.loads(text)
        else:
            document = json.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(field, name, f"not valid TOML: {shown(error, 200)}") from None
    except json.JSONDecodeError as error:
        raise InputError(field, name, f"not valid JSON: {shown(error, 200)}") from None
    except RecursionError:
        raise InputError(field, name, deep) from None
    except ValueError:  # int() refused a literal past Python's digit limit
        key = _long_number_key(text)
        where = f" (at {shown(key, 40)})" if key else ""
        allowed = f"holds a number longer than {DIGITS_LIMIT} digits{where}"
        raise InputError(field, name, allowed) from None
    if nested_depth(document) > NESTING_LIMIT:
        raise InputError(field, name, deep)
    return document


def nested_depth(document: object) -> int:
    """Levels of dicts and lists in a parsed document, counted without recursion.

    Parameters
    ----------
    document : object
        A parsed TOML or JSON document.

    Returns
    -------
    int
        0 for a scalar, 1 for a flat dict or list, and so on.
    """
    deepest = 0
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            children = node.values() if isinstance(node, dict) else node
            deepest = max(deepest, level)
            if level > NESTING_LIMIT:
                return level
            stack.extend((child, level + 1) for child in children)
    return deepest


def read_archive(
    path: str | os.PathLike, names: tuple[str, ...], field: str, *, limit: int = ARCHIVE_LIMIT
) -> dict[str, np.ndarray]:
    """Read named arrays from a NumPy ``.npz`` archive, refusing anything malformed.

    Parameters
    ----------
    path : str or os.PathLike
        The archive.
    names : tuple of str
        Arrays to read (without ``.npy``).
    field : str
        What the archive is, as the message names it.
    limit : int
        Largest total uncompressed size of the arrays read [bytes].

    Returns
    -------
    dict of str to numpy.ndarray

    Raises
    ------
    InputError
        For a path that is not a regular file, a truncated or corrupt archive, a missing
        array, an array of Python objects, or more than ``limit`` bytes uncompressed.
    """
    name = shown(path)
    data = read_bytes(path, field, limit=limit)  # an archive is no larger than its contents
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sizes = {info.filename: info.file_size for info in archive.infolist()}
            wanted = [f"{array}.npy" for array in names]
            missing = [a for a, entry in zip(names, wanted, strict=True) if entry not in sizes]
            if missing:
                raise InputError(field, name, f"holds no array {', '.join(missing)}")
            if sum(sizes[entry] for entry in wanted) > limit:
                raise InputError(field, name, f"unpacks to more than {limit} bytes")
            arrays = {}
            for array, entry in zip(names, wanted, strict=True):
                with archive.open(entry) as stream:
                    arrays[array] = np.lib.format.read_array(stream, allow_pickle=False)
            return arrays
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        reason = shown(error, 120) or type(error).__name__
        raise InputError(field, name, f"is not a readable table archive ({reason})") from None


def _reason(error: OSError) -> str:
    """One-line reason for an operating-system error on a path."""
    if isinstance(error, FileNotFoundError):
        return "cannot be read (no such file)"
    if isinstance(error, IsADirectoryError):
        return "is a directory, not a file"
    return f"cannot be read ({error.strerror or type(error).__name__})"


def _bracket_depth(text: str) -> int:
    """Deepest nesting of ``[`` and ``{`` in JSON text, outside strings."""
    depth = deepest = 0
    inside = escaped = False
    for character in text:
        if inside:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                inside = False
        elif character == '"':
            inside = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > NESTING_LIMIT:
                return deepest
        elif character in "]}":
            depth -= 1
    return deepest


_LONG_NUMBER = re.compile(
    r'(?:^|[{,])\s*"?([\w.\-]+)"?\s*[=:]\s*[+-]?\d[\d_]{' + str(DIGITS_LIMIT) + ",}",
    re.MULTILINE,
)


def _long_number_key(text: str) -> str | None:
    """The key of the first ``key = <too many digits>`` line, if one can be found."""
    match = _LONG_NUMBER.search(text)
    return match.group(1) if match else None
