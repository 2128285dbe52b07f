"""Anatomical treatment areas and their default skin models.

Each area maps to layer thicknesses taken from the parameter modules in
:mod:`dermalase.tissue.parameters`. Where our sources have no value for a
site, the nearest measured site stands in and :data:`AREAS` says so in the
area's ``note``.
"""

from __future__ import annotations

from dataclasses import dataclass

from dermalase.exceptions import InputError, did_you_mean
from dermalase.tissue.layers import Layer, SkinModel
from dermalase.tissue.parameters import (
    bioheat_common,
    chopra2015,
    meng2022,
    ng_lau2015,
    oltulu2018,
    shori2000,
    xu2017,
    ye_de2017,
)


@dataclass(frozen=True)
class AreaAnatomy:
    """Layer thicknesses of one anatomical area.

    Parameters
    ----------
    name : str
        Area name used on the command line.
    epidermis : float
        Histologic epidermis including the stratum corneum [m].
    dermis : float
        Papillary plus reticular dermis [m].
    stratum_corneum : float
        Stratum corneum [m].
    face : bool
        Whether the area belongs to the face (more adnexal structures).
    sources : tuple of str
        Citation keys of the thickness values.
    note : str
        Which measured site stands in for this area, where that applies.
    """

    name: str
    epidermis: float
    dermis: float
    stratum_corneum: float
    face: bool
    sources: tuple[str, ...]
    note: str = ""


_FACE_EPI = chopra2015.epidermis_face_typical
_SC_FACE = ng_lau2015.stratum_corneum_face
_SC_BODY = ng_lau2015.stratum_corneum_body
_M, _C, _O, _X, _N = (
    meng2022.CITATION.key,
    chopra2015.CITATION.key,
    oltulu2018.CITATION.key,
    xu2017.CITATION.key,
    ng_lau2015.CITATION.key,
)
_MIDPOINT = "epidermis: midpoint of the facial range of Chopra 2015 (no site value)"

#: The built-in areas, by name.
AREAS: dict[str, AreaAnatomy] = {
    a.name: a
    for a in (
        AreaAnatomy(
            "forehead",
            _FACE_EPI,
            meng2022.dermis("forehead"),
            _SC_FACE,
            True,
            (_C, _M, _N),
            _MIDPOINT,
        ),
        AreaAnatomy(
            "glabella",
            _FACE_EPI,
            meng2022.dermis("glabella"),
            _SC_FACE,
            True,
            (_C, _M, _N),
            _MIDPOINT,
        ),
        AreaAnatomy(
            "temple", _FACE_EPI, meng2022.dermis("temple"), _SC_FACE, True, (_C, _M, _N), _MIDPOINT
        ),
        AreaAnatomy(
            "periorbital",
            chopra2015.epidermis_thinnest,
            meng2022.dermis("eyelid"),
            _SC_FACE,
            True,
            (_C, _M, _N),
            "epidermis: thinnest facial value of Chopra 2015 (eyelid skin is the "
            "thinnest of the face); dermis: HFUS eyelid",
        ),
        AreaAnatomy(
            "cheek",
            _FACE_EPI,
            meng2022.dermis("zygoma"),
            _SC_FACE,
            True,
            (_C, _M, _N),
            _MIDPOINT + "; dermis: HFUS zygoma",
        ),
        AreaAnatomy(
            "nose",
            _FACE_EPI,
            meng2022.dermis("nasal_dorsum"),
            _SC_FACE,
            True,
            (_C, _M, _N),
            _MIDPOINT + "; dermis: HFUS nasal dorsum",
        ),
        AreaAnatomy(
            "perioral",
            chopra2015.epidermis_upper_lip,
            meng2022.dermis("zygoma"),
            _SC_FACE,
            True,
            (_C, _M, _N),
            "epidermis: upper lip (Chopra 2015); dermis: no perioral HFUS value, zygoma stands in",
        ),
        AreaAnatomy(
            "chin",
            _FACE_EPI,
            meng2022.dermis("submandibular"),
            _SC_FACE,
            True,
            (_C, _M, _N),
            _MIDPOINT + "; dermis: HFUS submandibular stands in",
        ),
        AreaAnatomy(
            "jawline",
            _FACE_EPI,
            meng2022.dermis("submandibular"),
            _SC_FACE,
            True,
            (_C, _M, _N),
            _MIDPOINT + "; dermis: HFUS submandibular",
        ),
        AreaAnatomy(
            "neck",
            _FACE_EPI,
            meng2022.dermis("neck"),
            _SC_BODY,
            False,
            (_C, _M, _N),
            "epidermis: facial midpoint of Chopra 2015 stands in",
        ),
        AreaAnatomy(
            "chest",
            oltulu2018.epidermis_breast_women,
            oltulu2018.dermis_dorsal_hand_women,
            _SC_BODY,
            False,
            (_O, _N),
            "epidermis: breast (Oltulu 2018); dermis: no chest-wall value, the "
            "thinnest body-site dermis of Oltulu 2018 stands in",
        ),
        AreaAnatomy(
            "dorsal_hand",
            xu2017.epidermis_all_sites,
            oltulu2018.dermis_dorsal_hand_women,
            _SC_BODY,
            False,
            (_X, _O, _N),
            "epidermis: pooled all-site value (Xu 2017); dermis: dorsal hand "
            "(Oltulu 2018, large spread)",
        ),
    )
}

#: Other spellings accepted for area names.
ALIASES = {
    "eyelid": "periorbital",
    "upper_lip": "perioral",
    "lip": "perioral",
    "hand": "dorsal_hand",
    "hands": "dorsal_hand",
    "jaw": "jawline",
}

THERMAL_SOURCES = (
    ye_de2017.CITATION.key,
    shori2000.CITATION.key,
    bioheat_common.CITATION.key,
)


def area_names() -> list[str]:
    """Names of the built-in areas."""
    return list(AREAS)


def resolve_area(name: str) -> AreaAnatomy:
    """Return the anatomy of an area by name, accepting aliases.

    Raises
    ------
    InputError
        For an unknown name, suggesting the closest known one.
    """
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = ALIASES.get(key, key)
    if key in AREAS:
        return AREAS[key]
    hint = did_you_mean(key, AREAS, aliases=ALIASES)
    raise InputError("area", name, f"{hint}known areas: {', '.join(AREAS)}")


def skin_model(area: str, **thicknesses: float) -> SkinModel:
    """Build the layered skin model of an anatomical area.

    Parameters
    ----------
    area : str
        Area name (see :func:`area_names`).
    **thicknesses : float
        Optional layer thicknesses [m] that replace the defaults, by layer name
        (``stratum_corneum``, ``viable_epidermis``, ``papillary_dermis``,
        ``reticular_dermis``, ``subcutis``).

    Returns
    -------
    SkinModel

    Examples
    --------
    >>> model = skin_model("periorbital")
    >>> round(model.dermis_thickness * 1e6)
    625
    """
    anatomy = resolve_area(area)
    water = shori2000.soft_tissue_water
    rho = bioheat_common.density_skin
    papillary = bioheat_common.papillary_fraction * anatomy.dermis
    layers = (
        Layer(
            "stratum_corneum",
            anatomy.stratum_corneum,
            ng_lau2015.stratum_corneum_water,
            rho,
            ye_de2017.specific_heat_epidermis,
            ye_de2017.conductivity_epidermis,
            bioheat_common.perfusion_epidermis,
        ),
        Layer(
            "viable_epidermis",
            anatomy.epidermis - anatomy.stratum_corneum,
            water,
            rho,
            ye_de2017.specific_heat_epidermis,
            ye_de2017.conductivity_epidermis,
            bioheat_common.perfusion_epidermis,
        ),
        Layer(
            "papillary_dermis",
            papillary,
            water,
            rho,
            ye_de2017.specific_heat_dermis,
            ye_de2017.conductivity_dermis,
            bioheat_common.perfusion_dermis,
        ),
        Layer(
            "reticular_dermis",
            anatomy.dermis - papillary,
            water,
            rho,
            ye_de2017.specific_heat_dermis,
            ye_de2017.conductivity_dermis,
            bioheat_common.perfusion_dermis,
        ),
        Layer(
            "subcutis",
            bioheat_common.subcutis_thickness,
            bioheat_common.water_fat,
            bioheat_common.density_fat,
            ye_de2017.specific_heat_fat,
            ye_de2017.conductivity_fat,
            bioheat_common.perfusion_fat,
        ),
    )
    model = SkinModel(anatomy.name, layers, anatomy.sources + THERMAL_SOURCES)
    return model.with_thicknesses(**thicknesses) if thicknesses else model
