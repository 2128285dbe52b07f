"""The healing diary of a session, its photos, and observed against predicted recovery.

A diary entry says, for one day after a session (day 0: the day of the session), which
recovery phase the skin was in (the recovery model's phase names, :func:`phase_names`),
pain, crusting and oozing, whether make-up was possible and whether the skin was still red.
From the diary, :func:`outcomes` reads the observed re-epithelialisation day (the first day
noted as ``new skin``) and the observed erythema duration (the first day noted as no
longer red), next to what the model predicted for the delivered settings.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from dermalase.exceptions import InputError, did_you_mean
from dermalase.records.clinics import audit, check_name, one_in_clinic
from dermalase.records.errors import RecordNotFoundError
from dermalase.records.erythema import ErythemaReading
from dermalase.records.photos import PhotoStore, StoredImage
from dermalase.records.schema import TEXT_LENGTH, VIEWS, DiaryEntry, Photo, TreatmentSession
from dermalase.records.treatments import get_session

#: Latest diary day accepted [days after the session]: remodelling runs about six months.
LAST_DAY = 365

#: Pain scale (numeric rating scale, 0 none to 10 worst imaginable).
PAIN_SCALE = (0, 10)


@functools.cache
def phase_names() -> tuple[str, ...]:
    """The recovery model's phase names, in order (``redness`` ... ``new skin``)."""
    from dermalase.clinical.recovery import NEW_SKIN, recovery_data

    names = [step.name for step in recovery_data().phases.steps]
    return tuple(dict.fromkeys([*names, NEW_SKIN]))


def check_phase(phase: str) -> str:
    """``phase`` as a recovery phase name (case and ``-``/``_`` forgiven).

    Raises
    ------
    InputError
        Naming ``--phase`` and the closest phase name.
    """
    names = phase_names()
    text = (
        phase.strip().lower().replace("_", " ").replace("-", " ") if isinstance(phase, str) else ""
    )
    for name in names:
        if text == name or text == name.replace("/", " "):
            return name
    hint = did_you_mean(text, names)
    raise InputError("--phase", phase, f"{hint}one of: {', '.join(names)}")


def add_diary_entry(
    session: Session,
    clinic_id: int,
    session_id: int,
    *,
    day: int,
    phase: str,
    actor: str,
    pain: int | None = None,
    crusting: bool = False,
    oozing: bool = False,
    makeup_possible: bool | None = None,
    erythema_present: bool | None = None,
    notes: str = "",
) -> DiaryEntry:
    """Record how the skin looked on ``day`` after a session.

    Raises
    ------
    RecordNotFoundError
        No such session in this clinic.
    InputError
        A day before the session (negative) or after :data:`LAST_DAY`, a day already in
        the diary, an unknown phase, a pain score outside 0-10; nothing is written.
    """
    treatment = get_session(session, clinic_id, session_id)
    if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= LAST_DAY:
        raise InputError(
            "--day", day, f"days after the session, 0 (the session's day) to {LAST_DAY}"
        )
    phase = check_phase(phase)
    if pain is not None and (
        isinstance(pain, bool)
        or not isinstance(pain, int)
        or not PAIN_SCALE[0] <= pain <= PAIN_SCALE[1]
    ):
        raise InputError("--pain", pain, "0 (none) to 10 (worst imaginable)")
    existing = select(DiaryEntry.id).where(
        DiaryEntry.session_id == treatment.id, DiaryEntry.day == day
    )
    if session.scalar(existing) is not None:
        raise InputError("--day", day, "this session's diary has that day already")
    entry = DiaryEntry(
        clinic_id=clinic_id,
        session_id=treatment.id,
        day=day,
        phase=phase,
        pain=pain,
        crusting=bool(crusting),
        oozing=bool(oozing),
        makeup_possible=makeup_possible,
        erythema_present=erythema_present,
        notes=notes[:TEXT_LENGTH],
    )
    session.add(entry)
    session.flush()
    audit(session, clinic_id, actor, "create", "diary_entry", entry.id, {"day": day})
    return entry


def get_diary_entry(session: Session, clinic_id: int, session_id: int, day: int) -> DiaryEntry:
    """The diary entry of a session's day.

    Raises
    ------
    RecordNotFoundError
        No such session in this clinic, or no entry for that day.
    """
    entry = session.scalar(
        select(DiaryEntry).where(
            DiaryEntry.clinic_id == clinic_id,
            DiaryEntry.session_id == session_id,
            DiaryEntry.day == day,
        )
    )
    if entry is None:
        raise RecordNotFoundError("diary day", f"session {session_id}, day {day}")
    return entry


def _region(field: str, region: Sequence[int] | None, image: StoredImage) -> list[int] | None:
    if region is None:
        return None
    values = list(region)
    if len(values) != 4 or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise InputError(field, region, "LEFT,TOP,RIGHT,BOTTOM in whole pixels")
    left, top, right, bottom = values
    if not (0 <= left < right <= image.width_px and 0 <= top < bottom <= image.height_px):
        raise InputError(
            field,
            ",".join(map(str, values)),
            f"inside the {image.width_px} x {image.height_px} photo, left < right, top < bottom",
        )
    return values


def add_photo(
    session: Session,
    clinic_id: int,
    entry_id: int,
    image: StoredImage,
    *,
    view: str,
    actor: str,
    area: str | None = None,
    region: Sequence[int] | None = None,
    reference_region: Sequence[int] | None = None,
    erythema_index: float | None = None,
) -> Photo:
    """Record a photo (already in the photo store) of a diary day.

    Parameters
    ----------
    image : StoredImage
        What :meth:`dermalase.records.photos.PhotoStore.put` returned.
    view : str
        One of :data:`~dermalase.records.schema.VIEWS`; ``close_up`` needs ``area``.
    region, reference_region : sequence of 4 int or None
        Erythema region and white reference patch, ``[left, top, right, bottom]``
        [pixels] of the stored (upright) image.
    erythema_index : float or None
        The erythema index of the region (:mod:`dermalase.records.erythema`).

    Raises
    ------
    RecordNotFoundError
        No such diary entry in this clinic.
    InputError
        An unknown view, a close-up without its area, a region outside the image.
    """
    entry = one_in_clinic(
        session, DiaryEntry, clinic_id, "diary entry", entry_id, DiaryEntry.id == entry_id
    )
    if view not in VIEWS:
        raise InputError("--view", view, f"one of {', '.join(VIEWS)}")
    if view == "close_up" and not area:
        raise InputError("--area", "missing", "a close-up names the area it shows")
    photo = Photo(
        clinic_id=clinic_id,
        entry_id=entry.id,
        view=view,
        area=check_name("--area", area) if area else None,
        sha256=image.sha256,
        media_type=image.media_type,
        byte_size=image.byte_size,
        width_px=image.width_px,
        height_px=image.height_px,
        exif_orientation=image.exif_orientation,
        region=_region("--region", region, image),
        reference_region=_region("--reference", reference_region, image),
        erythema_index=erythema_index,
    )
    session.add(photo)
    session.flush()
    audit(session, clinic_id, actor, "create", "photo", photo.id, {"view": view})
    return photo


def record_photo(
    session: Session,
    photos: PhotoStore,
    clinic_id: int,
    entry_id: int,
    data: bytes,
    *,
    view: str,
    actor: str,
    area: str | None = None,
    region: Sequence[int] | None = None,
    reference_region: Sequence[int] | None = None,
) -> tuple[Photo, ErythemaReading]:
    """Check a photo, read its redness, add its row, then store its file.

    Everything is checked before anything is written: the file (size, decoding, pixels),
    the view and the regions (the row is flushed first). The file is then on disk before
    the caller's transaction commits the row; if that commit fails, the file is an orphan
    that :func:`dermalase.records.integrity.check_records` finds and removes.

    Parameters
    ----------
    photos : PhotoStore
        The database's photo store (``database.photos``).
    data : bytes
        The uploaded file.

    Returns
    -------
    Photo, ErythemaReading
        The new row and the redness of its region.

    Raises
    ------
    RecordNotFoundError
        No such diary entry in this clinic.
    InputError
        A file that is not an acceptable photo, an unknown view, a region outside it.
    """
    import io

    import numpy as np
    from PIL import Image

    from dermalase.records.erythema import erythema_index
    from dermalase.records.photos import prepare_image

    stored, image = prepare_image(data)
    photo = add_photo(
        session,
        clinic_id,
        entry_id,
        image,
        view=view,
        actor=actor,
        area=area,
        region=region,
        reference_region=reference_region,
    )
    with Image.open(io.BytesIO(stored)) as opened:
        pixels = np.asarray(opened.convert("RGB"))
    reading = erythema_index(pixels, photo.region, photo.reference_region)
    photo.erythema_index = reading.a_star
    session.flush()
    photos.keep(clinic_id, stored, image)
    return photo, reading


def get_photo(session: Session, clinic_id: int, photo_id: int) -> Photo:
    """The photo of that id in this clinic.

    Raises
    ------
    RecordNotFoundError
        No such photo in this clinic.
    """
    return one_in_clinic(session, Photo, clinic_id, "photo", photo_id, Photo.id == photo_id)


def photo_hashes(session: Session, clinic_id: int) -> set[str]:
    """SHA-256 of every photo the clinic's records name."""
    return set(session.scalars(select(Photo.sha256).where(Photo.clinic_id == clinic_id)))


@dataclasses.dataclass(frozen=True)
class Outcome:
    """Predicted against observed recovery of one session.

    Attributes
    ----------
    session_id : int
    patient_id : int
    predicted_reepithelialized_day : int
        [days after the session]
    observed_reepithelialized_day : int or None
        First diary day noted ``new skin`` [days]; None if not yet noted.
    predicted_erythema_days : float
        Predicted erythema duration [days] (the model's weeks × 7).
    observed_erythema_days : int or None
        First diary day noted as no longer red [days]; None if not yet noted.
    """

    session_id: int
    patient_id: int
    predicted_reepithelialized_day: int
    observed_reepithelialized_day: int | None
    predicted_erythema_days: float
    observed_erythema_days: int | None


def outcomes(session: Session, clinic_id: int) -> list[Outcome]:
    """Predicted and observed recovery of every session of the clinic with a diary.

    One query: the first ``new skin`` day and the first day without redness per session
    are aggregated in the database.
    """
    from dermalase.clinical.recovery import DAYS_PER_WEEK, NEW_SKIN

    healed = (
        select(DiaryEntry.session_id, func.min(DiaryEntry.day).label("day"))
        .where(DiaryEntry.clinic_id == clinic_id, DiaryEntry.phase == NEW_SKIN)
        .group_by(DiaryEntry.session_id)
        .subquery()
    )
    faded = (
        select(DiaryEntry.session_id, func.min(DiaryEntry.day).label("day"))
        .where(DiaryEntry.clinic_id == clinic_id, DiaryEntry.erythema_present.is_(False))
        .group_by(DiaryEntry.session_id)
        .subquery()
    )
    query = (
        select(
            TreatmentSession.id,
            TreatmentSession.patient_id,
            TreatmentSession.reepithelialized_day,
            TreatmentSession.erythema_weeks,
            healed.c.day,
            faded.c.day,
        )
        .outerjoin(healed, healed.c.session_id == TreatmentSession.id)
        .outerjoin(faded, faded.c.session_id == TreatmentSession.id)
        .where(
            TreatmentSession.clinic_id == clinic_id,
            and_(healed.c.day.is_not(None) | faded.c.day.is_not(None)),
        )
        .order_by(TreatmentSession.id)
    )
    return [
        Outcome(
            session_id=row[0],
            patient_id=row[1],
            predicted_reepithelialized_day=row[2],
            observed_reepithelialized_day=row[4],
            predicted_erythema_days=row[3] * DAYS_PER_WEEK,
            observed_erythema_days=row[5],
        )
        for row in session.execute(query)
    ]
