"""`stylekit plugins` and `stylekit engines`: what is installed, and what failed to load."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import print_json

app = typer.Typer()
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("plugins")
def plugins(
    show_all: Annotated[bool, typer.Option("--all", help="Also list plugins skipped by STYLEKIT_LOAD_PLUGINS.")] = False,
    as_json: AsJson = False,
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
def engines(as_json: AsJson = False) -> None:
    """List the style-transfer engines of loaded plugins: inputs, options, abilities, defaults."""
    from stylekit.engines import describe_engine, get_default_engine, get_engines

    rows = [describe_engine(e) for e in get_engines().values()]
    if as_json:
        print_json(rows)
        return
    defaults = set()
    for modality in {row["modality"] for row in rows}:
        defaults.add(get_default_engine(modality).name)
    for row in rows:
        marks = [m for m, on in (("default", row["name"] in defaults), ("mix", row["can_mix"]),
                                 ("lut", row["can_export_lut"])) if on]
        typer.echo(f"{row['name']} [{row['modality']}{', ' + ', '.join(marks) if marks else ''}]: {row['description']}")
        typer.echo(f"  learns from: {', '.join('--' + i for i in row['inputs'])}")
        for kind in ("train", "apply"):
            for option in row[f"{kind}_options"]:
                choices = f" ({'|'.join(map(str, option['choices']))})" if "choices" in option else ""
                default = f", default {option['default']}" if option["default"] is not None else ""
                typer.echo(f"  -O {option['name']}={option['type']}{choices}  [{kind}{default}] {option['help']}")
