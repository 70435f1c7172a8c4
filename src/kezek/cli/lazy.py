"""Sub-commands of `kezek` whose modules load only when that sub-command runs.

`kezek data`, `report`, `plan`, `whatif` and `jobs` pull in DuckDB, numpy, scipy,
matplotlib, the simulation and huey: seconds of import that `kezek --help`, `kezek serve`
or `kezek iin check` must not pay (ADR 0016). The group lists them by name and one-line
help (kept here, next to the module that holds each), and imports the real command only
when click resolves it to run; a listing or `--help` of the top level never does.
"""

from __future__ import annotations

import importlib

import typer

# Typer 0.29 carries its own copy of click: its types, not the click package's, are the
# ones its groups and commands are made of.
from typer._click.core import Command, Context
from typer.core import TyperCommand, TyperGroup

# name -> (module, attribute, one-line help). The help repeats the sub-app's own; the
# test in tests/test_cli_lazy.py checks the two stay the same.
LAZY: dict[str, tuple[str, str, str]] = {
    "data": ("kezek.cli.data", "data_app", "National data sets and statistics."),
    "report": ("kezek.cli.data", "report",
               "Writes an HTML report with charts and a CSV per table."),
    "plan": ("kezek.cli.plan", "plan_app", "Network planning: where new centres should open."),
    "jobs": ("kezek.cli.jobs", "jobs_app",
             "Background jobs: booking reminders and the waitlist."),
    "whatif": ("kezek.cli.whatif", "whatif_app",
               "What-if runs: change the network, simulate, compare."),
}


def load(name: str) -> Command:
    """The real click command for a lazy name: imports its module."""
    module, attribute, _ = LAZY[name]
    target = getattr(importlib.import_module(module), attribute)
    command: Command
    if isinstance(target, typer.Typer):
        command = typer.main.get_command(target)
    else:  # a plain function: wrap it as a one-command Typer app
        single = typer.Typer(add_completion=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """A Typer group that lists the lazy sub-commands and imports one only to run it."""

    def list_commands(self, ctx: Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY})

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY:
            # A placeholder for listings: its name and help, nothing imported.
            return TyperCommand(cmd_name, help=LAZY[cmd_name][2])
        return command

    def resolve_command(self, ctx: Context, args: list[str]
                        ) -> tuple[str | None, Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name in LAZY and name not in self.commands:
            command = self.commands[name] = load(name)
        return name, command, rest
