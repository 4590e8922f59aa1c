"""The hooks a stylekit plugin can implement. Each receives a `register` callback
(or the Typer app) rather than returning values, so hooks can grow keyword
arguments without breaking older plugins. The `register_*` hooks run once per process
(`stylekit.plugins.hook_results` caches what they register)."""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("stylekit")
hookimpl = pluggy.HookimplMarker("stylekit")


@hookspec
def register_transfers(register: Any) -> None:
    """Register engines: call `register(EngineClass)` for each `StyleTransfer` subclass
    (its class attributes declare inputs, options, priority and abilities)."""


@hookspec
def register_edits(register: Any) -> None:
    """Register personalisation edits: call `register(Edit(...))` for each edit, overlay,
    avatar crop or region mask (`shortcut=True` also makes it a `stylekit image` flag)."""


@hookspec
def register_packs(register: Any) -> None:
    """Register bundled, read-only style packs: call `register(path_to_pack_dir)` for each."""


@hookspec
def register_commands(app: Any) -> None:
    """Add CLI commands to the `typer.Typer` app (use the public Typer API only)."""
