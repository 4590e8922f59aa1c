"""Frames sampled from a video file, for learning a look from an influencer's clips."""

from __future__ import annotations

from pathlib import Path

from .errors import TrainingError

DEFAULT_FRAMES = 24


def sample_frames(video: Path, out_dir: Path, count: int = DEFAULT_FRAMES) -> list[Path]:
    """Save `count` frames spread evenly over `video` as PNGs in `out_dir`; return their paths."""
    import cv2

    capture = cv2.VideoCapture(str(video))
    if not capture.isOpened():
        raise TrainingError(f"{video}: cannot open the video (unsupported codec or damaged file); export frames as images")
    try:
        total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        if total <= 0:
            raise TrainingError(f"{video}: the video has no readable frames; export frames as images")
        wanted = sorted({round(i * (total - 1) / max(count - 1, 1)) for i in range(min(count, total))})
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for index in wanted:
            capture.set(cv2.CAP_PROP_POS_FRAMES, index)
            ok, frame = capture.read()
            if not ok:
                continue
            path = out_dir / f"{video.stem}_{index:06d}.png"
            cv2.imwrite(str(path), frame)
            paths.append(path)
    finally:
        capture.release()
    if not paths:
        raise TrainingError(f"{video}: no frame could be decoded; export frames as images")
    return paths
