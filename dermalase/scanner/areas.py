"""Treatment areas: planar polygons in millimetres with exclusions.

A treatment area is the skin surface unrolled onto a plane, as a shapely
``Polygon`` (or ``MultiPolygon``) whose coordinates are millimetres and whose
holes are exclusions (eyes, brows, lips, nostrils). The built-in templates live
in ``data/areas.geojson``; each states where its sizes come from. A user's area
is read from a GeoJSON file in the same convention.

The pattern, order and heating modules work in SI metres; :attr:`TreatmentArea.polygon_si`
gives the same geometry in metres.

Examples
--------
>>> round(template("full-face").area_cm2)
284
>>> round(template("hand").area_cm2)
90
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import shapely
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon, shape

from dermalase.citations import Citation, get, register
from dermalase.exceptions import InputError, did_you_mean
from dermalase.reading import AREA_LIMIT, read_document, shown
from dermalase.tissue.areas import ALIASES
from dermalase.units import MM_PER_M

#: Square millimetres per square centimetre.
MM2_PER_CM2 = 1e2


CITATION = register(
    Citation(
        key="Farkas1994",
        status="secondary",
        authors="Farkas LG (ed.)",
        title="Anthropometry of the Head and Face",
        venue="2nd ed., Raven Press, New York",
        year=1994,
        note=(
            "Adult facial heights and widths (trichion-gnathion, nasion-subnasale, mouth "
            "and eye fissure widths) behind the face templates, rounded to the millimetre; "
            "not checked line by line against the tables."
        ),
    )
)
LUND_BROWDER = register(
    Citation(
        key="LundBrowder1944",
        status="peer-reviewed",
        authors="Lund CC, Browder NC",
        title="The estimation of areas of burns",
        venue="Surgery, Gynecology & Obstetrics 79:352-358",
        year=1944,
        note=(
            "Adult body-surface fractions: neck 2 % (1 % anterior), anterior trunk 13 %; read "
            "from burn charts that reproduce the original, not from the paper itself."
        ),
    )
)
RHODES = register(
    Citation(
        key="Rhodes2013",
        status="peer-reviewed",
        authors="Rhodes J, Clay C, Phillips M",
        title=(
            "The surface area of the hand and the palm for estimating percentage of total body "
            "surface area: results of a meta-analysis"
        ),
        venue="British Journal of Dermatology 169(1):76-84",
        year=2013,
        doi="10.1111/bjd.12290",
        note="Palm without fingers about 0.5 % of the adult body surface (abstract).",
    )
)
DUBOIS = register(
    Citation(
        key="DuBois1916",
        status="peer-reviewed",
        authors="DuBois D, DuBois EF",
        title=("A formula to estimate the approximate surface area if height and weight be known"),
        venue="Archives of Internal Medicine 17:863-871",
        year=1916,
        doi="10.1001/archinte.1916.00080130010002",
        note=(
            "BSA = 0.007184 W^0.425 H^0.725 (W in kg, H in cm): 1.81 m^2 for the reference "
            "adult of the area templates (170 cm, 70 kg, an assumption)."
        ),
    )
)


@dataclass(frozen=True)
class TreatmentArea:
    """A treatment area on the unrolled skin surface.

    Parameters
    ----------
    name : str
        Template or file name.
    polygon : shapely.Polygon or shapely.MultiPolygon
        Outline with exclusions as holes; coordinates [mm].
    size_source : str
        Where the sizes come from (citation text or "assumption").
    description : str
        What the area covers.
    citation_keys : tuple of str
        Registered citations behind the sizes.
    """

    name: str
    polygon: Polygon | MultiPolygon
    size_source: str = ""
    description: str = ""
    citation_keys: tuple[str, ...] = ()

    @property
    def area_mm2(self) -> float:
        """Treatable area, exclusions removed [mm^2]."""
        return float(self.polygon.area)

    @property
    def area_cm2(self) -> float:
        """Treatable area, exclusions removed [cm^2]."""
        return self.area_mm2 / MM2_PER_CM2

    @property
    def area_m2(self) -> float:
        """Treatable area, exclusions removed [m^2]."""
        return self.area_mm2 / MM_PER_M**2

    @property
    def polygon_si(self) -> Polygon | MultiPolygon:
        """The same geometry with coordinates in metres."""
        return _to_metres(self.polygon)

    @property
    def bounds_si(self) -> tuple[float, float, float, float]:
        """Bounding box ``(xmin, ymin, xmax, ymax)`` [m]."""
        xmin, ymin, xmax, ymax = (float(v) / MM_PER_M for v in self.polygon.bounds)
        return xmin, ymin, xmax, ymax

    def inscribed_diameter(self) -> float:
        """Diameter of the largest circle that fits inside the area [m]."""
        line = shapely.maximum_inscribed_circle(self.polygon, tolerance=0.01)
        return 2.0 * float(line.length) / MM_PER_M


def _to_metres(geometry):
    return affinity.scale(geometry, 1.0 / MM_PER_M, 1.0 / MM_PER_M, origin=(0.0, 0.0))


def area_from_polygon(
    polygon: Polygon | MultiPolygon,
    name: str = "custom",
    size_source: str = "",
    description: str = "",
) -> TreatmentArea:
    """Check a polygon and wrap it as a :class:`TreatmentArea`.

    Parameters
    ----------
    polygon : shapely.Polygon or shapely.MultiPolygon
        Outline with exclusions as holes; coordinates [mm].
    name, size_source, description : str
        Stored with the area.

    Returns
    -------
    TreatmentArea

    Raises
    ------
    InputError
        For a geometry that is not a polygon, is empty, has no area, or is invalid
        (self-intersecting outline, a hole crossing the outline).
    """
    if not isinstance(polygon, Polygon | MultiPolygon):
        raise InputError("area", polygon.geom_type, "expected a Polygon or MultiPolygon in mm")
    if polygon.is_empty:
        raise InputError("area", name, "the polygon is empty (no treatable surface)")
    if not polygon.is_valid:
        reason = shapely.is_valid_reason(polygon)
        raise InputError(
            "area", name, f"the polygon is invalid ({reason}); outlines must not self-intersect"
        )
    if polygon.area <= 0.0:
        raise InputError("area", name, "the polygon is empty (no treatable surface)")
    return TreatmentArea(name, polygon, size_source, description)


@cache
def _templates() -> dict[str, TreatmentArea]:
    text = resources.files("dermalase.scanner").joinpath("data/areas.geojson").read_text()
    collection = json.loads(text)
    found = {}
    for feature in collection["features"]:
        properties = feature["properties"]
        source = properties["size_source"]
        if properties.get("shape_note"):
            source = f"{properties['shape_note']}; {source}"
        area = area_from_polygon(
            shape(feature["geometry"]), properties["name"], source, properties["description"]
        )
        keys = tuple(properties.get("citations", ()))
        for key in keys:
            get(key)  # every key named in the file is registered
        found[area.name] = TreatmentArea(
            area.name, area.polygon, area.size_source, area.description, keys
        )
    return found


def template_names() -> tuple[str, ...]:
    """Names of the built-in area templates."""
    return tuple(_templates())


def template(name: str) -> TreatmentArea:
    """Return a built-in area template by name.

    Parameters
    ----------
    name : str
        One of :func:`template_names`, or an alias of the anatomical areas
        (``eyelid``, ``hand``, ...: :data:`dermalase.tissue.areas.ALIASES`);
        ``_``, ``-`` and spaces are interchangeable.

    Returns
    -------
    TreatmentArea

    Raises
    ------
    InputError
        For an unknown name, suggesting the closest known one.
    """
    known = _templates()
    key = name.strip().lower().replace(" ", "_")
    key = ALIASES.get(key.replace("-", "_"), key)
    for candidate in (key, key.replace("-", "_"), key.replace("_", "-")):
        if candidate in known:
            return known[candidate]
    hint = did_you_mean(key, known)
    raise InputError("area", shown(name, 60), f"{hint}known templates: {', '.join(known)}")


def load_area(path: str | Path, name: str | None = None) -> TreatmentArea:
    """Read a treatment area from a GeoJSON file (coordinates in mm).

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoJSON ``Polygon`` or ``MultiPolygon`` geometry, a ``Feature`` holding
        one, or a ``FeatureCollection`` (its polygons are merged).
    name : str, optional
        Name of the area; defaults to the feature's ``name`` property or the file stem.

    Returns
    -------
    TreatmentArea

    Raises
    ------
    InputError
        For a missing or malformed file, a geometry other than a polygon, or an
        invalid or empty polygon.
    """
    path = Path(path)
    document = read_document(path, "area file", syntax="json", limit=AREA_LIMIT)
    shown_path = shown(path)
    if not isinstance(document, dict):
        raise InputError("area file", shown_path, "expected a GeoJSON object")
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features") or []
        if not isinstance(features, list):
            raise InputError("area file", shown_path, "features must be a list of GeoJSON Features")
    elif kind == "Feature":
        features = [document]
    else:
        features = [{"geometry": document}]
    polygons = []
    for feature in features:
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
            raise InputError(
                "area file", shown_path, "expected GeoJSON Polygon or MultiPolygon geometry"
            ) from None
        polygons.append(geometry)
        properties = feature.get("properties") if isinstance(feature, dict) else None
        found = properties.get("name") if isinstance(properties, dict) else None
        name = name or (shown(found, 60) if isinstance(found, str) and found.strip() else None)
    if not polygons:
        raise InputError("area file", shown_path, "the file holds no geometry")
    for geometry in polygons:
        if not isinstance(geometry, Polygon | MultiPolygon):
            raise InputError("area file", geometry.geom_type, "expected Polygon or MultiPolygon")
    merged = polygons[0] if len(polygons) == 1 else shapely.union_all(polygons)
    if not all(math.isfinite(bound) for bound in merged.bounds):
        raise InputError("area file", shown_path, "coordinates must be finite numbers in mm")
    return area_from_polygon(merged, name or shown(path.stem, 60), f"user file {shown(path.name)}")


#: File suffixes read as GeoJSON areas.
GEOJSON_SUFFIXES = (".geojson", ".json")


def find_area(text: str) -> TreatmentArea:
    """Return a built-in template by name, or read a GeoJSON file.

    Parameters
    ----------
    text : str
        A template name (:func:`template`), or the path of a GeoJSON file: a name ending
        in ``.geojson`` or ``.json``, or any name of an existing regular file.

    Returns
    -------
    TreatmentArea

    Raises
    ------
    InputError
        For an unknown template name or an unreadable file (:func:`load_area`), whatever
        the text: a name too long for the file system is an unknown template.
    """
    path = Path(text)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        is_file = False
    if path.suffix.lower() in GEOJSON_SUFFIXES or is_file:
        return load_area(path)
    return template(text)


def check_spot_fits(area: TreatmentArea, spot_diameter: float) -> None:
    """Refuse a spot that does not fit inside the area anywhere.

    Parameters
    ----------
    area : TreatmentArea
        The area.
    spot_diameter : float
        Spot (or MTZ) diameter [m].

    Raises
    ------
    InputError
        When the spot diameter is not positive or exceeds the largest circle
        inscribed in the area.
    """
    if not spot_diameter > 0.0:
        raise InputError("spot_diameter", spot_diameter, "must be > 0 m")
    fits = area.inscribed_diameter()
    if spot_diameter > fits:
        raise InputError(
            "spot_diameter",
            f"{spot_diameter * MM_PER_M:g} mm",
            f"larger than the area {area.name!r}: the widest circle inside it is "
            f"{fits * MM_PER_M:.3g} mm across",
        )
