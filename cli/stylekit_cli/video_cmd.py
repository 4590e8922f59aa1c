"""`stylekit video`, `stylekit live` and `stylekit sheet`: a look on clips, on live frames,
and every look on one picture. PyAV and the look are imported inside the commands."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .common import err, parse_options, progress_bar
from .image import P, build_recipe, with_shortcuts

app = typer.Typer()


def _video_options(
    input: Annotated[Path, typer.Argument(help="Video file (MP4, MOV, MKV, WebM, AVI...).", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output video; the extension picks the codec (.mp4/.mov/.mkv: H.264, .webm: VP9). Default: INPUT_<influencer>.mp4 beside the input.")] = None,
    influencer: Annotated[Optional[str], typer.Option("--influencer", "-i", help="Pack name, or a mix like aurora:0.7,noir:0.3.")] = None,
    strength: Annotated[Optional[float], typer.Option("--strength", "-s", help="0 = unchanged, 1 = the look, up to 1.5 exaggerates. [default: 1]")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing output file.")] = False,
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    option: Annotated[Optional[list[str]], typer.Option("--option", "-O", help="Engine option KEY=VALUE (repeatable; see `stylekit engines`).")] = None,
    smooth: Annotated[float, typer.Option("--smooth", help="Share of image-adaptive state (region masks, adaptive looks) kept from frame to frame; 0 = off. Resets at scene cuts.")] = 0.85,
    region_every: Annotated[int, typer.Option("--region-every", help="Frames between two searches for the --region (face detection + GrabCut, about a second each); also at scene cuts.", rich_help_panel=P)] = 10,
    crf: Annotated[int, typer.Option("--crf", help="Quality, 0 (best) to 51; 18 is visually lossless.")] = 18,
    lossless: Annotated[bool, typer.Option("--lossless", help="Lossless RGB H.264 (large files; for checking colours).")] = False,
    region: Annotated[Optional[str], typer.Option("--region", help="Limit the look to a region, found on every frame and smoothed over time.", rich_help_panel=P)] = None,
    mask: Annotated[Optional[Path], typer.Option("--mask", help="Limit the look to a greyscale mask image (white = styled), resized to the frame.", rich_help_panel=P)] = None,
    edit: Annotated[Optional[list[str]], typer.Option("--edit", "-e", help="Any edit, e.g. 'grain:amount=0.04' (repeatable; see `stylekit edits`).", rich_help_panel=P)] = None,
    caption: Annotated[Optional[str], typer.Option("--caption", help="Caption text on every frame.", rich_help_panel=P)] = None,
    sticker: Annotated[Optional[Path], typer.Option("--sticker", help="A PNG sticker with transparency, on every frame.", rich_help_panel=P)] = None,
    overlay: Annotated[Optional[list[str]], typer.Option("--overlay", help="Any overlay, e.g. 'frame:width=0.03' (repeatable).", rich_help_panel=P)] = None,
    recipe: Annotated[Optional[Path], typer.Option("--recipe", help="Replay a saved recipe (TOML) on every frame.", rich_help_panel=P)] = None,
) -> None:
    """The fixed parameters of `stylekit video` (its signature only; see `video`)."""


def _video(**args: Any) -> None:
    """Put an influencer's look on every frame of a video: sound, frame rate, size, rotation and colour tags kept.

    Personalisation flags apply to every frame (no avatar crop). Shows frames per second and time left.
    """
    from stylekit.video import stylize_video

    fixed = set(inspect.signature(_video_options).parameters)
    shortcuts = {name: value for name, value in args.items() if name not in fixed}
    a = {name: value for name, value in args.items() if name in fixed}
    plan = build_recipe(a["recipe"], shortcuts, a["edit"], a["caption"], a["sticker"], a["overlay"], False, 512,
                        False, "none", a["region"], a["mask"])
    src: Path = a["input"]
    name = a["influencer"] if a["influencer"] is not None else plan.influencer
    out = a["out"] or src.parent / f"{src.stem}_{(name or 'edited').replace(':', '').replace(',', '+').replace('.', '')}.mp4"
    with progress_bar("styling frames") as update:
        written = stylize_video(
            src, out, a["influencer"], a["strength"], recipe=plan, overwrite=a["overwrite"], device=a["device"],
            progress=update, smooth=a["smooth"], region_every=a["region_every"], lossless=a["lossless"], crf=a["crf"], **parse_options(a["option"]),
        )
    typer.echo(f"wrote {written}")


app.command("video")(with_shortcuts(_video_options, _video, "video"))


@app.command("live")
def live(
    influencer: Annotated[str, typer.Option("--influencer", "-i", help="Pack name, or a mix like aurora:0.7,noir:0.3.")],
    camera: Annotated[Optional[int], typer.Option("--camera", help="Camera number (0 = the first).")] = None,
    input: Annotated[Optional[str], typer.Option("--input", help="A video file or stream URL instead of a camera.")] = None,
    strength: Annotated[float, typer.Option("--strength", "-s", help="0 = unchanged, 1 = the look, up to 1.5.")] = 1.0,
    port: Annotated[int, typer.Option("--port", help="Port of the MJPEG stream on 127.0.0.1 (0 = any free port).")] = 8765,
    frames: Annotated[Optional[int], typer.Option("--frames", help="Stop after this many frames were shown or served.")] = None,
    loop: Annotated[bool, typer.Option("--loop", help="Replay a file input from the start when it ends.")] = False,
    window: Annotated[Optional[bool], typer.Option("--window/--no-window", help="Force a window, or the MJPEG stream. Default: a window where a display and a GUI OpenCV exist.", show_default=False)] = None,
    smooth: Annotated[float, typer.Option("--smooth", help="Share of image-adaptive state kept from frame to frame; 0 = off.")] = 0.85,
) -> None:
    """Apply a look to live frames: a window, or an MJPEG stream on 127.0.0.1 (look and strength switchable).

    On the stream, switch with query parameters: /stream?influencer=noir&strength=0.6 (or /set?...);
    /stats gives the latency and frames per second. In a window: keys 1-9, + and -, q to quit.
    """
    from stylekit.live import run_live

    def ready(where: str) -> None:
        if where == "window":
            err("showing frames in a window; keys: 1-9 look, +/- strength, q quit")
        else:
            typer.echo(f"serving MJPEG on {where}stream (page: {where}, numbers: {where}stats); Ctrl-C stops", nl=True)
            import sys

            sys.stdout.flush()

    try:
        stats = run_live(influencer, strength, camera=camera, source=input, port=port, frames=frames, loop=loop,
                         window=window, smooth=smooth, on_ready=ready)
    except KeyboardInterrupt:
        err("stopped")
        return
    err(f"styled {stats.styled} frames ({stats.dropped} dropped), {stats.fps:.1f} fps, latency {stats.latency_ms:.0f} ms")


@app.command("sheet")
def sheet(
    source: Annotated[Path, typer.Argument(help="A photo, or a video (its middle frame).", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output picture. Default: SOURCE_sheet.jpg beside the source.")] = None,
    strength: Annotated[float, typer.Option("--strength", "-s", help="Strength of every look.")] = 1.0,
    tile: Annotated[int, typer.Option("--tile", help="Long side of each picture, in pixels.")] = 320,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing output file.")] = False,
) -> None:
    """Show a photo (or a video frame) in every installed look, labelled, on one sheet."""
    from stylekit.sheet import write_sheet

    path, made = write_sheet(source, out, strength, overwrite=overwrite, tile=tile)
    for name, reason in made.failed:
        err(f"Warning: left out {name}: {reason}")
    typer.echo(f"wrote {path} ({len(made.labels) - 1} looks)")
