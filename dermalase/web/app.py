"""The clinic web application: FastAPI on the records database.

:func:`create_app` builds the application: security headers on every answer, a request
log that names the route and never its values (no patient identifier, no search text),
the error pages, the login and logout, the pages (:mod:`dermalase.web.pages`) and the
JSON API under ``/api/v1`` (:mod:`dermalase.web.api`).
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from dermalase import __version__
from dermalase.exceptions import InputError, RefusalError
from dermalase.records import Database, DatabaseError, RecordNotFoundError, find_clinic
from dermalase.records import verify_password as check_password
from dermalase.records.photos import MAX_BYTES
from dermalase.records.reports import ReportStore
from dermalase.web.auth import (
    CSRF_FIELD,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    LoginThrottle,
    SessionStore,
    tokens_match,
)
from dermalase.web.context import NotSignedIn, WebContext, context, render, signed_in
from dermalase.web.jobs import PlanJobs

ACCESS_LOG = logging.getLogger("dermalase.web.access")

#: Content-Security-Policy of the application's pages: scripts and styles from the
#: application only (no inline script), images also as data URIs (the report's figures).
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)

#: Largest request body accepted [bytes]: one photo and the form around it.
MAX_REQUEST_BYTES = MAX_BYTES + 1_000_000


def _route_name(request: Request) -> str:
    """The route's path template (``/patients/{patient_id}``), never the values in it."""
    route = request.scope.get("route")
    return getattr(route, "path", "(no route)")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(
    database: Database,
    *,
    reports: Path | None = None,
    plan_workers: int = 1,
) -> FastAPI:
    """Build the clinic web application on an open records database.

    Parameters
    ----------
    database : dermalase.records.Database
        The records (SQLite or PostgreSQL) and their photo store.
    reports : pathlib.Path or None
        Where plan reports are kept; default ``reports`` beside the photo store.
    plan_workers : int
        Planner processes (plans are computed off the request thread).

    Returns
    -------
    fastapi.FastAPI
    """
    from dermalase.web import api, pages

    web = WebContext(
        database=database,
        sessions=SessionStore(),
        throttle=LoginThrottle(),
        reports=ReportStore(Path(reports)) if reports else database.reports,
        plan_workers=plan_workers,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        web.jobs = PlanJobs(pages.store_plan(web), web.reports, workers=web.plan_workers)
        try:
            yield
        finally:
            web.jobs.close()

    app = FastAPI(
        title="dermalase clinic",
        version=__version__,
        description="The records of a laser resurfacing clinic: patients, consultations, "
        "plans, sessions, healing diary and photos. Every resource is the signed-in "
        "user's clinic's; JSON keys are those of the command line's --json output.",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.web = web

    @app.middleware("http")
    async def headers_and_log(request: Request, call_next):
        started = time.perf_counter()
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_REQUEST_BYTES:
            response: Response = _problem(
                request,
                413,
                f"request: larger than {MAX_REQUEST_BYTES // 1_000_000} MB "
                "is not accepted; a photo may be up to 25 MB",
            )
        else:
            response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        ACCESS_LOG.info(
            "%s %s %d %.0f ms",
            request.method,
            _route_name(request),
            response.status_code,
            1000 * (time.perf_counter() - started),
        )
        return response

    @app.exception_handler(NotSignedIn)
    async def to_login(request: Request, error: NotSignedIn):
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(RecordNotFoundError)
    async def not_found(request: Request, error: RecordNotFoundError):
        return _problem(request, 404, f"no {error.kind} of that number in your clinic")

    @app.exception_handler(InputError)
    async def bad_input(request: Request, error: InputError):
        return _problem(request, 400, str(error), field=error.field)

    @app.exception_handler(RefusalError)
    async def refused(request: Request, error: RefusalError):
        return _problem(request, 409, str(error), rule=error.rule)

    @app.exception_handler(DatabaseError)
    async def unavailable(request: Request, error: DatabaseError):
        ACCESS_LOG.error("database unavailable: %s", error.problem)
        return _problem(request, 503, "the records database is unavailable; try again shortly")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        detail = error.detail if isinstance(error.detail, str) else "request refused"
        if error.status_code == 404 and detail == "Not Found":
            detail = "no such page"
        return _problem(request, error.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        first = error.errors()[0] if error.errors() else {}
        field = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
        return _problem(request, 422, f"{field}: {first.get('msg', 'not valid')}", field=field)

    app.mount(
        "/static",
        StaticFiles(packages=[("dermalase.web", "static")]),
        name="static",
    )
    _login_routes(app)
    app.include_router(pages.router)
    app.include_router(api.router)
    return app


def _problem(request: Request, status: int, message: str, **extra: str) -> Response:
    """An error as the caller reads it: JSON for the API, a page for a browser."""
    if _is_api(request):
        return JSONResponse({"error": message, "status": status, **extra}, status_code=status)
    return render(request, "error.html.j2", status_code=status, status=status, message=message)


def _login_routes(app: FastAPI) -> None:
    import secrets

    from fastapi import Form

    def login_page(request: Request, error: str = "", status: int = 200, clinic: str = ""):
        token = secrets.token_urlsafe(32)
        web = context(request)
        if not clinic:
            with web.database.session(read_only=True) as session:
                from dermalase.records import list_clinics

                clinics = list_clinics(session)
                clinic = clinics[0].name if len(clinics) == 1 else ""
        response = render(
            request,
            "login.html.j2",
            status_code=status,
            login_token=token,
            error=error,
            clinic=clinic,
        )
        response.set_cookie(
            LOGIN_COOKIE,
            token,
            max_age=3600,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/login",
        )
        return response

    @app.get("/login", include_in_schema=False)
    def show_login(request: Request):
        if signed_in(request) is not None:
            return RedirectResponse("/patients", status_code=303)
        return login_page(request)

    @app.post("/login", include_in_schema=False)
    def login(
        request: Request,
        clinic: str = Form(""),
        email: str = Form(""),
        password: str = Form(""),
        csrf_token: str = Form(""),
    ):
        web = context(request)
        if not tokens_match(csrf_token, request.cookies.get(LOGIN_COOKIE)):
            raise HTTPException(403, "the sign-in form is out of date; reload it and sign in")
        address = request.client.host if request.client else "unknown"
        keys = [f"address:{address}", f"account:{clinic.strip().lower()}:{email.strip().lower()}"]
        wait = web.throttle.retry_after(keys)
        if wait > 0:
            response = login_page(
                request,
                f"Too many failed sign-ins: wait {wait:.0f} s before trying again.",
                429,
                clinic,
            )
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        with web.database.session() as session:
            try:
                found = find_clinic(session, clinic.strip())
            except (RecordNotFoundError, InputError):
                found = None
            user = check_password(session, found.id if found else 0, email, password)
            if user is None or found is None:
                web.throttle.failed(keys)
                return login_page(request, "Clinic, e-mail or password is not right.", 401, clinic)
            details = dict(
                user_id=user.id,
                clinic_id=found.id,
                email=user.email,
                role=user.role,
                display_name=user.display_name or user.email,
                clinic_name=found.name,
            )
        web.throttle.succeeded(keys[1:])
        web.sessions.end(request.cookies.get(SESSION_COOKIE))  # no session fixation
        token, _ = web.sessions.start(**details)
        response = RedirectResponse("/patients", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
        response.delete_cookie(LOGIN_COOKIE, path="/login")
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request):
        web = context(request)
        user = signed_in(request)
        form = await request.form()
        if user is not None:
            if not tokens_match(str(form.get(CSRF_FIELD, "")), user.csrf):
                raise HTTPException(403, "the form is out of date; reload the page")
            web.sessions.end(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
