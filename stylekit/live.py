"""Live: a look on frames as they arrive from a camera, a file or a stream URL.

Three threads: a reader keeps only the newest frame (when styling falls behind, older
frames are dropped, never queued), a styler puts the look on it and encodes a JPEG, and
the output: a window where OpenCV can open one, otherwise an MJPEG stream served on
127.0.0.1 (`/stream`; `/` is a page showing it, `/stats` the numbers as JSON). The
influencer and strength switch while running: query parameters (`/stream?influencer=noir&strength=0.6`,
or `/set?...`), or keys in the window (1-9 pick a look, + and - change the strength, q quits).
Each frame shows the look, its latency (arrival to styled JPEG) and the frames per second.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlparse

import numpy as np

from .errors import StylekitError, UsageError, VideoReadError

HOST = "127.0.0.1"
BOUNDARY = b"stylekitframe"
JPEG_QUALITY = 85


@dataclass
class Stats:
    """What the live loop reports: frames styled, dropped and sent, latency and rate."""

    styled: int = 0
    dropped: int = 0
    sent: int = 0
    latency_ms: float = 0.0
    fps: float = 0.0
    influencer: str = ""
    strength: float = 1.0
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


class Latest:
    """A one-frame slot: `put` replaces what was not taken yet (counted as dropped)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: tuple[np.ndarray, float] | None = None
        self.dropped = 0
        self.closed = False

    def put(self, frame: np.ndarray, arrived: float) -> None:
        """Offer the newest frame with its arrival time."""
        with self._cond:
            if self._item is not None:
                self.dropped += 1
            self._item = (frame, arrived)
            self._cond.notify_all()

    def take(self, timeout: float = 0.5) -> tuple[np.ndarray, float] | None:
        """The newest frame (waiting up to `timeout`), or None."""
        with self._cond:
            if self._item is None and not self.closed:
                self._cond.wait(timeout)
            item, self._item = self._item, None
            return item

    def close(self) -> None:
        """No more frames will come."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class Broadcast:
    """The newest JPEG with a sequence number; clients wait for the next one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.jpeg: bytes | None = None
        self.seq = 0
        self.closed = False

    def publish(self, jpeg: bytes) -> None:
        """Make `jpeg` the current frame."""
        with self._cond:
            self.jpeg, self.seq = jpeg, self.seq + 1
            self._cond.notify_all()

    def wait_after(self, seq: int, timeout: float = 1.0) -> tuple[int, bytes | None]:
        """The first frame after `seq` (or the current one after `timeout`)."""
        with self._cond:
            if self.seq <= seq and not self.closed:
                self._cond.wait_for(lambda: self.seq > seq or self.closed, timeout)
            return self.seq, self.jpeg

    def close(self) -> None:
        """Wake every client: the stream is over."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()


# --- sources ---------------------------------------------------------------------------------------
def _read_camera(index: int, latest: Latest, stop: threading.Event) -> None:
    import cv2

    capture = cv2.VideoCapture(index)
    if not capture.isOpened():
        latest.close()
        raise VideoReadError(f"camera {index}: cannot open it; check --camera and that no other program uses it")
    try:
        while not stop.is_set():
            ok, bgr = capture.read()
            if not ok:
                break
            latest.put(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), time.perf_counter())
    finally:
        capture.release()
        latest.close()


def _read_media(source: str, latest: Latest, stop: threading.Event, loop: bool) -> None:
    """Decode a file or URL with PyAV; files are paced at their own frame rate, as a camera would deliver them."""
    from .video import _av, frame_to_rgb

    av = _av()
    is_file = Path(source).is_file()
    try:
        while not stop.is_set():
            try:
                container = av.open(source, mode="r", timeout=10.0)
            except (av.FFmpegError, OSError, ValueError) as exc:
                raise VideoReadError(f"{source}: cannot open it ({(str(exc).splitlines() or [''])[0]}); pass a video file, a stream URL or --camera N")
            with container:
                if not container.streams.video:
                    raise VideoReadError(f"{source}: no video stream; pass a video file, a stream URL or --camera N")
                stream = container.streams.video[0]
                stream.thread_type = "AUTO"
                start, first_pts = time.perf_counter(), None
                for frame in container.decode(stream):
                    if stop.is_set():
                        return
                    if is_file and frame.pts is not None and frame.time_base:
                        t = float(frame.pts * frame.time_base)
                        first_pts = t if first_pts is None else first_pts
                        delay = start + (t - first_pts) - time.perf_counter()
                        if delay > 0:
                            time.sleep(delay)
                    latest.put(frame_to_rgb(frame), time.perf_counter())
            if not (loop and is_file):
                return
    finally:
        latest.close()


# --- the loop --------------------------------------------------------------------------------------
@dataclass
class LiveSession:
    """A running live session: the look (switchable), the numbers, and the output."""

    influencer: str
    strength: float = 1.0
    smooth: float = 0.85
    max_frames: int | None = None
    overlay: bool = True
    stats: Stats = field(default_factory=Stats)
    broadcast: Broadcast = field(default_factory=Broadcast)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        from .frames import make_pipeline

        self.pipeline = make_pipeline(self.influencer, self.strength, smooth=self.smooth)
        self.stats.influencer, self.stats.strength = self.influencer, self.pipeline.strength
        self._pending: tuple[Any, str, float] | None = None
        self._lock = threading.Lock()

    def switch(self, influencer: str | None = None, strength: float | str | None = None) -> None:
        """Ask for another influencer and/or strength; checked now, in effect from the next frame."""
        from .api import load_style
        from .engines import check_strength

        name = influencer or self.stats.influencer
        if strength is not None:
            try:
                strength = float(strength)
            except ValueError:
                raise UsageError(f"strength={strength!r} is not a number") from None
        value = check_strength(self.stats.strength if strength is None else strength)
        style = load_style(name, "image") if name != self.stats.influencer else self.pipeline.style
        with self._lock:
            self._pending = (style, name, value)

    def style_frame(self, frame: np.ndarray, arrived: float) -> bytes:
        """Style one frame and encode it as JPEG, with the look, latency and rate drawn on it."""
        import cv2

        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            self.pipeline.set_look(pending[0], pending[2])
            self.stats.influencer, self.stats.strength = pending[1], pending[2]
        styled = self.pipeline(frame)
        bgr = cv2.cvtColor(np.ascontiguousarray(styled[..., :3]), cv2.COLOR_RGB2BGR)
        latency = (time.perf_counter() - arrived) * 1000
        s = self.stats
        s.latency_ms = latency if s.styled == 0 else 0.9 * s.latency_ms + 0.1 * latency
        if self.overlay:
            text = f"{s.influencer} {s.strength:g} | {s.latency_ms:.0f} ms | {s.fps:.0f} fps"
            scale = max(0.4, bgr.shape[0] / 720 * 0.8)
            cv2.putText(bgr, text, (8, int(24 * scale / 0.8)), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 3, cv2.LINE_AA)
            cv2.putText(bgr, text, (8, int(24 * scale / 0.8)), cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1, cv2.LINE_AA)
        ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        return jpeg.tobytes()

    def run(self, latest: Latest, show: Callable[[bytes], bool] | None = None) -> None:
        """Style the newest frame, again and again, until the source ends or `stop` is set;
        `show` (a window) returns False to stop; without it frames go to `broadcast`."""
        started = time.perf_counter()
        try:
            while not self.stop.is_set():
                item = latest.take()
                if item is None:
                    if latest.closed:
                        break
                    continue
                jpeg = self.style_frame(*item)
                self.stats.styled += 1
                self.stats.dropped = latest.dropped
                self.stats.fps = self.stats.styled / max(time.perf_counter() - started, 1e-6)
                if show is not None:
                    if not show(jpeg):
                        break
                    self.stats.sent += 1
                else:
                    self.broadcast.publish(jpeg)
                if self.max_frames is not None and self.stats.sent >= self.max_frames:
                    break
        except StylekitError as exc:
            self.stats.error = str(exc)
            raise
        finally:
            self.stop.set()
            self.broadcast.close()


def _handler(session: LiveSession) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # no request log on stderr
            pass

        def _send(self, code: int, body: bytes, kind: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - the http.server hook
            url = urlparse(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            if "influencer" in query or "strength" in query:
                try:
                    session.switch(query.get("influencer") or None, query.get("strength"))
                except StylekitError as exc:
                    self._send(400, f"{exc}\n".encode(), "text/plain; charset=utf-8")
                    return
            if url.path == "/stream":
                self._stream()
            elif url.path in ("/stats", "/set"):
                self._send(200, json.dumps(session.stats.as_dict()).encode(), "application/json")
            elif url.path == "/":
                page = (f"<!doctype html><title>stylekit live</title><body style='margin:0;background:#111'>"
                        f"<img src='/stream?{url.query}' style='max-width:100%'></body>").encode()
                self._send(200, page, "text/html; charset=utf-8")
            else:
                self._send(404, b"not found; try /stream, /stats or /\n", "text/plain")

        def _stream(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY.decode()}")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seq = 0
            try:
                while True:
                    seq, jpeg = session.broadcast.wait_after(seq)
                    if jpeg is None:
                        if session.broadcast.closed:
                            return
                        continue
                    self.wfile.write(b"--" + BOUNDARY + b"\r\nContent-Type: image/jpeg\r\n"
                                     + f"Content-Length: {len(jpeg)}\r\n\r\n".encode() + jpeg + b"\r\n")
                    self.wfile.flush()
                    session.stats.sent += 1
                    if session.broadcast.closed:
                        return
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def window_available() -> bool:
    """True where OpenCV can open a window: a display, and an OpenCV built with a GUI."""
    import cv2

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.name == "nt"):
        return False
    return "GUI:                           NONE" not in cv2.getBuildInformation()


def run_live(
    influencer: str, strength: float = 1.0, *, camera: int | None = None, source: str | None = None,
    port: int = 8765, frames: int | None = None, loop: bool = False, window: bool | None = None,
    smooth: float = 0.85, on_ready: Callable[[str], None] | None = None,
) -> Stats:
    """Run a live session until the source ends, `frames` frames were shown or served, or
    Ctrl-C; return its numbers. `window=None` opens a window where one can be opened and
    serves MJPEG on 127.0.0.1:`port` otherwise (`port=0` picks a free one); `on_ready`
    receives the address (or "window") once frames can be watched."""
    if (camera is None) == (source is None):
        raise UsageError("Give one source: --camera N or --input FILE_OR_URL")
    if frames is not None and frames < 1:
        raise UsageError(f"frames={frames} must be at least 1")
    if not 0 <= port <= 65535:
        raise UsageError(f"port={port} is out of range; allowed: 0 (any free port) to 65535")
    if source is not None and "://" not in source and not Path(source).is_file():
        raise VideoReadError(f"{source}: no such file; pass a video file, a stream URL or --camera N")
    session = LiveSession(influencer, strength, smooth=smooth, max_frames=frames)
    latest = Latest()
    if camera is not None:
        reader = threading.Thread(target=_guard(_read_camera, session), args=(camera, latest, session.stop), daemon=True)
    else:
        reader = threading.Thread(target=_guard(_read_media, session), args=(source, latest, session.stop, loop), daemon=True)
    use_window = window_available() if window is None else window
    if use_window:
        return _run_window(session, latest, reader, on_ready)
    try:
        server = ThreadingHTTPServer((HOST, port), _handler(session))
    except OSError as exc:
        raise UsageError(f"cannot serve on {HOST}:{port} ({exc.strerror or exc}); pass another --port, or --port 0") from None
    server.daemon_threads = True
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    serving.start()
    reader.start()
    if on_ready is not None:
        on_ready(f"http://{HOST}:{server.server_address[1]}/")
    try:
        session.run(latest)
    finally:
        session.stop.set()
        time.sleep(0.05)  # let clients take the last frame before the server goes
        server.shutdown()
        server.server_close()
        reader.join(timeout=2)
    if session.stats.error:
        raise VideoReadError(session.stats.error)
    return session.stats


def _guard(read: Callable[..., None], session: LiveSession) -> Callable[..., None]:
    """A reader whose one-line errors end the session and are reported by it."""
    def run(*args: Any) -> None:
        try:
            read(*args)
        except StylekitError as exc:
            session.stats.error = str(exc)
            session.stop.set()
    return run


def _run_window(session: LiveSession, latest: Latest, reader: threading.Thread,
                on_ready: Callable[[str], None] | None) -> Stats:
    import cv2

    from .sheet import image_looks

    looks = image_looks()[:9]
    title = "stylekit live (1-9 look, +/- strength, q quit)"

    def show(jpeg: bytes) -> bool:
        cv2.imshow(title, cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR))
        key = cv2.waitKey(1) & 0xFF
        if key in (ord("q"), 27):
            return False
        try:
            if ord("1") <= key <= ord("9") and key - ord("1") < len(looks):
                session.switch(looks[key - ord("1")])
            elif key in (ord("+"), ord("=")):
                session.switch(strength=min(1.5, session.stats.strength + 0.1))
            elif key == ord("-"):
                session.switch(strength=max(0.0, session.stats.strength - 0.1))
        except StylekitError:
            pass
        return True

    reader.start()
    if on_ready is not None:
        on_ready("window")
    try:
        session.run(latest, show=show)
    finally:
        session.stop.set()
        cv2.destroyAllWindows()
        reader.join(timeout=2)
    if session.stats.error:
        raise VideoReadError(session.stats.error)
    return session.stats
