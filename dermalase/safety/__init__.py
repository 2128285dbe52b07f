"""Laser safety: eye and skin MPE, pulse trains, NOHD and eyewear optical density.

One module per topic, pure functions on SI floats:

- :mod:`~dermalase.safety.exposure_limits`: maximum permissible exposure (MPE)
  of the eye and the skin per IEC 60825-1:2014, Annex A, infrared branches
  1400 nm to 1 mm;
- :mod:`~dermalase.safety.repetitive_pulses`: the standard's three rules for
  pulse trains, the most restrictive with the rule that decided;
- :mod:`~dermalase.safety.hazard_distance`: nominal ocular hazard distance of
  a divergent beam, a collimated beam and a diffuse (Lambertian) reflection;
- :mod:`~dermalase.safety.eyewear`: the optical density eyewear must have.
"""
