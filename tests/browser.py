"""Debian's chromium for the browser tests, launched the same way by each of them.

A test machine without chromium skips the browser tests; CI sets
``DERMALASE_REQUIRE_CHROMIUM=1`` (in ``.ci/run``, after installing it), and there
a missing browser fails them instead.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

#: Headless, and none of the background connections that a closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(what: str) -> None:
    if os.environ.get("DERMALASE_REQUIRE_CHROMIUM") == "1":
        pytest.fail(f"{what}, and CI requires the browser tests (DERMALASE_REQUIRE_CHROMIUM=1)")
    pytest.skip(what)


def sync_api():
    """Playwright's sync API, once chromium is known to be here (else skip, or fail in CI)."""
    if not CHROMIUM.exists():
        _missing(f"Debian's chromium is not installed at {CHROMIUM}")
    try:
        from playwright import sync_api as api
    except ImportError:
        _missing("playwright is not installed")
    return api


def launch(playwright):
    """Debian's chromium through ``playwright``, with :data:`CHROMIUM_ARGS`."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
