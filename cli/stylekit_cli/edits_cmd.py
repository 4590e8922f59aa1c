"""`stylekit edits`: the personalisation edits that loaded plugins offer."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import print_json

app = typer.Typer()


@app.command("edits")
def edits(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List edits and overlays with their parameters, ranges and neutral values."""
    from stylekit.edits import describe_edits

    rows = describe_edits()
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['name']} [{row['kind']}]: {row['description']}")
        for param in row["params"]:
            typer.echo(f"    {param['name']:<14} {param['range']:<28} neutral {param['neutral']!r}  {param['description']}")
