"""The forward models by name: laser settings and skin in, :class:`TissueEffect` out.

=================  ===========================================================
``bioheat_1d``     one spot of a full-field pass: the 1D bioheat solver with a
                   moving ablation front (:mod:`dermalase.forward.full_field`);
                   keeps temperature profiles during and after the first pulse
``column_2d``      one fractional microbeam: the 2D axisymmetric column model
                   (:mod:`dermalase.forward.fractional`), with its maps
``response_table`` one fractional microbeam from the column model's response
                   table (:mod:`dermalase.forward.tables`): microseconds, no
                   maps, within the table's measured interpolation error
``column_2d_monte_carlo``
                   one non-ablative microbeam at 1.3-2.1 um: the column
                   solver with a Monte Carlo light deposition
                   (:mod:`dermalase.forward.nonablative`), with its maps
=================  ===========================================================

:func:`simulate` picks the model by name, takes a callable of the same
signature, or infers it from the settings (full field or fractional) when
given none (fractional settings on a scattering line get
``column_2d_monte_carlo``), in the manner of the planner's other model slots.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dermalase.exceptions import InputError
from dermalase.forward.effect import TissueEffect
from dermalase.laser import LaserSettings
from dermalase.tissue.layers import SkinModel

#: A forward model: (settings, skin) -> TissueEffect.
ForwardModel = Callable[[LaserSettings, SkinModel], TissueEffect]

#: Times after the first pulse starts at which the full-field model keeps the
#: temperature profile, as multiples of the pulse duration (during the pulse,
#: at its end, and cooling) [-].
PROFILE_TIME_MULTIPLES = (0.5, 1.0, 3.0, 30.0, 300.0)


def bioheat_1d(settings: LaserSettings, skin: SkinModel) -> TissueEffect:
    """Full-field spot by the 1D bioheat model, with temperature profiles.

    Parameters
    ----------
    settings : LaserSettings
        Full-field settings (fluence, pulses, passes, coagulation train).
    skin : SkinModel
        Skin of the area.

    Returns
    -------
    TissueEffect
    """
    from dermalase.forward.full_field import simulate as simulate_full_field

    times = np.array(PROFILE_TIME_MULTIPLES) * settings.pulse_duration
    return simulate_full_field(settings, skin, snapshot_times=times)


def column_2d(settings: LaserSettings, skin: SkinModel) -> TissueEffect:
    """Fractional microbeam by the 2D axisymmetric column model, with its maps.

    Parameters
    ----------
    settings : LaserSettings
        Fractional settings (energy per microbeam, spot, pulses stacked and
        their rate).
    skin : SkinModel
        Skin of the area.

    Returns
    -------
    TissueEffect
    """
    from dermalase.forward.fractional import simulate_column

    assert settings.energy is not None and settings.spot_diameter is not None  # fractional
    return simulate_column(
        settings.wavelength,
        settings.energy,
        settings.spot_diameter,
        skin,
        pulse_duration=settings.pulse_duration,
        pulses=settings.pulses,
        repetition_rate=settings.repetition_rate,
    )


def response_table(settings: LaserSettings, skin: SkinModel) -> TissueEffect:
    """Fractional microbeam from the column response table (no maps).

    Parameters
    ----------
    settings : LaserSettings
        Fractional settings.
    skin : SkinModel
        Skin of the area.

    Returns
    -------
    TissueEffect
        Dimensions after each stacked pulse; NaN peak temperature and an empty
        energy ledger, which the table does not keep.

    Raises
    ------
    TableMissingError
        When no table for the line and pulse duration was shipped or built.
    """
    from dermalase.forward.tables import column_table

    assert settings.energy is not None and settings.spot_diameter is not None  # fractional
    table = column_table(settings.wavelength, settings.pulse_duration, skin.area)
    if settings.pulses not in table.pulses:
        raise InputError(
            "pulses", settings.pulses, f"must be one of {', '.join(map(str, table.pulses))}"
        )
    after_pulse = tuple(
        {k: float(v) for k, v in table.predict(settings.energy, settings.spot_diameter, n).items()}
        for n in range(1, settings.pulses + 1)
    )
    final = after_pulse[-1]
    total = final["total_depth"]
    dermis_bottom = skin.dermis_bottom
    return TissueEffect(
        modality="fractional",
        model="response_table",
        ablation_depth=final["ablation_depth"],
        coagulation_depth=final["coagulation_depth"],
        total_depth=total,
        peak_temperature=float("nan"),
        layers_ablated=skin.layers_between(0.0, final["ablation_depth"]),
        layers_reached=table.layers_reached(total),
        deepest_layer_coagulated=(
            skin.layer_name_at(total - 1e-9) if final["coagulation_depth"] > 0 else None
        ),
        exceeds_dermis=bool(total > dermis_bottom),
        depth_after_pulse=np.array([d["ablation_depth"] for d in after_pulse]),
        regime=("steady_state",) * settings.pulses,
        energy={},
        sources=table.sources,
        skin=skin,
        ablation_diameter=final["ablation_diameter"],
        coagulation_cuff=final["coagulation_cuff"],
        mtz_diameter=final["mtz_diameter"],
        after_pulse=after_pulse,
        conditions={
            "wavelength": float(settings.wavelength),
            "energy": float(settings.energy),
            "spot_diameter": float(settings.spot_diameter),
            "pulse_duration": float(settings.pulse_duration),
            "pulses": settings.pulses,
            "beam": "gaussian",
        },
    )


def column_2d_monte_carlo(settings: LaserSettings, skin: SkinModel) -> TissueEffect:
    """Non-ablative microbeam by the column model with a Monte Carlo deposition.

    Parameters
    ----------
    settings : LaserSettings
        Fractional settings on a 1.3-2.1 um line (energy per microbeam, spot,
        pulse duration; one pulse).
    skin : SkinModel
        Skin of the area.

    Returns
    -------
    TissueEffect
    """
    from dermalase.forward.nonablative import simulate_microbeam

    assert settings.energy is not None and settings.spot_diameter is not None  # fractional
    return simulate_microbeam(
        settings.wavelength,
        settings.energy,
        settings.spot_diameter,
        skin,
        settings.pulse_duration,
    )


#: The forward models by name.
FORWARD_MODELS: dict[str, ForwardModel] = {
    "bioheat_1d": bioheat_1d,
    "column_2d": column_2d,
    "response_table": response_table,
    "column_2d_monte_carlo": column_2d_monte_carlo,
}

#: The model used for each modality when none is named.
DEFAULT_MODELS = {"full_field": "bioheat_1d", "fractional": "column_2d"}


def forward_model(
    choice: str | ForwardModel | None, settings: LaserSettings
) -> tuple[str, ForwardModel]:
    """Resolve a model slot: a registered name, a callable, or None to infer.

    Parameters
    ----------
    choice : str, callable or None
        Name in :data:`FORWARD_MODELS`, a callable (settings, skin) ->
        TissueEffect, or None for the default of the settings' modality.
    settings : LaserSettings
        The settings, for the modality.

    Returns
    -------
    (str, callable)
        The model's name and the model.
    """
    if callable(choice):
        return getattr(choice, "__name__", "custom"), choice
    from dermalase.forward.nonablative import serves

    modality = "fractional" if settings.fractional else "full_field"
    inferred = DEFAULT_MODELS[modality]
    if settings.fractional and serves(settings.wavelength):
        inferred = "column_2d_monte_carlo"
    name = choice or inferred
    if name not in FORWARD_MODELS:
        raise InputError("forward_model", name, f"known models: {', '.join(FORWARD_MODELS)}")
    return name, FORWARD_MODELS[name]


def simulate(
    settings: LaserSettings, skin: SkinModel, model: str | ForwardModel | None = None
) -> TissueEffect:
    """The effect of ``settings`` on ``skin`` by the chosen forward model.

    Parameters
    ----------
    settings : LaserSettings
        What the device is told.
    skin : SkinModel
        Skin of the area.
    model : str, callable or None
        See :func:`forward_model`.

    Returns
    -------
    TissueEffect
    """
    _, run = forward_model(model, settings)
    return run(settings, skin)
