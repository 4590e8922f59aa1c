"""Start and stop the web app: its work folder, the UI library's settings, the safety defaults."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable

from ..errors import UsageError
from .sessions import Limits

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
FONTS = ["ui-sans-serif", "system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"]
MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def _needs_gradio() -> Any:
    try:
        import gradio
    except ImportError:
        raise UsageError('The web app needs Gradio: pip install "stylekit[web]"') from None
    return gradio


def work_folder(share_dir: str | os.PathLike | None) -> Path:
    """A new folder for this server's session files: inside `share_dir` when given (created
    if missing; nothing else in it is touched), else in the system's temporary folder."""
    if share_dir is None:
        return Path(tempfile.mkdtemp(prefix="stylekit-web-"))
    base = Path(share_dir).expanduser()
    if base.exists() and not base.is_dir():
        raise UsageError(f"{base}: --share-dir must be a folder")
    try:
        base.mkdir(parents=True, exist_ok=True)
        folder = base / f"stylekit-web-{secrets.token_hex(6)}"
        folder.mkdir(mode=0o700)
    except OSError as exc:
        raise UsageError(f"{base}: cannot create the web app's folder there ({exc.strerror}); choose another --share-dir") from None
    return folder


def build(work_root: Path, limits: Limits = Limits()) -> tuple[Any, Any]:
    """The Gradio page and the app state behind it, with `work_root` as the work folder."""
    os.environ["GRADIO_TEMP_DIR"] = str(Path(work_root).resolve() / "ui")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # nothing leaves this computer
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    _needs_gradio()
    from .app import WebApp, build_blocks

    app = WebApp(work_root, limits)
    return build_blocks(app), app


def serve(host: str = "127.0.0.1", port: int = 7860, share_dir: str | os.PathLike | None = None,
          limits: Limits = Limits(), block: bool = True, announce: Callable[[str], None] | None = print) -> Any:
    """Run the web app on host:port until interrupted (or in the background with
    `block=False`, returning the page); `announce` gets the line that says where it listens.
    Session files live in a new folder under `share_dir` (default: the system's temporary
    folder), removed when the server stops."""
    gradio = _needs_gradio()
    if not 0 < int(port) < 65536:
        raise UsageError(f"--port must be from 1 to 65535, got {port}")
    root = work_folder(share_dir)
    cleanup_done = []

    def cleanup() -> None:
        if not cleanup_done:
            cleanup_done.append(True)
            shutil.rmtree(root, ignore_errors=True)

    atexit.register(cleanup)
    blocks, app = build(root, limits)
    blocks.queue(default_concurrency_limit=2)
    from .app import CSS

    theme = gradio.themes.Soft(primary_hue="orange", font=FONTS, font_mono=MONO)
    if block and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)  # a plain kill stops like Ctrl-C: the work folder goes
    try:
        blocks.launch(
            server_name=host, server_port=int(port), share=False, inbrowser=False, quiet=True,
            max_file_size=limits.max_bytes, show_error=False, footer_links=["gradio", "settings"],
            run_history=False, mcp_server=False, ssr_mode=False, theme=theme, css=CSS,
            blocked_paths=[str(app.sessions.private), str(app.jobs.root)], prevent_thread_lock=True,
        )
        if announce is not None:
            shown = f"[{host}]" if ":" in host else ("127.0.0.1" if host == "0.0.0.0" else host)
            announce(f"stylekit web app on http://{shown}:{port} (Ctrl-C to stop)")
        if block:
            blocks.block_thread()
    except OSError as exc:
        cleanup()
        reason = "the port is in use" if "empty port" in str(exc) else str(exc)
        raise UsageError(f"Cannot serve on {host}:{port}: {reason}; pass another --port") from None
    except BaseException:
        cleanup()
        raise
    if block:
        cleanup()
    return blocks


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def is_local(host: str) -> bool:
    """True for the loopback addresses only this computer can reach."""
    return host in LOCAL_HOSTS or host.startswith("127.")
