"""Plans, sessions and the healing diary at the data-access layer: stored, checked, audited."""

from __future__ import annotations

import datetime

import pytest

from dermalase import records
from dermalase.exceptions import InputError
from tests.records.conftest import ACTOR, delivery, plan_document, record_course


@pytest.fixture
def course(database):
    with database.session() as session:
        clinic = records.default_clinic(session, ACTOR).id
        return clinic, record_course(session, clinic, "chart-1", sessions=2)


def test_a_session_keeps_what_was_delivered_and_how_it_deviated(database, course):
    clinic, ids = course
    document = plan_document()
    with database.session() as session:
        treatment = records.add_session(
            session,
            clinic,
            ids["plan"],
            session_date=datetime.date(2025, 6, 1),
            operator="Dr B",
            eye_protection_checked=True,
            areas=delivery(document, fluence_j_cm2=3.5, passes=2),
            recovery={"reepithelialized_day": 2, "erythema_weeks": 1.5},
            actor=ACTOR,
            adverse_events=["transient hyperaemia"],
        )
        session_id = treatment.id
    with database.session(read_only=True) as session:
        stored = records.get_session(session, clinic, session_id)
        (area,) = stored.areas
        assert (area.fluence_j_cm2, area.energy_mj, area.passes) == (3.5, None, 2)
        assert area.deviation == {
            "fluence_j_cm2": {"planned": 4.0, "delivered": 3.5},
            "passes": {"planned": 1, "delivered": 2},
        }
        assert stored.adverse_events == ["transient hyperaemia"]
        assert (stored.reepithelialized_day, stored.erythema_weeks) == (2, 1.5)
        entry = records.audit_log(session, clinic)[0]
        assert (entry.action, entry.record_type, entry.record_id) == (
            "create",
            "treatment_session",
            session_id,
        )
        assert entry.details == {"areas": 1, "deviations": 1}


def test_a_plan_of_this_version_names_the_response_tables_it_used(database, course):
    from dermalase.forward.tables.storage import MODEL_VERSION

    clinic, ids = course
    with database.session() as session:
        assert records.get_plan(session, clinic, ids["plan"]).table_version == MODEL_VERSION
        consultation = records.get_plan(session, clinic, ids["plan"]).consultation_id
        older = {**plan_document(), "dermalase_version": "0.0.9"}
        plan = records.add_plan(session, clinic, consultation, older, ACTOR)
        assert plan.table_version is None


def test_a_stored_plan_is_never_rewritten(database, course):
    clinic, ids = course
    with pytest.raises(PermissionError), database.session() as session:
        plan = records.get_plan(session, clinic, ids["plan"])
        plan.document = {**plan.document, "areas": []}
        session.flush()
    with database.session(read_only=True) as session:
        assert records.get_plan(session, clinic, ids["plan"]).document == plan_document()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pulses": 0}, "full_face.pulses"),
        ({"coverage_percent": 120.0}, "full_face.coverage_percent"),
        ({"fluence_j_cm2": float("nan")}, "full_face.fluence_j_cm2"),
        ({"energy_mj": 10.0}, "full_face.settings"),  # fluence and energy both given
    ],
)
def test_impossible_delivered_values_are_refused_and_nothing_written(
    database, course, changes, field
):
    clinic, ids = course
    with pytest.raises(InputError) as caught, database.session() as session:
        records.add_session(
            session,
            clinic,
            ids["plan"],
            session_date=datetime.date(2025, 6, 1),
            operator="Dr B",
            eye_protection_checked=True,
            areas=delivery(plan_document(), **changes),
            recovery={"reepithelialized_day": 2, "erythema_weeks": 1.5},
            actor=ACTOR,
        )
    assert caught.value.field == field
    with database.session(read_only=True) as session:
        assert len(records.list_sessions(session, clinic, ids["patient"])) == 2


def test_the_diary_accepts_the_recovery_models_phase_names(database, course):
    clinic, ids = course
    first = ids["sessions"][0]
    with database.session() as session:
        for day, phase in enumerate(["redness", "Bronzing", "dryness", "flaking-peeling"]):
            records.add_diary_entry(session, clinic, first, day=day, phase=phase, actor=ACTOR)
        records.add_diary_entry(
            session, clinic, first, day=4, phase="new_skin", erythema_present=True, actor=ACTOR
        )
        records.add_diary_entry(
            session, clinic, first, day=12, phase="new skin", erythema_present=False, actor=ACTOR
        )
    with database.session(read_only=True) as session:
        (treatment, _) = records.list_sessions(session, clinic, ids["patient"])
        assert [entry.phase for entry in treatment.diary] == [
            "redness",
            "bronzing",
            "dryness",
            "flaking/peeling",
            "new skin",
            "new skin",
        ]
        (outcome,) = records.outcomes(session, clinic)
    assert outcome.session_id == first
    assert (outcome.predicted_reepithelialized_day, outcome.observed_reepithelialized_day) == (3, 4)
    assert (outcome.predicted_erythema_days, outcome.observed_erythema_days) == (14.0, 12)


def test_phase_names_come_from_the_recovery_model():
    from dermalase.clinical.recovery import NEW_SKIN, recovery_data

    names = records.phase_names()
    assert names[-1] == NEW_SKIN
    assert set(names) == {step.name for step in recovery_data().phases.steps} | {NEW_SKIN}


@pytest.mark.parametrize(
    ("arguments", "field", "hint"),
    [
        ({"day": -1, "phase": "redness"}, "--day", "0 (the session's day)"),
        ({"day": 400, "phase": "redness"}, "--day", "365"),
        ({"day": 1, "phase": "bronzed"}, "--phase", "bronzing"),
        ({"day": 1, "phase": "redness", "pain": 11}, "--pain", "0 (none) to 10"),
        ({"day": 0, "phase": "redness"}, "--day", "has that day already"),
    ],
)
def test_bad_diary_entries_are_refused_and_nothing_written(
    database, course, arguments, field, hint
):
    clinic, ids = course
    with database.session() as session:
        records.add_diary_entry(
            session, clinic, ids["sessions"][0], day=0, phase="redness", actor=ACTOR
        )
    with pytest.raises(InputError) as caught, database.session() as session:
        records.add_diary_entry(session, clinic, ids["sessions"][0], actor=ACTOR, **arguments)
    assert caught.value.field == field
    assert hint in str(caught.value)
    with database.session(read_only=True) as session:
        (treatment, _) = records.list_sessions(session, clinic, ids["patient"])
        assert [entry.day for entry in treatment.diary] == [0]


def test_deleting_a_patient_removes_everything_but_the_audit_trail(database, course):
    from tests.records.conftest import jpeg

    clinic, ids = course
    with database.session() as session:
        other = record_course(session, clinic, "chart-2")
        shared = database.photos.put(clinic, jpeg())
        own = database.photos.put(clinic, jpeg(colour=(180, 120, 110)))
        for session_id, images in (
            (ids["sessions"][0], [shared, own]),
            (other["sessions"][0], [shared]),
        ):
            entry = records.add_diary_entry(
                session, clinic, session_id, day=1, phase="bronzing", actor=ACTOR
            )
            for image in images:
                records.add_photo(session, clinic, entry.id, image, view="frontal", actor=ACTOR)
    with database.session() as session:
        unreferenced = records.delete_patient(session, clinic, ids["patient"], "Dr A")
    # the picture the other patient still shows stays; only the patient's own goes
    assert unreferenced == [own.sha256]
    database.photos.remove(clinic, unreferenced)
    assert database.photos.stored(clinic) == {shared.sha256}
    with database.session(read_only=True) as session:
        with pytest.raises(records.RecordNotFoundError):
            records.find_patient(session, clinic, "chart-1")
        with pytest.raises(records.RecordNotFoundError):
            records.get_plan(session, clinic, ids["plan"])
        assert records.photo_hashes(session, clinic) == {shared.sha256}
        deletion = records.audit_log(session, clinic)[0]
        assert (deletion.action, deletion.record_id, deletion.actor) == (
            "delete",
            ids["patient"],
            "Dr A",
        )
        assert deletion.details == {"sessions": 2, "photos": 2}
        assert "chart-1" not in str([entry.details for entry in records.audit_log(session, clinic)])
