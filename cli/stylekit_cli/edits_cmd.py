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
    params = [p for row in rows for p in row["params"]]
    # columns as wide as their longest entry, up to 32 (a longer one pushes only its own row)
    widths = [min(32, max((len(text) for text in column), default=0)) for column in
              ([p["name"] for p in params], [p["range"] for p in params], [repr(p["neutral"]) for p in params])]
    typer.echo(f"    {'parameter':<{widths[0]}}  {'range':<{widths[1]}}  {'neutral':<{widths[2]}}  description")
    for row in rows:
        typer.echo(f"{row['name']} [{row['kind']}]: {row['description']}")
        for param in row["params"]:
            typer.echo(f"    {param['name']:<{widths[0]}}  {param['range']:<{widths[1]}}  "
                       f"{param['neutral']!r:<{widths[2]}}  {param['description']}")
