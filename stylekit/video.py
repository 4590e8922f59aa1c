"""Video files: frames sampled for learning a look, and a look put on every frame of a clip.

`stylize_video` decodes with PyAV (FFmpeg), styles each frame through the fast frame path
(`stylekit.frames`), and encodes H.264 (or the codec the output's extension calls for),
keeping the frame rate and timestamps, the size, the rotation tag and the colour metadata,
and copying the audio untouched. Decoding, styling and encoding run in threads (FFmpeg's
own frame threads, plus a pool styling frames in order), and the file is written under a
temporary name and renamed when complete (`stylekit.outputs.atomic_write`).
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .errors import OutputError, TrainingError, UsageError, VideoReadError

DEFAULT_FRAMES = 24
# Output codec by extension: (codec, pixel format); `lossless` writes RGB H.264 instead.
CODECS = {
    ".mp4": ("libx264", "yuv420p"), ".m4v": ("libx264", "yuv420p"), ".mov": ("libx264", "yuv420p"),
    ".mkv": ("libx264", "yuv420p"), ".webm": ("libvpx-vp9", "yuv420p"), ".avi": ("mpeg4", "yuv420p"),
}
DEFAULT_CRF = 18  # visually lossless for H.264
PRESET = "veryfast"  # x264 speed: real time at 720p on two cores, files about 1.5x "medium"


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


# --- reading ---------------------------------------------------------------------------------------
def _av() -> Any:
    try:
        import av
    except ImportError:
        raise UsageError("Video needs PyAV; install it with: pip install 'stylekit[video]' (or pip install av)") from None
    return av


def open_video(path: str | os.PathLike) -> Any:
    """An open PyAV input container with a video stream; `VideoReadError` in one line otherwise."""
    av = _av()
    path = Path(path)
    if not path.is_file():
        raise VideoReadError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file; pass a video file")
    try:
        container = av.open(str(path), mode="r")
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise VideoReadError(f"{path}: not a video stylekit can read ({_reason(exc)}); re-export it as H.264 MP4") from None
    if not container.streams.video:
        kind = "audio only" if container.streams.audio else "no video stream"
        container.close()
        raise VideoReadError(f"{path}: {kind}; pass a file with a video stream")
    return container


def _reason(exc: BaseException) -> str:
    """FFmpeg's words for what went wrong, without the error number and file name."""
    text = getattr(exc, "strerror", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    return str(text).lower()


@dataclass
class VideoInfo:
    """What `stylize_video` keeps from the input: size, rate, length, rotation, colour, audio."""

    width: int
    height: int
    fps: Fraction | None
    frames: int
    duration: float | None
    rotation: int
    audio: str | None
    codec: str


def probe_video(path: str | os.PathLike) -> VideoInfo:
    """The video stream's size, frame rate, frame count (estimated when the file does not
    say), duration, rotation and audio codec."""
    with open_video(path) as container:
        stream = container.streams.video[0]
        fps = stream.average_rate or stream.guessed_rate
        duration = None
        if stream.duration is not None and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / 1_000_000
        frames = int(stream.frames or 0)
        if not frames and duration and fps:
            frames = int(round(duration * float(fps)))
        rotation = 0
        try:
            rotation = int(next(container.decode(stream)).rotation or 0)
        except (StopIteration, Exception):  # noqa: BLE001 - a file without one decodable frame fails later, in one line
            pass
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
        return VideoInfo(stream.codec_context.width, stream.codec_context.height, Fraction(fps) if fps else None,
                         frames, duration, rotation, audio, stream.codec_context.name)


def frame_to_rgb(frame: Any) -> np.ndarray:
    """A decoded PyAV frame as (H, W, 3) uint8 RGB, converted with the colour matrix and
    range the file declares (BT.601 limited range where it declares none)."""
    kwargs: dict[str, Any] = {}
    if frame.color_range:
        kwargs["src_color_range"] = frame.color_range
    return frame.to_ndarray(format="rgb24", **kwargs)


def read_frames(path: str | os.PathLike, limit: int | None = None) -> Iterator[np.ndarray]:
    """The video's frames as (H, W, 3) uint8 RGB arrays, in order (the first `limit`)."""
    av = _av()
    with open_video(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        count = 0
        try:
            for frame in container.decode(stream):
                yield frame_to_rgb(frame)
                count += 1
                if limit is not None and count >= limit:
                    return
        except av.FFmpegError as exc:
            raise VideoReadError(f"{path}: damaged after frame {count} ({_reason(exc)}); re-export the video") from None


def middle_frame(path: str | os.PathLike) -> np.ndarray:
    """The frame in the middle of the video as (H, W, 3) uint8 RGB (seeking, not decoding all)."""
    av = _av()
    with open_video(path) as container:
        stream = container.streams.video[0]
        frame = None
        try:
            if stream.duration and stream.time_base:
                container.seek(int(stream.duration // 2) + (stream.start_time or 0), stream=stream)
            for frame in container.decode(stream):
                break
            if frame is None:  # seeking past the last key frame: from the start
                container.seek(0)
                frame = next(container.decode(stream), None)
        except av.FFmpegError as exc:
            raise VideoReadError(f"{path}: damaged ({_reason(exc)}); re-export the video") from None
        if frame is None:
            raise VideoReadError(f"{path}: no frame could be decoded; re-export the video")
        return frame_to_rgb(frame)


# --- writing ---------------------------------------------------------------------------------------
def _encoder(output: Any, suffix: str, template: Any, first: Any, lossless: bool, crf: int, rotation: int) -> Any:
    """The output video stream, set up like the input's (rate, size, colour tags, rotation)."""
    if suffix not in CODECS:
        raise UsageError(f"Cannot write '{suffix}' videos; use one of {', '.join(sorted(CODECS))}")
    codec, pix_fmt = ("libx264rgb", "rgb24") if lossless else CODECS[suffix]
    rate = template.average_rate or template.guessed_rate or 30
    stream = output.add_stream(codec, rate=rate)
    ctx = stream.codec_context
    ctx.width, ctx.height = first.width, first.height
    if pix_fmt == "yuv420p" and (first.width % 2 or first.height % 2):
        pix_fmt = "yuv444p"  # 4:2:0 needs even sides
    ctx.pix_fmt = pix_fmt
    ctx.time_base = template.time_base
    ctx.thread_type = "AUTO"
    if template.sample_aspect_ratio:
        ctx.sample_aspect_ratio = template.sample_aspect_ratio
    if not lossless:  # colour tags of the input, so players show the same colours
        _copy_colour_tags(first, ctx)
    if codec.startswith("libx264"):
        ctx.options = {"preset": PRESET, **({"qp": "0"} if lossless else {"crf": str(crf)})}
    elif codec == "libvpx-vp9":
        ctx.options = {"crf": str(max(crf + 13, 0)), "b": "0", "deadline": "realtime", "cpu-used": "8", "row-mt": "1"}
    else:
        ctx.options = {"qscale": "3"}
    if rotation:
        stream.set_display_rotation(rotation)
    return stream


def _copy_colour_tags(source: Any, target: Any) -> None:
    """The source's colour space, range, primaries and transfer, where set and where the
    target (an encoder context or a frame) takes them."""
    for attr in ("colorspace", "color_range", "color_primaries", "color_trc"):
        value = getattr(source, attr, None)
        if value:
            try:
                setattr(target, attr, value)
            except (AttributeError, ValueError, TypeError):
                pass


def _to_frame(av: Any, styled: np.ndarray, source: Any, lossless: bool, pix_fmt: str = "yuv420p") -> Any:
    """The styled pixels as a PyAV frame with the source frame's timing and colour tags."""
    fmt = "rgb24" if styled.shape[2] == 3 else "rgba"
    frame = av.VideoFrame.from_ndarray(styled, format=fmt)
    if not lossless:
        kwargs: dict[str, Any] = {"format": pix_fmt}
        if source.colorspace:
            kwargs["dst_colorspace"] = source.colorspace
        if source.color_range:
            kwargs["dst_color_range"] = source.color_range
        frame = frame.reformat(**kwargs)
        _copy_colour_tags(source, frame)
    elif fmt == "rgba":
        frame = frame.reformat(format="rgb24")
    frame.pts, frame.time_base = source.pts, source.time_base
    return frame


_END = object()


def _decode(av: Any, container: Any, path: Path, pool: ThreadPoolExecutor, apply: Any, items: queue.Queue,
            stop: threading.Event) -> None:
    """Demux and decode in this thread: video frames go to the pool, audio packets pass
    through; both in file order into `items` (bounded, so decoding waits for encoding)."""
    video = container.streams.video[0]
    audio = container.streams.audio[0] if container.streams.audio else None
    streams = [video] + ([audio] if audio is not None else [])
    count = 0
    try:
        for packet in container.demux(streams):
            if stop.is_set():
                return
            if packet.stream is audio:
                if packet.dts is not None:
                    items.put(("audio", packet))
                continue
            for frame in packet.decode():
                rgb = frame_to_rgb(frame)
                items.put(("video", pool.submit(apply, rgb), frame))
                count += 1
        items.put(("end", count))
    except av.FFmpegError as exc:
        items.put(("error", VideoReadError(f"{path}: damaged after frame {count} ({_reason(exc)}); re-export the video")))
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
        items.put(("error", exc))


def stylize_video(
    src: str | os.PathLike, out: str | os.PathLike, influencer: str | None = None, strength: float | None = None, *,
    recipe: Any = None, overwrite: bool = False, device: str = "auto", progress: Any = None, smooth: float = 0.85,
    lossless: bool = False, crf: int = DEFAULT_CRF, region_every: int = 10, **options: Any,
) -> Path:
    """Write `src` with the influencer's look on every frame to `out`; return `out`.

    Frame rate, timestamps, size, rotation and colour tags are kept and the audio stream is
    copied as it is. The codec follows `out`'s extension (H.264 for .mp4/.mov/.mkv/.m4v,
    VP9 for .webm, MPEG-4 for .avi); `lossless` writes RGB H.264 without loss (for
    checking colours), `crf` sets the quality otherwise (lower is better; 18 by default).
    `recipe` adds a region or mask limit, edits and overlays to every frame (no avatar).
    `smooth` is the share of image-adaptive state kept from frame to frame (0 turns
    smoothing off); state resets at scene cuts. A `region` is found again every
    `region_every` frames and at scene cuts. `progress` receives `ProgressEvent`s with
    the frames done, the total (estimated) and the frames per second. `out` is written
    under a temporary name and renamed when complete: it never replaces the input, nor an
    existing file unless `overwrite`.
    """
    from .engines import ProgressEvent
    from .frames import make_pipeline
    from .outputs import atomic_write, check_output

    av = _av()
    src, out = Path(src), Path(out)
    if out.suffix.lower() not in CODECS:
        raise UsageError(f"{out}: cannot write '{out.suffix or 'no extension'}' videos; name the output .mp4, .mov, .mkv, .m4v, .webm or .avi")
    if lossless and not CODECS[out.suffix.lower()][0].startswith("libx264"):
        raise UsageError(f"{out}: lossless output is RGB H.264; name it .mkv or .mp4")
    if not isinstance(crf, int) or not 0 <= crf <= 51:
        raise UsageError(f"crf={crf!r} is out of range; allowed: 0 (best) to 51")
    check_output(out, overwrite, inputs=[src], kind="video")
    info = probe_video(src)
    pipeline = make_pipeline(influencer, strength, recipe=recipe, smooth=smooth, region_every=region_every,
                             device=device, **options)
    total = max(info.frames, 1)
    from .api import provenance as make_provenance

    provenance = make_provenance(pipeline.recipe.influencer if pipeline.recipe else influencer, "image",
                                 pipeline.strength, source=src.name, kind="video")

    def apply(rgb: np.ndarray) -> np.ndarray:
        return pipeline(rgb)

    def write(tmp: Path) -> None:
        stop = threading.Event()
        items: queue.Queue = queue.Queue(maxsize=8)  # frames in flight: decoding waits when encoding lags
        with open_video(src) as container, av.open(str(tmp), mode="w", format=_muxer(out)) as output, \
                ThreadPoolExecutor(max_workers=1) as pool:
            output.metadata["comment"] = json.dumps(provenance, sort_keys=True)  # provenance, as images carry it
            # Frames carry smoothing state from one to the next, so the look runs on one worker
            # in order; FFmpeg's decoder and encoder threads and this thread work beside it.
            container.streams.video[0].thread_type = "AUTO"
            reader = threading.Thread(target=_decode, args=(av, container, src, pool, apply, items, stop), daemon=True)
            reader.start()
            stream = audio_out = None
            pending: list[Any] = []
            done, started = 0, time.perf_counter()
            try:
                while True:
                    item = items.get()
                    if item[0] == "error":
                        raise item[1]
                    if item[0] == "end":
                        break
                    if item[0] == "audio":
                        if stream is None:  # every stream exists before the first packet is written
                            pending.append(item[1])
                            continue
                        item[1].stream = audio_out
                        _mux(output, item[1], out)
                        continue
                    styled, source = item[1].result(), item[2]
                    if stream is None:
                        stream = _encoder(output, out.suffix.lower(), container.streams.video[0],
                                          _Size(styled, source), lossless, crf, info.rotation)
                        if container.streams.audio:
                            audio_out = _audio_stream(output, container.streams.audio[0], out)
                        for packet in pending:
                            packet.stream = audio_out
                            _mux(output, packet, out)
                        pending.clear()
                    elif (styled.shape[1], styled.shape[0]) != (stream.codec_context.width, stream.codec_context.height):
                        raise UsageError("Edits changed the frame size from one frame to the next; use fixed-size edits on video")
                    for packet in stream.encode(_to_frame(av, styled, source, lossless, stream.codec_context.pix_fmt)):
                        _mux(output, packet, out)
                    done += 1
                    if progress is not None:
                        fps = done / max(time.perf_counter() - started, 1e-6)
                        progress(ProgressEvent(done, max(total, done), "", {"fps": fps}))
                if stream is None:
                    raise VideoReadError(f"{src}: no frame could be decoded; re-export the video")
                for packet in stream.encode(None):
                    _mux(output, packet, out)
            finally:
                stop.set()
                pool.shutdown(wait=False, cancel_futures=True)  # frames queued for styling are not styled
                while reader.is_alive():  # unblock a reader waiting on a full queue
                    try:
                        items.get(timeout=0.05)
                    except queue.Empty:
                        pass
                reader.join()

    return atomic_write(out, write, overwrite=overwrite)


class _Size:
    """The first styled frame's size with the source frame's colour tags, for `_encoder`."""

    def __init__(self, styled: np.ndarray, source: Any) -> None:
        self.height, self.width = styled.shape[:2]
        for attr in ("colorspace", "color_range", "color_primaries", "color_trc"):
            setattr(self, attr, getattr(source, attr, None))


def _audio_stream(output: Any, template: Any, out: Path) -> Any:
    av = _av()
    try:
        return output.add_stream_from_template(template)
    except (av.FFmpegError, ValueError) as exc:
        raise UsageError(f"{out}: its container cannot hold the {template.codec_context.name} audio ({_reason(exc)}); name it .mkv") from None


def _mux(output: Any, packet: Any, out: Path) -> None:
    av = _av()
    try:
        output.mux(packet)
    except av.FFmpegError as exc:
        if getattr(exc, "errno", None) in (28,):  # ENOSPC
            raise OutputError(f"{out}: cannot write (disk full)") from None
        what = "audio" if packet.stream.type == "audio" else "video"
        raise UsageError(f"{out}: cannot write its {what} ({_reason(exc)}); name the output .mkv") from None


def _muxer(out: Path) -> str | None:
    """The container format for `out`'s extension (the temporary name keeps it, but say it)."""
    return {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska", ".webm": "webm", ".avi": "avi"}.get(out.suffix.lower())
