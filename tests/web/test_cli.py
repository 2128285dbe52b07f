"""``dermalase users add`` and ``dermalase serve``: input errors are one line, exit code 2."""

from __future__ import annotations

import io
import json

import pytest

from dermalase import records
from dermalase.cli import main


def _run(argv: list[str], stdin: str, monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as done:
        main(argv)
    captured = capsys.readouterr()
    return done.value.code, captured.out, captured.err


def test_users_add_reads_the_password_from_stdin(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    argv = [
        "users",
        "add",
        "--clinic",
        "Clinic Z",
        "--email",
        "Doc@Z.example",
        "--role",
        "physician",
        "--database-url",
        url,
        "--json",
    ]
    code, out, _ = _run(argv, "a long enough password\n", monkeypatch, capsys)
    assert code == 0
    assert json.loads(out) == {"clinic": "Clinic Z", "email": "doc@z.example", "role": "physician"}
    database = records.open_database(url)
    try:
        with database.session() as session:
            clinic = records.find_clinic(session, "Clinic Z")
            assert records.verify_password(
                session, clinic.id, "doc@z.example", "a long enough password"
            )
    finally:
        database.close()


@pytest.mark.parametrize(
    ("extra", "password", "field"),
    [
        (["--role", "admin"], "a long enough password\n", "--role"),
        (["--role", "staff"], "short\n", "password"),
        (["--role", "staff"], "", "password"),
    ],
)
def test_users_add_refuses_bad_input(tmp_path, monkeypatch, capsys, extra, password, field):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    argv = [
        "users",
        "add",
        "--clinic",
        "C",
        "--email",
        "a@b.example",
        "--database-url",
        url,
        *extra,
        "--json",
    ]
    code, out, err = _run(argv, password, monkeypatch, capsys)
    assert code == 2
    assert json.loads(out)["field"] == field
    assert len(err.strip().splitlines()) == 1


def test_serve_refuses_a_bad_port(monkeypatch, capsys):
    code, out, err = _run(["serve", "--port", "70000", "--json"], "", monkeypatch, capsys)
    assert code == 2
    assert json.loads(out)["field"] == "--port"
    assert "Traceback" not in err
