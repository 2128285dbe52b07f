"""Plans computed off the request thread, with their progress.

A plan takes seconds to tens of seconds (the forward models, then the figures and the PDF).
The web application hands it to a pool of worker *processes*, so that the pages stay fast
while a plan is computed (a thread would hold the interpreter's lock). Each worker reports
the planner's stages through a queue that one thread of the server drains; the finished
plan is stored through the records layer and its report (HTML with figures, PDF) is kept
in a folder per clinic and plan.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import multiprocessing
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dermalase.records.reports import ReportStore

LOGGER = logging.getLogger("dermalase.web")

#: States of a job; the last three are final.
STATES = ("queued", "running", "done", "refused", "failed")

#: Age after which a report staging folder is abandoned [s] (a plan takes a minute or two;
#: a younger one may belong to ``dermalase records plan`` running beside the server).
STALE_STAGING = 600.0

#: How long a finished job is remembered for its progress page [s].
KEEP_FINISHED = 3600.0

_PROGRESS: dict[str, Any] = {"queue": None}


#: How much lower than the pages a planner process runs (``nice`` increment): a page
#: pre-empts a plan, so the pages stay fast and the plan takes a little longer.
PLANNER_NICENESS = 10


def _initialise_worker(queue) -> None:
    """Keep the progress queue; run below the pages, on one core (numba's threads too)."""
    _PROGRESS["queue"] = queue
    if hasattr(os, "nice"):
        os.nice(PLANNER_NICENESS)
    import numba

    numba.set_num_threads(1)  # the scanner's parallel loops would take every core


def _report_stage(job_id: str, stage: str) -> None:
    queue = _PROGRESS["queue"]
    if queue is not None:
        queue.put((job_id, stage))


def compute_plan(
    job_id: str, document: Mapping[str, Any], overrides: Mapping[str, str], out_dir: str
) -> dict[str, Any]:
    """Plan a consultation and write its report (runs in a worker process).

    Parameters
    ----------
    job_id : str
        The job, as its progress messages name it.
    document : mapping
        The consultation document (the consultation file's keys).
    overrides : mapping of str to str
        Rule id -> the physician's reason.
    out_dir : str
        Folder for ``plan.json``, ``plan.html`` and ``plan.pdf``.

    Returns
    -------
    dict
        ``{"plan": plan JSON}``, or ``{"refusal": {...}}`` / ``{"error": {...}}`` naming the
        rule or field (errors are returned, not raised: they cross a process boundary).
    """
    from dermalase.clinical.consultation import Consultation
    from dermalase.clinical.planner import TreatmentPlanner
    from dermalase.exceptions import InputError, RefusalError
    from dermalase.report.plan_figures import plan_figures
    from dermalase.report.writer import write_report

    def progress(stage: str) -> None:
        _report_stage(job_id, stage)

    try:
        progress("reading the consultation")
        consultation = Consultation.from_mapping(dict(document))
        result = TreatmentPlanner().plan(consultation, overrides=dict(overrides), progress=progress)
        payload = result.to_dict()
        figures = plan_figures(result, progress=progress)
        progress("writing the report and its PDF")
        write_report(payload, figures, out_dir)
    except RefusalError as refusal:
        return {
            "refusal": {
                "rule": refusal.rule,
                "message": str(refusal),
                "source": refusal.source,
            }
        }
    except InputError as error:
        return {"error": {"field": error.field, "message": str(error)}}
    return {"plan": payload}


@dataclasses.dataclass
class PlanJob:
    """One plan being computed for a clinic's consultation.

    Attributes
    ----------
    id : str
        Random job token (not guessable; still looked up within the clinic only).
    clinic_id, patient_id, consultation_id : int
        Whose plan it is.
    overrides : dict of str to str
        Rule id -> reason.
    actor : str
        Who asked for the plan (the audit log's actor).
    state : str
        One of :data:`STATES`.
    stage : str
        The planner's current stage, as the progress indicator shows it.
    plan_id : int or None
        The stored plan once done.
    problem : dict or None
        The refusal (``rule``, ``message``, ``source``) or error (``field``, ``message``).
    submitted, finished : float
        Monotonic times [s].
    """

    id: str
    clinic_id: int
    patient_id: int
    consultation_id: int
    overrides: dict[str, str]
    actor: str = ""
    state: str = "queued"
    stage: str = "waiting for a free planner"
    plan_id: int | None = None
    problem: dict[str, str] | None = None
    submitted: float = dataclasses.field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def final(self) -> bool:
        """Whether the job has ended (done, refused or failed)."""
        return self.state in STATES[2:]

    @property
    def elapsed(self) -> float:
        """Seconds since submission (to the end when finished) [s]."""
        return (self.finished or time.monotonic()) - self.submitted

    def to_dict(self) -> dict[str, Any]:
        """JSON view for the progress poll and the API."""
        return {
            "job": self.id,
            "state": self.state,
            "stage": self.stage,
            "elapsed_s": round(self.elapsed, 1),
            "plan_id": self.plan_id,
            "problem": self.problem,
        }


class PlanJobs:
    """The pool of planner processes and the jobs it runs.

    Parameters
    ----------
    store : callable
        ``store(job, plan_json) -> plan_id``: stores a finished plan (through the records
        layer) and returns its id; called on a server thread.
    reports : dermalase.records.reports.ReportStore
        Where finished reports go (``clinic-<id>/plan-<id>``).
    workers : int
        Planner processes (default 1: on a 2-core machine one core stays with the pages).
    """

    def __init__(
        self,
        store: Callable[[PlanJob, dict[str, Any]], int],
        reports: ReportStore,
        workers: int = 1,
    ):
        self.store = store
        self.reports = reports
        # a plan abandoned when the server last stopped left its staging folder
        for staging in reports.leftovers(min_age=STALE_STAGING):
            shutil.rmtree(staging, ignore_errors=True)
        context = multiprocessing.get_context("spawn")
        self._queue = context.Queue()
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_initialise_worker,
            initargs=(self._queue,),
        )
        self._jobs: dict[str, PlanJob] = {}
        self._lock = threading.Lock()
        self._drain = threading.Thread(target=self._read_progress, daemon=True)
        self._drain.start()

    def submit(
        self,
        clinic_id: int,
        patient_id: int,
        consultation_id: int,
        document: dict,
        overrides: Mapping[str, str],
        actor: str,
    ) -> PlanJob:
        """Queue a plan of a stored consultation; return its job at once."""
        job = PlanJob(
            id=secrets.token_urlsafe(16),
            clinic_id=clinic_id,
            patient_id=patient_id,
            consultation_id=consultation_id,
            overrides=dict(overrides),
            actor=actor,
        )
        staging = self.reports.staging(clinic_id)
        with self._lock:
            self._forget_old()
            self._jobs[job.id] = job
        future = self._pool.submit(compute_plan, job.id, document, job.overrides, str(staging))
        future.add_done_callback(lambda done: self._finish(job, staging, done))
        return job

    def get(self, clinic_id: int, job_id: str) -> PlanJob | None:
        """The job of that id in this clinic, or None (another clinic's job is None too)."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.clinic_id == clinic_id else None

    def running(self) -> int:
        """How many jobs are queued or running."""
        with self._lock:
            return sum(not job.final for job in self._jobs.values())

    def _forget_old(self) -> None:
        now = time.monotonic()
        for key in [
            key
            for key, job in self._jobs.items()
            if job.finished is not None and now - job.finished > KEEP_FINISHED
        ]:
            del self._jobs[key]

    def _read_progress(self) -> None:
        while True:
            try:
                message = self._queue.get()
            except (EOFError, OSError, ValueError):
                return
            if message is None:
                return
            job_id, stage = message
            with self._lock:
                job = self._jobs.get(job_id)
                if job is not None and not job.final:
                    job.state, job.stage = "running", str(stage)

    def _finish(self, job: PlanJob, staging: Path, future: concurrent.futures.Future) -> None:
        try:
            outcome = future.result()
        except Exception as error:  # a crashed worker: say so, keep the server up
            LOGGER.error("plan job failed: %s", type(error).__name__)
            outcome = {"error": {"field": "plan", "message": "the planner stopped unexpectedly"}}
        try:
            if "plan" in outcome:
                plan_id = self.store(job, outcome["plan"])
                self.reports.adopt(job.clinic_id, plan_id, staging)
                job.plan_id, job.state, job.stage = plan_id, "done", "done"
            elif "refusal" in outcome:
                job.problem, job.state, job.stage = outcome["refusal"], "refused", "refused"
            else:
                job.problem, job.state, job.stage = outcome["error"], "failed", "failed"
        except Exception as error:
            LOGGER.error("storing a plan failed: %s", type(error).__name__)
            job.problem = {"field": "plan", "message": "the plan could not be stored"}
            job.state, job.stage = "failed", "failed"
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            job.finished = time.monotonic()

    def close(self) -> None:
        """Stop the workers (a running plan is abandoned) and the progress reader."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._queue.put(None)
        self._drain.join(timeout=5)
