"""`kezek bookings`: maintenance of the bookings (for cron)."""

from __future__ import annotations

import typer

from kezek.cli.common import out, run

bookings_app = typer.Typer(help="Bookings.", no_args_is_help=True)


@bookings_app.command("expire")
def bookings_expire(grace_minutes: int = 60) -> None:
    """Marks bookings whose time passed without an arrival as expired."""
    from kezek.app.booking import expire_past
    from kezek.store.models import utcnow

    count = run(lambda s: expire_past(s, utcnow(), grace_minutes))
    out.print(f"expired {count} bookings")
