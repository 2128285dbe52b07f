#!/usr/bin/env bash
# A three-session micro laser peel course kept in the treatment records, with diary photos
# of a skin-coloured test card (never a real patient), then its timeline and the
# before/after comparison.
#
#   bash examples/records_demo.sh [FOLDER]      (default: a new temporary folder)
#
# Everything goes into FOLDER: the SQLite database, the photo store, the test cards and
# the figures. Set DERMALASE_DATABASE_URL=postgresql+psycopg://... to use PostgreSQL.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cd "$work"
export DERMALASE_DATABASE_URL="${DERMALASE_DATABASE_URL:-sqlite:///$work/records.sqlite3}"
export DERMALASE_PHOTO_DIR="$work/photos"
export DERMALASE_OPERATOR="${DERMALASE_OPERATOR:-Dr Demo}"
regions="--region 140,40,460,300 --reference 20,20,100,100"   # the test card's skin and white patch

dermalase records init
plan_id=$(dermalase records plan "$here/microlaserpeel_texture.toml" --json \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["plan_id"])')

# three sessions six weeks apart; the second one delivered a little more fluence
session_ids=()
for date_and_change in "2025-03-03:" "2025-04-14:full_face.fluence=4.5J/cm2" "2025-05-26:"; do
    date="${date_and_change%%:*}"
    change="${date_and_change#*:}"
    set_args=()
    [ -n "$change" ] && set_args=(--set "$change")
    id=$(dermalase records session record "$plan_id" --date "$date" --eye-protection-checked \
        "${set_args[@]}" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["session_id"])')
    session_ids+=("$id")
done

# a healing diary for each session: day, phase seen, redness of the test card, red or not
seed=0
for id in "${session_ids[@]}"; do
    for entry in "0 redness 0.15 --red" "1 bronzing 0.85 --red" "2 dryness 0.6 --red" \
                 "3 new_skin 0.35 --red" "14 new_skin 0.1 --not-red"; do
        read -r day phase redness red <<<"$entry"
        seed=$((seed + 1))
        dermalase records test-card "card-$id-$day.jpg" --redness "$redness" --seed "$seed" --json >/dev/null
        # shellcheck disable=SC2086
        dermalase records diary add "$id" --day "$day" --phase "$phase" $red \
            --photo "card-$id-$day.jpg" --view frontal $regions
    done
done

dermalase records timeline example-texture --out timeline.png
dermalase records compare example-texture --before 2025-03-03 --after 2025-06-09 --out compare.png
dermalase records redness example-texture --out redness.png
dermalase records outcomes --out outcomes.png
echo "Records, photos and figures are in $work"
