"""Laser safety: eye and skin MPE, pulse trains, NOHD and eyewear optical density.

One module per topic, pure functions on SI floats:

- :mod:`~dermalase.safety.exposure_limits`: maximum permissible exposure (MPE)
  of the eye and the skin per IEC 60825-1:2014, Annex A, 180 nm to 1 mm;
- :mod:`~dermalase.safety.correction_factors`: the tables' correction factors
  (C_A, C_B, C_C, C_E, C_1, C_2) and breakpoint times (T_1, T_2, α_max);
- :mod:`~dermalase.safety.repetitive_pulses`: the standard's three rules for
  pulse trains with the 2014 bounds on C5, the most restrictive with the rule
  that decided;
- :mod:`~dermalase.safety.hazard_distance`: nominal ocular hazard distance of
  a divergent beam, a collimated beam and a diffuse (Lambertian) reflection;
- :mod:`~dermalase.safety.eyewear`: the optical density eyewear must have.
"""
