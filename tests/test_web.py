"""The web app's parts that need no browser: upload checks and session folders, the recipe
the Apply page builds, background trainings. The browser tests are in test_web_browser.py."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from stylekit.engines import ProgressEvent
from stylekit.errors import TrainingError
from stylekit.packs import StylePack
from stylekit.web.jobs import Jobs, Stage, describe
from stylekit.web.looks import Controls, build_recipe, influencer_spec, render, StyleCache
from stylekit.web.sessions import Limits, Sessions, UploadError, safe_name, strip_folders

from .conftest import scene


@pytest.fixture
def sessions(tmp_path) -> Sessions:
    return Sessions(tmp_path / "work", Limits(max_bytes=50_000, max_pixels=10_000, max_files=3))


def upload(sessions: Sessions, name: str, data: bytes | np.ndarray) -> Path:
    """A file as the UI library stores an upload: in its own folder under ui/."""
    folder = sessions.ui_dir / f"h{abs(hash(name)) % 10**8}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(data, np.ndarray):
        Image.fromarray(data).save(path)
    else:
        path.write_bytes(data)
    return path


def test_safe_name_keeps_only_a_plain_file_name():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\win.ini") == "win.ini"
    assert safe_name("my photo (1).JPG") == "my_photo_1.jpg"
    assert safe_name("...") == "file"
    assert "/" not in safe_name("/abs/olute/x.png")


def test_uploads_are_checked_and_copied_under_distinct_safe_names(sessions):
    a = upload(sessions, "me photo.png", scene(1))
    b = upload(sessions, "me_photo.png", scene(2))
    copies, refused = sessions.take("s1", [a, b], "image", sessions.folder("s1", "photos"))
    assert refused == []
    assert [p.name for p in copies] == ["me_photo.png", "me_photo-1.png"]
    assert np.array_equal(np.asarray(Image.open(copies[1])), scene(2))
    assert all(p.parent == sessions.private / "s1" / "photos" for p in copies)


def test_a_path_the_browser_names_is_never_read(sessions, tmp_path):
    outside = tmp_path / "secret.png"
    Image.fromarray(scene(3)).save(outside)
    with pytest.raises(UploadError, match="secret.png: not an uploaded file"):
        sessions.check_upload(outside, "image")
    with pytest.raises(UploadError, match="not an uploaded file"):
        sessions.check_upload(sessions.ui_dir / ".." / ".." / "secret.png", "image")
    published = sessions.publish("s1", outside)  # results handed out are not uploads either
    with pytest.raises(UploadError, match="not an uploaded file"):
        sessions.check_upload(published, "image")


def test_limits_and_wrong_kinds_are_refused_with_the_file_name(sessions):
    big = upload(sessions, "huge.png", np.zeros((120, 100, 3), np.uint8))  # 12,000 pixels, a small file
    noise = upload(sessions, "noise.bmp", np.random.default_rng(0).integers(0, 255, (150, 150, 3), dtype=np.uint8))
    text = upload(sessions, "notes.txt", b"hello")
    fake = upload(sessions, "fake.jpg", b"this is not a jpeg")
    copies, refused = sessions.take("s1", [big, noise, text], "image", sessions.folder("s1", "x"))
    assert copies == []
    assert "huge.png is 100x120 (12,000 pixels), over this server's limit of 10,000; downscale it first" in refused[0]
    assert refused[1] == "noise.bmp is 0.1 MB, over this server's limit of 48.8 KB per file; downscale or trim it first"
    assert "notes.txt: not a photo" in refused[2]
    copies, refused = sessions.take("s1", [fake], "image", sessions.folder("s1", "x"))
    assert copies == [] and "fake.jpg: not a photo stylekit reads" in refused[0]


def test_too_many_files_at_once(sessions):
    files = [upload(sessions, f"p{i}.png", scene(i)) for i in range(4)]
    copies, refused = sessions.take("s1", files, "image", sessions.folder("s1", "photos"))
    assert copies == [] and refused == ["4 files uploaded at once; this server takes up to 3"]


def test_sessions_are_separate_and_closing_removes_their_files(sessions):
    a = upload(sessions, "a.png", scene(1))
    sessions.take("one", [a], "image", sessions.folder("one", "photos"))
    result = sessions.publish("one", sessions.folder("one", "photos") / "a.png")
    assert sessions.folder("two", "photos").exists() and not any(sessions.folder("two", "photos").iterdir())
    assert result.is_relative_to(sessions.results) and result.is_file()
    sessions.close("one")
    assert not (sessions.private / "one").exists()
    assert not result.exists()
    assert not a.exists()  # the upload the session sent goes too
    assert (sessions.private / "two").exists()


def test_idle_sessions_are_swept(tmp_path):
    sessions = Sessions(tmp_path / "work", max_idle_s=0.0)
    old = sessions.folder("old")
    time.sleep(0.01)
    sessions.folder("new")
    assert not old.exists()


def test_messages_do_not_show_the_server_folders(tmp_path):
    root = tmp_path / "work"
    message = f"{root}/sessions/abc/photos/me.png: truncated or corrupt image"
    assert strip_folders(message, root) == "sessions/abc/photos/me.png: truncated or corrupt image"


def test_influencer_spec_mixes_by_weight():
    assert influencer_spec("aurora") == "aurora"
    assert influencer_spec("aurora", "noir", 0.0) == "aurora"
    assert influencer_spec("aurora", "noir", 0.25) == "aurora:0.75,noir:0.25"
    assert influencer_spec("aurora", "noir", 1.0) == "noir"
    assert influencer_spec("", "noir", 0.5) == ""


def test_recipe_holds_only_what_was_moved_in_the_cli_order():
    recipe = build_recipe(Controls(influencer="sunset", strength=0.6,
                                   edits={"grain": 0.0, "contrast": 1.2, "exposure": 0.5, "saturation": 1.0},
                                   caption="hi", frame_width=0.02, avatar=True, circle=True, region="face"))
    assert [(s.name, s.params) for s in recipe.edits] == [("exposure", {"ev": 0.5}), ("contrast", {"amount": 1.2})]
    assert [s.name for s in recipe.overlays] == ["caption", "frame"]
    assert recipe.avatar == {"size": 512, "circle": True, "fallback": "center"}
    assert (recipe.influencer, recipe.strength, recipe.region) == ("sunset", 0.6, "face")
    assert build_recipe(Controls(region="face")).region == ""  # a region limits a look; none chosen


def test_preview_runs_the_same_recipe_as_the_api():
    import stylekit

    rgb = scene(5).astype(np.float32) / 255
    recipe = build_recipe(Controls(influencer="sunset", strength=0.5, edits={"contrast": 1.3}))
    expected = stylekit.personalise(rgb, recipe)[0]
    assert np.array_equal(render(rgb, None, recipe, StyleCache())[0], expected)
    assert render(rgb, None, build_recipe(Controls()), StyleCache())[0] is rgb


def test_a_training_job_reports_progress_and_time_left(tmp_path):
    release = threading.Event()
    seen = []

    def train(modality, influencer, progress, **kwargs):
        seen.append((modality, influencer, kwargs))
        progress(ProgressEvent(1, 4, "", {"loss": 0.5}))
        time.sleep(0.05)
        progress(ProgressEvent(2, 4, "", {"loss": 0.4}))
        release.wait(5)
        progress(ProgressEvent(4, 4))
        return StylePack(tmp_path / "packs" / influencer, influencer)  # as stylekit.train does (no report)

    jobs = Jobs(tmp_path / "jobs", train)
    token, folder = jobs.folder()
    job = jobs.start(token, folder, "mine", [Stage("image", {"photos": ["x"]}), Stage("text", {"posts": "p"})])
    for _ in range(100):
        if job.done == 2:
            break
        time.sleep(0.02)
    assert jobs.get(token) is job and jobs.get("someone-else") is None and jobs.running()
    assert "learning the look (1 of 2), step 2 of 4, about" in describe(job) and "left" in describe(job)
    assert 0 < job.fraction() < 0.5
    release.set()
    for _ in range(200):
        if job.state == "done":
            break
        time.sleep(0.02)
    assert job.state == "done" and job.fraction() == 1.0 and "'mine': trained in" in describe(job)
    assert [s[0] for s in seen] == ["image", "text"] and not folder.exists()


def test_a_failed_training_says_why(tmp_path):
    def train(modality, influencer, progress, **kwargs):
        raise TrainingError("Only 0 photo(s) in photos=PATH")

    jobs = Jobs(tmp_path / "jobs", train)
    token, folder = jobs.folder()
    job = jobs.start(token, folder, "mine", [Stage("image", {})])
    for _ in range(200):
        if job.state == "failed":
            break
        time.sleep(0.02)
    assert describe(job) == "'mine': training failed: Only 0 photo(s) in photos=PATH"


def test_serve_command_warns_off_localhost_and_passes_its_limits(monkeypatch):
    from typer.testing import CliRunner

    import stylekit.web
    from stylekit_cli.app import build_app

    calls = []
    monkeypatch.setattr(stylekit.web, "serve", lambda **kwargs: calls.append(kwargs))
    runner = CliRunner()
    local = runner.invoke(build_app(), ["serve", "--port", "7999", "--max-upload-mb", "2", "--max-pixels", "1000"])
    assert local.exit_code == 0, local.output
    assert "Warning" not in local.output and calls[0]["port"] == 7999
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["limits"] == Limits(max_bytes=2 * 1024 * 1024, max_pixels=1000)
    wide = runner.invoke(build_app(), ["serve", "--host", "0.0.0.0"])
    assert wide.exit_code == 0 and "Warning: serving on 0.0.0.0: anyone who can reach this computer" in wide.output
    bad = runner.invoke(build_app(), ["serve", "--max-upload-mb", "0"])
    assert bad.exit_code == 2 and "--max-upload-mb and --max-pixels must be positive" in bad.output
    assert len(calls) == 2


def test_share_dir_gets_a_folder_of_its_own(tmp_path):
    from stylekit.errors import UsageError
    from stylekit.web.server import work_folder

    (tmp_path / "keep.txt").write_text("mine")
    folder = work_folder(tmp_path)
    assert folder.parent == tmp_path and folder.name.startswith("stylekit-web-")
    assert (tmp_path / "keep.txt").read_text() == "mine"
    with pytest.raises(UsageError, match="--share-dir must be a folder"):
        work_folder(tmp_path / "keep.txt")


def test_names_from_the_page_are_never_pack_paths():
    import stylekit
    from stylekit.errors import UnknownInfluencerError
    from stylekit.web.looks import known

    sunset = next(p for p in stylekit.list_packs() if p.name == "sunset")
    assert known("sunset", "image") == "sunset"
    with pytest.raises(UnknownInfluencerError, match="Unknown look"):
        known(str(sunset.path), "image")  # a real pack folder, named by path: refused
    with pytest.raises(UnknownInfluencerError, match="Unknown voice 'sunset'"):
        known("sunset", "text")


def test_help_does_not_import_the_web_stack():
    import subprocess
    import sys

    code = ("import sys; sys.argv = ['stylekit', '--help']\nfrom stylekit_cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'gradio' not in sys.modules and 'stylekit.web' not in sys.modules, 'the web app was imported'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "serve" in done.stdout


def test_the_preview_finds_a_region_mask_once_and_matches_the_region(tmp_path):
    from skimage.data import astronaut

    pytest.importorskip("gradio")
    from stylekit.web.app import WebApp

    app = WebApp(tmp_path / "work")
    photo = tmp_path / "face.png"
    Image.fromarray(astronaut()[::2, ::2]).save(photo)  # a face, 256x256
    rgb, alpha = app.small(photo)
    soft, file = app.preview_mask("s", photo, "face", rgb)
    assert app.preview_mask("s", photo, "face", rgb)[1] is file and file.is_relative_to(app.sessions.private)
    assert 0 < soft.mean() < 1
    by_file = build_recipe(Controls(influencer="sunset", region="face"))
    by_file.region, by_file.mask = "", str(file)
    by_region = build_recipe(Controls(influencer="sunset", region="face"))
    styles = StyleCache()
    assert np.abs(render(rgb, alpha, by_file, styles)[0] - render(rgb, alpha, by_region, styles)[0]).max() < 2 / 255
