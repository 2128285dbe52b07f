"""The skin: layers, anatomical areas, and their optical and thermal properties."""

from dermalase.tissue.areas import area_names, resolve_area, skin_model
from dermalase.tissue.layers import LAYER_NAMES, Layer, SkinModel
from dermalase.tissue.optics import absorption_coefficient, water_absorption_coefficient

__all__ = [
    "LAYER_NAMES",
    "Layer",
    "SkinModel",
    "absorption_coefficient",
    "area_names",
    "resolve_area",
    "skin_model",
    "water_absorption_coefficient",
]
