"""Reading text corpora: an influencer's posts or a background corpus, one text per record."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from .errors import TrainingError


def check_count(texts: list[str], minimum: int, where: str) -> list[str]:
    """`texts`, or a `TrainingError` naming `where` when there are fewer than `minimum`."""
    if not texts:
        raise TrainingError(f"{where}: the corpus is empty; it needs at least {minimum} posts")
    if len(texts) < minimum:
        raise TrainingError(f"{where}: only {len(texts)} posts; at least {minimum} are needed to learn a voice")
    return texts


def read_posts(path: str | os.PathLike, minimum: int = 1) -> list[str]:
    """Texts from `.txt` (one per line), `.jsonl` (a `text` field) or `.csv` (a `text` column).

    Blank records are dropped; fewer than `minimum` left (each engine says how many it
    needs) is a `TrainingError` that says so.
    """
    path = Path(path)
    if not path.is_file():
        raise TrainingError(f"{path}: no such file; give a .txt, .jsonl or .csv file of posts")
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TrainingError(f"{path}: not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        texts = []
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TrainingError(f"{path}: line {number} is not valid JSON ({exc.msg}); one JSON object per line")
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise TrainingError(f"{path}: line {number} has no string 'text' field")
            texts.append(record["text"])
    elif suffix == ".csv":
        reader = csv.DictReader(io.StringIO(raw))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise TrainingError(f"{path}: no 'text' column in the CSV header (columns: {', '.join(reader.fieldnames or [])})")
        texts = [row["text"] or "" for row in reader]
    elif suffix in (".txt", ""):
        texts = raw.splitlines()
    else:
        raise TrainingError(f"{path}: unsupported corpus type '{suffix}'; use .txt, .jsonl or .csv")
    texts = [" ".join(t.split()) for t in texts]
    return check_count([t for t in texts if t], minimum, str(path))
