"""``dermalase --version``: one line, the installed distribution's version."""

import re
from importlib.metadata import version

from tests.cli import run


def test_version_is_one_line_with_the_installed_version(capsys):
    code, out, err = run(["--version"], capsys)
    assert code == 0 and err == ""
    assert out == f"dermalase {version('dermalase')}\n"
    assert re.fullmatch(r"dermalase \d+\.\d+\.\d+\n", out)


def test_version_is_listed_in_the_help(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "--version" in out
