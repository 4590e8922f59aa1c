"""`stylekit video` and `stylekit.stylize_video` on tiny clips made here with PyAV: moving
shapes over a gradient and a 440 Hz tone, rotated 90 degrees."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

av = pytest.importorskip("av")

from stylekit_cli.app import build_app  # noqa: E402

FPS, SECONDS, W, H = 24, 2, 160, 96


def make_clip(path: Path, *, w: int = W, h: int = H, fps: int = FPS, seconds: float = SECONDS, audio: bool = True,
              rotation: int = 90, noise: float = 0.0, moving: bool = True, seed: int = 0) -> Path:
    """Moving shapes (a red disc, blue stripes) over a colour gradient, H.264 + AAC tone."""
    rng = np.random.default_rng(seed)
    frames = int(round(fps * seconds))
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = w, h, "yuv420p"
        video.codec_context.options = {"preset": "ultrafast", "crf": "12"}
        if rotation:
            video.set_display_rotation(rotation)
        tone = out.add_stream("aac", rate=44100) if audio else None
        if tone is not None:
            tone.layout = "mono"
        yy, xx = np.mgrid[0:h, 0:w]
        background = np.stack([xx / w * 200 + 30, yy / h * 180 + 40, np.full_like(xx, 120.0)], -1)
        for i in range(frames):
            img = background.copy()
            cx = (i * 3) % w if moving else w // 2
            img[(xx - cx) ** 2 + (yy - h // 2) ** 2 < (h // 5) ** 2] = (220, 60, 40)
            img[(yy // 8 + (i // 4 if moving else 0)) % 5 == 0, : w // 4] = (40, 80, 200)
            if noise:
                img = img + rng.normal(0, noise, img.shape)
            for packet in video.encode(av.VideoFrame.from_ndarray(np.clip(img, 0, 255).astype(np.uint8), format="rgb24")):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
        if tone is not None:
            rate = 44100
            t = np.arange(int(rate * seconds)) / rate
            samples = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            for start in range(0, len(samples), 1024):
                frame = av.AudioFrame.from_ndarray(samples[None, start : start + 1024], format="fltp", layout="mono")
                frame.sample_rate, frame.pts = rate, start
                for packet in tone.encode(frame):
                    out.mux(packet)
            for packet in tone.encode(None):
                out.mux(packet)
    return path


def cli(*args):
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def streams(path: Path) -> dict:
    """What a player sees: frame count, rate, size, rotation, audio seconds and codecs."""
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        fps, size, codec = v.average_rate, (v.codec_context.width, v.codec_context.height), v.codec_context.name
        frames = list(c.decode(v))
    with av.open(str(path)) as c:
        a = c.streams.audio[0]
        samples = sum(f.samples for f in c.decode(a))
        audio_codec, rate = a.codec_context.name, a.codec_context.sample_rate
    return {"frames": len(frames), "fps": fps, "size": size, "rotation": frames[0].rotation,
            "audio_s": samples / rate, "audio_codec": audio_codec, "codec": codec}


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4")


def test_video_keeps_frames_rate_size_rotation_and_audio(clip, tmp_path):
    out = tmp_path / "out.mp4"
    result = cli("video", clip, "-i", "aurora", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    before, after = streams(clip), streams(out)
    assert after["frames"] == before["frames"] == FPS * SECONDS
    assert after["fps"] == before["fps"] == Fraction(FPS)
    assert after["size"] == before["size"] == (W, H)
    assert after["rotation"] == before["rotation"] != 0
    assert after["codec"] == "h264" and after["audio_codec"] == "aac"
    assert after["audio_s"] == pytest.approx(before["audio_s"], abs=1e-6)  # copied, not re-encoded
    with av.open(str(clip)) as a, av.open(str(out)) as b:  # the audio packets themselves
        pa = [bytes(p) for p in a.demux(a.streams.audio[0]) if p.size]
        pb = [bytes(p) for p in b.demux(b.streams.audio[0]) if p.size]
    assert pa == pb
    with av.open(str(out)) as b:
        assert '"influencer": "aurora"' in b.metadata.get("comment", "")


@pytest.mark.parametrize("look", ["aurora", "noir", "sunset"])
def test_colours_match_stylekit_image_within_one_level(clip, tmp_path, look):
    from stylekit.video import read_frames

    out = tmp_path / "out.mkv"
    result = cli("video", clip, "-i", look, "-o", out, "--lossless")
    assert result.exit_code == 0, result.output
    source, styled = list(read_frames(clip)), list(read_frames(out))
    assert len(source) == len(styled)
    for index in (0, 17, len(source) - 1):
        frame_png, ref_png = tmp_path / f"f{index}.png", tmp_path / f"f{index}_{look}.png"
        Image.fromarray(source[index]).save(frame_png)
        assert cli("image", frame_png, "-i", look, "-o", ref_png).exit_code == 0
        ref = np.asarray(Image.open(ref_png).convert("RGB"), np.int16)
        assert np.abs(styled[index].astype(np.int16) - ref).max() <= 1


def test_strength_and_per_frame_edits(clip, tmp_path):
    from stylekit.video import read_frames

    half, edited = tmp_path / "half.mkv", tmp_path / "edited.mkv"
    assert cli("video", clip, "-i", "noir", "-s", "0", "-o", half, "--lossless").exit_code == 0
    assert all(np.array_equal(a, b) for a, b in zip(read_frames(clip), read_frames(half)))  # strength 0: unchanged
    result = cli("video", clip, "-i", "noir", "--contrast", "1.3", "--overlay", "frame:width=0.05", "-o", edited, "--lossless")
    assert result.exit_code == 0, result.output
    frames = list(read_frames(edited))
    assert len(frames) == FPS * SECONDS
    assert {f.shape for f in frames} == {frames[0].shape} and frames[0].shape[0] > H  # the border frames every frame
    assert len({tuple(f[0, 0]) for f in frames}) == 1


def test_mask_limits_the_look_on_every_frame(clip, tmp_path):
    from stylekit.video import read_frames

    mask = np.zeros((H, W), np.uint8)
    mask[:, W // 2 :] = 255
    Image.fromarray(mask).save(tmp_path / "mask.png")
    out = tmp_path / "masked.mkv"
    result = cli("video", clip, "-i", "noir", "--mask", tmp_path / "mask.png", "-o", out, "--lossless")
    assert result.exit_code == 0, result.output
    for source, styled in zip(read_frames(clip), read_frames(out)):
        left = np.abs(styled[:, : W // 2].astype(int) - source[:, : W // 2]).max()
        right = np.abs(styled[:, W // 2 :].astype(int) - source[:, W // 2 :]).mean()
        assert left == 0 and right > 2


def test_corrupt_unsupported_and_audio_only_are_one_line(tmp_path, clip):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x07" * 5000)
    audio_only = tmp_path / "tone.m4a"
    with av.open(str(clip)) as src, av.open(str(audio_only), "w") as dst:
        stream = dst.add_stream_from_template(src.streams.audio[0])
        for packet in src.demux(src.streams.audio[0]):
            if packet.dts is not None:
                packet.stream = stream
                dst.mux(packet)
    for path, words in ((junk, "not a video stylekit can read"), (audio_only, "audio only"),
                        (tmp_path / "missing.mp4", "no such file")):
        result = cli("video", path, "-i", "aurora", "-o", tmp_path / "out.mp4")
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and str(path.name) in lines[0], result.output
    result = cli("video", clip, "-i", "aurora", "-o", tmp_path / "out.gif")
    assert result.exit_code == 2 and "cannot write '.gif' videos" in result.output
    assert not (tmp_path / "out.mp4").exists()


def test_outputs_never_replace_the_input_or_clobber(clip, tmp_path):
    result = cli("video", clip, "-i", "aurora", "-o", clip)
    assert result.exit_code == 1 and "also an input" in result.output
    existing = tmp_path / "exists.mp4"
    existing.write_bytes(b"keep")
    result = cli("video", clip, "-i", "aurora", "-o", existing)
    assert result.exit_code == 1 and "already exists" in result.output and existing.read_bytes() == b"keep"
    assert cli("video", clip, "-i", "aurora", "-o", existing, "--overwrite").exit_code == 0
    assert existing.stat().st_size > 1000


def test_a_failure_midway_leaves_no_output_and_no_temporary_file(clip, tmp_path, monkeypatch):
    import stylekit.frames as frames
    from stylekit.video import stylize_video

    calls = {"n": 0}
    original = frames.FramePipeline.__call__

    def fail_at_ten(self, frame):
        calls["n"] += 1
        if calls["n"] == 10:
            raise KeyboardInterrupt  # as Ctrl-C would, in the middle of the clip
        return original(self, frame)

    monkeypatch.setattr(frames.FramePipeline, "__call__", fail_at_ten)
    folder = tmp_path / "outs"
    folder.mkdir()
    with pytest.raises(KeyboardInterrupt):
        stylize_video(clip, folder / "out.mp4", "aurora")
    assert 10 <= calls["n"] < FPS * SECONDS  # stopped there, not at the end
    assert list(folder.iterdir()) == []


def test_stylize_video_api_progress_and_other_containers(clip, tmp_path):
    import stylekit
    from stylekit.errors import UsageError

    events = []
    path = stylekit.stylize_video(clip, tmp_path / "api.mov", "sunset", strength=0.5, progress=events.append)
    assert path.is_file() and streams(path)["frames"] == FPS * SECONDS
    assert events[-1].done == FPS * SECONDS and events[-1].values["fps"] > 0
    with pytest.raises(UsageError, match="cannot hold the aac audio.*mkv"):  # WebM holds Opus/Vorbis only
        stylekit.stylize_video(clip, tmp_path / "api.webm", "sunset")
    assert not (tmp_path / "api.webm").exists()
    silent = make_clip(tmp_path / "silent.mp4", audio=False, rotation=0, seconds=0.5)
    webm = stylekit.stylize_video(silent, tmp_path / "silent.webm", "sunset")
    with av.open(str(webm)) as c:
        assert c.streams.video[0].codec_context.name == "vp9" and not c.streams.audio
