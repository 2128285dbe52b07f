"""The MPE per pulse of a pulse train: the standard's three rules, most restrictive wins.

IEC 60825-1:2014 gives three requirements for repetitively pulsed exposure
(clause 4.3 f) for emission limits; Annex A applies them in the same way to
the MPE), each evaluated as a limit on the radiant exposure of one pulse:

1. ``single_pulse``: each pulse within the MPE for its own duration;
2. ``average_power``: the train within the MPE for its whole duration T,
   shared among its N pulses, H(T) / N;
3. ``reduced_pulse``: the single-pulse MPE times C5 = N^-0.25, the
   thermal correction for many pulses.

Pulses closer together than the band's time :data:`SUMMATION_TIMES` T_i are
counted as one pulse of duration T_i holding the group's energy (rules 1
and 3 then act on the group). The returned limit is the smallest of the
three, with the name of the rule that decided.

Beyond 1400 nm the plain N^-0.25 is applied to every train, for any N and
pulse duration: the conservative reading. The 2014 edition restricts C5 to
pulses shorter than 0.25 s and bounds it for large N in some cases; those
relaxations are not applied (docs/safety.md).

Examples
--------
>>> limit = pulse_train_mpe(10.6e-6, 1e-3, 1.0, 10.0)  # 10 pulses of 1 ms at 1 Hz
>>> limit.rule, round(limit.radiant_exposure, 1)  # J/m² per pulse: 995.8 x 10^-0.25
('reduced_pulse', 560.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dermalase.exceptions import InputError
from dermalase.safety import exposure_limits
from dermalase.safety.exposure_limits import WAVELENGTH_RANGE

#: Times below which pulses are summed into one, T_i [s], by wavelength band
#: [m]: IEC 60825-1:2014 table of T_i (1400-1500 nm 1 ms, 1500-1800 nm 10 s,
#: 1800-2600 nm 1 ms, 2600 nm-1 mm 100 ns); each equals the end of the band's
#: constant-radiant-exposure row of Table A.1.
SUMMATION_TIMES = (
    (1400e-9, 1500e-9, 1e-3),
    (1500e-9, 1800e-9, 10.0),
    (1800e-9, 2600e-9, 1e-3),
    (2600e-9, 1e-3, 1e-7),
)

#: The rules, in the order the standard lists them.
RULES = ("single_pulse", "average_power", "reduced_pulse")


@dataclass(frozen=True)
class PulseTrainLimit:
    """The MPE per pulse of a train and how it was decided.

    Parameters
    ----------
    radiant_exposure : float
        The most restrictive limit on one pulse's radiant exposure [J/m²].
    rule : str
        The rule that decided, one of :data:`RULES`.
    limits : dict
        Each rule's limit per pulse [J/m²].
    pulses : float
        N, the number of pulses (or pulse groups) in the exposure [-].
    exposure_duration : float
        T, the duration of the exposure [s].
    """

    radiant_exposure: float
    rule: str
    limits: dict[str, float]
    pulses: float
    exposure_duration: float


def summation_time(wavelength: float) -> float:
    """Return T_i [s], the time below which pulses count as one, at ``wavelength`` [m].

    Raises
    ------
    InputError
        Outside 1400 nm to 1 mm.
    """
    for low, high, time in SUMMATION_TIMES:
        if low <= wavelength < high or wavelength == high == WAVELENGTH_RANGE[1]:
            return time
    raise InputError(
        "wavelength", f"{wavelength * 1e9:g} nm", "pulse-train rules implemented 1400 nm-1 mm"
    )


def pulse_train_mpe(
    wavelength: float,
    pulse_duration: float,
    repetition_rate: float,
    exposure_duration: float,
) -> PulseTrainLimit:
    """Return the MPE per pulse of a regular pulse train, eye and skin alike.

    Parameters
    ----------
    wavelength : float
        Wavelength [m], 1400 nm to 1 mm.
    pulse_duration : float
        Duration of each pulse [s].
    repetition_rate : float
        Pulse repetition rate [Hz].
    exposure_duration : float
        Duration of the exposure T [s], at least one pulse period.

    Returns
    -------
    PulseTrainLimit
        The smallest of the three rules' limits per pulse [J/m²], the rule
        that decided, and each rule's value.

    Raises
    ------
    InputError
        For a wavelength or duration outside the MPE tables, a non-positive
        rate, pulses longer than their period, or an exposure shorter than
        one period.

    Notes
    -----
    With N = f T pulses: rule 1 H_1 = MPE(t_pulse); rule 2 H_2 = MPE(T) / N;
    rule 3 H_3 = MPE(t_pulse) N^-0.25. If the period 1/f is shorter than
    T_i, a group of f T_i pulses within T_i is one pulse of duration T_i,
    N = T / T_i, and each pulse's share of the group limit is the limit
    divided by f T_i.
    """
    if not np.isfinite(repetition_rate) or repetition_rate <= 0:
        raise InputError("repetition_rate", f"{repetition_rate:g} Hz", "must be positive")
    period = 1.0 / repetition_rate
    if not np.isfinite(pulse_duration) or not 0 < pulse_duration <= period:
        raise InputError(
            "pulse_duration",
            f"{pulse_duration:g} s",
            f"must be positive and no longer than the pulse period {period:g} s",
        )
    if not np.isfinite(exposure_duration) or exposure_duration < period:
        raise InputError(
            "exposure_duration",
            f"{exposure_duration:g} s",
            f"must last at least one pulse period ({period:g} s)",
        )
    grouping = summation_time(wavelength)
    if period < grouping:
        # a group lasts T_i, or the whole exposure when that is shorter
        group_duration = min(grouping, exposure_duration)
        pulses_per_group = repetition_rate * group_duration
    else:
        pulses_per_group = 1.0
        group_duration = pulse_duration
    groups = max(exposure_duration / max(period, group_duration), 1.0)
    single = exposure_limits.mpe_eye(wavelength, group_duration) / pulses_per_group
    pulses = repetition_rate * exposure_duration
    limits = {
        "single_pulse": float(single),
        "average_power": float(exposure_limits.mpe_eye(wavelength, exposure_duration) / pulses),
        "reduced_pulse": float(single * groups**-0.25),
    }
    rule = min(RULES, key=lambda name: limits[name])
    return PulseTrainLimit(limits[rule], rule, limits, groups, exposure_duration)
