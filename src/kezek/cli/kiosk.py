"""`kezek kiosk`: enrol a self check-in kiosk for a centre, list and revoke kiosks.

`enrol` prints a one-time code and link (30 minutes) that the kiosk device opens once to
receive its own credential, bound to that centre (ADR 0035). Changes are audited with
the actor `cli:<operating-system user>`.
"""

from __future__ import annotations

from typing import Any

import typer

from kezek.cli.common import fail, out, run, whoami

kiosk_app = typer.Typer(help="Self check-in kiosks.", no_args_is_help=True)


async def _centre_id(session: Any, slug: str) -> int:
    from sqlalchemy import select

    from kezek.store.models import CenterRow

    found = await session.scalar(select(CenterRow.id).where(CenterRow.slug == slug))
    if found is None:
        fail(f"no such centre: {slug}")
    return int(found)


@kiosk_app.command("enrol")
def kiosk_enrol(centre: str = typer.Option(..., "--centre", "--center",
                                           help="the centre's slug")) -> None:
    """Prints a one-time enrolment code and link for a kiosk of the centre."""
    from kezek.app import kiosk_devices
    from kezek.app.actor import Actor, Channel
    from kezek.settings import get_settings

    async def work(session: Any) -> str:
        cid = await _centre_id(session, centre)
        return await kiosk_devices.start_enrolment(session, cid, Actor("cli:" + whoami()),
                                                   Channel.CLI)

    code = run(work)
    url = f"{get_settings().public_url.rstrip('/')}/kiosk/enrol"
    out.print(f"code {code} (once, within 30 minutes)")
    out.print(f"link {url}?code={code}")


@kiosk_app.command("list")
def kiosk_list(centre: str = typer.Option(..., "--centre", "--center")) -> None:
    """The centre's kiosks: id, enrolled when and by whom, revoked when."""
    from kezek.app import kiosk_devices

    async def work(session: Any) -> list[Any]:
        return await kiosk_devices.devices_of(session, await _centre_id(session, centre))

    for d in run(work):
        out.print(f"{d.id}\t{d.enrolled_at}\t{d.enrolled_by}\t{d.revoked_at or 'live'}",
                  highlight=False)


@kiosk_app.command("revoke")
def kiosk_revoke(device: str, centre: str = typer.Option(..., "--centre", "--center")) -> None:
    """Revokes a kiosk: it is refused from its next request."""
    from kezek.app import kiosk_devices
    from kezek.app.actor import Actor, Channel

    async def work(session: Any) -> bool:
        cid = await _centre_id(session, centre)
        return await kiosk_devices.revoke(session, cid, device, Actor("cli:" + whoami()),
                                          Channel.CLI)

    if not run(work):
        fail(f"no such kiosk at {centre}: {device}")
    out.print(f"revoked {device}")
