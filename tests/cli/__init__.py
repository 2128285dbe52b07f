"""Command-line tests; :func:`run` calls the CLI in-process."""

import pytest

from dermalase.cli import main


def run(args, capsys):
    """Run ``dermalase ARGS``; return its exit code, stdout and stderr."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err
