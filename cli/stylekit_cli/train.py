"""`stylekit train image|text`: learn an influencer's look or voice into their pack."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import parse_options, progress_bar

app = typer.Typer(help="Learn an influencer's style from their own material.", no_args_is_help=True)

Influencer = Annotated[str, typer.Option("--influencer", "-i", help="Name of the pack to create or update.")]
Engine = Annotated[Optional[str], typer.Option("--engine", help="Engine to train (see `stylekit engines`).")]
Steps = Annotated[Optional[int], typer.Option("--steps", help="Training steps (engine default if unset).")]
Device = Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed.")]
Resume = Annotated[bool, typer.Option("--resume", help="Continue an interrupted run.")]
Option = Annotated[Optional[list[str]], typer.Option("--option", "-O", help="Engine option KEY=VALUE (repeatable).")]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Replace an existing style of this modality.")]
ConsentBy = Annotated[Optional[str], typer.Option("--consent-by", help="Who granted use of this style.")]
ConsentText = Annotated[Optional[str], typer.Option("--consent", help="The consent statement.")]
Licence = Annotated[Optional[str], typer.Option("--licence", help="Licence of the pack, e.g. CC-BY-4.0.")]


def _consent(by: str | None, statement: str | None) -> dict[str, str] | None:
    if not by and not statement:
        return None
    from stylekit.packs import now_iso

    return {"granted_by": by or "", "statement": statement or "", "date": now_iso()}


def _report(pack, modality: str) -> None:
    import json

    typer.echo(f"trained {modality} style of '{pack.name}' with engine {pack.modalities[modality]['engine']}: {pack.path}")
    metrics = pack.path / modality / "metrics.json"
    report = json.loads(metrics.read_text(encoding="utf-8")).get("report") if metrics.is_file() else None
    if report:  # what the engine says it learned: the look in words, a confidence, warnings
        if report.get("look"):
            typer.echo(f"look: {', '.join(report['look'])}")
        if "confidence" in report:
            typer.echo(
                f"confidence: {report['confidence']} (bootstrap spread {report.get('bootstrap_spread_cie76')} "
                f"of a look of {report.get('look_size_cie76')} CIE76)"
            )
        for warning in report.get("warnings", []):
            typer.echo(f"warning: {warning}", err=True)


@app.command("image")
def train_image(
    influencer: Influencer,
    photos: Annotated[Optional[Path], typer.Option("--photos", help="Folder of the influencer's photos, or a video.")] = None,
    lut: Annotated[Optional[Path], typer.Option("--lut", help="A .cube preset to build the look from (instead of --photos).")] = None,
    content: Annotated[Optional[Path], typer.Option("--content", help="Your own ordinary photos (default: bundled set).")] = None,
    engine: Engine = None,
    steps: Steps = None,
    size: Annotated[Optional[int], typer.Option("--size", help="Training crop size in pixels.")] = None,
    device: Device = "auto",
    seed: Seed = 0,
    resume: Resume = False,
    option: Option = None,
    quick: Annotated[bool, typer.Option("--quick", help="Estimate the look in about a second, without adversarial training (-O quick=true).")] = False,
    overwrite: Overwrite = False,
    consent_by: ConsentBy = None,
    consent: ConsentText = None,
    licence: Licence = None,
) -> None:
    """Learn a look from photos (or a .cube preset)."""
    import stylekit

    if quick:
        option = [*(option or []), "quick=true"]

    with progress_bar("training") as update:
        pack = stylekit.train(
            "image", influencer, engine=engine, photos=photos, lut=lut, content=content, steps=steps, size=size,
            device=device, seed=seed, resume=resume, options=parse_options(option), overwrite=overwrite,
            consent=_consent(consent_by, consent), licence=licence, progress=update,
        )
    _report(pack, "image")


@app.command("text")
def train_text(
    influencer: Influencer,
    posts: Annotated[Path, typer.Option("--posts", help="The influencer's posts: .txt (one a line), .jsonl or .csv.")],
    background: Annotated[Optional[Path], typer.Option("--background", help="Neutral sentences (default: bundled corpus).")] = None,
    base_model: Annotated[Optional[Path], typer.Option("--base-model", help="A local T5/BART folder to fine-tune.")] = None,
    engine: Engine = None,
    steps: Steps = None,
    device: Device = "auto",
    seed: Seed = 0,
    resume: Resume = False,
    option: Option = None,
    overwrite: Overwrite = False,
    consent_by: ConsentBy = None,
    consent: ConsentText = None,
    licence: Licence = None,
) -> None:
    """Learn a voice from posts."""
    import stylekit

    with progress_bar("training") as update:
        pack = stylekit.train(
            "text", influencer, engine=engine, posts=posts, background=background, base_model=base_model,
            steps=steps, device=device, seed=seed, resume=resume, options=parse_options(option),
            overwrite=overwrite, consent=_consent(consent_by, consent), licence=licence, progress=update,
        )
    _report(pack, "text")
