"""A writer process for the concurrency and durability tests (run as a script).

Records ``count`` sessions under one plan, each in its own transaction, each tagged in its
notes ``TAG-N``; with ``--photos`` each session also gets a diary day with a test-card
photo, stored before the commit as the command line does. After each commit it prints
``committed TAG-N`` (flushed), so that a parent that kills it knows what was committed.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("photos", type=Path)
    parser.add_argument("clinic", type=int)
    parser.add_argument("plan", type=int)
    parser.add_argument("tag")
    parser.add_argument("count", type=int)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--with-photos", action="store_true")
    options = parser.parse_args()

    from dermalase import records
    from dermalase.records.testcard import card_image
    from dermalase.records.treatments import AreaDelivery

    database = records.open_database(options.url, photo_directory=options.photos)
    with database.session(read_only=True) as session:
        document = records.get_plan(session, options.clinic, options.plan).document
    areas = [
        AreaDelivery(
            area=area["area"],
            device=area["device"],
            modality=area["modality"],
            settings=area["settings"],
            deviation={},
            anaesthesia="topical",
            predicted=area["predicted"],
        )
        for area in document["areas"]
    ]
    for number in range(options.start, options.start + options.count):
        tag = f"{options.tag}-{number}"
        image = (
            database.photos.put(options.clinic, card_image(0.5, seed=number))
            if options.with_photos
            else None
        )
        with database.session() as session:
            treatment = records.add_session(
                session,
                options.clinic,
                options.plan,
                session_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=number % 365),
                operator=options.tag,
                eye_protection_checked=True,
                areas=areas,
                recovery=document["recovery"],
                actor=options.tag,
                notes=tag,
            )
            if image is not None:
                entry = records.add_diary_entry(
                    session, options.clinic, treatment.id, day=1, phase="bronzing", actor=tag
                )
                records.add_photo(
                    session, options.clinic, entry.id, image, view="frontal", actor=tag
                )
        print(f"committed {tag}", flush=True)
    database.close()


if __name__ == "__main__":
    sys.exit(main())
