import json

import pytest
import shapely
from shapely.geometry import Polygon

from dermalase.exceptions import InputError
from dermalase.scanner.areas import (
    area_from_polygon,
    check_spot_fits,
    load_area,
    template,
    template_names,
)

ZONES = (
    "forehead",
    "glabella",
    "temple",
    "periorbital",
    "cheek",
    "nose",
    "perioral",
    "chin",
    "jawline",
    "neck",
    "chest",
    "dorsal_hand",
)


def test_every_zone_and_the_full_face_are_shipped():
    assert set(ZONES) | {"full_face"} <= set(template_names())


def test_full_face_area_is_that_of_adult_facial_skin():
    # the brief's plausible range for treated facial skin: 250-350 cm^2
    assert 250.0 <= template("full-face").area_cm2 <= 350.0


def test_full_face_excludes_eyes_brows_lips_and_nostrils():
    face = template("full-face")
    assert len(face.polygon.interiors) == 7  # 2 eyes, 2 brows, lips, 2 nostrils
    # the pupils and the mouth centre are not treatable
    assert not face.polygon.contains(shapely.Point(32.0, 25.0))
    assert not face.polygon.contains(shapely.Point(0.0, -41.0))
    assert face.polygon.contains(shapely.Point(-60.0, -20.0))  # cheek


@pytest.mark.parametrize("name", ZONES)
def test_zones_are_smaller_than_the_face_except_body_sites(name):
    area = template(name)
    assert area.area_cm2 > 1.0
    assert area.size_source  # every template says where its size comes from
    if name not in ("chest",):
        assert area.area_cm2 < template("full-face").area_cm2


def test_unknown_template_suggests_the_closest_name():
    with pytest.raises(InputError, match="forehead"):
        template("forhead")


def test_dashes_and_underscores_are_interchangeable():
    assert template("dorsal-hand").name == "dorsal_hand"
    assert template("full-face").name == "full_face"


def test_self_intersecting_polygon_is_refused():
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    with pytest.raises(InputError, match="invalid"):
        area_from_polygon(bowtie)


def test_empty_polygon_is_refused():
    with pytest.raises(InputError, match="empty"):
        area_from_polygon(Polygon())


def test_geojson_file_with_a_hole(tmp_path):
    # a 100 mm square with a 20 mm square hole: 100 - 4 = 96 cm^2
    shell = [[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]]
    hole = [[40, 40], [60, 40], [60, 60], [40, 60], [40, 40]]
    path = tmp_path / "patch.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"name": "patch"},
                "geometry": {"type": "Polygon", "coordinates": [shell, hole]},
            }
        )
    )
    area = load_area(path)
    assert area.name == "patch"
    assert area.area_cm2 == pytest.approx(96.0)


def test_geojson_multipolygon(tmp_path):
    squares = [
        [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]],
        [[[20, 0], [30, 0], [30, 10], [20, 10], [20, 0]]],
    ]
    path = tmp_path / "two.geojson"
    path.write_text(json.dumps({"type": "MultiPolygon", "coordinates": squares}))
    assert load_area(path).area_cm2 == pytest.approx(2.0)


def test_geojson_point_is_refused(tmp_path):
    path = tmp_path / "point.geojson"
    path.write_text(json.dumps({"type": "Point", "coordinates": [0, 0]}))
    with pytest.raises(InputError):
        load_area(path)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_area(tmp_path / "absent.geojson")


def test_spot_larger_than_the_area_is_refused():
    glabella = template("glabella")  # 30 x 22 mm: the widest circle is 22 mm across
    check_spot_fits(glabella, 20e-3)
    with pytest.raises(InputError, match="larger than the area"):
        check_spot_fits(glabella, 25e-3)


def test_anatomical_aliases_name_templates():
    assert template("hand").name == "dorsal_hand"
    assert template("eyelid").name == "periorbital"


def test_template_citations_are_registered():
    from dermalase import citations

    for name in template_names():
        for key in template(name).citation_keys:
            assert citations.get(key).year > 1900


@pytest.mark.parametrize(
    ("name", "percent"),
    [
        ("neck", 1.0),  # anterior half of the 2 % neck (Lund & Browder 1944)
        ("dorsal_hand", 0.5),  # the size of the palm (Rhodes 2013)
    ],
)
def test_body_sites_are_their_cited_share_of_the_body_surface(name, percent):
    # 1.81 m^2: DuBois & DuBois (1916) for 170 cm and 70 kg
    body = 0.007184 * 70**0.425 * 170**0.725 * 1e4  # cm^2
    assert template(name).area_cm2 == pytest.approx(percent / 100 * body, rel=0.02)
