#!/usr/bin/env bash
# A micro laser peel pulse on the cheek: tunable Er:YAG, 12.5 J/cm2 (the low end
# of the MicroLaserPeel face range, Pozner), 300 us, one pass.
set -euo pipefail
dermalase simulate --area cheek --wavelength 2940nm --fluence 12.5J/cm2 --pulse-duration 300us "$@"
