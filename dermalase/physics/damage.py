"""Arrhenius thermal damage.

The damage integral ``Omega(t) = integral of A exp(-Ea / (R T(t))) dt`` counts
the e-folds of native molecules lost; ``Omega = 1`` (63 % denatured) is the
usual threshold of irreversible coagulation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dermalase.constants import gas_constant
from dermalase.exceptions import InputError
from dermalase.tissue.parameters import henriques_moritz1947, weaver_stoll1969


@dataclass(frozen=True)
class DamageModel:
    """Arrhenius parameters, one or two temperature ranges.

    Parameters
    ----------
    name : str
        Registry name.
    frequency_factor : tuple of float
        Frequency factor A per range [1/s].
    activation_energy : tuple of float
        Activation energy Ea per range [J/mol].
    switch_temperature : float
        Temperature above which the second range applies [K]; ``inf`` for a
        single range.
    source : str
        Citation key.
    """

    name: str
    frequency_factor: tuple[float, ...]
    activation_energy: tuple[float, ...]
    switch_temperature: float
    source: str

    def rate(self, temperature):
        """Damage rate dOmega/dt at a temperature [K] -> [1/s]."""
        return damage_rate(
            temperature,
            self.frequency_factor[0],
            self.activation_energy[0],
            self.frequency_factor[-1],
            self.activation_energy[-1],
            self.switch_temperature,
        )


def damage_rate(
    temperature,
    frequency_factor,
    activation_energy,
    frequency_factor_high=None,
    activation_energy_high=None,
    switch_temperature=np.inf,
):
    """Arrhenius damage rate [1/s].

    Parameters
    ----------
    temperature : float or array_like
        Absolute temperature [K].
    frequency_factor : float
        A [1/s].
    activation_energy : float
        Ea [J/mol].
    frequency_factor_high, activation_energy_high : float, optional
        Parameters above ``switch_temperature`` [1/s], [J/mol].
    switch_temperature : float
        [K].

    Returns
    -------
    numpy.ndarray
        ``A exp(-Ea / (R T))`` [1/s].
    """
    temperature = np.asarray(temperature, dtype=float)
    log_rate = np.log(frequency_factor) - activation_energy / (gas_constant * temperature)
    if frequency_factor_high is not None:
        high = np.log(frequency_factor_high) - activation_energy_high / (gas_constant * temperature)
        log_rate = np.where(temperature > switch_temperature, high, log_rate)
    return np.exp(log_rate)


def damage_integral(time, temperature, model: DamageModel | None = None):
    """Damage integral Omega over a temperature history [-].

    Parameters
    ----------
    time : array_like
        Times [s], increasing, shape (n,).
    temperature : array_like
        Temperatures [K], shape (n,) or (n, m) for m points.
    model : DamageModel, optional
        Defaults to Henriques & Moritz (1947).

    Returns
    -------
    float or numpy.ndarray
        Omega at the last time, trapezoidal rule in time.

    Examples
    --------
    One second at 60 degC with the Henriques & Moritz set:

    >>> import numpy as np
    >>> t = np.linspace(0.0, 1.0, 11)
    >>> round(float(damage_integral(t, np.full(11, 333.15))), 2)
    1.07
    """
    model = model or DAMAGE_MODELS["henriques_moritz"]
    rate = model.rate(np.asarray(temperature, dtype=float))
    return np.trapezoid(rate, np.asarray(time, dtype=float), axis=0)


def constant_temperature_integral(temperature, duration, model: DamageModel | None = None):
    """Closed form of Omega for a constant temperature hold [-].

    ``Omega = A t exp(-Ea / (R T))``.
    """
    model = model or DAMAGE_MODELS["henriques_moritz"]
    return model.rate(temperature) * duration


def threshold_temperature(duration, model: DamageModel | None = None) -> float:
    """Constant temperature that gives Omega = 1 after ``duration`` [K].

    ``T = (Ea / R) / ln(A t)`` for a single-range model.
    """
    model = model or DAMAGE_MODELS["henriques_moritz"]
    if len(model.frequency_factor) != 1:
        raise InputError("damage_model", model.name, "closed form needs a single-range model")
    return model.activation_energy[0] / gas_constant / np.log(model.frequency_factor[0] * duration)


#: Registered damage models by name.
DAMAGE_MODELS: dict[str, DamageModel] = {
    "henriques_moritz": DamageModel(
        "henriques_moritz",
        (henriques_moritz1947.frequency_factor,),
        (henriques_moritz1947.activation_energy,),
        np.inf,
        henriques_moritz1947.CITATION.key,
    ),
    "weaver_stoll": DamageModel(
        "weaver_stoll",
        weaver_stoll1969.frequency_factor,
        weaver_stoll1969.activation_energy,
        weaver_stoll1969.switch_temperature,
        weaver_stoll1969.CITATION.key,
    ),
}


def damage_model(name: str) -> DamageModel:
    """Return a registered damage model by name."""
    try:
        return DAMAGE_MODELS[name]
    except KeyError:
        raise InputError(
            "damage_model", name, f"known models: {', '.join(DAMAGE_MODELS)}"
        ) from None
