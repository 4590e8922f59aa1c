"""`stylekit recommend`: which installed influencer is most like you."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import err, print_json

app = typer.Typer()


@app.command("recommend")
def recommend(
    photos: Annotated[Optional[Path], typer.Option("--photos", help="A folder of your own photos.")] = None,
    posts: Annotated[Optional[Path], typer.Option("--posts", help="Your posts: .txt, .jsonl or .csv.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank installed influencers by how close their style is to your photos and posts."""
    import stylekit

    result = stylekit.recommend(photos=photos, posts=posts)
    for warning in result.warnings:
        err(f"Warning: {warning}")
    if as_json:
        print_json({"matches": [m.__dict__ for m in result.matches], "margin": result.margin, "warnings": result.warnings})
        return
    for rank, match in enumerate(result.matches, 1):
        parts = [f"{k} {v:.3f}" for k, v in (("look", match.look), ("voice", match.voice)) if v is not None]
        typer.echo(f"{rank}. {match.name:<16} score {match.score:.3f}  ({', '.join(parts)})")
    if result.margin is not None:
        typer.echo(f"margin to the runner-up: {result.margin:.3f}")
