"""`stylekit post`: a ready-to-share post card in an influencer's look and voice."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the `post` command."""

    @app.command("post")
    def post(
        photo: Annotated[Path, typer.Argument(help="Your photo.")],
        influencer: Annotated[str, typer.Option("--influencer", "-i", help="Pack name (or a mix for the look).")],
        caption: Annotated[str, typer.Option("--caption", help="Your caption; it is rewritten in the influencer's voice.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Output image (.jpg or .png).")],
        layout: Annotated[str, typer.Option("--layout", help="square (1080x1080), story (1080x1920) or both.")] = "square",
        strength: Annotated[float, typer.Option("--strength", "-s", help="Strength of look and voice.")] = 1.0,
        seed: Annotated[int, typer.Option("--seed", help="Random seed for the caption.")] = 0,
        overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace existing output files.")] = False,
        device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    ) -> None:
        """Stylise a photo, rewrite its caption in the influencer's voice, compose a post card; print the caption."""
        import stylekit
        from stylekit.api import provenance
        from stylekit.errors import UsageError
        from stylekit.imageio import check_writable, save_image

        layouts = ["square", "story"] if layout == "both" else [layout]
        if layout not in ("square", "story", "both"):
            raise UsageError(f"Unknown layout '{layout}'; use square, story or both")
        targets = [out] if len(layouts) == 1 else [out.with_name(f"{out.stem}_{name}{out.suffix}") for name in layouts]
        for target in targets:
            check_writable(target, overwrite)
        for name, target in zip(layouts, targets):
            card = stylekit.make_post(photo, influencer, caption, layout=name, strength=strength, seed=seed, device=device)
            meta = provenance(influencer, "image", strength, layout=name, caption=card.caption, source=photo.name)
            save_image(target, card.image, provenance=meta, overwrite=overwrite)
            typer.echo(f"wrote {target}", err=True)
        typer.echo(card.caption)
