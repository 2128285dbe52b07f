"""Device profiles: what a laser can deliver, shipped as validated TOML files.

Bundled device kinds (``dermalase/devices/data/*.toml``) are generic, not
vendor models; user devices are read from the directories named by the
environment variable ``DERMALASE_DEVICE_PATH``. See
:mod:`dermalase.devices.profiles` for the API and
:mod:`dermalase.devices.schema` for the file format.
"""

from dermalase.devices.profiles import (
    DEVICE_PATH_VARIABLE,
    CoagulationTrain,
    DensityChoice,
    DensityStep,
    DepthDial,
    DeviceProfile,
    PulseMode,
    Scanner,
    SettingRange,
    bundled_device_files,
    device_directories,
    device_files,
    list_devices,
    load_device,
    read_device_file,
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
    "PulseMode",
    "Scanner",
    "SettingRange",
    "bundled_device_files",
    "device_directories",
    "device_files",
    "list_devices",
    "load_device",
    "read_device_file",
]
