"""The README is a test: its shell examples run as written, in order, in one scratch folder
(the Python API block as one script, where it stands), and every `stylekit` command shown in
docs/*.md names a command and flags that exist; docs' Python blocks compile and import what
they name from stylekit.

The scratch folder starts with what a reader brings, made from the repository's own files
(`INPUTS`): their photo `me.jpg`, a `feed/` of an influencer's photos, posts, a video... Every
other file a later example reads, an earlier example wrote. Lines that cannot run here are
listed in `NOT_RUN` with the reason, and each entry must still match a line, so the list
cannot outlive the README.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
EXAMPLE_PHOTOS = sorted((ROOT / "examples" / "photos").glob("*.jpg"))

# Lines (matched by substring) that need what a test machine has not, and why.
NOT_RUN = {
    "python3.11 -m venv": "installs stylekit; .ci/run runs exactly this command",
    "pip install": "installs an optional extra; the test extra already has what the tests need",
    "--watermark": "needs the optional invisible-watermark library, installed apart as the README says "
                   "(tests/test_watermark.py covers it)",
    "--resume": "continues a run that a kill or Ctrl-C interrupted; tests/test_training.py and the engine "
                "tests interrupt runs and resume them",
    "stylekit live --camera": "needs a camera and runs until stopped",
    "stylekit live --input": "serves a stream until stopped (tests/test_live.py runs the server)",
    "stylekit serve": "serves the web app until Ctrl-C (the web tests run it)",
    "--executor ray": "starts a Ray cluster (half a minute); tests/test_ray.py runs these paths",
    "--base-model ~/models/t5-small": "needs a T5 checkpoint on disk (nothing is downloaded); "
                                      "tests/plugins/test_seq2seq.py fine-tunes a tiny local one",
}


def code_blocks(path: Path, languages: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """(first line number, language, text) of each fenced block in `path` of these languages."""
    blocks, lang, start, lines = [], None, 0, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            if lang is None:
                lang, start, lines = line[3:].strip(), number + 1, []
            else:
                if lang in languages:
                    blocks.append((start, lang, "\n".join(lines)))
                lang = None
        elif lang is not None:
            lines.append(line)
    return blocks


def runnable(line: str) -> str:
    """A README shell line as it runs: optional parts shown in brackets (`[--json]`) given,
    the trailing comment left to bash."""
    code, comment = split_comment(line)
    return (re.sub(r"\[([^\]]*)\]", r"\1", code) + comment).strip()


def split_comment(line: str) -> tuple[str, str]:
    """(code, comment) of a shell line: the comment starts at a `#` after a blank, outside quotes."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i], line[i:]
    return line, ""


def _skip_reason(line: str) -> str | None:
    return next((why for key, why in NOT_RUN.items() if key in line), None)


# --- what a reader brings -----------------------------------------------------------------

def _video(path: Path, frames: int = 12, size: tuple[int, int] = (96, 64)) -> None:
    import av

    photo = np.asarray(Image.open(EXAMPLE_PHOTOS[0]).convert("RGB").resize(size))
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for i in range(frames):
            frame = np.roll(photo, i * 4, axis=1)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def make_inputs(folder: Path) -> None:
    """The files a reader of the README has: photos, posts, a video, a .cube preset."""
    from stylekit_seq2seq.corpus import load_background, load_demo_posts

    shutil.copy(EXAMPLE_PHOTOS[0], folder / "me.jpg")
    shutil.copy(EXAMPLE_PHOTOS[1], folder / "other.jpg")
    shutil.copy(ROOT / "examples" / "photos" / "chelsea.jpg", folder / "cat.jpg")
    for name in ("feed", "holiday", "my_photos", "photos"):
        (folder / name).mkdir()
        for photo in EXAMPLE_PHOTOS:
            shutil.copy(photo, folder / name / photo.name)
    shutil.copy(ROOT / "examples" / "presets" / "sunset.cube", folder / "preset.cube")
    w, h = Image.open(folder / "me.jpg").size
    mask = np.zeros((h, w), np.uint8)
    mask[h // 4: 3 * h // 4, w // 4: 3 * w // 4] = 255
    Image.fromarray(mask).save(folder / "mask.png")
    star = np.zeros((64, 64, 4), np.uint8)
    star[16:48, 16:48] = (255, 215, 0, 255)
    Image.fromarray(star).save(folder / "star.png")
    posts = load_demo_posts("aurora")[:300]
    (folder / "posts.txt").write_text("\n".join(posts) + "\n", encoding="utf-8")
    (folder / "my_posts.txt").write_text("\n".join(posts[:40]) + "\n", encoding="utf-8")
    (folder / "posts.jsonl").write_text("".join(json.dumps({"text": p}) + "\n" for p in posts), encoding="utf-8")
    (folder / "posts.csv").write_text("text\n" + "".join(json.dumps(p) + "\n" for p in posts), encoding="utf-8")
    (folder / "everyday.txt").write_text("\n".join(load_background()[:600]) + "\n", encoding="utf-8")
    (folder / "captions.txt").write_text("Had a nice day at the beach.\nCoffee first, then work.\n", encoding="utf-8")
    _video(folder / "reel.mp4")
    _video(folder / "clip.mp4")


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, STYLEKIT_HOME=str(home), NO_COLOR="1", COLUMNS="120")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


# --- the README, in order ---------------------------------------------------------------------

def test_readme_examples_run_in_order(tmp_path, isolated_home):
    pytest.importorskip("av")  # the video examples
    make_inputs(tmp_path)
    env = _env(isolated_home)
    ran, matched = 0, set()
    for start, lang, text in code_blocks(README, ("bash", "python")):
        if lang == "python":
            script = tmp_path / f"readme_{start}.py"
            script.write_text(text + "\n", encoding="utf-8")
            out = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True)
            assert out.returncode == 0, f"README.md:{start}: Python block failed:\n{out.stderr[-3000:]}"
            ran += 1
            continue
        for offset, line in enumerate(text.splitlines()):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            reason = _skip_reason(line)
            if reason:
                matched.update(k for k in NOT_RUN if k in line)
                continue
            command = runnable(line)
            out = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                                 input="y\n", timeout=1800)  # a training on a busy machine
            assert out.returncode == 0, (f"README.md:{start + offset}: `{command}` exited {out.returncode}:\n"
                                         f"{out.stderr[-3000:]}")
            ran += 1
    assert ran > 40
    assert matched == set(NOT_RUN), f"NOT_RUN entries that match no README line: {set(NOT_RUN) - matched}"


# --- docs: commands and flags exist, Python compiles and imports --------------------------------

def _command_tree() -> "object":
    """The CLI's root command (a click group, through Typer's own copy of click)."""
    import typer

    from stylekit_cli.app import build_app

    return typer.main.get_command(build_app())


def _flags(command: "object") -> set[str]:
    return {opt for param in command.params for opt in [*param.opts, *param.secondary_opts]} | {"--help"}


def _docs_commands() -> list[tuple[str, int, str]]:
    found = []
    for path in [README, *DOCS]:
        for start, _lang, text in code_blocks(path, ("bash", "")):
            for offset, line in enumerate(text.splitlines()):
                line = line.strip().removeprefix("$ ")
                if line.startswith("stylekit ") or " | stylekit " in line:
                    found.append((path.name, start + offset, line[line.index("stylekit "):]))
    return found


def test_docs_commands_name_commands_and_flags_that_exist():
    root, problems = _command_tree(), []
    commands = _docs_commands()
    assert len(commands) > 50
    for name, number, line in commands:
        words = runnable(split_comment(line)[0]).split()[1:]
        command, depth = root, 0
        while depth < len(words) and hasattr(command, "commands") and words[depth] in command.commands:
            command, depth = command.commands[words[depth]], depth + 1
        if command is root:
            problems.append(f"{name}:{number}: `{line}` names no stylekit command")
            continue
        for flag in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", " ".join(words[depth:])):
            if flag not in _flags(command):
                problems.append(f"{name}:{number}: `{line}`: {' '.join(words[:depth])} has no {flag}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_docs_python_blocks_compile_and_import_what_they_name(path):
    for start, _lang, text in code_blocks(path, ("python",)):
        tree = ast.parse(textwrap.dedent(text), filename=f"{path.name}:{start}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stylekit"):
                module = __import__(node.module, fromlist=["_"])
                missing = [a.name for a in node.names if not hasattr(module, a.name)]
                assert not missing, f"{path.name}:{start}: {node.module} has no {', '.join(missing)}"
