"""The Write, Learn, Which-influencer and Video tabs of the web app, and the refresh of
every look list when a training or an import adds a look."""

import functools
import html
from pathlib import Path
from typing import Any

import gradio as gr
import numpy as np

from .app import NO_LOOK, WebApp, gallery_items, guarded, look_choices
from .jobs import Stage, describe
from .looks import THUMB_SIDE, installed, known, small_image, thumbnails, to_display

LAYOUTS = ["square", "story"]


def names(modality: str | None = None) -> list[str]:
    """Installed influencers with a style of `modality` (any style when None)."""
    return [p.name for p in installed(modality)]


# --- Write -----------------------------------------------------------------------------------
def build_write_tab(app: WebApp) -> dict[str, Any]:
    """Rewrite a text in a voice (several candidates), and make a post card."""
    c: dict[str, Any] = {}
    voices = names("text")
    with gr.Row():
        with gr.Column():
            gr.Markdown("### Rewrite a text in a voice")
            c["text"] = gr.Textbox(label="Your text", lines=3, elem_id="write-text")
            c["voice"] = gr.Dropdown(label="Voice", choices=voices, value=voices[0] if voices else None, elem_id="write-voice")
            c["strength"] = gr.Slider(0, 1.5, value=1.0, step=0.05, label="Strength (0 = unchanged)", elem_id="write-strength")
            c["num"] = gr.Slider(1, 5, value=3, step=1, label="Candidates", elem_id="write-num")
            c["rewrite"] = gr.Button("Rewrite", variant="primary", elem_id="write-rewrite")
            c["candidates"] = gr.Radio([], label="Candidates, best first (pick one to copy it)", elem_id="write-candidates")
            c["chosen"] = gr.Textbox(label="Chosen text", lines=2, buttons=["copy"], elem_id="write-chosen")
        with gr.Column():
            gr.Markdown("### Post card\nThe photo in the influencer's look and the caption in their voice.")
            c["post_photo"] = gr.File(label="Photo", file_types=["image"], elem_id="post-photo")
            c["post_influencer"] = gr.Dropdown(label="Influencer", choices=names(), value=(voices or names() or [None])[0],
                                               elem_id="post-influencer")
            c["post_caption"] = gr.Textbox(label="Caption", lines=2, elem_id="post-caption")
            c["layout"] = gr.Radio(LAYOUTS, value="square", label="Layout (square 1080x1080, story 1080x1920)",
                                   elem_id="post-layout")
            c["make_post"] = gr.Button("Make the post", variant="primary", elem_id="post-make")
            c["post_image"] = gr.Image(label="Post", interactive=False, format="jpeg", elem_id="post-image")
            c["post_file"] = gr.File(label="Download", interactive=False, elem_id="post-file")
    c["status"] = gr.Markdown(elem_id="write-status")

    @guarded(app, status_index=2, outputs=3)
    def on_rewrite(request: gr.Request, text: str, voice: str | None, strength: float, num: float):
        import stylekit

        if not (text or "").strip():
            return gr.update(choices=[], value=None), "", app.message("Write a text first.")
        if not voice:
            return gr.update(choices=[], value=None), "", app.message("No voice is installed; learn one in the Learn tab.")
        known(voice, "text")
        lines = [line for line in text.splitlines() if line.strip()]
        candidates = stylekit.stylize_text(" ".join(lines), voice, float(strength), num=int(num), seed=0)
        unique = list(dict.fromkeys(candidates))
        return gr.update(choices=unique, value=unique[0]), unique[0], ""

    c["rewrite"].click(on_rewrite, [c["text"], c["voice"], c["strength"], c["num"]],
                       [c["candidates"], c["chosen"], c["status"]])
    c["candidates"].change(lambda value: value or gr.skip(), c["candidates"], c["chosen"])
    c["text"].change(lambda text: text, c["text"], c["post_caption"], show_progress="hidden")

    @guarded(app, status_index=2, outputs=3)
    def on_post(request: gr.Request, photo: str | None, influencer: str | None, caption: str,
                layout: str, strength: float):
        import stylekit

        session = app.session_id(request)
        if not photo:
            return None, None, app.message("Upload a photo for the post first.")
        if not influencer:
            return None, None, app.message("Choose an influencer.")
        known(influencer)
        folder = app.sessions.folder(session, "post")
        for old in folder.iterdir():
            old.unlink()
        taken, refused = app.sessions.take(session, [photo], "image", folder)
        if refused:
            return None, None, app.message(refused[0])
        out = app.sessions.folder(session, "results") / f"post_{influencer}_{layout}.jpg"
        post = stylekit.make_post(taken[0], influencer, caption or "", layout=layout, strength=float(strength),
                                  out=out, overwrite=True)
        note = f"Caption on the card: {post.caption}" if post.caption else ""
        return to_display(post.image), str(app.sessions.publish(session, post.path)), app.message(note, "note")

    c["make_post"].click(on_post,
                         [c["post_photo"], c["post_influencer"], c["post_caption"], c["layout"], c["strength"]],
                         [c["post_image"], c["post_file"], c["status"]])
    return c


# --- Learn -----------------------------------------------------------------------------------
def quick_option() -> str | None:
    """The default photo engine's boolean train option for a fast estimate, if it has one."""
    from ..engines import get_default_engine

    try:
        engine = get_default_engine("image", ["photos"])
    except Exception:  # no photo engine installed: no quick option to offer
        return None
    option = getattr(engine, "train_options", {}).get("quick")
    return "quick" if option is not None and option.type is bool else None


def progress_html(job: Any) -> str:
    """The progress bar and its line for a training job (empty without one)."""
    if job is None:
        return ""
    percent = round(job.fraction() * 100)
    line = html.escape(describe(job))
    notes = "".join(f"<div class='sk-note'>{html.escape(m)}</div>" for m in job.messages[:-1 if job.state == "failed" else None][-6:])
    return (f"<div class='sk-bar' role='progressbar' aria-valuenow='{percent}' aria-valuemin='0' aria-valuemax='100'>"
            f"<div style='width:{percent}%'></div></div><div id='learn-progress-line'>{line}</div>{notes}")


def build_learn_tab(app: WebApp) -> dict[str, Any]:
    """Create an influencer from photos (or a video) and/or posts; import and export packs."""
    c: dict[str, Any] = {}
    quick = quick_option()
    gr.Markdown("### Learn a new influencer\nTraining runs in the background: you can keep using the app, "
                "or reload the page and come back to the progress.")
    with gr.Row():
        with gr.Column():
            c["name"] = gr.Textbox(label="Name (lowercase letters, digits, - and _)", elem_id="learn-name")
            c["photos"] = gr.File(label="Their photos, or a video", file_count="multiple",
                                  file_types=["image", "video"], elem_id="learn-photos")
            c["posts"] = gr.File(label="Their posts (.txt one per line, .jsonl or .csv)", file_types=[".txt", ".jsonl", ".csv"],
                                 elem_id="learn-posts")
            c["quick"] = gr.Checkbox(label="Quick look estimate (seconds instead of about a minute)", value=False,
                                     visible=quick is not None, elem_id="learn-quick")
        with gr.Column():
            with gr.Group():
                gr.Markdown("**Consent**: learn a real person's style only with their permission.")
                c["consent_by"] = gr.Textbox(label="Permission granted by", elem_id="learn-consent-by")
                c["consent"] = gr.Textbox(label="Their statement", elem_id="learn-consent")
                c["licence"] = gr.Textbox(label="Licence of the pack (e.g. CC-BY-4.0)", elem_id="learn-licence")
            c["overwrite"] = gr.Checkbox(label="Replace an existing style of this name", value=False)
            c["train"] = gr.Button("Start training", variant="primary", elem_id="learn-train")
            c["progress"] = gr.HTML(elem_id="learn-progress")
    with gr.Accordion("Style packs: import and export", open=False):
        with gr.Row():
            with gr.Column():
                c["import_file"] = gr.File(label="Import a pack (.zip)", file_types=[".zip"], elem_id="learn-import")
                c["import_name"] = gr.Textbox(label="Install under another name (optional)", elem_id="learn-import-name")
                c["import"] = gr.Button("Import", elem_id="learn-import-button")
            with gr.Column():
                own = [p.name for p in installed() if not p.bundled]
                c["export_name"] = gr.Dropdown(label="Export", choices=names(), value=(own or [None])[0],
                                               elem_id="learn-export-name")
                c["export"] = gr.Button("Export as .zip", elem_id="learn-export-button")
                c["export_file"] = gr.File(label="Download", interactive=False, elem_id="learn-export-file")
    c["status"] = gr.Markdown(elem_id="learn-status")
    c["token"] = gr.BrowserState(None, storage_key="stylekit-training")
    c["timer"] = gr.Timer(1.0, active=False)

    @guarded(app, status_index=2, outputs=4)
    def on_train(request: gr.Request, name: str, photos: list[str] | None, posts: str | None,
                 quick_on: bool, consent_by: str, consent: str, licence: str, overwrite: bool):
        from ..packs import check_name, now_iso

        session = app.session_id(request)
        name = (name or "").strip()
        check_name(name)
        if not photos and not posts:
            return gr.skip(), gr.skip(), app.message("Upload their photos (or a video) and/or a posts file."), gr.skip()
        token, folder = app.jobs.folder()
        try:
            taken, refused = app.sessions.take(session, photos, "image|video", folder / "photos")
            post_files, refused_posts = app.sessions.take(session, [posts] if posts else [], "posts", folder / "posts")
            refused += refused_posts
            if refused:
                raise_refused(refused)
        except Exception:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
            raise
        common: dict[str, Any] = {"overwrite": bool(overwrite), "licence": (licence or "").strip() or None}
        if (consent_by or "").strip() or (consent or "").strip():
            common["consent"] = {"granted_by": consent_by.strip(), "statement": consent.strip(), "date": now_iso()}
        stages = []
        if taken:
            options = {quick: True} if quick and quick_on else None
            stages.append(Stage("image", {**common, "photos": [str(p) for p in taken], "options": options}))
        if post_files:
            stages.append(Stage("text", {**common, "posts": str(post_files[0])}))
        job = app.jobs.start(token, folder, name, stages)
        note = "" if common.get("consent") else app.message(
            "No consent recorded: the pack will warn whenever it is used.", "note")
        return token, progress_html(job), note, gr.Timer(active=True)

    c["train"].click(on_train,
                     [c["name"], c["photos"], c["posts"], c["quick"], c["consent_by"], c["consent"], c["licence"], c["overwrite"]],
                     [c["token"], c["progress"], c["status"], c["timer"]])

    @guarded(app, status_index=1, outputs=3)
    def on_import(request: gr.Request, archive: str | None, name: str):
        import stylekit

        session = app.session_id(request)
        if not archive:
            return gr.skip(), app.message("Upload a pack (.zip) first."), gr.skip()
        folder = app.sessions.folder(session, "import")
        taken, refused = app.sessions.take(session, [archive], "pack", folder)
        if refused:
            return gr.skip(), app.message(refused[0]), gr.skip()
        try:
            pack = stylekit.import_pack(taken[0], name=(name or "").strip() or None)
        finally:
            taken[0].unlink(missing_ok=True)
        return gr.update(choices=names(), value=pack.name), app.message(f"Installed '{pack.name}'.", "note"), True

    c["refresh"] = gr.State(False)
    c["import"].click(on_import, [c["import_file"], c["import_name"]],
                      [c["export_name"], c["status"], c["refresh"]])

    @guarded(app, status_index=1, outputs=2)
    def on_export(request: gr.Request, name: str | None):
        import stylekit

        session = app.session_id(request)
        if not name:
            return None, app.message("Choose a pack to export.")
        out = app.sessions.folder(session, "export") / f"{known(name)}.zip"
        stylekit.export_pack(name, out, overwrite=True)
        return str(app.sessions.publish(session, out)), ""

    c["export"].click(on_export, c["export_name"], [c["export_file"], c["status"]])
    return c


def raise_refused(refused: list[str]) -> None:
    """Stop with the refusals of an upload as one message."""
    from .sessions import UploadError

    raise UploadError(" ".join(refused))


# --- Which influencer is like me ------------------------------------------------------------------
def build_match_tab(app: WebApp) -> dict[str, Any]:
    """Rank the installed influencers by closeness to the user's photos and/or posts."""
    c: dict[str, Any] = {}
    with gr.Row():
        with gr.Column(scale=1):
            c["photos"] = gr.File(label="Your photos", file_count="multiple", file_types=["image"], elem_id="match-photos")
            c["posts"] = gr.File(label="Your posts (.txt, .jsonl or .csv)", file_types=[".txt", ".jsonl", ".csv"],
                                 elem_id="match-posts")
            c["go"] = gr.Button("Find my influencer", variant="primary", elem_id="match-go")
        with gr.Column(scale=2):
            c["ranking"] = gr.Gallery(label="Ranking: your first photo in each look", columns=4, height=300,
                                      allow_preview=False, interactive=False, elem_id="match-gallery", buttons=[])
            c["table"] = gr.Markdown(elem_id="match-table")
    c["status"] = gr.Markdown(elem_id="match-status")

    @guarded(app, status_index=2, outputs=3)
    def on_match(request: gr.Request, photos: list[str] | None, posts: str | None):
        import stylekit

        session = app.session_id(request)
        if not photos and not posts:
            return gr.skip(), gr.skip(), app.message("Upload your photos and/or a posts file.")
        folder = app.sessions.folder(session, "match")
        for old in folder.rglob("*"):
            if old.is_file():
                old.unlink()
        taken, refused = app.sessions.take(session, photos, "image", folder / "photos")
        post_files, refused_posts = app.sessions.take(session, [posts] if posts else [], "posts", folder / "posts")
        if refused or refused_posts:
            return gr.skip(), gr.skip(), app.message(" ".join(refused + refused_posts))
        ranking = stylekit.recommend(photos=taken or None, posts=post_files[0] if post_files else None)
        packs = {p.name: p for p in installed()}
        ranked = [packs[m.name] for m in ranking.matches if m.name in packs]
        first = small_image(taken[0], THUMB_SIDE)[0] if taken else None
        looks = {name: image for (image, _), name in zip(thumbnails(first, [p for p in ranked if "image" in p.modalities], app.styles),
                                                            [p.name for p in ranked if "image" in p.modalities])}
        blank = to_display(np.full((THUMB_SIDE, THUMB_SIDE, 3), 0.8, np.float32))
        items, rows = [], ["| rank | influencer | score | look | voice |", "|---|---|---|---|---|"]
        for rank, match in enumerate(ranking.matches, 1):
            items.append((looks.get(match.name, blank), f"{rank}. {match.name} ({match.score:.3f})"))
            rows.append(f"| {rank} | {match.name} | {match.score:.3f} | {_num(match.look)} | {_num(match.voice)} |")
        if ranking.margin is not None:
            rows.append(f"\nMargin to the runner-up: {ranking.margin:.3f}")
        note = app.message(" ".join(ranking.warnings), "note") if ranking.warnings else ""
        return items, "\n".join(rows), note

    c["go"].click(on_match, [c["photos"], c["posts"]], [c["ranking"], c["table"], c["status"]])
    return c


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


# --- Video -----------------------------------------------------------------------------------
def can_style_video() -> bool:
    """True when this stylekit can style videos (`stylekit.stylize_video`)."""
    import stylekit

    try:
        return callable(getattr(stylekit, "stylize_video"))
    except (AttributeError, ImportError):
        return False


def build_video_tab(app: WebApp) -> dict[str, Any]:
    """Upload a short clip and download it in a look."""
    c: dict[str, Any] = {}
    with gr.Row():
        with gr.Column():
            c["clip"] = gr.File(label="A short video", file_types=["video"], elem_id="video-clip")
            c["look"] = gr.Dropdown(label="Look", choices=names("image"), value=(names("image") or [None])[0], elem_id="video-look")
            c["strength"] = gr.Slider(0, 1.5, value=1.0, step=0.05, label="Strength", elem_id="video-strength")
            c["go"] = gr.Button("Style the video", variant="primary", elem_id="video-go")
        with gr.Column():
            c["result"] = gr.File(label="Download", interactive=False, elem_id="video-result")
    c["status"] = gr.Markdown(elem_id="video-status")

    @guarded(app, status_index=1, outputs=2)
    def on_video(request: gr.Request, clip: str | None, look: str | None, strength: float, progress=gr.Progress()):
        import stylekit

        session = app.session_id(request)
        if not clip or not look:
            return None, app.message("Upload a video and choose a look.")
        known(look, "image")
        folder = app.sessions.folder(session, "video")
        for old in folder.iterdir():
            old.unlink()
        taken, refused = app.sessions.take(session, [clip], "video", folder)
        if refused:
            return None, app.message(refused[0])
        out = app.sessions.folder(session, "results") / f"{taken[0].stem}_{look}.mp4"

        def report(event: Any) -> None:
            progress((event.done, event.total or None), desc="styling frames", unit="frames")

        written = stylekit.stylize_video(taken[0], out, look, float(strength), overwrite=True, progress=report)
        return str(app.sessions.publish(session, Path(written))), ""

    c["go"].click(on_video, [c["clip"], c["look"], c["strength"]], [c["result"], c["status"]])
    return c


# --- keeping the look lists current -----------------------------------------------------------------
def connect_refresh(app: WebApp, blocks: Any, apply: dict[str, Any], write: dict[str, Any], learn: dict[str, Any]) -> None:
    """Fill every list of looks and voices when the page loads, when a training ends (the
    timer polls it) and after an import, and find a training again after a page reload."""
    lists = [apply["look"], apply["mix_with"], apply["gallery"], write["voice"], write["post_influencer"], learn["export_name"]]

    def current(request: gr.Request, look: str | None, mix: str | None, voice: str | None, post: str | None, export: str | None):
        session = app.session_id(request)
        looks = look_choices()
        everyone = names()
        voices = names("text")
        return (gr.update(choices=looks, value=look if look in looks else NO_LOOK),
                gr.update(choices=looks, value=mix if mix in looks else NO_LOOK),
                gallery_items(app, session),
                gr.update(choices=voices, value=voice if voice in voices else (voices or [None])[0]),
                gr.update(choices=everyone, value=post if post in everyone else (everyone or [None])[0]),
                gr.update(choices=everyone, value=export if export in everyone else None))

    list_inputs = [apply["look"], apply["mix_with"], write["voice"], write["post_influencer"], learn["export_name"]]

    def on_load(request: gr.Request, token: str | None, *values: Any):
        job = app.jobs.get(token)
        if job is None:  # the stored token may arrive after the load event (see on_token): leave the bar to it
            return (*current(request, *values), gr.skip(), gr.skip())
        return (*current(request, *values), progress_html(job), gr.Timer(active=job.state in ("queued", "running")))

    blocks.load(on_load, [learn["token"], *list_inputs], [*lists, learn["progress"], learn["timer"]])

    def on_token(token: str | None):  # the browser reads its stored token after the page loads
        job = app.jobs.get(token)
        return progress_html(job), gr.Timer(active=job is not None and job.state in ("queued", "running"))

    learn["token"].change(on_token, learn["token"], [learn["progress"], learn["timer"]], show_progress="hidden")

    def on_tick(request: gr.Request, token: str | None, *values: Any):
        job = app.jobs.get(token)
        if job is None:
            return (*[gr.skip()] * len(lists), "", gr.Timer(active=False))
        if job.state in ("queued", "running"):
            return (*[gr.skip()] * len(lists), progress_html(job), gr.skip())
        return (*current(request, *values), progress_html(job), gr.Timer(active=False))

    learn["timer"].tick(on_tick, [learn["token"], *list_inputs], [*lists, learn["progress"], learn["timer"]],
                        show_progress="hidden")

    def on_refresh(request: gr.Request, flag: bool, *values: Any):
        if not flag:
            return (*[gr.skip()] * len(lists), gr.skip())
        return (*current(request, *values), False)

    learn["refresh"].change(on_refresh, [learn["refresh"], *list_inputs], [*lists, learn["refresh"]])
