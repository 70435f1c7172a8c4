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
    """Loads the demo registry and network, and outside production the demo staff
    accounts and a day of bookings and tickets at the demo centre; prints the accounts."""
    from kezek.app import demo, demo_day

    env = get_settings().env

    async def work(session: Any) -> tuple[dict[str, int] | None, list[Any]]:
        counts = None
        if not if_empty or await demo.is_empty(session):
            counts = await demo.load(session, get_settings().iin_key.encode(), env)
        return counts, await demo_day.existing_accounts(session)

    counts, accounts = run(work)
    if counts is None:
        out.print("demo data not loaded: the database already holds data")
    else:
        out.print("demo loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if env == "production":
        out.print("demo accounts are never created in production")
    elif accounts:
        out.print(f"demo accounts (centre {demo_day.DEMO_CENTER}; sign in at /staff/login):")
        for a in accounts:
            out.print(f"  {a.username:<16} {a.password:<26} {a.role.value:<12} {a.what}",
                      markup=False, highlight=False)
