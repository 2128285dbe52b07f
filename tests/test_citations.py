"""The citation registry: one way in, a status for every source, every key resolvable."""

import importlib
import pkgutil
import tomllib
from dataclasses import replace
from importlib import resources

import pytest

import dermalase
from dermalase import citations
from dermalase.citations import STATUSES, Citation
from dermalase.exceptions import InputError


def _import_every_module():
    """Import the whole package, so that every module registers what it cites."""
    for module in pkgutil.walk_packages(dermalase.__path__, "dermalase."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


_import_every_module()


def _data(package, name):
    return tomllib.loads(resources.files(package).joinpath(name).read_text())


def _keys_in(document):
    """Every value of a ``sources`` list anywhere in a parsed TOML document."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key in ("sources", "longer_interval_sources") and isinstance(value, list):
                yield from value
            else:
                yield from _keys_in(value)
    elif isinstance(document, list):
        for item in document:
            yield from _keys_in(item)


def work(**changes):
    values = dict(
        key="Test1999",
        status="peer-reviewed",
        authors="Doe J",
        title="A title",
        venue="J Test 1:1-2",
        year=1999,
    )
    values.update(changes)
    return Citation(**values)


# ------------------------------------------------------------------ registering


def test_same_citation_twice_is_allowed_a_conflicting_one_fails():
    first = citations.register(work(key="TestTwice2001"))
    assert citations.register(work(key="TestTwice2001")) is not None
    with pytest.raises(ValueError, match="TestTwice2001"):
        citations.register(replace(first, year=2002))
    with pytest.raises(ValueError, match="TestTwice2001"):
        citations.register(replace(first, status="secondary"))
    assert citations.get("TestTwice2001") == first


def test_registered_physics_key_cannot_be_redefined_by_a_data_file():
    with pytest.raises(InputError, match="Chopra2015"):
        citations.register_document(
            '[Chopra2015]\ntext = "Someone else. 2015."\nstatus = "secondary"\n', "test"
        )


def test_status_is_required_and_one_of_three():
    assert STATUSES == ("peer-reviewed", "secondary", "assumption")
    with pytest.raises(TypeError):
        Citation(key="NoStatus2000", authors="Doe J", title="T", venue="V", year=2000)
    with pytest.raises(ValueError, match="status"):
        work(status="confirmed")
    with pytest.raises(InputError, match="status"):
        citations.register_document('[NoStatus]\ntext = "A page."\n', "test")
    with pytest.raises(InputError, match="status"):
        citations.register_document('[BadStatus]\ntext = "A page."\nstatus = "blog"\n', "test")


def test_a_reference_is_given_by_its_parts_or_as_text():
    with pytest.raises(ValueError, match="not both"):
        work(text="Doe J. A title.")
    with pytest.raises(ValueError, match="full text"):
        Citation(key="NoTitle2000", status="secondary", authors="Doe J", venue="V", year=2000)
    with pytest.raises(InputError, match="fields"):
        citations.register_document('[Odd]\ntext = "x"\nstatus = "secondary"\nurl = "y"\n', "t")


def test_unknown_key_suggests_the_closest():
    with pytest.raises(InputError, match="did you mean 'HaleQuerry1973'"):
        citations.get("HaleQuery1973")
    with pytest.raises(InputError, match="did you mean 'Manstein2004'"):
        citations.get("Manstien2004")
    with pytest.raises(InputError, match="no citation is registered"):
        citations.get("zzzz")


# ------------------------------------------------------------------ statuses


def test_every_registered_source_has_one_of_the_three_statuses():
    registry = citations.registered()
    assert len(registry) > 60  # physics modules and clinical data together
    for key, citation in registry.items():
        assert citation.status in STATUSES, key


def test_statuses_follow_the_kind_of_source():
    get = citations.get
    # journal articles with a DOI
    for key in ("HaleQuerry1973", "Chopra2015", "Meng2022", "Manstein2004", "Waldman2017"):
        assert get(key).status == "peer-reviewed", key
    # textbook, review, thesis, conference digest, manufacturer, clinic page
    for key in (
        "Siegman1986",
        "CarslawJaeger1959",
        "VogelVenugopalan2003",
        "Shori2000",
        "Walsh1989CO2",
        "Lumenis_safety",
        "Pozner_MicroLaserPeel",
        "dscmd",
    ):
        assert get(key).status == "secondary", key
    # what the project chose
    assert get("ProductBrief").status == "assumption"


def test_each_status_is_represented():
    for status in STATUSES:
        assert citations.by_status(status)
    with pytest.raises(InputError):
        citations.by_status("confirmed")


# ------------------------------------------------------------------ every key resolves


def test_every_key_in_the_clinical_data_resolves():
    for name in ("rules.toml", "recovery.toml", "course.toml", "comfort.toml", "aftercare.toml"):
        keys = list(_keys_in(_data("dermalase.clinical", f"data/{name}")))
        assert keys, name
        for key in keys:
            citations.get(key)


def test_every_table_of_sources_toml_is_registered():
    for key, table in _data("dermalase.clinical", "data/sources.toml").items():
        assert citations.get(key).status == table["status"]


def test_every_parameter_module_citation_is_registered():
    from dermalase.tissue import parameters

    modules = [
        importlib.import_module(m.name)
        for m in pkgutil.iter_modules(parameters.__path__, parameters.__name__ + ".")
    ]
    cited = [m.CITATION for m in modules if hasattr(m, "CITATION")]
    assert len(cited) >= 13
    for citation in cited:
        assert citations.get(citation.key) is citation


def test_device_and_area_keys_resolve():
    from dermalase.devices import list_devices
    from dermalase.scanner.areas import template, template_names

    for device in list_devices():
        for key in device.citation_keys:
            citations.get(key)
    assert any(device.citation_keys for device in list_devices())
    for name in template_names():
        for key in template(name).citation_keys:
            citations.get(key)


# ------------------------------------------------------------------ formatting


def test_reference_string_of_a_work():
    assert str(citations.get("HaleQuerry1973")) == (
        "Hale GM, Querry MR (1973). Optical constants of water in the 200-nm to 200-um "
        "wavelength region. Applied Optics 12(3):555-563. doi:10.1364/AO.12.000555"
    )


def test_describe_marks_what_is_not_peer_reviewed_and_drops_repeats():
    text = citations.describe(["Gilbert2000", "dscmd", "Gilbert2000", "ProductBrief"])
    assert text.count("Gilbert S") == 1
    assert "doi" not in text.split(";")[0]  # Gilbert 2000 is cited without a DOI
    assert "[secondary]; dermalase planning assumption" in text
    assert text.endswith("[assumption]")
    # a peer-reviewed work is printed as its reference, without a final stop
    assert citations.describe(["WalshDeutsch1989"]).endswith("327-337")


def test_sources_for_mixes_physics_and_clinical_keys():
    listed = citations.sources_for(
        ["HaleQuerry1973", "Chopra2015"], ["Gilbert2000", "Chopra2015"], ["ProductBrief"]
    )
    assert len(listed) == 4
    assert listed[0].startswith("Hale GM")
    assert listed[2].startswith("Gilbert S")
    # the plan's list is the plain reference, status-free, as format_sources gives it
    assert listed == citations.format_sources(
        ["HaleQuerry1973", "Chopra2015", "Gilbert2000", "ProductBrief"]
    )
    with pytest.raises(InputError, match="did you mean"):
        citations.sources_for(["Gilbert2001"])
