import pytest

from dermalase.clinical.sources import describe, source, source_keys
from dermalase.exceptions import InputError


def test_every_source_has_text_and_a_known_status():
    for key in source_keys():
        entry = source(key)
        assert str(entry) and entry.status in {"peer-reviewed", "secondary", "assumption"}


def test_registered_citations_are_reused():
    assert "Aesthetic Surgery Journal" in str(source("Chopra2015"))


def test_describe_marks_unconfirmed_sources_and_drops_repeats():
    text = describe(["Gilbert2000", "dscmd", "Gilbert2000"])
    assert text.count("Gilbert S") == 1 and text.endswith("[secondary]")


def test_unknown_source_names_the_closest_key():
    with pytest.raises(InputError, match="did you mean 'Manstein2004'"):
        source("Manstien2004")
