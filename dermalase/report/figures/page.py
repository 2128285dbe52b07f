"""The page every plan figure is drawn for: size, fonts, labels and PNG output.

Figures are sized in inches for an A4 page at 100 % (at most :data:`PAGE_WIDTH`
wide), drawn with matplotlib's object API on the Agg canvas (no pyplot state,
no display); every text is at least :data:`SMALLEST_FONT` points and every
quantity axis is labelled with its unit in brackets.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dermalase.units import UM_PER_M

#: Widest figure [inch]: A4 (210 mm) less 20 mm margins on both sides.
PAGE_WIDTH = 6.69
#: Smallest font used anywhere in a figure [pt].
SMALLEST_FONT = 8.0
#: Font sizes [pt] of titles, axis labels, tick labels and legends.
TITLE_FONT = 10.0
LABEL_FONT = 9.0
TICK_FONT = 8.0
LEGEND_FONT = 8.0
#: Resolution of the PNG images [dots per inch].
DPI = 150

#: Days per week and mean days per month (365.25 / 12), for the calendar axes.
DAYS_PER_WEEK = 7.0
DAYS_PER_MONTH = 30.4375

#: Colour of coagulated tissue, in the cross-section and the thermal maps.
COAGULATION_COLOUR = "#a0522d"


def figure_png(figure: Figure, dpi: int = DPI) -> bytes:
    """Render a figure to PNG bytes.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        Figure to render (gets an Agg canvas if it has none).
    dpi : int
        Resolution [dots per inch].

    Returns
    -------
    bytes
        The PNG file.
    """
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def new_figure(width: float, height: float) -> Figure:
    """An empty figure on the Agg canvas, no wider than the page.

    Parameters
    ----------
    width, height : float
        Size [inch]; the width is capped at :data:`PAGE_WIDTH`.

    Returns
    -------
    matplotlib.figure.Figure
        With the constrained layout.
    """
    figure = Figure(figsize=(min(width, PAGE_WIDTH), height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def style_axes(axes, title: str, xlabel: str, ylabel: str) -> None:
    """Title and label an axes in the page's font sizes."""
    axes.set_title(title, fontsize=TITLE_FONT)
    axes.set_xlabel(xlabel, fontsize=LABEL_FONT)
    axes.set_ylabel(ylabel, fontsize=LABEL_FONT)
    axes.tick_params(labelsize=TICK_FONT)


def colour_bar(figure: Figure, mappable, axes, label: str):
    """A colour bar beside ``axes``, labelled in the page's font sizes."""
    bar = figure.colorbar(mappable, ax=axes)
    bar.set_label(label, fontsize=LABEL_FONT)
    bar.ax.tick_params(labelsize=TICK_FONT)
    return bar


def plain_name(name: str) -> str:
    """A layer or area name as printed (``"papillary_dermis"`` -> ``"papillary dermis"``)."""
    return name.replace("_", " ")


def micrometres_label(value: float) -> str:
    """A length [m] written in micrometres with a sensible number of digits."""
    micrometres = value * UM_PER_M
    return f"{micrometres:.0f} µm" if micrometres >= 10 else f"{micrometres:.1f} µm"


def duration_label(seconds: float) -> str:
    """A time [s] written in µs, ms or s."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"
