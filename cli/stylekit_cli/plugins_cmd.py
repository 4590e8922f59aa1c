"""`stylekit plugins` and `stylekit engines`: what is installed, and what failed to load."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import print_json


def register(app: typer.Typer) -> None:
    """Add the `plugins` and `engines` commands."""

    @app.command("plugins")
    def plugins(
        show_all: Annotated[bool, typer.Option("--all", help="Also list plugins skipped by STYLEKIT_LOAD_PLUGINS.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List plugins: name, version, hooks, and load errors."""
        from stylekit.plugins import get_plugins

        infos = get_plugins(include_skipped=show_all)
        if as_json:
            print_json([i.as_dict() for i in infos])
            return
        for info in infos:
            version = f" {info.version}" if info.version else ""
            dist = f" ({info.distribution}{version})" if info.distribution else ""
            typer.echo(f"{info.name}{dist}: {info.status}")
            if info.hooks:
                typer.echo(f"  hooks: {', '.join(info.hooks)}")
            if info.error:
                typer.echo(f"  error: {info.error}")

    @app.command("engines")
    def engines(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
        """List the style-transfer engines that loaded plugins register."""
        from stylekit.engines import get_engines

        rows = [{"name": n, "modality": e.modality, "description": e.description} for n, e in get_engines().items()]
        if as_json:
            print_json(rows)
            return
        for row in rows:
            typer.echo(f"{row['name']} [{row['modality']}]: {row['description']}")
