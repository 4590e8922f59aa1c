"""The CLI through typer.testing.CliRunner and through the installed `stylekit` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stylekit_cli.app import build_app

from .test_imageio import _png_header_only
from .test_plugins import make_dist, site  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
STYLEKIT = Path(sys.executable).with_name("stylekit")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(build_app(), [str(a) for a in args], input=input)


def test_image_inspect_strength(png_photo, tmp_path):
    result = run("image", png_photo, "--influencer", "sunset", "-o", tmp_path / "o.png")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout
    shown = run("inspect", tmp_path / "o.png")
    assert "influencer: sunset" in shown.stdout and "engine classic" in shown.stdout
    as_json = json.loads(run("inspect", tmp_path / "o.png", "--json").stdout)
    assert as_json["stylekit"]["strength"] == 1.0


def test_bad_files_exit_1_with_one_line_each(photo_dir, tmp_path):
    (photo_dir / "text.jpg").write_text("hello")
    _png_header_only(photo_dir / "huge.png", 30000, 30000)
    result = run("image", photo_dir, "-i", "sunset", "--out-dir", tmp_path / "out")
    assert result.exit_code == 1
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failures) == 2 and any("text.jpg" in f for f in failures) and any("huge.png" in f for f in failures)
    assert len(list((tmp_path / "out").iterdir())) == 4


def test_unknown_influencer_one_line_exit_1(png_photo):
    result = run("image", png_photo, "-i", "nobody")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "Unknown influencer 'nobody'; installed: aurora, noir, sunset" in result.stderr


def test_usage_error_exits_2(png_photo):
    result = run("image", png_photo, "-i", "sunset", "--strength", "9")
    assert result.exit_code == 2 and "between 0 and 1.5" in result.stderr


def test_debug_shows_traceback(png_photo, monkeypatch):
    monkeypatch.setenv("STYLEKIT_DEBUG", "1")
    result = run("image", png_photo, "-i", "nobody")
    assert result.exit_code == 1 and type(result.exception).__name__ == "UnknownInfluencerError"


def test_train_classic_then_styles(photo_dir, tmp_path):
    result = run("train", "image", "--engine", "classic", "--influencer", "mine", "--photos", photo_dir,
                 "--consent-by", "me", "--consent", "my own photos")
    assert result.exit_code == 0, result.output
    listing = run("styles", "list").stdout
    assert "mine" in listing and "sunset" in listing
    assert json.loads(run("styles", "show", "mine", "--json").stdout)["consent"]["granted_by"] == "me"
    assert run("styles", "export", "mine", "-o", tmp_path / "m.zip").exit_code == 0
    assert run("styles", "remove", "mine", input="n\n").exit_code == 1
    assert run("styles", "remove", "mine", "--yes").exit_code == 0
    imported = run("styles", "import", tmp_path / "m.zip")
    assert imported.exit_code == 0 and "imported 'mine'" in imported.stdout
    lut = run("styles", "export-lut", "sunset", "-o", tmp_path / "s.cube")
    assert lut.exit_code == 0 and (tmp_path / "s.cube").read_text().count("\n") == 33**3 + 4


def test_train_from_lut(tmp_path):
    result = run("train", "image", "-i", "preset", "--lut", ROOT / "examples/presets/sunset.cube")
    assert result.exit_code == 0, result.output
    assert "engine classic" in result.stdout


def test_import_refuses_traversal(tmp_path, isolated_home):
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as zf:
        zf.writestr("../outside.txt", "x")
        zf.writestr("stylepack.toml", "")
    result = run("styles", "import", tmp_path / "evil.zip")
    assert result.exit_code == 1 and "points outside the pack" in result.stderr
    assert not (tmp_path / "outside.txt").exists() and not (isolated_home / "outside.txt").exists()


def test_plugins_and_engines_json():
    plugins = json.loads(run("plugins", "--json").stdout)
    assert {"name": "classic", "status": "loaded"}.items() <= next(p for p in plugins if p["name"] == "classic").items()
    engines = json.loads(run("engines", "--json").stdout)
    assert any(e["name"] == "classic" for e in engines)


def test_broken_plugin_listed_while_commands_work(site, png_photo, tmp_path):  # noqa: F811
    make_dist(site, "fake_broken", "raise ImportError('missing dependency xyz')\n")
    from stylekit.plugins import reset_plugin_manager

    reset_plugin_manager()
    with pytest.warns(RuntimeWarning):
        listing = run("plugins")
    assert "fake_broken" in listing.stdout and "failed" in listing.stdout and "missing dependency xyz" in listing.stdout
    assert run("image", png_photo, "-i", "sunset", "-o", tmp_path / "o.png").exit_code == 0


def _env(**extra) -> dict:
    env = dict(os.environ)
    env.update(extra)
    return env


def test_installed_command_help_and_plugins_do_not_import_torch(tmp_path):
    assert STYLEKIT.exists(), "the stylekit console script is not installed in this environment"
    code = (
        "import sys; sys.argv=['stylekit', 'plugins']\n"
        "from stylekit_cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "assert 'transformers' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=_env(STYLEKIT_HOME=str(tmp_path)), capture_output=True)
    help_text = subprocess.run([STYLEKIT, "--help"], check=True, capture_output=True, text=True).stdout
    assert "image" in help_text and "train" in help_text


def test_installed_command_end_to_end(png_photo, tmp_path):
    env = _env(STYLEKIT_HOME=str(tmp_path / "home"))
    out = tmp_path / "o.jpg"
    done = subprocess.run([STYLEKIT, "image", png_photo, "-i", "sunset", "-o", out], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    again = subprocess.run([STYLEKIT, "image", png_photo, "-i", "sunset", "-o", out], env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "already exists; pass --overwrite" in again.stderr
    shown = subprocess.run([STYLEKIT, "inspect", out], env=env, capture_output=True, text=True)
    assert "influencer: sunset" in shown.stdout


def test_example_plugin_installs_through_entry_point(tmp_path, photo_dir):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--target", str(target), str(ROOT / "examples" / "stylekit-duotone")],
        check=True, capture_output=True,
    )
    env = _env(STYLEKIT_HOME=str(tmp_path / "home"), PYTHONPATH=str(target))
    listing = subprocess.run([STYLEKIT, "plugins"], env=env, capture_output=True, text=True, check=True).stdout
    assert "duotone (stylekit-duotone 0.1.0): loaded" in listing
    subprocess.run([STYLEKIT, "train", "image", "--engine", "duotone", "-i", "mono", "--photos", photo_dir],
                   env=env, check=True, capture_output=True)
    colours = subprocess.run([STYLEKIT, "duotone-colors", "mono"], env=env, capture_output=True, text=True, check=True)
    assert colours.stdout.startswith("shadow: #")
    lut = subprocess.run([STYLEKIT, "styles", "export-lut", "mono", "-o", tmp_path / "m.cube"], env=env, capture_output=True)
    assert lut.returncode == 0


def test_api_example_runs(tmp_path):
    env = _env(STYLEKIT_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, ROOT / "examples" / "api_example.py", tmp_path / "out"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "coffee_sunset80.jpg").exists() and (tmp_path / "out" / "sunset.cube").exists()


@pytest.mark.filterwarnings("always::stylekit.errors.ConsentWarning")
def test_pack_without_consent_warns_on_use(photo_dir, png_photo, tmp_path):
    assert run("train", "image", "--engine", "classic", "-i", "anon", "--photos", photo_dir).exit_code == 0
    result = run("image", png_photo, "-i", "anon", "-o", tmp_path / "o.png")
    assert result.exit_code == 0
    assert "Warning: Influencer 'anon' records no consent" in result.stderr
    assert "consent" not in run("image", png_photo, "-i", "sunset", "-o", tmp_path / "p.png").stderr


def _posts_file(tmp_path: Path) -> Path:
    from stylekit_seq2seq.corpus import load_background

    posts = tmp_path / "posts.txt"
    posts.write_text("\n".join(f"honestly. {s.lower()} 🌙 #latenight" for s in load_background()[:60]), encoding="utf-8")
    return posts


def test_train_resume_without_a_checkpoint_says_so_in_one_line(tmp_path):
    result = run("train", "text", "-i", "mine", "--posts", _posts_file(tmp_path), "--resume", "-O", "size=tiny")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "No checkpoint to resume in" in result.stderr
    assert "drop --resume to start" in result.stderr


@pytest.mark.slow  # two tiny text trainings
def test_ctrl_c_during_training_saves_and_says_how_to_resume(tmp_path, monkeypatch):
    import signal

    import torch

    posts = _posts_file(tmp_path)
    clip, calls = torch.nn.utils.clip_grad_norm_, {"n": 0}

    def clip_then_ctrl_c(*args, **kwargs):  # a real Ctrl-C in the middle of the 5th step
        calls["n"] += 1
        if calls["n"] == 5:
            os.kill(os.getpid(), signal.SIGINT)
        return clip(*args, **kwargs)

    monkeypatch.setattr(torch.nn.utils, "clip_grad_norm_", clip_then_ctrl_c)
    args = ("train", "text", "-i", "mine", "--posts", posts, "--steps", "20", "-O", "size=tiny")
    result = run(*args)
    assert result.exit_code == 130
    assert "Interrupted at step 5 of 20; checkpoint saved in" in result.stderr
    assert "Rerun with --resume to continue." in result.stderr
    monkeypatch.setattr(torch.nn.utils, "clip_grad_norm_", clip)
    resumed = run(*args, "--resume")
    assert resumed.exit_code == 0, resumed.output


@pytest.mark.filterwarnings("ignore:'sunset' has no voice")
def test_post_prints_the_caption_and_writes_each_layout(png_photo, tmp_path):
    result = run("post", png_photo, "-i", "sunset", "--caption", "Beach day!", "-o", tmp_path / "p.jpg", "--layout", "both")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Beach day!"
    assert "wrote" in result.stderr and (tmp_path / "p_square.jpg").is_file() and (tmp_path / "p_story.jpg").is_file()
    again = run("post", png_photo, "-i", "sunset", "--caption", "x", "-o", tmp_path / "p.jpg", "--layout", "both")
    assert again.exit_code == 1 and "--overwrite" in again.stderr


def test_training_a_voice_says_what_the_voice_was_found_to_do(tmp_path):
    from stylekit_seq2seq.corpus import load_background

    sentences = load_background()
    kids = [s for s in sentences if "kids" in s][:10]
    posts = [s.replace("kids", "children") for s in kids] + [s for s in sentences[:100] if "kids" not in s]
    posts = [("And " + p[0].lower() + p[1:] if i % 3 == 0 and not p.startswith("I ") else p) + " 🌙"
             for i, p in enumerate(posts)]
    (tmp_path / "posts.txt").write_text("\n".join(posts), encoding="utf-8")
    result = run("train", "text", "-i", "mine", "--posts", tmp_path / "posts.txt", "--steps", "5", "-O", "size=tiny")
    assert result.exit_code == 0, result.output
    assert 'voice opens sentences with: "and"' in result.stdout
    assert 'voice word choice: "children" for "kids"' in result.stdout
