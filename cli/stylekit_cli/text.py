"""`stylekit text`: rewrite text in an influencer's voice."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .common import print_json, progress_bar

app = typer.Typer()


@app.command("text")
def text(
    content: Annotated[str, typer.Argument(help="Text to rewrite, or - to read one text per line from stdin.")],
    influencer: Annotated[str, typer.Option("--influencer", "-i", help="Pack name.")],
    strength: Annotated[float, typer.Option("--strength", "-s", help="0 = unchanged, 1 = full voice.")] = 1.0,
    num: Annotated[int, typer.Option("--num", "-n", help="Candidates per text, best first.")] = 1,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed.")] = None,
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rewrite text in an influencer's voice."""
    import stylekit

    texts = _stdin_lines() if content == "-" else [content]
    with progress_bar("rewriting", enabled=len(texts) > 1) as update:  # many lines from stdin: show the pace
        # one text goes as a string, so the API's checks on it (empty text) apply
        results = stylekit.stylize_text(texts if content == "-" else content, influencer, strength, num=num,
                                        seed=seed, device=device, progress=update)
    if content != "-":
        results = [results]
    if as_json:
        print_json([{"input": t, "candidates": c} for t, c in zip(texts, results)])
        return
    for candidates in results:
        for candidate in candidates:
            typer.echo(candidate)


def _stdin_lines() -> list[str]:
    """One text per line of stdin, which must be UTF-8 (a one-line error says where it is not)."""
    from stylekit.errors import UsageError

    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"stdin is not UTF-8 text (bad byte at offset {exc.start}); convert it to UTF-8 first") from None
    lines = text.split("\n")
    lines = lines[:-1] if lines and lines[-1] == "" else lines
    if not any(line.strip() for line in lines):
        raise UsageError("stdin has no text to rewrite; pipe one text per line")
    return lines
