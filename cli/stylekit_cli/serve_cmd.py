"""`stylekit serve`: the local web app (Gradio, the optional `web` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import err

app = typer.Typer()


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; anything but 127.0.0.1 lets other computers in.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 7860,
    share_dir: Annotated[Optional[Path], typer.Option("--share-dir", help="Where the sessions' working files go: a new subfolder of DIR, removed when the server stops (default: the system's temporary folder).")] = None,
    max_upload_mb: Annotated[float, typer.Option("--max-upload-mb", help="Largest upload, per file, in MB.")] = 100.0,
    max_pixels: Annotated[int, typer.Option("--max-pixels", help="Largest photo, in pixels.")] = 50_000_000,
) -> None:
    """Open the web app: apply looks, write in a voice, learn influencers, find yours.

    Serves http://HOST:PORT until Ctrl-C. Each browser tab's uploads and results are its own
    and are deleted when the tab closes or the server stops.
    """
    from stylekit.errors import UsageError
    from stylekit.web import serve as run
    from stylekit.web.server import is_local
    from stylekit.web.sessions import Limits

    if max_upload_mb <= 0 or max_pixels <= 0:
        raise UsageError("--max-upload-mb and --max-pixels must be positive")
    if not is_local(host):
        err(f"Warning: serving on {host}: anyone who can reach this computer on port {port} can use the app "
            "and every installed look and voice, with no login. Use 127.0.0.1 unless you mean that.")
    run(host=host, port=port, share_dir=share_dir,
        limits=Limits(max_bytes=int(max_upload_mb * 1024 * 1024), max_pixels=max_pixels), announce=typer.echo)
