"""`stylekit image`: apply an influencer's look to photos, then personalise them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import err, parse_options, progress_bar

# Shortcut flags for the common adjustments, applied in this order before any --edit.
SHORTCUTS = ("exposure", "brightness", "contrast", "saturation", "vibrance", "temperature", "tint", "hue_shift",
             "gamma", "sharpness", "blur", "vignette", "grain")
P = "Personalise"


def _flag(name: str, help: str):
    return Annotated[Optional[float], typer.Option(f"--{name.replace('_', '-')}", help=help, rich_help_panel=P)]


def build_recipe(
    recipe_file: Path | None, shortcuts: dict[str, float | None], edit: list[str] | None, caption: str | None,
    sticker: Path | None, overlay: list[str] | None, avatar: bool, avatar_size: int, circle: bool, fallback: str,
    region: str | None, mask: Path | None,
):
    """A `Recipe` from --recipe, or from the personalisation flags (not both)."""
    from stylekit.edits import parse_edit
    from stylekit.errors import UsageError
    from stylekit.recipes import Recipe, Step, load_recipe

    steps = [Step(*parse_edit(f"{name}={value}")) for name, value in shortcuts.items() if value is not None]
    steps += [Step(*parse_edit(text)) for text in edit or []]
    overlays = [Step("caption", {"text": caption})] if caption else []
    overlays += [Step("sticker", {"path": str(sticker)})] if sticker else []
    overlays += [Step(*parse_edit(text)) for text in overlay or []]
    avatar_params = {"size": avatar_size, "circle": circle, "fallback": fallback} if avatar else None
    if (circle or fallback != "none") and not avatar:
        raise UsageError("--circle and --fallback shape an avatar; add --avatar")
    if recipe_file is not None:
        if steps or overlays or avatar_params or region or mask:
            raise UsageError("--recipe replays a saved recipe; drop the edit, overlay, avatar and region flags")
        return load_recipe(recipe_file)
    return Recipe(edits=steps, overlays=overlays, avatar=avatar_params, region=region or "", mask=str(mask) if mask else "")


def register(app: typer.Typer) -> None:
    """Add the `image` command."""

    @app.command("image")
    def image(
        inputs: Annotated[list[Path], typer.Argument(help="Photos or folders of photos.", show_default=False)],
        influencer: Annotated[Optional[str], typer.Option("--influencer", "-i", help="Pack name, or a mix like aurora:0.7,noir:0.3.")] = None,
        strength: Annotated[Optional[float], typer.Option("--strength", "-s", help="0 = unchanged, 1 = the look, up to 1.5 exaggerates. [default: 1]")] = None,
        out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output file (one input only).")] = None,
        out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="Folder for outputs (default: beside each input).")] = None,
        overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace existing output files.")] = False,
        device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
        option: Annotated[Optional[list[str]], typer.Option("--option", "-O", help="Engine option KEY=VALUE (repeatable).")] = None,
        region: Annotated[Optional[str], typer.Option("--region", help="Limit the look to face, person, background or clothes.", rich_help_panel=P)] = None,
        mask: Annotated[Optional[Path], typer.Option("--mask", help="Limit the look to a greyscale mask image (white = styled).", rich_help_panel=P)] = None,
        exposure: _flag("exposure", "Exposure in stops.") = None,
        brightness: _flag("brightness", "Add to every channel (-1..1).") = None,
        contrast: _flag("contrast", "Contrast factor around mid-grey (1 = unchanged).") = None,
        saturation: _flag("saturation", "Saturation factor (1 = unchanged).") = None,
        vibrance: _flag("vibrance", "Boost muted colours more than vivid ones.") = None,
        temperature: _flag("temperature", "Warm (+) or cool (-).") = None,
        tint: _flag("tint", "Magenta (+) or green (-).") = None,
        hue_shift: _flag("hue_shift", "Rotate hues by degrees.") = None,
        gamma: _flag("gamma", "Gamma (1 = unchanged).") = None,
        sharpness: _flag("sharpness", "Unsharp-mask amount.") = None,
        blur: _flag("blur", "Gaussian blur sigma in pixels.") = None,
        vignette: _flag("vignette", "Darken the corners (0..1).") = None,
        grain: _flag("grain", "Film grain amount (seeded, reproducible).") = None,
        edit: Annotated[Optional[list[str]], typer.Option("--edit", "-e", help="Any edit, e.g. 'crop:left=0.1' (repeatable; see `stylekit edits`).", rich_help_panel=P)] = None,
        caption: Annotated[Optional[str], typer.Option("--caption", help="Caption text (emoji and CJK welcome).", rich_help_panel=P)] = None,
        sticker: Annotated[Optional[Path], typer.Option("--sticker", help="A PNG sticker with transparency.", rich_help_panel=P)] = None,
        overlay: Annotated[Optional[list[str]], typer.Option("--overlay", help="Any overlay, e.g. 'frame:width=0.03,radius=0.05' (repeatable).", rich_help_panel=P)] = None,
        avatar: Annotated[bool, typer.Option("--avatar", help="Square crop around the main face.", rich_help_panel=P)] = False,
        avatar_size: Annotated[int, typer.Option("--avatar-size", help="Avatar side: 128, 256, 512 or 1024.", rich_help_panel=P)] = 512,
        circle: Annotated[bool, typer.Option("--circle", help="Transparent circular avatar (PNG).", rich_help_panel=P)] = False,
        fallback: Annotated[str, typer.Option("--fallback", help="No face found: 'none' (fail) or 'center' (centred crop).", rich_help_panel=P)] = "none",
        recipe: Annotated[Optional[Path], typer.Option("--recipe", help="Replay a saved recipe (TOML).", rich_help_panel=P)] = None,
        save_recipe: Annotated[Optional[Path], typer.Option("--save-recipe", help="Save this command's settings as a recipe.", rich_help_panel=P)] = None,
        watermark: Annotated[bool, typer.Option("--watermark", help="Add an invisible 'stylekit' mark (optional invisible-watermark library).")] = False,
    ) -> None:
        """Apply an influencer's look to photos, then personalise: edits, caption, sticker, frame, avatar.

        Outputs are `<name>_<influencer>.<ext>` beside each input unless -o or --out-dir.
        """
        import stylekit
        from stylekit.recipes import save_recipe as write_recipe

        shortcuts = dict(zip(SHORTCUTS, (exposure, brightness, contrast, saturation, vibrance, temperature, tint,
                                         hue_shift, gamma, sharpness, blur, vignette, grain)))
        plan = build_recipe(recipe, shortcuts, edit, caption, sticker, overlay, avatar, avatar_size, circle, fallback, region, mask)
        if save_recipe is not None:
            plan.influencer = influencer if influencer is not None else plan.influencer
            plan.strength = strength if strength is not None else plan.strength
            typer.echo(f"wrote {write_recipe(plan, save_recipe, overwrite=overwrite)}")
        with progress_bar("stylising", enabled=len(inputs) > 1 or inputs[0].is_dir()) as update:
            result = stylekit.stylize_images(
                inputs, influencer, strength, recipe=plan, out=out, out_dir=out_dir, overwrite=overwrite,
                device=device, progress=update, watermark=watermark, **parse_options(option),
            )
        for src, dest in result.written:
            typer.echo(f"wrote {dest}")
        for src, reason in result.failed:
            err(f"failed: {reason}")
        if result.failed:
            err(f"{len(result.failed)} of {len(result.failed) + len(result.written)} input(s) failed.")
            raise typer.Exit(code=1)
