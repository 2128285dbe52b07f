"""Who is signed in: server-side sessions, CSRF tokens and the login throttle.

A session is a random token in an HttpOnly, SameSite=Lax cookie (Secure when the request
came over HTTPS); what it stands for (user, clinic, CSRF token, expiry) stays in the
server's memory, so that signing out ends it for good and a stolen cookie is worth nothing
after logout. The store is per process: restarting the server signs everyone out, and the
server must run as one process (``dermalase serve`` does).

Every form post carries the session's CSRF token (a hidden field; the API takes it in the
``X-CSRF-Token`` header); the login form, posted before any session exists, carries a token
that must match a short-lived cookie (double submit).
"""

from __future__ import annotations

import collections
import dataclasses
import hmac
import secrets
import threading
import time

#: Name of the session cookie.
SESSION_COOKIE = "dermalase_session"

#: Name of the cookie that the login form's token must match.
LOGIN_COOKIE = "dermalase_login"

#: Form field and header that carry the CSRF token.
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

#: How long a session lasts without being used [s]: a clinic day.
IDLE_TIMEOUT = 8 * 3600.0

#: Failed sign-ins allowed per address and per e-mail in :data:`THROTTLE_WINDOW`; the next
#: attempt is refused without checking the password.
FAILED_LOGINS_ALLOWED = 9

#: Window of the login throttle [s].
THROTTLE_WINDOW = 60.0


@dataclasses.dataclass
class SignedIn:
    """A signed-in user, as a request sees it.

    Attributes
    ----------
    user_id, clinic_id : int
        The user and their clinic (every query is scoped to it).
    email, role, display_name, clinic_name : str
        Shown on the pages and written as the audit log's actor.
    csrf : str
        The token every form post of this session must carry.
    last_seen : float
        Monotonic time of the last request [s].
    """

    user_id: int
    clinic_id: int
    email: str
    role: str
    display_name: str
    clinic_name: str
    csrf: str
    last_seen: float

    @property
    def may_override(self) -> bool:
        """Whether the user may override a rule or delete a patient (physicians only)."""
        return self.role == "physician"


class SessionStore:
    """Signed-in sessions by token, in memory, expiring after :data:`IDLE_TIMEOUT`."""

    def __init__(self, idle_timeout: float = IDLE_TIMEOUT):
        self.idle_timeout = idle_timeout
        self._sessions: dict[str, SignedIn] = {}
        self._lock = threading.Lock()

    def start(self, **fields) -> tuple[str, SignedIn]:
        """Open a session; return its cookie token and what it stands for."""
        token = secrets.token_urlsafe(32)
        signed_in = SignedIn(csrf=secrets.token_urlsafe(32), last_seen=time.monotonic(), **fields)
        with self._lock:
            self._sessions[token] = signed_in
        return token, signed_in

    def get(self, token: str | None) -> SignedIn | None:
        """The session of a cookie token, or None (unknown, ended or expired)."""
        if not token:
            return None
        now = time.monotonic()
        with self._lock:
            signed_in = self._sessions.get(token)
            if signed_in is None:
                return None
            if now - signed_in.last_seen > self.idle_timeout:
                del self._sessions[token]
                return None
            signed_in.last_seen = now
            return signed_in

    def end(self, token: str | None) -> None:
        """Sign a session out."""
        with self._lock:
            self._sessions.pop(token or "", None)


def tokens_match(given: str | None, expected: str | None) -> bool:
    """Compare two tokens in constant time; an empty one never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class LoginThrottle:
    """Counts failed sign-ins per key (client address, clinic and e-mail) in a sliding minute.

    Parameters
    ----------
    allowed : int
        Failures allowed in ``window``; the attempt after them is throttled.
    window : float
        Length of the window [s].
    """

    def __init__(self, allowed: int = FAILED_LOGINS_ALLOWED, window: float = THROTTLE_WINDOW):
        self.allowed = allowed
        self.window = window
        self._failures: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> collections.deque[float]:
        failures = self._failures.setdefault(key, collections.deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def retry_after(self, keys: list[str]) -> float:
        """Seconds until a throttled key may try again; 0 when none is throttled [s]."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                if len(failures) >= self.allowed:
                    wait = max(wait, self.window - (now - failures[-self.allowed]))
        return wait

    def failed(self, keys: list[str]) -> None:
        """Count a failed sign-in against every key."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget idle keys; bounded memory
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]

    def succeeded(self, keys: list[str]) -> None:
        """Forget the failures of a key that has just signed in."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
