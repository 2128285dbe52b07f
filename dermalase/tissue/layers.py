"""Layered skin: :class:`Layer` and :class:`SkinModel`.

A skin model is an ordered stack of layers from the surface down, each with
its thickness and its thermal and compositional properties in SI units. It
holds parameters only; the physics that uses it lives in
:mod:`dermalase.physics`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from dermalase.constants import body_temperature, celsius_zero
from dermalase.exceptions import InputError

#: Layer names, surface first.
LAYER_NAMES = (
    "stratum_corneum",
    "viable_epidermis",
    "papillary_dermis",
    "reticular_dermis",
    "subcutis",
)


@dataclass(frozen=True)
class Layer:
    """One skin layer.

    Parameters
    ----------
    name : str
        One of :data:`LAYER_NAMES`.
    thickness : float
        Thickness [m].
    water_fraction : float
        Water content, volume fraction [-].
    density : float
        Mass density [kg/m^3].
    specific_heat : float
        Specific heat capacity [J/(kg K)].
    thermal_conductivity : float
        Thermal conductivity [W/(m K)].
    perfusion : float
        Blood perfusion rate, volume of blood per volume of tissue per second
        [1/s].
    """

    name: str
    thickness: float
    water_fraction: float
    density: float
    specific_heat: float
    thermal_conductivity: float
    perfusion: float

    def __post_init__(self):
        if not self.thickness > 0:
            raise InputError(f"{self.name}.thickness", self.thickness, "must be > 0 m")
        if not 0.0 <= self.water_fraction <= 1.0:
            raise InputError(f"{self.name}.water_fraction", self.water_fraction, "must be 0-1")
        for attribute in ("density", "specific_heat", "thermal_conductivity"):
            if not getattr(self, attribute) > 0:
                raise InputError(
                    f"{self.name}.{attribute}", getattr(self, attribute), "must be > 0"
                )
        if self.perfusion < 0:
            raise InputError(f"{self.name}.perfusion", self.perfusion, "must be >= 0 1/s")

    @property
    def thermal_diffusivity(self) -> float:
        """Thermal diffusivity k/(rho c) [m^2/s]."""
        return self.thermal_conductivity / (self.density * self.specific_heat)


@dataclass(frozen=True)
class SkinModel:
    """Ordered skin layers for an anatomical area.

    Parameters
    ----------
    area : str
        Anatomical area name, or ``"custom"``.
    layers : tuple of Layer
        Layers from the surface down.
    sources : tuple of str
        Citation keys of the parameter sets used.
    temperature : float
        Temperature of the tissue when the laser fires [K], uniform over the
        stack: body temperature, unless the skin was cooled beforehand
        (:meth:`precooled`).
    """

    area: str
    layers: tuple[Layer, ...]
    sources: tuple[str, ...] = field(default=())
    temperature: float = body_temperature

    def __post_init__(self):
        if not celsius_zero < self.temperature <= body_temperature:
            raise InputError(
                "skin.temperature",
                self.temperature,
                f"must be above 0 degC and at most body temperature ({body_temperature} K)",
            )

    def precooled(self, temperature: float) -> SkinModel:
        """Return a copy whose tissue starts at ``temperature`` [K].

        Skin held under forced chilled air for the minutes before and during a
        pass (:mod:`dermalase.tissue.parameters.cold_air`). The cooling reaches
        millimetres: the steady bioheat length ``sqrt(k / (w rho c))`` is
        ~7 mm for a perfusion of 2e-3 1/s, and minutes of cooling diffuse
        ~9 mm, so across the epidermis and the dermis the laser heats in one
        pulse the tissue is within a few kelvin of its surface temperature.
        A uniform start is that approximation.

        Examples
        --------
        >>> from dermalase.tissue.areas import skin_model
        >>> round(skin_model("cheek").precooled(293.15).temperature - 273.15, 1)
        20.0
        """
        return replace(self, temperature=float(temperature))

    @property
    def boundaries(self) -> np.ndarray:
        """Depth of the bottom of each layer below the surface [m]."""
        return np.cumsum([layer.thickness for layer in self.layers])

    @property
    def total_thickness(self) -> float:
        """Total modelled thickness [m]."""
        return float(self.boundaries[-1])

    def thickness(self, name: str) -> float:
        """Thickness of the named layer [m]."""
        return self.layer(name).thickness

    def layer(self, name: str) -> Layer:
        """Return the named layer."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise InputError("layer", name, f"known layers: {', '.join(LAYER_NAMES)}")

    @property
    def dermis_thickness(self) -> float:
        """Papillary plus reticular dermis [m]."""
        return self.thickness("papillary_dermis") + self.thickness("reticular_dermis")

    @property
    def dermis_bottom(self) -> float:
        """Depth of the bottom of the dermis below the surface [m]."""
        return self.epidermis_thickness + self.dermis_thickness

    @property
    def epidermis_thickness(self) -> float:
        """Stratum corneum plus viable epidermis [m]."""
        return self.thickness("stratum_corneum") + self.thickness("viable_epidermis")

    def layer_index_at(self, depth) -> np.ndarray:
        """Index of the layer containing each depth [m] (last layer below the stack)."""
        index = np.searchsorted(self.boundaries, np.asarray(depth, dtype=float), side="right")
        return np.minimum(index, len(self.layers) - 1)

    def layer_name_at(self, depth: float) -> str:
        """Name of the layer at a depth below the original surface [m]."""
        return self.layers[int(self.layer_index_at(depth))].name

    def layers_between(self, top: float, bottom: float) -> list[str]:
        """Names of the layers that the depth interval (top, bottom] touches [m]."""
        if bottom <= top:
            return []
        first = int(self.layer_index_at(top))
        last = int(self.layer_index_at(np.nextafter(bottom, -np.inf)))
        return [self.layers[i].name for i in range(first, last + 1)]

    def property_profile(self, depth: np.ndarray, attribute: str) -> np.ndarray:
        """Value of a layer attribute at each depth [m] (SI units of the attribute)."""
        values = np.array([getattr(layer, attribute) for layer in self.layers])
        return values[self.layer_index_at(depth)]

    def with_thicknesses(self, **thicknesses: float) -> SkinModel:
        """Return a copy with some layer thicknesses replaced [m].

        Examples
        --------
        >>> from dermalase.tissue.areas import skin_model
        >>> cheek = skin_model("cheek").with_thicknesses(viable_epidermis=60e-6)
        >>> round(cheek.thickness("viable_epidermis") * 1e6)
        60
        """
        unknown = set(thicknesses) - set(LAYER_NAMES)
        if unknown:
            name = sorted(unknown)[0]
            raise InputError("layer", name, f"known layers: {', '.join(LAYER_NAMES)}")
        layers = tuple(
            replace(layer, thickness=thicknesses[layer.name])
            if layer.name in thicknesses
            else layer
            for layer in self.layers
        )
        return replace(self, layers=layers)
