"""The web app's page: the Apply tab here, the other tabs in `stylekit.web.tabs`.

Handlers take the browser session from the request, work in that session's own folder,
and turn stylekit's errors into one readable line in the tab's status area.
"""

import functools
import threading
import traceback
import warnings
import zipfile
from pathlib import Path
from typing import Any, Callable

import gradio as gr
import numpy as np

from ..imageio import to_pil
from .jobs import Jobs
from .looks import (
    PREVIEW_SIDE,
    Controls,
    StyleCache,
    build_recipe,
    grouped_edits,
    has_work,
    influencer_spec,
    installed,
    known,
    region_mask,
    region_overlay,
    render,
    small_image,
    thumbnails,
    to_display,
)
from .sessions import Limits, Sessions, strip_folders

NO_LOOK = "(no look)"
WHOLE_PHOTO = "whole photo"
CSS = """
#apply-status, #apply-upload-status, #write-status, #learn-status, #match-status, #video-status { min-height: 1.5em; }
.sk-message { color: #b3261e; font-weight: 600; }
.sk-note { color: #555; }
.sk-bar { height: 14px; background: #e5e5e5; border-radius: 7px; overflow: hidden; }
.sk-bar > div { height: 100%; background: #d9822b; }
"""


class WebApp:
    """State shared by every browser session of one server: their folders, the trainings,
    the loaded looks and the small copies of uploaded photos."""

    def __init__(self, work_root: Path, limits: Limits = Limits()):
        import stylekit

        self.sessions = Sessions(work_root, limits)
        self.jobs = Jobs(self.sessions.root / "jobs", stylekit.train)
        self.styles = StyleCache()
        self._small: dict[tuple, tuple] = {}
        self._masks: dict[tuple, tuple] = {}

    # --- plumbing --------------------------------------------------------------------------
    def session_id(self, request: Any) -> str:
        """The browser session of a request (one page load)."""
        return getattr(request, "session_hash", None) or "local"

    def message(self, text: str, kind: str = "message") -> str:
        """A status line: the text without the server's folders, escaped for Markdown."""
        import html

        text = strip_folders(str(text), self.sessions.root)
        return f'<span class="sk-{kind}">{html.escape(text)}</span>'

    def photos(self, session: str) -> list[Path]:
        """The session's uploaded photos, in upload order."""
        folder = self.sessions.folder(session, "photos")
        return sorted(folder.iterdir(), key=lambda p: (p.stat().st_mtime_ns, p.name))

    def small(self, path: Path) -> tuple:
        """A photo scaled for the live preview (kept while the file is unchanged)."""
        key = (path, path.stat().st_mtime_ns)
        if key not in self._small:
            if len(self._small) > 64:
                self._small.clear()
            self._small[key] = small_image(path, PREVIEW_SIDE)
        return self._small[key]

    def preview_mask(self, session: str, path: Path, region: str, rgb: np.ndarray) -> tuple[np.ndarray, Path]:
        """The region's mask on the preview copy of `path`, found once (face detection and
        GrabCut take seconds) and kept as a mask file the preview recipe can use."""
        key = (path, path.stat().st_mtime_ns, region)
        if key not in self._masks:
            if len(self._masks) > 32:
                self._masks.clear()
            mask = region_mask(rgb, region)
            file = self.sessions.folder(session, "masks") / f"{path.stem}_{region}.png"
            to_pil(mask[..., None].repeat(3, axis=2)).save(file)
            self._masks[key] = (mask, file)
        return self._masks[key]


_RECORDING = threading.Lock()


def guarded(app: WebApp, status_index: int, outputs: int) -> Callable:
    """Run a handler so that stylekit's errors and warnings become its tab's status line
    (output `status_index`); on an error every other output stays as it was."""

    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            from ..errors import StylekitError

            keep = [gr.skip() for _ in range(outputs)]
            try:
                # catch_warnings changes process-wide state: one handler at a time records warnings
                with _RECORDING, warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    result = fn(*args, **kwargs)
                notes = [str(w.message) for w in caught if not issubclass(w.category, (DeprecationWarning, ResourceWarning))]
                if notes:
                    result = list(result if isinstance(result, (list, tuple)) else [result])
                    if result[status_index] in ("", None):
                        result[status_index] = app.message(" ".join(dict.fromkeys(notes)), "note")
                return result
            except StylekitError as exc:
                text = app.message(str(exc))
            except MemoryError:
                text = app.message("Out of memory; try a smaller photo.")
            except Exception as exc:  # never a traceback in the page; the server log keeps it
                traceback.print_exc()
                text = app.message(f"Something went wrong ({type(exc).__name__}: {exc}).")
            keep[status_index] = text
            return keep if outputs > 1 else keep[0]

        return run

    return wrap


# --- Apply -----------------------------------------------------------------------------------
def look_choices() -> list[str]:
    """The names in the look picker: no look, then every installed look."""
    return [NO_LOOK, *[p.name for p in installed("image")]]


def gallery_items(app: WebApp, session: str) -> list:
    """The first uploaded photo in every installed look (the packs' previews without one)."""
    photos = app.photos(session)
    rgb = app.small(photos[0])[0] if photos else None
    return thumbnails(rgb, installed("image"), app.styles)


def controls_from(values: dict[str, Any], edit_names: list[str], sticker: str) -> Controls:
    """The Apply tab's widget values as `Controls`."""
    look = "" if values["look"] in (None, NO_LOOK) else known(values["look"], "image")
    mix = None if values["mix_with"] in (None, NO_LOOK) else known(values["mix_with"], "image")
    region = "" if values["region"] in (None, WHOLE_PHOTO) else values["region"]
    return Controls(
        influencer=influencer_spec(look, mix, float(values["mix_weight"] or 0)),
        strength=float(values["strength"]),
        edits={name: values[f"edit_{name}"] for name in edit_names},
        caption=values["caption"] or "", sticker=sticker,
        frame_width=float(values["frame_width"] or 0), frame_radius=float(values["frame_radius"] or 0),
        frame_color=values["frame_color"] or "white",
        avatar=bool(values["avatar"]), circle=bool(values["circle"]), avatar_size=int(values["avatar_size"]),
        fallback="center" if values["fallback"] else "none", region=region,
    )


def build_apply_tab(app: WebApp) -> dict[str, Any]:
    """The Apply tab; returns its components by name (the other tabs refresh the look lists)."""
    from ..edits import get_regions

    groups = grouped_edits()
    edit_names = [e.name for items in groups.values() for e in items]
    c: dict[str, Any] = {}
    with gr.Row():
        with gr.Column(scale=2):
            c["photos"] = gr.File(label="Your photos", file_count="multiple", file_types=["image"], elem_id="apply-photos")
            c["upload_status"] = gr.Markdown(elem_id="apply-upload-status")
            c["photo"] = gr.Dropdown(label="Photo to preview", choices=[], elem_id="apply-photo")
            c["gallery"] = gr.Gallery(label="Looks: your first photo in each (click one)", columns=4, height=190,
                                      allow_preview=False, elem_id="apply-gallery", interactive=False, buttons=[])
            c["look"] = gr.Dropdown(label="Look", choices=look_choices(), value=NO_LOOK, elem_id="apply-look")
            c["strength"] = gr.Slider(0, 1.5, value=1.0, step=0.05, label="Strength (0 = unchanged, 1 = the look)",
                                      elem_id="apply-strength")
            with gr.Accordion("Mix with a second look", open=False):
                c["mix_with"] = gr.Dropdown(label="Second look", choices=look_choices(), value=NO_LOOK, elem_id="apply-mix")
                c["mix_weight"] = gr.Slider(0, 1, value=0.3, step=0.05, label="Weight of the second look")
            with gr.Accordion("Edits", open=False):
                for group, edits in groups.items():
                    with gr.Group():
                        gr.Markdown(f"**{group}**")
                        for edit in edits:
                            first = edit.params[0]
                            c[f"edit_{edit.name}"] = gr.Slider(
                                first.minimum, first.maximum, value=first.neutral, label=edit.name.replace("_", " "),
                                info=edit.description, step=1 if first.kind == "int" else _step(first.minimum, first.maximum),
                                elem_id=f"apply-edit-{edit.name}")
            with gr.Accordion("Caption, sticker, frame", open=False):
                c["caption"] = gr.Textbox(label="Caption (emoji and CJK welcome)", elem_id="apply-caption")
                c["sticker"] = gr.File(label="Sticker (PNG with transparency)", file_types=[".png"], elem_id="apply-sticker")
                c["frame_width"] = gr.Slider(0, 0.25, value=0, step=0.005, label="Frame width")
                c["frame_radius"] = gr.Slider(0, 0.5, value=0, step=0.01, label="Corner radius")
                c["frame_color"] = gr.ColorPicker(value="#ffffff", label="Frame colour")
            with gr.Accordion("Avatar", open=False):
                c["avatar"] = gr.Checkbox(label="Square crop around the main face", elem_id="apply-avatar")
                c["circle"] = gr.Checkbox(label="Circle (transparent corners)", elem_id="apply-circle")
                c["avatar_size"] = gr.Dropdown(label="Size", choices=[128, 256, 512, 1024], value=512)
                c["fallback"] = gr.Checkbox(label="No face found: crop the centre", value=True)
            with gr.Accordion("Region", open=False):
                c["region"] = gr.Radio([WHOLE_PHOTO, *sorted(get_regions())], value=WHOLE_PHOTO,
                                       label="Apply the look to", elem_id="apply-region")
                c["mask"] = gr.Image(label="Region (tinted: left as it is)", interactive=False, format="png",
                                     visible=False, elem_id="apply-mask")
        with gr.Column(scale=3):
            c["view"] = gr.Radio(["After", "Before"], value="After", label="Show", elem_id="apply-view")
            c["preview"] = gr.Image(label="Preview", interactive=False, format="webp", image_mode=None,
                                    elem_id="apply-preview", buttons=["fullscreen"])
            c["status"] = gr.Markdown(elem_id="apply-status")
            with gr.Row():
                c["render"] = gr.Button("Full-resolution result", variant="primary", elem_id="apply-render")
                c["render_all"] = gr.Button("All photos as zip", elem_id="apply-render-all")
            c["result"] = gr.File(label="Download", interactive=False, elem_id="apply-result")
    c["sticker_path"] = gr.State("")
    keys = ["look", "strength", "mix_with", "mix_weight", *[f"edit_{n}" for n in edit_names], "caption",
            "frame_width", "frame_radius", "frame_color", "avatar", "circle", "avatar_size", "fallback", "region"]
    settings = [c[k] for k in keys]

    def values_of(args: tuple) -> dict[str, Any]:
        return dict(zip(keys, args))

    @guarded(app, status_index=3, outputs=5)
    def on_photos(request: gr.Request, files: list[str] | None):
        session = app.session_id(request)
        folder = app.sessions.folder(session, "photos")
        for old in folder.iterdir():
            old.unlink()
        taken, refused = app.sessions.take(session, files, "image", folder)
        names = [p.name for p in taken]
        status = app.message(" ".join(refused)) if refused else ""
        return (gr.update(choices=names, value=names[0] if names else None), gallery_items(app, session),
                gr.skip(), status, None)

    c["photos"].change(on_photos, c["photos"],
                       [c["photo"], c["gallery"], c["preview"], c["upload_status"], c["result"]])

    @guarded(app, status_index=1, outputs=2)
    def on_sticker(request: gr.Request, file: str | None):
        if not file:
            return "", ""
        session = app.sessions.folder(app.session_id(request), "sticker")
        for old in session.iterdir():
            old.unlink()
        taken, refused = app.sessions.take(app.session_id(request), [file], "image", session)
        return (str(taken[0]) if taken else ""), (app.message(" ".join(refused)) if refused else "")

    c["sticker"].change(on_sticker, c["sticker"], [c["sticker_path"], c["upload_status"]])

    def on_select(evt: gr.SelectData):
        packs = installed("image")
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        return packs[index].name if 0 <= index < len(packs) else gr.skip()

    c["gallery"].select(on_select, None, c["look"])

    @guarded(app, status_index=2, outputs=3)
    def on_preview(request: gr.Request, photo: str | None, sticker: str, view: str, *args: Any):
        session = app.session_id(request)
        values = values_of(args)
        path = _photo(app, session, photo)
        if path is None:
            return None, gr.update(visible=False), ""
        rgb, alpha = app.small(path)
        controls = controls_from(values, edit_names, sticker)
        mask = gr.update(visible=False, value=None)
        recipe = build_recipe(controls)
        if controls.region:
            soft, file = app.preview_mask(session, path, controls.region, rgb)
            mask = gr.update(visible=True, value=to_display(region_overlay(rgb, soft)))
            if recipe.region:  # the same mask, found once for the preview rather than on every change
                recipe.region, recipe.mask = "", str(file)
        if view == "Before":
            return to_display(rgb, alpha), mask, ""
        out_rgb, out_alpha = render(rgb, alpha, recipe, app.styles)
        return to_display(out_rgb, out_alpha), mask, ""

    preview_inputs = [c["photo"], c["sticker_path"], c["view"], *settings]
    gr.on([c["photo"].change, c["sticker_path"].change, c["view"].change, *[s.change for s in settings]],
          on_preview, preview_inputs, [c["preview"], c["mask"], c["status"]],
          trigger_mode="always_last", show_progress="hidden")

    @guarded(app, status_index=1, outputs=2)
    def on_render(request: gr.Request, photo: str | None, sticker: str, view: str, *args: Any):
        import stylekit

        session = app.session_id(request)
        path = _photo(app, session, photo)
        if path is None:
            return None, app.message("Upload a photo first.")
        recipe = build_recipe(controls_from(values_of(args), edit_names, sticker))
        if not has_work(recipe):
            return None, app.message("Choose a look or an edit first.")
        out_dir = app.sessions.folder(session, "results")
        result = stylekit.stylize_images([path], recipe=recipe, out_dir=out_dir, overwrite=True)
        if result.failed:
            return None, app.message(result.failed[0][1])
        written = result.written[0][1]
        return str(app.sessions.publish(session, written)), app.message(f"{written.name}: full resolution, with provenance.", "note")

    c["render"].click(on_render, preview_inputs, [c["result"], c["status"]])

    @guarded(app, status_index=1, outputs=2)
    def on_render_all(request: gr.Request, photo: str | None, sticker: str, view: str, *args: Any):
        import stylekit

        session = app.session_id(request)
        photos = app.photos(session)
        if not photos:
            return None, app.message("Upload photos first.")
        recipe = build_recipe(controls_from(values_of(args), edit_names, sticker))
        if not has_work(recipe):
            return None, app.message("Choose a look or an edit first.")
        out_dir = app.sessions.folder(session, "results")
        result = stylekit.stylize_images(photos, recipe=recipe, out_dir=out_dir, overwrite=True)
        archive = app.sessions.folder(session) / "stylekit_results.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
            for _, written in result.written:
                zf.write(written, written.name)
        note = f"{len(result.written)} photo(s) in the zip."
        if result.failed:
            note += " Failed: " + "; ".join(reason for _, reason in result.failed)
        return str(app.sessions.publish(session, archive)), app.message(note, "note" if not result.failed else "message")

    c["render_all"].click(on_render_all, preview_inputs, [c["result"], c["status"]])
    return c


def _photo(app: WebApp, session: str, name: str | None) -> Path | None:
    """The session's uploaded photo called `name` (a name from its own list, never a path)."""
    photos = {p.name: p for p in app.photos(session)}
    if name in photos:
        return photos[name]
    return next(iter(photos.values()), None)


def _step(low: float, high: float) -> float:
    span = high - low
    return 0.01 if span <= 2 else 0.05 if span <= 10 else 1.0


# --- the page --------------------------------------------------------------------------------
def build_blocks(app: WebApp) -> Any:
    """The whole page: Apply, Write, Learn, Which influencer is like me, and Video where
    stylekit can style videos."""
    from . import tabs

    with gr.Blocks(title="stylekit", delete_cache=(600, 3600)) as blocks:
        gr.Markdown("# stylekit\nLearn an influencer's style from their own material and apply it to yours. "
                    "Everything runs on this computer.")
        with gr.Tabs():
            with gr.Tab("Apply", id="apply"):
                apply = build_apply_tab(app)
            with gr.Tab("Write", id="write"):
                write = tabs.build_write_tab(app)
            with gr.Tab("Learn", id="learn"):
                learn = tabs.build_learn_tab(app)
            with gr.Tab("Which influencer is like me", id="match"):
                tabs.build_match_tab(app)
            if tabs.can_style_video():
                with gr.Tab("Video", id="video"):
                    tabs.build_video_tab(app)
        tabs.connect_refresh(app, blocks, apply, write, learn)

        def close(request: gr.Request):
            app.sessions.close(app.session_id(request))

        blocks.unload(close)
    return blocks
