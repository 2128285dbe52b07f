"""Optical properties of each skin layer from its chromophores and its scatterers.

A layer's absorption coefficient is the sum of its chromophores' spectra
(:mod:`dermalase.tissue.chromophores`) weighted by their volume fractions::

    mu_a = f_w mu_a,water + f_b (S mu_a,HbO2 + (1 - S) mu_a,Hb) + f_mel mu_a,mel
           + f_lip mu_a,lipid

(Jacques 2013, the generic tissue model, without its minor absorbers). The
water fraction is the one the thermal model uses (:class:`~dermalase.tissue.layers.Layer`),
so both see the same tissue; it is all the layer's water, that inside blood
and melanosomes included (the haemoglobin and melanosome spectra hold no
water), so it overlaps their volume fractions. The reduced scattering coefficient is a power
law in wavelength per layer: Jacques' (2013) Rayleigh + Mie fits for the
epidermis and the dermis, Bashkatov's (2005) fit for subcutaneous fat. The
anisotropy ``g`` splits ``mu_s'`` into ``mu_s = mu_s' / (1 - g)``; the
refractive index is Tearney's (1995) in vivo value per layer.

A chromophore whose spectrum does not cover the wavelength is left out and
named in :attr:`LayerOptics.not_included` (haemoglobin beyond 1000 nm, where
blood absorbs less than the tissue water around it; lipid outside 429-1098 nm).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dermalase import citations
from dermalase.exceptions import InputError
from dermalase.tissue import chromophores
from dermalase.tissue.layers import SkinModel
from dermalase.tissue.parameters import (
    bashkatov2005,
    jacques1998,
    jacques2013,
    optics_common,
    tearney1995,
)

#: Fitzpatrick skin types by their Roman numeral.
SKIN_TYPES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}


@dataclass(frozen=True)
class Composition:
    """Volume fractions of one layer besides water [-] and its optical constants.

    Parameters
    ----------
    blood : float
        Blood volume fraction [-].
    lipid : float
        Lipid volume fraction [-]; ``None`` for the remainder after water and blood.
    melanin : bool
        Whether the layer holds the epidermal melanin of the skin type.
    scattering : str
        Scattering law: ``"epidermis"``, ``"dermis"`` or ``"fat"``.
    refractive_index : float
        n [-].
    sources : tuple of str
        Citation keys of the fractions, the law and the index.
    """

    blood: float
    lipid: float | None
    melanin: bool
    scattering: str
    refractive_index: float
    sources: tuple[str, ...] = field(default=())


_J98, _J13, _B05, _T95, _A = (
    jacques1998.CITATION.key,
    jacques2013.CITATION.key,
    bashkatov2005.CITATION.key,
    tearney1995.CITATION.key,
    optics_common.CITATION.key,
)

#: Composition of each layer of :data:`dermalase.tissue.layers.LAYER_NAMES`.
COMPOSITION = {
    # the stratum corneum: dead keratinocytes, no vessels and no melanin
    "stratum_corneum": Composition(
        0.0, 0.0, False, "epidermis", tearney1995.stratum_corneum, (_J13, _T95)
    ),
    # the viable epidermis is avascular and holds the melanosomes
    "viable_epidermis": Composition(
        0.0, 0.0, True, "epidermis", tearney1995.epidermis, (_J98, _J13, _T95, _A)
    ),
    "papillary_dermis": Composition(
        jacques1998.blood_dermis, 0.0, False, "dermis", tearney1995.dermis, (_J98, _J13, _T95, _A)
    ),
    "reticular_dermis": Composition(
        jacques1998.blood_dermis, 0.0, False, "dermis", tearney1995.dermis, (_J98, _J13, _T95, _A)
    ),
    # subcutaneous fat: what is neither water nor blood is taken as lipid
    "subcutis": Composition(
        optics_common.blood_subcutis, None, False, "fat", optics_common.subcutis_index, (_B05, _A)
    ),
}


def skin_type_number(skin_type: int | str) -> int:
    """Fitzpatrick type 1-6 from ``"IV"``, ``"iv"``, ``4`` or ``"4"``.

    Raises
    ------
    InputError
        Naming ``skin_type`` and the allowed values.
    """
    text = str(skin_type).strip().upper()
    number = SKIN_TYPES.get(text) or (int(text) if text.isascii() and text.isdigit() else 0)
    if isinstance(skin_type, bool) or not 1 <= number <= 6:
        raise InputError("skin_type", skin_type, "a Fitzpatrick type I-VI (or 1-6)")
    return number


def reduced_scattering(wavelength, law: str):
    """Reduced scattering coefficient ``mu_s'`` of a scattering law [1/m].

    Parameters
    ----------
    wavelength : float or array_like
        Vacuum wavelength [m], within :data:`~dermalase.tissue.chromophores.WAVELENGTH_RANGE`.
    law : {"epidermis", "dermis", "fat"}
        Jacques (2013) Table 2 for epidermis and dermis,
        ``a' (f_Ray x^-4 + (1 - f_Ray) x^-b_Mie)`` with ``x = lambda / 500 nm``;
        Bashkatov (2005) ``1050.6 lambda[nm]^-0.68`` 1/cm for fat.

    Returns
    -------
    float or numpy.ndarray
        ``mu_s'`` [1/m].

    Notes
    -----
    The fits rest on measurements from the visible to 1.6 um (Salomatina
    2006, through Jacques 2013) and to 2 um (Bashkatov 2005); beyond them
    the power law is extrapolated. There water absorbs 10-10^4 times more than
    tissue scatters, so the extrapolation moves little.

    Examples
    --------
    >>> round(reduced_scattering(500e-9, "dermis") / 100, 1)  # 1/cm
    43.6
    """
    chromophores.check_wavelength(wavelength)
    x = np.asarray(wavelength, dtype=float) / jacques2013.reference_wavelength
    if law == "epidermis":
        a, f, b = (
            jacques2013.epidermis_scattering_500,
            jacques2013.epidermis_rayleigh_fraction,
            jacques2013.epidermis_mie_power,
        )
    elif law == "dermis":
        a, f, b = (
            jacques2013.dermis_scattering_500,
            jacques2013.dermis_rayleigh_fraction,
            jacques2013.dermis_mie_power,
        )
    elif law == "fat":
        nm = np.asarray(wavelength, dtype=float) / 1e-9
        result = bashkatov2005.fat_scattering * nm ** (-bashkatov2005.fat_power)
        return float(result) if np.ndim(result) == 0 else result
    else:
        raise InputError("law", law, "choose one of: epidermis, dermis, fat")
    result = a * (f * x**-4.0 + (1.0 - f) * x ** (-b))
    return float(result) if np.ndim(result) == 0 else result


@dataclass(frozen=True)
class LayerOptics:
    """Optical properties of one skin layer at one wavelength.

    Attributes
    ----------
    name : str
        Layer name.
    thickness : float
        Thickness [m].
    refractive_index : float
        n [-].
    absorption_coefficient : float
        mu_a [1/m].
    reduced_scattering_coefficient : float
        mu_s' [1/m].
    scattering_coefficient : float
        mu_s = mu_s' / (1 - g) [1/m].
    anisotropy : float
        Henyey-Greenstein g [-].
    absorption_by_chromophore : dict
        Each chromophore's share of mu_a [1/m] (zero fractions left out).
    fractions : dict
        Volume fraction of each chromophore [-].
    not_included : tuple of str
        Chromophores of the layer whose spectra do not cover the wavelength.
    sources : tuple of str
        Citation keys behind the values.
    """

    name: str
    thickness: float
    refractive_index: float
    absorption_coefficient: float
    reduced_scattering_coefficient: float
    scattering_coefficient: float
    anisotropy: float
    absorption_by_chromophore: dict[str, float]
    fractions: dict[str, float]
    not_included: tuple[str, ...]
    sources: tuple[str, ...]


def layer_optics(
    model: SkinModel, wavelength: float, skin_type: int | str = 2
) -> list[LayerOptics]:
    """Optical properties of every layer of a skin model at one wavelength.

    Parameters
    ----------
    model : SkinModel
        Layers and their water fractions (:func:`dermalase.tissue.skin_model`).
    wavelength : float
        Vacuum wavelength [m], 400 nm to 11 um.
    skin_type : int or str
        Fitzpatrick type (sets the epidermal melanin).

    Returns
    -------
    list of LayerOptics
        Surface first.

    Raises
    ------
    InputError
        For a wavelength outside 400 nm-11 um or an unknown skin type.

    Examples
    --------
    >>> from dermalase.tissue import skin_model
    >>> dermis = layer_optics(skin_model("cheek"), 2940e-9)[3]
    >>> round(dermis.absorption_coefficient / 100)  # 1/cm, 70 % water
    8734
    """
    chromophores.check_wavelength(wavelength)
    wavelength = float(wavelength)
    melanin_fraction = optics_common.melanin_by_skin_type[skin_type_number(skin_type)]
    covered = chromophores.coverage(wavelength)
    result = []
    for layer in model.layers:
        composition = COMPOSITION[layer.name]
        water = layer.water_fraction
        lipid = (
            max(1.0 - water - composition.blood, 0.0)
            if composition.lipid is None
            else composition.lipid
        )
        melanin = melanin_fraction if composition.melanin else 0.0
        blood = composition.blood
        s = optics_common.blood_saturation
        fractions = {
            "water": water,
            "oxyhaemoglobin": blood * s,
            "deoxyhaemoglobin": blood * (1.0 - s),
            "melanin": melanin,
            "lipid": lipid,
        }
        shares = {}
        missing = []
        for name, fraction in fractions.items():
            if fraction <= 0.0:
                continue
            if not covered[name]:
                missing.append(name)
                continue
            shares[name] = fraction * chromophores.SPECTRA[name](wavelength)
        mus_reduced = reduced_scattering(wavelength, composition.scattering)
        g = jacques2013.anisotropy
        keys = citations.merge(
            *(chromophores.sources_at(name, wavelength) for name in shares),
            composition.sources,
            (_J13,),
        )
        result.append(
            LayerOptics(
                name=layer.name,
                thickness=layer.thickness,
                refractive_index=composition.refractive_index,
                absorption_coefficient=float(sum(shares.values())),
                reduced_scattering_coefficient=float(mus_reduced),
                scattering_coefficient=float(mus_reduced / (1.0 - g)),
                anisotropy=g,
                absorption_by_chromophore={k: float(v) for k, v in shares.items()},
                fractions={k: v for k, v in fractions.items() if v > 0.0},
                not_included=tuple(missing),
                sources=tuple(keys),
            )
        )
    return result
