"""The clinic in a real Chromium: from sign-in to before/after, against a served instance.

The server is ``dermalase serve`` on 127.0.0.1 (a free port, a temporary SQLite database),
started as the clinic would start it. Each step's screenshot goes to ``$DERMALASE_ARTEFACTS``
(or a temporary folder, printed). The browser also reports every console error, which is
where a Content-Security-Policy violation shows: there must be none.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.browser import launch
from tests.browser import sync_api as browser_api
from tests.web.conftest import PASSWORD

EMAIL = "dr.e2e@clinic.example"
CLINIC = "End to End Clinic"

#: How long a plan may take on a loaded 2-core machine (worker start, forward models,
#: figures, PDF) [s]; the plan takes 10-35 s there.
PLAN_TIMEOUT_MS = 240_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _photo(redness: int) -> bytes:
    """A face-sized photo whose redness fades from day to day."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (235, 225, 215))
    ImageDraw.Draw(image).ellipse((170, 60, 470, 440), fill=(200 + redness, 150, 130))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``dermalase serve`` on a free port of 127.0.0.1, with one physician."""
    folder = tmp_path_factory.mktemp("served")
    url = f"sqlite:///{folder / 'records.sqlite3'}"
    environment = {**os.environ, "DERMALASE_PHOTO_DIR": str(folder / "photos")}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dermalase",
            "users",
            "add",
            "--clinic",
            CLINIC,
            "--email",
            EMAIL,
            "--role",
            "physician",
            "--name",
            "Dr E. Toend",
            "--database-url",
            url,
        ],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        env=environment,
        capture_output=True,
    )
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "dermalase", "serve", "--port", str(port), "--database-url", url],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError((folder / "server.log").read_text())
        time.sleep(0.3)
    yield base, folder
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    """Where the screenshots go."""
    given = os.environ.get("DERMALASE_ARTEFACTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("web_artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


def test_a_clinic_day_in_chromium(server, artefacts, tmp_path):
    sync_api = browser_api()
    base, folder = server
    errors: list[str] = []
    shots = iter(range(1, 100))

    def shot(page, name: str) -> None:
        page.screenshot(path=str(artefacts / f"{next(shots):02d}-{name}.png"), full_page=True)

    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            # a tablet in landscape: the consoles this stands beside are touch screens
            context = browser.new_context(
                viewport={"width": 1180, "height": 820}, accept_downloads=True
            )
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            expect = sync_api.expect

            # sign in
            page.goto(f"{base}/patients")
            expect(page).to_have_url(f"{base}/login")
            page.fill("input[name=email]", EMAIL)
            page.fill("input[name=password]", PASSWORD)
            shot(page, "login")
            page.click("button[type=submit]")
            expect(page).to_have_url(f"{base}/patients")

            # add a patient
            page.fill("input[name=identifier]", "e2e-0001")
            page.fill("input[name=birth_year]", "1987")
            page.select_option("select[name=skin_type]", "II")
            shot(page, "add-patient")
            page.click("#add-patient")
            expect(page.locator("h1")).to_have_text("e2e-0001")
            patient_url = page.url

            # the consultation, first with an age out of range
            page.click("#new-consultation")
            page.fill("input[name=age]", "130")
            for condition in ("fine_lines", "tone_and_texture"):
                page.check(f"input[name=conditions][value={condition}]")
            page.check("input[name=areas][value=full_face]")
            page.fill("input[name=downtime_days]", "3")
            page.select_option("select[name=correction]", "moderate")
            page.check("input[name=devices][value=tunable_er_yag]")
            page.click("#plan-it")
            message = page.locator("#field-age .field-error")
            expect(message).to_have_text("age: 130 is not valid; age in whole years, 1-120")
            message.scroll_into_view_if_needed()
            shot(page, "consultation-invalid-age")
            page.fill("input[name=age]", "38")
            page.click("#plan-it")

            # the plan, computed off the request thread
            expect(page.locator("#job-stage")).to_be_visible()
            shot(page, "plan-progress")
            page.wait_for_url(f"{base}/plans/*", timeout=PLAN_TIMEOUT_MS)
            expect(page.locator("iframe.report-frame")).to_be_visible()
            frame = page.frame_locator("iframe.report-frame")
            expect(frame.locator("img").first).to_be_visible()
            shot(page, "plan")
            with page.expect_download() as download:
                page.click("#download-pdf")
            pdf = tmp_path / "plan.pdf"
            download.value.save_as(pdf)
            assert pdf.read_bytes().startswith(b"%PDF")
            assert download.value.suggested_filename.startswith("plan-")

            # record the session with one deviation: one more pass than planned
            page.click("#record-session")
            passes = page.locator("input[name='set.full_face.passes']")
            planned_passes = int(passes.input_value())
            passes.fill(str(planned_passes + 1))
            page.click("#predict")
            row = page.locator("tr.deviation")
            expect(row).to_have_count(1)
            expect(page.locator("p.predicted").first).to_contain_text("Predicted for what was")
            shot(page, "session-deviation")
            page.check("input[name=eye_protection_checked]")
            page.click("#record")
            expect(page.locator("h1")).to_contain_text("Session")
            expect(page.locator("tr.deviation")).to_contain_text(
                f"passes {planned_passes} → {planned_passes + 1}"
            )

            # three diary days with photos
            phases = ("redness", "bronzing", "flaking/peeling")
            for day, phase in enumerate(phases, start=1):
                photo = tmp_path / f"day{day}.jpg"
                photo.write_bytes(_photo(45 - 15 * day))
                page.fill("input[name=day]", str(day))
                page.select_option("select[name=phase]", phase)
                page.fill("textarea[name=notes]", f"day {day} as expected")
                page.set_input_files("input[name=photo]", str(photo))
                page.click("#add-day")
                expect(page.locator(f"#day-{day}")).to_contain_text(phase)
            expect(page.locator("ol.diary img.thumb")).to_have_count(3)
            shot(page, "diary")

            # the timeline and before/after
            page.goto(patient_url)
            expect(page.locator(".timeline img.thumb")).to_have_count(3)
            shot(page, "timeline")
            page.click("#before-after")
            expect(page.locator("#compare img")).to_have_count(2)
            shot(page, "before-after-side-by-side")
            page.click("#mode-slider")
            page.locator("#slider").fill("30")
            width = page.evaluate("document.querySelector('#compare figure.after').style.width")
            assert width == "30%"
            shot(page, "before-after-slider")

            # a phone shows the same pages in one column
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(patient_url)
            shot(page, "timeline-phone")
            page.set_viewport_size({"width": 1180, "height": 820})

            # sign out
            page.click("#logout")
            expect(page).to_have_url(f"{base}/login")
            shot(page, "signed-out")
            page.goto(f"{base}/patients")
            expect(page).to_have_url(f"{base}/login")
        finally:
            browser.close()
    # the one 400 is the invalid consultation's answer (the form shown again with its message)
    refused = "the server responded with a status of 400"
    assert [error for error in errors if refused not in error] == []
    assert sum(refused in error for error in errors) == 1
    log = (folder / "server.log").read_text()
    assert "e2e-0001" not in log  # the request log names routes, never patients
