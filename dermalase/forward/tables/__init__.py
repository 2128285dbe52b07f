"""Cached response tables of the fractional column model.

Dosimetry and the scanner ask the column model two questions many times:
"what column does this energy drill?" and "what energy drills this depth?".
One simulation (:func:`dermalase.forward.fractional.simulate_column`) takes a
fraction of a second; a table answers in microseconds. A table set is
computed once per laser line and skin class on a grid of

* energy per pulse (log-spaced),
* spot diameter (a few values around the device spots),
* pulse duration (log-spaced over the device's range),
* stacked pulses (every count from 1 to the device maximum: one simulation
  with N stacked pulses gives the column after each of them),

and stored on disk. :func:`column_table` returns a :class:`ColumnTable` at
one pulse duration; it interpolates monotone cubic Hermite (PCHIP) in
log(energy), linearly in log(spot) and log(pulse duration), and exactly in
the pulse count. The interpolation error is measured when the table is built,
against simulations at held-out points (energies, spots and pulse durations
between the nodes, and stacked-pulse counts run to full relaxation) run at
the model's default grid, so it also holds the effect of the coarser grid
the table is computed on. For the default tables it is a few per cent for
depths and diameters and 20-35 % (a few um) for the thin coagulation layers,
whose edge moves in steps of the grid (see ``benchmarks/bench_fractional.py``).

Why tables are per skin class and not per area: the column depends on the
tissue it is drilled in. In the skin model the viable epidermis and the
dermis hold the same water fraction (so the same absorption and ablation
enthalpy) and differ only slightly in conductivity and heat capacity; the
stratum corneum is drier. The dermis thickness of an area changes nothing
about a column until the column reaches the fat below it, and such a column
is already one to refuse: a 10 mJ CO2 column (120 um spot) is 802, 806 and
806 um deep on the cheek, neck and dorsal hand (0.5 % apart), and 790 um on
the eyelid, whose dermis it passes. A table is therefore computed on a reference skin
made of the area's own stratum corneum and epidermis over a dermis deep
enough to hold every tabulated column; which layers a column reaches, and
whether it passes below the dermis, is decided after the lookup from the
area's own skin model (:attr:`ColumnTable.skin`, :meth:`ColumnTable.layers_reached`).
Areas with the same epidermis (forehead, glabella, temple, cheek, nose, chin
and jawline) share one cached table.

Where tables come from. The tables of every bundled fractional device on
every skin class ship inside the package (``forward/data/column_tables``), so
a fresh install answers at once and writes nothing. A table the package does
not ship (a user's device, a pulse duration outside the bundled grids) is read
from the cache directory (``$DERMALASE_CACHE_DIR``, default
``~/.cache/dermalase``) when ``dermalase tables build`` has put it there, and
otherwise refused with the command that builds it: a lookup never builds, never
starts a process pool and never writes. Files are named by a hash of the model
version (:data:`MODEL_VERSION`), the skin, the laser parameters and the grid.
The model version is set by hand: a change to the column model must raise it,
and a test regenerates sampled points of the shipped tables with the model to
catch a change that did not. Files are written to a temporary name and
renamed, so a reader never sees a partial table.
"""

from dermalase.forward.tables.build import Progress, build_table, build_table_set
from dermalase.forward.tables.lookup import ColumnTable, column_table
from dermalase.forward.tables.spec import (
    DEPTH_LIMIT,
    ERROR_FLOOR,
    QUANTITIES,
    REFERENCE_AREA,
    TABLE_GRID_REFINEMENT,
    TableSpec,
    default_specs,
    device_spec,
    generic_spec,
    log_nodes,
    reference_skin,
    skin_classes,
    tabulated,
)
from dermalase.forward.tables.storage import (
    CACHE_VARIABLE,
    MODEL_VERSION,
    TableSet,
    cache_directory,
    clear_loaded,
    shipped_directory,
    table_file_name,
    table_key,
    table_set,
)

__all__ = [
    "CACHE_VARIABLE",
    "DEPTH_LIMIT",
    "ERROR_FLOOR",
    "MODEL_VERSION",
    "QUANTITIES",
    "REFERENCE_AREA",
    "TABLE_GRID_REFINEMENT",
    "ColumnTable",
    "Progress",
    "TableSet",
    "TableSpec",
    "build_table",
    "build_table_set",
    "cache_directory",
    "clear_loaded",
    "column_table",
    "default_specs",
    "device_spec",
    "generic_spec",
    "log_nodes",
    "reference_skin",
    "shipped_directory",
    "skin_classes",
    "table_file_name",
    "table_key",
    "table_set",
    "tabulated",
]
