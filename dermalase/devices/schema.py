"""The device file format: pydantic models of a device TOML file.

A device file speaks clinical units and writes the unit in each key name
(``fluence_max_j_cm2``, ``pulse_duration_min_us``, ``spot_diameters_um``,
``energy_max_mj``, ``scanner_speed_max_mm_s``, ``pattern_sizes_mm``). These
models only validate the file as written; :mod:`dermalase.devices.files`
converts a validated file to SI once, into a
:class:`~dermalase.devices.profiles.DeviceProfile`.

Every numeric value that was not read in a cited source is named in the
file's ``assumptions`` list by its key path: ``"full_field.fluence_max_j_cm2"``
for a key in a table, ``"pulse_modes.short.pulse_duration_min_us"`` for a key
in an entry of an array of tables (the entry named by its ``name`` or
``step``), ``"max_passes"`` for a top-level key.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

#: Pulse modes a device file may declare. ``short``: free-running ablative
#: pulse (Er:YAG 250-350 µs); ``long``: variable or long pulse meant for more
#: coagulation (Er:YAG 0.5-10 ms); ``ultrapulse``: high-peak-power CO2 pulse
#: shorter than the tissue's thermal relaxation time (≤ 1 ms); ``superpulse``:
#: CO2 train of short pulses.
PulseModeName = Literal["short", "long", "ultrapulse", "superpulse"]
PULSE_MODE_NAMES = get_args(PulseModeName)

#: Treatment modalities.
Modality = Literal["full_field", "fractional"]
MODALITIES = get_args(Modality)

#: Scanner pattern shapes.
PatternShape = Literal["square", "rectangle", "hexagon", "circle", "line", "triangle"]
PATTERN_SHAPES = get_args(PatternShape)

#: Wavelength range a device file may declare [nm]: the water absorption
#: table (Hale & Querry 1973) covers 1.3-11 µm.
WAVELENGTH_RANGE_NM = (1300.0, 11000.0)

Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
PositivePercent = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=1)]


class _Table(BaseModel):
    """Base of every table of a device file: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _not_below(minimum_key: str):
    """Return a field validator that refuses a maximum below its minimum."""

    def check(cls, value: float | None, info: ValidationInfo) -> float | None:
        minimum = info.data.get(minimum_key)
        if value is not None and minimum is not None and value < minimum:
            raise ValueError(f"must be >= {minimum_key} ({minimum:g})")
        return value

    return check


def _increasing(values: list[float] | None) -> list[float] | None:
    """Refuse a discrete list that is not strictly increasing."""
    if values is not None and any(b <= a for a, b in itertools.pairwise(values)):
        raise ValueError("must be strictly increasing, without repeats")
    return values


def _range_or_values(table: BaseModel, minimum: str, maximum: str, values: str) -> None:
    """Require either a ``minimum``/``maximum`` pair or a discrete list, not both."""
    given_range = [getattr(table, minimum) is not None, getattr(table, maximum) is not None]
    given_values = getattr(table, values) is not None
    if given_values and any(given_range):
        raise ValueError(f"give either {values} or {minimum}/{maximum}, not both")
    if not given_values and not all(given_range):
        raise ValueError(f"give {values}, or both {minimum} and {maximum}")


class PulseModeTable(_Table):
    """One ``[[pulse_modes]]`` entry: a range or a list of pulse durations [µs]."""

    name: PulseModeName
    description: str = ""
    pulse_duration_min_us: Positive | None = None
    pulse_duration_max_us: Positive | None = None
    pulse_durations_us: list[Positive] | None = Field(default=None, min_length=1)
    peak_power_w: Positive | None = None

    _max = field_validator("pulse_duration_max_us")(_not_below("pulse_duration_min_us"))
    _values = field_validator("pulse_durations_us")(_increasing)

    @model_validator(mode="after")
    def _one_form(self) -> PulseModeTable:
        _range_or_values(
            self, "pulse_duration_min_us", "pulse_duration_max_us", "pulse_durations_us"
        )
        return self


class FullFieldTable(_Table):
    """``[full_field]``: fluence per pulse [J/cm²]."""

    fluence_min_j_cm2: Positive
    fluence_max_j_cm2: Positive

    _max = field_validator("fluence_max_j_cm2")(_not_below("fluence_min_j_cm2"))


class FractionalTable(_Table):
    """``[fractional]``: energy per microbeam [mJ]."""

    energy_min_mj: Positive
    energy_max_mj: Positive

    _max = field_validator("energy_max_mj")(_not_below("energy_min_mj"))


class SpotTable(_Table):
    """``[spot]``: spot diameters [µm], a list or a range."""

    spot_diameters_um: list[Positive] | None = Field(default=None, min_length=1)
    spot_diameter_min_um: Positive | None = None
    spot_diameter_max_um: Positive | None = None

    _values = field_validator("spot_diameters_um")(_increasing)
    _max = field_validator("spot_diameter_max_um")(_not_below("spot_diameter_min_um"))

    @model_validator(mode="after")
    def _one_form(self) -> SpotTable:
        _range_or_values(self, "spot_diameter_min_um", "spot_diameter_max_um", "spot_diameters_um")
        return self


class RepetitionRateTable(_Table):
    """``[repetition_rate]``: pulse repetition rate [Hz]."""

    repetition_rate_min_hz: Positive
    repetition_rate_max_hz: Positive

    _max = field_validator("repetition_rate_max_hz")(_not_below("repetition_rate_min_hz"))


class CoagulationTable(_Table):
    """``[coagulation]``: the train of sub-ablative coagulation pulses."""

    fluence_min_j_cm2: Positive
    fluence_max_j_cm2: Positive
    max_pulses: Count
    pulse_duration_us: Positive
    repetition_rate_hz: Positive

    _max = field_validator("fluence_max_j_cm2")(_not_below("fluence_min_j_cm2"))


class ScannerTable(_Table):
    """``[scanner]``: pattern generator shapes, sizes [mm], speed [mm/s], overlap [%]."""

    pattern_shapes: list[PatternShape] = Field(min_length=1)
    pattern_sizes_mm: list[Positive] | None = Field(default=None, min_length=1)
    pattern_size_min_mm: Positive | None = None
    pattern_size_max_mm: Positive | None = None
    scanner_speed_max_mm_s: Positive
    overlap_min_percent: Percent | None = None
    overlap_max_percent: Percent | None = None
    overlap_recommended_min_percent: Percent | None = None
    overlap_recommended_max_percent: Percent | None = None

    _values = field_validator("pattern_sizes_mm")(_increasing)
    _size_max = field_validator("pattern_size_max_mm")(_not_below("pattern_size_min_mm"))
    _overlap_max = field_validator("overlap_max_percent")(_not_below("overlap_min_percent"))
    _recommended_max = field_validator("overlap_recommended_max_percent")(
        _not_below("overlap_recommended_min_percent")
    )

    @field_validator("pattern_shapes")
    @classmethod
    def _unique_shapes(cls, shapes: list[str]) -> list[str]:
        if len(set(shapes)) != len(shapes):
            raise ValueError("must not repeat a shape")
        return shapes

    @model_validator(mode="after")
    def _pairs(self) -> ScannerTable:
        _range_or_values(self, "pattern_size_min_mm", "pattern_size_max_mm", "pattern_sizes_mm")
        for low, high in (
            ("overlap_min_percent", "overlap_max_percent"),
            ("overlap_recommended_min_percent", "overlap_recommended_max_percent"),
        ):
            if (getattr(self, low) is None) != (getattr(self, high) is None):
                raise ValueError(f"give both {low} and {high}, or neither")
        return self


class DensityStepTable(_Table):
    """One ``[[density_steps]]`` entry: a coverage [%] or an MTZ density [1/cm²]."""

    step: Count
    coverage_percent: PositivePercent | None = None
    mtz_density_per_cm2: Positive | None = None

    @model_validator(mode="after")
    def _one_form(self) -> DensityStepTable:
        if (self.coverage_percent is None) == (self.mtz_density_per_cm2 is None):
            raise ValueError("give exactly one of coverage_percent and mtz_density_per_cm2")
        return self


class DepthTable(_Table):
    """``[depth]``: the depth dial of a device with ``depth_setting = true`` [µm]."""

    ablation_depth_min_um: Positive
    ablation_depth_max_um: Positive
    coagulation_depth_max_um: NonNegative | None = None

    _max = field_validator("ablation_depth_max_um")(_not_below("ablation_depth_min_um"))


class BeamTable(_Table):
    """``[beam]``: beam geometry for the laser-safety hazard distances.

    The handpiece beam diverges from the treatment plane, where its diameter
    is the spot diameter. Its full-angle divergence [mrad] is given directly
    (``handpiece_divergence_mrad``) or from the focal geometry
    (``focal_length_mm`` and ``lens_beam_diameter_mm``: divergence = lens beam
    diameter / focal length). The articulated delivery arm carries a nearly
    collimated beam of ``delivery_arm_beam_diameter_mm`` [mm] and
    ``delivery_arm_divergence_mrad`` [mrad], full angle.
    """

    handpiece_divergence_mrad: Positive | None = None
    focal_length_mm: Positive | None = None
    lens_beam_diameter_mm: Positive | None = None
    delivery_arm_beam_diameter_mm: Positive
    delivery_arm_divergence_mrad: Positive

    @model_validator(mode="after")
    def _one_form(self) -> BeamTable:
        focal = (self.focal_length_mm is not None, self.lens_beam_diameter_mm is not None)
        if any(focal) and not all(focal):
            raise ValueError("give both focal_length_mm and lens_beam_diameter_mm, or neither")
        if all(focal) == (self.handpiece_divergence_mrad is not None):
            raise ValueError(
                "give handpiece_divergence_mrad, or focal_length_mm and lens_beam_diameter_mm"
            )
        return self


class DeviceFile(_Table):
    """A whole device file, as written, in clinical units."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    display_name: str = Field(min_length=1)
    description: str = ""
    wavelength_nm: Annotated[
        float, Field(ge=WAVELENGTH_RANGE_NM[0], le=WAVELENGTH_RANGE_NM[1], allow_inf_nan=False)
    ]
    modality: list[Modality] = Field(min_length=1)
    depth_setting: bool
    max_stacked_pulses: Count
    max_passes: Count
    average_power_max_w: Positive | None = None
    pulse_modes: list[PulseModeTable] = Field(min_length=1)
    full_field: FullFieldTable | None = Field(default=None, validate_default=True)
    fractional: FractionalTable | None = Field(default=None, validate_default=True)
    spot: SpotTable
    repetition_rate: RepetitionRateTable
    coagulation: CoagulationTable | None = None
    scanner: ScannerTable | None = None
    density_steps: list[DensityStepTable] = Field(default_factory=list)
    depth: DepthTable | None = Field(default=None, validate_default=True)
    beam: BeamTable | None = None
    sources: list[str] = Field(min_length=1)
    assumptions: list[str] = Field(default_factory=list)

    @field_validator("modality")
    @classmethod
    def _unique_modality(cls, modality: list[str]) -> list[str]:
        if len(set(modality)) != len(modality):
            raise ValueError("must not repeat a modality")
        return modality

    @field_validator("pulse_modes")
    @classmethod
    def _unique_modes(cls, modes: list[PulseModeTable]) -> list[PulseModeTable]:
        names = [mode.name for mode in modes]
        if len(set(names)) != len(names):
            raise ValueError(f"repeats a pulse mode name: {names}")
        return modes

    @field_validator("full_field", "fractional")
    @classmethod
    def _table_matches_modality(cls, table: BaseModel | None, info: ValidationInfo):
        modality = info.data.get("modality")
        if modality is None:
            return table
        limits = "fluence" if info.field_name == "full_field" else "energy"
        if info.field_name in modality and table is None:
            raise ValueError(f"modality {info.field_name} needs this table of {limits} limits")
        if info.field_name not in modality and table is not None:
            raise ValueError(f"given, but {info.field_name} is not in modality {modality}")
        return table

    @field_validator("density_steps")
    @classmethod
    def _steps_in_order(
        cls, steps: list[DensityStepTable], info: ValidationInfo
    ) -> list[DensityStepTable]:
        if steps and "fractional" not in info.data.get("modality", ["fractional"]):
            raise ValueError("density steps need modality fractional")
        numbers = [step.step for step in steps]
        if numbers != list(range(1, len(steps) + 1)):
            raise ValueError(f"steps must be numbered 1, 2, 3, ... in order, got {numbers}")
        if len({step.coverage_percent is None for step in steps}) > 1:
            raise ValueError("give every step as coverage_percent, or every step as density")
        return steps

    @field_validator("depth")
    @classmethod
    def _depth_needs_setting(cls, depth: DepthTable | None, info: ValidationInfo):
        if depth is not None and info.data.get("depth_setting") is False:
            raise ValueError("a [depth] table needs depth_setting = true")
        return depth


def key_paths(document: dict) -> dict[str, object]:
    """Return every leaf of a device document by its key path.

    Parameters
    ----------
    document : dict
        A device file as read by :mod:`tomllib`.

    Returns
    -------
    dict
        Key path (the form used in ``assumptions``) → value. A table's keys
        appear as ``"table.key"``; an entry of an array of tables is named by
        its ``name`` or ``step`` value, else by its index:
        ``"pulse_modes.short.pulse_duration_min_us"``,
        ``"density_steps.3.coverage_percent"``. A list of plain values is one
        leaf.

    Examples
    --------
    >>> sorted(key_paths({"max_passes": 4, "pulse_modes": [{"name": "short",
    ...     "pulse_duration_min_us": 250}]}))
    ['max_passes', 'pulse_modes.short.name', 'pulse_modes.short.pulse_duration_min_us']
    """
    leaves: dict[str, object] = {}

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for index, entry in enumerate(value):
                label = entry.get("name", entry.get("step", index))
                walk(f"{prefix}.{label}", entry)
        else:
            leaves[prefix] = value

    walk("", document)
    return leaves


def table_keys() -> set[str]:
    """Return every key that some table of a device file accepts."""
    models = (
        DeviceFile,
        PulseModeTable,
        FullFieldTable,
        FractionalTable,
        SpotTable,
        RepetitionRateTable,
        CoagulationTable,
        ScannerTable,
        DensityStepTable,
        DepthTable,
        BeamTable,
    )
    return {name for model in models for name in model.model_fields}
