"""`kezek users` governance commands, in-process against a temporary SQLite database:
exit 0 with what was done, exit 1 with one line on bad input."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pyotp
from sqlalchemy import select
from typer.testing import CliRunner

from kezek.app.totp_secrets import open_totp
from kezek.cli import app
from kezek.settings import get_settings
from kezek.store.db import make_engine
from kezek.store.models import AuditRow, UserRow
from tests.test_cli import db  # noqa: F401  (the fixture)

runner = CliRunner()
STRONG = "Tundra-Lantern-Okapi-7"


def _row(path: Path, username: str) -> UserRow:
    async def read() -> UserRow:
        engine = make_engine(f"sqlite:///{path}")
        try:
            async with engine.connect() as conn:
                return (await conn.execute(select(UserRow).where(
                    UserRow.username == username))).one()  # type: ignore[return-value]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _count(path: Path, stmt: object) -> int:
    async def read() -> int:
        engine = make_engine(f"sqlite:///{path}")
        try:
            async with engine.connect() as conn:
                return len((await conn.execute(stmt)).all())  # type: ignore[arg-type]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _one_line_error(result: object, text: str) -> None:
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    lines = result.output.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and text in lines[0], lines


def test_users_governance_commands(db: Path) -> None:  # noqa: F811
    made = runner.invoke(app, ["users", "create", "dana", "--role", "operator",
                               "--password", STRONG])
    assert made.exit_code == 0, made.output
    for command in (["disable"], ["enable"], ["revoke"], ["unlock"], ["totp", "--enable"],
                    ["passwd", "--password-stdin"]):
        _one_line_error(runner.invoke(app, ["users", command[0], "ghost", *command[1:]],
                                      input=STRONG + "\n"), "no such user: ghost")
    assert runner.invoke(app, ["users", "disable", "dana"]).exit_code == 0
    assert _row(db, "dana").active is False
    assert runner.invoke(app, ["users", "enable", "dana"]).exit_code == 0
    assert _row(db, "dana").active is True
    version = _row(db, "dana").session_version
    assert runner.invoke(app, ["users", "revoke", "dana"]).exit_code == 0
    assert _row(db, "dana").session_version == version + 1


def test_passwd_refuses_weak_and_mismatched(db: Path) -> None:  # noqa: F811
    assert runner.invoke(app, ["users", "create", "dana", "--role", "operator",
                               "--password", STRONG]).exit_code == 0
    for weak, why in (("aaaaaaaaaa", "12 characters"), ("password123456", "common"),
                      ("dana", "12 characters"), ("dana-dana-dana", "username")):
        _one_line_error(runner.invoke(app, ["users", "passwd", "dana", "--password-stdin"],
                                      input=weak + "\n"), why)
    differ = runner.invoke(app, ["users", "passwd", "dana"],
                           input="Marigold-Piston-Fjord-42\nMarigold-Piston-Fjord-43\n")
    assert differ.exit_code == 1 and "differ" in differ.output
    before = _row(db, "dana").password_hash
    ok = runner.invoke(app, ["users", "passwd", "dana"],
                       input="Marigold-Piston-Fjord-42\nMarigold-Piston-Fjord-42\n")
    assert ok.exit_code == 0 and "must be changed" in ok.output
    row = _row(db, "dana")
    assert row.password_hash != before and row.must_change_password is True
    keep = runner.invoke(app, ["users", "passwd", "dana", "--password-stdin",
                               "--no-must-change"], input="Cobalt-Heron-Windmill-8\n")
    assert keep.exit_code == 0 and _row(db, "dana").must_change_password is False
    actions = _count(db, select(AuditRow.id).where(AuditRow.action == "user.password_reset",
                                                   AuditRow.actor.like("cli:%")))
    assert actions == 2


def test_totp_and_unlock(db: Path) -> None:  # noqa: F811
    assert runner.invoke(app, ["users", "create", "dana", "--role", "operator",
                               "--password", STRONG]).exit_code == 0
    enrolled = runner.invoke(app, ["users", "totp", "dana", "--enable"])
    assert enrolled.exit_code == 0
    uri = next(line for line in enrolled.output.splitlines() if line.startswith("otpauth://"))
    stored = _row(db, "dana").totp_secret
    secret = pyotp.parse_uri(uri).secret
    assert stored and secret not in stored  # sealed at rest, opened with the data key
    assert open_totp(stored, get_settings().iin_key.encode()) == secret
    assert open_totp(secret, b"any key") == secret  # a secret enrolled before sealing
    assert runner.invoke(app, ["users", "totp", "dana"]).exit_code != 0  # say which
    assert runner.invoke(app, ["users", "totp", "dana", "--disable"]).exit_code == 0
    assert _row(db, "dana").totp_secret is None
    unlocked = runner.invoke(app, ["users", "unlock", "dana"])
    assert unlocked.exit_code == 0 and "unlocked dana" in unlocked.output
