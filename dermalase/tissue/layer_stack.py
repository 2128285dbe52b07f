"""Stacks of optical layers for light transport: from a skin area, or from a TOML file.

A :class:`LayerStack` is what :func:`dermalase.physics.transport.monte_carlo.transport`
takes: per layer ``n``, ``mu_a``, ``mu_s``, ``g`` and thickness (SI), with the
indices above and below. It is built from an anatomical area and a
wavelength (:func:`from_area`, the tissue-optics library) or read from a
file a person wrote (:func:`read_layer_file`)::

    n_above = 1.0
    n_below = 1.0

    [[layer]]
    n = 1.4
    mua = "10/cm"
    mus = "90/cm"
    g = 0.75
    thickness = "200um"    # or "inf" for a semi-infinite last layer

Every value is checked at the edge: a bad one is an :class:`InputError`
naming ``layer[i].key``, the value and the allowed range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from dermalase.exceptions import InputError
from dermalase.units import parse_quantity

if TYPE_CHECKING:
    from dermalase.tissue.layers import SkinModel

#: Most layers a file may hold.
LAYER_LIMIT = 100
#: Largest refractive index accepted [-] (far above any tissue, 1.3-1.6).
INDEX_LIMIT = 5.0
#: Largest absorption or scattering coefficient accepted [1/m]: 1e6 1/cm.
COEFFICIENT_LIMIT = 1e8
_KEYS = ("n", "mua", "mus", "g", "thickness")
_PER_LENGTH = re.compile(r"^\s*([^/]*?)\s*/\s*(nm|um|µm|mm|cm|m)\s*$")


@dataclass(frozen=True)
class LayerStack:
    """Optical layers, surface first, in SI units.

    Attributes
    ----------
    names : tuple of str
        Layer names (``"layer 1"`` ... for a file).
    refractive_index, absorption_coefficient, scattering_coefficient, anisotropy : numpy.ndarray
        n [-], mu_a [1/m], mu_s [1/m], g [-].
    thickness : numpy.ndarray
        [m]; ``inf`` for a semi-infinite last layer.
    n_above, n_below : float
        Indices of the media above and below [-].
    sources : tuple of str
        Citation keys of the values (empty for a file).
    """

    names: tuple[str, ...]
    refractive_index: np.ndarray
    absorption_coefficient: np.ndarray
    scattering_coefficient: np.ndarray
    anisotropy: np.ndarray
    thickness: np.ndarray
    n_above: float = 1.0
    n_below: float = 1.0
    sources: tuple[str, ...] = field(default=())

    @property
    def finite_depth(self) -> float:
        """Depth of the bottom of the last finite layer [m]."""
        finite = self.thickness[np.isfinite(self.thickness)]
        return float(finite.sum())

    @property
    def semi_infinite(self) -> bool:
        """Whether the last layer is semi-infinite."""
        return not math.isfinite(float(self.thickness[-1]))

    def transport_arguments(self) -> dict:
        """Keyword arguments of :func:`~dermalase.physics.transport.monte_carlo.transport`."""
        return {
            "refractive_index": self.refractive_index,
            "absorption_coefficient": self.absorption_coefficient,
            "scattering_coefficient": self.scattering_coefficient,
            "anisotropy": self.anisotropy,
            "thickness": self.thickness,
            "n_above": self.n_above,
            "n_below": self.n_below,
        }


def from_area(
    area: str, wavelength: float, skin_type: int | str = 2, semi_infinite: bool = True
) -> LayerStack:
    """The layers of an anatomical area at one wavelength (:mod:`dermalase.tissue.skin_optics`).

    Parameters
    ----------
    area : str
        Area name, e.g. ``"cheek"``.
    wavelength : float
        Vacuum wavelength [m], 400 nm-11 um.
    skin_type : int or str
        Fitzpatrick type.
    semi_infinite : bool
        Make the deepest layer (the subcutis) semi-infinite: the body goes on
        below it. Light enters from air.

    Returns
    -------
    LayerStack
    """
    from dermalase.tissue import skin_model

    return from_skin(skin_model(area), wavelength, skin_type, semi_infinite)


def from_skin(
    skin: SkinModel, wavelength: float, skin_type: int | str = 2, semi_infinite: bool = True
) -> LayerStack:
    """The layers of a skin model at one wavelength (see :func:`from_area`).

    Parameters
    ----------
    skin : SkinModel
        Layered skin (thicknesses [m] and water fractions).
    wavelength : float
        Vacuum wavelength [m], 400 nm-11 um.
    skin_type : int or str
        Fitzpatrick type.
    semi_infinite : bool
        Make the deepest layer semi-infinite.

    Returns
    -------
    LayerStack
    """
    from dermalase import citations
    from dermalase.tissue.skin_optics import layer_optics

    layers = layer_optics(skin, wavelength, skin_type)
    thickness = np.array([layer.thickness for layer in layers])
    if semi_infinite:
        thickness[-1] = np.inf
    return LayerStack(
        names=tuple(layer.name for layer in layers),
        refractive_index=np.array([layer.refractive_index for layer in layers]),
        absorption_coefficient=np.array([layer.absorption_coefficient for layer in layers]),
        scattering_coefficient=np.array([layer.scattering_coefficient for layer in layers]),
        anisotropy=np.array([layer.anisotropy for layer in layers]),
        thickness=thickness,
        n_above=1.0,
        n_below=layers[-1].refractive_index,
        sources=citations.merge(*(layer.sources for layer in layers)),
    )


def _number(value: object, name: str, low: float, high: float, allowed: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(name, repr(value), f"must be a number; {allowed}")
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise InputError(name, value, allowed)
    return number


def _coefficient(value: object, name: str) -> float:
    """``"10/cm"``, ``"10 cm^-1"`` or ``"1000/m"`` -> [1/m], >= 0 and finite."""
    allowed = 'a coefficient >= 0 such as "10/cm" (at most 1e6/cm)'
    if not isinstance(value, str):
        raise InputError(name, repr(value), f"must be {allowed}")
    match = _PER_LENGTH.match(value)
    text = f"{match[1] or '1'} {match[2]}^-1" if match else value
    try:
        number = parse_quantity(text, "1/m", name, example="10/cm")
    except InputError:
        raise InputError(name, value, f"must be {allowed}") from None
    if not 0.0 <= number <= COEFFICIENT_LIMIT:
        raise InputError(name, value, f"must be {allowed}")
    return number


def _thickness(value: object, name: str, last: bool) -> float:
    allowed = 'a length > 0 such as "200um"' + (', or "inf" (last layer only)' if last else "")
    if isinstance(value, str) and value.strip().lower() in ("inf", "infinite"):
        if not last:
            raise InputError(name, value, "only the last layer may be semi-infinite")
        return math.inf
    if not isinstance(value, str):
        raise InputError(name, repr(value), f"must be {allowed}")
    try:
        number = parse_quantity(value, "m", name, example="200um")
    except InputError:
        raise InputError(name, value, f"must be {allowed}") from None
    if not number > 0.0:
        raise InputError(name, value, f"must be {allowed}")
    return number


def parse_layers(document: object, name: str = "layer file") -> LayerStack:
    """Check and convert a parsed layer document (see the module notes).

    Raises
    ------
    InputError
        Naming the first bad key (``layer[2].g``), its value and the allowed range.
    """
    if not isinstance(document, dict):
        raise InputError(name, type(document).__name__, "must be a TOML table")
    unknown = sorted(set(document) - {"n_above", "n_below", "layer"})
    if unknown:
        raise InputError(unknown[0], "unknown key", "allowed: n_above, n_below, [[layer]]")
    index_range = f"must be >= 1 and <= {INDEX_LIMIT:g}"
    n_above = _number(document.get("n_above", 1.0), "n_above", 1.0, INDEX_LIMIT, index_range)
    n_below = _number(document.get("n_below", 1.0), "n_below", 1.0, INDEX_LIMIT, index_range)
    layers = document.get("layer")
    if not isinstance(layers, list) or not layers:
        raise InputError("layer", "missing", "give at least one [[layer]] table")
    if len(layers) > LAYER_LIMIT:
        raise InputError("layer", f"{len(layers)} layers", f"at most {LAYER_LIMIT}")
    rows = []
    for i, layer in enumerate(layers, start=1):
        where = f"layer[{i}]"
        if not isinstance(layer, dict):
            raise InputError(where, repr(layer), "must be a [[layer]] table")
        extra = sorted(set(layer) - set(_KEYS))
        if extra:
            raise InputError(f"{where}.{extra[0]}", "unknown key", f"allowed: {', '.join(_KEYS)}")
        missing = [key for key in _KEYS if key not in layer]
        if missing:
            raise InputError(f"{where}.{missing[0]}", "missing", f"give {', '.join(_KEYS)}")
        rows.append(
            (
                _number(layer["n"], f"{where}.n", 1.0, INDEX_LIMIT, index_range),
                _coefficient(layer["mua"], f"{where}.mua"),
                _coefficient(layer["mus"], f"{where}.mus"),
                _number(layer["g"], f"{where}.g", -1.0 + 1e-12, 1.0 - 1e-12, "must lie in (-1, 1)"),
                _thickness(layer["thickness"], f"{where}.thickness", i == len(layers)),
            )
        )
    values = np.array(rows, dtype=float).T
    return LayerStack(
        names=tuple(f"layer {i}" for i in range(1, len(rows) + 1)),
        refractive_index=values[0],
        absorption_coefficient=values[1],
        scattering_coefficient=values[2],
        anisotropy=values[3],
        thickness=values[4],
        n_above=n_above,
        n_below=n_below,
    )


def read_layer_file(path: str) -> LayerStack:
    """Read a TOML layer file (see the module notes) into a :class:`LayerStack`."""
    from dermalase.reading import read_document, shown

    document = read_document(path, "--layers", syntax="toml")
    try:
        return parse_layers(document)
    except InputError as error:
        raise InputError(
            f"--layers {shown(path)}: {error.field}", error.value, error.allowed
        ) from None
