"""`kezek identity`: the network's identity rules, and numbers registered from a file.

An IIN never goes on the command line (it would sit in the shell's history and in the
process list): numbers are registered from a file (`import`), or by staff at a centre.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from kezek.cli.common import fail, out, run, whoami

identity_app = typer.Typer(help="Proof of identity: the policy and registered numbers.",
                           no_args_is_help=True)


def _actor() -> Any:
    from kezek.app.actor import Actor

    return Actor("cli:" + whoami())


@identity_app.command("import")
def identity_import(path: Path = typer.Argument(..., help="CSV with the header iin,phone")
                    ) -> None:
    """Registers numbers to IINs from a CSV file: all lines or, on one bad line, none."""
    from kezek.app.actor import Channel
    from kezek.app.identity import phone_import
    from kezek.settings import get_settings

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text")
    key = get_settings().iin_key.encode()

    async def work(session: Any) -> int:
        return await phone_import.load(session, text, key, _actor(), Channel.CLI)

    out.print(f"registered numbers from {run(work)} line(s)")


@identity_app.command("policy")
def identity_policy(
        mode: str | None = typer.Option(None, help="otp (the default) or none"),
        first_use_binding: bool | None = typer.Option(
            None, "--first-use-binding/--no-first-use-binding",
            help="may a number proven by a code bind to an IIN that has none"),
        max_iins_per_phone: int | None = typer.Option(None, help="1 to 10"),
        proof_minutes: int | None = typer.Option(None, help="5 to 240"),
) -> None:
    """Shows the network's identity policy; with options, changes those fields."""
    from kezek.app.actor import Channel
    from kezek.app.identity import policy_store

    changes = {k: v for k, v in (("mode", mode), ("first_use_binding", first_use_binding),
                                 ("max_iins_per_phone", max_iins_per_phone),
                                 ("proof_minutes", proof_minutes)) if v is not None}

    async def work(session: Any) -> dict[str, Any]:
        if changes:
            return (await policy_store.change(session, changes, _actor(),
                                              Channel.CLI)).to_dict()
        return (await policy_store.current(session)).to_dict()

    out.print_json(json.dumps(run(work)))
