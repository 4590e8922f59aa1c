"""`stylekit train image|text`: learn an influencer's look or voice into their pack."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import cli_message, err, parse_options, progress_bar

app = typer.Typer(help="Learn an influencer's style from their own material.", no_args_is_help=True)

Influencer = Annotated[Optional[str], typer.Option("--influencer", "-i", help="Name of the pack to create or update.", show_default=False)]
Manifest = Annotated[Optional[Path], typer.Option("--manifest", help="A CSV of many jobs, one influencer a row (see docs/cluster.md); instead of --influencer.")]
Executor = Annotated[str, typer.Option("--executor", help="With --manifest: local (one job after another) or ray (Ray tasks; optional ray extra).")]
Address = Annotated[Optional[str], typer.Option("--address", help="With --executor ray: join the Ray cluster at this address (default: start a local Ray).")]
Workers = Annotated[Optional[int], typer.Option("--workers", help="With --executor ray and no --address: CPUs of the local Ray (default: all).")]
Engine = Annotated[Optional[str], typer.Option("--engine", help="Engine to train (default: the installed engine that best fits the material given; see `stylekit engines`).")]
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
    typer.echo(f"trained {modality} style of '{pack.name}' with engine {pack.modalities[modality]['engine']}: {pack.path}")
    for line in pack.report_lines(modality):  # what the engine says it learned, warnings on stderr
        typer.echo(line, err=line.startswith("warning: "))


def _run_manifest(modality: str, manifest: Path, executor: str, address: str | None, workers: int | None,
                  device: str, given: dict) -> None:
    """Train every job of a manifest; one line per job, then a summary; exit 1 if any failed."""
    from stylekit.distributed import train_manifest
    from stylekit.errors import UsageError

    extra = [flag for flag, value in given.items() if value not in (None, False, 0, [])]
    if extra:
        raise UsageError(f"{extra[0]} goes in the manifest's columns with --manifest (see docs/cluster.md)")
    with progress_bar("training jobs") as update:
        results = train_manifest(manifest, modality, executor=executor, address=address, workers=workers,
                                 device=device, progress=update)
    for r in results:
        line = f"{r.status}: {r.influencer}: {cli_message(r.detail)}" + (" (resumed from its checkpoint)" if r.resumed else "")
        (err if r.status == "failed" else typer.echo)(line)
    counts = {s: sum(r.status == s for r in results) for s in ("trained", "skipped", "failed")}
    err(f"{counts['trained']} trained, {counts['skipped']} skipped, {counts['failed']} failed.")
    if counts["failed"]:
        raise typer.Exit(code=1)


def _single(influencer: str | None, executor: str, address: str | None, workers: int | None) -> str:
    from stylekit.errors import UsageError

    if executor != "local" or address or workers:
        raise UsageError("--executor, --address and --workers run a --manifest of many jobs; one job trains here")
    if not influencer:
        raise UsageError("Give --influencer NAME (or --manifest jobs.csv for many)")
    return influencer


@app.command("image")
def train_image(
    influencer: Influencer = None,
    photos: Annotated[Optional[Path], typer.Option("--photos", help="Folder of the influencer's photos, or a video.")] = None,
    lut: Annotated[Optional[Path], typer.Option("--lut", help="A .cube preset to build the look from (instead of --photos).")] = None,
    content: Annotated[Optional[Path], typer.Option("--content", help="Your own ordinary photos (default: bundled set).")] = None,
    engine: Engine = None,
    steps: Steps = None,
    size: Annotated[Optional[int], typer.Option("--size", help="Training crop size in pixels (engine default if unset).")] = None,
    device: Device = "auto",
    seed: Seed = 0,
    resume: Resume = False,
    option: Option = None,
    quick: Annotated[bool, typer.Option("--quick", help="Estimate the look in about a second, without adversarial training (-O quick=true).")] = False,
    overwrite: Overwrite = False,
    consent_by: ConsentBy = None,
    consent: ConsentText = None,
    licence: Licence = None,
    manifest: Manifest = None,
    executor: Executor = "local",
    address: Address = None,
    workers: Workers = None,
) -> None:
    """Learn a look from photos (or a .cube preset); many looks from a --manifest."""
    import stylekit

    if manifest is not None:
        given = {"--influencer": influencer, "--photos": photos, "--lut": lut, "--content": content, "--engine": engine,
                 "--steps": steps, "--size": size, "--seed": seed, "--resume": resume, "--option": option, "--quick": quick,
                 "--overwrite": overwrite, "--consent-by": consent_by, "--consent": consent, "--licence": licence}
        return _run_manifest("image", manifest, executor, address, workers, device, given)
    influencer = _single(influencer, executor, address, workers)
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
    influencer: Influencer = None,
    posts: Annotated[Optional[Path], typer.Option("--posts", help="The influencer's posts: .txt (one a line), .jsonl or .csv.", show_default=False)] = None,
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
    manifest: Manifest = None,
    executor: Executor = "local",
    address: Address = None,
    workers: Workers = None,
) -> None:
    """Learn a voice from posts; many voices from a --manifest."""
    import stylekit

    if manifest is not None:
        given = {"--influencer": influencer, "--posts": posts, "--background": background, "--base-model": base_model,
                 "--engine": engine, "--steps": steps, "--seed": seed, "--resume": resume, "--option": option,
                 "--overwrite": overwrite, "--consent-by": consent_by, "--consent": consent, "--licence": licence}
        return _run_manifest("text", manifest, executor, address, workers, device, given)
    influencer = _single(influencer, executor, address, workers)
    if posts is None:
        from stylekit.errors import UsageError

        raise UsageError("Give --posts PATH, a file of the influencer's posts (.txt, .jsonl or .csv)")

    with progress_bar("training") as update:
        pack = stylekit.train(
            "text", influencer, engine=engine, posts=posts, background=background, base_model=base_model,
            steps=steps, device=device, seed=seed, resume=resume, options=parse_options(option),
            overwrite=overwrite, consent=_consent(consent_by, consent), licence=licence, progress=update,
        )
    _report(pack, "text")
