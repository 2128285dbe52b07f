"""Fuzz every command's options (issue 14): no input crashes, hangs or prints two things.

Hypothesis builds argument lists for each command from a valid base: options
are set to values from pools of good and bad text (quantities in every
spelling, decimal commas, expressions, huge and tiny magnitudes, empty
strings, control characters, Unicode digits, names in other cases and
misspelt), dropped or duplicated. For every case:

* the exit code is 0, 2 (bad input) or 3 (refused);
* no traceback is printed;
* an error prints exactly one line on stderr;
* with ``--json``, stdout holds exactly one JSON object;
* the case finishes within :data:`CASE_SECONDS`.

Consultation files are fuzzed the same way: the micro-peel consultation with
fields changed to values of every kind, dropped or added, deeply nested or
huge documents, and arbitrary bytes, each read by ``plan FILE --json``.

The runs are deterministic (``derandomize=True``, fixed example counts) and the
default profile takes well under a minute on 2 cores. ``DERMALASE_FUZZ=long``
runs about seven times as many cases. The counts (cases and outcomes per command)
are printed at the end of the module.
"""

from __future__ import annotations

import collections
import json
import os
import signal
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli import run

#: Longest a case may run [s]: a slow solver run takes a few seconds; a hang is cut here.
CASE_SECONDS = 20.0
#: Example-count factor (default and long profile).
LONG = os.environ.get("DERMALASE_FUZZ", "").lower() == "long"
SCALE = 20 if LONG else 3

#: Outcomes by command: {command: Counter({"cases": n, "exit 0": n, ...})}.
COUNTS: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

# ------------------------------------------------------------ value pools

_NASTY = [
    "",
    " ",
    "2,5",
    "10 20",
    "2**2000",
    "9**9**9",
    "1e400",
    "1e-300",
    "-1",
    "0",
    "nan",
    "inf",
    "[10]",
    "٣",
    "5\n0",
    "5\x0c0",
    "x" * 300,
    "\x00",
    "--json",
]


def _quantity(good: list[str], units: list[str]) -> st.SearchStrategy[str]:
    """Good values, and numbers (good and nasty) glued to units (good and wrong)."""
    number = st.sampled_from(["1", "2.5", "20", "300", ".5", "1e3", "-5", "0", *_NASTY])
    unit = st.sampled_from([*units, "", "%", "kg", "um + 1um", "%%", "J/cm2 2", "Hz"])
    glued = st.builds(lambda n, s, u: f"{n}{s}{u}", number, st.sampled_from(["", " "]), unit)
    return st.one_of(st.sampled_from(good), glued, st.sampled_from(_NASTY))


def _name(good: list[str]) -> st.SearchStrategy[str]:
    variants = [*good, *(g.upper() for g in good), *(g.replace("_", "-") for g in good)]
    misspelt = [g[:-1] for g in good if len(g) > 2]
    return st.sampled_from([*variants, *misspelt, *_NASTY[:4], "a\nb", "ZZ"])


def _count() -> st.SearchStrategy[str]:
    return st.sampled_from(["1", "2", "3", "0", "-1", "101", "1.5", "", "٣", "9" * 50])


FLUENCE = _quantity(["5J/cm2", "10 J/cm2", "2.5J/cm²", "1J/cm^2"], ["J/cm2", "mJ/cm2"])
ENERGY = _quantity(["10mJ", "20mJ", "0.02J"], ["mJ", "J"])
DURATION = _quantity(["300us", "0.5ms", "250 µs"], ["us", "ms", "s"])
RATE = _quantity(["10Hz", "1Hz", "200Hz"], ["Hz", "kHz"])
DEPTH = _quantity(["20um", "50um", "0.1mm"], ["um", "mm", "nm"])
SPOT = _quantity(["120um", "250um", "3mm"], ["um", "mm"])
FRACTION = _quantity(["15%", "20%", "5 %"], ["%", "percent"])
WAVELENGTH = _quantity(["2940nm", "10600nm", "2.79um"], ["nm", "um", "m"])
INTERVAL = _quantity(["10s", "2s"], ["s", "min"])
AREA = _name(["cheek", "forehead", "perioral"])
DEVICES = ["tunable_er_yag", "fractional_co2", "fractional_er_yag", "pulsed_co2", "er_ysgg"]

#: Per command: the base arguments and {option: strategy} of what may be set.
COMMANDS = {
    "dose": (
        ["dose", "--device", "tunable_er_yag", "--area", "cheek", "--ablation", "20um"],
        {
            "--device": _name(DEVICES),
            "--area": AREA,
            "--ablation": DEPTH,
            "--coagulation": DEPTH,
            "--coverage": FRACTION,
            "--spot": SPOT,
            "--passes": _count(),
        },
        ["--fractional"],
        40,
    ),
    "translate": (
        ["translate", "--device", "tunable_er_yag", "--area", "cheek", "--fluence", "5J/cm2"],
        {
            "--device": _name(DEVICES),
            "--area": AREA,
            "--fluence": FLUENCE,
            "--energy": ENERGY,
            "--density": FRACTION,
            "--density-step": _count(),
            "--spot": SPOT,
            "--pulse-duration": DURATION,
            "--pulses": _count(),
            "--passes": _count(),
            "--rep-rate": RATE,
            "--coag-fluence": FLUENCE,
            "--coag-pulses": _count(),
        },
        [],
        40,
    ),
    "simulate": (
        [
            "simulate",
            "--area",
            "cheek",
            "--wavelength",
            "2940nm",
            "--fluence",
            "5J/cm2",
            "--pulse-duration",
            "300us",
        ],
        {
            "--area": AREA,
            "--wavelength": WAVELENGTH,
            "--fluence": FLUENCE,
            "--pulse-duration": DURATION,
            "--pulses": _count(),
            "--rep-rate": RATE,
            "--passes": _count(),
            "--pass-interval": INTERVAL,
            "--coag-fluence": FLUENCE,
            "--coag-pulses": _count(),
            "--coag-pulse-duration": DURATION,
            "--coag-rep-rate": RATE,
            "--energy": ENERGY,
            "--spot": SPOT,
            "--beam": _name(["gaussian", "top_hat"]),
            "--damage-model": _name(["henriques_moritz"]),
        },
        ["--fractional"],
        30,
    ),
    "scan": (
        ["scan", "--area", "cheek", "--device", "tunable_er_yag"],
        {
            "--area": _name(["cheek", "forehead", "full_face", "nose"]),
            "--device": _name(DEVICES),
            "--coverage": FRACTION,
            "--spot": SPOT,
            "--zone": SPOT,
            "--overlap": FRACTION,
            "--fluence": FLUENCE,
            "--energy": ENERGY,
            "--passes": _count(),
            "--order": _name(["raster", "heat-aware", "interleaved", "row-interleaved"]),
            "--lattice": _name(["hexagonal", "square", "staggered", "regular", "random"]),
            "--rep-rate": RATE,
            "--pattern-shape": _name(["square", "hexagon", "line"]),
            "--pattern-size": _quantity(["10mm", "20mm"], ["mm", "um"]),
            "--move-time": INTERVAL,
            "--pass-time": INTERVAL,
            "--depth": DEPTH,
            "--residual-heat": FRACTION,
            "--seed": _count(),
        },
        ["--fractional"],
        40,
    ),
    "plan": (
        ["plan", "examples/acne_scars_type_iv.toml"],
        {
            "--start-date": st.sampled_from(
                ["2025-03-01", "9999-12-31", "0001-01-01", "2025-02-30", "", "٢٠٢٥-٠١-٠١"]
            ),
            "--override": _name(["skin_type.deep_ablation", "isotretinoin"]),
            "--reason": st.sampled_from(["clinic decision", "", "a\nb"]),
            "--out": st.sampled_from(["", "pyproject.toml"]),
        },
        ["--force"],
        10,
    ),
    "devices": (["devices"], {}, [], 2),
    "areas": (["areas"], {}, [], 2),
    "tables list": (["tables", "list"], {}, [], 2),
    "schema": (
        ["schema", "plan"],
        {},
        [],
        10,
    ),
}


@st.composite
def _arguments(draw, command: str) -> list[str]:
    """One argument list: the base with options set, dropped, duplicated or flagged."""
    base, options, flags, _ = COMMANDS[command]
    args = list(base)
    chosen = (
        draw(st.lists(st.sampled_from(sorted(options)), max_size=4, unique=True)) if options else []
    )
    for option in chosen:
        value = draw(options[option])
        if option in args and draw(st.booleans()):
            args[args.index(option) + 1] = value  # replace the base value
        else:
            args += [option, value]  # add, or give a second time
    if options and draw(st.integers(0, 9)) == 0:  # now and then drop a required option
        option = draw(st.sampled_from(sorted(options)))
        if option in args:
            at = args.index(option)
            del args[at : at + 2]
    if command == "schema":
        args[1] = draw(st.sampled_from(["plan", "PLAN", "", "nope", "a\nb"]))
    for flag in flags:
        if draw(st.booleans()):
            args.append(flag)
    if draw(st.booleans()):
        args.append("--json")
    return args


class _CaseTooLong(Exception):
    pass


def _alarm(signum, frame):
    raise _CaseTooLong(f"a case ran past {CASE_SECONDS:g} s")


def _check(command: str, args: list[str], capsys) -> None:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    start = time.perf_counter()
    try:
        code, out, err = run(args, capsys)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - start
    COUNTS[command]["cases"] += 1
    COUNTS[command][f"exit {code}"] += 1
    assert code in (0, 2, 3), (args, code, err[-2000:])
    assert "Traceback" not in err, (args, err[-2000:])
    if code != 0:
        assert len(err.strip().splitlines()) == 1, (args, err)
    if "--json" in args and code in (0, 2, 3) and not (code == 2 and out == ""):
        json.loads(out)  # exactly one JSON object: loads refuses anything after it
        assert out.strip().startswith("{"), (args, out[:200])
    if "--json" in args and code == 0:
        assert isinstance(json.loads(out), dict)
    assert elapsed < CASE_SECONDS


def _fuzz_test(command: str):
    examples = COMMANDS[command][3] * SCALE

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(args=_arguments(command))
    def test(args, capsys):
        _check(command, args, capsys)

    return test


test_fuzz_dose = _fuzz_test("dose")
test_fuzz_translate = _fuzz_test("translate")
test_fuzz_simulate = _fuzz_test("simulate")
test_fuzz_scan = _fuzz_test("scan")
test_fuzz_plan = _fuzz_test("plan")
test_fuzz_devices = _fuzz_test("devices")
test_fuzz_areas = _fuzz_test("areas")
test_fuzz_tables_list = _fuzz_test("tables list")
test_fuzz_schema = _fuzz_test("schema")


# ------------------------------------------------- the consultation reader

#: A valid consultation (the micro-peel example) that the documents below mutate.
_BASE_CONSULTATION = {
    "patient": "fuzz",
    "age": 38,
    "skin_type": "II",
    "conditions": ["fine lines", "tone and texture"],
    "areas": ["full-face"],
    "downtime_days": 3,
    "correction": "moderate",
    "devices": ["tunable_er_yag"],
    "start_date": "2025-03-03",
    "history": {"herpes_simplex": False, "smoking": False, "recent_tan": False},
}

#: Values of every kind a field may be given: good ones of other fields, wrong
#: types, extremes, Unicode digits, control characters, nesting.
_FIELD_VALUES = st.one_of(
    st.sampled_from(
        [
            38,
            "38",
            -1,
            0,
            10**100,
            1e308,
            True,
            None,
            "",
            "٣",
            "III",
            "vii",
            "9999-12-31",
            "0001-01-01",
            "2025-02-30",
            "a\nb",
            "x" * 5000,
            [],
            ["fine lines"],
            ["full_face", "neck", "chest"],
            ["no-such-area"],
            {},
            {"isotretinoin_months_ago": 2},
            {"pregnant": True},
            ["tunable_er_yag", "TUNABLE-ER-YAG", "fractional_co2"],
            "marked",
        ]
    ),
    st.recursive(
        st.one_of(st.integers(), st.text(max_size=8), st.booleans()),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=5), children, max_size=3)
        ),
        max_leaves=12,
    ),
)


@st.composite
def _consultation_document(draw) -> str:
    """A consultation as JSON text: the base with fields changed, dropped or added."""
    document = dict(_BASE_CONSULTATION)
    for key in draw(st.lists(st.sampled_from([*_BASE_CONSULTATION, "unknown_key"]), max_size=3)):
        if draw(st.booleans()) and key in document:
            del document[key]
        else:
            document[key] = draw(_FIELD_VALUES)
    return json.dumps(document)


_DEEP = "[" * 5000 + "]" * 5000


@settings(
    max_examples=10 * SCALE,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        _consultation_document(),
        st.sampled_from([_DEEP, '{"age": ' + "9" * 5000 + "}", "", "\x00\x01", "{"]),
    ),
    suffix=st.sampled_from([".json", ".toml"]),
)
def test_fuzz_consultation_file(text, suffix, tmp_path_factory, capsys):
    """Whatever a consultation file holds, plan answers with 0, 2 or 3 and one line."""
    path = tmp_path_factory.mktemp("consultation") / f"fuzz{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    _check("consultation file", ["plan", str(path), "--json"], capsys)


@settings(
    max_examples=5 * SCALE,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".json", ".toml"]))
def test_fuzz_consultation_bytes(data, suffix, tmp_path_factory, capsys):
    """Arbitrary bytes in a consultation file are a one-line error, never a crash."""
    path = tmp_path_factory.mktemp("consultation") / f"bytes{suffix}"
    path.write_bytes(data)
    _check("consultation bytes", ["plan", str(path), "--json"], capsys)


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"fuzz counts ({'long' if LONG else 'default'} profile):"]
    for command, counts in sorted(COUNTS.items()):
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k != "cases")
        lines.append(f"  {command}: {counts['cases']} cases ({outcomes})")
    if os.environ.get("DERMALASE_FUZZ_COUNTS"):
        with open(os.environ["DERMALASE_FUZZ_COUNTS"], "w", encoding="utf-8") as file:
            json.dump({command: dict(counts) for command, counts in COUNTS.items()}, file)
    if reporter is not None:
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)
