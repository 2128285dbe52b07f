"""The photo store: image files by SHA-256, outside the database, one folder per clinic.

A photo is checked before anything is written: at most :data:`MAX_BYTES`, decodable by
Pillow as JPEG, PNG or WebP, at most :data:`MAX_PIXELS`. Its EXIF orientation is applied
(``ImageOps.exif_transpose``) and every metadata block is dropped before it is stored: EXIF
may carry the place (GPS), the time and the camera's serial number, which are identifying
and not needed. A JPEG is re-encoded at quality :data:`JPEG_QUALITY` without chroma
subsampling, a PNG or WebP losslessly as PNG; the stored file's SHA-256 names it
(``ROOT/clinic-ID/ab/abcdef…``), so the same picture is stored once per clinic.

A file is written (to a temporary name, flushed to disk, renamed) **before** the database
row that names it is committed, and deleted only **after** the row's deletion is committed:
a crash can leave a file no row names (an orphan, found and removed by :meth:`PhotoStore.
orphans` and ``dermalase records check``), never a row without its file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import re
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path

from dermalase.exceptions import InputError

#: Largest photo accepted [bytes] (25 MB).
MAX_BYTES = 25 * 1000 * 1000

#: Largest photo accepted [pixels]: 50 megapixels, above any clinical camera, below the
#: sizes that make a small file decode into gigabytes (a decompression bomb).
MAX_PIXELS = 50_000_000

#: Image formats accepted (Pillow format names).
FORMATS = ("JPEG", "PNG", "WEBP")

#: JPEG quality of a stored photo (re-encoded once, without chroma subsampling).
JPEG_QUALITY = 95

_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclasses.dataclass(frozen=True)
class StoredImage:
    """What the store knows of a stored photo.

    Attributes
    ----------
    sha256 : str
        Hex SHA-256 of the stored file.
    media_type : str
        ``image/jpeg`` or ``image/png``.
    byte_size : int
        Size of the stored file [bytes].
    width_px, height_px : int
        Dimensions of the stored (upright) image [pixels].
    exif_orientation : int
        The EXIF orientation tag of the original (1: upright or none).
    """

    sha256: str
    media_type: str
    byte_size: int
    width_px: int
    height_px: int
    exif_orientation: int


def prepare_image(data: bytes, field: str = "--photo") -> tuple[bytes, StoredImage]:
    """Check a photo and turn it into the bytes the store keeps.

    Parameters
    ----------
    data : bytes
        The file as uploaded.
    field : str
        Name of the input, for errors.

    Returns
    -------
    bytes, StoredImage
        The upright, metadata-free image file and its description.

    Raises
    ------
    InputError
        Over :data:`MAX_BYTES`, not a decodable JPEG/PNG/WebP, or over :data:`MAX_PIXELS`.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_BYTES:
        raise InputError(field, f"{len(data)} bytes", f"a photo must be at most {MAX_BYTES} bytes")
    if not data:
        raise InputError(field, "an empty file", "give a JPEG, PNG or WebP photo")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it: make that an error too
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise InputError(field, f"a {kind} image", "give a JPEG, PNG or WebP photo")
            if width * height > MAX_PIXELS:
                raise InputError(
                    field, f"{width} x {height} pixels", f"at most {MAX_PIXELS} pixels"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as original:
            original.load()
            orientation = int(original.getexif().get(0x0112, 1) or 1)
            upright = ImageOps.exif_transpose(original)
    except InputError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise InputError(
            field, f"over {MAX_PIXELS} pixels", f"at most {MAX_PIXELS} pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InputError(field, "not a decodable image", "give a JPEG, PNG or WebP photo") from None
    if upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    buffer = io.BytesIO()
    if kind == "JPEG":
        upright.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=True)
        media_type = "image/jpeg"
    else:
        upright.save(buffer, "PNG", optimize=False)
        media_type = "image/png"
    stored = buffer.getvalue()
    return stored, StoredImage(
        sha256=hashlib.sha256(stored).hexdigest(),
        media_type=media_type,
        byte_size=len(stored),
        width_px=upright.width,
        height_px=upright.height,
        exif_orientation=orientation if 1 <= orientation <= 8 else 1,
    )


class PhotoStore:
    """Photo files by SHA-256 under ``root``, one folder per clinic.

    Parameters
    ----------
    root : pathlib.Path
        Folder of the store (created on the first write).
    """

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, clinic_id: int, sha256: str) -> Path:
        """Where the file of ``sha256`` of clinic ``clinic_id`` is (or would be) kept."""
        if not _HASH.match(sha256):
            raise InputError("sha256", sha256, "64 lower-case hexadecimal digits")
        return self.root / f"clinic-{int(clinic_id)}" / sha256[:2] / sha256

    def put(self, clinic_id: int, data: bytes, field: str = "--photo") -> StoredImage:
        """Check, normalise and store a photo; return its description.

        The file is on disk (flushed, renamed into place) when this returns; commit the
        row that names it afterwards. Storing the same picture again writes nothing.

        Raises
        ------
        InputError
            See :func:`prepare_image`; nothing is written.
        """
        stored, image = prepare_image(data, field)
        self.keep(clinic_id, stored, image)
        return image

    def keep(self, clinic_id: int, stored: bytes, image: StoredImage) -> None:
        """Write bytes that :func:`prepare_image` returned (nothing if already kept)."""
        if hashlib.sha256(stored).hexdigest() != image.sha256:
            raise ValueError("the bytes are not those of the image description")
        target = self.path(clinic_id, image.sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(stored)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _sync_directory(target.parent)

    def read(self, clinic_id: int, sha256: str) -> bytes:
        """The stored file's bytes.

        Raises
        ------
        FileNotFoundError
            When the file is missing (``dermalase records check`` reports it).
        """
        return self.path(clinic_id, sha256).read_bytes()

    def exists(self, clinic_id: int, sha256: str) -> bool:
        """Whether the file of ``sha256`` is in the store."""
        return self.path(clinic_id, sha256).is_file()

    def stored(self, clinic_id: int) -> set[str]:
        """Hashes of every file kept for a clinic."""
        folder = self.root / f"clinic-{int(clinic_id)}"
        if not folder.is_dir():
            return set()
        return {item.name for item in folder.glob("??/*") if _HASH.match(item.name)}

    def leftovers(self, clinic_id: int) -> list[Path]:
        """Temporary files of writes that never finished (a crash between write and rename)."""
        folder = self.root / f"clinic-{int(clinic_id)}"
        return sorted(folder.glob("??/.incoming-*")) if folder.is_dir() else []

    def remove(self, clinic_id: int, hashes: Iterable[str]) -> int:
        """Delete the files of ``hashes`` (after their rows' deletion is committed).

        Returns
        -------
        int
            How many files were deleted.
        """
        removed = 0
        for sha256 in hashes:
            with contextlib.suppress(FileNotFoundError):
                self.path(clinic_id, sha256).unlink()
                removed += 1
        return removed


def _sync_directory(folder: Path) -> None:
    """Flush a folder's entry list to disk, so that a rename survives a power cut."""
    if os.name != "posix":  # pragma: no cover - dermalase runs on POSIX
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
