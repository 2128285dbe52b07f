"""The clinic web application (``dermalase serve``): FastAPI on the treatment records.

Server-rendered pages for a clinic's physicians and staff (patients, consultation, plan,
session, healing diary, before/after, outcomes) and a JSON API under ``/api/v1``, all
scoped to the signed-in user's clinic through :mod:`dermalase.records`. See
:func:`dermalase.web.app.create_app`.
"""

from dermalase.web.app import create_app

__all__ = ["create_app"]
