"""`stylekit image`: apply an influencer's look to photos, then personalise them.

The shortcut flags (`--contrast 1.1`, ...) are not written here: every edit a loaded plugin
registers with `shortcut=True` becomes a `--NAME VALUE` flag that sets its first parameter,
applied in registration order before any `--edit`.
"""

from __future__ import annotations

import inspect
import keyword
import warnings
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .common import cli_message, err, parse_options, progress_bar

app = typer.Typer()
P = "Personalise"


def build_recipe(
    recipe_file: Path | None, shortcuts: dict[str, Any], edit: list[str] | None, caption: str | None,
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


def _options(
    inputs: Annotated[list[Path], typer.Argument(help="Photos or folders of photos.", show_default=False)],
    influencer: Annotated[Optional[str], typer.Option("--influencer", "-i", help="Pack name, or a mix like aurora:0.7,noir:0.3.")] = None,
    strength: Annotated[Optional[float], typer.Option("--strength", "-s", help="0 = unchanged, 1 = the look, up to 1.5 exaggerates (default 1).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output file (one input only).")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="Folder for outputs (default: beside each input).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace existing output files.")] = False,
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    option: Annotated[Optional[list[str]], typer.Option("--option", "-O", help="Engine option KEY=VALUE (repeatable; see `stylekit engines`).")] = None,
    region: Annotated[Optional[str], typer.Option("--region", help="Limit the look to a region of the photo (the region edits in `stylekit edits`).", rich_help_panel=P)] = None,
    mask: Annotated[Optional[Path], typer.Option("--mask", help="Limit the look to a greyscale mask image (white = styled).", rich_help_panel=P)] = None,
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
    executor: Annotated[str, typer.Option("--executor", help="local (this process) or ray (a Ray Data pipeline; optional ray extra).")] = "local",
    address: Annotated[Optional[str], typer.Option("--address", help="With --executor ray: join the Ray cluster at this address (default: start a local Ray).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="With --executor ray: at most this many styling workers (a local Ray gets this many CPUs; default: all).")] = None,
) -> None:
    """The fixed parameters of `stylekit image` (its signature only; see `image`)."""


def _shortcut_parameters(taken: set[str]) -> list[inspect.Parameter]:
    """One optional flag per registered shortcut edit, typed like its first parameter."""
    from stylekit.edits import get_shortcut_edits

    try:
        edits = get_shortcut_edits()
    except Exception as exc:  # a broken edit plugin must not take the CLI down
        warnings.warn(f"shortcut edit flags unavailable ({type(exc).__name__}: {exc})", RuntimeWarning, stacklevel=2)
        return []
    kinds = {"float": float, "int": int}
    params = []
    for edit in edits:
        name, first = edit.name, edit.params[0]
        if not name.isidentifier() or keyword.iskeyword(name) or name in taken:
            continue  # it cannot be a flag of its own; `--edit NAME=VALUE` still works
        taken.add(name)
        help_text = f"{edit.description} ({first.name}: {first.range_text()})"
        flag = typer.Option(f"--{name.replace('_', '-')}", help=help_text, rich_help_panel=P, show_default=False)
        annotation = Annotated[Optional[kinds.get(first.kind, str)], flag]
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation))
    return params


def _image(**args: Any) -> None:
    """Apply an influencer's look to photos, then personalise: edits, caption, sticker, frame, avatar.

    Outputs are `<name>_<influencer>.<ext>` beside each input unless -o or --out-dir.
    """
    import stylekit
    from stylekit.recipes import save_recipe as write_recipe

    fixed = set(inspect.signature(_options).parameters)
    shortcuts = {name: value for name, value in args.items() if name not in fixed}
    a = {name: value for name, value in args.items() if name in fixed}
    inputs, influencer, strength = a["inputs"], a["influencer"], a["strength"]
    plan = build_recipe(a["recipe"], shortcuts, a["edit"], a["caption"], a["sticker"], a["overlay"], a["avatar"],
                        a["avatar_size"], a["circle"], a["fallback"], a["region"], a["mask"])
    if a["save_recipe"] is not None:
        from stylekit.imageio import expand_image_paths
        from stylekit.outputs import check_output

        # The recipe never replaces a photo, sticker, mask, recipe or the image output.
        used = [*expand_image_paths(inputs), *(p for p in (a["recipe"], a["sticker"], a["mask"], a["out"]) if p)]
        check_output(a["save_recipe"], a["overwrite"], inputs=used, kind="recipe")
        plan.influencer = influencer if influencer is not None else plan.influencer
        plan.strength = strength if strength is not None else plan.strength
        typer.echo(f"wrote {write_recipe(plan, a['save_recipe'], overwrite=a['overwrite'])}")
    run, extra = stylekit.stylize_images, {}
    if a["executor"] == "ray":
        from stylekit import distributed

        run, extra = distributed.stylize_images, {"address": a["address"], "workers": a["workers"]}
    elif a["executor"] != "local" or a["address"] or a["workers"]:
        from stylekit.errors import UsageError

        raise UsageError(f"--executor is local or ray, got '{a['executor']}'" if a["executor"] != "local"
                         else "--address and --workers belong to --executor ray")
    with progress_bar("stylising", enabled=len(inputs) > 1 or inputs[0].is_dir()) as update:
        result = run(
            inputs, influencer, strength, recipe=plan, out=a["out"], out_dir=a["out_dir"], overwrite=a["overwrite"],
            device=a["device"], progress=update, watermark=a["watermark"], **extra, **parse_options(a["option"]),
        )
    for src, dest in result.written:
        typer.echo(f"wrote {dest}")
    for src, reason in result.failed:
        err(f"failed: {cli_message(reason)}")
    if a["executor"] == "ray":  # the local path prints only failures; a cluster run sums up
        err(f"{len(result.written)} written, {len(result.failed)} failed.")
    if result.failed:
        err(f"{len(result.failed)} of {len(result.failed) + len(result.written)} input(s) failed.")
        raise typer.Exit(code=1)


def with_shortcuts(options: Any, run: Any, name: str) -> Any:
    """A command called `name` whose signature is `options`' parameters with the shortcut
    edit flags listed before --edit (they apply before it), calling `run(**args)`."""
    fixed = list(inspect.signature(options, eval_str=True).parameters.values())
    shortcuts = _shortcut_parameters({p.name for p in fixed})
    at = [p.name for p in fixed].index("edit")
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if i else p for i, p in enumerate(fixed)]
    params = params[:at] + shortcuts + params[at:]

    def command(**args: Any) -> None:
        run(**args)

    command.__name__ = name
    command.__doc__ = run.__doc__
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command


app.command("image")(with_shortcuts(_options, _image, "image"))
