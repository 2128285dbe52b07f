"""A skin-coloured test card: photos to try the records with, never a real patient.

The card is a neutral-grey board with a white reference patch and a skin-coloured field
whose redness can be set from 0 (calm skin) to 1 (the erythema of the first days after
resurfacing), optionally under a coloured light. Its regions are fixed
(:data:`SKIN_REGION`, :data:`REFERENCE_REGION`) so that examples and tests can name them.
The two skin colours are round sRGB values in the range photographs of fair (type II)
skin take, calm and inflamed; they are illustrations, not measurements.
"""

from __future__ import annotations

import io

import numpy as np

#: Size of the card [pixels] (width, height).
SIZE = (480, 320)

#: The skin field and the white reference patch, ``[left, top, right, bottom]`` [pixels].
SKIN_REGION = (140, 40, 460, 300)
REFERENCE_REGION = (20, 20, 100, 100)

#: sRGB of calm skin and of strongly red skin (illustrative values, see module notes).
CALM_SKIN = (226, 178, 156)
RED_SKIN = (218, 118, 108)

#: sRGB of the board and of the white patch.
BOARD = (128, 128, 128)
WHITE = (243, 243, 243)


def card_image(
    redness: float,
    light: tuple[float, float, float] = (1.0, 1.0, 1.0),
    seed: int = 0,
    image_format: str = "JPEG",
) -> bytes:
    """An image file of the test card.

    Parameters
    ----------
    redness : float
        0 (calm skin) to 1 (strongly red) [-]; the skin colour is interpolated in linear
        RGB between :data:`CALM_SKIN` and :data:`RED_SKIN`.
    light : tuple of 3 float
        Relative red, green and blue of the light [-] (``(1, 1, 1)``: neutral).
    seed : int
        Seed of the fine texture noise (±2 levels), so that cards differ like photos.
    image_format : str
        ``"JPEG"`` or ``"PNG"``.

    Returns
    -------
    bytes
        The image file.

    Raises
    ------
    ValueError
        A redness outside [0, 1] or a non-positive light.
    """
    from PIL import Image, ImageDraw

    from dermalase.records.erythema import _encode, linear_rgb

    if not 0.0 <= redness <= 1.0:
        raise ValueError(f"redness {redness} is outside 0-1")
    if min(light) <= 0:
        raise ValueError("the light's channels must be positive")
    width, height = SIZE
    canvas = np.empty((height, width, 3), dtype=float)
    canvas[:] = linear_rgb(np.array([[BOARD]], dtype=np.uint8))[0, 0]
    calm = linear_rgb(np.array([[CALM_SKIN]], dtype=np.uint8))[0, 0]
    red = linear_rgb(np.array([[RED_SKIN]], dtype=np.uint8))[0, 0]
    left, top, right, bottom = SKIN_REGION
    canvas[top:bottom, left:right] = (1 - redness) * calm + redness * red
    left, top, right, bottom = REFERENCE_REGION
    canvas[top:bottom, left:right] = linear_rgb(np.array([[WHITE]], dtype=np.uint8))[0, 0]
    canvas *= np.asarray(light, dtype=float)
    encoded = np.round(_encode(canvas) * 255.0)
    noise = np.random.default_rng(seed).integers(-2, 3, size=encoded.shape)
    pixels = np.clip(encoded + noise, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    draw = ImageDraw.Draw(image)
    draw.text((20, height - 30), "TEST CARD - not a patient", fill=(255, 255, 255))
    draw.text((20, 104), "white", fill=(255, 255, 255))
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, "JPEG", quality=95, subsampling=0)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()
