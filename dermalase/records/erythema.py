"""Redness from photographs: an erythema index of a region of the skin, day by day.

Two indices of the same redness, both from the camera's red and green response:

- the CIELAB a* (the red-green opponent coordinate) of the region's mean colour, the
  index of tristimulus colorimeters (Chromameter), which follows clinically graded
  erythema closely [1]_ [2]_ and has been read from calibrated digital photographs the
  same way [3]_. This is the index dermalase stores with a photo.
- the **log-ratio erythema index** of reflectance meters, ``EI = 100 log10(R_red /
  R_green)`` [4]_: haemoglobin absorbs green light strongly and red light little, so the
  ratio rises with the blood in the superficial plexus.

A camera's numbers are reflectances only relative to the light and white balance of the
shot. When the photo shows a white reference patch (a matt white card held in the frame),
every channel is scaled so that the patch's mean in linear RGB becomes the card's
reflectance (a von Kries adaptation to the patch), which removes the colour and the level
of the light; without one the index is comparable only between photos taken under the
same light and camera settings, and :func:`comparability` says so.

References
----------
.. [1] Takiwaki H. Measurement of skin color: practical application and theoretical
   considerations. J Med Invest 1998;44(3-4):121-126.
.. [2] Clarys P, Alewaeters K, Lambrecht R, Barel AO. Skin color measurements:
   comparison between three instruments: the Chromameter, the DermaSpectrometer and the
   Mexameter. Skin Res Technol 2000;6(4):230-238. doi:10.1034/j.1600-0846.2000.006004230.x
.. [3] Yamamoto T, Takiwaki H, Arase S, Ohshima H. Derivation and clinical application of
   special imaging by means of digital cameras and Image J freeware for quantification of
   erythema and pigmentation. Skin Res Technol 2008;14(1):26-34.
   doi:10.1111/j.1600-0846.2007.00256.x
.. [4] Diffey BL, Oliver RJ, Farr PM. A portable instrument for quantifying erythema
   induced by ultraviolet radiation. Br J Dermatol 1984;111(6):663-672.
   doi:10.1111/j.1365-2133.1984.tb14149.x
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from dermalase.units import plural

#: Reflectance of the white reference patch [-]: a matt white card reflects about 90 %
#: (the white of photographic grey-card sets); the patch is scaled to it in linear RGB.
REFERENCE_LEVEL = 0.90

#: Smallest linear channel value used in a log ratio [-]: keeps black pixels finite.
DARKEST = 1e-4


@dataclasses.dataclass(frozen=True)
class ErythemaReading:
    """The redness of one photo's region.

    Attributes
    ----------
    a_star : float
        Mean CIELAB a* of the region (D65 white, 2° observer) [-].
    log_index : float
        Log-ratio erythema index ``100 log10(R_red / R_green)`` of the region's mean
        linear reflectances [-].
    referenced : bool
        Whether a reference patch set the white balance.
    pixels : int
        Pixels in the region.
    """

    a_star: float
    log_index: float
    referenced: bool
    pixels: int


def linear_rgb(image: np.ndarray) -> np.ndarray:
    """Linear-light sRGB of an 8-bit or [0, 1] image (IEC 61966-2-1 transfer function).

    Parameters
    ----------
    image : numpy.ndarray
        ``(height, width, 3)`` sRGB, ``uint8`` or floats in [0, 1].

    Returns
    -------
    numpy.ndarray
        Linear RGB in [0, 1], float.
    """
    values = np.asarray(image, dtype=float)
    if np.asarray(image).dtype == np.uint8:
        values = values / 255.0
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


def _encode(linear: np.ndarray) -> np.ndarray:
    """sRGB-encoded values of linear RGB, clipped to [0, 1]."""
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def _crop(image: np.ndarray, region: Sequence[int] | None) -> np.ndarray:
    if region is None:
        return image
    left, top, right, bottom = region
    return image[top:bottom, left:right]


def erythema_index(
    image: np.ndarray,
    region: Sequence[int] | None = None,
    reference: Sequence[int] | None = None,
) -> ErythemaReading:
    """The erythema indices of a region of a photo.

    Parameters
    ----------
    image : numpy.ndarray
        ``(height, width, 3)`` sRGB photo, ``uint8`` or floats in [0, 1], upright.
    region : sequence of 4 int or None
        ``[left, top, right, bottom]`` [pixels] of the skin to read; None: the whole image.
    reference : sequence of 4 int or None
        ``[left, top, right, bottom]`` [pixels] of a white reference patch.

    Returns
    -------
    ErythemaReading

    Notes
    -----
    With a reference patch of linear mean ``(Wr, Wg, Wb)``, each pixel's linear RGB is
    scaled by ``REFERENCE_LEVEL / W`` channel by channel before the indices are computed,
    so ``R_red / R_green`` becomes a ratio of reflectances relative to the patch [4]_.
    a* is computed by :func:`skimage.color.rgb2lab` (D65, 2°) on the mean colour of the
    region, re-encoded to sRGB.

    Examples
    --------
    >>> grey = np.full((4, 4, 3), 128, dtype=np.uint8)
    >>> reading = erythema_index(grey)
    >>> round(reading.a_star, 3) + 0.0, round(reading.log_index, 3) + 0.0
    (0.0, 0.0)
    """
    from skimage.color import rgb2lab

    linear = linear_rgb(image)
    if linear.ndim != 3 or linear.shape[2] < 3:
        raise ValueError("an RGB image of shape (height, width, 3) is needed")
    linear = linear[:, :, :3]
    if reference is not None:
        patch = _crop(linear, reference).reshape(-1, 3).mean(axis=0)
        linear = linear * (REFERENCE_LEVEL / np.maximum(patch, DARKEST))
    skin = _crop(linear, region).reshape(-1, 3)
    mean = skin.mean(axis=0)
    lab = rgb2lab(_encode(mean).reshape(1, 1, 3), illuminant="D65", observer="2")
    red, green = max(float(mean[0]), DARKEST), max(float(mean[1]), DARKEST)
    return ErythemaReading(
        a_star=float(lab[0, 0, 1]),
        log_index=100.0 * float(np.log10(red / green)),
        referenced=reference is not None,
        pixels=int(skin.shape[0]),
    )


def comparability(views: Sequence[str], referenced: Sequence[bool]) -> list[str]:
    """Warnings when a series of photos does not compare like with like.

    Parameters
    ----------
    views : sequence of str
        The standard view of each photo.
    referenced : sequence of bool
        Whether each photo had a reference patch.

    Returns
    -------
    list of str
        Plain-language warnings (empty when the series is comparable).
    """
    warnings = []
    if len(set(views)) > 1:
        warnings.append(
            "the photos are of different views ("
            + ", ".join(sorted(set(views)))
            + "): compare one view at a time"
        )
    missing = sum(not flag for flag in referenced)
    if missing:
        warnings.append(
            f"{missing} of {plural(len(referenced), 'photo')} have no white reference patch: "
            "their redness depends on the light and the camera's white balance"
        )
    return warnings
