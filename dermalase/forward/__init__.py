"""The forward models: laser settings and skin in, tissue effect out.

* :mod:`~dermalase.forward.effect` — :class:`TissueEffect`, the one result
  type of every forward model (full field and fractional), in SI units, with
  the solver's maps for figures;
* :mod:`~dermalase.forward.models` — the models by name (``bioheat_1d``,
  ``column_2d``, ``response_table``), the planner's ``simulate`` slot;
* :mod:`~dermalase.forward.full_field` — one spot of a full-field pass, the
  1D bioheat solver with a moving ablation front;
* :mod:`~dermalase.forward.fractional` — one microbeam, the 2D axisymmetric
  column model;
* :mod:`~dermalase.forward.tables` — response tables of the column model,
  shipped inside the package, answering in microseconds what a column
  simulation answers in a fraction of a second;
* :mod:`~dermalase.forward.conditions` — surface conditions shared by the
  models.
"""
