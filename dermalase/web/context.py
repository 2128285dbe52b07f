"""What every request handler shares: the database, sessions, throttle, plan jobs, templates.

Also the request-level helpers: who is signed in (pages redirect to the login page, the
API answers 401), the CSRF check of a post, and the rendering of a page.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import jinja2
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from dermalase.records import Database
from dermalase.records.reports import ReportStore
from dermalase.web.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    LoginThrottle,
    SessionStore,
    SignedIn,
    tokens_match,
)
from dermalase.web.jobs import PlanJobs


class NotSignedIn(Exception):
    """A page asked for without a session: redirected to the login page."""


@dataclasses.dataclass
class WebContext:
    """The application's shared state (one per process).

    Attributes
    ----------
    database : dermalase.records.Database
    sessions : SessionStore
    throttle : LoginThrottle
    jobs : PlanJobs or None
        None until the application has started.
    reports : dermalase.records.reports.ReportStore
        The plan reports.
    plan_workers : int
        Planner processes.
    """

    database: Database
    sessions: SessionStore
    throttle: LoginThrottle
    reports: ReportStore
    plan_workers: int = 1
    jobs: PlanJobs | None = None
    templates: jinja2.Environment = dataclasses.field(default_factory=lambda: _environment())


def _environment() -> jinja2.Environment:
    from dermalase.clinical.names import area_name, condition_name
    from dermalase.units import plural
    from dermalase.web.records_view import setting_label

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("dermalase.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["setting_label"] = setting_label
    environment.filters["area_name"] = area_name
    environment.filters["condition_name"] = condition_name
    environment.filters["plural"] = plural
    return environment


def context(request: Request) -> WebContext:
    """The application's shared state."""
    return request.app.state.web


def signed_in(request: Request) -> SignedIn | None:
    """The session of the request's cookie, or None."""
    return context(request).sessions.get(request.cookies.get(SESSION_COOKIE))


def page_user(request: Request) -> SignedIn:
    """Dependency of a page: the signed-in user, or a redirect to the login page."""
    user = signed_in(request)
    if user is None:
        raise NotSignedIn()
    return user


def api_user(request: Request) -> SignedIn:
    """Dependency of the API: the signed-in user, or 401."""
    user = signed_in(request)
    if user is None:
        raise HTTPException(status_code=401, detail="sign in first (POST /login)")
    return user


#: A page's signed-in user (a redirect to the login page when nobody is signed in).
PageUser = Annotated[SignedIn, Depends(page_user)]

#: An API request's signed-in user (401 when nobody is signed in).
ApiUser = Annotated[SignedIn, Depends(api_user)]


def check_csrf(request: Request, user: SignedIn, form: Any | None = None) -> None:
    """Refuse (403) a post whose CSRF token, from the form or the header, is not the session's."""
    given = request.headers.get(CSRF_HEADER)
    if form is not None and not given:
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not tokens_match(given, user.csrf):
        raise HTTPException(
            status_code=403,
            detail="the form is out of date or not from this site; "
            "reload the page and submit it again",
        )


def physician_only(user: SignedIn, what: str) -> None:
    """Refuse (403) a staff member what only a physician may do."""
    if not user.may_override:
        raise HTTPException(status_code=403, detail=f"only a physician may {what}")


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """Render a page template with the signed-in user and the CSRF token."""
    user = signed_in(request)
    page = (
        context(request)
        .templates.get_template(template)
        .render(
            user=user,
            csrf=user.csrf if user else "",
            csrf_field=CSRF_FIELD,
            path=request.url.path,
            **values,
        )
    )
    return HTMLResponse(page, status_code=status_code)
