"""The photo store: upload checks, EXIF orientation, metadata stripped, content addressing."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import select

from dermalase import records
from dermalase.exceptions import InputError
from dermalase.records.photos import MAX_BYTES, PhotoStore, prepare_image
from tests.records.conftest import jpeg


def _with_exif(orientation: int, width: int = 40, height: int = 20) -> bytes:
    image = Image.new("RGB", (width, height), (210, 160, 140))
    # mark the left edge so that the rotation can be checked, not only the size
    for y in range(height):
        image.putpixel((0, y), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "CameraMaker"  # make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude: identifying, must not be kept
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=100, subsampling=0)
    return buffer.getvalue()


def test_exif_orientation_is_applied_and_metadata_dropped(tmp_path):
    store = PhotoStore(tmp_path)
    # orientation 6: the camera was turned 90° clockwise; upright the picture is 20 x 40
    image = store.put(1, _with_exif(6))
    assert (image.width_px, image.height_px, image.exif_orientation) == (20, 40, 6)
    stored = store.read(1, image.sha256)
    assert hashlib.sha256(stored).hexdigest() == image.sha256
    assert image.byte_size == len(stored)
    with Image.open(io.BytesIO(stored)) as upright:
        assert upright.size == (20, 40)
        assert dict(upright.getexif()) == {}
        # the marked left column is now the top row
        red, _, blue = upright.getpixel((10, 0))
        assert blue > 150 > red
    assert b"CameraMaker" not in stored


def test_the_same_picture_is_stored_once(tmp_path):
    store = PhotoStore(tmp_path)
    first = store.put(1, jpeg())
    second = store.put(1, jpeg())
    assert first == second
    assert store.stored(1) == {first.sha256}
    assert store.leftovers(1) == []


def test_a_png_stays_lossless(tmp_path):
    buffer = io.BytesIO()
    original = Image.new("RGB", (8, 8), (201, 151, 131))
    original.save(buffer, "PNG")
    image = PhotoStore(tmp_path).put(1, buffer.getvalue())
    assert image.media_type == "image/png"
    with Image.open(io.BytesIO(PhotoStore(tmp_path).read(1, image.sha256))) as back:
        assert back.getpixel((3, 3)) == (201, 151, 131)


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not an image at all", "not a decodable image"),
        (jpeg()[:200], "not a decodable image"),  # truncated JPEG
        (b"\xff" * (MAX_BYTES + 1), f"at most {MAX_BYTES} bytes"),
    ],
)
def test_a_file_that_is_no_acceptable_photo_is_refused_and_nothing_written(tmp_path, data, hint):
    store = PhotoStore(tmp_path / "photos")
    with pytest.raises(InputError) as caught:
        store.put(1, data)
    assert caught.value.field == "--photo"
    assert hint in str(caught.value)
    assert not (tmp_path / "photos").exists()


def test_a_gif_is_refused_by_format():
    buffer = io.BytesIO()
    Image.new("P", (4, 4)).save(buffer, "GIF")
    with pytest.raises(InputError, match="GIF"):
        prepare_image(buffer.getvalue())


def test_a_decompression_bomb_is_refused_before_decoding():
    # a PNG that claims 10,000 x 10,000 pixels (100 megapixels) in a small file
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < MAX_BYTES
    with pytest.raises(InputError, match="pixels"):
        prepare_image(buffer.getvalue())


def test_a_path_cannot_escape_the_store(tmp_path):
    with pytest.raises(InputError, match="sha256"):
        PhotoStore(tmp_path).path(1, "../../etc/passwd")


def test_a_photo_row_checks_view_and_region(database):
    from tests.records.conftest import ACTOR, record_course

    with database.session() as session:
        clinic = records.default_clinic(session, ACTOR).id
        ids = record_course(session, clinic, "chart-1")
        entry = records.add_diary_entry(
            session, clinic, ids["sessions"][0], day=0, phase="redness", actor=ACTOR
        ).id
    image = database.photos.put(clinic, jpeg(32, 16))
    for arguments, field in [
        ({"view": "profile"}, "--view"),
        ({"view": "close_up"}, "--area"),
        ({"view": "frontal", "region": [0, 0, 33, 10]}, "--region"),
        ({"view": "frontal", "reference_region": [5, 5, 5, 9]}, "--reference"),
    ]:
        with pytest.raises(InputError) as caught, database.session() as session:
            records.add_photo(session, clinic, entry, image, actor=ACTOR, **arguments)
        assert caught.value.field == field
    with database.session() as session:
        photo = records.add_photo(
            session,
            clinic,
            entry,
            image,
            view="close_up",
            area="perioral",
            region=[0, 0, 32, 16],
            actor=ACTOR,
        )
        assert (photo.width_px, photo.height_px, photo.region) == (32, 16, [0, 0, 32, 16])


def test_record_photo_checks_everything_before_writing_the_file(database):
    from tests.records.conftest import ACTOR, record_course

    with database.session() as session:
        clinic = records.default_clinic(session, ACTOR).id
        ids = record_course(session, clinic, "chart-1")
        entry = records.add_diary_entry(
            session, clinic, ids["sessions"][0], day=0, phase="redness", actor=ACTOR
        ).id
    data = jpeg(32, 16, colour=(220, 120, 110))
    with pytest.raises(InputError, match="--region"), database.session() as session:
        records.record_photo(
            session,
            database.photos,
            clinic,
            entry,
            data,
            view="frontal",
            actor=ACTOR,
            region=[0, 0, 40, 10],
        )
    assert database.photos.stored(clinic) == set()
    with database.session() as session:
        photo, reading = records.record_photo(
            session,
            database.photos,
            clinic,
            entry,
            data,
            view="frontal",
            actor=ACTOR,
            region=[0, 0, 32, 16],
        )
        sha = photo.sha256
    assert database.photos.stored(clinic) == {sha}
    with database.session(read_only=True) as session:
        (stored,) = session.scalars(select(records.Photo)).all()
        assert stored.erythema_index == pytest.approx(reading.a_star)
        assert reading.a_star > 20  # a clearly red patch
