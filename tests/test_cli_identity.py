"""`kezek identity`: numbers registered from a file (all or nothing), and the policy."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from sqlalchemy import select

from kezek.cli import app
from kezek.core.identity import phone_digest
from kezek.core.privacy import iin_digest
from kezek.settings import get_settings
from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models_identity import IdentityPhoneRow
from tests.test_cli import db, runner  # noqa: F401  (the fixture)


def _phones(db_path: Path) -> list[tuple[str, str, str]]:
    async def read() -> list[tuple[str, str, str]]:
        engine = make_engine(f"sqlite:///{db_path}")
        try:
            async with make_sessionmaker(engine)() as s:
                rows = (await s.scalars(select(IdentityPhoneRow))).all()
                return [(r.iin_hash, r.phone_hash, r.source) for r in rows]
        finally:
            await engine.dispose()
    return asyncio.run(read())


def test_import_registers_every_line_or_none(db: Path, tmp_path: Path) -> None:  # noqa: F811
    bad = tmp_path / "bad.csv"
    bad.write_text("iin,phone\n550312400125,+7 701 000 00 01\n550312400126,87010000002\n",
                   encoding="utf-8")
    refused = runner.invoke(app, ["identity", "import", str(bad)])
    assert refused.exit_code == 1 and "line 3: invalid IIN 55********26" in refused.output
    assert "550312400126" not in refused.output
    assert _phones(db) == []  # the good first line was not written either
    phone = tmp_path / "phone.csv"
    phone.write_text("iin,phone\n550312400125,12345\n", encoding="utf-8")
    assert "line 2: invalid phone number" in runner.invoke(
        app, ["identity", "import", str(phone)]).output
    header = tmp_path / "header.csv"
    header.write_text("phone,iin\n", encoding="utf-8")
    assert "header iin,phone" in runner.invoke(app, ["identity", "import", str(header)]).output
    missing = runner.invoke(app, ["identity", "import", str(tmp_path / "none.csv")])
    assert missing.exit_code == 1 and "cannot read" in missing.output

    good = tmp_path / "good.csv"
    good.write_text("iin,phone\n550312400125,+7 701 000 00 01\n\n850715400238,87020000002\n",
                    encoding="utf-8")
    done = runner.invoke(app, ["identity", "import", str(good)])
    assert done.exit_code == 0 and "from 2 line(s)" in done.output, done.output
    key = get_settings().iin_key.encode()
    assert sorted(_phones(db)) == sorted([
        (iin_digest("550312400125", key), phone_digest("+77010000001", key), "import"),
        (iin_digest("850715400238", key), phone_digest("+77020000002", key), "import")])
    again = runner.invoke(app, ["identity", "import", str(good)])  # idempotent
    assert again.exit_code == 0 and len(_phones(db)) == 2


def test_policy_shows_and_changes_with_checks(db: Path) -> None:  # noqa: F811
    shown = runner.invoke(app, ["identity", "policy"])
    assert shown.exit_code == 0 and json.loads(shown.output)["mode"] == "otp"
    changed = runner.invoke(app, ["identity", "policy", "--mode", "none",
                                  "--no-first-use-binding", "--proof-minutes", "15"])
    assert changed.exit_code == 0, changed.output
    policy = json.loads(changed.output)
    assert (policy["mode"], policy["first_use_binding"], policy["proof_minutes"]) == (
        "none", False, 15)
    bad = runner.invoke(app, ["identity", "policy", "--mode", "sometimes"])
    assert bad.exit_code == 1 and "mode must be otp or none" in bad.output
    assert json.loads(runner.invoke(app, ["identity", "policy"]).output)["mode"] == "none"


def test_the_demo_ships_people_to_try(db: Path) -> None:  # noqa: F811
    loaded = runner.invoke(app, ["demo", "load"])
    assert loaded.exit_code == 0 and "people 20" in loaded.output, loaded.output
    assert {source for _, _, source in _phones(db)} == {"import"} and len(_phones(db)) == 20
