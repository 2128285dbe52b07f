"""The grids response tables are computed on, and the skin classes they serve.

A table set holds the column model's answers on a grid of energies, spot
diameters, pulse durations and stacked-pulse counts (:class:`TableSpec`), for
one laser line and one skin class: areas whose stratum corneum and epidermis
are the same share a table, computed on a reference skin deep enough for every
tabulated column (:func:`reference_skin`, :func:`skin_classes`).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import asdict, dataclass, replace

import numpy as np

from dermalase.forward import fractional
from dermalase.tissue import skin_model
from dermalase.tissue.layers import SkinModel

#: Quantities a table holds, in this order [m].
QUANTITIES = (
    "ablation_depth",
    "ablation_diameter",
    "coagulation_depth",
    "coagulation_cuff",
    "mtz_diameter",
    "total_depth",
)

#: Deepest column a table holds [m]: deep fractional columns reach about
#: 1.5 mm (ProFractional 25-1500 um, secondary source in the fractional
#: Er:YAG device file); 3 mm is below the dermis of every area.
DEPTH_LIMIT = 3e-3

#: Denominator floor of the relative interpolation error [m]: a quantity
#: smaller than this (a few grid cells) is compared in absolute terms.
ERROR_FLOOR = 5e-6

#: Grid refinement (radial, axial) of the simulations behind the default
#: tables [-]: 0.6 of the default axial resolution cuts the build time by
#: 40 % and moves depths by about 1 %; the radial resolution is kept, since
#: crater diameters are resolved to whole cells. The held-out points are
#: simulated at the default resolution, so
#: :attr:`ColumnTable.interpolation_error` includes this difference.
TABLE_GRID_REFINEMENT = (1.0, 0.6)

#: Area whose skin class the default tables are built for.
REFERENCE_AREA = "cheek"


@dataclass(frozen=True)
class TableSpec:
    """The grid a table set is computed on.

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].
    energies : tuple of float
        Energy nodes per pulse, increasing [J].
    spots : tuple of float
        Spot diameter nodes, increasing [m].
    durations : tuple of float
        Pulse duration nodes, increasing [s].
    max_pulses : int
        Largest number of stacked pulses [-].
    beam : str
        Beam profile.
    repetition_rate : float
        Rate of stacked pulses [Hz].
    damage_model : str
        Arrhenius parameter set.
    depth_limit : float
        Columns deeper than this are not tabulated [m].
    grid_refinement : (float, float)
        Factors dividing the default radial and axial grid spacings of the
        simulations [-].
    """

    wavelength: float
    energies: tuple[float, ...]
    spots: tuple[float, ...]
    durations: tuple[float, ...]
    max_pulses: int = 1
    beam: str = "gaussian"
    repetition_rate: float = fractional.COLUMN_STACKING_RATE
    damage_model: str = "henriques_moritz"
    depth_limit: float = DEPTH_LIMIT
    grid_refinement: tuple[float, float] = (1.0, 1.0)

    def covers(self, wavelength: float, pulse_duration: float) -> bool:
        """Whether the set holds this laser line and pulse duration."""
        return math.isclose(wavelength, self.wavelength, rel_tol=1e-6) and (
            self.durations[0] * (1 - 1e-9) <= pulse_duration <= self.durations[-1] * (1 + 1e-9)
        )


def log_nodes(low: float, high: float, count: int) -> tuple[float, ...]:
    """``count`` log-spaced values from ``low`` to ``high`` (one if they are equal)."""
    if math.isclose(low, high, rel_tol=1e-12) or count <= 1:
        return (float(low),)
    return tuple(float(x) for x in np.geomspace(low, high, count))


def device_spec(device) -> TableSpec:
    """Table grid that covers a fractional device profile.

    Energies: the device range, log-spaced, about six nodes per decade
    (six at least). Spots: the device spots with one node 20 % below the
    smallest and 25 % above the largest. Pulse durations: the range of the
    device's pulse modes, about three nodes per decade (two at least when it
    is a range). Stacked pulses: up to the device maximum. Grid: the
    simulations run at :data:`TABLE_GRID_REFINEMENT`.
    """
    energy = device.energy
    count = max(6, math.ceil(6 * math.log10(energy.maximum / energy.minimum)))
    spots = set(device.spot_diameter.values or (device.spot_diameter.minimum,))
    spots |= {0.8 * min(spots), 1.25 * max(spots)}
    low = min(mode.pulse_duration.minimum for mode in device.pulse_modes)
    high = max(mode.pulse_duration.maximum for mode in device.pulse_modes)
    n_durations = 1 if math.isclose(low, high) else max(2, math.ceil(3 * math.log10(high / low)))
    return TableSpec(
        wavelength=device.wavelength,
        energies=log_nodes(energy.minimum, energy.maximum, count),
        spots=tuple(sorted(spots)),
        durations=log_nodes(low, high, n_durations),
        max_pulses=int(device.max_stacked_pulses),
        beam=fractional.default_beam_profile(device.wavelength),
        grid_refinement=TABLE_GRID_REFINEMENT,
    )


def tabulated(device) -> bool:
    """Whether a device's fractional doses are read from a response table.

    Ablative fractional devices with an energy range are; the non-ablative
    lines scatter, and the Monte Carlo column model serves them directly.
    """
    from dermalase.forward import nonablative

    return (
        "fractional" in device.modality
        and device.energy is not None
        and not nonablative.serves(device.wavelength)
    )


@functools.lru_cache(maxsize=1)
def _bundled_specs() -> tuple[TableSpec, ...]:
    from dermalase.devices import bundled_device_files, read_device_file

    devices = (read_device_file(path) for path in bundled_device_files())
    return tuple(device_spec(device) for device in devices if tabulated(device))


def default_specs() -> list[TableSpec]:
    """Table grids for every bundled ablative fractional device with an energy range."""
    return list(_bundled_specs())


def generic_spec(wavelength: float, pulse_duration: float) -> TableSpec:
    """Table grid for a laser line or pulse duration no bundled device covers.

    The nearest default grid of the same line at this one pulse duration, or,
    for another line, 1-50 mJ on 100-250 um spots with up to 3 stacked pulses
    (the span of the bundled fractional devices).
    """
    same_line = [s for s in default_specs() if math.isclose(s.wavelength, wavelength, rel_tol=1e-6)]
    if same_line:
        return replace(same_line[0], durations=(float(pulse_duration),))
    return TableSpec(
        wavelength=float(wavelength),
        energies=log_nodes(1e-3, 50e-3, 14),
        spots=(100e-6, 150e-6, 250e-6),
        durations=(float(pulse_duration),),
        max_pulses=3,
    )


def reference_skin(area: str, depth_limit: float = DEPTH_LIMIT) -> SkinModel:
    """The area's stratum corneum and epidermis over a deep reference dermis [m].

    The papillary dermis is set to 200 um and the reticular dermis extends
    1 mm below ``depth_limit``, so that every tabulated column stays in dermis.
    """
    skin = skin_model(area)
    papillary = 200e-6
    reticular = depth_limit + 1e-3 - skin.epidermis_thickness - papillary
    return skin.with_thicknesses(papillary_dermis=papillary, reticular_dermis=reticular)


def skin_classes() -> dict[str, list[str]]:
    """Areas grouped by the reference skin their column tables share.

    Returns
    -------
    dict
        First area of each class -> every area of the class.
    """
    from dermalase.tissue import area_names

    classes: dict[str, list[str]] = {}
    by_layers: dict[str, str] = {}
    for area in area_names():
        layers = json.dumps([asdict(layer) for layer in reference_skin(area).layers])
        first = by_layers.setdefault(layers, area)
        classes.setdefault(first, []).append(area)
    return classes
