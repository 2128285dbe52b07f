"""Reading device files: validate a TOML file and convert it to SI, once.

Device files speak clinical units (:mod:`dermalase.devices.schema`, the
pydantic file format); :func:`read_device_file` validates a file, turns the
first error into one :class:`~dermalase.exceptions.InputError` naming the key
path, and converts the file to a :class:`~dermalase.devices.profiles.DeviceProfile`.
Bundled files live in ``dermalase/devices/data``; user files in the
directories named by :data:`DEVICE_PATH_VARIABLE`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from dermalase.devices.limits import MM_PER_M, PERCENT_PER_FRACTION, SettingRange
from dermalase.devices.profiles import (
    MRAD_PER_RAD,
    PER_CM2_PER_PER_M2,
    BeamGeometry,
    CoagulationTrain,
    DensityStep,
    DepthDial,
    DeviceProfile,
    PulseMode,
    Scanner,
    known_names_hint,
)
from dermalase.devices.schema import DeviceFile, key_paths, table_keys
from dermalase.exceptions import InputError, did_you_mean
from dermalase.reading import read_document, shown
from dermalase.units import J_CM2_PER_J_M2, MJ_PER_J, NM_PER_M, UM_PER_M, US_PER_S

#: Environment variable naming directories of user device files,
#: separated by :data:`os.pathsep`.
DEVICE_PATH_VARIABLE = "DERMALASE_DEVICE_PATH"


# --------------------------------------------------------------------- loading


def read_device_file(path: str | os.PathLike) -> DeviceProfile:
    """Read, validate and convert one device file to a :class:`DeviceProfile`.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.toml`` device file; its ``name`` must equal the file name
        without ``.toml``.

    Returns
    -------
    DeviceProfile
        The device, in SI units.

    Raises
    ------
    InputError
        When the file cannot be read, is not TOML, or breaks the device
        format; the error names the first offending key path, its value and
        what is allowed.
    """
    path = Path(path)
    document = read_document(path, "device file", syntax="toml")
    assert isinstance(document, dict)  # a TOML document is a table
    try:
        file = DeviceFile.model_validate(document)
    except ValidationError as error:
        raise _input_error(error, document, path) from None
    if file.name != path.stem:
        raise InputError("name", file.name, f"must equal the file name {path.stem!r} ({path.name})")
    paths = key_paths(document)
    for assumption in file.assumptions:
        if assumption not in paths:
            allowed = known_names_hint(assumption, list(paths), "key paths in the file")
            raise InputError("assumptions", assumption, f"{allowed} ({path.name})")
    return _profile(file, path)


def bundled_device_files() -> list[Path]:
    """Return the device files shipped with dermalase, by name."""
    folder = Path(str(resources.files("dermalase.devices").joinpath("data")))
    return sorted(folder.glob("*.toml"))


def device_directories(extra_dirs: Iterable[str | os.PathLike] | None = None) -> list[Path]:
    """Return the directories searched for user device files.

    Parameters
    ----------
    extra_dirs : iterable of path-like, optional
        Directories searched after those in :data:`DEVICE_PATH_VARIABLE`.

    Returns
    -------
    list of pathlib.Path
        Directories from the environment variable, then ``extra_dirs``.

    Raises
    ------
    InputError
        When a named directory does not exist.
    """
    named = [
        (DEVICE_PATH_VARIABLE, Path(entry))
        for entry in os.environ.get(DEVICE_PATH_VARIABLE, "").split(os.pathsep)
        if entry.strip()
    ]
    named += [("extra_dirs", Path(entry)) for entry in extra_dirs or ()]
    for field, folder in named:
        try:
            is_directory = folder.is_dir()
        except (OSError, ValueError):  # a name too long, or with a NUL byte
            is_directory = False
        if not is_directory:
            raise InputError(field, shown(folder), "is not a directory of device files")
    return [folder for _, folder in named]


def device_files(extra_dirs: Iterable[str | os.PathLike] | None = None) -> dict[str, Path]:
    """Return every known device file by device name: bundled first, then user files.

    Raises
    ------
    InputError
        When two files define the same device name.
    """
    files: dict[str, Path] = {}
    user_files = [f for folder in device_directories(extra_dirs) for f in _toml_files(folder)]
    for file in bundled_device_files() + user_files:
        known = files.get(file.stem)
        if known is not None and known.resolve() != file.resolve():
            raise InputError(
                "device", file.stem, f"defined twice, in {known} and {file}; rename one"
            )
        files.setdefault(file.stem, file)
    return files


def _toml_files(folder: Path) -> list[Path]:
    """The ``*.toml`` entries of a directory of user device files, by name."""
    try:
        return sorted(folder.glob("*.toml"))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        allowed = f"cannot be listed ({reason})"
        raise InputError(DEVICE_PATH_VARIABLE, shown(folder), allowed) from None


def list_devices(extra_dirs: Iterable[str | os.PathLike] | None = None) -> list[DeviceProfile]:
    """Return every known device: the bundled ones, then user devices.

    User devices are the ``*.toml`` files in the directories named by the
    environment variable ``DERMALASE_DEVICE_PATH`` (separated by
    :data:`os.pathsep`) and in ``extra_dirs``.

    Parameters
    ----------
    extra_dirs : iterable of path-like, optional
        More directories of user device files.

    Returns
    -------
    list of DeviceProfile
        Each device, validated.

    Examples
    --------
    >>> [device.name for device in list_devices()][:2]
    ['er_ysgg', 'fractional_1550']
    """
    return [read_device_file(file) for file in device_files(extra_dirs).values()]


def load_device(
    name_or_path: str | os.PathLike, extra_dirs: Iterable[str | os.PathLike] | None = None
) -> DeviceProfile:
    """Return a device by its name, or read it from a file.

    Parameters
    ----------
    name_or_path : str or os.PathLike
        A device name (bundled, or a user device found as in
        :func:`list_devices`), or a path to a ``.toml`` device file.
    extra_dirs : iterable of path-like, optional
        More directories of user device files.

    Returns
    -------
    DeviceProfile
        The device, validated, in SI units.

    Raises
    ------
    InputError
        For an unknown name (naming the closest known device) or an invalid
        file.

    Examples
    --------
    >>> load_device("tunable_er_yag").wavelength
    2.94e-06
    """
    text = os.fspath(name_or_path)
    if (
        isinstance(name_or_path, os.PathLike)
        or text.endswith(".toml")
        or os.sep in text
        or (os.altsep is not None and os.altsep in text)
    ):
        try:
            exists = Path(text).exists()
        except (OSError, ValueError):  # a name too long, or with a NUL byte
            exists = False
        if not exists:
            raise InputError("device", shown(text), "no such device file")
        return read_device_file(text)
    files = device_files(extra_dirs)
    if text not in files:
        # names match without regard to case, "-" or "_" (TUNABLE_ER_YAG, tunable-er-yag)
        by_key = {_name_key(name): name for name in files}
        if _name_key(text) not in by_key:
            raise InputError(
                "device", text, known_names_hint(_name_key(text), list(files), "known devices")
            )
        text = by_key[_name_key(text)]
    return read_device_file(files[text])


def _name_key(name: str) -> str:
    return name.strip().casefold().replace("-", "_")


# ------------------------------------------------------------------ conversion


def _profile(file: DeviceFile, path: Path) -> DeviceProfile:
    """Convert a validated device file to SI, once."""
    scanner = file.scanner
    return DeviceProfile(
        name=file.name,
        display_name=file.display_name,
        description=file.description,
        wavelength=file.wavelength_nm / NM_PER_M,
        modality=tuple(file.modality),
        depth_setting=file.depth_setting,
        pulse_modes=tuple(
            PulseMode(
                mode.name,
                _setting(
                    mode.pulse_durations_us,
                    mode.pulse_duration_min_us,
                    mode.pulse_duration_max_us,
                    US_PER_S,
                ),
                mode.description,
                peak_power=mode.peak_power_w,
            )
            for mode in file.pulse_modes
        ),
        fluence=None
        if file.full_field is None
        else _setting(
            None,
            file.full_field.fluence_min_j_cm2,
            file.full_field.fluence_max_j_cm2,
            J_CM2_PER_J_M2,
        ),
        energy=None
        if file.fractional is None
        else _setting(None, file.fractional.energy_min_mj, file.fractional.energy_max_mj, MJ_PER_J),
        spot_diameter=_setting(
            file.spot.spot_diameters_um,
            file.spot.spot_diameter_min_um,
            file.spot.spot_diameter_max_um,
            UM_PER_M,
        ),
        repetition_rate=SettingRange(
            float(file.repetition_rate.repetition_rate_min_hz),
            float(file.repetition_rate.repetition_rate_max_hz),
        ),
        max_stacked_pulses=file.max_stacked_pulses,
        max_passes=file.max_passes,
        average_power_max=None
        if file.average_power_max_w is None
        else float(file.average_power_max_w),
        coagulation=None
        if file.coagulation is None
        else CoagulationTrain(
            fluence=_setting(
                None,
                file.coagulation.fluence_min_j_cm2,
                file.coagulation.fluence_max_j_cm2,
                J_CM2_PER_J_M2,
            ),
            max_pulses=file.coagulation.max_pulses,
            pulse_duration=file.coagulation.pulse_duration_us / US_PER_S,
            repetition_rate=float(file.coagulation.repetition_rate_hz),
        ),
        scanner=None
        if scanner is None
        else Scanner(
            pattern_shapes=tuple(scanner.pattern_shapes),
            pattern_size=_setting(
                scanner.pattern_sizes_mm,
                scanner.pattern_size_min_mm,
                scanner.pattern_size_max_mm,
                MM_PER_M,
            ),
            speed_max=scanner.scanner_speed_max_mm_s / MM_PER_M,
            overlap=_optional_setting(
                scanner.overlap_min_percent, scanner.overlap_max_percent, PERCENT_PER_FRACTION
            ),
            overlap_recommended=_optional_setting(
                scanner.overlap_recommended_min_percent,
                scanner.overlap_recommended_max_percent,
                PERCENT_PER_FRACTION,
            ),
        ),
        density_steps=tuple(
            DensityStep(
                step.step,
                coverage=None
                if step.coverage_percent is None
                else step.coverage_percent / PERCENT_PER_FRACTION,
                density=None
                if step.mtz_density_per_cm2 is None
                else step.mtz_density_per_cm2 / PER_CM2_PER_PER_M2,
            )
            for step in file.density_steps
        ),
        depth=None
        if file.depth is None
        else DepthDial(
            ablation_depth=_setting(
                None, file.depth.ablation_depth_min_um, file.depth.ablation_depth_max_um, UM_PER_M
            ),
            coagulation_depth_max=None
            if file.depth.coagulation_depth_max_um is None
            else file.depth.coagulation_depth_max_um / UM_PER_M,
        ),
        sources=tuple(file.sources),
        assumptions=tuple(file.assumptions),
        path=path,
        beam=None if file.beam is None else _beam(file),
    )


def _beam(file: DeviceFile) -> BeamGeometry:
    """Convert the ``[beam]`` table to SI; divergence from the focal geometry if given so."""
    beam = file.beam
    assert beam is not None
    arm = {
        "delivery_arm_beam_diameter": beam.delivery_arm_beam_diameter_mm / MM_PER_M,
        "delivery_arm_divergence": beam.delivery_arm_divergence_mrad / MRAD_PER_RAD,
    }
    if beam.handpiece_divergence_mrad is not None:
        return BeamGeometry(beam.handpiece_divergence_mrad / MRAD_PER_RAD, **arm)
    assert beam.lens_beam_diameter_mm is not None and beam.focal_length_mm is not None
    return BeamGeometry(
        handpiece_divergence=beam.lens_beam_diameter_mm / beam.focal_length_mm,
        focal_length=beam.focal_length_mm / MM_PER_M,
        lens_beam_diameter=beam.lens_beam_diameter_mm / MM_PER_M,
        **arm,
    )


def _setting(
    values: list[float] | None, minimum: float | None, maximum: float | None, scale: float
) -> SettingRange:
    """Return a SettingRange in SI from clinical values (``value / scale``)."""
    if values is not None:
        return SettingRange.of(v / scale for v in values)
    assert minimum is not None and maximum is not None  # the schema asks a range or values
    return SettingRange(minimum / scale, maximum / scale)


def _optional_setting(
    minimum: float | None, maximum: float | None, scale: float
) -> SettingRange | None:
    if minimum is None:
        return None
    assert maximum is not None  # the schema pairs each minimum with a maximum
    return SettingRange(minimum / scale, maximum / scale)


# ------------------------------------------------------------------ file errors

# Clinical unit written in a key name, by key suffix.
_KEY_UNITS = {
    "_nm": "nm",
    "_us": "µs",
    "_um": "µm",
    "_mm": "mm",
    "_mm_s": "mm/s",
    "_j_cm2": "J/cm²",
    "_mj": "mJ",
    "_hz": "Hz",
    "_w": "W",
    "_percent": "%",
    "_per_cm2": "1/cm²",
    "_mrad": "mrad",
}

_BOUND_MESSAGE = re.compile(r"(greater|less) than( or equal to)? -?[\d.]+(e[+-]?\d+)?$")


def _input_error(error: ValidationError, document: dict, path: Path) -> InputError:
    """Turn the first pydantic error into a one-line InputError.

    An unknown key is reported before anything else: a misspelt key also
    leaves its correct spelling missing, and the spelling is the cause.
    """
    errors = error.errors(include_url=False)
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    location = first["loc"]
    field = _location_text(location, document)
    key = next((str(part) for part in reversed(location) if isinstance(part, str)), "")
    message = first["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = message[:1].lower() + message[1:]
    if _BOUND_MESSAGE.search(message):
        unit = next((u for suffix, u in _KEY_UNITS.items() if key.endswith(suffix)), "")
        message = f"{message} {unit}".rstrip()
    if first["type"] == "missing":
        value = "(missing)"
    elif first["type"] == "extra_forbidden":
        value = "(unknown key)"
        hint = did_you_mean(key, sorted(table_keys())).strip()
        message = f"not a device file key; {hint}" if hint else message
    else:
        value = _value_text(first["input"])
    return InputError(field or "device file", value, f"{message} ({path.name})")


def _location_text(location: tuple, document: dict) -> str:
    """Return a pydantic error location as a key path of the device file."""
    parts: list[str] = []
    node: object = document
    for part in location:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            entry = node[part]
            if isinstance(entry, dict) and ("name" in entry or "step" in entry):
                parts.append(str(entry.get("name", entry.get("step"))))
            else:
                parts[-1] = f"{parts[-1]}[{part}]" if parts else f"[{part}]"
            node = entry
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def _value_text(value: object) -> str:
    if isinstance(value, dict):
        return "(table)"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
