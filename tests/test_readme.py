"""The README's commands run as written (its first two lines are CI itself)."""

import re
import shlex
from pathlib import Path

import pytest

from tests.cli import run

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _commands() -> list[str]:
    """Every ``dermalase`` line of the README's "The commands" block, comments cut."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## The commands\s+```bash\n(.*?)```", text, re.S)
    assert block, "the README has no 'The commands' block"
    lines = [line.split("  #")[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line.startswith("dermalase ")]


# every line runs as written: no placeholder file or reason (issue 19)
RUNNABLE = _commands()


def test_the_block_is_found_and_runnable():
    assert len(RUNNABLE) >= 10
    for command in RUNNABLE:
        assert "CONSULTATION" not in command and '"..."' not in command, command


@pytest.mark.parametrize("command", RUNNABLE)
def test_readme_command_runs(command, tmp_path, monkeypatch, capsys):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(shlex.split(command)[1:], capsys)
    assert code == 0, f"{command}: {err}"
