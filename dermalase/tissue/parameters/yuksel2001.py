"""Wiping the desiccated residue off between CO2 passes (Yuksel et al. 2001, Collawn et al. 2003).

Pulsed and scanned CO2 resurfacing leaves a layer of dried, partly charred
tissue on the floor after each pass. The standard multi-pass technique wipes
it off with saline-soaked gauze before the next pass and after the last
(the abstract of "To debride or not to debride": the treatment standard
wipes the char away with moist gauze before and after each pass). In rats,
two CO2 passes removed statistically more tissue when the debris was wiped
off between them than when it was left (Yuksel et al. 2001). On the face,
Collawn et al. (2003) compared skin wiped with saline-soaked gauze after the
passes with skin left unwiped after two passes.

What dermalase takes from these: a full-field CO2 pass is followed by a wipe
that removes the desiccated layer the pulses left at the floor, so that the
next pass meets tissue that still holds water, and the removal reported
after the last pass counts the wiped layer as well. Which tissue the gauze
takes is not measured in these sources; the model takes the layer that has
lost all its water, the solver's own criterion of dry tissue, and nothing
below it. No number is taken from these sources.

None of the sources read describes wiping for Er:YAG, whose short pulses
leave a dried layer of a few micrometres; dermalase wipes the CO2 lines by
default and no other (:data:`dermalase.laser.WIPED_WAVELENGTHS`).
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Yuksel2001",
        status="peer-reviewed",
        authors="Yuksel F, et al.",
        title=(
            "Wiping away debris between passes during laser surgery: is it really "
            "efficient or causing complications?"
        ),
        venue="Aesthetic Plastic Surgery 25(3):184-186",
        year=2001,
        note=(
            "Two CO2 passes on the backs of 20 rats, the debris wiped away between them on "
            "one half: a statistically higher ablation rate where wiped, a more irregular "
            "surface. Abstract read (no depths given)."
        ),
    )
)

CITATION_COLLAWN = register(
    Citation(
        key="Collawn2003",
        status="peer-reviewed",
        authors="Collawn SS, Woods A, Couchman JR",
        title=(
            "Nondebridement of laser char after two carbon dioxide laser passes results "
            "in faster reepithelialization"
        ),
        venue="Plastic and Reconstructive Surgery 111(5):1742-1750",
        year=2003,
        note=(
            "Facial CO2 resurfacing: skin wiped with saline-soaked gauze after the laser "
            "passes against skin left unwiped after two passes. Abstract read."
        ),
    )
)

CITATION_DEBRIDE = register(
    Citation(
        key="DebrideOrNot",
        status="peer-reviewed",
        text=(
            "To debride or not to debride? That is the question: rethinking char removal "
            "in ablative CO2 laser skin resurfacing (abstract; authors, journal and year "
            "not shown on the page read)"
        ),
        note=(
            "States the treatment standard: the char is wiped away with moist gauze before "
            "and after each pass; 3 passes at 6 J/cm^2 gave similar histology with and "
            "without wiping. Abstract read."
        ),
    )
)

#: Citation keys of the wiping technique.
SOURCES = (CITATION.key, CITATION_COLLAWN.key, CITATION_DEBRIDE.key)
