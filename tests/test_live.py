"""`stylekit live` headless: MJPEG on 127.0.0.1 from a clip, a bounded number of frames,
look and strength switched by query parameters, frames dropped rather than queued."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

av = pytest.importorskip("av")
cv2 = pytest.importorskip("cv2")

from tests.test_video import make_clip  # noqa: E402

STYLEKIT = Path(sys.executable).with_name("stylekit")


def first_jpegs(url: str, count: int, timeout: float = 20.0) -> list[bytes]:
    """Read `count` JPEG parts from an MJPEG stream."""
    parts: list[bytes] = []
    with urllib.request.urlopen(url, timeout=timeout) as response:
        assert response.headers["Content-Type"].startswith("multipart/x-mixed-replace")
        while len(parts) < count:
            line = response.readline()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                size = int(line.split(b":")[1])
                response.readline()  # blank line
                parts.append(response.read(size))
    return parts


def test_live_serves_mjpeg_headless_and_exits_cleanly(tmp_path):
    clip = make_clip(tmp_path / "test.mp4", seconds=1.0, rotation=0)
    env = {**os.environ, "DISPLAY": ""}
    proc = subprocess.Popen(
        [STYLEKIT, "live", "--input", clip, "-i", "aurora", "--port", "0", "--frames", "3", "--loop"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        line = proc.stdout.readline()
        assert "serving MJPEG on http://127.0.0.1:" in line, line + proc.stderr.read()
        base = line.split(" on ", 1)[1].split("stream", 1)[0]
        jpegs = first_jpegs(base + "stream?strength=0.5", 2)
        assert len(jpegs) >= 1
        frame = cv2.imdecode(np.frombuffer(jpegs[0], np.uint8), cv2.IMREAD_COLOR)
        assert frame.shape == (96, 160, 3)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read()
    assert "styled" in err and "fps" in err and "latency" in err


def test_live_session_switches_look_and_drops_frames_when_behind(tmp_path):
    from stylekit.live import Latest, LiveSession, run_live

    clip = make_clip(tmp_path / "clip.mp4", seconds=1.0, rotation=0)
    addresses: list[str] = []
    stats_box: dict = {}

    def run() -> None:
        stats_box["stats"] = run_live("sunset", camera=None, source=str(clip), port=0, frames=4, loop=True,
                                      window=False, on_ready=addresses.append)

    thread = threading.Thread(target=run)
    thread.start()
    for _ in range(200):
        if addresses:
            break
        time.sleep(0.05)
    base = addresses[0]
    bad = urllib.request.Request(base + "stats?influencer=nobody")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(bad, timeout=10)
    assert info.value.code == 400 and b"Unknown influencer 'nobody'" in info.value.read()
    stats = json.loads(urllib.request.urlopen(base + "set?influencer=noir&strength=0.7", timeout=10).read())
    assert stats["influencer"] in ("sunset", "noir")
    assert len(first_jpegs(base + "stream", 4)) >= 1
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert stats_box["stats"].influencer == "noir" and stats_box["stats"].strength == 0.7

    latest = Latest()  # one slot: a frame not taken yet is replaced, and counted as dropped
    for i in range(5):
        latest.put(np.full((4, 4, 3), i, np.uint8), time.perf_counter())
    frame, _ = latest.take()
    assert frame[0, 0, 0] == 4 and latest.dropped == 4
    session = LiveSession("sunset", 0.5)
    jpeg = session.style_frame(np.zeros((32, 48, 3), np.uint8), time.perf_counter())
    assert jpeg[:2] == b"\xff\xd8" and session.stats.latency_ms > 0


def test_live_refuses_bad_sources_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from stylekit_cli.app import build_app

    runner = CliRunner()
    result = runner.invoke(build_app(), ["live", "-i", "aurora"])
    assert result.exit_code == 2 and "--camera N or --input" in result.output
    result = runner.invoke(build_app(), ["live", "-i", "aurora", "--input", str(tmp_path / "none.mp4")])
    assert result.exit_code == 1 and "no such file" in result.output and len(result.output.strip().splitlines()) == 1
