"""`kezek demo`: the demo registry and network, for a fresh machine (`make run`)."""

from __future__ import annotations

from typing import Any

import typer

from kezek.cli.common import out, run
from kezek.settings import get_settings

demo_app = typer.Typer(help="The demo network.", no_args_is_help=True)


@demo_app.command("load")
def demo_load(if_empty: bool = typer.Option(False, "--if-empty",
                                            help="do nothing if data is present")) -> None:
    """Loads the demo registry and network."""
    from kezek.app import demo

    async def work(session: Any) -> dict[str, int] | None:
        if if_empty and not await demo.is_empty(session):
            return None
        return await demo.load(session, get_settings().iin_key.encode())

    counts = run(work)
    if counts is None:
        out.print("demo data not loaded: the database already holds data")
    else:
        out.print("demo loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
