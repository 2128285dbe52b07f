"""Device profiles: what a laser can deliver, shipped as validated TOML files.

Bundled device kinds (``dermalase/devices/data/*.toml``) are generic, not
vendor models; user devices are read from the directories named by the
environment variable ``DERMALASE_DEVICE_PATH``. See
:mod:`dermalase.devices.profiles` for the profile type,
:mod:`dermalase.devices.limits` for its limits (one table, one check),
:mod:`dermalase.devices.files` for reading files and
:mod:`dermalase.devices.schema` for the file format.
"""

from dermalase.devices.files import (
    DEVICE_PATH_VARIABLE,
    bundled_device_files,
    device_directories,
    device_files,
    list_devices,
    load_device,
    read_device_file,
)
from dermalase.devices.limits import Limit, SettingRange, check, limit_table, nearest
from dermalase.devices.profiles import (
    CoagulationTrain,
    DensityChoice,
    DensityStep,
    DepthDial,
    DeviceProfile,
    PulseMode,
    Scanner,
)
from dermalase.devices.schema import MODALITIES, PATTERN_SHAPES, PULSE_MODE_NAMES

__all__ = [
    "DEVICE_PATH_VARIABLE",
    "MODALITIES",
    "PATTERN_SHAPES",
    "PULSE_MODE_NAMES",
    "CoagulationTrain",
    "DensityChoice",
    "DensityStep",
    "DepthDial",
    "DeviceProfile",
    "Limit",
    "PulseMode",
    "Scanner",
    "SettingRange",
    "bundled_device_files",
    "check",
    "device_directories",
    "device_files",
    "limit_table",
    "list_devices",
    "load_device",
    "nearest",
    "read_device_file",
]
