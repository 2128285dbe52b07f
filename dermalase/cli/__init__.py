"""Command line of dermalase: one module per command, registered on one app.

Each command module adds its command to :data:`dermalase.cli.app.app` when
imported; :func:`main` runs the app and maps errors to exit codes.
"""

from dermalase.cli import (  # noqa: F401
    areas,
    atlas,
    devices,
    dose,
    optics,
    plan,
    records,
    rules,
    safety,
    scan,
    schema,
    serve,
    simulate,
    tables,
    transport,
    users,
)
from dermalase.cli.app import app, main

__all__ = ["app", "main"]
