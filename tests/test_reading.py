"""The guarded reader: every malformed input file is one one-line InputError (exit 2)."""

import json
import os
import zipfile

import numpy as np
import pytest

from dermalase import reading
from dermalase.devices import DEVICE_PATH_VARIABLE, list_devices
from dermalase.exceptions import InputError
from dermalase.forward.tables import storage
from dermalase.scanner.areas import find_area, load_area

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [40, 0], [40, 40], [0, 40], [0, 0]]]}


def one_line_input_error(call, *args, **kwargs) -> str:
    """Run ``call``; it must raise InputError with a short, one-line message."""
    with pytest.raises(InputError) as error:
        call(*args, **kwargs)
    message = str(error.value)
    assert error.value.exit_code == 2
    assert "\n" not in message and "\r" not in message and "\x0c" not in message
    assert len(message) < 400
    return message


def test_a_directory_where_a_file_is_expected(tmp_path):
    folder = tmp_path / "area.json"
    folder.mkdir()
    assert "is a directory" in one_line_input_error(load_area, folder)


def test_a_binary_file_where_text_is_expected(tmp_path):
    binary = tmp_path / "area.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in one_line_input_error(load_area, binary)


def test_a_five_thousand_character_name_is_shortened(tmp_path):
    long_name = str(tmp_path / ("x" * 5000 + ".json"))
    message = one_line_input_error(load_area, long_name)
    assert "cannot be read" in message and "…" in message
    assert "known templates" in one_line_input_error(find_area, "x" * 5000)


def test_a_name_with_a_newline_is_escaped(tmp_path):
    message = one_line_input_error(load_area, tmp_path / "two\nlines.json")
    assert "\\n" in message


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "AREA_LIMIT", 100)
    big = tmp_path / "big.json"
    big.write_text(json.dumps(SQUARE) + " " * 200)
    assert "limit" in one_line_input_error(reading.read_text, big, "area file", limit=100)


def test_nesting_past_the_recursion_limit_is_one_line(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert "nested more than" in one_line_input_error(load_area, deep)


def test_nesting_is_counted_after_parsing_too():
    # dotted keys nest without brackets: only the parsed document shows the depth
    text = "a" + ".a" * (reading.NESTING_LIMIT + 1) + " = 1"
    message = one_line_input_error(reading.parse_document, text, "toml", "device file", "d.toml")
    assert "nested more than" in message
    assert reading.nested_depth({"a": [[1]]}) == 3


def test_a_number_past_pythons_digit_limit(tmp_path):
    text = '{"age": ' + "9" * 5000 + "}"
    message = one_line_input_error(reading.parse_document, text, "json", "file", "c.json")
    assert "4300 digits (at age)" in message


def test_non_utf8_device_file_on_the_device_path(tmp_path, monkeypatch):
    (tmp_path / "latin.toml").write_bytes('name = "Erbium-Laser für Ärzte"\n'.encode("latin-1"))
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, str(tmp_path))
    assert "not UTF-8" in one_line_input_error(list_devices)


def test_a_directory_named_like_a_device_file(tmp_path, monkeypatch):
    (tmp_path / "folder.toml").mkdir()
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, str(tmp_path))
    assert "is a directory" in one_line_input_error(list_devices)


def test_a_device_path_entry_too_long_for_the_system(monkeypatch):
    monkeypatch.setenv(DEVICE_PATH_VARIABLE, "/tmp/" + "d" * 5000)
    assert "not a directory of device files" in one_line_input_error(list_devices)


def table_archive(path, values, meta):
    with open(path, "wb") as stream:
        np.savez(stream, values=values, meta=np.array(json.dumps(meta)))


def test_truncated_and_corrupt_table_files_are_ignored_with_a_warning(tmp_path):
    shipped = next(storage.shipped_directory().glob("*.npz"))
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(shipped.read_bytes()[: shipped.stat().st_size // 2])
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(os.urandom(4096))
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, values=np.array([{"a": 1}], dtype=object), meta=np.array("{}"))
    wrong_shape = tmp_path / "wrong_shape.npz"
    good = storage._load(shipped)
    assert good is not None
    meta = {
        "spec": good.spec.__dict__,
        "interpolation_error": {},
        "build_seconds": 1.0,
        "key": good.key,
    }
    table_archive(wrong_shape, np.zeros((1, 1, 1, 1, 1)), meta)
    for broken in (truncated, garbage, pickled, wrong_shape, tmp_path):
        with pytest.warns(storage.TableFileWarning, match="ignoring the table file"):
            assert storage._load(broken) is None


def test_an_archive_that_unpacks_past_the_limit_is_refused(tmp_path):
    bomb = tmp_path / "bomb.npz"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("values.npy", b"\x00" * 2_000_000)
        archive.writestr("meta.npy", b"")
    message = one_line_input_error(
        reading.read_archive, bomb, ("values", "meta"), "table file", limit=1_000_000
    )
    assert "unpacks to more than" in message


def test_a_corrupt_cache_file_does_not_stop_a_lookup(tmp_path, monkeypatch):
    """A lookup with a broken cached copy warns and goes on to the shipped table."""
    shipped = next(storage.shipped_directory().glob("*.npz"))
    key = shipped.stem.removeprefix("column-table-")
    (tmp_path / shipped.name).write_bytes(b"PK\x03\x04 truncated")
    storage.clear_loaded()
    found = storage._find(key, tmp_path)  # shipped first: the broken copy is not reached
    assert found is not None and found.key == key
    storage.clear_loaded()
    monkeypatch.setattr(storage, "shipped_directory", lambda: tmp_path / "none")
    with pytest.warns(storage.TableFileWarning):
        assert storage._find(key, tmp_path) is None
    storage.clear_loaded()


def test_cache_directory_that_is_a_file(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory")
    assert "is a file" in one_line_input_error(storage.table_directory, blocker)
    assert "cannot be created" in one_line_input_error(storage.table_directory, blocker / "sub")
    storage.clear_loaded()
    assert storage._find("0" * 24, blocker) is None  # a lookup is not stopped by it


def test_a_build_into_a_file_is_refused_before_it_starts(tmp_path, monkeypatch):
    from dermalase.forward import tables
    from dermalase.forward.tables import build

    def no_build(*_args, **_kwargs):
        raise AssertionError("the build started")

    monkeypatch.setattr(build, "build_table_set", no_build)
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory")
    spec = tables.TableSpec(wavelength=10.6e-6, energies=(0.01,), spots=(1e-4,), durations=(1e-4,))
    assert "is a file" in one_line_input_error(build.build_table, spec, directory=blocker)
